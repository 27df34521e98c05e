"""Comparing segments: numbers against scipy/statsmodels and direct calculations."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower

from outreach_analytics import load, normalize, sample_path
from outreach_analytics.analysis.compare import (
    Comparison,
    compare,
    compare_counts,
    fit_beta_prior,
    holm,
    n_to_tell_apart,
)
from outreach_analytics.analysis.metrics import counts


def table(names, k, n, metric_col="responses"):
    out = pd.DataFrame({"channel": names, "actions": n, "pending": 0, "settled": n})
    for col in ("responses", "interviews", "offers", "wins"):
        out[col] = k if col == metric_col else 0
    return out


def test_holm_matches_statsmodels():
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 12):
        p = rng.uniform(0, 0.2, size)
        np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], atol=1e-12)


def test_two_segments_use_fisher_exact_and_match_scipy():
    c = compare_counts(table(["A", "B"], [18, 24], [40, 120]), "channel")
    assert c.test == "fisher_exact"
    ref = stats.fisher_exact([[18, 22], [24, 96]]).pvalue
    assert abs(c.p_value - ref) < 1e-12


def test_many_large_segments_use_chi_square_and_match_scipy():
    k, n = [40, 60, 35, 80], [100, 200, 150, 300]
    c = compare_counts(table(list("ABCD"), k, n), "channel")
    assert c.test == "chi2"
    ref = stats.chi2_contingency(np.column_stack([k, np.subtract(n, k)]), correction=False)
    assert abs(c.p_value - ref.pvalue) < 1e-12


def test_small_expected_counts_use_fisher_monte_carlo_seeded():
    k, n = [3, 1, 0], [13, 9, 5]
    c = compare_counts(table(list("ABC"), k, n), "channel", seed=11)
    assert c.test == "fisher_exact_monte_carlo"
    assert c.p_value == compare_counts(table(list("ABC"), k, n), "channel", seed=11).p_value
    # scipy's Monte Carlo draws its tables another way: the two estimates agree within
    # their Monte Carlo error (20,000 draws each), not to the last digit
    method = stats.MonteCarloMethod(n_resamples=20_000, rng=np.random.default_rng(11))
    ref = stats.fisher_exact(np.column_stack([k, np.subtract(n, k)]), method=method).pvalue
    se = np.sqrt(ref * (1 - ref) / 20_000)
    assert abs(c.p_value - ref) < 4 * np.sqrt(2) * se


def test_pairwise_fisher_and_holm_against_scipy_and_statsmodels():
    k, n = [12, 30, 9, 40], [50, 90, 60, 100]
    c = compare_counts(table(list("ABCD"), k, n), "channel")
    raw = [
        stats.fisher_exact([[k[i], n[i] - k[i]], [k[j], n[j] - k[j]]]).pvalue
        for i, j in itertools.combinations(range(4), 2)
    ]
    np.testing.assert_allclose(c.pairs["p_value"], raw, atol=1e-12)
    np.testing.assert_allclose(c.pairs["holm_p"], multipletests(raw, method="holm")[1], atol=1e-12)
    best = c.summary["name"].iloc[0]
    for r in c.summary.iloc[1:].itertuples(index=False):
        pair = c.pairs[
            ((c.pairs["a"] == best) & (c.pairs["b"] == r.name))
            | ((c.pairs["b"] == best) & (c.pairs["a"] == r.name))
        ]
        assert r.holm_p_vs_best == pytest.approx(float(pair["holm_p"].iloc[0]), abs=1e-12)
    assert np.isnan(c.summary["holm_p_vs_best"].iloc[0])


@pytest.mark.parametrize(("pa", "pb"), [(0.3, 0.2), (0.05, 0.02), (0.5, 0.45), (0.9, 0.6)])
def test_n_to_tell_apart_against_statsmodels_normal_ind_power(pa, pb):
    h = 2 * np.arcsin(np.sqrt(pa)) - 2 * np.arcsin(np.sqrt(pb))
    n = n_to_tell_apart(pa, pb)
    power = NormalIndPower().power(h, nobs1=n, alpha=0.05, ratio=1.0)
    assert abs(power - 0.8) < 1e-9
    solved = NormalIndPower().solve_power(abs(h), alpha=0.05, power=0.8, ratio=1.0)
    assert n == pytest.approx(float(np.squeeze(solved)), rel=1e-6)
    # and the textbook formula, ignoring the far tail: n = 2 (z_a/2 + z_b)^2 / h^2
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert n == pytest.approx(2 * z * z / h / h, rel=1e-3)
    assert np.isnan(n_to_tell_apart(0.2, 0.2))


def test_prior_maximises_the_marginal_likelihood_over_a_grid():
    k, n = np.array([5, 20, 12, 30]), np.array([60, 80, 70, 90])
    a, b = fit_beta_prior(k, n)
    mean = (k.sum() + 0.5) / (n.sum() + 1)
    assert a / (a + b) == pytest.approx(mean, rel=1e-12)

    def loglik(c):  # an independent beta-binomial likelihood (scipy's pmf)
        return stats.betabinom.logpmf(k, n, c * mean, c * (1 - mean)).sum()

    grid = np.exp(np.linspace(np.log(0.5 / mean), np.log(n.sum()), 4000))
    assert loglik(a + b) >= max(loglik(c) for c in grid) - 1e-6


def test_no_extra_variation_shrinks_everyone_to_the_overall_rate():
    c = compare_counts(table(["A", "B"], [20, 20], [100, 100]), "channel")
    a, b = c.prior
    assert a + b == pytest.approx(200, rel=1e-6)  # capped at the settled actions
    assert c.summary["shrunk_rate"].nunique() == 1


def test_posterior_numbers_are_the_beta_posterior():
    k, n = np.array([18, 24]), np.array([40, 120])
    c = compare_counts(table(["A", "B"], k, n), "channel")
    a, b = c.prior
    s = c.summary.set_index("name").loc[["A", "B"]]
    np.testing.assert_allclose(s["shrunk_rate"], (a + k) / (a + b + n), rtol=1e-12)
    np.testing.assert_allclose(s["cred_low"], stats.beta.ppf(0.025, a + k, b + n - k))
    np.testing.assert_allclose(s["cred_high"], stats.beta.ppf(0.975, a + k, b + n - k))


def test_p_best_of_two_matches_numerical_integration():
    k, n = np.array([9, 14]), np.array([40, 50])
    c = compare_counts(table(["A", "B"], k, n), "channel", draws=200_000)
    a, b = c.prior
    aa, bb = a + k, b + n - k
    exact, _ = integrate.quad(
        lambda x: stats.beta.pdf(x, aa[0], bb[0]) * stats.beta.cdf(x, aa[1], bb[1]), 0, 1
    )
    got = float(c.summary.set_index("name").loc["A", "p_best"])
    assert abs(got - exact) < 4 * np.sqrt(exact * (1 - exact) / 200_000)


def test_tiny_tables_one_action_a_segment():
    c = compare_counts(table(["A", "B", "C"], [1, 0, 0], [1, 1, 1]), "channel")
    assert c.test == "fisher_exact_monte_carlo"
    assert 0 <= c.p_value <= 1
    assert c.verdict.startswith("not enough data")


def test_small_sample_marks_and_empty_segments():
    c = compare_counts(table(["A", "B", "C"], [5, 2, 0], [60, 19, 0]), "channel")
    marks = c.summary.set_index("name")["small_sample"]
    assert marks.to_dict() == {"A": False, "B": True}  # C has nothing settled: left out


def test_verdicts_in_plain_words():
    sure = compare_counts(table(["Referral", "Cold email"], [18, 24], [40, 120]), "channel")
    assert sure.verdict == "Referral gets replies more often than Cold email (P > 0.99)"
    unsure = compare_counts(table(["A", "B"], [1, 2], [2, 5]), "channel")
    assert unsure.verdict.startswith("not enough data to tell channels apart")
    alone = compare_counts(table(["A"], [3], [30]), "channel")
    assert alone.verdict == "not enough data to compare channels yet"
    wins = compare_counts(
        table(["A", "B", "C"], [20, 2, 1], [100, 100, 100], "wins"), "channel", "win"
    )
    assert wins.verdict.startswith("A wins work more often than the other channels")


def test_compare_on_a_log_uses_settled_counts_only():
    log = normalize(
        pd.DataFrame(
            {
                "Date Sent": ["2024-01-02"] * 4 + ["2024-03-01"] * 3,
                "Platform": ["Upwork", "Upwork", "Email", "Email", "Upwork", "Upwork", "Email"],
                "Status": ["Replied", "Ghosted", "Ghosted", "Ghosted", "Sent", "Sent", "Sent"],
            }
        )
    )
    c = compare(log, "channel", as_of="2024-03-05")
    assert c.summary.set_index("name")["settled"].to_dict() == {"Upwork": 2, "Email": 2}
    ref = counts(log, "channel", as_of="2024-03-05")
    assert int(ref["settled"].sum()) == 4


def test_result_object_displays():
    c = compare(load(sample_path()), "pitch_type", as_of="2026-11-15")
    assert isinstance(c, Comparison)
    text = repr(c)
    assert "pitch_type" in text and "Referral ask" in text and c.verdict in text
    assert "<table" in c._repr_html_() and "Referral ask" in c._repr_html_()
    d = c.to_dict()
    assert set(d["segments"][0]) >= {
        "name",
        "shrunk_rate",
        "cred_low",
        "cred_high",
        "p_best",
        "holm_p_vs_best",
    }


counts_strategy = st.lists(st.tuples(st.integers(1, 400), st.floats(0, 1)), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(counts_strategy, st.sampled_from(["response", "interview", "win"]))
def test_properties_of_shrunk_rates(segments, metric):
    n = np.array([s[0] for s in segments])
    k = np.floor(n * np.array([s[1] for s in segments])).astype(int)
    col = {"response": "responses", "interview": "interviews", "win": "wins"}[metric]
    c = compare_counts(
        table([f"s{i}" for i in range(len(n))], k, n, col), "channel", metric, draws=2000
    )
    s = c.summary
    assert ((s["shrunk_rate"] >= 0) & (s["shrunk_rate"] <= 1)).all()
    assert ((s["cred_low"] <= s["shrunk_rate"]) & (s["shrunk_rate"] <= s["cred_high"])).all()
    assert abs(s["p_best"].sum() - 1) < 1e-9
    assert (s["holm_p_vs_best"].dropna().between(0, 1)).all()
    assert np.isnan(c.p_value) or 0 <= c.p_value <= 1
    if len(n) < 2:  # no test applies to one segment
        assert np.isnan(c.p_value)
    assert int(s["settled"].sum()) == int(n.sum())


def test_p_best_is_calibrated_fast():
    """Segments given P(best) in [0.6, 0.8] are the best about 70% of the time.

    300 seeded simulated logs of 3 segments (true rates from a Beta(4, 16), 20-200 settled
    each); the long run is in benchmarks/bench_stats.py.
    """
    from outreach_analytics.analysis.compare import _p_best

    rng = np.random.default_rng(2026)
    given_p, was_best = [], []
    for i in range(300):
        true = rng.beta(4, 16, 3)
        n = rng.integers(20, 200, 3)
        k = rng.binomial(n, true)
        a, b = fit_beta_prior(k, n)
        p = _p_best(a + k, b + n - k, 2000, i)
        given_p += list(p)
        was_best += list(np.arange(3) == np.argmax(true))
    given_p, was_best = np.array(given_p), np.array(was_best)
    # Brier score well below that of saying 1/3 every time
    assert np.mean((given_p - was_best) ** 2) < 0.7 * np.mean((1 / 3 - was_best) ** 2)
    top = given_p >= 0.9
    assert was_best[top].mean() > 0.8
    low = given_p < 0.1
    assert was_best[low].mean() < 0.1
