"""What ``summary`` takes from analysis.distributions, against scipy.stats and exact arithmetic.

Every function of :mod:`outreach_analytics.analysis.distributions` stands in for one of
:mod:`scipy.stats` (imported here only): each is checked against it to 1e-9, and against
exact calculations written here (binomial coefficients in integers, every r×2 table with
the margins enumerated in rationals, the beta-binomial's tails summed exactly).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

from outreach_analytics.analysis import distributions as dist

TIGHT = 1e-9
EPS = float(np.finfo(float).eps)


def _betaln_rounding(top: float) -> float:
    """What ``special.betaln`` may lose: above a + b = 171 it subtracts log-gammas, each
    rounded to a few ulps of log Γ(a + b) (B(1e6, 2) is off by 2e-10)."""
    return 4 * EPS * math.lgamma(top) if top > 171 else 0.0


def test_log_comb_against_exact_binomials():
    for n in (0, 1, 5, 40, 1000, 10**6):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            if 0 <= k <= n:
                ref = math.log(math.comb(n, k))
                slack = 1e-12 * max(ref, 1.0) + _betaln_rounding(n + 2)
                assert abs(float(dist.log_comb(n, k)) - ref) <= slack, (n, k)
                assert dist.log_comb(n, k) == dist.log_comb(n, n - k)  # ties stay ties


@pytest.mark.parametrize(
    "table",
    [
        [[10, 20], [30, 40]],
        [[40, 60], [60, 140], [35, 115], [80, 220]],
        [[40, 38], [36, 98], [37, 123], [46, 165], [61, 327]],
        [[1, 1], [1, 1], [1, 1]],
        [[5000, 95000], [7000, 93000], [100, 10]],  # p far below 1e-300
    ],
)
def test_chi2_independence_against_scipy(table):
    stat, dof, p = dist.chi2_independence(table)
    ref = stats.chi2_contingency(np.asarray(table), correction=False)
    assert stat == pytest.approx(ref.statistic, rel=1e-12)
    assert dof == ref.dof
    assert p == pytest.approx(ref.pvalue, rel=TIGHT, abs=1e-300)


# --------------------------------------------------------------------------- Fisher 2×2


def test_fisher_2x2_against_scipy_on_every_small_table():
    for cells in itertools.product(range(9), repeat=4):
        table = np.array(cells).reshape(2, 2)
        got = dist.fisher_exact_2x2(table)
        ref = float(stats.fisher_exact(table).pvalue)
        assert got == pytest.approx(ref, rel=TIGHT, abs=1e-12), (cells, got, ref)


@pytest.mark.parametrize(
    "table",
    [
        [[18, 22], [24, 96]],
        [[20, 80], [80, 20]],  # a tie on the other side (rows of equal size)
        [[30, 70], [70, 30]],
        [[40, 60], [60, 40]],  # columns of equal size
        [[5, 5], [5, 5]],  # the most likely table: p = 1
        [[0, 0], [4, 6]],  # an empty row: p = 1
        [[0, 12], [0, 30]],  # an empty column
        [[200, 800], [260, 740]],
        [[61, 327], [40, 38]],
        [[1500, 98500], [1700, 98300]],
        [[30_000, 470_000], [31_000, 469_000]],
        [[5, 10**6], [20, 10**6]],
        [[0, 10**5], [9, 10**5]],
        # more than 5,000 possible tables: the tails are found by bisection
        [[3001, 6999], [2999, 7001]],  # p near 1
        [[3000, 7000], [3000, 7000]],  # the most likely table
        [[100_000, 100_000], [100_500, 99_500]],
        [[624_000, 3_276_000], [462_000, 1_638_000]],  # p below 1e-300
    ],
)
def test_fisher_2x2_against_scipy_on_ties_and_large_tables(table):
    got = dist.fisher_exact_2x2(table)
    ref = float(stats.fisher_exact(np.asarray(table)).pvalue)
    # each probability is exp of a log of size ~N, and special.betaln takes differences of
    # log-gammas above a + b = 171: about eps·N·log N of rounding in each (scipy sums its
    # hypergeometric pmf from Boost and is closer: at [[30000, 470000], [31000, 469000]] the
    # two differ by 3e-9 relative)
    assert abs(got - ref) <= 1e-10
    if ref > 1e-290:
        assert got == pytest.approx(ref, rel=1e-8)


def test_fisher_2x2_refuses_other_shapes():
    with pytest.raises(ValueError, match="2×2"):
        dist.fisher_exact_2x2([[1, 2, 3], [4, 5, 6]])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 3000), min_size=4, max_size=4))
def test_fisher_2x2_p_is_a_probability(cells):
    p = dist.fisher_exact_2x2(np.array(cells).reshape(2, 2))
    assert 0.0 <= p <= 1.0
    # swapping the rows describes the same table: the same p-value
    swapped = dist.fisher_exact_2x2(np.array(cells).reshape(2, 2)[::-1])
    assert swapped == pytest.approx(p, rel=1e-9, abs=1e-15)


# --------------------------------------------------------------------------- Fisher r×2


def _exact_rx2_p(table) -> float:
    """Fisher's exact p-value of an r×2 table by enumerating every table with its margins.

    Each table's probability is Π C(n_i, k_i) / C(N, K) in exact rationals; the p-value
    sums the tables no more likely than the observed one.
    """
    rows = [int(a + b) for a, b in table]
    first = [int(a) for a, _ in table]
    k_total, n_total = sum(first), sum(rows)

    def weight(ks):
        return math.prod(math.comb(n, k) for n, k in zip(rows, ks, strict=True))

    observed = weight(first)
    total = 0
    for ks in itertools.product(*(range(n + 1) for n in rows[:-1])):
        last = k_total - sum(ks)
        if 0 <= last <= rows[-1] and weight((*ks, last)) <= observed:
            total += weight((*ks, last))
    return float(Fraction(total, math.comb(n_total, k_total)))


RX2 = [
    [[3, 10], [1, 8], [0, 5]],
    [[1, 0], [0, 1], [0, 1]],
    [[4, 4], [0, 8], [2, 6], [1, 2]],
    [[6, 1], [1, 6], [3, 3]],
    [[0, 9], [7, 2], [1, 8]],  # far from independence: p small
    [[2, 3], [2, 3], [2, 3]],  # the most likely table: p = 1
]


@pytest.mark.parametrize("table", RX2)
def test_fisher_monte_carlo_within_4_standard_errors_of_the_exact_enumeration(table):
    exact = _exact_rx2_p(table)
    draws = 20_000
    got = dist.fisher_monte_carlo(table, draws, np.random.default_rng(2026))
    se = math.sqrt(exact * (1 - exact) / draws)
    # (1 + count) / (1 + draws) is biased up by at most 1 / draws
    assert abs(got - exact) <= 4 * se + 1 / draws, (got, exact, se)
    assert 0 < got <= 1


def test_fisher_monte_carlo_is_seeded_and_agrees_with_scipys():
    table = np.array([[3, 10], [1, 8], [0, 5]])
    one = dist.fisher_monte_carlo(table, 20_000, np.random.default_rng(11))
    assert one == dist.fisher_monte_carlo(table, 20_000, np.random.default_rng(11))
    method = stats.MonteCarloMethod(n_resamples=20_000, rng=np.random.default_rng(11))
    ref = float(stats.fisher_exact(table, method=method).pvalue)
    se = math.sqrt(ref * (1 - ref) / 20_000)
    assert abs(one - ref) <= 4 * math.sqrt(2) * se  # two independent estimates


def test_fisher_monte_carlo_degenerate_tables():
    assert dist.fisher_monte_carlo([[3, 4]]) == 1.0
    assert dist.fisher_monte_carlo([[0, 0], [0, 0]]) == 1.0
    with pytest.raises(ValueError, match="r×2"):
        dist.fisher_monte_carlo([[1, 2, 3], [4, 5, 6]])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=2, max_size=5))
def test_fisher_monte_carlo_p_is_a_probability(rows):
    p = dist.fisher_monte_carlo(rows, 2000, np.random.default_rng(0))
    assert 0.0 < p <= 1.0


# --------------------------------------------------------------------------- beta-binomial


def _betabinom_product(k: int, n: int, a: float, b: float) -> float:
    """The beta-binomial pmf from its product form, the logs summed exactly (fsum):

    C(n, k) · Π_{i<k} (a + i) · Π_{j<n−k} (b + j) / Π_{t<n} (a + b + t).
    """
    terms = [math.log(a + i) for i in range(k)] + [math.log(b + j) for j in range(n - k)]
    terms += [-math.log(a + b + t) for t in range(n)]
    return math.exp(math.log(math.comb(n, k)) + math.fsum(terms))


BB = [(0.5, 0.5), (2.5, 98.5), (26.5, 945.5), (0.05, 3.0), (1e3, 1e4), (1e5, 2e6)]


@pytest.mark.parametrize("n", [0, 1, 5, 40, 267, 1500])
@pytest.mark.parametrize(("a", "b"), BB)
def test_betabinom_ppf_against_the_exact_tails_and_scipy(n, a, b):
    exact = [_betabinom_product(j, n, a, b) for j in range(n + 1)]
    below = [math.fsum(exact[: j + 1]) for j in range(n + 1)]
    above = [math.fsum(exact[j + 1 :]) for j in range(n + 1)]
    q = np.array([0.0, 1e-6, 0.025, 0.5, 0.8, 0.975, 1 - 1e-9, 1.0])
    got = dist.betabinom_ppf(q, n, a, b)
    assert got[0] == -1 and got[-1] == n  # scipy's ends
    # the pmf's logs hold three of special.betaln's roundings
    slack = 3 * _betaln_rounding(a + b + n)
    for qi, g in zip(q[1:-1], got[1:-1], strict=True):
        tol = 1e-9 * min(qi, 1 - qi) + slack  # a cdf that close to q may fall either side

        def reaches(j, t, qi=qi):  # cdf(j) >= qi + t, from the nearer tail
            return below[j] >= qi + t if qi <= 0.5 else above[j] <= 1 - qi - t

        first = next(j for j in range(n + 1) if reaches(j, -tol))
        last = next((j for j in range(n + 1) if reaches(j, tol)), n)
        assert first <= g <= last, (qi, g, first, last)
    if a + b + n < 171:  # there scipy's betaln, hence its cdf, is exact too
        np.testing.assert_array_equal(got[1:-1], stats.betabinom(n, a, b).ppf(q[1:-1]))


def test_betabinom_ppf_of_many_pitches_equals_the_full_search():
    # above 10,000 pitches only a window around the mean is summed (a, b >= 1)
    rng = np.random.default_rng(5)
    q = np.array([1e-9, 0.025, 0.3, 0.5, 0.975, 1 - 1e-9])
    for _ in range(60):
        n = int(rng.integers(10_001, 60_000))
        a, b = np.exp(rng.uniform(np.log(0.05), np.log(1e6), 2))
        cum = np.cumsum(stats.betabinom.pmf(np.arange(n + 1), n, a, b))
        full = np.minimum(np.searchsorted(cum, q - 1e-12 * np.minimum(q, 1 - q)), n)
        np.testing.assert_array_equal(dist.betabinom_ppf(q, n, a, b), full)
    # the forecast of a 10M-row log: the 12-week interval of 2.7M new pitches
    low, high = dist.betabinom_ppf([0.025, 0.975], 2_670_000, 260_000.5, 9_450_000.5)
    ref = stats.betabinom(2_670_000, 260_000.5, 9_450_000.5)
    assert abs(low - ref.ppf(0.025)) <= 1 and abs(high - ref.ppf(0.975)) <= 1


def test_betabinom_ppf_is_the_smallest_k_reaching_q():
    pmf = [Fraction(float(p)) for p in stats.betabinom.pmf(range(41), 40, 2.5, 98.5)]
    for q in (0.025, 0.5, 0.975):
        k = int(dist.betabinom_ppf(q, 40, 2.5, 98.5))
        assert sum(pmf[: k + 1]) >= Fraction(q) - Fraction(1, 10**12)
        assert k == 0 or sum(pmf[:k]) < Fraction(q)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 500), st.floats(0.05, 1e4), st.floats(0.05, 1e4))
def test_betabinom_ppf_is_an_interval_inside_0_n(n, a, b):
    lo, mid, hi = dist.betabinom_ppf([0.025, 0.5, 0.975], n, a, b)
    assert 0 <= lo <= mid <= hi <= n


# --------------------------------------------------------------------------- beta draws


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.05, 5e5), st.floats(0.05, 5e5)), min_size=1, max_size=8),
    st.integers(0, 2**32 - 1),
    st.integers(1, 300),
)
def test_beta_draws_row_by_row_are_numpys_broadcast_draws(pairs, seed, draws):
    """Drawn row by row, the same numbers as numpy's broadcast call (P(best) and the
    follow-up lifts keep their seeded values)."""
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    want = np.random.default_rng(seed).beta(a[:, None], b[:, None], size=(a.size, draws))
    got = dist.beta_draws(np.random.default_rng(seed), a, b, draws)
    np.testing.assert_array_equal(got, want)


# --------------------------------------------------------------------------- the bounded search

FUNCTIONS = [
    (lambda x: (x - 2.0) ** 2, 0.0, 5.0),
    (lambda x: math.cos(x), 0.0, 2 * math.pi),
    (lambda x: x * math.log(x) if x > 0 else 0.0, 0.0, 1.0),
    (lambda x: abs(x - 0.3), -1.0, 1.0),
    (lambda x: x, 1.0, 3.0),  # the minimum at a bound
]


@pytest.mark.parametrize(("func", "low", "high"), FUNCTIONS)
@pytest.mark.parametrize("xatol", [1e-5, 1e-6, 1e-10])
def test_minimize_bounded_is_scipys_bounded_brent(func, low, high, xatol):
    got = dist.minimize_bounded(func, low, high, xatol=xatol)
    ref = optimize.minimize_scalar(
        func, bounds=(low, high), method="bounded", options={"xatol": xatol}
    ).x
    assert got == ref


def test_minimize_bounded_of_the_marginal_likelihood_matches_scipy():
    k, n = np.array([15, 37, 37, 84, 47.0]), np.array([26, 90, 157, 441, 257.0])
    mean = (k.sum() + 0.5) / (n.sum() + 1)

    def neg(log_c):
        c = math.exp(log_c)
        a, b = c * mean, c * (1 - mean)
        return -float(np.sum(special.betaln(a + k, b + n - k) - special.betaln(a, b)))

    bounds = (math.log(0.5 / mean), math.log(n.sum()))
    got = dist.minimize_bounded(neg, *bounds, xatol=1e-6)
    ref = optimize.minimize_scalar(neg, bounds=bounds, method="bounded", options={"xatol": 1e-6})
    assert got == ref.x
