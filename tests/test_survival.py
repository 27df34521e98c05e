"""Time to reply: Kaplan–Meier against statsmodels, the censoring rules, the headline
rate's bias by simulation, and what summary --json and the CLI show."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.proportion import proportion_confint

from outreach_analytics import load, load_report, normalize, sample_path, summarize
from outreach_analytics.analysis.reply_simulation import estimator_bias, simulate_logs
from outreach_analytics.analysis.survival import (
    curve_verdict_lines,
    headline_rate,
    kaplan_meier,
    stage_times,
    summary_lines,
    time_to_response,
    time_to_stage,
)

AS_OF = "2026-11-15"
REAL = Path(__file__).resolve().parents[1] / "data" / "real"
Z = NormalDist().inv_cdf(0.975)


def _random_times(seed: int, n: int = 200, p_event: float = 0.3):
    rng = np.random.default_rng(seed)
    t = np.floor(rng.exponential(8, n)) + rng.integers(0, 3, n)
    e = rng.random(n) < p_event
    # as in a log, the longest follow-ups are pitches still without a reply
    return np.append(t, [t.max() + 1] * 5), np.append(e, [False] * 5)


# ------------------------------------------------------------------ against statsmodels


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_curve_and_greenwood_equal_statsmodels(seed):
    t, e = _random_times(seed)
    km = kaplan_meier(t, e)
    sm = SurvfuncRight(t, e.astype(int))
    assert_allclose(km.table["day"], sm.surv_times, rtol=0, atol=0)
    assert_allclose(1 - km.table["reached"], sm.surv_prob, rtol=0, atol=1e-9)
    se = (1 - km.table["reached"]) * np.sqrt(km.table["greenwood"])
    assert_allclose(se, sm.surv_prob_se, rtol=1e-9, atol=1e-12)
    assert_allclose(km.table["at_risk"], sm.n_risk)
    assert_allclose(km.table["events"], sm.n_events)
    # and scipy's Kaplan–Meier on censored data
    res = stats.ecdf(stats.CensoredData(uncensored=t[e], right=t[~e]))
    assert_allclose(km.table["reached"], res.cdf.evaluate(km.table["day"]), rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", [4, 5])
def test_eventual_rate_interval_is_greenwood_log_log(seed):
    t, e = _random_times(seed)
    km = kaplan_meier(t, e)
    sm = SurvfuncRight(t, e.astype(int))
    s, se = sm.surv_prob[-1], sm.surv_prob_se[-1]
    # Kalbfleisch–Prentice log-log interval written out from statsmodels' Greenwood SE
    w = Z * se / (s * abs(math.log(s)))
    low_s, high_s = s ** math.exp(w), s ** math.exp(-w)
    assert km.eventual_rate == pytest.approx(1 - s, abs=1e-9)
    assert km.eventual_ci[0] == pytest.approx(1 - high_s, abs=1e-9)
    assert km.eventual_ci[1] == pytest.approx(1 - low_s, abs=1e-9)
    # and scipy's own band agrees
    res = stats.ecdf(stats.CensoredData(uncensored=t[e], right=t[~e]))
    band = res.sf.confidence_interval(0.95, method="log-log")
    last = km.table["day"].iloc[-1]
    assert km.eventual_ci[0] == pytest.approx(1 - float(band.high.evaluate(last)), abs=1e-9)
    assert km.eventual_ci[1] == pytest.approx(1 - float(band.low.evaluate(last)), abs=1e-9)


@pytest.mark.parametrize("seed", [6, 7, 8])
def test_median_and_interval_equal_statsmodels_when_everyone_replies(seed):
    # with a plateau of 1 the conditional median is the ordinary KM median
    rng = np.random.default_rng(seed)
    t = np.floor(rng.exponential(6, 120))
    e = np.ones(120, dtype=bool)
    e[rng.choice(119, 30, replace=False)] = False  # censored before the last event
    t[~e] = np.minimum(t[~e], t[e].max() - 1)
    t[np.argmax(t)] += 5
    e[np.argmax(t)] = True
    km = kaplan_meier(t, e)
    sm = SurvfuncRight(t, e.astype(int))
    assert km.eventual_rate == pytest.approx(1.0, abs=1e-12)
    assert km.median_days == sm.quantile(0.5)
    assert km.median_ci == sm.quantile_ci(0.5, method="linear")
    assert km.ghosting_day == sm.quantile(0.95)


@pytest.mark.parametrize("seed", [9, 10])
def test_conditional_quantiles_by_hand(seed):
    t, e = _random_times(seed)
    km = kaplan_meier(t, e)
    sm = SurvfuncRight(t, e.astype(int))
    reached = 1 - sm.surv_prob
    plateau = reached[-1]
    assert km.median_days == sm.surv_times[np.flatnonzero(reached > 0.5 * plateau)[0]]
    assert km.ghosting_day == sm.surv_times[np.flatnonzero(reached > 0.95 * plateau)[0]]
    # the interval inverts z-tests of F(t) - p F(end), Greenwood covariance written out
    s, v = sm.surv_prob, (sm.surv_prob_se / sm.surv_prob) ** 2
    g = (1 - s) - 0.5 * (1 - s[-1])
    var = s**2 * v + 0.25 * s[-1] ** 2 * v[-1] - s * s[-1] * v
    inside = np.flatnonzero(np.abs(g) <= Z * np.sqrt(var))
    upper = math.inf if inside[-1] == len(s) - 1 else sm.surv_times[inside[-1] + 1]
    assert km.median_ci == (sm.surv_times[inside[0]], upper)
    assert km.median_ci[0] <= km.median_days <= km.median_ci[1]


def test_no_event_gives_zero_with_wilson_interval():
    km = kaplan_meier([5, 10, 20], [False, False, False])
    low, high = proportion_confint(0, 3, method="wilson")
    assert km.eventual_rate == 0.0
    assert km.eventual_ci == pytest.approx((low, high), abs=1e-12)
    assert math.isnan(km.median_days) and km.small_sample


# ------------------------------------------------------------------ censoring rules


def _log():
    return normalize(
        pd.DataFrame(
            {
                "Date Sent": [
                    "2024-03-01",  # 0 replied on day 3
                    "2024-03-01",  # 1 ghosted: at risk to the end (longest follow-up)
                    "2024-03-10",  # 2 open: censored at its age, 10
                    "2024-03-05",  # 3 rejected with no date: day imputed (median 3)
                    "2024-03-18",  # 4 reply dated after as-of: not known yet, open
                    "2024-03-25",  # 5 sent after as-of: not an action
                    "2024-02-20",  # 6 reply on the day it was sent: day 0
                ],
                "Status": ["Replied", "Ghosted", "Sent", "Rejected", "Replied", "Sent", "Replied"],
                "Response Date": [
                    "2024-03-04",
                    None,
                    None,
                    None,
                    "2024-03-22",
                    None,
                    "2024-02-20",
                ],
            }
        )
    )


def test_stage_times_rules():
    t = stage_times(_log(), as_of="2024-03-20")
    f = t.frame
    assert len(f) == 6  # the row sent after as-of is left out
    # ghosted: at risk to the longest follow-up (row 6, sent 2024-02-20: 29 days)
    assert f["duration"].tolist() == [3.0, 29.0, 10.0, 1.5, 2.0, 0.0]
    assert f["event"].tolist() == [True, False, False, True, False, True]
    assert f["undated"].tolist() == [False, False, False, True, False, False]
    assert (t.events, t.undated) == (3, 1)
    assert not t.dated  # 2 of 3 events dated: under 80%


def test_interview_curve_uses_interview_or_later_dates():
    log = normalize(
        pd.DataFrame(
            {
                "Date Sent": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"],
                "Status": ["Interview", "Offer", "Replied", "Rejected after interview"],
                "Interview Date": ["2024-01-11", None, None, "2024-01-06"],
                "Offer Date": [None, "2024-01-21", None, None],
            }
        )
    )
    f = stage_times(log, "interview", as_of="2024-03-01").frame
    assert f["duration"].tolist()[:2] == [10.0, 20.0]
    assert f["event"].tolist() == [True, True, False, True]
    assert f["duration"].iloc[2] == 60.0  # still open after a reply: censored at its age


def test_sample_headline_is_kaplan_meier_for_replies_and_window_for_wins():
    df = load(sample_path())
    resp = headline_rate(df, "response", as_of=AS_OF).iloc[0]
    win = headline_rate(df, "win", as_of=AS_OF).iloc[0]
    assert resp["method"] == "kaplan-meier" and win["method"] == "window-14d"
    assert resp["ci_low"] <= resp["rate"] <= resp["ci_high"]
    t = time_to_response(df, as_of=AS_OF)
    assert resp["rate"] == t.overall.eventual_rate
    # per channel: the segments' curves are the overall one restricted to the segment
    by = time_to_response(df, "channel", as_of=AS_OF)
    for name, km in by.groups.items():
        part = stage_times(df, as_of=AS_OF, by="channel").frame
        part = part[part["channel"] == name]
        sm = SurvfuncRight(part["duration"], part["event"].astype(int))
        assert km.eventual_rate == pytest.approx(1 - sm.surv_prob[-1], abs=1e-9)


def test_real_log_with_undated_replies_keeps_the_window_rule():
    df = load(REAL / "jsa_2023_job_search_fr.csv", mapping=REAL / "jsa.toml", skip_invalid=True)
    h = headline_rate(df, "response", as_of="2023-12-01").iloc[0]
    assert h["method"] == "window-14d"
    assert not time_to_response(df, as_of="2023-12-01").dated


def test_result_objects_display():
    t = time_to_stage(load(sample_path()), "responded", by="channel", as_of=AS_OF)
    text = repr(t)
    assert "by channel" in text and "Referral" in text and "eventual_rate" in text
    assert "<table" in t._repr_html_() and "Referral" in t._repr_html_()
    assert repr(t.overall).startswith("<KaplanMeier time to responded")
    assert "<table" in t.overall._repr_html_()
    s = t.summary
    assert s["channel"].iloc[0] == "all" and len(s) == 6
    assert (s["ci_low"] <= s["eventual_rate"]).all() and (s["eventual_rate"] <= s["ci_high"]).all()
    curves = t.curves()
    assert (curves.groupby("group")["reached"].apply(lambda x: x.is_monotonic_increasing)).all()


def test_curve_verdict_lines_fit_80_columns():
    t = time_to_response(load(sample_path()), as_of=AS_OF)
    lines = curve_verdict_lines(t)
    km = t.overall
    assert lines[0] == (
        f"Replies arrive in a median of {km.median_days:g} days ({km.median_ci[0]:g}–"
        f"{km.median_ci[1]:g}); silence after {km.ghosting_day:g} days means no."
    )
    assert all(len(line) <= 80 for line in lines)


# ------------------------------------------------------------------ bias by simulation


@pytest.mark.parametrize("surge", [0.0, 0.4])
def test_kaplan_meier_rate_is_unbiased_where_the_window_and_naive_rates_are_not(surge):
    # 120 logs of 300 pitches: SE of the mean about 0.25 points (the full run: benchmarks)
    b = estimator_bias(simulate_logs(120, surge_share=surge, seed=11)).set_index(
        ["metric", "estimator"]
    )
    assert abs(b.loc[("response", "kaplan_meier"), "bias_pp"]) < 1.0
    assert abs(b.loc[("interview", "kaplan_meier"), "bias_pp"]) < 1.0
    assert b.loc[("response", "naive"), "bias_pp"] < -0.8
    if surge:
        assert b.loc[("response", "window"), "bias_pp"] > 1.0
        assert b.loc[("interview", "window"), "relative_bias"] < -0.04


def test_simulated_delays_are_as_specified():
    logs = simulate_logs(30, seed=2)
    delay = ((logs["responded_on"] - logs["date"]).dt.days).dropna()
    old = logs["date"] <= pd.Timestamp("2024-07-01") - pd.Timedelta(days=120)
    d_old = ((logs.loc[old, "responded_on"] - logs.loc[old, "date"]).dt.days).dropna()
    assert 4 <= d_old.median() <= 6
    assert 0.07 <= (d_old >= 21).mean() <= 0.13
    assert len(delay) > 0


# ------------------------------------------------------------------ summary and CLI


def test_summary_time_to_response_and_headline():
    s = summarize(load_report(sample_path()), as_of=AS_OF)
    ttr = s["time_to_response"]
    km = time_to_response(load(sample_path()), as_of=AS_OF).overall
    assert ttr["median_days"] == km.median_days and ttr["ghosting_day"] == km.ghosting_day
    assert ttr["eventual_rate"]["value"] == km.eventual_rate
    assert ttr["curve"][0][0] == 0.0  # replies on the day sent count at day 0
    days = [d for d, _ in ttr["curve"]]
    assert days == sorted(days)
    assert {seg["name"] for seg in ttr["by_segment"]} == {c["channel"] for c in s["by_channel"]}
    assert s["headline"]["response_rate"]["method"] == "kaplan-meier"
    assert s["headline"]["response_rate"]["value"] == km.eventual_rate
    # the window-rule keys keep their meaning
    o = s["overall"]
    assert o["response_rate"]["value"] == o["responses"] / o["settled"]
    assert s["follow_up_lift"]["levels"][0]["follow_ups"] == 0


def test_cli_json_equals_summarize_on_a_log_with_reply_dates(tmp_path):
    path = tmp_path / "log.csv"
    rows = [
        "Date Sent,Platform,Client,Status,Response Date,Interview Date,Follow-ups",
        "2024-03-01,Upwork,Acme,Replied,2024-03-04,,0",
        "2024-03-02,Email,Birch,Ghosted,,,2",
        "2024-03-05,Email,Cedar,Interview,2024-03-08,2024-03-15,1",
        "2024-03-20,Upwork,Dune,Sent,,,0",
        "2024-03-21,Upwork,Elm,Replied,2024-03-30,,1",
        "2024-03-28,Email,Fir,Sent,,,0",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "outreach_analytics", "summary", str(path), "--json"]
        + ["--as-of", "2024-04-05"],
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(out.stdout)
    want = summarize(load_report(path), as_of="2024-04-05")
    assert got == json.loads(json.dumps(want))
    assert got["time_to_response"]["events"] == 3
    assert got["headline"]["response_rate"]["method"] == "kaplan-meier"


def test_summary_lines_for_the_cli_block():
    s = summarize(load_report(sample_path()), as_of=AS_OF)
    lines = summary_lines(s)
    assert lines[0].startswith("Replies arrive in a median of")
    assert any(line.startswith("Follow up") for line in lines)
    assert all(len(line) <= 80 for line in lines)
    undated = summarize(
        load_report(
            REAL / "jsa_2023_job_search_fr.csv", mapping=REAL / "jsa.toml", skip_invalid=True
        ),
        as_of="2023-12-01",
    )
    assert undated["time_to_response"]["dated"] is False
    assert undated["time_to_response"]["median_days"] is None
    assert undated["headline"]["response_rate"]["method"] == "window-14d"
    text = " ".join(summary_lines(undated))
    assert "no reply dates" in text and "14 days" in text
