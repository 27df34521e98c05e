"""The shareable HTML report: a parameterized notebook, executed and exported with code hidden.

:func:`render_report` runs the report notebook (``notebooks/report.ipynb``) with papermill in a
kernel of this very Python, then exports it with nbconvert's HTML exporter: code cells and
prompts hidden, plotly.js embedded once in the page head, and no require.js, MathJax, web font
or anything else fetched from the network, so the file opens offline. :func:`write_report`
writes that string to a file.

The notebook is thin: after loading the log, each cell calls one of the ``*_section``
functions below, which return a :class:`Section` that displays as HTML. Every piece of text
that comes from the log (client names, notes, channel names, skipped values) is HTML-escaped,
and element ids are fixed, so the same log, options and ``as_of`` give the same file.

Examples
--------
>>> import outreach_analytics as oa
>>> from outreach_analytics.present.report import headline_section
>>> s = oa.summarize(oa.load_report(oa.sample_path()), as_of="2026-11-15")
>>> page = headline_section(s).html
>>> 'id="kpi-actions"' in page and 'data-value="1000"' in page
True
"""

from __future__ import annotations

import dataclasses
import html
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.metrics import DEFAULT_WINDOW, funnel, pitches_per_win, rates, resolve_as_of
from ..analysis.stats import SMALL_SAMPLE
from ..errors import OutreachDataError
from ..model.load import load_report
from ..model.normalize import LoadReport

__all__ = [
    "SECTIONS",
    "REJECTION_GOAL",
    "Section",
    "anonymize",
    "channels_section",
    "consistency_section",
    "data_quality_section",
    "follow_ups_section",
    "funnel_section",
    "headline_section",
    "load_for_report",
    "methods_section",
    "notebook_path",
    "pitch_types_section",
    "pseudonyms",
    "render_report",
    "write_report",
]

#: The report's sections, as (element id, heading), in page order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("headline", "Outreach report"),
    ("funnel", "Funnel"),
    ("channels", "Channels"),
    ("pitch-types", "Pitch types"),
    ("consistency", "Consistency"),
    ("follow-ups", "Follow-ups due"),
    ("data-quality", "Data quality"),
    ("methods", "How the numbers are made"),
)
_TITLES = dict(SECTIONS)

#: The "no"s the consistency section counts toward (a rejection challenge).
REJECTION_GOAL = 100
#: Days after sending when a pitch with no answer and no follow-up is due one.
FOLLOW_UP_AFTER_DAYS = 5

_HERE = Path(__file__).resolve().parents[1]  # the package folder
_PACKAGED_NOTEBOOK = _HERE / "_notebooks" / "report.ipynb"
_SOURCE_NOTEBOOK = _HERE.parent / "notebooks" / "report.ipynb"
_TEMPLATE_NAME = "outreach_report.html.j2"


# --------------------------------------------------------------------------- helpers


def notebook_path() -> Path:
    """The report notebook: the copy inside an installed wheel, else the source tree's.

    Examples
    --------
    >>> notebook_path().name
    'report.ipynb'
    """
    for path in (_PACKAGED_NOTEBOOK, _SOURCE_NOTEBOOK):
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"The report notebook is missing (looked for {_PACKAGED_NOTEBOOK} and "
        f"{_SOURCE_NOTEBOOK}). Fix: reinstall outreach-analytics."
    )


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float | np.floating) and math.isnan(x)) or x is pd.NA


def _pct(x: Any, digits: int = 0) -> str:
    return "—" if _missing(x) else f"{float(x) * 100:.{digits}f}%"


def _pct_ci(low: Any, high: Any, digits: int = 0) -> str:
    if _missing(low) or _missing(high):
        return "—"
    return f"{float(low) * 100:.{digits}f}–{float(high) * 100:.{digits}f}%"


def _num(x: Any, digits: int = 0) -> str:
    return "—" if _missing(x) else f"{float(x):,.{digits}f}"


def _num_ci(low: Any, high: Any, digits: int = 0) -> str:
    if _missing(low) or _missing(high):
        return "—"
    return f"{float(low):,.{digits}f}–{float(high):,.{digits}f}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


@dataclasses.dataclass(frozen=True)
class Section:
    """One section of the report: a ``<section>`` with a heading, a lead sentence and a body.

    Displays as HTML in a notebook (``_repr_html_``); ``html`` is the markup.

    Examples
    --------
    >>> s = Section("methods", "How", "Read this <first>.", "<p>body</p>")
    >>> s.html.splitlines()[0]
    '<section id="methods" class="report-section">'
    >>> "Read this &lt;first&gt;." in s.html
    True
    """

    id: str
    title: str
    lead: str
    body: str
    level: int = 2

    @property
    def html(self) -> str:
        tag = f"h{self.level}"
        return (
            f'<section id="{_esc(self.id)}" class="report-section">\n'
            f'<{tag} id="{_esc(self.id)}-title">{_esc(self.title)}</{tag}>\n'
            f'<p class="lead">{_esc(self.lead)}</p>\n{self.body}\n</section>'
        )

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Section({self.id!r})"


def _figure(fig, name: str, caption: str = "") -> str:
    """A plotly figure as a div with a fixed id and its drawing script (no plotly.js)."""
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{name}",
        default_width="100%",
        config={"displaylogo": False, "responsive": True},
    )
    cap = f"<figcaption>{_esc(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart" id="figure-{name}">{div}{cap}</figure>'


def _table(
    frame: pd.DataFrame,
    table_id: str,
    *,
    numeric: Sequence[str] = (),
    nowrap: Sequence[str] = (),
) -> str:
    """A frame as an HTML table, every cell escaped; ``numeric`` columns right-aligned."""
    out = frame.to_html(
        index=False,
        escape=True,
        border=0,
        na_rep="—",
        table_id=table_id,
        classes=["data-table"],
        justify="left",
    )
    out = out.replace(' style="text-align: left;"', "")
    cols = list(frame.columns)
    rules = [
        f"#{table_id} td:nth-child({cols.index(c) + 1}),"
        f"#{table_id} th:nth-child({cols.index(c) + 1})"
        + ("{text-align:right;white-space:nowrap}" if c in numeric else "{white-space:nowrap}")
        for c in [*numeric, *nowrap]
        if c in cols
    ]
    if rules:
        out = f"<style>{''.join(rules)}</style>\n{out}"
    return f'<div class="table-wrap">{out}</div>'


def _note(text: str) -> str:
    return f'<p class="note">{_esc(text)}</p>'


def _empty(text: str) -> str:
    return f'<p class="empty">{_esc(text)}</p>'


# --------------------------------------------------------------------------- anonymizing


def pseudonyms(clients: pd.Series) -> dict[str, str]:
    """Stable pseudonyms for client names: ``Client 001``, ``Client 002``… by first appearance.

    The same name always gets the same pseudonym within a log; names are compared as
    written, after stripping surrounding spaces.

    Examples
    --------
    >>> pseudonyms(pd.Series(["Acme", "Birch", "Acme", None, " Birch"]))
    {'Acme': 'Client 001', 'Birch': 'Client 002'}
    """
    names = clients.dropna().astype("str").str.strip()
    names = names[names != ""]
    width = max(3, len(str(names.nunique())))
    return {name: f"Client {i:0{width}d}" for i, name in enumerate(pd.unique(names), start=1)}


def anonymize(report: LoadReport) -> LoadReport:
    """A copy of a loaded log with client names replaced by pseudonyms and notes dropped.

    Skipped values that are a client name or a note (or sit in the client or notes
    column) are replaced too, and client names quoted in the loader's notes.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> rep = anonymize(oa.load_report(oa.sample_path()))
    >>> rep.data["client"].str.match(r"Client \\d{3}$").all(), rep.data["notes"].isna().all()
    (np.True_, np.True_)
    """
    df = report.data
    names = pseudonyms(df["client"]) if "client" in df.columns else {}
    data = df.copy()
    if "client" in data.columns:
        data["client"] = data["client"].astype("str").str.strip().map(names).astype("str")
        data.loc[df["client"].isna().to_numpy(), "client"] = pd.NA
    if "notes" in data.columns:
        data["notes"] = pd.Series(pd.NA, index=data.index, dtype="str")
    secret = set(names)
    if "notes" in df.columns:
        secret |= set(df["notes"].dropna().astype("str").str.strip())
    secret.discard("")
    private_cols = {"client", "notes"}
    for key in ("client", "notes"):
        private_cols.update(report.columns.get(key, []))
    skipped = report.skipped.copy()
    if len(skipped):
        hide = skipped["column"].isin(private_cols) | skipped["value"].astype(
            "str"
        ).str.strip().isin(secret)
        skipped["value"] = skipped["value"].astype("str").where(~hide, "(hidden)")
    notes = list(report.notes)
    for name in sorted(names, key=len, reverse=True):
        notes = [n.replace(name, names[name]) for n in notes]
    return dataclasses.replace(report, data=data, skipped=skipped, notes=notes)


def load_for_report(
    source: str | os.PathLike | None = None,
    *,
    mapping: str | os.PathLike | None = None,
    columns: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    anonymize: bool = False,
    date_order: str | None = None,
    sheet: str | int | None = None,
) -> LoadReport:
    """Load a log as the report does: the bundled sample when no source is given.

    Examples
    --------
    >>> rep = load_for_report(anonymize=True)
    >>> rep.rows_used
    1000
    """
    if source is None:
        from ..sample import sample_path

        source = sample_path()
    rep = load_report(
        source,
        mapping=mapping,
        columns=dict(columns or {}),
        skip_invalid=skip_invalid,
        date_order=date_order,
        sheet=sheet,
    )
    return _anonymize(rep) if anonymize else rep


_anonymize = anonymize


# --------------------------------------------------------------------------- sections


def headline_section(summary: Mapping[str, Any]) -> Section:
    """The headline: actions, response rate with its 95% interval, wins, pitches per win.

    ``summary`` is :func:`outreach_analytics.summarize`'s dict.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> s = oa.summarize(oa.load_report(oa.sample_path()), as_of="2026-11-15")
    >>> 'id="kpi-response-rate"' in headline_section(s).html
    True
    """
    o = summary["overall"]
    rr, wr, ppw = o["response_rate"], o["win_rate"], o["pitches_per_win"]

    def kpi(key: str, label: str, value: Any, shown: str, sub: str, low=None, high=None) -> str:
        attrs = f' data-value="{_esc("" if value is None else value)}"'
        if low is not None or high is not None:
            attrs += f' data-low="{_esc("" if low is None else low)}"'
            attrs += f' data-high="{_esc("" if high is None else high)}"'
        return (
            f'<div class="kpi" id="kpi-{key}"><div class="kpi-label">{_esc(label)}</div>'
            f'<div class="kpi-value"{attrs}>{_esc(shown)}</div>'
            f'<div class="kpi-sub">{_esc(sub)}</div></div>'
        )

    cards = [
        kpi(
            "actions",
            "Actions",
            o["actions"],
            _num(o["actions"]),
            f"{o['settled']:,} settled · {o['pending']:,} pending",
        ),
        kpi(
            "response-rate",
            "Response rate",
            rr["value"],
            _pct(rr["value"]),
            f"95% CI {_pct_ci(rr['ci_low'], rr['ci_high'])} · "
            f"{o['responses']:,} of {o['settled']:,} settled"
            if o["settled"]
            else "nothing settled yet",
            rr["ci_low"],
            rr["ci_high"],
        ),
        kpi(
            "wins",
            "Wins",
            o["wins"],
            _num(o["wins"]),
            f"win rate {_pct(wr['value'], 1)} (95% CI {_pct_ci(wr['ci_low'], wr['ci_high'], 1)})"
            if o["settled"]
            else "nothing settled yet",
        ),
        kpi(
            "pitches-per-win",
            "Pitches per win",
            ppw["value"],
            _num(ppw["value"]),
            f"95% CI {_num_ci(ppw['ci_low'], ppw['ci_high'])}"
            if ppw["value"] is not None
            else "no win yet",
            ppw["ci_low"],
            ppw["ci_high"],
        ),
    ]
    source = str(summary.get("source") or "")
    source = Path(source).name if source and "://" not in source else source
    meta = (
        f'<p class="meta"><span id="meta-source">{_esc(source)}</span> · as of '
        f'<span id="meta-as-of">{_esc(summary["as_of"])}</span> · '
        f"{_esc(summary['window_days'])}-day answer window · "
        f"{_esc(_plural(summary['rows_used'], 'row'))} used</p>"
    )
    body = meta + '\n<div class="kpis">' + "".join(cards) + "</div>"
    return Section(
        "headline",
        _TITLES["headline"],
        "Start here: the response rate and pitches per win are the two numbers to improve; "
        "the range after each is how sure the log lets us be.",
        body,
        level=1,
    )


def funnel_section(df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW) -> Section:
    """The funnel of settled actions, where they end, and the response rate by week sent."""
    from ..analysis import activity
    from . import charts

    lead = (
        "Look for the biggest drop between two stages: that step is where more effort "
        "pays off most."
    )
    f = funnel(df, as_of=as_of, window=window)
    if int(f["count"].iloc[0]) == 0:
        return Section("funnel", _TITLES["funnel"], lead, _empty("No settled action yet."))
    parts = [_figure(charts.funnel_chart(f), "funnel")]
    shown = pd.DataFrame(
        {
            "stage": f["stage"].astype("str"),
            "actions": f["count"].map(_num),
            "from previous stage": f["conversion"].map(lambda x: _pct(x, 1)),
            "of all settled": f["share"].map(lambda x: _pct(x, 1)),
        }
    )
    parts.append(_table(shown, "table-funnel", numeric=list(shown.columns[1:])))
    flows = activity.outcome_flows(df, as_of=as_of, window=window)
    if len(flows):
        parts.append(
            _figure(charts.outcome_sankey(flows), "outcomes", "Where every settled action ended.")
        )
    cohorts = activity.weekly_cohorts(df, as_of=as_of, window=window)
    if cohorts["settled"].sum() > 0:
        parts.append(
            _figure(
                charts.cohort_chart(cohorts),
                "cohorts",
                "Response rate by the week the actions were sent; recent weeks "
                "still hold pending actions.",
            )
        )
    return Section("funnel", _TITLES["funnel"], lead, "\n".join(parts))


def _with_ci(value: str, ci: str) -> str:
    return value if ci == "—" else f"{value} ({ci})"


def _segment_table(records: Sequence[Mapping[str, Any]], key: str, table_id: str) -> str:
    rows = []
    for r in records:
        rr, ppw = r["response_rate"], r["pitches_per_win"]
        rows.append(
            {
                key.replace("_", " "): r[key] + (" †" if r["settled"] < SMALL_SAMPLE else ""),
                "actions": _num(r["actions"]),
                "settled": _num(r["settled"]),
                "response rate (95% CI)": _with_ci(
                    _pct(rr["value"]), _pct_ci(rr["ci_low"], rr["ci_high"])
                ),
                "interview rate": _pct(r["interview_rate"]["value"]),
                "wins": _num(r["wins"]),
                "pitches per win (95% CI)": _with_ci(
                    _num(ppw["value"]), _num_ci(ppw["ci_low"], ppw["ci_high"])
                ),
            }
        )
    frame = pd.DataFrame(rows)
    out = _table(frame, table_id, numeric=list(frame.columns[1:]))
    if any(r["settled"] < SMALL_SAMPLE for r in records):
        out += _note(
            f"† fewer than {SMALL_SAMPLE} settled actions: read the rate with its "
            "interval, not on its own."
        )
    return out


def _segment_parts(
    df: pd.DataFrame, summary: Mapping[str, Any], key: str, name: str, *, as_of, window: int
) -> list[str] | str:
    """Charts and table of one segmentation, or the sentence saying why there are none."""
    from . import charts

    records = summary["by_channel" if key == "channel" else "by_pitch_type"]
    label = key.replace("_", " ")
    values = df[key] if key in df.columns else pd.Series([], dtype="str")
    if not records or (values.isna() | (values.astype("str") == "unspecified")).all():
        return _empty(
            f"The log has no {label} column: map one with --column {key}=YOUR_COLUMN to "
            f"compare {label}s."
        )
    table = _segment_table(records, key, f"table-{name}s")
    if summary["overall"]["settled"] == 0:
        return [_note("No action has settled yet, so there is no rate to compare."), table]
    return [
        _figure(
            charts.rates_chart(
                rates(df, key, as_of=as_of, window=window), by=key, metric="response"
            ),
            f"{name}-rates",
        ),
        _figure(
            charts.pitches_per_win_chart(
                pitches_per_win(df, key, as_of=as_of, window=window), by=key
            ),
            f"{name}-pitches-per-win",
        ),
        table,
    ]


def channels_section(
    df: pd.DataFrame, summary: Mapping[str, Any], *, as_of=None, window: int = DEFAULT_WINDOW
) -> Section:
    """Response rates and pitches per win by channel, and what a win costs where logged."""
    from ..analysis import activity
    from . import charts

    lead = (
        "Compare the intervals, not just the dots: two channels whose ranges overlap may "
        "not really differ."
    )
    parts = _segment_parts(df, summary, "channel", "channel", as_of=as_of, window=window)
    if isinstance(parts, str):
        return Section("channels", _TITLES["channels"], lead, parts)
    cost = activity.cost_per_win(df, as_of=as_of, window=window)
    if cost["cost_per_win"].notna().any():
        parts.append(
            _figure(
                charts.cost_per_win_chart(cost),
                "cost-per-win",
                "What a win costs where the log records a cost per action (e.g. Upwork Connects).",
            )
        )
    return Section("channels", _TITLES["channels"], lead, "\n".join(parts))


def pitch_types_section(
    df: pd.DataFrame, summary: Mapping[str, Any], *, as_of=None, window: int = DEFAULT_WINDOW
) -> Section:
    """Response rates and pitches per win by pitch type."""
    lead = (
        "Look for the kind of pitch that gets answered most often for the effort, and "
        "do more of it."
    )
    parts = _segment_parts(df, summary, "pitch_type", "pitch-type", as_of=as_of, window=window)
    body = parts if isinstance(parts, str) else "\n".join(parts)
    return Section("pitch-types", _TITLES["pitch-types"], lead, body)


def consistency_section(
    df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW, goal: float | None = None
) -> Section:
    """Weekly activity against the goal, the calendar, streaks and the "no"s collected."""
    from ..analysis import activity
    from . import charts

    day = resolve_as_of(as_of)
    lead = (
        "Look for steady weeks rather than bursts: outreach pays off through volume "
        'kept up over time, and every "no" is a step toward the next yes.'
    )
    if df["date"].notna().sum() == 0:
        return Section("consistency", _TITLES["consistency"], lead, _empty("No dated action."))
    weekly = activity.weekly_activity(df, goal, until=day)
    st = activity.streaks(df, goal, as_of=day)
    need = "at least one action" if goal is None else f"{_num(goal)} actions"
    facts = [
        (
            "streak-weeks",
            "Weeks in a row meeting the goal",
            st["current_weeks"],
            f"longest {st['longest_weeks']} · goal: {need} a week",
        ),
        (
            "streak-days",
            "Days in a row with an action",
            st["current_days"],
            f"longest {st['longest_days']}",
        ),
        (
            "this-week",
            "This week so far",
            st["this_week_actions"],
            "goal met" if st["this_week_met"] else f"goal: {need}",
        ),
    ]
    nos = activity.rejections_over_time(df, as_of=day, window=window)
    total_nos = int(nos["cumulative"].iloc[-1]) if len(nos) else 0
    facts.append(
        (
            "nos",
            f'"No"s toward {REJECTION_GOAL}',
            total_nos,
            "goal reached"
            if total_nos >= REJECTION_GOAL
            else f"{REJECTION_GOAL - total_nos} to go",
        )
    )
    cards = "".join(
        f'<div class="kpi small" id="kpi-{k}"><div class="kpi-label">{_esc(label)}</div>'
        f'<div class="kpi-value" data-value="{_esc(v)}">{_esc(_num(v))}</div>'
        f'<div class="kpi-sub">{_esc(sub)}</div></div>'
        for k, label, v, sub in facts
    )
    parts = [f'<div class="kpis">{cards}</div>']
    parts.append(_figure(charts.weekly_goal_chart(weekly), "weekly-goal"))
    if goal is None:
        parts.append(_note("No weekly goal was set: pass --goal N to draw one."))
    parts.append(
        _figure(charts.activity_calendar(activity.daily_activity(df, until=day)), "calendar")
    )
    if len(nos):
        parts.append(_figure(charts.rejections_chart(nos, goal=REJECTION_GOAL), "nos"))
    return Section("consistency", _TITLES["consistency"], lead, "\n".join(parts))


def _notes_of(df: pd.DataFrame, rows: pd.DataFrame) -> pd.Series | None:
    """The notes of the log rows listed in ``rows``, matched by ``source_row``."""
    if "notes" not in df.columns or "source_row" not in rows.columns or df["notes"].isna().all():
        return None
    by_row = df.drop_duplicates("source_row").set_index("source_row")["notes"]
    return rows["source_row"].map(by_row)


def follow_ups_section(
    df: pd.DataFrame,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    after_days: int = FOLLOW_UP_AFTER_DAYS,
) -> Section:
    """Actions still waiting past the follow-up day and not yet followed up."""
    from ..analysis import activity

    lead = (
        f"Send these a short follow-up: each was sent at least {after_days} days ago, has "
        "no answer and was never followed up."
    )
    due = activity.follow_ups_due(df, as_of=as_of, after_days=after_days, window=window)
    shown = pd.DataFrame(
        {
            "sent": due["date"].dt.strftime("%Y-%m-%d"),
            "channel": due.get("channel"),
            "pitch type": due.get("pitch_type"),
            "client": due.get("client"),
            "days waiting": due["days_waiting"].astype("int64"),
            "row in sheet": due.get("source_row"),
            "notes": _notes_of(df, due),
        }
    ).dropna(axis=1, how="all")
    right = ["days waiting", "row in sheet"]
    now = shown[(due["status"] == "due").to_numpy()]
    late = shown[(due["status"] == "ghosted").to_numpy()]
    parts = []
    if len(now):
        parts.append(f"<h3>Due now ({len(now):,})</h3>")
        parts.append(_table(now, "table-follow-ups", numeric=right, nowrap=["sent"]))
    else:
        parts.append(
            _empty(
                "Nothing is due: every pitch inside the answer window has an "
                "answer, a follow-up, or is younger than "
                f"{after_days} days."
            )
        )
    if len(late):
        parts.append(
            f"<details><summary>Gone quiet: {_plural(len(late), 'pitch', 'pitches')} past the "
            f"{window}-day answer window, never followed up (one last nudge, or let go)"
            "</summary>"
            + _table(late, "table-gone-quiet", numeric=right, nowrap=["sent"])
            + "</details>"
        )
    return Section("follow-ups", _TITLES["follow-ups"], lead, "\n".join(parts))


def data_quality_section(report: LoadReport) -> Section:
    """Rows read, used, skipped and blank, every skipped row, and the loader's notes."""
    lead = (
        "Check that the rows read add up and that nothing you care about was skipped; "
        "fix the listed cells in your sheet and run the report again."
    )
    counts = pd.DataFrame(
        {
            "rows read": [report.rows_read],
            "used": [report.rows_used],
            "skipped": [report.rows_skipped],
            "blank": [report.rows_blank],
        }
    )
    parts = [_table(counts.map(_num), "table-row-counts", numeric=list(counts.columns))]
    if len(report.skipped):
        sk = report.skipped[["row", "column", "value", "reason"]].copy()
        sk["row"] = sk["row"].astype("int64")
        parts.append(f"<h3>Skipped rows ({report.rows_skipped:,})</h3>")
        parts.append(_table(sk, "table-skipped", numeric=["row"]))
    else:
        parts.append(_empty("No row was skipped."))
    if report.blank_rows:
        rows = ", ".join(str(r) for r in report.blank_rows)
        parts.append(_note(f"Blank rows (nothing but empty cells or placeholders): {rows}."))
    for note in report.notes:
        parts.append(_note(f"Note: {note}."))
    return Section("data-quality", _TITLES["data-quality"], lead, "\n".join(parts))


def methods_section(*, as_of=None, window: int = DEFAULT_WINDOW) -> Section:
    """A short note on pending, settled and the 95% Wilson intervals."""
    day = resolve_as_of(as_of).date().isoformat()
    items = [
        f"<b>Pending</b>: an action still at “sent” with no outcome, sent fewer than {window} "
        f"days before {day}. It may still get an answer, so it is left out of every rate.",
        f"<b>Settled</b>: every other action. A pitch with no answer after {window} days "
        "counts as no response. Rates are over settled actions: response rate = settled "
        "actions that got at least a reply / settled actions; interview and win rates alike.",
        "<b>95% intervals</b>: Wilson score intervals for a proportion, which stay inside "
        "0–100% and behave well for small counts. Pitches per win is settled actions / wins; "
        "its interval is the win rate's Wilson interval inverted.",
        "<b>Follow-ups due</b>: pitches with no answer and no follow-up recorded, sent at "
        f"least {FOLLOW_UP_AFTER_DAYS} days before {day}.",
        '<b>"No"s</b>: rejections, plus pitches that got no answer within the window.',
    ]
    body = '<ul class="methods">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    return Section(
        "methods", _TITLES["methods"], "Read this once to know what each number counts.", body
    )


# --------------------------------------------------------------------------- rendering

_CSS = """
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#e3e7ec; --bg:#ffffff; --panel:#f6f8fa;
        --accent:#1f6f8b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       "Noto Sans", "Liberation Sans", sans-serif; }
main.report { max-width: 1080px; margin: 0 auto; padding: 24px 24px 64px; }
.report-section { margin: 0 0 40px; }
h1 { font-size: 28px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 0 0 4px; padding-top: 20px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
p.meta { color: var(--muted); margin: 0 0 16px; font-size: 14px; }
p.note { color: var(--muted); font-size: 13px; margin: 6px 0; overflow-wrap: anywhere; }
p.empty { background: var(--panel); padding: 10px 14px; border-radius: 6px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px;
        margin: 8px 0 16px; }
.kpi { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
       padding: 12px 16px; }
.kpi-label { font-size: 13px; color: var(--muted); text-transform: uppercase;
             letter-spacing: .04em; }
.kpi-value { font-size: 30px; font-weight: 650; color: var(--accent); line-height: 1.2; }
.kpi.small .kpi-value { font-size: 24px; }
.kpi-sub { font-size: 13px; color: var(--muted); }
figure.chart { margin: 8px 0 20px; }
figure.chart figcaption { color: var(--muted); font-size: 13px; margin-top: 2px; }
.table-wrap { overflow-x: auto; margin: 8px 0 12px; }
table.data-table { border-collapse: collapse; font-size: 14px; min-width: 50%; }
table.data-table th, table.data-table td { padding: 5px 10px; border-bottom: 1px solid var(--line);
  text-align: left; vertical-align: top; }
table.data-table td { max-width: 420px; overflow-wrap: anywhere; }
table.data-table th { background: var(--panel); font-weight: 600; vertical-align: bottom; }
table.data-table tbody tr:nth-child(even) td { background: #fbfcfd; }
details { margin: 8px 0; }
details summary { cursor: pointer; color: var(--accent); }
ul.methods li { margin: 4px 0; }
@media print { .report-section { break-inside: avoid-page; } }
"""

_TEMPLATE = """{%- extends 'classic/base.html.j2' -%}
{%- block header -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="outreach-analytics">
<title>{{ resources.report_title | escape_html }}</title>
<style>{{ resources.report_css }}</style>
<script type="text/javascript" id="plotlyjs">{{ resources.report_plotlyjs }}</script>
</head>
<body>
<main class="report">
{%- endblock header -%}
{% block stream_stdout %}{% endblock stream_stdout %}
{% block stream_stderr %}{% endblock stream_stderr %}
{% block footer %}
</main>
</body>
</html>
{% endblock footer %}
"""


def _kernel_manager_class():
    """An nbclient kernel manager whose ``python3`` kernel is this very interpreter.

    The kernelspec found on disk (``share/jupyter/kernels/python3``, or a user's own) may
    name another Python; the report's kernel must import this environment's packages.
    On POSIX the kernel talks over local (IPC) sockets in a private temporary directory
    rather than over TCP ports.
    """
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from traitlets import default

    class _ThisPythonSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            spec = get_kernel_dict()
            spec["argv"][0] = sys.executable
            return KernelSpec(resource_dir=RESOURCES, **spec)

    class _ThisPythonKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _default_specs(self):
            return _ThisPythonSpecs(data_dir=self.data_dir)

        @default("transport")
        def _default_transport(self):  # local sockets: nothing listens on a TCP port
            return "ipc" if os.name == "posix" else "tcp"

        @default("ip")
        def _default_ip(self):
            if self.transport != "ipc":
                return "127.0.0.1"
            # a private directory per kernel: jupyter_client's default ("kernel-ipc" in the
            # working directory) lets two kernels started at once pick the same sockets
            self._ipc_dir = tempfile.mkdtemp(prefix="outreach-kernel-")
            return os.path.join(self._ipc_dir, "kernel")

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart and getattr(self, "_ipc_dir", None):
                shutil.rmtree(self._ipc_dir, ignore_errors=True)

    return _ThisPythonKernelManager


def _parameters(source, **options: Any) -> dict[str, Any]:
    def local(p):
        if p is None:
            return None
        text = os.fspath(p)
        if "://" in text or text.startswith("gsheet:"):
            return text
        return str(Path(text).expanduser().resolve())

    params = {"source": local(source), "mapping": local(options.pop("mapping", None))}
    as_of = options.pop("as_of", None)
    params["as_of"] = None if as_of is None else resolve_as_of(as_of).date().isoformat()
    columns = options.pop("columns", None)
    params["columns"] = dict(columns) if columns else None
    params.update(options)
    return params


def _prepare_execution():
    """Import what running the notebook needs, in the calling thread; the manager class.

    ``render_report`` imports nbconvert in the main thread while the notebook runs in
    another; jupyter_client's modules import each other, and importing them from two
    threads at once can leave one of them half-initialized. So they are imported first.
    """
    import papermill  # noqa: F401  (imports nbclient and jupyter_client whole)
    import zmq.asyncio  # noqa: F401
    from jupyter_client.provisioning import local_provisioner  # noqa: F401

    return _kernel_manager_class()


def _execute(
    parameters: Mapping[str, Any],
    *,
    progress: bool = False,
    notebook=None,
    kernel_manager_class=None,
):
    """Run the report notebook with papermill; OutreachDataError from the kernel re-raised."""
    import logging

    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    manager = kernel_manager_class or _prepare_execution()
    logging.getLogger("papermill").setLevel(logging.WARNING)
    try:
        return pm.execute_notebook(
            str(notebook or notebook_path()),
            None,
            parameters=dict(parameters),
            kernel_name="python3",
            language="python",
            progress_bar=progress,
            request_save_on_cell_execute=False,
            start_timeout=120,
            kernel_manager_class=manager,
        )
    except PapermillExecutionError as err:
        if err.ename == "OutreachDataError":
            raise OutreachDataError(str(err.evalue)) from None
        raise


def _exporter():
    """nbconvert's HTML exporter with the report's template: code and prompts hidden."""
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="classic",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def _export(nb, title: str, exporter=None) -> str:
    """The executed notebook as one self-contained HTML page, plotly.js in its head."""
    from plotly.offline import get_plotlyjs

    resources = {
        "report_title": title,
        "report_css": _CSS,
        "report_plotlyjs": get_plotlyjs(),
        "metadata": {"name": title},
    }
    shown = nb.copy()
    # cells without output (parameters, loading) would leave empty divs, and papermill's
    # injected cell a random id: keep only the cells that show something
    shown.cells = [c for c in nb.cells if c.get("outputs")]
    body, _ = (exporter or _exporter()).from_notebook_node(shown, resources=resources)
    return body


def render_report(
    source: str | os.PathLike | None = None,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    goal: float | None = None,
    anonymize: bool = False,
    mapping: str | os.PathLike | None = None,
    columns: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    date_order: str | None = None,
    sheet: str | int | None = None,
    progress: bool = False,
) -> str:
    """Render the HTML report of a log and return it as a string.

    The log is loaded once here first, so that a log that cannot be used raises
    :class:`~outreach_analytics.errors.OutreachDataError` (with its table of failures)
    before any kernel starts; then ``report.ipynb`` is executed with papermill and
    exported with code hidden.

    Parameters
    ----------
    source : str or path, optional
        A CSV/TSV or ``.xlsx`` file or a Google Sheets URL; default the bundled sample.
    as_of : date-like, optional
        Count as of this day; default today.
    window : int, default 14
        Days a pitch may wait for an answer before it counts as no response.
    goal : float, optional
        Actions per week the user aims for.
    anonymize : bool, default False
        Replace client names by pseudonyms (``Client 001``…) and drop notes.
    mapping, columns, skip_invalid, date_order, sheet
        As for :func:`outreach_analytics.load_report`.
    progress : bool, default False
        Show papermill's progress bar on stderr.

    Returns
    -------
    str
        A complete HTML document that needs no network.
    """
    if goal is not None and not goal > 0:
        raise OutreachDataError(
            f"--goal must be a positive number of actions per week; got {goal}."
        )
    day = resolve_as_of(as_of)
    loader = {
        "mapping": mapping,
        "columns": columns,
        "skip_invalid": skip_invalid,
        "date_order": date_order,
        "sheet": sheet,
    }
    load_for_report(source, **loader)  # user errors surface here, with their failure table
    params = _parameters(
        source, as_of=day, window=int(window), goal=goal, anonymize=bool(anonymize), **loader
    )
    manager = _prepare_execution()
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(_execute, params, progress=progress, kernel_manager_class=manager)
        exporter = _exporter()  # import nbconvert while the kernel works
        nb = running.result()
    return _export(nb, f"Outreach report, as of {day.date().isoformat()}", exporter)


def write_report(
    path: str | os.PathLike, source: str | os.PathLike | None = None, **options: Any
) -> Path:
    """Render the report (see :func:`render_report`) and write it to ``path`` as UTF-8.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    out = Path(path)
    text = render_report(source, **options)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
