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

**Too few wins.** Below :data:`MIN_WINS_FOR_FORECAST` wins the forecast is not made: the
posterior rests as much on the prior as on the log, its upper quantiles run to thousands
of pitches and its dates to the next century. What the log does say is a floor: at least
``1 / (upper Wilson bound of the win rate)`` pitches per win
(:func:`~outreach_analytics.analysis.stats.pitches_per_win_interval`). The result then
has ``enough`` False, no pitch counts, no expected wins and no date; ``to_dict`` keeps
its keys, with nulls, a ``reason`` and ``pitches_per_win_at_least``.
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
from .stats import pitches_per_win_interval
from .text import plural

__all__ = [
    "JEFFREYS",
    "MIN_WINS_FOR_FORECAST",
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
#: Fewest wins for a forecast of the next one. With one or two wins Jeffreys' half a win
#: of prior weighs a third to a half of the evidence, and the predictive's tail is ten
#: times its median (1 win in 100 settled: 50% within 59 pitches, 95% within 636; with
#: none, 40,000): its 95% pitch count and its 80% date say more about the prior than
#: about the log. Below this the forecast says only "at least L pitches per win".
MIN_WINS_FOR_FORECAST = 3
_LEVELS = (0.5, 0.8, 0.95)
_PACE_WEEKS = 8
_HORIZON_DAYS = 36_525


def _num(x) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


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
    enough : bool
        Whether there are :data:`MIN_WINS_FOR_FORECAST` wins or more. When not, the
        ``pitches`` values are None, ``expected_wins`` holds NaN, there is no date and
        ``curve`` is empty: only ``at_least`` is said.
    at_least : float
        At least this many pitches per win (95%): 1 / the upper Wilson bound of the win
        rate; NaN with nothing settled.
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
    enough: bool = True
    at_least: float = math.nan

    @property
    def reason(self) -> str | None:
        """Why there is no forecast (None when there is one)."""
        if self.enough:
            return None
        return (
            f"{plural(self.wins, 'win')} so far; a forecast of the next needs "
            f"{MIN_WINS_FOR_FORECAST} or more"
        )

    @property
    def summary(self) -> pd.DataFrame:
        """One row per quantity: ``quantity``, ``value``, ``ci_low``, ``ci_high``."""
        if not self.enough:
            rows = [
                ("pitches per win, at least (95%)", self.at_least, np.nan, np.nan),
                ("actions per week (last 8 weeks)", self.pace, np.nan, np.nan),
            ]
            return pd.DataFrame(rows, columns=["quantity", "value", "ci_low", "ci_high"])
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
        if not self.enough:
            if not math.isfinite(self.at_least):
                return "Next win: no settled action yet, so nothing to forecast"
            return (
                f"Next win: not forecast from {plural(self.wins, 'win')} (it takes "
                f"{MIN_WINS_FOR_FORECAST}); what is known: at least "
                f"{plural(round(self.at_least), 'pitch', 'pitches')} per win"
            )
        p = self.pitches
        head = (
            f"Next win: a 50% chance within {plural(p['p50'], 'pitch', 'pitches')}, "
            f"80% within {p['p80']:,}, 95% within {p['p95']:,}"
        )
        if self.next_win_date_80 is None:
            return head + " (too few recent pitches to date it)"
        return head + f"; 80% likely by {self.next_win_date_80.date().isoformat()}"

    def to_dict(self) -> dict:
        """The ``forecast`` entry of ``summary --json``.

        Always the same keys. ``enough`` says whether a forecast was made (there are
        ``min_wins`` wins or more); when not, ``pitches_for_next_win``'s values, the
        expected wins' values and ``next_win_date_80`` are null, ``reason`` says why and
        ``pitches_per_win_at_least`` what is known (null with nothing settled).

        >>> d = next_win_from_counts(2, 100, 5.0, as_of="2024-03-01").to_dict()
        >>> d["enough"], d["pitches_for_next_win"], d["next_win_date_80"]
        (False, {'p50': None, 'p80': None, 'p95': None}, None)
        >>> round(d["pitches_per_win_at_least"], 1), d["reason"]
        (14.4, '2 wins so far; a forecast of the next needs 3 or more')
        """

        def interval(r) -> dict:
            return {k: _num(getattr(r, k)) for k in ("value", "ci_low", "ci_high")}

        return {
            "prior": f"Beta({self.prior[0]:g}, {self.prior[1]:g})",
            "wins": int(self.wins),
            "settled": int(self.settled),
            "enough": bool(self.enough),
            "min_wins": MIN_WINS_FOR_FORECAST,
            "reason": self.reason,
            "pitches_per_win_at_least": _num(self.at_least),
            "pitches_for_next_win": {
                k: None if v is None else int(v) for k, v in self.pitches.items()
            },
            "actions_per_week": float(self.pace),
            "expected_wins_4w": interval(self.expected_wins.iloc[0]),
            "expected_wins_12w": interval(self.expected_wins.iloc[1]),
            "next_win_date_80": None
            if self.next_win_date_80 is None
            else self.next_win_date_80.date().isoformat(),
            "verdict": self.verdict,
        }

    def __repr__(self) -> str:
        body = self.summary.to_string(index=False, float_format=lambda x: f"{x:.2f}")
        return (
            f"<NextWin: {plural(self.wins, 'win')} in "
            f"{plural(self.settled, 'settled action')}, prior "
            f"Beta({self.prior[0]:g}, {self.prior[1]:g})>\n{body}\n{self.verdict}"
        )

    def _repr_html_(self) -> str:
        table = (
            self.summary.style.format(precision=2, na_rep="—")
            .hide(axis="index")
            .set_caption(
                f"The next win — {plural(self.wins, 'win')} in "
                f"{plural(self.settled, 'settled action')}, "
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

    Below :data:`MIN_WINS_FOR_FORECAST` wins only the floor on pitches per win is said.

    >>> f = next_win_from_counts(4, 60, 10.0, as_of="2024-03-01")
    >>> f.pitches
    {'p50': 10, 'p80': 26, 'p95': 56}
    >>> f.next_win_date_80.date()
    datetime.date(2024, 3, 20)
    >>> f = next_win_from_counts(0, 60, 10.0, as_of="2024-03-01")
    >>> f.enough, f.pitches["p95"], f.next_win_date_80, round(f.at_least, 1)
    (False, None, None, 16.6)
    """
    day = resolve_as_of(as_of)
    at_least = float(pitches_per_win_interval(wins, settled, alpha)[1])
    if wins < MIN_WINS_FOR_FORECAST:
        nothing = [(w, int(round(pace * w)), np.nan, np.nan, np.nan) for w in (4, 12)]
        return NextWin(
            wins=int(wins),
            settled=int(settled),
            prior=(float(prior[0]), float(prior[1])),
            pitches={f"p{round(level * 100)}": None for level in _LEVELS},
            pace=float(pace),
            as_of=day,
            expected_wins=pd.DataFrame(
                nothing, columns=["weeks", "pitches", "value", "ci_low", "ci_high"]
            ),
            curve=pd.DataFrame({"pitches": np.array([], np.int64), "chance": []}),
            enough=False,
            at_least=at_least,
        )
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
        at_least=at_least,
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
