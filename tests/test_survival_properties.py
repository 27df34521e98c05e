"""Invariants of the time-to-reply and follow-up estimates on any log (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_analytics import load_report, summarize
from outreach_analytics.analysis.follow_ups import follow_up_lift
from outreach_analytics.analysis.survival import time_to_stage
from outreach_analytics.model.schema import RESULTS, STAGES

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = pd.Timestamp("2024-01-01")


@st.composite
def logs(draw):
    n = draw(st.integers(0, 40))
    rows = []
    for _ in range(n):
        stage = draw(st.sampled_from(STAGES))
        result = "won" if stage == "won" else draw(st.sampled_from(RESULTS[:1] + RESULTS[2:]))
        sent = draw(st.integers(0, 90))
        delay = draw(st.one_of(st.none(), st.integers(0, 40)))
        rows.append((sent, stage, result, delay if stage != "sent" else None))
        rows[-1] += (draw(st.integers(0, 4)), draw(st.sampled_from(["Upwork", "Email", None])))
    sent, stage, result, delay, fups, channel = (
        (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [], [], [])
    )
    date = BASE + pd.to_timedelta(sent, unit="D")
    reply = pd.Series(date) + pd.to_timedelta(pd.Series(delay, dtype="float"), unit="D")
    return pd.DataFrame(
        {
            "date": date.astype("datetime64[s]"),
            "channel": pd.Series(channel, dtype="str"),
            "pitch_type": pd.Series([None] * n, dtype="str"),
            "stage": pd.Categorical(stage, categories=STAGES, ordered=True),
            "result": pd.Categorical(result, categories=RESULTS),
            "responded_on": reply.astype("datetime64[s]"),
            "follow_ups": pd.array(fups, dtype="Int64"),
        }
    )


as_ofs = st.integers(0, 150).map(lambda d: BASE + pd.Timedelta(days=d))


@SETTINGS
@given(logs(), as_ofs, st.sampled_from(["responded", "interview", "won"]))
def test_curves_are_monotone_proportions_inside_their_intervals(df, as_of, stage):
    t = time_to_stage(df, stage, by="channel", as_of=as_of)
    assert t.overall.n == int((df["date"] <= as_of).sum())
    assert sum(km.n for km in t.groups.values()) == t.overall.n
    for km in [t.overall, *t.groups.values()]:
        assert 0 <= km.eventual_rate <= 1
        if km.n:
            low, high = km.eventual_ci
            assert low - 1e-12 <= km.eventual_rate <= high + 1e-12
        r = km.table["reached"].to_numpy()
        assert (np.diff(r) >= -1e-12).all()
        if km.events:
            assert km.median_days <= km.ghosting_day
            assert km.median_ci[0] <= km.median_days <= km.median_ci[1]


@SETTINGS
@given(logs(), as_ofs)
def test_follow_up_table_invariants(df, as_of):
    f = follow_up_lift(df, as_of=as_of, min_age=0)
    t = f.table
    assert int(t["pitches"].sum()) == f.n
    assert (np.diff(t["at_risk"]) <= 0).all()
    assert (t["replied"] <= t["pitches"]).all()
    y = t["yield_"].fillna(0).to_numpy()
    np.testing.assert_allclose(t["cumulative"], 1 - np.cumprod(1 - y), atol=1e-12)
    lifts = t["lift"].iloc[1:].dropna()
    assert ((lifts >= 0) & (lifts <= 1)).all()


@settings(SETTINGS, max_examples=20)
@given(logs(), as_ofs)
def test_summary_headline_rates_are_proportions_inside_their_intervals(df, as_of):
    s = summarize(load_report(df), as_of=as_of)
    for rec in s["headline"].values():
        assert rec["method"] in ("kaplan-meier", "window-14d")
        if rec["value"] is not None:
            assert 0 <= rec["value"] <= 1
            assert rec["ci_low"] - 1e-12 <= rec["value"] <= rec["ci_high"] + 1e-12
    curve = s["time_to_response"]["curve"]
    assert all(a[1] <= b[1] + 1e-12 for a, b in zip(curve, curve[1:], strict=False))
