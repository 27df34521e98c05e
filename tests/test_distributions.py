"""The scipy-free distributions of ``summary``, against scipy and exact arithmetic.

Every function of :mod:`outreach_analytics.analysis.distributions` is checked against the
independent implementation it stands in for (scipy's, imported here only) to 1e-9, over
grids that include large arguments and the edges; where scipy's own ``betaln`` is the less
precise one (a + b above 171, where it takes differences of log-gammas), against exact
integer arithmetic; the Monte Carlo Fisher test against an exact enumeration of every
table with the margins, written here.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

from outreach_analytics.analysis import distributions as dist

TIGHT = 1e-9

# --------------------------------------------------------------------------- log beta

GRID = [1e-3, 0.1, 0.5, 1.0, 2.5, 9.99, 10.0, 10.01, 50.0, 170.0, 171.0, 172.0, 1e3, 1e5, 1e7]


def _log_beta_exact_int(a: int, b: int) -> float:
    """log B(a, b) for whole a, b: B = 1 / ((a + b − 1) C(a + b − 2, a − 1)), exactly."""
    return -math.log(a + b - 1) - math.log(math.comb(a + b - 2, a - 1))


def _log_beta_exact_half(b: int) -> float:
    """log B(1/2, b) for whole b: B = 4^b / (b C(2b, b)), the ratio taken in integers."""
    shift = 200
    scaled = (4**b << shift) // math.comb(2 * b, b)
    return math.log(scaled) - shift * math.log(2) - math.log(b)


def test_betaln_against_scipy_where_scipy_is_exact():
    # below a + b = 171.6 scipy takes log(Γ(a)Γ(b)/Γ(a + b)) from exact gammas
    a, b = np.meshgrid(GRID, GRID)
    a, b = a.ravel(), b.ravel()
    keep = a + b < 171
    mine, ref = dist.betaln(a[keep], b[keep]), special.betaln(a[keep], b[keep])
    np.testing.assert_allclose(mine, ref, rtol=TIGHT, atol=1e-13)


def test_betaln_against_scipy_everywhere_within_its_own_rounding():
    # above a + b = 171 scipy's lgamma differences carry ~eps·lgamma(a + b) of rounding
    a, b = np.meshgrid(GRID, GRID)
    a, b = a.ravel(), b.ravel()
    mine, ref = dist.betaln(a, b), special.betaln(a, b)
    scipy_rounding = 8 * np.finfo(float).eps * np.abs(special.gammaln(a + b))
    assert np.all(np.abs(mine - ref) <= TIGHT * np.abs(ref) + scipy_rounding + 1e-13)


@pytest.mark.parametrize(
    ("a", "b"),
    [(1, 1), (1, 10**7), (2, 10**7), (3, 10**7), (9, 10**7), (7, 12), (10, 10), (11, 400)]
    + [(12, 10**5), (50, 50), (1000, 1000), (10**5, 10**5), (3, 171), (170, 2), (10**4, 7)],
)
def test_betaln_against_exact_integer_arithmetic(a, b):
    ref = _log_beta_exact_int(a, b)
    got = dist.betaln(float(a), float(b))
    assert got == pytest.approx(ref, rel=1e-13, abs=1e-13)
    assert dist.betaln(float(b), float(a)) == got  # symmetric to the bit


@pytest.mark.parametrize("b", [1, 2, 9, 10, 11, 100, 171, 1000, 10**4, 10**5])
def test_betaln_of_a_half_against_exact_arithmetic(b):
    # the case where lgamma differences lose most: B(0.5, b) for large b
    assert dist.betaln(0.5, float(b)) == pytest.approx(_log_beta_exact_half(b), rel=1e-13)


def test_betaln_at_ten_million_is_precise_where_lgamma_differences_are_not():
    # B(1, b) = 1 / b and B(2, b) = 1 / (b (b + 1)) exactly
    for b in (1e6 + 0.5, 9_999_999.0, 1e7):
        assert dist.betaln(1.0, b) == pytest.approx(-math.log(b), rel=1e-15)
        assert dist.betaln(2.0, b) == pytest.approx(-math.log(b) - math.log1p(b), rel=1e-15)
    # the recurrence B(a, b + 1) = B(a, b) · b / (a + b) for large a and b
    for a, b in [(5e6, 5e6), (3e6, 7e6), (0.5, 1e7), (40.5, 9e6)]:
        step = dist.betaln(a, b + 1) - dist.betaln(a, b)
        assert step == pytest.approx(-math.log1p(a / b), rel=1e-6, abs=1e-9)


def test_betaln_vectorises_and_keeps_scalars_scalar():
    assert isinstance(dist.betaln(2.0, 3.0), float)
    out = dist.betaln([1.0, 2.0], [[3.0], [4.0]])
    assert out.shape == (2, 2)
    assert math.isinf(dist.betaln(0.0, 2.0))


def test_log_comb_against_exact_binomials():
    for n in (0, 1, 5, 40, 1000, 10**6):
        for k in {0, 1, n // 3, n // 2, n - 1, n} - {-1}:
            if 0 <= k <= n:
                ref = math.log(math.comb(n, k))
                assert float(dist.log_comb(n, k)) == pytest.approx(ref, rel=1e-12, abs=1e-12)
                assert dist.log_comb(n, k) == dist.log_comb(n, n - k)


# --------------------------------------------------------------------------- beta


AB = [0.05, 0.5, 1.0, 2.5, 12.0, 98.5, 1e3, 1e5, 1e7]


@pytest.mark.parametrize("a", AB)
@pytest.mark.parametrize("b", AB)
def test_beta_cdf_against_scipy(a, b):
    mean, sd = a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    xs = {1e-12, 1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-9}
    xs |= {min(max(mean + z * sd, 1e-300), 1 - 1e-16) for z in (-6, -2, -0.5, 0, 1, 3)}
    for x in sorted(xs):
        # each tail from the scipy function that computes it directly (betainc loses
        # digits near 1: at x = 1 - 1e-16, a = b = 0.5 it is off by 3e-9)
        low, high = float(special.betainc(a, b, x)), float(special.betaincc(a, b, x))
        ref, ref_sf = (low, 1 - low) if low <= 0.5 else (1 - high, high)
        got, sf = dist.beta_cdf(x, a, b), dist.beta_sf(x, a, b)
        assert abs(got - ref) <= TIGHT, (x, got, ref)
        assert abs(sf - ref_sf) <= TIGHT, (x, sf, ref_sf)
        if ref > 1e-250:
            assert got == pytest.approx(ref, rel=TIGHT), (x, got, ref)
        if ref_sf > 1e-250:
            assert sf == pytest.approx(ref_sf, rel=TIGHT), (x, sf, ref_sf)


@pytest.mark.parametrize(("a", "b"), [(1, 10**7), (2, 10**7), (12, 10**7), (3, 10**5), (40, 2000)])
def test_beta_cdf_against_the_binomial_tail_in_60_digits(a, b):
    # for whole a, b: I_x(a, b) = P(Binomial(a + b - 1, x) >= a), summed here in decimals
    # (where scipy's betainc is off by up to 7e-11 at b = 1e7)
    n = a + b - 1
    mean, sd = a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    with localcontext() as ctx:
        ctx.prec = 60
        for z in (-3, -1, 0, 1, 4):
            x = max(mean + z * sd, mean / 20)
            xd = Decimal(x)
            log_y = (1 - xd).ln()
            below = sum(
                Decimal(math.comb(n, j)) * xd**j * ((n - j) * log_y).exp() for j in range(a)
            )
            assert dist.beta_cdf(x, a, b) == pytest.approx(float(1 - below), rel=1e-13)
            assert dist.beta_sf(x, a, b) == pytest.approx(float(below), rel=1e-13)


def test_beta_cdf_of_the_arcsine_law():
    # Beta(1/2, 1/2): I_x = (2/π) asin(√x), 1 - I_x = (2/π) acos(√x)
    for x in (1e-300, 1e-12, 0.01, 0.5, 0.99, 1 - 1e-12, 0.9999999999999999):
        near, far = (x, 1 - x) if x <= 0.5 else (1 - x, x)  # 1 - x is exact for x >= 1/2
        small = 2 / math.pi * math.asin(math.sqrt(near))
        low, high = (small, 1 - small) if x <= 0.5 else (1 - small, small)
        assert dist.beta_cdf(x, 0.5, 0.5) == pytest.approx(low, rel=1e-14)
        assert dist.beta_sf(x, 0.5, 0.5) == pytest.approx(high, rel=1e-14)
        assert far > 0


def test_beta_cdf_edges():
    assert dist.beta_cdf(0.0, 2.0, 3.0) == 0.0
    assert dist.beta_cdf(1.0, 2.0, 3.0) == 1.0
    assert dist.beta_cdf(-1.0, 2.0, 3.0) == 0.0
    assert dist.beta_sf(2.0, 2.0, 3.0) == 0.0


QS = [1e-10, 1e-4, 0.025, 0.3, 0.5, 0.8, 0.975, 1 - 1e-6]


@pytest.mark.parametrize("a", AB)
@pytest.mark.parametrize("b", AB)
def test_beta_ppf_against_scipy(a, b):
    got = dist.beta_ppf(QS, a, b)
    ref = stats.beta.ppf(QS, a, b)
    for q, g, r in zip(QS, got, ref, strict=True):
        if r < 1e-300 or r > 1 - 1e-15:  # at the floating-point ends: both at the limit
            assert abs(g - r) <= 1e-15 or g == pytest.approx(r, rel=1e-6), (q, g, r)
            continue
        if g != pytest.approx(r, rel=TIGHT):
            # scipy's beta.ppf misses for some large shapes (a = 1e3, b = 1e7: its answer's
            # cdf is 0.79998 for q = 0.8); then scipy's own cdf must put q at ours
            ours, theirs = special.betainc(a, b, g), special.betainc(a, b, r)
            assert abs(ours - q) <= 1e-12 < abs(theirs - q), (q, g, r, ours, theirs)


def test_beta_ppf_credible_intervals_of_compare_shapes():
    # the posteriors compare gives a segment: prior + successes and failures, up to 10M rows
    for a0, b0 in [(0.5, 0.5), (2.846, 9.7), (40.0, 160.0), (2e3, 8e3)]:
        for k, n in [(0, 0), (0, 5), (5, 5), (3, 40), (40, 78), (10**5, 10**6), (0, 10**7)]:
            a, b = a0 + k, b0 + n - k
            for q in (0.025, 0.975):
                got = dist.beta_ppf(q, a, b)
                assert got == pytest.approx(float(stats.beta.ppf(q, a, b)), rel=TIGHT)


@pytest.mark.parametrize(
    "q, a, b",
    [(0.025, 43812.8, 170208.0), (0.025, 35543.6, 119556.0), (0.025, 32076.6, 44982.3)],
)
def test_beta_ppf_of_a_large_posterior_converges_in_a_few_steps(monkeypatch, q, a, b):
    """Posteriors of 1M-row segments (compare's): Newton's last step, too small to move
    off the bracket's end, once sent a bisection back across half the bracket and 30 more
    evaluations of the incomplete beta function. The answer is scipy's; a spy counts."""
    evaluations = []
    tails = dist._beta_tails

    def counted(*args):
        evaluations.append(args)
        return tails(*args)

    monkeypatch.setattr(dist, "_beta_tails", counted)
    got = dist.beta_ppf(q, a, b)
    assert got == pytest.approx(float(stats.beta.ppf(q, a, b)), rel=TIGHT)
    assert len(evaluations) <= 8


def test_beta_ppf_edges():
    assert dist.beta_ppf(0.0, 2.0, 3.0) == 0.0
    assert dist.beta_ppf(1.0, 2.0, 3.0) == 1.0
    assert math.isnan(dist.beta_ppf(1.5, 2.0, 3.0))
    assert math.isnan(dist.beta_ppf(0.5, 0.0, 3.0))
    assert isinstance(dist.beta_ppf(0.5, 2.0, 3.0), float)
    assert dist.beta_ppf([0.1, 0.9], [1.0, 2.0], 3.0).shape == (2,)


@settings(max_examples=150, deadline=None)
@given(
    st.floats(0.05, 1e6),
    st.floats(0.05, 1e6),
    st.lists(st.floats(0, 1), min_size=2, max_size=6),
)
def test_beta_cdf_is_a_monotone_probability(a, b, xs):
    values = [dist.beta_cdf(x, a, b) for x in sorted(xs)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(u <= v + 1e-15 for u, v in itertools.pairwise(values))


@settings(max_examples=150, deadline=None)
@given(st.floats(0.05, 1e6), st.floats(0.05, 1e6), st.floats(1e-8, 1 - 1e-8))
def test_beta_ppf_inverts_the_cdf(a, b, q):
    x = dist.beta_ppf(q, a, b)
    assert 0.0 <= x <= 1.0
    assume(1e-300 < x < 1 - 1e-12)
    # the cdf at the quantile is q, up to how steep the cdf is there
    pdf = math.exp(dist._log_kernel(x, a, b)) / (x * (1 - x))
    assert abs(dist.beta_cdf(x, a, b) - q) <= 1e-12 + 1e-13 * pdf * x
    assert dist.beta_ppf(dist.beta_cdf(x, a, b), a, b) == pytest.approx(x, rel=1e-8, abs=1e-300)


# --------------------------------------------------------------------------- chi-square


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 9, 10, 25, 60, 199])
def test_chi2_sf_against_scipy(df):
    xs = [0.0, 1e-10, 1e-3, 0.5, 1.0, df - 1.0, df, df + 3 * math.sqrt(2 * df), 50.0]
    xs += [200.0, 1000.0, 1400.0]
    for x in xs:
        ref = float(stats.chi2.sf(x, df)) if x > 0 else 1.0
        got = dist.chi2_sf(x, df)
        assert abs(got - ref) <= 1e-12
        if ref > 1e-290:
            assert got == pytest.approx(ref, rel=TIGHT), (x, df, got, ref)


def test_chi2_sf_refuses_a_fractional_or_zero_df():
    with pytest.raises(ValueError, match="df"):
        dist.chi2_sf(1.0, 0)
    assert math.isnan(dist.chi2_sf(math.nan, 3))


@pytest.mark.parametrize(
    "table",
    [
        [[10, 20], [30, 40]],
        [[40, 60], [60, 140], [35, 115], [80, 220]],
        [[40, 38], [36, 98], [37, 123], [46, 165], [61, 327]],
        [[1, 1], [1, 1], [1, 1]],
        [[5000, 95000], [7000, 93000], [100, 10]],
    ],
)
def test_chi2_independence_against_scipy(table):
    stat, dof, p = dist.chi2_independence(table)
    ref = stats.chi2_contingency(np.asarray(table), correction=False)
    assert stat == pytest.approx(ref.statistic, rel=1e-12)
    assert dof == ref.dof
    assert abs(p - ref.pvalue) <= 1e-12
    assert p == pytest.approx(ref.pvalue, rel=TIGHT)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 60), st.lists(st.floats(0, 5000), min_size=2, max_size=5))
def test_chi2_sf_is_a_decreasing_probability(df, xs):
    values = [dist.chi2_sf(x, df) for x in sorted(xs)]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(u >= v - 1e-15 for u, v in itertools.pairwise(values))


# --------------------------------------------------------------------------- Fisher 2×2


def test_fisher_2x2_against_scipy_on_every_small_table():
    worst = 0.0
    for cells in itertools.product(range(9), repeat=4):
        table = np.array(cells).reshape(2, 2)
        got = dist.fisher_exact_2x2(table)
        ref = float(stats.fisher_exact(table).pvalue)
        worst = max(worst, abs(got - ref))
        assert got == pytest.approx(ref, rel=TIGHT, abs=1e-12), (cells, got, ref)
    assert worst < 1e-12


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
    # each probability is exp of a log of size ~N: |log C|·eps ≈ 1e-12 relative at N = 2e4
    # (scipy sums its hypergeometric pmf directly and is closer there: 4e-16 against exact
    # integers at [[3001, 6999], [2999, 7001]], ours 2.3e-12)
    assert abs(got - ref) <= 1e-10
    if ref > 1e-290:
        assert got == pytest.approx(ref, rel=TIGHT)


def test_fisher_2x2_refuses_other_shapes():
    with pytest.raises(ValueError, match="2×2"):
        dist.fisher_exact_2x2([[1, 2, 3], [4, 5, 6]])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 3000), min_size=4, max_size=4))
def test_fisher_2x2_p_is_a_probability(cells):
    p = dist.fisher_exact_2x2(np.array(cells).reshape(2, 2))
    assert 0.0 <= p <= 1.0
    # transposing or swapping rows describes the same table: the same p-value
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
    norm = math.comb(n_total, k_total)

    def weight(ks):
        return math.prod(math.comb(n, k) for n, k in zip(rows, ks, strict=True))

    observed = weight(first)
    total = 0
    for ks in itertools.product(*(range(n + 1) for n in rows[:-1])):
        last = k_total - sum(ks)
        if 0 <= last <= rows[-1]:
            w = weight((*ks, last))
            if w <= observed:
                total += w
    return float(Fraction(total, norm))


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
def test_betabinom_against_scipy(n, a, b):
    k = np.arange(-1, n + 2)
    ref = stats.betabinom(n, a, b)
    pmf = dist.betabinom_pmf(k, n, a, b)
    exact = [0.0, *(_betabinom_product(j, n, a, b) for j in range(n + 1)), 0.0]
    np.testing.assert_allclose(pmf, exact, rtol=TIGHT, atol=1e-300)
    cdf = dist.betabinom_cdf(k, n, a, b)
    np.testing.assert_allclose(cdf, np.minimum(np.cumsum(exact), 1.0), rtol=TIGHT, atol=1e-15)
    if a + b + n < 171:  # there scipy's betaln, hence its pmf, is exact too
        np.testing.assert_allclose(pmf, ref.pmf(k), rtol=TIGHT, atol=1e-15)
        np.testing.assert_allclose(cdf, ref.cdf(k), rtol=TIGHT, atol=1e-15)
    # the quantiles: the smallest k whose cdf reaches q, on the exact tails (fsum)
    below = [math.fsum(exact[1 : j + 2]) for j in range(n + 1)]
    above = [math.fsum(exact[j + 2 :]) for j in range(n + 1)]
    q = np.array([0.0, 1e-6, 0.025, 0.5, 0.8, 0.975, 1 - 1e-9, 1.0])
    got = dist.betabinom_ppf(q, n, a, b)
    assert got[0] == -1 and got[-1] == n  # scipy's ends
    for qi, g in zip(q[1:-1], got[1:-1], strict=True):
        gap = [
            (qi - c) / qi if qi <= 0.5 else (t - (1 - qi)) / (1 - qi)
            for c, t in zip(below, above, strict=True)
        ]
        want = next(j for j in range(n + 1) if gap[j] <= 0)
        # equal, or one less where the cdf equals q in theory (q = 1/2, symmetric shapes)
        assert g == want or (g == want - 1 and abs(gap[int(g)]) < 1e-9), (qi, g, want)
    if a + b + n < 171:
        np.testing.assert_array_equal(got[1:-1], ref.ppf(q[1:-1]))


def test_betabinom_ppf_of_many_pitches_equals_the_full_search():
    # above 10,000 pitches only a window around the mean is summed (a, b >= 1)
    rng = np.random.default_rng(5)
    q = np.array([1e-9, 0.025, 0.3, 0.5, 0.975, 1 - 1e-9])
    for _ in range(60):
        n = int(rng.integers(10_001, 60_000))
        a, b = np.exp(rng.uniform(np.log(0.05), np.log(1e6), 2))
        cum = np.cumsum(dist.betabinom_pmf(np.arange(n + 1), n, a, b))
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
def test_betabinom_cdf_runs_from_0_to_1(n, a, b):
    cdf = dist.betabinom_cdf(np.arange(n + 1), n, a, b)
    assert np.all(np.diff(cdf) >= -1e-15)
    assert cdf[-1] == pytest.approx(1.0, abs=1e-9)
    lo, hi = dist.betabinom_ppf([0.025, 0.975], n, a, b)
    assert 0 <= lo <= hi <= n


# --------------------------------------------------------------------------- solvers


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

    def neg(log_c):  # scipy's betaln on both sides: the same function, the same path
        c = math.exp(log_c)
        a, b = c * mean, c * (1 - mean)
        return -float(np.sum(special.betaln(a + k, b + n - k) - special.betaln(a, b)))

    bounds = (math.log(0.5 / mean), math.log(n.sum()))
    got = dist.minimize_bounded(neg, *bounds, xatol=1e-6)
    ref = optimize.minimize_scalar(neg, bounds=bounds, method="bounded", options={"xatol": 1e-6})
    assert got == ref.x


@pytest.mark.parametrize(
    ("func", "a", "b"),
    [
        (lambda x: x * x - 2.0, 0.0, 2.0),
        (lambda x: math.cos(x) - x, 0.0, 1.0),
        (lambda x: math.exp(x) - 1e6, 0.0, 20.0),
        (lambda x: x**3 - 2 * x - 5, 2.0, 3.0),
        (lambda x: x - 1e-9, 1e-9, 5.0),  # a root at an end
    ],
)
def test_brentq_against_scipy(func, a, b):
    got = dist.brentq(func, a, b, xtol=1e-12, rtol=1e-14)
    ref = optimize.brentq(func, a, b, xtol=1e-12, rtol=1e-14)
    assert got == pytest.approx(ref, rel=1e-12, abs=1e-12)


def test_brentq_needs_a_sign_change_and_gives_up_where_scipy_does():
    with pytest.raises(ValueError, match="different signs"):
        dist.brentq(lambda x: x * x + 1.0, -1.0, 1.0)
    # a triple root: f underflows before the relative tolerance is met, in both
    with pytest.raises(RuntimeError, match="100 iterations"):
        optimize.brentq(lambda x: (x - 1.0) ** 3, -3.0, 7.0, xtol=1e-12, rtol=1e-14)
    with pytest.raises(RuntimeError, match="100 iterations"):
        dist.brentq(lambda x: (x - 1.0) ** 3, -3.0, 7.0, xtol=1e-12, rtol=1e-14)


# --------------------------------------------------------------------------- normal


def test_normal_against_scipy():
    for x in (-30.0, -8.0, -1.96, 0.0, 0.5, 3.0, 8.0):
        assert dist.norm_cdf(x) == pytest.approx(float(stats.norm.cdf(x)), rel=TIGHT, abs=1e-300)
    for p in (1e-12, 0.025, 0.5, 0.8, 0.975, 1 - 1e-12):
        assert dist.norm_ppf(p) == pytest.approx(float(stats.norm.ppf(p)), rel=TIGHT)
    assert dist.norm_ppf(0.0) == -math.inf and dist.norm_ppf(1.0) == math.inf
    assert math.isnan(dist.norm_ppf(2.0))


# --------------------------------------------------------------------------- binomial test


@pytest.mark.parametrize("n", [1, 2, 5, 10, 37, 100, 1000, 5000])
@pytest.mark.parametrize("p", [1e-6, 0.01, 0.08, 0.1, 1 / 3, 0.5, 0.9, 0.999])
def test_binom_test_against_scipy(n, p):
    for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        expected = stats.binomtest(k, n, p).pvalue
        assert dist.binom_test(k, n, p) == pytest.approx(expected, abs=1e-12), (k, n, p)


def test_binom_test_against_exact_fractions():
    # 3 of 20 at p = 1/4: the outcomes no more likely than 3, summed in exact fractions
    n, k, p = 20, 3, Fraction(1, 4)
    pmf = [math.comb(n, x) * p**x * (1 - p) ** (n - x) for x in range(n + 1)]
    exact = sum(q for q in pmf if q <= pmf[k])
    assert dist.binom_test(k, n, 0.25) == pytest.approx(float(exact), abs=1e-14)


def test_binom_test_edges():
    assert dist.binom_test(5, 10, 0.5) == 1.0  # the expected count
    assert dist.binom_test(0, 10, 0.0) == 1.0 and dist.binom_test(10, 10, 1.0) == 1.0
    assert dist.binom_test(3, 10, 0.0) == 0.0  # impossible under p = 0
    with pytest.raises(ValueError, match="0 <= k <= n"):
        dist.binom_test(11, 10, 0.5)


@given(
    st.integers(1, 400).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
    st.floats(1e-4, 1 - 1e-4),
)
@settings(max_examples=200, deadline=None)
def test_binom_test_is_a_probability(nk, p):
    n, k = nk
    assert 0.0 <= dist.binom_test(k, n, p) <= 1.0


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
