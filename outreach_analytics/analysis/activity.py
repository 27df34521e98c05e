"""Consistency and outcomes over time: activity, streaks, the "no"s, follow-ups, flows, cohorts.

Every function takes the canonical frame first (see :func:`outreach_analytics.load`) and
returns a new tidy frame (or, for :func:`streaks`, a small dict); the input is never
changed. The dates and the settled/pending rule are those of
:mod:`outreach_analytics.analysis.metrics`: a row is *pending* while it is still ``sent``/``open`` and
was sent less than ``window`` days before ``as_of``. Only actions count: planned rows
and rows dated after ``as_of`` are left out everywhere, rows of unknown date from
everything over time.

Weeks start on Monday and are labelled by that Monday.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..model.schema import STAGES
from ._arrays import (
    NO_DATE,
    action_rows,
    day_dates,
    day_numbers,
    day_of,
    days_of_seconds,
    last_seconds,
    seconds,
    take,
    word_mask,
)
from .metrics import DEFAULT_WINDOW, counts, mark_pending, resolve_as_of
from .stats import SMALL_SAMPLE, pitches_per_win_interval, wilson_interval

__all__ = [
    "STAGE_NODES",
    "END_NODES",
    "daily_activity",
    "weekly_activity",
    "streaks",
    "rejections_over_time",
    "follow_ups_due",
    "outcome_flows",
    "weekly_cohorts",
    "cost_per_win",
    "COST_COLUMNS",
]

_DAY = pd.Timedelta(days=1)
_UNSPECIFIED = "unspecified"

#: Node names of the outcome flows: one per stage, then one per way a stage can end.
STAGE_NODES: dict[str, str] = {
    "sent": "Sent",
    "viewed": "Viewed",
    "responded": "Responded",
    "interview": "Interview",
    "offer": "Offer",
    "won": "Won",
}
#: Where a settled row that stopped at a stage ends, by (stage, result).
END_NODES: dict[tuple[str, str], str] = {
    ("sent", "open"): "No response",  # settled sent/open rows: silence became the answer
    ("sent", "no_response"): "No response",
    ("sent", "withdrawn"): "Withdrawn",
    ("sent", "rejected"): "Rejected without reply",
    ("viewed", "open"): "No reply after view",
    ("viewed", "no_response"): "No reply after view",
    ("viewed", "withdrawn"): "Withdrawn after view",
    ("responded", "open"): "Still talking",
    ("responded", "rejected"): "Rejected at response",
    ("responded", "no_response"): "Silent after reply",
    ("responded", "withdrawn"): "Withdrawn after reply",
    ("interview", "open"): "Interview open",
    ("interview", "rejected"): "Rejected after interview",
    ("interview", "no_response"): "No response after interview",
    ("interview", "withdrawn"): "Withdrawn after interview",
    ("offer", "open"): "Offer open",
    ("offer", "withdrawn"): "Offer declined",
    ("offer", "rejected"): "Offer lost",
    ("offer", "no_response"): "Offer lost",
}


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.normalize().astype("datetime64[s]")


def _monday(days: pd.Series) -> pd.Series:
    return (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).astype("datetime64[s]")


def _span(first: pd.Timestamp, last: pd.Timestamp, freq: str = "D") -> pd.DatetimeIndex:
    return pd.date_range(first, last, freq=freq, unit="s")


def _actions(df: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """The rows that are actions: not planned and, given ``as_of``, not dated after it."""
    end = pd.Timestamp.max if as_of is None else resolve_as_of(as_of)
    return df[action_rows(df, end)]


def _settled(df: pd.DataFrame, as_of, window: int) -> np.ndarray:
    """Actions that are not pending."""
    pending = mark_pending(df, as_of=as_of, window=window)["pending"].to_numpy()
    return action_rows(df, resolve_as_of(as_of)) & ~pending


def _sent_days(df: pd.DataFrame, until=None) -> tuple[pd.Series, pd.Timestamp | None]:
    days = _day(_actions(df)["date"]).dropna()
    end = None if until is None else resolve_as_of(until)
    if end is not None:
        days = days[days <= end]
    return days, end


def daily_activity(df: pd.DataFrame, *, until=None) -> pd.DataFrame:
    """Actions sent on every calendar day from the first action to the last, zeros included.

    Parameters
    ----------
    df : pandas.DataFrame
        A canonical log.
    until : date-like, optional
        Last day to show (e.g. today, so that recent idle days show as zeros). Actions
        after it are left out. Default: the day of the last action.

    Returns
    -------
    pandas.DataFrame
        ``date`` (every day, ``datetime64[s]``) and ``actions`` (int).

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({"Date Sent": ["2024-03-01", "2024-03-01", "2024-03-04"]}))
    >>> daily_activity(log)
            date  actions
    0 2024-03-01        2
    1 2024-03-02        0
    2 2024-03-03        0
    3 2024-03-04        1
    """
    days, end = _sent_days(df, until)
    if days.empty:
        return pd.DataFrame(
            {"date": pd.Series([], dtype="datetime64[s]"), "actions": pd.Series([], dtype="int64")}
        )
    last = days.max() if end is None else end
    span = _span(days.min(), last)
    actions = days.value_counts().reindex(span, fill_value=0).astype("int64")
    return pd.DataFrame({"date": span, "actions": actions.to_numpy()})


def weekly_activity(df: pd.DataFrame, goal: float | None = None, *, until=None) -> pd.DataFrame:
    """Actions per week (weeks start on Monday), zeros included, against a weekly goal.

    Parameters
    ----------
    df : pandas.DataFrame
        A canonical log.
    goal : float, optional
        Actions the user means to send each week.
    until : date-like, optional
        As for :func:`daily_activity`: the weeks run up to the week holding this day.

    Returns
    -------
    pandas.DataFrame
        ``week`` (the Monday), ``actions``, ``goal`` (the same value on every row, NaN
        without a goal) and ``met`` (``actions >= goal``; False without a goal).

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({"Date Sent": ["2024-03-04", "2024-03-10", "2024-03-20"]}))
    >>> weekly_activity(log, goal=2)
            week  actions  goal    met
    0 2024-03-04        2   2.0   True
    1 2024-03-11        0   2.0  False
    2 2024-03-18        1   2.0  False
    """
    daily = daily_activity(df, until=until)
    week = _monday(daily["date"])
    out = (
        daily.assign(week=week)
        .groupby("week", sort=True)["actions"]
        .sum()
        .astype("int64")
        .reset_index()
    )
    out["week"] = out["week"].astype("datetime64[s]")
    out["goal"] = np.nan if goal is None else float(goal)
    out["met"] = (out["actions"] >= out["goal"]).to_numpy(dtype=bool)  # NaN goal: never met
    return out


def _runs(flags: np.ndarray) -> tuple[int, int]:
    """Longest run of True and the run of True at the end."""
    longest = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest, current


def streaks(df: pd.DataFrame, goal: float | None = None, *, as_of=None) -> dict:
    """Streaks of consistency: weeks meeting the goal in a row, days with an action in a row.

    Only actions up to ``as_of`` count. The week or day holding ``as_of`` is not over
    yet, so it never breaks a streak: it extends the current streak once it is met (for
    a week, once its actions reach the goal; for a day, once it has an action) and
    otherwise the current streak is the one that ended the week (day) before.

    Parameters
    ----------
    df : pandas.DataFrame
        A canonical log.
    goal : float, optional
        Actions per week that make a week count. Default (``None``): at least one action.
    as_of : date-like, optional
        The day to look from; default today.

    Returns
    -------
    dict
        ``current_weeks``, ``longest_weeks``, ``current_days``, ``longest_days`` (ints),
        and ``goal``, ``as_of`` (ISO date), ``this_week_actions``, ``this_week_met``.

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({"Date Sent": [
    ...     "2024-02-26", "2024-02-27", "2024-03-04", "2024-03-05", "2024-03-06", "2024-03-11"]}))
    >>> s = streaks(log, goal=2, as_of="2024-03-12")
    >>> s["current_weeks"], s["longest_weeks"], s["current_days"], s["longest_days"]
    (2, 2, 1, 3)
    >>> s["this_week_actions"], s["this_week_met"]
    (1, False)
    """
    as_of = resolve_as_of(as_of)
    if goal is not None and not goal > 0:
        raise ValueError(f"goal must be a positive number of actions per week; got {goal!r}.")
    need = 1.0 if goal is None else float(goal)
    days, _ = _sent_days(df, as_of)
    out = {
        "current_weeks": 0,
        "longest_weeks": 0,
        "current_days": 0,
        "longest_days": 0,
        "goal": need,
        "as_of": as_of.date().isoformat(),
        "this_week_actions": 0,
        "this_week_met": False,
    }
    if days.empty:
        return out
    daily = daily_activity(df, until=as_of)
    active = (daily["actions"] > 0).to_numpy()
    longest, current = _runs(active)
    if not active[-1]:  # today is not over: the streak that ended yesterday still stands
        current = _runs(active[:-1])[1]
    out["longest_days"], out["current_days"] = int(longest), int(current)

    weekly = weekly_activity(df, need, until=as_of)
    met = weekly["met"].to_numpy()
    longest, current = _runs(met)
    if not met[-1]:
        current = _runs(met[:-1])[1]
    out["longest_weeks"], out["current_weeks"] = int(longest), int(current)
    out["this_week_actions"] = int(weekly["actions"].iloc[-1])
    out["this_week_met"] = bool(met[-1])
    return out


def _known_days(df: pd.DataFrame, keep: np.ndarray, every: bool) -> np.ndarray:
    """The last day the log records something about each kept row (sent, reply,
    interview, offer), as a day number (:data:`~._arrays.NO_DATE`: none)."""
    cols = [c for c in ("date", "responded_on", "interview_on", "offer_on") if c in df.columns]
    return days_of_seconds(last_seconds(take(seconds(df[c]), keep, every) for c in cols))


def rejections_over_time(
    df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW
) -> pd.DataFrame:
    """The "no"s collected each day, for a rejection challenge (say, 100 nos).

    Two kinds of "no" count:

    * **rejections** (result ``rejected``), dated on the day the no was known: the last of
      ``responded_on``, ``interview_on`` and ``offer_on`` that the row has, else the day
      it was sent;
    * **no responses**: result ``no_response``, and settled rows still ``sent``/``open``
      (sent at least ``window`` days before ``as_of``). They are dated ``window`` days
      after the last thing the log records about the row (for a pitch that never got a
      reply: ``window`` days after sending), the day silence became an answer.

    A "no" dated after ``as_of`` (a pitch marked "Ghosted" three days after sending) is
    counted on ``as_of``. Withdrawn rows are not a "no".

    Returns
    -------
    pandas.DataFrame
        One row per day from the first action to ``as_of``: ``date``, ``rejections``,
        ``no_responses``, ``nos`` (their sum) and ``cumulative`` (running total of ``nos``).

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({
    ...     "Date Sent": ["2024-03-01", "2024-03-01", "2024-03-02"],
    ...     "Status": ["Rejected", "Ghosted", "Sent"],
    ...     "Response Date": ["2024-03-03", None, None],
    ... }))
    >>> nos = rejections_over_time(log, as_of="2024-03-20", window=14)
    >>> nos[nos["nos"] > 0]
             date  rejections  no_responses  nos  cumulative
    2  2024-03-03           1             0    1           1
    14 2024-03-15           0             1    1           2
    15 2024-03-16           0             1    1           3
    """
    as_of = resolve_as_of(as_of)
    keep = action_rows(df, as_of)
    every = bool(keep.all())
    today, window = day_of(as_of), int(window)
    sent = take(day_numbers(df["date"]), keep, every)
    known = _known_days(df, keep, every)
    # compared on the categories' codes: no per-row text is built
    result, stage = df["result"], df["stage"]
    rejected = take(word_mask(result, "rejected"), keep, every)
    silent = take(word_mask(result, "no_response"), keep, every) | (
        take(word_mask(stage, "sent") & word_mask(result, "open"), keep, every)
        & (sent != NO_DATE)
        & (sent <= today - window)
    )
    dated = known != NO_DATE
    nos = {
        "rejections": known[rejected & dated],
        "no_responses": known[silent & dated] + window,
    }
    starts = [int(d.min()) for d in (*nos.values(), sent[sent != NO_DATE]) if len(d)]
    columns = ["date", "rejections", "no_responses", "nos", "cumulative"]
    if not starts or min(starts) > today:
        empty = {c: pd.Series([], dtype="int64") for c in columns}
        empty["date"] = pd.Series([], dtype="datetime64[s]")
        return pd.DataFrame(empty)
    first = min(starts)
    span = today - first + 1
    out = pd.DataFrame({"date": day_dates(first, span)})
    for kind, days in nos.items():  # a "no" dated after as_of is counted on as_of
        np.minimum(days, today, out=days)
        days -= first
        out[kind] = np.bincount(days, minlength=span).astype(np.int64)
    out["nos"] = out["rejections"] + out["no_responses"]
    out["cumulative"] = out["nos"].cumsum()
    return out[columns]


def follow_ups_due(
    df: pd.DataFrame,
    *,
    as_of=None,
    after_days: int = 5,
    window: int = DEFAULT_WINDOW,
) -> pd.DataFrame:
    """Pitches still waiting for an answer that were never followed up, most overdue first.

    A row is listed when it is still ``sent``/``open``, was sent at least ``after_days``
    days before ``as_of`` and has no follow-up recorded (``follow_ups`` 0 or empty).

    Returns
    -------
    pandas.DataFrame
        ``date``, ``channel``, ``pitch_type``, ``client``, ``days_waiting`` (days since
        sent), ``status`` and ``source_row`` (the row in the user's sheet). ``status`` is
        ``"due"`` while the pitch is inside the answer window (a follow-up now may still
        get a reply) and ``"ghosted"`` past it (one last polite nudge, or let it go).

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({
    ...     "Date Sent": ["2024-03-01", "2024-03-12", "2024-03-17", "2024-03-02"],
    ...     "Client": ["Acme", "Birch", "Cedar", "Dune"],
    ...     "Status": ["Sent", "Sent", "Sent", "Replied"],
    ...     "Follow-ups": [0, 0, 0, 0],
    ... }))
    >>> follow_ups_due(log, as_of="2024-03-20")[["client", "days_waiting", "status"]]
      client  days_waiting   status
    0   Acme            19  ghosted
    1  Birch             8      due
    """
    as_of = resolve_as_of(as_of)
    sent = _day(df["date"])
    if "follow_ups" in df.columns:
        never = pd.to_numeric(df["follow_ups"], errors="coerce").fillna(0).to_numpy() == 0
    else:
        never = np.ones(len(df), dtype=bool)
    waiting = (
        (df["stage"].astype("str") == "sent").to_numpy()
        & (df["result"].astype("str") == "open").to_numpy()
        & (sent <= as_of - pd.Timedelta(days=after_days)).to_numpy()
        & never
    )
    columns = ["date", "channel", "pitch_type", "client", "source_row"]
    out = df.loc[waiting, [c for c in columns if c in df.columns]].copy()
    out["days_waiting"] = ((as_of - sent[waiting]) // _DAY).astype("int64")
    inside = (sent[waiting] > as_of - pd.Timedelta(days=window)).to_numpy()
    out["status"] = np.where(inside, "due", "ghosted")
    out["status"] = out["status"].astype("str")
    order = ["days_waiting", "source_row"] if "source_row" in out.columns else ["days_waiting"]
    out = out.sort_values(order, ascending=[False] + [True] * (len(order) - 1), kind="stable")
    final = [
        c
        for c in ("date", "channel", "pitch_type", "client", "days_waiting", "status", "source_row")
        if c in out.columns
    ]
    return out[final].reset_index(drop=True)


def outcome_flows(df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """How settled pitches move through the stages and where each one ends, for a Sankey.

    Every settled row flows ``Sent`` → ``Responded`` → ``Interview`` → ``Offer`` → ``Won``
    as far as its stage, then to the node of :data:`END_NODES` for its stage and result
    (a row that reached ``Won`` ends there). So the flows conserve rows: into every stage
    node flows exactly what flows out of it, ``Sent`` sends out the settled rows and the
    end nodes (and ``Won``) receive them all. Among the ends: "Rejected at response",
    "Still talking", "Rejected after interview" (the good interview that brought no
    offer), "No response after interview", "Offer declined" (the user said no) and
    "Offer lost". Settled ``sent``/``open`` rows end in "No response".

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target``, ``count`` (rows), only flows with at least one row, in
        stage order.

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({
    ...     "Date Sent": ["2024-01-02"] * 5,
    ...     "Status": ["Ghosted", "Rejected", "Rejected after interview", "Hired", "Sent"],
    ... }))
    >>> outcome_flows(log, as_of="2024-03-01")
          source                    target  count
    0       Sent                 Responded      3
    1       Sent               No response      2
    2  Responded                 Interview      2
    3  Responded      Rejected at response      1
    4  Interview                     Offer      1
    5  Interview  Rejected after interview      1
    6      Offer                       Won      1
    """
    settled = _settled(df, as_of, window)
    stage_names = df["stage"].astype("str").to_numpy()[settled]
    # the viewed stage only where the log uses it
    stages = [st for st in STAGES if st != "viewed" or (stage_names == "viewed").any()]
    stage = pd.Categorical(stage_names, categories=stages, ordered=True).codes
    result = df["result"].astype("str").to_numpy()[settled]
    rows = []
    for i, st in enumerate(stages[:-1]):
        node = STAGE_NODES[st]
        rows.append((node, STAGE_NODES[stages[i + 1]], int((stage > i).sum())))
        here = stage == i
        ends: dict[str, int] = {}
        for (end_stage, end_result), label in END_NODES.items():
            if end_stage == st:
                ends[label] = ends.get(label, 0) + int((here & (result == end_result)).sum())
        known = {r for (s, r) in END_NODES if s == st}
        for other in sorted(set(result[here]) - known):  # a result no end node names
            ends[f"{node} ({other})"] = int((here & (result == other)).sum())
        rows.extend((node, label, n) for label, n in ends.items())
    out = pd.DataFrame(rows, columns=["source", "target", "count"])
    out = out[out["count"] > 0].reset_index(drop=True)
    out["source"] = out["source"].astype("str")
    out["target"] = out["target"].astype("str")
    out["count"] = out["count"].astype("int64")
    return out


def weekly_cohorts(
    df: pd.DataFrame,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Response rate by the week the actions were sent, with Wilson intervals.

    Every week from the first action to the last is listed (a week without actions has
    zero counts and a NaN rate). Recent weeks still hold pending actions: their rate is
    over the settled ones only and may still rise.

    Returns
    -------
    pandas.DataFrame
        ``week`` (the Monday), ``actions``, ``settled``, ``responses``, ``rate``
        (responses / settled), ``ci_low``, ``ci_high``, then ``pending`` and
        ``small_sample`` (fewer than 30 settled).

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({
    ...     "Date Sent": ["2024-03-04", "2024-03-05", "2024-03-18"],
    ...     "Status": ["Replied", "Ghosted", "Sent"],
    ... }))
    >>> weekly_cohorts(log, as_of="2024-03-20")[["week", "actions", "settled", "rate", "pending"]]
            week  actions  settled  rate  pending
    0 2024-03-04        2        2   0.5        0
    1 2024-03-11        0        0   NaN        0
    2 2024-03-18        1        0   NaN        1
    """
    columns = [
        "week",
        "actions",
        "settled",
        "responses",
        "rate",
        "ci_low",
        "ci_high",
        "pending",
        "small_sample",
    ]
    df = _actions(df, as_of)
    weeks = _monday(_day(df["date"]))
    known = df[weeks.notna().to_numpy()]
    if known.empty:
        return pd.DataFrame({c: [] for c in columns}).astype(
            {"week": "datetime64[s]", "small_sample": bool}
        )
    keyed = known.assign(_week=weeks[weeks.notna()].dt.strftime("%Y-%m-%d").to_numpy())
    table = counts(keyed, "_week", as_of=as_of, window=window)
    table.index = pd.to_datetime(table["_week"]).astype("datetime64[s]")
    span = _span(table.index.min(), table.index.max(), freq="7D")
    numbers = ["actions", "pending", "settled", "responses"]
    table = table[numbers].reindex(span, fill_value=0).astype("int64")
    k = table["responses"].to_numpy()
    n = table["settled"].to_numpy()
    low, high = wilson_interval(k, n, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    out = table.reset_index(names="week")
    out["rate"] = rate
    out["ci_low"] = low
    out["ci_high"] = high
    out["small_sample"] = n < SMALL_SAMPLE
    return out[columns]


#: The value columns of :func:`cost_per_win`'s frame; every other column is a key.
COST_COLUMNS = (
    "settled",
    "wins",
    "costed",
    "cost",
    "cost_per_action",
    "cost_per_win",
    "ci_low",
    "ci_high",
)


def cost_per_win(
    df: pd.DataFrame,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
    by: str | Sequence[str] = "channel",
) -> pd.DataFrame:
    """What a win costs per channel, where the log records a cost (e.g. Upwork Connects).

    Costs are those of settled actions, the ones whose outcome is known. ``cost_per_win``
    is the average cost of a settled action with a cost logged times the settled actions
    per win (``settled / wins``); when every action has its cost logged this is simply
    total cost / wins. ``ci_low``/``ci_high`` carry the 95% interval of pitches per win
    (the Wilson interval of the win rate, inverted) over to cost, taking the average
    cost as known. All three are NaN where no cost is logged or there is no win yet.

    Returns
    -------
    pandas.DataFrame
        The key column(s), ``settled``, ``wins``, ``costed`` (settled actions with a cost),
        ``cost`` (their total; NaN when none has a cost), ``cost_per_action``,
        ``cost_per_win``, ``ci_low``, ``ci_high``. Largest segments first, as
        :func:`~outreach_analytics.counts`.

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({
    ...     "Date Sent": ["2024-01-02"] * 4,
    ...     "Platform": ["Upwork", "Upwork", "Upwork", "Email"],
    ...     "Status": ["Hired", "Ghosted", "Ghosted", "Hired"],
    ...     "Connects": [6, 12, 12, None],
    ... }))
    >>> cost_per_win(log, as_of="2024-03-01")[["channel", "wins", "cost", "cost_per_win"]]
      channel  wins  cost  cost_per_win
    0  Upwork     1  30.0          30.0
    1   Email     1   NaN           NaN
    """
    keys = [by] if isinstance(by, str) else list(by)
    table = counts(df, keys, as_of=as_of, window=window)[[*keys, "settled", "wins"]]
    settled = _settled(df, as_of, window)
    cost = pd.to_numeric(df["cost"], errors="coerce") if "cost" in df.columns else None
    frame = pd.DataFrame(
        {k: df[k].astype("str").where(df[k].notna(), _UNSPECIFIED).to_numpy() for k in keys}
    )
    frame["cost"] = np.nan if cost is None else cost.to_numpy(dtype=float)
    frame = frame[settled & frame["cost"].notna().to_numpy()]
    spent = frame.groupby(keys, sort=False)["cost"].agg(costed="count", cost="sum").reset_index()
    for k in keys:
        spent[k] = spent[k].astype("str")
    out = table.merge(spent, on=keys, how="left")
    out["costed"] = out["costed"].fillna(0).astype("int64")
    out["cost"] = out["cost"].where(out["costed"] > 0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cost_per_action"] = out["cost"] / out["costed"].where(out["costed"] > 0)
    est, low, high = pitches_per_win_interval(out["wins"], out["settled"], alpha)
    per = out["cost_per_action"].to_numpy(dtype=float)
    low = np.where(out["wins"].to_numpy() > 0, low, np.nan)  # a cost range needs a win
    out["cost_per_win"] = per * est
    out["ci_low"] = per * low
    out["ci_high"] = per * high
    return out
