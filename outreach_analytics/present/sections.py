"""The report's sections: what each one shows, as blocks that ``templates/section.html.j2`` lays out.

A :class:`Section` is an id, a heading, a one-sentence lead and a list of blocks: display
tables (:mod:`outreach_analytics.present.tables`), plotly figures (:func:`figure`), KPI cards
(:func:`kpis`), notes. It displays as HTML in a notebook and in the report, rendered by the
Jinja2 template with autoescaping on, so every text that comes from the log is escaped; the
tables escape their own cells. Element ids are fixed, so the same log, options and ``as_of``
give the same page.

Adding a section: write a function here that returns ``Section(id, title, lead, [blocks])``
(a block is ``table(tables.x(...))`` or ``figure(charts.y(...), name)``), add its
``(id, title)`` to :data:`SECTIONS` and one cell calling it to ``templates/report.ipynb``.

Examples
--------
>>> import outreach_analytics as oa
>>> s = oa.summarize(oa.load_report(oa.sample_path()), as_of="2026-11-15")
>>> page = headline_section(s).html
>>> 'id="kpi-actions"' in page and 'data-value="1000"' in page
True
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.metrics import (
    DEFAULT_WINDOW,
    counts,
    funnel,
    pitches_per_win,
    rates_from_counts,
    resolve_as_of,
)
from ..analysis.summary import UNRECORDED
from ..analysis.text import plural
from ..model.normalize import LoadReport
from . import tables
from .tables import fmt_num, fmt_pct

__all__ = [
    "FOLLOW_UP_AFTER_DAYS",
    "SECTIONS",
    "Section",
    "benchmarks_section",
    "channels_section",
    "consistency_section",
    "data_quality_section",
    "figure",
    "follow_ups_section",
    "funnel_section",
    "headline_section",
    "kpis",
    "methods_section",
    "next_win_section",
    "pitch_types_section",
    "preload",
    "time_to_reply_section",
]

#: The report's sections, as (element id, heading), in page order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("headline", "Outreach report"),
    ("funnel", "Funnel"),
    ("channels", "Channels"),
    ("pitch-types", "Pitch types"),
    ("next-win", "The next win"),
    ("time-to-reply", "Time to reply"),
    ("benchmarks", "Against published benchmarks"),
    ("consistency", "Consistency"),
    ("follow-ups", "Follow-ups due"),
    ("data-quality", "Data quality"),
    ("methods", "How the numbers are made"),
)
_TITLES = dict(SECTIONS)

#: Days after sending when a pitch with no answer and no follow-up is due one.
FOLLOW_UP_AFTER_DAYS = 5

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclasses.dataclass(frozen=True)
class Section:
    """One section of the report: a ``<section>`` with a heading, a lead sentence and blocks.

    Displays as HTML in a notebook (``_repr_html_``); ``html`` is the markup, rendered by
    ``templates/section.html.j2``.

    Examples
    --------
    >>> s = Section("methods", "How", "Read this <first>.", [note("a & b")])
    >>> s.html.splitlines()[0]
    '<section id="methods" class="report-section">'
    >>> "Read this &lt;first&gt;." in s.html and '<p class="note">a &amp; b</p>' in s.html
    True
    """

    id: str
    title: str
    lead: str
    blocks: Sequence[Mapping[str, Any]] = ()
    level: int = 2

    @property
    def html(self) -> str:
        return _environment().get_template("section.html.j2").render(section=self)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Section({self.id!r})"


def preload() -> None:
    """Import what the sections import lazily and compile the section template.

    The report's kernel runs this while the report's process reads the log, so that the
    sections find everything loaded. A section that imports a new module lazily should
    name it here too (else the report only gets slower).

    Examples
    --------
    >>> preload()
    """
    # compare's optimisers and benchmarks' binomial test, imported where they run
    import scipy.optimize  # noqa: F401
    import scipy.stats  # noqa: F401

    from ..analysis import (  # noqa: F401
        activity,
        benchmarks,
        challenge,
        compare,
        follow_ups,
        forecast,
        survival,
    )
    from . import charts  # noqa: F401

    _environment().get_template("section.html.j2")


# --------------------------------------------------------------------------- blocks


def table(t: tables.DisplayTable) -> dict:
    """A display table as a block."""
    return {"kind": "table", "table": t}


def figure(fig, name: str, caption: str = "") -> dict:
    """A plotly figure as a block: a div with the fixed id ``chart-<name>`` (no plotly.js)."""
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{name}",
        default_width="100%",
        config={"displaylogo": False, "responsive": True},
    )
    return {"kind": "figure", "name": name, "html": div, "caption": caption}


def kpis(cards: Sequence[Mapping[str, Any]], *, small: bool = False) -> dict:
    """KPI cards; each card has ``key``, ``label``, ``value``, ``shown``, ``sub`` and, for an
    estimate with an interval, ``low`` and ``high``."""
    cards = [{"interval": "low" in c or "high" in c, "low": None, "high": None, **c} for c in cards]
    return {"kind": "kpis", "cards": cards, "small": small}


def note(text: str) -> dict:
    return {"kind": "note", "text": text}


def empty(text: str) -> dict:
    return {"kind": "empty", "text": text}


def heading(text: str) -> dict:
    return {"kind": "heading", "text": text}


def _unrecorded(key: str, lead: str, what: str) -> Section:
    """The section of a log that records no outcomes: one sentence saying what it lacks."""
    return Section(
        key,
        _TITLES[key],
        lead,
        [
            empty(
                f"{UNRECORDED.capitalize()}, so {what}. "
                "Fix: add a Status column (Replied, Interview, Offer, Won, Rejected...) or "
                "a date column per stage, and run the report again."
            )
        ],
    )


# --------------------------------------------------------------------------- sections


def headline_section(summary: Mapping[str, Any]) -> Section:
    """The headline: actions, response rate with its 95% interval, wins, pitches per win.

    ``summary`` is :func:`outreach_analytics.summarize`'s dict.
    """
    o = summary["overall"]
    rr, wr, ppw = o["response_rate"], o["win_rate"], o["pitches_per_win"]
    head = (summary.get("headline") or {}).get("response_rate")
    km = head is not None and head.get("method") == "kaplan-meier" and head["value"] is not None
    if km:
        rr = head
    settled = bool(o["settled"])
    # a log of actions only (no status or stage column): its zeros are not outcomes
    unrecorded = summary.get("outcomes_recorded") is False

    def ci(r: Mapping[str, Any], pct: bool = True, digits: int = 0) -> str:
        low, high = r["ci_low"], r["ci_high"]
        if low is None or high is None:
            return "—"
        if pct:
            return f"{low * 100:.{digits}f}–{high * 100:.{digits}f}%"
        return f"{low:,.{digits}f}–{high:,.{digits}f}"

    cards = [
        {
            "key": "actions",
            "label": "Actions",
            "value": o["actions"],
            "shown": fmt_num(o["actions"]),
            "sub": f"{o['settled']:,} settled · {o['pending']:,} pending",
        },
        {
            "key": "response-rate",
            "label": "Response rate",
            "value": rr["value"],
            "shown": fmt_pct(rr["value"]),
            "sub": UNRECORDED
            if unrecorded
            else (
                f"95% CI {ci(rr)} · Kaplan–Meier over {plural(o['actions'], 'action')} "
                "(recent ones count for the time they have had)"
            )
            if km
            else f"95% CI {ci(rr)} · {o['responses']:,} of {o['settled']:,} settled "
            f"({(head or {}).get('method') or 'window rule'})"
            if settled
            else "nothing settled yet",
            "low": rr["ci_low"],
            "high": rr["ci_high"],
        },
        {
            "key": "wins",
            "label": "Wins",
            "value": o["wins"],
            "shown": fmt_pct(None) if unrecorded else fmt_num(o["wins"]),
            "sub": "not recorded in the log"
            if unrecorded
            else f"win rate {fmt_pct(wr['value'], 1)} (95% CI {ci(wr, digits=1)})"
            if settled
            else "nothing settled yet",
        },
        {
            "key": "pitches-per-win",
            "label": "Pitches per win",
            "value": ppw["value"],
            "shown": tables.fmt_interval(ppw["value"], ppw["ci_low"], ppw["ci_high"], pct=False)
            if ppw["value"] is None
            else fmt_num(ppw["value"]),
            "sub": "not claimed: no outcomes recorded"
            if unrecorded
            else f"95% CI {ci(ppw, pct=False)}"
            if ppw["value"] is not None
            else "no win yet: at least this many, 95% sure"
            if ppw["ci_low"] is not None
            else "no win yet",
            "low": ppw["ci_low"],
            "high": ppw["ci_high"],
        },
    ]
    source = str(summary.get("source") or "")
    source = Path(source).name if source and "://" not in source else source
    meta = {
        "kind": "meta",
        "source": source,
        "as_of": summary["as_of"],
        "window": summary["window_days"],
        "rows": f"{plural(summary['rows_used'], 'row')} used",
    }
    return Section(
        "headline",
        _TITLES["headline"],
        "Start here: the response rate and pitches per win are the two numbers to improve; "
        "the range after each is how sure the log lets us be.",
        [meta, kpis(cards)],
        level=1,
    )


def funnel_section(
    df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW, outcomes: bool = True
) -> Section:
    """The funnel of settled actions, where they end, and the response rate by week sent.

    ``outcomes`` is false for a log that records actions only
    (:attr:`~outreach_analytics.model.normalize.LoadReport.records_outcomes`): its section
    says so instead of drawing a funnel of zeros.
    """
    from ..analysis import activity
    from . import charts

    lead = (
        "Look for the biggest drop between two stages: that step is where more effort "
        "pays off most."
    )
    if not outcomes:
        return _unrecorded("funnel", lead, "there is no funnel to draw: every row is a sent action")
    f = funnel(df, as_of=as_of, window=window)
    if int(f["count"].iloc[0]) == 0:
        return Section("funnel", _TITLES["funnel"], lead, [empty("No settled action yet.")])
    blocks = [figure(charts.funnel_chart(f), "funnel"), table(tables.funnel_table(f))]
    flows = activity.outcome_flows(df, as_of=as_of, window=window)
    if len(flows):
        blocks.append(
            figure(charts.outcome_sankey(flows), "outcomes", "Where every settled action ended.")
        )
    cohorts = activity.weekly_cohorts(df, as_of=as_of, window=window)
    if cohorts["settled"].sum() > 0:
        blocks.append(
            figure(
                charts.cohort_chart(cohorts),
                "cohorts",
                "Response rate by the week the actions were sent; recent weeks "
                "still hold pending actions.",
            )
        )
    return Section("funnel", _TITLES["funnel"], lead, blocks)


def _segment_blocks(
    df: pd.DataFrame, summary: Mapping[str, Any], key: str, name: str, *, as_of, window: int
) -> list[dict]:
    """Charts and table of one segmentation, or the sentence saying why there are none."""
    from . import charts

    label = key.replace("_", " ")
    values = df[key] if key in df.columns else pd.Series([], dtype="str")
    if not len(values) or (values.isna() | (values.astype("str") == "unspecified")).all():
        return [
            empty(
                f"The log has no {label} column: map one with --column {key}=YOUR_COLUMN to "
                f"compare {label}s."
            )
        ]
    n = counts(df, key, as_of=as_of, window=window)  # counted once: rates, comparison
    if summary.get("outcomes_recorded") is False:
        shown = tables.display_table(
            n[[key, "actions"]].rename(columns={key: label}),
            f"table-{name}s",
            numeric=("actions",),
        )
        return [
            note(
                f"{UNRECORDED.capitalize()}, so {label}s are "
                "not compared: only the actions sent through each are counted."
            ),
            table(shown),
        ]
    r = rates_from_counts(n)
    p = pitches_per_win(df, key, as_of=as_of, window=window)
    t = table(tables.segment_table(n, r, p, by=key, table_id=f"table-{name}s"))
    if summary["overall"]["settled"] == 0:
        return [note("No action has settled yet, so there is no rate to compare."), t]
    from ..analysis.compare import compare_counts

    c = compare_counts(n, key)
    return [
        figure(charts.rates_chart(r, by=key, metric="response"), f"{name}-rates"),
        figure(charts.pitches_per_win_chart(p, by=key), f"{name}-pitches-per-win"),
        t,
        heading(f"Which {label} is best"),
        note(c.verdict),
        figure(charts.comparison_chart(c.summary), f"{name}-comparison"),
        table(tables.comparison_table(c.summary, key, table_id=f"table-{name}-comparison")),
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
    blocks = _segment_blocks(df, summary, "channel", "channel", as_of=as_of, window=window)
    if any(b["kind"] == "table" for b in blocks) and summary["overall"]["settled"] > 0:
        cost = activity.cost_per_win(df, as_of=as_of, window=window)
        if cost["cost_per_win"].notna().any():
            blocks.append(
                figure(
                    charts.cost_per_win_chart(cost),
                    "cost-per-win",
                    "What a win costs where the log records a cost per action "
                    "(e.g. Upwork Connects).",
                )
            )
    return Section("channels", _TITLES["channels"], lead, blocks)


def pitch_types_section(
    df: pd.DataFrame, summary: Mapping[str, Any], *, as_of=None, window: int = DEFAULT_WINDOW
) -> Section:
    """Response rates and pitches per win by pitch type."""
    lead = (
        "Look for the kind of pitch that gets answered most often for the effort, and "
        "do more of it."
    )
    blocks = _segment_blocks(df, summary, "pitch_type", "pitch-type", as_of=as_of, window=window)
    return Section("pitch-types", _TITLES["pitch-types"], lead, blocks)


def consistency_section(
    df: pd.DataFrame,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    goal: float | None = None,
    outcomes: bool = True,
) -> Section:
    """Weekly activity against the goal, the calendar, streaks and the "no"s collected.

    In a log that records no outcomes (``outcomes`` false) the challenge claims no wins.
    """
    from ..analysis import activity
    from . import charts

    day = resolve_as_of(as_of)
    lead = (
        "Look for steady weeks rather than bursts: outreach pays off through volume "
        'kept up over time, and every "no" is a step toward the next yes.'
    )
    if df["date"].notna().sum() == 0:
        return Section("consistency", _TITLES["consistency"], lead, [empty("No dated action.")])
    weekly = activity.weekly_activity(df, goal, until=day)
    st = activity.streaks(df, goal, as_of=day)
    need = "at least one action" if goal is None else f"{fmt_num(goal)} actions"
    from ..analysis.challenge import challenge

    nos = activity.rejections_over_time(df, as_of=day, window=window)
    ch = challenge(df, as_of=day, window=window, outcomes=outcomes)
    to_go = ch.next_goal - ch.no_count
    cards = [
        {
            "key": "streak-weeks",
            "label": "Weeks in a row meeting the goal",
            "value": st["current_weeks"],
            "sub": f"longest {st['longest_weeks']} · goal: {need} a week",
        },
        {
            "key": "streak-days",
            "label": "Days in a row with an action",
            "value": st["current_days"],
            "sub": f"longest {st['longest_days']}",
        },
        {
            "key": "this-week",
            "label": "This week so far",
            "value": st["this_week_actions"],
            "sub": "goal met" if st["this_week_met"] else f"goal: {need}",
        },
        {
            "key": "nos",
            "label": f'"No"s toward {ch.next_goal:,}',
            "value": ch.no_count,
            "sub": f"{plural(ch.rejections, 'rejection')} + {plural(ch.silences, 'silence')}"
            f" · next rung {ch.next_goal:,}: {to_go:,} to go"
            + (
                f", about {ch.projected_date.date().isoformat()} at the recent pace"
                if ch.projected_date is not None
                else ""
            ),
        },
    ]
    blocks = [
        kpis([{**c, "shown": fmt_num(c["value"])} for c in cards], small=True),
        figure(charts.weekly_goal_chart(weekly), "weekly-goal"),
    ]
    if goal is None:
        blocks.append(note("No weekly goal was set: pass --goal N to draw one."))
    blocks.append(
        figure(charts.activity_calendar(activity.daily_activity(df, until=day)), "calendar")
    )
    if len(nos):
        blocks.append(figure(charts.challenge_chart(nos, ch.summary), "nos"))
        blocks.append(note(ch.verdict + "."))
    return Section("consistency", _TITLES["consistency"], lead, blocks)


def next_win_section(
    df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW, outcomes: bool = True
) -> Section:
    """The next-win forecast: the chance curve, pitches for 50/80/95%, expected wins, the date.

    Below :data:`~outreach_analytics.analysis.forecast.MIN_WINS_FOR_FORECAST` wins there
    is no forecast to draw: the section says the floor on pitches per win, in a note and a
    table, and why. A log that records no outcomes (``outcomes`` false) gets one sentence.
    """
    from ..analysis.forecast import MIN_WINS_FOR_FORECAST, next_win
    from . import charts

    lead = (
        "Read this as the road ahead: how many more pitches the next win is likely to take, "
        "and by when at your recent pace."
    )
    if not outcomes:
        return _unrecorded("next-win", lead, "no win is known to forecast the next from")
    nw = next_win(df, as_of=as_of, window=window)
    if not nw.enough:
        blocks = [
            note(nw.verdict + "."),
            table(tables.next_win_table(nw)),
            note(
                f"{plural(nw.wins, 'win')} in {plural(nw.settled, 'settled action')}: "
                f"too few to say when the next is likely. From {MIN_WINS_FOR_FORECAST} wins "
                "this section forecasts it."
            ),
        ]
        return Section("next-win", _TITLES["next-win"], lead, blocks)
    blocks = [
        note(nw.verdict + "."),
        figure(charts.next_win_chart(nw.curve, nw.pitches), "next-win"),
        table(tables.next_win_table(nw)),
    ]
    return Section("next-win", _TITLES["next-win"], lead, blocks)


def time_to_reply_section(df: pd.DataFrame, *, as_of=None, outcomes: bool = True) -> Section:
    """How fast answers come (Kaplan–Meier), the ghosting day, and what follow-ups bring.

    A log that records no outcomes (``outcomes`` false) gets one sentence.
    """
    from ..analysis import follow_ups as fu
    from ..analysis.survival import time_to_response
    from . import charts

    lead = (
        "Look for the day after which an answer almost never comes: that is when to "
        "follow up, or let go."
    )
    if not outcomes:
        return _unrecorded("time-to-reply", lead, "how long answers take cannot be told")
    t = time_to_response(df, "channel" if "channel" in df.columns else None, as_of=as_of)
    km = t.overall
    if not t.dated or km.events == 0:
        return Section(
            "time-to-reply",
            _TITLES["time-to-reply"],
            lead,
            [empty("The log has too few reply dates to tell how long answers take.")],
        )
    ghost = km.ghosting_day if np.isfinite(km.ghosting_day) else None
    lo, hi = km.eventual_ci
    cards = [
        {
            "key": "median-reply",
            "label": "Median days to a reply",
            "value": float(km.median_days) if np.isfinite(km.median_days) else None,
            "shown": fmt_num(km.median_days) if np.isfinite(km.median_days) else "—",
            "sub": "among pitches that get one",
        },
        {
            "key": "eventual-rate",
            "label": "Eventually answered",
            "value": float(km.eventual_rate),
            "shown": fmt_pct(km.eventual_rate),
            "sub": f"95% CI {fmt_pct(lo)}–{fmt_pct(hi)}",
            "low": float(lo),
            "high": float(hi),
        },
        {
            "key": "ghosting-day",
            "label": "Ghosting day",
            "value": ghost,
            "shown": fmt_num(ghost) if ghost is not None else "—",
            "sub": "after it, silence means no",
        },
    ]
    blocks = [
        kpis(cards, small=True),
        figure(charts.time_to_response_chart(t.curves(), ghost), "time-to-reply"),
    ]
    lift = fu.follow_up_lift(df, as_of=as_of, min_age=fu.settled_age(t))
    if lift.n and (lift.table["follow_ups"] >= 1).any() and lift.table["pitches"].iloc[1:].sum():
        blocks += [
            heading("What follow-ups bring"),
            note(lift.verdict()),
        ]
        if lift.enough:  # too few pitches: the verdict says so, no chart to over-read
            blocks.append(figure(charts.follow_up_lift_chart(lift.table), "follow-up-lift"))
    return Section("time-to-reply", _TITLES["time-to-reply"], lead, blocks)


def _https(url: Any) -> str | None:
    """``url`` if it is a plain https address, else None (never a script or data URL)."""
    from urllib.parse import urlparse

    text = str(url or "").strip()
    parts = urlparse(text)
    return text if parts.scheme == "https" and parts.netloc else None


def benchmarks_section(
    df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW, outcomes: bool = True
) -> Section:
    """The log's rates next to published benchmarks, each with its sentence and source.

    A log that records no outcomes (``outcomes`` false) has no rate to set beside them.
    """
    from ..analysis.benchmarks import benchmark_check
    from . import charts

    lead = (
        "Use these as a rough yardstick, not a target: each benchmark was measured on "
        "other people, other markets and other years."
    )
    if not outcomes:
        return _unrecorded("benchmarks", lead, "it has no rate to set beside published ones")
    check = benchmark_check(df, as_of=as_of, window=window)
    if not len(check) or (check["settled"] == 0).all():
        return Section(
            "benchmarks", _TITLES["benchmarks"], lead, [empty("No settled action to compare yet.")]
        )
    items = [
        {"text": f"{seg}, {metric}: {sentence}.", "url": _https(url)}
        for seg, metric, sentence, url in zip(
            check["segment"], check["metric"], check["sentence"], check["source_url"], strict=True
        )
    ]
    blocks = [
        figure(charts.benchmark_chart(check), "benchmarks"),
        {"kind": "sources", "items": items},
    ]
    return Section("benchmarks", _TITLES["benchmarks"], lead, blocks)


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
    outcomes: bool = True,
) -> Section:
    """Actions still waiting past the follow-up day and not yet followed up.

    A pitch is due a follow-up from ``after_days`` after sending until the ghosting day the
    log's reply dates teach (:mod:`~outreach_analytics.analysis.survival`: the day by which
    95% of eventual replies have come), and has gone quiet from then on; without reply
    dates to learn it from, the answer window (``window`` days) stands in for it. In a log
    that records no outcomes (``outcomes`` false) no answer is known: the lists are the
    same, and the lead says to check for a reply before sending.
    """
    from ..analysis import activity
    from ..analysis.survival import time_to_response

    lead = (
        f"Send these a short follow-up: each was sent at least {after_days} days ago, has "
        "no answer and was never followed up."
        if outcomes
        else f"The log records no answers: these were sent at least {after_days} days ago "
        "and never followed up, but some may have had a reply. Check before you send."
    )
    if df["date"].notna().sum() == 0:
        return Section(
            "follow-ups",
            _TITLES["follow-ups"],
            lead,
            [empty("No dated action: what is due is told by the days since sending.")],
        )
    km = time_to_response(df, as_of=as_of)
    learned = km.dated and km.overall.events > 0 and np.isfinite(km.overall.ghosting_day)
    quiet_after = math.ceil(km.overall.ghosting_day) if learned else int(window)
    after = (
        f"day {quiet_after}, when replies stop coming (the ghosting day)"
        if learned
        else f"the {window}-day answer window"
    )
    due = activity.follow_ups_due(df, as_of=as_of, after_days=after_days, window=quiet_after)
    notes = _notes_of(df, due)
    now = (due["status"] == "due").to_numpy()
    late = (due["status"] == "ghosted").to_numpy()
    blocks: list[dict] = []
    if now.any():
        blocks.append(heading(f"Due now ({now.sum():,})"))
        blocks.append(
            table(
                tables.follow_ups_table(due[now], None if notes is None else notes[now], caption="")
            )
        )
    else:
        blocks.append(
            empty(
                f"Nothing is due: every pitch sent {after_days} or more days ago that has not "
                f"gone quiet yet has {'an answer or ' if outcomes else ''}a follow-up."
            )
        )
    if late.any():
        gone = tables.follow_ups_table(
            due[late],
            None if notes is None else notes[late],
            table_id="table-gone-quiet",
            caption="Gone quiet",
        )
        blocks.append(
            {
                "kind": "details",
                "summary": f"Gone quiet: {plural(int(late.sum()), 'pitch', 'pitches')} past "
                f"{after}, never followed up (one last nudge, or let go)",
                "blocks": [table(gone)],
            }
        )
    return Section("follow-ups", _TITLES["follow-ups"], lead, blocks)


def data_quality_section(report: LoadReport) -> Section:
    """Rows read, used, skipped and blank, every skipped row, and the loader's notes."""
    lead = (
        "Check that the rows read add up and that nothing you care about was skipped; "
        "fix the listed cells in your sheet and run the report again."
    )
    blocks = [table(tables.row_counts_table(report))]
    if len(report.skipped):
        blocks.append(heading(f"Skipped rows ({report.rows_skipped:,})"))
        blocks.append(table(tables.skipped_table(report.skipped)))
    else:
        blocks.append(empty("No row was skipped."))
    if report.blank_rows:
        rows = ", ".join(str(r) for r in report.blank_rows)
        blocks.append(note(f"Blank rows (nothing but empty cells or placeholders): {rows}."))
    blocks.extend(note(f"Note: {n}.") for n in report.notes)
    return Section("data-quality", _TITLES["data-quality"], lead, blocks)


def methods_section(*, as_of=None, window: int = DEFAULT_WINDOW) -> Section:
    """A short note on pending, settled and the 95% Wilson intervals."""
    day = resolve_as_of(as_of).date().isoformat()
    items = [
        (
            "Pending",
            f"an action still at “sent” with no outcome, sent fewer than {window} days "
            f"before {day}. It may still get an answer, so it is left out of every rate.",
        ),
        (
            "Settled",
            f"every other action. A pitch with no answer after {window} days counts as no "
            "response. Rates are over settled actions: response rate = settled actions that "
            "got at least a reply / settled actions; interview and win rates alike.",
        ),
        (
            "95% intervals",
            "Wilson score intervals for a proportion, which stay inside 0–100% and behave "
            "well for small counts. Pitches per win is settled actions / wins; its interval "
            "is the win rate's Wilson interval inverted.",
        ),
        (
            "Follow-ups due",
            "pitches with no answer and no follow-up recorded, sent at least "
            f"{FOLLOW_UP_AFTER_DAYS} days before {day}.",
        ),
        ('"No"s', "rejections, plus pitches that got no answer within the window."),
        (
            "Which is best",
            "each segment's rate is shrunk toward the log's average by a Beta prior fitted to "
            "all segments; its 95% credible interval and P(best) (the posterior chance of "
            "having the highest rate) come from that posterior. A dagger marks fewer than "
            "30 settled actions.",
        ),
        (
            "The next win",
            "pitches until the next win follow a beta-negative-binomial law from the win "
            "rate's Jeffreys posterior; the date assumes the last 8 weeks' pace.",
        ),
        (
            "Time to reply",
            "Kaplan–Meier curves, so recent pitches count for the time they have had; the "
            "headline response rate is the curve's plateau where the log dates replies. "
            "The ghosting day is the first day the curve passes 95% of its plateau.",
        ),
        (
            "The challenge",
            'a ladder of "no" goals; the card shows the next rung and the date at the recent pace.',
        ),
    ]
    return Section(
        "methods",
        _TITLES["methods"],
        "Read this once to know what each number counts.",
        [{"kind": "terms", "items": items}],
    )
