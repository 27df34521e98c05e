"""Display tables: the tidy frames of the analysis as rich tables for notebooks and the report.

Each function takes the frame a metric function returns and gives back a
:class:`DisplayTable`: the cells formatted as text (percentages, intervals written
"22% (20–25)", thousands separators, a dagger on small samples) and a pandas ``Styler``
built from them (numbers right-aligned, small samples muted, a caption, a fixed id). In a
notebook it displays as an HTML table; its plain ``repr`` is the same cells as text, so
nbval can compare it; the report puts its ``to_html()`` in the page. Every cell, header and
caption is HTML-escaped.

Examples
--------
>>> import outreach_analytics as oa
>>> from outreach_analytics.present import tables
>>> df = oa.load(oa.sample_path())
>>> t = tables.funnel_table(oa.funnel(df, as_of="2026-11-15"))
>>> print(t)  # doctest: +NORMALIZE_WHITESPACE
Funnel of settled actions
    stage actions from previous stage of all settled
     sent     971                   —         100.0%
responded     220               22.7%          22.7%
interview      86               39.1%           8.9%
    offer      30               34.9%           3.1%
      won      26               86.7%           2.7%
>>> 'id="T_table-funnel"' in t.to_html()
True
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.activity import COST_COLUMNS
from ..analysis.stats import SMALL_SAMPLE
from ..analysis.text import plural

__all__ = [
    "DisplayTable",
    "cost_per_win_table",
    "display_table",
    "facts_table",
    "fmt_interval",
    "fmt_num",
    "fmt_pct",
    "fmt_p_best",
    "follow_ups_table",
    "funnel_table",
    "pitches_per_win_table",
    "rates_table",
    "row_counts_table",
    "segment_table",
    "skipped_table",
]

#: What a missing number is shown as.
MISSING = "—"
#: The mark after a segment with fewer than ``SMALL_SAMPLE`` settled actions.
SMALL_MARK = " †"
_SMALL_NOTE = (
    f"† fewer than {SMALL_SAMPLE} settled actions: read the rate with its interval, not on its own."
)
_METRICS = {"response": "response rate", "interview": "interview rate", "win": "win rate"}


# --------------------------------------------------------------------------- formatting


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float | np.floating) and math.isnan(x))


def fmt_pct(x: Any, digits: int = 0) -> str:
    """A share as a percentage; ``—`` when missing.

    Examples
    --------
    >>> fmt_pct(0.2266), fmt_pct(0.2266, 1), fmt_pct(None)
    ('23%', '22.7%', '—')
    """
    return MISSING if _missing(x) else f"{float(x) * 100:.{digits}f}%"


def fmt_p_best(p: Any) -> str:
    """P(best) as a percentage, never "100%" or "0%": it is estimated from a finite sample.

    Examples
    --------
    >>> fmt_p_best(1.0), fmt_p_best(0.994), fmt_p_best(0.874), fmt_p_best(0.005), fmt_p_best(0.0)
    ('> 99%', '> 99%', '87%', '< 1%', '< 1%')
    >>> fmt_p_best(None)
    '—'
    """
    if _missing(p):
        return MISSING
    p = float(p)
    if p > 0.99:
        return "> 99%"
    if p < 0.01:
        return "< 1%"
    return fmt_pct(p)


def fmt_num(x: Any, digits: int = 0) -> str:
    """A number with thousands separators; ``—`` when missing.

    Examples
    --------
    >>> fmt_num(1000), fmt_num(55.43, 1), fmt_num(float("nan"))
    ('1,000', '55.4', '—')
    """
    return MISSING if _missing(x) else f"{float(x):,.{digits}f}"


def fmt_interval(value: Any, low: Any, high: Any, *, pct: bool = True, digits: int = 0) -> str:
    """An estimate with its interval: ``22% (20–25)`` for shares, ``55 (27–114)`` for counts.

    Examples
    --------
    >>> fmt_interval(0.2266, 0.2007, 0.2548)
    '23% (20–25)'
    >>> fmt_interval(55.43, 27.2, 114.1, pct=False)
    '55 (27–114)'
    >>> fmt_interval(None, None, None), fmt_interval(0.5, None, None)
    ('—', '50%')

    No estimate but a lower bound (pitches per win with no win yet: at least ``L``):

    >>> fmt_interval(None, 180.4, None, pct=False)
    '≥ 180'
    """
    if _missing(value):
        if not _missing(low) and _missing(high):
            scale = 100 if pct else 1
            return f"≥ {float(low) * scale:,.{digits}f}" + ("%" if pct else "")
        return MISSING
    scale = 100 if pct else 1
    shown = f"{float(value) * scale:,.{digits}f}" + ("%" if pct else "")
    if _missing(low) or _missing(high):
        return shown
    return f"{shown} ({float(low) * scale:,.{digits}f}–{float(high) * scale:,.{digits}f})"


# --------------------------------------------------------------------------- the table


@dataclasses.dataclass(frozen=True, repr=False)
class DisplayTable:
    """A table ready to show: its cells as text and the ``Styler`` that draws them.

    Parameters
    ----------
    frame : pandas.DataFrame
        The cells, already formatted as text (``str``); the row index is not shown.
    table_id : str
        The table's fixed id (the ``Styler``'s uuid): the element id is ``T_`` + this.
    caption : str
        Shown above the table.
    numeric : tuple of str
        Columns right-aligned (numbers).
    muted : tuple of bool
        Rows drawn in grey (small samples), one flag per row.
    note : str
        A line under the table (e.g. what the dagger means).

    Examples
    --------
    >>> t = display_table(pd.DataFrame({"a": ["<b>", "x"], "n": ["1", "2"]}), "t",
    ...                   caption="A & B", numeric=["n"])
    >>> print(t)
    A & B
      a n
    <b> 1
      x 2
    >>> page = t.to_html()
    >>> "&lt;b&gt;" in page and "<b>" not in page and "A &amp; B" in page
    True
    """

    frame: pd.DataFrame
    table_id: str
    caption: str = ""
    numeric: tuple[str, ...] = ()
    muted: tuple[bool, ...] = ()
    note: str = ""

    @property
    def styler(self):
        """The pandas ``Styler`` of the table (HTML-escaped, fixed uuid, no index)."""
        frame = self.frame
        sty = frame.style
        sty.set_uuid(self.table_id)
        sty.cell_ids = False
        sty = (
            sty.format(escape="html", na_rep=MISSING)
            .format_index(escape="html", axis=1)
            .hide(axis="index")
            .set_table_attributes('class="data-table"')
        )
        if self.caption:
            sty = sty.set_caption(html.escape(self.caption))
        styles = {
            c: [{"selector": "td, th", "props": "text-align: right; white-space: nowrap;"}]
            for c in self.numeric
            if c in frame.columns
        }
        if styles:
            sty = sty.set_table_styles(styles, overwrite=False)
        if any(self.muted):
            flags = pd.Series(list(self.muted), index=frame.index)
            sty = sty.apply(
                lambda row: ["color: #6b7280" if flags[row.name] else ""] * len(row), axis=1
            )
        return sty

    def to_html(self) -> str:
        """The table as an HTML fragment: the ``<style>``, the ``<table>`` and its note."""
        out = self.styler.to_html()
        if self.note:
            out += f'<p class="note">{html.escape(self.note)}</p>'
        return f'<div class="table-wrap">{out}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        parts = [self.caption] if self.caption else []
        parts.append(self.frame.to_string(index=False) if len(self.frame) else "(no rows)")
        if self.note:
            parts.append(self.note)
        return "\n".join(parts)


def display_table(
    frame: pd.DataFrame,
    table_id: str,
    *,
    caption: str = "",
    numeric: Sequence[str] = (),
    muted: Sequence[bool] | None = None,
    note: str = "",
) -> DisplayTable:
    """A :class:`DisplayTable` of any frame, every cell turned into text (missing: ``—``).

    Examples
    --------
    >>> print(display_table(pd.DataFrame({"x": [1.5, None]}), "x"))
      x
    1.5
      —
    """
    text = frame.reset_index(drop=True).astype("object")
    text = text.map(lambda v: MISSING if _missing(v) else str(v)).astype("str")
    return DisplayTable(
        text,
        table_id,
        caption,
        tuple(numeric),
        tuple(bool(m) for m in (muted if muted is not None else [False] * len(text))),
        note,
    )


def _keys(frame: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by or [])
    return [k for k in keys if k in frame.columns]


def _words(key: str) -> str:
    return key.replace("_", " ")


def _segment_names(frame: pd.DataFrame, keys: list[str], small: pd.Series) -> pd.Series:
    if not keys:
        names = pd.Series(["all"] * len(frame), index=frame.index)
    else:
        names = frame[keys].astype("str").agg(" · ".join, axis=1)
    return names + small.map({True: SMALL_MARK, False: ""}).astype("str")


# --------------------------------------------------------------------------- tables


def funnel_table(funnel_df: pd.DataFrame, table_id: str = "table-funnel") -> DisplayTable:
    """The funnel's stages: actions, conversion from the stage before, share of settled.

    ``funnel_df`` is what :func:`outreach_analytics.funnel` returns (without ``by``).
    """
    shown = pd.DataFrame(
        {
            "stage": funnel_df["stage"].astype("str"),
            "actions": funnel_df["count"].map(fmt_num),
            "from previous stage": funnel_df["conversion"].map(lambda x: fmt_pct(x, 1)),
            "of all settled": funnel_df["share"].map(lambda x: fmt_pct(x, 1)),
        }
    )
    return display_table(
        shown, table_id, caption="Funnel of settled actions", numeric=list(shown.columns[1:])
    )


def segment_table(
    counts_df: pd.DataFrame,
    rates_df: pd.DataFrame,
    ppw_df: pd.DataFrame,
    by: str = "channel",
    table_id: str | None = None,
) -> DisplayTable:
    """Per segment: actions, settled, response rate (95% CI), interview rate, wins, pitches/win.

    The three frames are what :func:`outreach_analytics.counts`, :func:`~outreach_analytics.rates`
    and :func:`~outreach_analytics.pitches_per_win` return for the same ``by``.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> df, a = oa.load(oa.sample_path()), "2026-11-15"
    >>> t = segment_table(oa.counts(df, by="channel", as_of=a), oa.rates(df, by="channel", as_of=a),
    ...                   oa.pitches_per_win(df, by="channel", as_of=a), by="channel")
    >>> t.frame.iloc[0].tolist()
    ['Upwork', '403', '388', '16% (12–20)', '6%', '7', '55 (27–114)']
    """
    keys = _keys(counts_df, by)
    rr = rates_df[(rates_df["metric"].astype("str") == "response").to_numpy()]
    ir = rates_df[(rates_df["metric"].astype("str") == "interview").to_numpy()]
    merged = (
        counts_df.merge(rr[[*keys, "rate", "ci_low", "ci_high"]], on=keys, how="left")
        .merge(ir[[*keys, "rate"]].rename(columns={"rate": "interview_rate"}), on=keys, how="left")
        .merge(
            ppw_df[[*keys, "pitches_per_win", "ci_low", "ci_high"]],
            on=keys,
            how="left",
            suffixes=("", "_ppw"),
        )
    )
    small = merged["settled"] < SMALL_SAMPLE
    shown = pd.DataFrame(
        {
            _words(by): _segment_names(merged, keys, small),
            "actions": merged["actions"].map(fmt_num),
            "settled": merged["settled"].map(fmt_num),
            "response rate (95% CI)": [
                fmt_interval(v, lo, hi)
                for v, lo, hi in zip(
                    merged["rate"], merged["ci_low"], merged["ci_high"], strict=True
                )
            ],
            "interview rate": merged["interview_rate"].map(fmt_pct),
            "wins": merged["wins"].map(fmt_num),
            "pitches per win (95% CI)": [
                fmt_interval(v, lo, hi, pct=False)
                for v, lo, hi in zip(
                    merged["pitches_per_win"],
                    merged["ci_low_ppw"],
                    merged["ci_high_ppw"],
                    strict=True,
                )
            ],
        }
    )
    return display_table(
        shown,
        table_id or f"table-{by.replace('_', '-')}s",
        caption=f"By {_words(by)}",
        numeric=list(shown.columns[1:]),
        muted=small.tolist(),
        note=_SMALL_NOTE if small.any() else "",
    )


def rates_table(
    rates_df: pd.DataFrame, by: str | Sequence[str] | None = "channel", table_id: str | None = None
) -> DisplayTable:
    """One row per segment, one column per rate, each written "22% (20–25)" (95% CI).

    ``rates_df`` is what :func:`outreach_analytics.rates` returns; segments are sorted by
    their response rate, highest first.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> r = oa.rates(oa.load(oa.sample_path()), by="pitch_type", as_of="2026-11-15")
    >>> rates_table(r, by="pitch_type").frame.columns.tolist()
    ['pitch type', 'settled', 'response rate', 'interview rate', 'win rate']
    """
    keys = _keys(rates_df, by)
    frame = rates_df.assign(
        shown=[
            fmt_interval(v, lo, hi)
            for v, lo, hi in zip(
                rates_df["rate"], rates_df["ci_low"], rates_df["ci_high"], strict=True
            )
        ],
        metric=rates_df["metric"].astype("str"),
    )
    index = keys or None
    if index is None:
        frame = frame.assign(_all="all")
        index = ["_all"]
    wide = frame.pivot_table(
        index=index, columns="metric", values="shown", aggfunc="first", sort=False
    )
    settled = frame.groupby(index, sort=False)["settled"].max()
    order = (
        frame[frame["metric"] == "response"].set_index(index)["rate"].sort_values(ascending=False)
    )
    wide = wide.reindex(order.index.append(wide.index.difference(order.index)))
    settled = settled.reindex(wide.index)
    small = (settled < SMALL_SAMPLE).reset_index(drop=True)
    names = wide.index.to_frame(index=False)
    label = " · ".join(_words(k) for k in keys) if keys else "segment"
    shown = pd.DataFrame(
        {
            label: _segment_names(names, list(names.columns), small),
            "settled": settled.map(fmt_num).to_numpy(),
        }
    )
    for m in [m for m in _METRICS if m in wide.columns]:
        shown[_METRICS[m]] = wide[m].fillna(MISSING).to_numpy()
    return display_table(
        shown,
        table_id or f"table-rates-{'-'.join(keys) or 'all'}".replace("_", "-"),
        caption=f"Rates by {label} (95% interval)",
        numeric=list(shown.columns[1:]),
        muted=small.tolist(),
        note=_SMALL_NOTE if small.any() else "",
    )


def pitches_per_win_table(
    ppw_df: pd.DataFrame, by: str | Sequence[str] | None = None, table_id: str | None = None
) -> DisplayTable:
    """Settled pitches, wins and pitches per win "55 (27–114)" (95% CI) per segment.

    ``ppw_df`` is what :func:`outreach_analytics.pitches_per_win` returns.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> p = oa.pitches_per_win(oa.load(oa.sample_path()), as_of="2026-11-15")
    >>> print(pitches_per_win_table(p))
    Pitches per win (95% interval)
    segment settled wins pitches per win
        all     971   26      37 (26–55)
    """
    keys = _keys(ppw_df, by)
    small = ppw_df["settled"] < SMALL_SAMPLE
    label = " · ".join(_words(k) for k in keys) if keys else "segment"
    shown = pd.DataFrame(
        {
            label: _segment_names(ppw_df, keys, small),
            "settled": ppw_df["settled"].map(fmt_num),
            "wins": ppw_df["wins"].map(fmt_num),
            "pitches per win": [
                fmt_interval(v, lo, hi, pct=False)
                for v, lo, hi in zip(
                    ppw_df["pitches_per_win"], ppw_df["ci_low"], ppw_df["ci_high"], strict=True
                )
            ],
        }
    )
    return display_table(
        shown,
        table_id or f"table-ppw-{'-'.join(keys) or 'all'}".replace("_", "-"),
        caption="Pitches per win (95% interval)",
        numeric=list(shown.columns[1:]),
        muted=small.tolist(),
        note=_SMALL_NOTE if small.any() else "",
    )


def cost_per_win_table(cost_df: pd.DataFrame, table_id: str = "table-cost") -> DisplayTable:
    """What a win costs per channel where the log records a cost per action.

    ``cost_df`` is what :func:`outreach_analytics.cost_per_win` returns; channels that
    record no cost are left out.
    """
    keys = [c for c in cost_df.columns if c not in COST_COLUMNS]
    rows = cost_df[cost_df["costed"] > 0] if "costed" in cost_df.columns else cost_df
    shown = pd.DataFrame(
        {
            " · ".join(_words(k) for k in keys) or "segment": (
                rows[keys].astype("str").agg(" · ".join, axis=1) if keys else "all"
            ),
            "wins": rows["wins"].map(fmt_num),
            "cost per action": rows["cost_per_action"].map(lambda x: fmt_num(x, 1)),
            "cost per win (95% CI)": [
                fmt_interval(v, lo, hi, pct=False)
                for v, lo, hi in zip(
                    rows["cost_per_win"], rows["ci_low"], rows["ci_high"], strict=True
                )
            ],
        }
    )
    return display_table(shown, table_id, caption="Cost per win", numeric=list(shown.columns[1:]))


def follow_ups_table(
    due_df: pd.DataFrame,
    notes: pd.Series | None = None,
    table_id: str = "table-follow-ups",
    caption: str = "Follow-ups due",
) -> DisplayTable:
    """Pitches waiting for a follow-up: sent, channel, pitch type, client, days waiting, row.

    ``due_df`` is (a subset of) what :func:`outreach_analytics.follow_ups_due` returns;
    ``notes`` optionally the notes of the same rows.
    """
    shown = pd.DataFrame(
        {
            "sent": due_df["date"].dt.strftime("%Y-%m-%d"),
            "channel": due_df.get("channel"),
            "pitch type": due_df.get("pitch_type"),
            "client": due_df.get("client"),
            "days waiting": due_df["days_waiting"].map(fmt_num),
            "row in sheet": due_df.get("source_row"),
            "notes": notes,
        },
        index=due_df.index,
    ).dropna(axis=1, how="all")
    return display_table(shown, table_id, caption=caption, numeric=["days waiting", "row in sheet"])


def row_counts_table(report: Any, table_id: str = "table-row-counts") -> DisplayTable:
    """Rows read, used, skipped and blank of a :class:`~outreach_analytics.LoadReport`."""
    counts = pd.DataFrame(
        {
            "rows read": [report.rows_read],
            "used": [report.rows_used],
            "skipped": [report.rows_skipped],
            "blank": [report.rows_blank],
        }
    )
    return display_table(
        counts.map(fmt_num), table_id, caption="Rows of the log", numeric=list(counts.columns)
    )


def skipped_table(skipped: pd.DataFrame, table_id: str = "table-skipped") -> DisplayTable:
    """Every problem of a skipped row: the row as in the sheet, the column, the value, why."""
    sk = skipped[["row", "column", "value", "reason"]].copy()
    sk["row"] = sk["row"].astype("int64")
    return display_table(sk, table_id, caption="Skipped rows", numeric=["row"])


def facts_table(facts: Mapping[str, Any], table_id: str, caption: str = "") -> DisplayTable:
    """A two-column table of named values (``what``, ``value``).

    Examples
    --------
    >>> print(facts_table({"longest streak (weeks)": 4}, "t"))
                       what value
    longest streak (weeks)     4
    """
    frame = pd.DataFrame(
        {
            "what": list(facts),
            "value": [v if isinstance(v, str) else fmt_num(v) for v in facts.values()],
        }
    )
    return display_table(frame, table_id, caption=caption, numeric=["value"])


def comparison_table(
    summary_df: pd.DataFrame, by: str, table_id: str | None = None
) -> DisplayTable:
    """Shrunk rate "23% (18–29)" (95% credible interval), observed rate and P(best) per segment.

    ``summary_df`` is ``Comparison.summary`` (:func:`outreach_analytics.analysis.compare.compare`).

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> from outreach_analytics.analysis.compare import compare
    >>> c = compare(oa.load(oa.sample_path()), "channel", as_of="2026-11-15")
    >>> comparison_table(c.summary, "channel").frame.columns.tolist()
    ['channel', 'settled', 'observed', 'shrunk rate (95% credible)', 'P(best)']
    """
    small = summary_df["settled"] < SMALL_SAMPLE
    label = _words(by)
    shown = pd.DataFrame(
        {
            label: _segment_names(summary_df.rename(columns={"name": by}), [by], small),
            "settled": summary_df["settled"].map(fmt_num),
            "observed": summary_df["rate"].map(fmt_pct),
            "shrunk rate (95% credible)": [
                fmt_interval(v, lo, hi)
                for v, lo, hi in zip(
                    summary_df["shrunk_rate"],
                    summary_df["cred_low"],
                    summary_df["cred_high"],
                    strict=True,
                )
            ],
            "P(best)": summary_df["p_best"].map(fmt_p_best),
        }
    )
    return display_table(
        shown,
        table_id or f"table-compare-{by}".replace("_", "-"),
        caption=f"Which {label} is best: rates shrunk toward the log's average",
        numeric=list(shown.columns[1:]),
        muted=small.tolist(),
        note=_SMALL_NOTE if small.any() else "",
    )


def next_win_table(nw: Any, table_id: str = "table-next-win") -> DisplayTable:
    """The next-win forecast: pitches for a 50/80/95% chance, expected wins, the 80% date.

    ``nw`` is :func:`outreach_analytics.analysis.forecast.next_win`'s result.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> from outreach_analytics.analysis.forecast import next_win
    >>> t = next_win_table(next_win(oa.load(oa.sample_path()), as_of="2026-11-15"))
    >>> t.frame["quantity"].tolist()[:3]
    ['pitches for a 50% chance', 'pitches for an 80% chance', 'pitches for a 95% chance']
    """
    if not nw.enough:  # too few wins to forecast: the floor, and what a forecast takes
        from ..analysis.forecast import MIN_WINS_FOR_FORECAST

        floor = MISSING if _missing(nw.at_least) else "≥ " + fmt_num(nw.at_least)
        shown = pd.DataFrame(
            [
                ("pitches per win (95% floor)", floor),
                ("wins so far", fmt_num(nw.wins)),
                ("wins a forecast needs", fmt_num(MIN_WINS_FOR_FORECAST)),
                ("actions per week (last 8 weeks)", fmt_num(nw.pace, 1)),
            ],
            columns=["quantity", "value"],
        )
        return display_table(
            shown,
            table_id,
            caption=f"The next win ({plural(nw.wins, 'win')} in "
            f"{plural(nw.settled, 'settled action')}: no forecast yet)",
            numeric=["value"],
        )
    rows = [
        (f"pitches for {'an' if k == 'p80' else 'a'} {k[1:]}% chance", fmt_num(v))
        for k, v in nw.pitches.items()
    ]
    rows += [
        (
            f"expected wins in the next {int(r.weeks)} weeks",
            fmt_interval(r.value, r.ci_low, r.ci_high, pct=False, digits=1),
        )
        for r in nw.expected_wins.itertuples(index=False)
    ]
    day = nw.next_win_date_80
    rows.append(("80% likely by", MISSING if day is None else day.date().isoformat()))
    rows.append(("actions per week (last 8 weeks)", fmt_num(nw.pace, 1)))
    shown = pd.DataFrame(rows, columns=["quantity", "value"])
    return display_table(
        shown,
        table_id,
        caption=f"The next win ({plural(nw.wins, 'win')} in "
        f"{plural(nw.settled, 'settled action')})",
        numeric=["value"],
    )


def benchmark_table(check_df: pd.DataFrame, table_id: str = "table-benchmarks") -> DisplayTable:
    """Each benchmark check: segment, metric, your rate, the benchmark and the verdict.

    ``check_df`` is :func:`outreach_analytics.analysis.benchmarks.benchmark_check`.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> from outreach_analytics.analysis.benchmarks import benchmark_check
    >>> t = benchmark_table(benchmark_check(oa.load(oa.sample_path()), as_of="2026-11-15"))
    >>> t.frame.columns.tolist()
    ['segment', 'metric', 'your rate', 'benchmark', 'verdict', 'source']
    """
    shown = pd.DataFrame(
        {
            "segment": check_df["segment"].astype("str"),
            "metric": check_df["metric"].astype("str"),
            "your rate": [
                f"{fmt_pct(r, 1)} ({fmt_num(k)} of {fmt_num(n)})"
                for r, k, n in zip(
                    check_df["rate"], check_df["successes"], check_df["settled"], strict=True
                )
            ],
            "benchmark": check_df["benchmark"].astype("str"),
            "verdict": check_df["verdict"].astype("str"),
            "source": [
                f"{s} ({y})" for s, y in zip(check_df["source"], check_df["year"], strict=True)
            ],
        }
    )
    return display_table(shown, table_id, caption="Your rates against published benchmarks")
