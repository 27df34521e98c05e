"""Estimates from small tables of counts: Wilson intervals and their inverses.

Everything here takes counts, never rows, so it is cheap and easy to check against
an independent implementation (the tests use statsmodels).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "wilson_interval",
    "pitches_per_win_interval",
    "is_small_sample",
    "SMALL_SAMPLE",
    "FEW_SUCCESSES",
]

#: Below this many settled actions an estimate is marked as a small sample.
SMALL_SAMPLE = 30
#: Below this many successes (or failures) an estimate is marked as a small sample too:
#: there Wilson intervals miss on one side more often than 5% (issue 9's simulation).
FEW_SUCCESSES = 5


def is_small_sample(successes, trials) -> np.ndarray:
    """True where fewer than 30 trials, or fewer than 5 successes or 5 failures.

    >>> is_small_sample([3, 10, 10], [100, 100, 20]).tolist()
    [True, False, True]
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    return (n < SMALL_SAMPLE) | (np.minimum(k, n - k) < FEW_SUCCESSES)


def wilson_interval(successes, trials, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion; NaN where ``trials`` is 0.

    Equal to ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    Parameters
    ----------
    successes, trials : array_like
        Counts.
    alpha : float, default 0.05
        1 - confidence level.

    Returns
    -------
    (low, high) : tuple of numpy.ndarray

    Examples
    --------
    >>> low, high = wilson_interval(3, 10)
    >>> round(float(low), 4), round(float(high), 4)
    (0.1078, 0.6032)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = float(special.ndtri(1 - alpha / 2))
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z2 / n
        center = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
        # exact where the formula's rounding would leave a trace: no success, or all
        low = np.where(k <= 0, 0.0, np.clip(center - half, 0.0, 1.0))
        high = np.where(k >= n, 1.0, np.clip(center + half, 0.0, 1.0))
    empty = n <= 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def pitches_per_win_interval(wins, settled, alpha: float = 0.05):
    """Pitches per win (settled / wins) and its interval, the win-rate interval inverted.

    With no win yet the estimate is not defined but the interval still says something:
    at least ``1 / upper bound of the win rate`` pitches per win. The estimate and
    ``high`` are then NaN and ``low`` is that bound. All three are NaN with nothing settled.

    Examples
    --------
    >>> est, low, high = pitches_per_win_interval(5, 100)
    >>> float(est), round(float(low), 1), round(float(high), 1)
    (20.0, 8.9, 46.4)
    >>> est, low, high = pitches_per_win_interval(0, 40)
    >>> bool(np.isnan(est)), round(float(low), 1), bool(np.isnan(high))
    (True, 11.4, True)
    """
    w = np.asarray(wins, dtype=float)
    n = np.asarray(settled, dtype=float)
    rate_low, rate_high = wilson_interval(w, n, alpha)
    ok = w > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(ok, n / w, np.nan)
        low = np.where(n > 0, 1 / rate_high, np.nan)
        high = np.where(ok, 1 / rate_low, np.nan)
    return est, low, high
