"""The next win: how many pitches it will take, and when it is likely at the recent pace.

The win rate p gets a Jeffreys prior Beta(0.5, 0.5), updated with the log's wins and
settled actions: p ~ Beta(0.5 + wins, 0.5 + settled - wins). The pitches until the next
win are then 1 + a beta-negative-binomial number of misses
(``scipy.stats.betanbinom(1, a, b)``): the posterior predictive, which carries both the
luck of the draw and what we do not know about p. This works for a log with no win yet,
where it is the most useful number there is.

At the recent pace (actions per week over the last 8 weeks, from
:func:`~outreach_analytics.analysis.activity.daily_activity`), the wins in the next 4 and
12 weeks are beta-binomial (that many new pitches, the same posterior for p; the pace is
taken as known), and the next win is 80% likely by the day the 80% pitch count is sent.
Counts come from :func:`~outreach_analytics.analysis.metrics.counts`, so planned and
future rows never count.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from ._arrays import DAY, action_rows, second_of, seconds
from .distributions import betabinom_ppf
from .metrics import DEFAULT_WINDOW, counts, resolve_as_of

__all__ = [
    "JEFFREYS",
    "NextWin",
    "pitches_for_win",
    "win_chance",
    "wins_in",
    "recent_pace",
    "next_win_from_counts",
    "next_win",
]

#: The prior of the win rate: Jeffreys' Beta(0.5, 0.5).
JEFFREYS = (0.5, 0.5)
_LEVELS = (0.5, 0.8, 0.95)
_PACE_WEEKS = 8
_HORIZON_DAYS = 36_525


def _posterior(wins, settled, prior=JEFFREYS) -> tuple[np.ndarray, np.ndarray]:
    w = np.asarray(wins, dtype=float)
    n = np.asarray(settled, dtype=float)
    return prior[0] + w, prior[1] + n - w


def pitches_for_win(wins, settled, level=0.8, *, prior=JEFFREYS):
    """Fewest new pitches that give at least a ``level`` chance of one win or more.

    The ``level`` quantile of 1 + BetaNegBinom(1, a, b), a = 0.5 + wins and
    b = 0.5 + settled - wins. Vectorised over its arguments.

    >>> int(pitches_for_win(2, 100, 0.8))
    90
    >>> int(pitches_for_win(0, 40, 0.5))  # no win yet: still a finite answer
    121
    """
    a, b = _posterior(wins, settled, prior)
    a, b, level = np.broadcast_arrays(a, b, np.asarray(level, dtype=float))
    # P(no win in m pitches) = B(a, b + m) / B(a, b), decreasing in m: bisect on integers
    # (the same answer as stats.betanbinom.ppf(level, 1, a, b) + 1, much faster in bulk)
    target = np.log1p(-level)
    base = special.betaln(a, b)
    low = np.zeros(a.shape)  # P(no win in low pitches) > 1 - level
    high = np.ones(a.shape)
    while True:
        short = special.betaln(a, b + high) - base > target + 1e-12
        if not short.any():
            break
        high = np.where(short, high * 2, high)
    while np.any(high - low > 1):
        mid = np.floor((low + high) / 2)
        short = special.betaln(a, b + mid) - base > target + 1e-12
        low = np.where(short, mid, low)
        high = np.where(short, high, mid)
    return high.astype(np.int64)


def win_chance(pitches, wins, settled, *, prior=JEFFREYS):
    """Chance of at least one win within ``pitches`` new pitches (posterior predictive).

    >>> round(float(win_chance(90, 2, 100)), 3)
    0.801
    """
    a, b = _posterior(wins, settled, prior)
    m = np.asarray(pitches, dtype=float)
    # 1 - P(no win in m) = 1 - B(a, b + m) / B(a, b): stats.betanbinom.cdf(m - 1, 1, a, b)
    log_none = special.betaln(a, b + np.maximum(m, 0)) - special.betaln(a, b)
    return np.where(m >= 1, -np.expm1(log_none), 0.0)


def wins_in(pitches: int, wins, settled, *, alpha: float = 0.05, prior=JEFFREYS):
    """Expected wins in ``pitches`` new pitches and a 1 - ``alpha`` predictive interval.

    Beta-binomial: ``scipy.stats.betabinom(pitches, a, b)``.

    >>> value, low, high = wins_in(40, 2, 100)
    >>> round(float(value), 3), int(low), int(high)
    (0.990, 0, 4)
    """
    a, b = _posterior(wins, settled, prior)
    m = int(pitches)
    a, b = float(a), float(b)
    low, high = betabinom_ppf([alpha / 2, 1 - alpha / 2], m, a, b)
    return m * a / (a + b), float(low), float(high)


def recent_pace(df: pd.DataFrame, *, as_of=None, weeks: int = _PACE_WEEKS) -> float:
    """Actions per week over the last ``weeks`` weeks up to ``as_of`` (its day included).

    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({"Date Sent": ["2024-03-01"] * 8 + ["2023-01-01"]}))
    >>> recent_pace(log, as_of="2024-03-10")
    1.0
    """
    day = resolve_as_of(as_of)
    start = day - pd.Timedelta(days=7 * weeks - 1)
    # actions (planned rows left out) sent from the first day to the end of the last
    sent = seconds(df["date"])
    recent = (sent >= second_of(start)) & (sent < second_of(day) + DAY)
    recent &= action_rows(df)
    return float(recent.sum()) / weeks


@dataclass(frozen=True)
class NextWin:
    """The posterior predictive of the next win.

    Attributes
    ----------
    wins, settled : int
        The counts the forecast rests on.
    prior : tuple of float
        The prior Beta(a, b) of the win rate (Jeffreys, 0.5 and 0.5).
    pitches : dict
        Pitches for a 50%, 80% and 95% chance of at least one win (keys ``p50``,
        ``p80``, ``p95``).
    pace : float
        Actions per week over the last 8 weeks.
    expected_wins : pandas.DataFrame
        ``weeks`` (4, 12), ``pitches``, ``value``, ``ci_low``, ``ci_high`` (95%).
    next_win_date_80 : pandas.Timestamp or None
        The day by which the next win is 80% likely at the recent pace (None without a
        recent pitch).
    curve : pandas.DataFrame
        ``pitches`` and ``chance`` (of at least one win), for a chart.
    """

    wins: int
    settled: int
    prior: tuple[float, float]
    pitches: dict
    pace: float
    as_of: pd.Timestamp
    expected_wins: pd.DataFrame = field(repr=False)
    next_win_date_80: pd.Timestamp | None = None
    curve: pd.DataFrame = field(default=None, repr=False)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per quantity: ``quantity``, ``value``, ``ci_low``, ``ci_high``."""
        rows = [
            (f"pitches for a {k[1:]}% chance of a win", v, np.nan, np.nan)
            for k, v in self.pitches.items()
        ]
        rows += [
            (f"wins in the next {int(r.weeks)} weeks", r.value, r.ci_low, r.ci_high)
            for r in self.expected_wins.itertuples(index=False)
        ]
        rows.append(("actions per week (last 8 weeks)", self.pace, np.nan, np.nan))
        return pd.DataFrame(rows, columns=["quantity", "value", "ci_low", "ci_high"])

    @property
    def verdict(self) -> str:
        """The forecast in one sentence."""
        p = self.pitches
        head = (
            f"Next win: a 50% chance within {p['p50']:,} pitches, "
            f"80% within {p['p80']:,}, 95% within {p['p95']:,}"
        )
        if self.next_win_date_80 is None:
            return head + " (too few recent pitches to date it)"
        return head + f"; 80% likely by {self.next_win_date_80.date().isoformat()}"

    def to_dict(self) -> dict:
        """The ``forecast`` entry of ``summary --json``."""
        four = self.expected_wins.iloc[0]
        twelve = self.expected_wins.iloc[1]
        return {
            "prior": f"Beta({self.prior[0]:g}, {self.prior[1]:g})",
            "wins": int(self.wins),
            "settled": int(self.settled),
            "pitches_for_next_win": {k: int(v) for k, v in self.pitches.items()},
            "actions_per_week": float(self.pace),
            "expected_wins_4w": {
                "value": float(four.value),
                "ci_low": float(four.ci_low),
                "ci_high": float(four.ci_high),
            },
            "expected_wins_12w": {
                "value": float(twelve.value),
                "ci_low": float(twelve.ci_low),
                "ci_high": float(twelve.ci_high),
            },
            "next_win_date_80": None
            if self.next_win_date_80 is None
            else self.next_win_date_80.date().isoformat(),
            "verdict": self.verdict,
        }

    def __repr__(self) -> str:
        body = self.summary.to_string(index=False, float_format=lambda x: f"{x:.2f}")
        return (
            f"<NextWin: {self.wins} wins in {self.settled} settled actions, prior "
            f"Beta({self.prior[0]:g}, {self.prior[1]:g})>\n{body}\n{self.verdict}"
        )

    def _repr_html_(self) -> str:
        table = (
            self.summary.style.format(precision=2, na_rep="—")
            .hide(axis="index")
            .set_caption(
                f"The next win — {self.wins} wins in {self.settled} settled actions, "
                f"prior Beta({self.prior[0]:g}, {self.prior[1]:g})"
            )
            .to_html()
        )
        return f"{table}<p>{html.escape(self.verdict)}</p>"


def next_win_from_counts(
    wins: int,
    settled: int,
    pace: float,
    *,
    as_of=None,
    prior=JEFFREYS,
    alpha: float = 0.05,
) -> NextWin:
    """The next-win forecast from counts and a pace (actions per week).

    >>> f = next_win_from_counts(0, 60, 10.0, as_of="2024-03-01")
    >>> f.pitches
    {'p50': 181, 'p80': 1447, 'p95': 24040}
    >>> f.next_win_date_80.date()
    datetime.date(2026, 12, 9)
    """
    day = resolve_as_of(as_of)
    pitches = {
        f"p{round(level * 100)}": int(pitches_for_win(wins, settled, level, prior=prior))
        for level in _LEVELS
    }
    rows = []
    for weeks in (4, 12):
        m = int(round(pace * weeks))
        rows.append((weeks, m, *wins_in(m, wins, settled, alpha=alpha, prior=prior)))
    expected = pd.DataFrame(rows, columns=["weeks", "pitches", "value", "ci_low", "ci_high"])
    when = None
    days = pitches["p80"] / pace * 7 if pace > 0 else math.inf
    if days <= _HORIZON_DAYS:  # beyond a century at this pace, no date is honest
        when = day + pd.Timedelta(days=math.ceil(days))
    top = max(pitches["p95"], 10)
    grid = np.unique(np.linspace(0, top, 200).round().astype(np.int64))
    curve = pd.DataFrame({"pitches": grid, "chance": win_chance(grid, wins, settled, prior=prior)})
    return NextWin(
        wins=int(wins),
        settled=int(settled),
        prior=(float(prior[0]), float(prior[1])),
        pitches=pitches,
        pace=float(pace),
        as_of=day,
        expected_wins=expected,
        next_win_date_80=when,
        curve=curve,
    )


def next_win(
    df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW, prior=JEFFREYS
) -> NextWin:
    """How many pitches the next win will take, and when it is likely at the recent pace.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> f = next_win(load(sample_path()), as_of="2026-11-15")
    >>> f.pitches["p50"] < f.pitches["p80"] < f.pitches["p95"]
    True
    """
    day = resolve_as_of(as_of)
    total = counts(df, as_of=day, window=window).iloc[0]
    pace = recent_pace(df, as_of=day)
    return next_win_from_counts(
        int(total["wins"]), int(total["settled"]), pace, as_of=day, prior=prior
    )
