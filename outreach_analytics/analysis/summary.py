"""The summary of a log as one plain object: what ``summary --json`` prints.

``first_date`` and ``last_date`` are the log's first and last date (ISO, null without a
dated row), so that ``--as-of`` can be chosen. ``overall``, ``by_channel`` and
``by_pitch_type`` keep their meaning: counts, and rates
over settled actions with the window rule (a ``sent`` pitch younger than ``window_days``
is pending and left out). ``headline`` gives the response, interview and win rates the
way to quote them: censoring-aware (Kaplan–Meier, ``method`` ``"kaplan-meier"``) where the
log has the stage's dates, else the window rule, named (``"window-14d"``).
``time_to_response`` is the reply curve (see :mod:`.survival`) and ``follow_up_lift``
what following up brought (see :mod:`.follow_ups`; ``None`` when none is logged).
``outcomes_recorded`` is false for a log with no status, stage-date or yes/no stage column
(a job board's export, a sent log): its rates are then null, not 0, and its notes and
verdicts say that the log records no outcomes.
"""

from __future__ import annotations

import math
from concurrent.futures import Future
from typing import Any

import numpy as np
import pandas as pd

from ..model.normalize import LoadReport
from ..model.schema import SUMMARY_FIELDS
from . import follow_ups as _fu
from . import survival as _sv
from .challenge import challenge
from .compare import compare_counts
from .forecast import next_win_from_counts, recent_pace
from .metrics import COUNT_COLUMNS, DEFAULT_WINDOW, counts_by, resolve_as_of
from .stats import pitches_per_win_interval, wilson_interval
from .text import plural

__all__ = ["summarize", "metrics_record", "SUMMARY_FIELDS", "NO_OUTCOMES", "UNRECORDED"]


#: From this many rows the two halves of the statistics run on two threads (numpy
#: releases the GIL in its loops over the rows); a small log runs them in turn.
_PARALLEL_ROWS = 200_000
#: The keys the statistics add, in the order ``summary --json`` prints them.
_STATISTICS = (
    "headline",
    "time_to_response",
    "follow_up_lift",
    "comparison",
    "forecast",
    "challenge",
)

_UNSPECIFIED = "unspecified"
_NO_CHANNEL = "the log has no channel column: channels are not compared"

#: What a log that records no outcomes lacks, as every part of a summary or report says it.
UNRECORDED = "the log records no outcomes (no status or stage columns)"
#: Said (in the notes, and by every rate) of a log that records no outcomes.
NO_OUTCOMES = f"{UNRECORDED}: rates are not claimed"

_RATE_KEYS = {"response_rate": "responses", "interview_rate": "interviews", "win_rate": "wins"}


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def metrics_record(row: pd.Series | dict, alpha: float = 0.05) -> dict[str, Any]:
    """The METRICS object of one segment from its counts.

    >>> rec = metrics_record({"actions": 12, "pending": 2, "settled": 10, "responses": 3,
    ...                       "interviews": 1, "offers": 0, "wins": 0})
    >>> rec["response_rate"]["value"], rec["pitches_per_win"]["value"]
    (0.3, None)
    >>> round(rec["pitches_per_win"]["ci_low"], 2), rec["pitches_per_win"]["ci_high"]
    (3.6, None)
    """
    out: dict[str, Any] = {k: int(row.get(k, 0)) for k in COUNT_COLUMNS}
    n = out["settled"]
    for key, col in _RATE_KEYS.items():
        k = out[col]
        low, high = wilson_interval(k, n, alpha)
        out[key] = {
            "value": k / n if n else None,
            "ci_low": _num(float(low)),
            "ci_high": _num(float(high)),
        }
    est, low, high = pitches_per_win_interval(out["wins"], n, alpha)
    out["pitches_per_win"] = {
        "value": _num(float(est)),
        "ci_low": _num(float(low)),
        "ci_high": _num(float(high)),
    }
    return out


def summarize(report: LoadReport, *, as_of=None, window: int = DEFAULT_WINDOW) -> dict[str, Any]:
    """Everything ``outreach-analytics summary --json`` prints, as a dict.

    Examples
    --------
    >>> from outreach_analytics import load_report, sample_path
    >>> s = summarize(load_report(sample_path()), as_of="2026-11-15")
    >>> s["rows_read"] == s["rows_used"] + s["rows_skipped"] + s["rows_blank"]
    True
    >>> sum(c["actions"] for c in s["by_channel"]) == s["overall"]["actions"]
    True
    """
    as_of = resolve_as_of(as_of)
    df = report.data
    has_types = bool(df["pitch_type"].notna().any())
    has_channels = _has_labels(df["channel"])
    segments = [None, "channel", "pitch_type"] if has_types else [None, "channel"]
    counted: Future = Future()  # (overall, by_channel, by_type), counted on the first line

    def count_rows() -> None:
        try:
            overall, by_channel, *by_type = counts_by(df, segments, as_of=as_of, window=window)
        except BaseException as err:
            counted.set_exception(err)  # the other line waits for the counts: it fails too
            raise
        counted.set_result((overall.iloc[0], by_channel, by_type[0] if by_type else None))

    tabbed = "tab" in report.skipped.columns  # a Google Sheet read with all its tabs
    skipped = [
        {
            "row": int(r.row),
            **({"tab": str(r.tab)} if tabbed else {}),
            "column": str(r.column),
            "value": str(r.value),
            "reason": str(r.reason),
        }
        for r in report.skipped.itertuples(index=False)
    ]
    # issue 9: censoring-aware headline rates, the reply curve, the follow-up lift;
    # which segment converts best, the next win, the rejection challenge
    pace = recent_pace(df, as_of=as_of)

    def tally() -> tuple[int, int]:
        overall = counted.result()[0]
        return int(overall["wins"]), int(overall["settled"])

    def counts_then_curve():
        count_rows()  # first: the other line's challenge waits for the tally
        return _sv.time_to_response(df, "channel", as_of=as_of)

    def with_the_curve(reply) -> dict[str, Any]:
        # the headline rates; and from the counts (the rows are not counted again) the
        # next win
        overall = counted.result()[0]
        return {
            "headline": _sv.headline_record(
                df,
                as_of=as_of,
                window=window,
                response=reply,
                window_record=metrics_record(overall),
            ),
            "forecast": next_win_from_counts(*tally(), pace, as_of=as_of).to_dict(),
        }

    def beside_the_curve(curve) -> dict[str, Any]:
        # the follow-ups matched to their pitches, the challenge and which segment
        # converts best (once the rows are counted), then the lift, which waits for the
        # curve (its settled age)
        pitches = _fu.match_pitches(df, as_of)
        out = {
            "challenge": challenge(
                df,
                as_of=as_of,
                window=window,
                tally=tally(),
                pace=pace,
                outcomes=report.records_outcomes,
            ).to_dict()
        }
        _, by_channel, by_type = counted.result()
        # no channel column (every row "unspecified"): nothing to compare, nothing said
        tables = {"channel": by_channel if has_channels else None, "pitch_type": by_type}
        out["comparison"] = {
            by: compare_counts(t, by).to_dict() for by, t in tables.items() if t is not None
        }
        reply = curve()
        lift = _fu.lift_of_pitches(pitches, as_of=as_of, min_age=_fu.settled_age(reply))
        out["time_to_response"] = _sv.curve_record(reply)
        out["follow_up_lift"] = _fu.lift_record(lift)
        return out

    extra = _statistics(
        counts_then_curve, with_the_curve, beside_the_curve, parallel=len(df) >= _PARALLEL_ROWS
    )
    overall, by_channel, by_type = counted.result()
    out = {
        "rows_read": report.rows_read,
        "rows_used": report.rows_used,
        "rows_skipped": report.rows_skipped,
        "rows_blank": report.rows_blank,
        "skipped": skipped,
        "as_of": as_of.date().isoformat(),
        **_date_range(df["date"]),
        "window_days": int(window),
        "outcomes_recorded": report.records_outcomes,
        "overall": metrics_record(overall),
        "by_channel": [
            {"channel": str(r["channel"]), **metrics_record(r)} for _, r in by_channel.iterrows()
        ],
        "by_pitch_type": []
        if by_type is None
        else [
            {"pitch_type": str(r["pitch_type"]), **metrics_record(r)} for _, r in by_type.iterrows()
        ],
        "blank_rows": report.blank_rows,
        "undated_rows": report.undated_rows,
        "source": report.source,
        "notes": [
            *([] if report.records_outcomes else [NO_OUTCOMES]),
            *report.notes,
            *_not_actions(overall),
            *([] if has_channels else [_NO_CHANNEL]),
        ],
    }
    for key in _STATISTICS:
        out[key] = extra[key]
    if not report.records_outcomes:
        _unclaim(out)
    return out


def _unclaim(out: dict[str, Any]) -> None:
    """Take back every rate of a summary whose log records no outcomes: its zeros say
    nothing about replies, so the rates are null and the verdicts say why."""
    nothing = {"value": None, "ci_low": None, "ci_high": None}
    for rec in [out["overall"], *out["by_channel"], *out["by_pitch_type"]]:
        for key in (*_RATE_KEYS, "pitches_per_win"):
            rec[key] = dict(nothing)
    for rate in out["headline"].values():
        rate.update(nothing)
    for block in out["comparison"].values():
        block["verdict"] = NO_OUTCOMES
    forecast = out["forecast"]
    forecast["verdict"] = "Next win: not forecast: " + NO_OUTCOMES
    if "pitches_per_win_at_least" in forecast:
        forecast["pitches_per_win_at_least"] = None


def _statistics(reply_curve, with_the_curve, beside_the_curve, *, parallel: bool) -> dict:
    """The issue 9 entries of the summary, in two lines of work when ``parallel``.

    ``with_the_curve(reply)`` needs the reply curve from its start; ``beside_the_curve(curve)``
    calls ``curve()`` only once its own first part is done. With ``parallel`` the second
    runs on a thread of its own while this one draws the curve and goes on with the first:
    numpy releases the GIL in its loops over the rows, so a large log's statistics take
    about the time of the longer line. The two lines are about as long at 10M rows.
    """
    if not parallel:
        reply = reply_curve()
        return {**with_the_curve(reply), **beside_the_curve(lambda: reply)}
    from concurrent.futures import ThreadPoolExecutor

    curve: Future = Future()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(beside_the_curve, curve.result)
        try:
            reply = reply_curve()
        except BaseException as err:
            curve.set_exception(err)
            raise
        curve.set_result(reply)
        mine = with_the_curve(reply)
        return {**mine, **pending.result()}


def _date_range(dates: pd.Series) -> dict[str, str | None]:
    """The log's first and last date, ISO (None without a dated row): ``first_date`` and
    ``last_date`` of ``summary --json``, so that ``--as-of`` can be chosen.

    >>> _date_range(pd.Series(pd.to_datetime(["2024-03-02", None, "2024-01-05"])))
    {'first_date': '2024-01-05', 'last_date': '2024-03-02'}
    >>> _date_range(pd.Series([], dtype="datetime64[s]"))
    {'first_date': None, 'last_date': None}
    """
    first, last = dates.min(), dates.max()
    return {
        "first_date": None if pd.isna(first) else first.date().isoformat(),
        "last_date": None if pd.isna(last) else last.date().isoformat(),
    }


def _has_labels(values: pd.Series) -> bool:
    """Whether a label column says something: a value other than missing and "unspecified"
    (what normalize fills in where the log has no such column).

    >>> _has_labels(pd.Series(["unspecified"] * 3, dtype="category"))
    False
    >>> _has_labels(pd.Series(["Email", "unspecified"], dtype="category"))
    True
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # the used labels, not every row
        values = pd.Series(
            values.cat.categories[np.unique(values.cat.codes[values.cat.codes >= 0])]
        )
    return bool((values.dropna().astype("str") != _UNSPECIFIED).any())


def _not_actions(overall: pd.Series) -> list[str]:
    """Data-quality notes on the rows kept but not counted."""
    notes = []
    if overall["planned"]:
        n = int(overall["planned"])
        notes.append(
            f"{plural(n, 'planned row')} (not applied to yet) {'is' if n == 1 else 'are'} "
            "not counted"
        )
    if overall["future"]:
        n = int(overall["future"])
        notes.append(
            f"{plural(n, 'row')} dated after as-of {'is' if n == 1 else 'are'} not counted "
            "as sent yet"
        )
    return notes
