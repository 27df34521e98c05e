"""Published benchmarks: every row sourced and quoted; the binomial test against scipy."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from outreach_analytics import load, sample_path
from outreach_analytics.analysis.benchmarks import (
    BENCHMARK_COLUMNS,
    benchmark_check,
    benchmarks,
    benchmarks_path,
    check_benchmarks,
    check_rate,
)


def test_every_row_has_a_source_url_a_quote_and_its_figure_in_the_quote():
    table = pd.read_csv(benchmarks_path())
    assert list(table.columns) == BENCHMARK_COLUMNS
    assert len(table) >= 5
    for r in table.itertuples(index=False):
        assert r.source_url.startswith("https://"), r
        assert isinstance(r.quote, str) and len(r.quote) > 20, r
        assert r.denominator and r.population and r.source, r
        assert 1990 <= int(r.year) <= 2030
        assert 0 < r.value_low <= r.value_high < 1
        assert r.metric in {"response", "interview", "win"}
        # the figure must be what the source says, as it says it
        v = r.value_low
        forms = {f"{v * 100:g}%", f"{round(v * 100)}%", f"one in {round(1 / v)}"}
        forms.add(f"one in every {round(1 / v)}")
        assert any(f in r.quote for f in forms), (r.quote, forms)


def test_check_rate_is_scipy_binomtest():
    r = check_rate(2, 100, 0.1)
    assert r["p_value"] == pytest.approx(stats.binomtest(2, 100, 0.1).pvalue, abs=1e-12)
    assert r["verdict"] == "below"
    assert check_rate(30, 100, 0.1)["verdict"] == "above"
    assert check_rate(11, 100, 0.1)["verdict"] == "consistent"
    # a range: inside it is consistent (tested at the user's own rate)
    inside = check_rate(5, 100, 0.03, 0.08)
    assert inside["p_value"] == pytest.approx(1.0) and inside["verdict"] == "consistent"
    edge = check_rate(20, 100, 0.03, 0.08)
    assert edge["p_value"] == pytest.approx(stats.binomtest(20, 100, 0.08).pvalue, abs=1e-12)
    assert check_rate(0, 0, 0.1)["verdict"] == "no data"


def test_check_names_the_source_and_its_denominator():
    out = check_benchmarks(3, 60, "win", "referral")
    row = out.iloc[0]
    assert "Lever" in row["source"] and row["year"] == 2016
    assert "referred candidates" in row["sentence"] and "Lever" in row["sentence"]
    with pytest.raises(ValueError, match="metric must be one of"):
        check_benchmarks(1, 2, "replies")


def test_benchmark_check_on_the_sample():
    out = benchmark_check(load(sample_path()), as_of="2026-11-15")
    assert {"all", "Upwork", "Email", "Referral"} == set(out["segment"])
    assert out["p_value"].between(0, 1).all()
    table = benchmarks()
    assert set(out["source_url"]) <= set(table["source_url"])
