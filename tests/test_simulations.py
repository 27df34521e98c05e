"""Fast seeded simulations with known truth (the long runs: benchmarks/bench_stats.py)."""

from __future__ import annotations

import numpy as np
import pytest

import outreach_analytics as oa
from outreach_analytics.analysis.stats import wilson_interval


@pytest.mark.parametrize(
    ("p", "n"), [(0.25, 50), (0.25, 100), (0.1, 300), (0.4, 1000), (0.05, 1000), (0.02, 1000)]
)
def test_wilson_95_covers_the_true_rate(p, n):
    """4,000 simulated logs a cell, n >= 50 and >= 10 expected successes: 93.5-96.5%."""
    rng = np.random.default_rng(2026)
    k = rng.binomial(n, p, 4000)
    low, high = wilson_interval(k, np.full(4000, n))
    cover = ((low <= p) & (p <= high)).mean()
    assert 0.935 <= cover <= 0.965


def test_public_api_exports_the_issue_9_functions():
    for name in (
        "compare",
        "next_win",
        "challenge",
        "benchmark_check",
        "comparison_chart",
        "next_win_chart",
        "challenge_chart",
        "benchmark_chart",
    ):
        assert name in oa.__all__
        assert callable(getattr(oa, name))
