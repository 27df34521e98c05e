"""The next win: against scipy's beta-negative-binomial and a direct calculation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from outreach_analytics import load, normalize, sample_path
from outreach_analytics.analysis.forecast import (
    MIN_WINS_FOR_FORECAST,
    NextWin,
    next_win,
    next_win_from_counts,
    pitches_for_win,
    recent_pace,
    win_chance,
    wins_in,
)


def no_win_in(m, a, b):
    """P(no win in m pitches) = E[(1 - p)^m] = B(a, b + m) / B(a, b): direct calculation."""
    return math.exp(special.betaln(a, b + m) - special.betaln(a, b))


@pytest.mark.parametrize(("wins", "settled"), [(0, 0), (0, 40), (0, 300), (2, 100), (30, 400)])
@pytest.mark.parametrize("level", [0.5, 0.8, 0.95])
def test_pitches_for_win_is_the_smallest_m_reaching_the_level(wins, settled, level):
    a, b = 0.5 + wins, 0.5 + settled - wins
    m = int(pitches_for_win(wins, settled, level))
    assert 1 - no_win_in(m, a, b) >= level - 1e-12
    assert m == 1 or 1 - no_win_in(m - 1, a, b) < level
    assert m == int(stats.betanbinom.ppf(level, 1, a, b)) + 1


def test_pitches_for_win_matches_scipy_in_bulk():
    rng = np.random.default_rng(3)
    n = rng.integers(0, 600, 500)
    w = rng.binomial(n, rng.uniform(0, 0.3, 500))
    q = rng.choice([0.5, 0.8, 0.95], 500)
    ref = stats.betanbinom.ppf(q, 1, 0.5 + w, 0.5 + n - w) + 1
    np.testing.assert_array_equal(pitches_for_win(w, n, q), ref.astype(np.int64))


def test_win_chance_is_one_minus_no_win():
    for m in (1, 7, 59, 400):
        assert float(win_chance(m, 2, 100)) == pytest.approx(1 - no_win_in(m, 2.5, 98.5), abs=1e-9)
    assert float(win_chance(0, 2, 100)) == 0.0


def test_wins_in_is_beta_binomial():
    value, low, high = wins_in(40, 2, 100)
    assert value == pytest.approx(40 * 2.5 / 101, rel=1e-12)
    dist = stats.betabinom(40, 2.5, 98.5)
    assert (low, high) == (dist.ppf(0.025), dist.ppf(0.975))
    # by hand: the 97.5% point is the first k whose cumulative pmf reaches 0.975
    pmf = [stats.betabinom.pmf(k, 40, 2.5, 98.5) for k in range(41)]
    assert high == next(k for k in range(41) if sum(pmf[: k + 1]) >= 0.975 - 1e-12)


def test_three_wins_get_a_forecast_dated_at_the_pace():
    f = next_win_from_counts(3, 60, 10.0, as_of="2024-03-01")
    assert f.enough
    p = f.pitches
    assert 1 <= p["p50"] < p["p80"] < p["p95"]
    # the 80% count from scipy's beta-negative-binomial (misses before the win, + 1)
    assert p["p80"] == stats.betanbinom.ppf(0.8, 1, 3.5, 57.5) + 1
    assert f.next_win_date_80 == pd.Timestamp("2024-03-01") + pd.Timedelta(
        days=math.ceil(p["p80"] / 10.0 * 7)
    )
    assert f.expected_wins.loc[0, "pitches"] == 40
    assert "Next win" in f.verdict


def wilson_high(k, n, z=1.959963984540054):
    """The upper Wilson bound, by hand."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre + half


@pytest.mark.parametrize("wins", [0, 1, 2])
def test_fewer_than_3_wins_give_a_floor_and_no_forecast(wins):
    # issue 19: 1 win in 40 settled once printed "95% within ..." and a date decades off
    f = next_win_from_counts(wins, 40, 0.3, as_of="2024-03-01")
    floor = 1 / wilson_high(wins, 40)
    assert not f.enough
    assert f.at_least == pytest.approx(floor)
    assert f.pitches == {"p50": None, "p80": None, "p95": None}
    assert f.next_win_date_80 is None
    assert f.curve.empty
    assert f.verdict.endswith(f"at least {floor:,.0f} pitches per win")
    assert "%" not in f.verdict and "2024" not in f.verdict
    d = f.to_dict()
    assert d["enough"] is False and d["min_wins"] == 3
    assert d["reason"].startswith(f"{wins} win")
    assert d["pitches_per_win_at_least"] == pytest.approx(floor)
    assert d["pitches_for_next_win"] == {"p50": None, "p80": None, "p95": None}
    assert d["expected_wins_4w"] == {"value": None, "ci_low": None, "ci_high": None}
    assert d["next_win_date_80"] is None
    # the keys stay those of a forecast
    assert set(d) == set(next_win_from_counts(5, 40, 3.0, as_of="2024-03-01").to_dict())


def test_one_win_is_said_in_the_singular_and_nothing_settled_says_so():
    assert "from 1 win (" in next_win_from_counts(1, 40, 3.0).verdict
    none_yet = next_win_from_counts(0, 0, 0.0, as_of="2024-03-01")
    assert none_yet.next_win_date_80 is None
    assert none_yet.to_dict()["pitches_per_win_at_least"] is None
    assert "nothing to forecast" in none_yet.verdict


def test_recent_pace_by_hand():
    log = normalize(
        pd.DataFrame(
            {"Date Sent": (["2024-03-10"] * 5 + ["2024-01-16"] * 3 + ["2024-01-15"] * 100)}
        )
    )
    # 8 weeks up to 2024-03-10 start on 2024-01-15: 5 + 3 + 100 actions
    assert recent_pace(log, as_of="2024-03-10") == pytest.approx(108 / 8)
    assert recent_pace(log, as_of="2024-03-11") == pytest.approx(8 / 8)


def test_next_win_on_the_sample_and_its_display():
    f = next_win(load(sample_path()), as_of="2026-11-15")
    assert isinstance(f, NextWin)
    d = f.to_dict()
    assert set(d["pitches_for_next_win"]) == {"p50", "p80", "p95"}
    assert set(d["expected_wins_4w"]) == {"value", "ci_low", "ci_high"}
    e = d["expected_wins_4w"]
    assert e["ci_low"] <= e["value"] <= e["ci_high"]
    assert "NextWin" in repr(f) and "<table" in f._repr_html_()
    assert list(f.summary.columns) == ["quantity", "value", "ci_low", "ci_high"]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2000), st.floats(0, 1), st.floats(0, 200))
def test_properties_of_the_forecast(settled, share, pace):
    wins = int(settled * share)
    f = next_win_from_counts(wins, settled, pace, as_of="2024-01-01")
    if wins < MIN_WINS_FOR_FORECAST:
        assert not f.enough and f.next_win_date_80 is None
        assert settled == 0 or f.at_least == pytest.approx(1 / wilson_high(wins, settled))
        return
    assert f.pitches["p50"] <= f.pitches["p80"] <= f.pitches["p95"]
    a, b = 0.5 + wins, 0.5 + settled - wins
    for r in f.expected_wins.itertuples(index=False):
        # a discrete predictive interval need not hold the mean (0.03 wins expected, [0, 0])
        assert 0 <= r.ci_low <= r.ci_high <= r.pitches
        assert 0 <= r.value <= r.pitches
        mass = stats.betabinom.cdf(r.ci_high, r.pitches, a, b) - stats.betabinom.cdf(
            r.ci_low - 1, r.pitches, a, b
        )
        assert mass >= 0.95 - 1e-9
    assert ((f.curve["chance"] >= 0) & (f.curve["chance"] <= 1)).all()
    assert f.curve["chance"].is_monotonic_increasing


def test_the_80_percent_bound_covers_about_80_percent_fast():
    """Seeded simulation: true win rate p, a log of n settled pitches, then the real
    number of pitches until the next win; the 80% bound should cover it about 80% of
    the time (the long run is in benchmarks/bench_stats.py)."""
    rng = np.random.default_rng(2026)
    size = 20_000
    p = rng.uniform(0.02, 0.3, size)
    n = rng.integers(50, 501, size)
    wins = rng.binomial(n, p)
    bound = pitches_for_win(wins, n, 0.8)
    covered = (rng.geometric(p) <= bound).mean()
    assert 0.78 <= covered <= 0.85
