"""The few tests and quantiles ``summary`` needs that scipy has only in :mod:`scipy.stats`.

scipy does the math: the callers take the special functions from :mod:`scipy.special`
(``betaln``, ``betaincinv``, ``ndtr``, ``ndtri``...) and the optimisers from
:mod:`scipy.optimize`, imported inside the functions that use them. ``import scipy.stats``
alone costs about half a second, more than the whole ``summary`` of the bundled sample, so
what ``summary`` needs from it is written here on :mod:`scipy.special` and numpy:

* :func:`chi2_independence`, Pearson's test (``scipy.stats.chi2_contingency``);
* :func:`fisher_exact_2x2`, two-sided, scipy's definition (``scipy.stats.fisher_exact``),
  and :func:`fisher_monte_carlo`, the r×2 table's p-value by seeded Monte Carlo;
* :func:`betabinom_ppf`, the beta-binomial's quantile (``scipy.stats.betabinom.ppf``);
* :func:`log_comb`, on which the last three rest, and :func:`beta_draws`, seeded draws.

Calls that ``summary`` never makes take scipy.stats itself, imported where they run (the
exact binomial test of :mod:`~outreach_analytics.analysis.benchmarks`).
``tests/test_distributions.py`` checks every function here against scipy.stats or an exact
calculation.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import special

__all__ = [
    "log_comb",
    "chi2_independence",
    "fisher_exact_2x2",
    "fisher_monte_carlo",
    "betabinom_ppf",
    "beta_draws",
    "minimize_bounded",
]

_EPS = np.finfo(float).eps
#: scipy's relative tolerance for ties between table probabilities: 1e-14 in its 2×2
#: Fisher test, 100 machine epsilons in its Monte Carlo tests.
_FISHER_TIE = 1e-14
_MC_TIE = 100 * _EPS


def log_comb(n, k):
    """log C(n, k), as scipy's beta-binomial writes it: −log(n + 1) − log B(n − k + 1, k + 1).

    scipy.special lacks a log binomial coefficient (``special.binom`` overflows from n ≈ 1030).
    Symmetric to the last bit, ``log_comb(n, k) == log_comb(n, n - k)`` (``special.betaln``
    orders its arguments): ties between table probabilities stay exact ties. Above
    n = 170 ``special.betaln`` subtracts log-gammas: log C(1e6, 1) is off by 2e-10.

    >>> round(float(np.exp(log_comb(10, 3))), 9)
    120.0
    """
    n = np.asarray(n, dtype=float)
    k = np.asarray(k, dtype=float)
    return -np.log1p(n) - special.betaln(n - k + 1.0, k + 1.0)


def chi2_independence(table) -> tuple[float, int, float]:
    """Pearson's chi-square test of independence: ``(statistic, dof, p_value)``.

    scipy lacks it outside scipy.stats (``chi2_contingency(table, correction=False)``).
    The expected counts from the margins, statistic Σ (O − E)² / E, p-value
    ``special.chdtrc``. Every row and column sum must be positive.

    >>> stat, dof, p = chi2_independence([[10, 20], [30, 40]])
    >>> round(stat, 6), dof, round(p, 6)
    (0.793651, 1, 0.372998)
    """
    observed = np.asarray(table, dtype=float)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    stat = float(((observed - expected) ** 2 / expected).sum())
    dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    return stat, dof, float(special.chdtrc(dof, stat))


def _log_tie(values, tie: float) -> float:
    """Slack for "no more likely than" on log probabilities: the relative tie tolerance
    plus the rounding of logs of this size (ties that are exact in theory stay ties)."""
    scale = float(np.max(np.abs(values))) if np.size(values) else 0.0
    return math.log1p(tie) + 64 * _EPS * max(scale, 1.0)


def fisher_exact_2x2(table) -> float:
    """Two-sided p-value of Fisher's exact test on a 2×2 table, as ``scipy.stats.fisher_exact``.

    scipy lacks it outside scipy.stats, whose import ``summary`` must not pay.
    The sum of the hypergeometric probabilities of the tables with the observed margins
    that are no more likely than the observed one (within scipy's relative 1e-14, which
    keeps ties); 1 when a row or column sums to 0 or the table is the most likely one.

    >>> round(fisher_exact_2x2([[8, 2], [1, 5]]), 6)
    0.034965
    """
    c = np.asarray(table, dtype=np.int64)
    if c.shape != (2, 2) or (c < 0).any():
        raise ValueError("the table must be 2×2 with counts >= 0.")
    if (c.sum(axis=0) == 0).any() or (c.sum(axis=1) == 0).any():
        return 1.0
    n1, n2 = int(c[0].sum()), int(c[1].sum())
    n = int(c[0, 0] + c[1, 0])
    total = n1 + n2
    x_obs = int(c[0, 0])
    lo, hi = max(0, n - n2), min(n, n1)

    def log_w(x):  # log C(n1, x) + log C(n2, n − x): log P(x) + log C(N, n)
        return log_comb(n1, x) + log_comb(n2, n - np.asarray(x, dtype=float))

    log_norm = float(log_comb(total, n))
    if hi - lo <= 5000:
        values = log_w(np.arange(lo, hi + 1))
        keep = values <= values[x_obs - lo] + _log_tie(values, _FISHER_TIE)
        if keep.all():
            return 1.0
        return min(float(np.sum(np.exp(values[keep] - log_norm))), 1.0)
    # a large table: only the tables no more likely than the observed one, down to 1e-20
    # of its probability, add anything; find them by bisection on each side of the mode
    mode = min(max(int((n + 1) * (n1 + 1) / (total + 2)), lo), hi)
    top, observed = float(log_w(mode)), float(log_w(x_obs))
    ceiling = observed + _log_tie([top], _FISHER_TIE)
    if top <= ceiling:
        return 1.0
    floor = observed - 46.0  # e^-46 = 1e-20

    def first(a: int, b: int, inside) -> int:
        """The first x in [a, b] where ``inside(log_w(x))`` holds (it holds from there on)."""
        while a < b:
            mid = (a + b) // 2
            if inside(float(log_w(mid))):
                b = mid
            else:
                a = mid + 1
        return a

    # left of the mode log_w rises: [start, stop) is no likelier than observed, above floor
    stop = first(lo, mode, lambda v: v > ceiling)
    start = first(lo, stop, lambda v: v >= floor) if stop > lo else lo
    # right of the mode it falls
    begin = first(mode, hi + 1, lambda v: v <= ceiling)
    end = first(begin, hi + 1, lambda v: v < floor) if begin <= hi else begin
    x = np.concatenate([np.arange(start, stop), np.arange(begin, end)])
    return min(float(np.sum(np.exp(log_w(x) - log_norm))), 1.0)


def fisher_monte_carlo(table, draws: int = 20_000, rng=None) -> float:
    """Fisher's exact test of an r×2 table, its p-value by Monte Carlo.

    scipy lacks it outside scipy.stats, whose ``MonteCarloMethod`` draws other tables.
    ``draws`` tables with the observed margins under independence (the first column is
    a multivariate hypergeometric draw, :meth:`numpy.random.Generator.multivariate_hypergeometric`);
    the statistic is the table's probability, and the p-value is
    (1 + #{tables no more likely than the observed}) / (1 + draws), with scipy's
    relative tolerance for ties (100 machine epsilons), as ``scipy.stats.fisher_exact``
    with a ``MonteCarloMethod``. Its Monte Carlo standard error is at most
    0.5 / √draws (0.0035 at 20,000 draws).

    >>> p = fisher_monte_carlo([[3, 10], [1, 8], [0, 5]], rng=np.random.default_rng(1))
    >>> 0.6 < p < 0.8
    True
    """
    c = np.asarray(table, dtype=np.int64)
    if c.ndim != 2 or c.shape[1] != 2 or (c < 0).any():
        raise ValueError("the table must be r×2 with counts >= 0.")
    if c.shape[0] < 2 or (c == 0).all():
        return 1.0
    rng = np.random.default_rng(rng)
    rows = c.sum(axis=1)
    k_total = int(c[:, 0].sum())
    sampled = rng.multivariate_hypergeometric(rows, k_total, size=int(draws))

    def log_w(first):  # Σ log C(n_i, k_i), terms sorted so permuted tables tie exactly
        terms = np.sort(log_comb(rows, first), axis=-1)
        return terms.sum(axis=-1)

    observed = log_w(c[:, 0])
    null = log_w(sampled)
    slack = _log_tie(np.append(null, observed), _MC_TIE)
    return float((np.count_nonzero(null <= observed + slack) + 1.0) / (draws + 1.0))


def beta_draws(rng: np.random.Generator, a, b, draws: int) -> np.ndarray:
    """``draws`` Beta(a_i, b_i) draws for each pair: an array of shape (len(a), draws).

    The same numbers as ``rng.beta(a[:, None], b[:, None], size=(len(a), draws))``, drawn
    row by row: numpy's broadcasting path costs about 3 times as much per draw for large
    a and b (posteriors of 100,000 pitches).

    >>> rng = np.random.default_rng(0)
    >>> beta_draws(rng, [2.0, 30.0], [3.0, 10.0], 4).shape
    (2, 4)
    """
    a, b = np.atleast_1d(np.asarray(a, dtype=float)), np.atleast_1d(np.asarray(b, dtype=float))
    out = np.empty((a.size, int(draws)))
    for row, ai, bi in zip(out, a, b, strict=True):
        row[:] = rng.beta(ai, bi, size=int(draws))
    return out


def _betabinom_pmf(k: np.ndarray, n: int, a: float, b: float) -> np.ndarray:
    """Beta-binomial(n, a, b) probabilities of whole k in [0, n], as scipy.stats.betabinom."""
    return np.exp(log_comb(n, k) + special.betaln(k + a, n - k + b) - special.betaln(a, b))


def betabinom_ppf(q, n: int, a: float, b: float):
    """The smallest k with P(X <= k) >= q, X ~ Beta-binomial(n, a, b) (scipy's definition).

    scipy lacks it outside scipy.stats, whose generic search takes 0.2 s for 1M pitches.
    Here one cumulative sum of the pmf, 0.005 s. "Reaches q" within 1e-12 of the nearer
    tail, min(q, 1 − q), so that a cdf equal to q in theory (q = 1/2 for a symmetric
    prior) is not lost to rounding.

    >>> betabinom_ppf([0.025, 0.975], 40, 2.5, 98.5).tolist()
    [0.0, 4.0]
    """
    q = np.asarray(q, dtype=float)
    n = int(n)
    lo, hi = 0, n
    if a >= 1 and b >= 1 and n > 10_000:
        # log-concave: only k within 60 sd of the mean, if the pmf has fallen below 1e-50
        # of its peak at both ends of that window (then the mass left out is below 1e-45)
        s = a + b
        mean = n * a / s
        sd = math.sqrt(n * a * b * (s + n) / (s * s * (s + 1.0)))
        lo, hi = max(0, int(mean - 60 * sd) - 50), min(n, int(mean + 60 * sd) + 50)
    pmf = _betabinom_pmf(np.arange(lo, hi + 1), n, a, b)
    peak = pmf.max()
    if (lo > 0 and pmf[0] > 1e-50 * peak) or (hi < n and pmf[-1] > 1e-50 * peak):
        lo, hi = 0, n
        pmf = _betabinom_pmf(np.arange(n + 1), n, a, b)
    cum = np.cumsum(pmf)
    at = np.searchsorted(cum, q - 1e-12 * np.minimum(q, 1 - q), side="left")
    out = (lo + at).astype(float)
    out = np.minimum(out, float(n))
    out = np.where(q == 0, -1.0, np.where(q == 1, float(n), out))  # scipy at 0 and 1
    out = np.where((q < 0) | (q > 1) | np.isnan(q), np.nan, out)
    return out if out.ndim else float(out)


def minimize_bounded(
    func: Callable[[float], float], low: float, high: float, *, xatol: float = 1e-5, maxiter=500
) -> float:
    """The x in [low, high] that minimises ``func``: Brent's bounded method.

    scipy lacks it outside scipy.optimize, whose import (0.1 s) would be a quarter of
    ``summary`` of a small log, which fits a prior (:func:`.compare.fit_beta_prior`) on
    every run.

    Golden-section search with parabolic interpolation, stopped when the bracket around
    the best point is within ``xatol`` (absolute) plus √(2.2e-16)·|x| (relative):
    line for line ``scipy.optimize.minimize_scalar(func, bounds=(low, high),
    method="bounded", options={"xatol": xatol})``, so it returns the same point.

    >>> round(minimize_bounded(lambda x: (x - 2.0) ** 2, 0.0, 5.0, xatol=1e-9), 6)
    2.0
    """
    if not low <= high:
        raise ValueError("the lower bound exceeds the upper bound.")
    sqrt_eps = math.sqrt(2.2e-16)
    golden_mean = 0.5 * (3.0 - math.sqrt(5.0))
    a, b = low, high
    fulc = a + golden_mean * (b - a)
    nfc = xf = fulc
    rat = e = 0.0
    x = xf
    fx = func(x)
    num = 1
    ffulc = fnfc = fx
    xm = 0.5 * (a + b)
    tol1 = sqrt_eps * abs(xf) + xatol / 3.0
    tol2 = 2.0 * tol1
    while abs(xf - xm) > (tol2 - 0.5 * (b - a)):
        golden = True
        if abs(e) > tol1:  # a parabola through the three best points
            golden = False
            r = (xf - nfc) * (fx - ffulc)
            q = (xf - fulc) * (fx - fnfc)
            p = (xf - fulc) * q - (xf - nfc) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            r = e
            e = rat
            if abs(p) < abs(0.5 * q * r) and p > q * (a - xf) and p < q * (b - xf):
                rat = (p + 0.0) / q
                x = xf + rat
                if (x - a) < tol2 or (b - x) < tol2:
                    rat = tol1 * (_sign(xm - xf) + ((xm - xf) == 0))
            else:
                golden = True
        if golden:
            e = a - xf if xf >= xm else b - xf
            rat = golden_mean * e
        x = xf + (_sign(rat) + (rat == 0)) * max(abs(rat), tol1)
        fu = func(x)
        num += 1
        if fu <= fx:
            if x >= xf:
                a = xf
            else:
                b = xf
            fulc, ffulc = nfc, fnfc
            nfc, fnfc = xf, fx
            xf, fx = x, fu
        else:
            if x < xf:
                a = x
            else:
                b = x
            if fu <= fnfc or nfc == xf:
                fulc, ffulc = nfc, fnfc
                nfc, fnfc = x, fu
            elif fu <= ffulc or fulc in (xf, nfc):
                fulc, ffulc = x, fu
        xm = 0.5 * (a + b)
        tol1 = sqrt_eps * abs(xf) + xatol / 3.0
        tol2 = 2.0 * tol1
        if num >= maxiter:
            break
    return xf


def _sign(v: float) -> float:
    return (v > 0) - (v < 0)
