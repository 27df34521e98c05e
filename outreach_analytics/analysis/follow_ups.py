"""Does following up pay? Reply rates by number of follow-ups, and the lift of each one.

Follow-ups are read from the log in two forms, added together:

* a ``follow_ups`` count column (how many follow-ups a pitch got);
* follow-up rows: a row whose ``pitch_type`` says "follow-up" (or "follow up",
  "followup", "nudge", "reminder") and names a ``client``. It counts as a follow-up of
  the latest earlier pitch to the same client that is not itself a follow-up, sent at
  most :data:`MAX_GAP_DAYS` days before (of pitches sent the same day, the last in the
  log); a reply
  recorded on the follow-up row is a reply to that pitch. Follow-up rows with no such
  pitch are counted in ``unmatched``.

(A log with follow-up dates but no count is not read yet: map the dates' count into a
``Follow-ups`` column.)

**What is estimated, and the confounding.** The plain reply rate among pitches with
exactly *k* follow-ups is confounded: a pitch that got a reply early gets no follow-up,
so "0 follow-ups" holds the quick replies and the rate seems to *fall* with follow-ups.
It is shown (``rate``) but not used. Instead, assuming one follows up only while no reply
has come (so a reply on a pitch with *k* follow-ups came after the *k*-th), the *k*-th
follow-up is judged among the pitches that were still silent when it was sent:
``yield`` = pitches that replied after exactly *k* follow-ups / pitches that got at least
*k* (a discrete-time hazard, *k* = 0 being the pitch itself). The **lift** of the *k*-th
follow-up is the extra replies it brings per pitch sent: the share still silent after
*k* - 1 follow-ups times its yield. Some of those replies would have come anyway, late:
the lift is an upper bound on what the follow-up itself caused.

Only pitches old enough to be settled count (sent at least ``min_age`` days before
``as_of``: by default the ghosting day of the reply curve, else 21 days), so that a recent
pitch's next follow-up or reply is not missed. Intervals: Wilson for the rates and
yields; for the lifts, a seeded Monte Carlo from the Jeffreys posteriors of the yields
(20,000 draws). The *k*-th follow-up **pays** when its lift is at least ``min_lift``
(default 0.02: two more replies per 100 pitches); since the lift is an upper bound, a
follow-up below it surely does not pay, and ``pays_up_to`` is the last *k* such that the
1st to *k*-th all pay: the point after which another follow-up no longer pays. With fewer
than :data:`MIN_PITCHES_FOR_VERDICT` settled pitches with a follow-up, or without one,
there is no verdict: none pays, ``pays_up_to`` is None and the verdict says how few.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.schema import STAGES
from ._arrays import (
    DAY,
    codes_of,
    dated_action_rows,
    numbers,
    second_of,
    seconds,
    stage_codes,
    take,
)
from .distributions import beta_draws
from .metrics import resolve_as_of
from .stats import is_small_sample, wilson_interval
from .text import plural

__all__ = [
    "MAX_GAP_DAYS",
    "MIN_PITCHES_FOR_VERDICT",
    "settled_age",
    "FollowUpLift",
    "follow_up_counts",
    "follow_up_lift",
    "Pitches",
    "match_pitches",
    "lift_of_pitches",
    "lift_record",
]

_FOLLOW_UP = re.compile(r"follow[\s_-]*up|\bnudge|\breminder|\bbump\b", re.IGNORECASE)
_DRAWS = 20_000
_MIN_LIFT = 0.02  # two more replies per 100 pitches
#: Fewest settled pitches with a follow-up, and fewest without, for a verdict on following
#: up. Below it the yield of the 1st follow-up is a guess: its 95% Wilson interval is wider
#: than 50 points (5 replies in 10 pitches: 24%-76%; 0 in 1: 0%-79%), and one reply more
#: or less turns "pays" into "does not pay".
MIN_PITCHES_FOR_VERDICT = 10
#: A follow-up row counts toward a pitch to the same client sent at most this long before.
MAX_GAP_DAYS = 60
_DEFAULT_MIN_AGE = 21


def _is_follow_up_row(df: pd.DataFrame) -> np.ndarray:
    if "pitch_type" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    codes, names = codes_of(df["pitch_type"])  # the regex runs once per distinct word
    match = np.array([bool(_FOLLOW_UP.search(n)) for n in names] + [False])
    return match[codes]


def follow_up_counts(df: pd.DataFrame, *, as_of=None) -> tuple[pd.DataFrame, int]:
    """One row per pitch (not a follow-up row) with ``follow_ups`` and ``replied``.

    Returns the frame (``date``, ``follow_ups``, ``replied``, ``logged``: whether a count
    was logged at all), in the log's order, and the number of follow-up rows that matched
    no earlier pitch to the same client.

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({
    ...     "Date": ["2024-01-01", "2024-01-08", "2024-01-02", "2024-01-20"],
    ...     "Client": ["Acme", "Acme", "Birch", "Cedar"],
    ...     "Type": ["Cold pitch", "Follow-up", "Cold pitch", "Follow-up"],
    ...     "Status": ["Sent", "Replied", "Ghosted", "Sent"],
    ... }))
    >>> pitches, unmatched = follow_up_counts(log, as_of="2024-03-01")
    >>> pitches[["date", "follow_ups", "replied"]]
            date  follow_ups  replied
    0 2024-01-01         1.0     True
    1 2024-01-02         0.0    False
    >>> unmatched
    1
    """
    p = match_pitches(df, resolve_as_of(as_of))
    date = df["date"].to_numpy()[p.keep][p.is_pitch]
    follow_ups = p.count[p.is_pitch]
    pitches = pd.DataFrame(
        {
            "date": date,
            "follow_ups": follow_ups,
            "replied": p.replied[p.is_pitch],
            "logged": ~np.isnan(follow_ups),
        }
    )
    return pitches, p.unmatched


@dataclass(frozen=True)
class Pitches:
    """:func:`follow_up_counts` as arrays over the actions, in the log's order; the
    entries of follow-up rows (``is_pitch`` False) are not used."""

    keep: np.ndarray  # the rows that are actions
    is_pitch: np.ndarray  # of those, the ones that are not follow-up rows
    sent: np.ndarray  # seconds since 1970
    count: np.ndarray  # follow-ups of each pitch (NaN: none logged)
    replied: np.ndarray
    unmatched: int


def match_pitches(df: pd.DataFrame, as_of: pd.Timestamp) -> Pitches:
    """The rules of :func:`follow_up_counts` on arrays (see the module docstring)."""
    keep = dated_action_rows(df, as_of)
    every = bool(keep.all())
    is_fu = take(_is_follow_up_row(df), keep, every)
    replied = take(stage_codes(df["stage"]), keep, every) >= STAGES.index("responded")
    if "follow_ups" in df.columns:
        count = take(numbers(df["follow_ups"]), keep, every)
    else:
        count = np.full(int(keep.sum()), np.nan)
    sent = take(seconds(df["date"]), keep, every)
    if not is_fu.any():
        return Pitches(keep, ~is_fu, sent, count, replied, 0)  # (the frame's arrays: read only)
    is_pitch = ~is_fu
    if "client" in df.columns:
        client = take(codes_of(df["client"])[0], keep, every)
    else:
        client = np.full(len(sent), -1)
    fu, pitch = _match(sent, client, is_fu)
    rows_only = (is_fu & (client >= 0)).any() and np.isnan(count).all()  # no count logged
    # the pitches followed up by rows: their count plus those rows, a reply on a row is a
    # reply to its pitch (on a copy: the column may be the frame's own array)
    count, replied = count.copy(), replied.copy()
    n = np.bincount(pitch, minlength=len(count))
    has = np.flatnonzero(n)
    count[has] = np.nan_to_num(count[has]) + n[has]
    replied[pitch[replied[fu]]] = True
    if rows_only:  # follow-ups logged only as rows
        np.nan_to_num(count, nan=0.0, copy=False)
    unmatched = int(is_fu.sum()) - len(fu)
    return Pitches(keep, is_pitch, sent, count, replied, unmatched)


def _match(
    sent: np.ndarray, client: np.ndarray, is_fu: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The follow-up rows that follow up a pitch, and that pitch: the latest pitch to the
    same client (code >= 0) sent at most :data:`MAX_GAP_DAYS` days before, and of those
    sent the same day the last in the log.

    A log in date order is matched by :func:`_match_in_date_order`, without a sort. Else,
    one stable sort of the rows with a client by (client, date); each follow-up row then
    takes the last pitch up to the end of its own (client, date) run in that order.
    """
    none = np.zeros(0, dtype=np.int64)
    has_client = client >= 0
    every = bool(has_client.all())
    rows = None if every else np.flatnonzero(has_client)  # None: every row
    fu = is_fu if every else is_fu[rows]
    if fu.all() or not fu.any():
        return none, none
    who, when = (client, sent) if every else (client[rows], sent[rows])
    matched = _match_in_date_order(who, when, fu)
    if matched is not None:
        fu_rows, pitch_rows = matched
        return (fu_rows, pitch_rows) if every else (rows[fu_rows], rows[pitch_rows])
    lo, span = int(when.min()), int(when.max()) - int(when.min()) + 1
    ranked = (int(who.max()) + 1) * float(span) >= 2.0**62
    if ranked:  # the keys would overflow: the dates' ranks instead
        when = np.unique(when, return_inverse=True)[1].reshape(-1)
        lo, span = 0, int(when.max()) + 1
    key = who.astype(np.int64) * span  # (client, seconds since the first date)
    key += when
    key -= lo
    order, key = _stable_order(who, key)
    fu = fu[order]
    # per follow-up row (in that order): the end of its (client, date) run, then the last
    # pitch up to there
    ends = np.append(np.flatnonzero(key[1:] != key[:-1]), len(key) - 1)
    fu_at = np.flatnonzero(fu)
    pitch_at = np.flatnonzero(~fu)
    end = ends[np.searchsorted(ends, fu_at)]
    prev = np.searchsorted(pitch_at, end, side="right") - 1
    pitch_at = pitch_at[np.maximum(prev, 0)]
    found = prev >= 0
    if ranked:
        found &= who[order[pitch_at]] == who[order[fu_at]]
        found &= sent[order[fu_at]] - sent[order[pitch_at]] <= MAX_GAP_DAYS * DAY
    else:  # the same client, at most the gap before: read from the sorted keys
        gap = key[fu_at] - key[pitch_at]
        found &= gap <= np.minimum(key[fu_at] % span, MAX_GAP_DAYS * DAY)
    fu_rows, pitch_rows = order[fu_at[found]], order[pitch_at[found]]
    if not every:
        fu_rows, pitch_rows = rows[fu_rows], rows[pitch_rows]
    return fu_rows, pitch_rows


def _match_in_date_order(
    who: np.ndarray, when: np.ndarray, fu: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_match` for rows in date order (as logs are kept), without a sort.

    A table of the last pitch row per (date, client), carried forward over the dates:
    the rows of a later date come later in the log, so the largest row number up to a
    date is the latest pitch to that client up to then, and of a date's pitches the last
    in the log. ``None`` when the rows are not in date order or the table would be large
    (many dates times many clients): :func:`_match` sorts instead.
    """
    n = len(when)
    if not (when[1:] >= when[:-1]).all():
        return None
    new_date = np.empty(n, dtype=bool)
    new_date[0] = True
    np.not_equal(when[1:], when[:-1], out=new_date[1:])
    n_dates, n_who = int(new_date.sum()), int(who.max()) + 1
    if n_dates * n_who > max(4 * n, 1 << 20):
        return None
    date = np.cumsum(new_date, dtype=np.int64)
    date -= 1
    del new_date
    pitch_at = np.flatnonzero(~fu)
    last = np.full(n_dates * n_who, -1, dtype=np.int64)
    np.maximum.at(last, date[pitch_at] * n_who + who[pitch_at], pitch_at)
    last = np.maximum.accumulate(last.reshape(n_dates, n_who), axis=0).reshape(-1)
    fu_at = np.flatnonzero(fu)
    pitch_at = last[date[fu_at] * n_who + who[fu_at]]
    found = np.flatnonzero(pitch_at >= 0)
    fu_at, pitch_at = fu_at[found], pitch_at[found]
    near = when[fu_at] - when[pitch_at] <= MAX_GAP_DAYS * DAY
    return fu_at[near], pitch_at[near]


def _stable_order(client: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stable sort order of ``key`` (client, then date), and the sorted keys: a sort by
    client alone (a radix sort of small codes) is enough when the log is in date order."""
    small = client.astype(np.int16) if client.max() < 2**15 else client
    order = np.argsort(small, kind="stable")
    ordered = key[order]
    if not (ordered[1:] >= ordered[:-1]).all():
        order = np.argsort(key, kind="stable")
        ordered = key[order]
    return order, ordered


@dataclass(frozen=True)
class FollowUpLift:
    """Reply rates by number of follow-ups and the lift of each (lifelines-style result).

    ``table`` has one row per number of follow-ups *k*: ``follow_ups``, ``pitches``
    (exactly *k*), ``replied`` (of those), ``rate``, ``rate_low``, ``rate_high`` (the
    confounded plain rate, Wilson), ``at_risk`` (pitches with at least *k*: still silent
    when the *k*-th was sent), ``yield_``, ``yield_low``, ``yield_high`` (Wilson),
    ``cumulative`` (reply rate if every pitch got *k* follow-ups), ``lift``,
    ``lift_low``, ``lift_high`` (extra replies per pitch from the *k*-th follow-up; NaN
    for *k* = 0), ``pays`` (*k* is at most :attr:`pays_up_to`) and ``small_sample``.
    """

    table: pd.DataFrame
    pays_up_to: int | None
    n: int
    excluded_young: int
    unlogged: int
    unmatched: int
    min_age: int
    min_lift: float

    @property
    def summary(self) -> pd.DataFrame:
        """The :attr:`table`."""
        return self.table

    @property
    def with_and_without(self) -> tuple[int, int]:
        """Settled pitches that got a follow-up or more, and those that got none."""
        t = self.table
        followed = int(t.loc[t["follow_ups"] >= 1, "pitches"].sum())
        return followed, int(t.loc[t["follow_ups"] == 0, "pitches"].sum())

    @property
    def enough(self) -> bool:
        """Whether both counts reach :data:`MIN_PITCHES_FOR_VERDICT`: else no verdict."""
        return min(self.with_and_without) >= MIN_PITCHES_FOR_VERDICT

    def verdict(self) -> str:
        """One plain sentence: how many follow-ups pay.

        >>> from outreach_analytics import normalize
        >>> log = normalize(pd.DataFrame({"Date Sent": ["2024-01-08", "2024-01-09"],
        ...     "Status": ["Ghosted", "Replied"], "Follow-ups": [1, 0]}))
        >>> follow_up_lift(log, as_of="2024-03-01", min_age=21).verdict()
        'Too few pitches to judge following up: 1 with a follow-up and 1 without (a verdict needs 10 of each).'
        """
        t = self.table[self.table["follow_ups"] >= 1]
        if t.empty or self.n == 0:
            return "No follow-ups logged on settled pitches: nothing to learn yet."
        if not self.enough:
            followed, alone = self.with_and_without
            return (
                f"Too few pitches to judge following up: {followed:,} with a follow-up and "
                f"{alone:,} without (a verdict needs {MIN_PITCHES_FOR_VERDICT} of each)."
            )
        if self.pays_up_to is None or self.pays_up_to == 0:
            r = t.iloc[0]
            return (
                f"Following up does not pay here: the 1st brought at most {_per100(r)} "
                "more replies per 100 pitches."
            )
        k = self.pays_up_to
        r = t[t["follow_ups"] == k].iloc[0]
        nxt = t[t["follow_ups"] == k + 1]
        times = "once" if k == 1 else f"{k} times"
        tail = (
            f"; a {_ordinal(k + 1)}, at most {_per100(nxt.iloc[0])}"
            if len(nxt)
            else f"; nobody sent a {_ordinal(k + 1)}"
        )
        return (
            f"Follow up {times}: the {_ordinal(k)} brought at most {_per100(r)} more "
            f"replies per 100 pitches{tail}."
        )

    def __repr__(self) -> str:
        cols = ["follow_ups", "pitches", "rate", "at_risk", "yield_", "lift", "lift_low",
                "lift_high", "pays"]  # fmt: skip
        head = (
            f"<FollowUpLift: {plural(self.n, 'settled pitch', 'settled pitches')} (sent "
            f"{self.min_age}+ days ago); "
            f"pays up to {self.pays_up_to}>"
        )
        return head + "\n" + self.table[cols].round(3).to_string(index=False)

    def _repr_html_(self) -> str:
        pct = {
            c: "{:.1%}" for c in ("rate", "yield_", "cumulative", "lift", "lift_low", "lift_high")
        }
        return (
            self.table.style.hide(axis="index")
            .format(pct, na_rep="—")
            .set_caption(html.escape(self.verdict()))
            .to_html()
        )


def _ordinal(k: int) -> str:
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def _per100(r: pd.Series) -> str:
    return f"{r['lift'] * 100:.0f} ({r['lift_low'] * 100:.0f}–{r['lift_high'] * 100:.0f})"


def follow_up_lift(
    df: pd.DataFrame,
    *,
    as_of=None,
    min_age: int | None = None,
    min_lift: float = _MIN_LIFT,
    alpha: float = 0.05,
    seed: int = 0,
) -> FollowUpLift:
    """Reply rate by number of follow-ups, the lift of each extra one, and where it stops paying.

    See the module docstring for what is estimated and why the plain rate is not used.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> f = follow_up_lift(load(sample_path()), as_of="2026-11-15")
    >>> f.table["follow_ups"].tolist()
    [0, 1, 2, 3, 4]
    >>> bool((f.table["at_risk"].diff().dropna() <= 0).all())
    True
    """
    as_of = resolve_as_of(as_of)
    if min_age is None:
        from .survival import time_to_response

        min_age = settled_age(time_to_response(df, as_of=as_of))
    return lift_of_pitches(
        match_pitches(df, as_of),
        as_of=as_of,
        min_age=min_age,
        min_lift=min_lift,
        alpha=alpha,
        seed=seed,
    )


def lift_of_pitches(
    p: Pitches,
    *,
    as_of: pd.Timestamp,
    min_age: int,
    min_lift: float = _MIN_LIFT,
    alpha: float = 0.05,
    seed: int = 0,
) -> FollowUpLift:
    """:func:`follow_up_lift` of pitches already matched to their follow-ups (the part
    that needs ``min_age``; ``summarize`` matches them while the reply curve is drawn)."""
    # the pitches with a count logged, sent at least min_age days ago: one mask, one copy
    use = ~np.isnan(p.count)
    use &= p.is_pitch
    unlogged = int(p.is_pitch.sum() - use.sum())
    young = p.sent > second_of(as_of - pd.Timedelta(days=min_age))
    young &= use
    excluded_young = int(young.sum())
    use &= ~young
    k, rep = p.count[use], p.replied[use]
    np.maximum(k, 0, out=k)
    k = np.rint(k, out=k).astype(np.int64)
    top = int(k.max()) if len(k) else 0
    levels = np.arange(top + 1)
    exactly = np.bincount(k, minlength=top + 1)[: top + 1] if len(k) else np.zeros(1, int)
    replied = np.bincount(k[rep], minlength=top + 1)[: top + 1] if len(k) else np.zeros(1, int)
    at_risk = exactly[::-1].cumsum()[::-1]
    rate_low, rate_high = wilson_interval(replied, exactly, alpha)
    y_low, y_high = wilson_interval(replied, at_risk, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(exactly > 0, replied / np.maximum(exactly, 1), np.nan)
        hazard = np.where(at_risk > 0, replied / np.maximum(at_risk, 1), np.nan)
    silent_before = np.concatenate([[1.0], np.cumprod(1 - np.nan_to_num(hazard))[:-1]])
    lift = silent_before * hazard
    cumulative = 1 - np.cumprod(1 - np.nan_to_num(hazard))
    # Monte Carlo from Jeffreys posteriors of the yields, for the lifts' intervals
    rng = np.random.default_rng(seed)
    draws = beta_draws(rng, replied + 0.5, at_risk - replied + 0.5, _DRAWS)
    surv = np.vstack([np.ones(_DRAWS), np.cumprod(1 - draws, axis=0)[:-1]])
    lifts = surv * draws
    lift_low, lift_high = np.quantile(lifts, [alpha / 2, 1 - alpha / 2], axis=1)  # one sort
    lift[0] = lift_low[0] = lift_high[0] = np.nan  # the pitch itself is not a follow-up
    pays = np.zeros(len(levels), dtype=bool)
    enough = lift >= min_lift
    pays_up_to = 0
    for j in range(1, len(levels)):
        if not enough[j]:
            break
        pays_up_to = j
    followed, alone = int(exactly[1:].sum()), int(exactly[0])
    if min(followed, alone) < MIN_PITCHES_FOR_VERDICT:  # too few to advise: none pays
        pays_up_to = None
    else:  # past the first that does not pay, none is advised
        pays[1 : pays_up_to + 1] = True
    table = pd.DataFrame(
        {
            "follow_ups": levels.astype("int64"),
            "pitches": exactly.astype("int64"),
            "replied": replied.astype("int64"),
            "rate": rate,
            "rate_low": rate_low,
            "rate_high": rate_high,
            "at_risk": at_risk.astype("int64"),
            "yield_": hazard,
            "yield_low": y_low,
            "yield_high": y_high,
            "cumulative": cumulative,
            "lift": lift,
            "lift_low": lift_low,
            "lift_high": lift_high,
            "pays": pays,
            "small_sample": is_small_sample(replied, at_risk),
        }
    )
    return FollowUpLift(
        table,
        pays_up_to,
        int(len(k)),
        excluded_young,
        unlogged,
        p.unmatched,
        int(min_age),
        float(min_lift),
    )


def settled_age(t) -> int:
    """Days after which a pitch counts as settled here: the ghosting day of a
    :func:`~outreach_analytics.analysis.survival.time_to_response` fit where the log has
    reply dates (and 5 replies or more), else 21 days."""
    day = t.overall.ghosting_day
    if t.dated and t.overall.events >= 5 and math.isfinite(day):
        return int(math.ceil(day))
    return _DEFAULT_MIN_AGE


def _n(x) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def lift_record(f: FollowUpLift) -> dict | None:
    """The ``follow_up_lift`` object of ``summary --json`` (``None`` with no follow-ups logged).

    >>> from outreach_analytics import load, sample_path
    >>> rec = lift_record(follow_up_lift(load(sample_path()), as_of="2026-11-15"))
    >>> sorted(rec)
    ['enough', 'levels', 'method', 'min_age_days', 'min_pitches', 'pays_up_to', 'pitches', 'unmatched', 'verdict']
    """
    if f.n == 0:
        return None
    return {
        "method": "yield among still-silent pitches (discrete-time hazard); lift = extra "
        "replies per pitch, an upper bound on the follow-up's own effect",
        "pitches": f.n,
        "min_age_days": f.min_age,
        "unmatched": f.unmatched,
        "enough": f.enough,
        "min_pitches": MIN_PITCHES_FOR_VERDICT,
        "pays_up_to": f.pays_up_to,
        "verdict": f.verdict(),
        "levels": [
            {
                "follow_ups": int(r.follow_ups),
                "pitches": int(r.pitches),
                "replied": int(r.replied),
                "rate": _n(r.rate),
                "at_risk": int(r.at_risk),
                "yield": _n(r.yield_),
                "lift": {"value": _n(r.lift), "ci_low": _n(r.lift_low), "ci_high": _n(r.lift_high)},
                "pays": bool(r.pays),
            }
            for r in f.table.itertuples(index=False)
        ],
    }
