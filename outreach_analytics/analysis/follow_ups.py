"""Does following up pay? Reply rates by number of follow-ups, and the lift of each one.

Follow-ups are read from the log in two forms, added together:

* a ``follow_ups`` count column (how many follow-ups a pitch got);
* follow-up rows: a row whose ``pitch_type`` says "follow-up" (or "follow up",
  "followup", "nudge", "reminder") and names a ``client``. It counts as a follow-up of
  the latest earlier pitch to the same client that is not itself a follow-up, sent at
  most :data:`MAX_GAP_DAYS` days before; a reply
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
1st to *k*-th all pay: the point after which another follow-up no longer pays.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model.schema import STAGES
from .metrics import resolve_as_of
from .stats import is_small_sample, wilson_interval

__all__ = [
    "MAX_GAP_DAYS",
    "settled_age",
    "FollowUpLift",
    "follow_up_counts",
    "follow_up_lift",
    "summary_record",
]

_FOLLOW_UP = re.compile(r"follow[\s_-]*up|\bnudge|\breminder|\bbump\b", re.IGNORECASE)
_DRAWS = 20_000
#: A follow-up row counts toward a pitch to the same client sent at most this long before.
MAX_GAP_DAYS = 60
_DEFAULT_MIN_AGE = 21


def _is_follow_up_row(df: pd.DataFrame) -> np.ndarray:
    if "pitch_type" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    codes, uniques = pd.factorize(df["pitch_type"])  # the regex runs once per distinct word
    match = np.array([bool(_FOLLOW_UP.search(str(u))) for u in uniques] + [False])
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
    from .survival import _action_mask, _stage_codes

    as_of = resolve_as_of(as_of)
    keep = _action_mask(df, as_of)
    is_fu = _is_follow_up_row(df)[keep]
    replied = _stage_codes(df["stage"])[keep] >= STAGES.index("responded")
    if "follow_ups" in df.columns:
        count = pd.to_numeric(df["follow_ups"], errors="coerce").to_numpy(dtype=float)[keep]
    else:
        count = np.full(int(keep.sum()), np.nan)
    pitches = pd.DataFrame(
        {"date": df["date"].to_numpy()[keep], "follow_ups": count, "replied": replied}
    )
    if is_fu.any():
        if "client" in df.columns:
            client = pd.factorize(df["client"])[0][keep].astype(float)
            client[client < 0] = np.nan
        else:
            client = np.full(len(pitches), np.nan)
        pitches.insert(1, "client", client)
    fu = pitches[is_fu]
    pitches = pitches[~is_fu].reset_index(drop=True)
    unmatched = 0
    if len(fu):  # follow-up rows: the latest earlier pitch to the same client
        fu = fu[fu["client"].notna()].sort_values("date")
        unmatched = int(is_fu.sum() - len(fu))
        base = pitches.assign(_pos=np.arange(len(pitches)))
        base = base[base["client"].notna()].sort_values("date")
        matched = pd.merge_asof(
            fu[["date", "client", "replied"]],
            base[["date", "client", "_pos"]],
            on="date",
            by="client",
            direction="backward",
            tolerance=pd.Timedelta(days=MAX_GAP_DAYS),
        )
        pos = matched["_pos"].to_numpy(dtype=float)
        ok = ~np.isnan(pos)
        unmatched += int((~ok).sum())
        pos = pos[ok].astype(np.int64)
        n_fu = np.bincount(pos, minlength=len(pitches)).astype(float)
        got = np.bincount(pos, weights=matched["replied"].to_numpy(dtype=float)[ok],
                          minlength=len(pitches)) > 0  # fmt: skip
        has = n_fu > 0
        count_now = pitches["follow_ups"].to_numpy(dtype=float)
        pitches["follow_ups"] = np.where(has, np.nan_to_num(count_now) + n_fu, count_now)
        pitches["replied"] = pitches["replied"].to_numpy(dtype=bool) | got
    if len(fu) and np.isnan(count).all():  # follow-ups logged only as rows
        pitches["follow_ups"] = pitches["follow_ups"].fillna(0)
    pitches["logged"] = pitches["follow_ups"].notna()
    pitches = pitches.drop(columns="client", errors="ignore")
    pitches["replied"] = pitches["replied"].astype(bool)
    return pitches, unmatched


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

    def verdict(self) -> str:
        """One plain sentence: how many follow-ups pay."""
        t = self.table[self.table["follow_ups"] >= 1]
        if t.empty or self.n == 0:
            return "No follow-ups logged on settled pitches: nothing to learn yet."
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
            f"<FollowUpLift: {self.n} settled pitches (sent {self.min_age}+ days ago); "
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
    min_lift: float = 0.02,
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
    pitches, unmatched = follow_up_counts(df, as_of=as_of)
    unlogged = int((~pitches["logged"]).sum())
    logged = pitches[pitches["logged"]]
    old = logged["date"] <= as_of - pd.Timedelta(days=min_age)
    use = logged[old]
    k = use["follow_ups"].clip(lower=0).round().astype("int64").to_numpy()
    rep = use["replied"].to_numpy(dtype=bool)
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
    draws = rng.beta(replied[:, None] + 0.5, at_risk[:, None] - replied[:, None] + 0.5,
                     size=(len(levels), _DRAWS))  # fmt: skip
    surv = np.vstack([np.ones(_DRAWS), np.cumprod(1 - draws, axis=0)[:-1]])
    lifts = surv * draws
    lift_low = np.quantile(lifts, alpha / 2, axis=1)
    lift_high = np.quantile(lifts, 1 - alpha / 2, axis=1)
    lift[0] = lift_low[0] = lift_high[0] = np.nan  # the pitch itself is not a follow-up
    pays = np.zeros(len(levels), dtype=bool)
    enough = lift >= min_lift
    pays_up_to = 0
    for j in range(1, len(levels)):
        if not enough[j]:
            break
        pays_up_to = j
    pays[1 : pays_up_to + 1] = True  # past the first that does not pay, none is advised
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
        pays_up_to if len(k) else None,
        int(len(k)),
        int((~old).sum()),
        unlogged,
        unmatched,
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


def summary_record(f: FollowUpLift) -> dict | None:
    """The ``follow_up_lift`` object of ``summary --json`` (``None`` with no follow-ups logged).

    >>> from outreach_analytics import load, sample_path
    >>> rec = summary_record(follow_up_lift(load(sample_path()), as_of="2026-11-15"))
    >>> sorted(rec)
    ['levels', 'method', 'min_age_days', 'pays_up_to', 'pitches', 'unmatched', 'verdict']
    """
    if f.n == 0:
        return None
    return {
        "method": "yield among still-silent pitches (discrete-time hazard); lift = extra "
        "replies per pitch, an upper bound on the follow-up's own effect",
        "pitches": f.n,
        "min_age_days": f.min_age,
        "unmatched": f.unmatched,
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
