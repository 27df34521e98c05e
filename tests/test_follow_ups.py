"""Follow-ups: the yield and lift of each follow-up, by hand, against statsmodels and
against simulated logs with known yields."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from statsmodels.stats.proportion import proportion_confint

from outreach_analytics import load, normalize, sample_path
from outreach_analytics.analysis.follow_ups import (
    follow_up_counts,
    follow_up_lift,
    lift_record,
)

AS_OF = "2024-06-01"


def _log(counts_replied: list[tuple[int, bool]], date="2024-01-01") -> pd.DataFrame:
    return normalize(
        pd.DataFrame(
            {
                "Date Sent": [date] * len(counts_replied),
                "Status": ["Replied" if r else "Ghosted" for _, r in counts_replied],
                "Follow-ups": [k for k, _ in counts_replied],
            }
        )
    )


def test_yield_and_lift_by_hand():
    # 0 follow-ups: 10 replied, 10 silent; 1: 6 replied, 14 silent; 2: 1 replied, 9 silent
    rows = (
        [(0, True)] * 10
        + [(0, False)] * 10
        + [(1, True)] * 6
        + [(1, False)] * 14
        + [(2, True)] * 1
        + [(2, False)] * 9
    )
    f = follow_up_lift(_log(rows), as_of=AS_OF, min_age=0)
    t = f.table
    assert t["follow_ups"].tolist() == [0, 1, 2]
    assert t["pitches"].tolist() == [20, 20, 10]
    assert t["at_risk"].tolist() == [50, 30, 10]
    h = np.array([10 / 50, 6 / 30, 1 / 10])
    assert_allclose(t["yield_"], h, rtol=1e-12)
    assert_allclose(t["rate"], [10 / 20, 6 / 20, 1 / 10], rtol=1e-12)
    assert_allclose(t["lift"].iloc[1:], [(1 - h[0]) * h[1], (1 - h[0]) * (1 - h[1]) * h[2]])
    assert_allclose(t["cumulative"], 1 - np.cumprod(1 - h), rtol=1e-12)
    low, high = proportion_confint([10, 6, 1], [50, 30, 10], method="wilson")
    assert_allclose(t["yield_low"], low, rtol=1e-10)
    assert_allclose(t["yield_high"], high, rtol=1e-10)
    # the lift's interval: Jeffreys posteriors, Monte Carlo written out here
    rng = np.random.default_rng(123)
    a = rng.beta(10.5, 40.5, 400_000)
    b = rng.beta(6.5, 24.5, 400_000)
    lo, hi = np.quantile((1 - a) * b, [0.025, 0.975])
    assert t["lift_low"].iloc[1] == pytest.approx(lo, abs=0.004)
    assert t["lift_high"].iloc[1] == pytest.approx(hi, abs=0.004)
    assert (t["lift_low"].iloc[1:] <= t["lift"].iloc[1:]).all()
    assert (t["lift"].iloc[1:] <= t["lift_high"].iloc[1:]).all()
    # the 1st brings 16 per 100, the 2nd 6.4 per 100: both pay at 2 per 100
    assert f.pays_up_to == 2
    assert f.verdict().startswith("Follow up 2 times: the 2nd brought at most 6")


def test_stops_paying_where_the_lift_falls_under_min_lift():
    rows = [(0, False)] * 60 + [(1, True)] * 20 + [(1, False)] * 40 + [(2, False)] * 80
    f = follow_up_lift(_log(rows), as_of=AS_OF, min_age=0)
    assert f.pays_up_to == 1  # the 2nd follow-up brought no reply
    assert f.table["pays"].tolist() == [False, True, False]
    assert f.verdict().startswith("Follow up once")


def test_young_pitches_are_left_out():
    old = _log([(1, True)] * 5 + [(0, False)] * 5, date="2024-01-01")
    young = _log([(0, False)] * 7, date="2024-05-25")
    f = follow_up_lift(pd.concat([old, young], ignore_index=True), as_of=AS_OF, min_age=21)
    assert (f.n, f.excluded_young) == (10, 7)


def test_follow_up_rows_count_toward_the_latest_earlier_pitch_to_the_client():
    log = normalize(
        pd.DataFrame(
            {
                "Date": [
                    "2024-01-01",  # Acme pitch 1
                    "2024-01-05",  # its follow-up
                    "2024-02-01",  # Acme pitch 2
                    "2024-02-06",  # its follow-up, with a reply
                    "2024-02-09",  # and a second
                    "2024-01-03",  # Birch pitch, never followed up
                    "2024-01-02",  # follow-up of a client never pitched
                ],
                "Client": ["Acme", "Acme", "Acme", "Acme", "Acme", "Birch", "Zed"],
                "Type": [
                    "Proposal",
                    "Follow-up",
                    "Proposal",
                    "Follow up",
                    "follow-up",
                    "Cold",
                    "Nudge",
                ],
                "Status": ["Ghosted", "Sent", "Sent", "Replied", "Sent", "Ghosted", "Sent"],
            }
        )
    )
    pitches, unmatched = follow_up_counts(log, as_of=AS_OF)
    assert pitches["follow_ups"].tolist() == [1.0, 2.0, 0.0]
    assert pitches["replied"].tolist() == [False, True, False]
    assert unmatched == 1


def test_without_follow_ups_logged_there_is_nothing_to_say():
    log = normalize(pd.DataFrame({"Date": ["2024-01-01"] * 3, "Status": ["Sent"] * 3}))
    f = follow_up_lift(log, as_of=AS_OF)
    assert f.n == 0 and f.unlogged == 3
    assert lift_record(f) is None
    assert f.verdict().startswith("No follow-ups logged")


def test_known_yields_are_recovered_by_simulation():
    # follow-ups are sent only while silent; each has a known chance to bring the reply
    rng = np.random.default_rng(7)
    n_logs, n = 300, 300
    truth = np.array([0.15, 0.08, 0.03])
    keep_going = 0.8  # chance of sending the next follow-up while still silent
    est = np.empty((n_logs, 3))
    covered = np.zeros(3)
    for i in range(n_logs):
        k = np.zeros(n, dtype=int)
        replied = rng.random(n) < truth[0]
        silent = ~replied
        for j in (1, 2):
            sends = silent & (rng.random(n) < keep_going)
            k[sends] = j
            got = sends & (rng.random(n) < truth[j])
            replied |= got
            silent = sends & ~got
        t = _fast_table(k, replied)
        est[i] = t[0]
        covered += (t[1] <= truth) & (truth <= t[2])
    assert_allclose(est.mean(axis=0), truth, atol=0.004)
    assert (covered / n_logs > 0.92).all()
    # and the module gives the same table on one of those logs
    log = _log(list(zip(k.tolist(), replied.tolist(), strict=True)))
    f = follow_up_lift(log, as_of=AS_OF, min_age=0)
    assert_allclose(f.table["yield_"], _fast_table(k, replied)[0], rtol=1e-12)


def _fast_table(k, replied):
    exactly = np.bincount(k, minlength=3)
    rep = np.bincount(k[replied], minlength=3)
    at_risk = exactly[::-1].cumsum()[::-1]
    low, high = proportion_confint(rep, at_risk, method="wilson")
    return rep / at_risk, low, high


def test_sample_lift_record():
    f = follow_up_lift(load(sample_path()), as_of="2026-11-15")
    rec = lift_record(f)
    assert rec["pitches"] == f.n and rec["levels"][0]["lift"]["value"] is None
    assert sum(lv["pitches"] for lv in rec["levels"]) == f.n
    assert rec["levels"][0]["at_risk"] == f.n
    assert "FollowUpLift" in repr(f) and "<table" in f._repr_html_()
