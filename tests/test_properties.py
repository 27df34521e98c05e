"""Invariants of normalization and metrics on logs drawn by hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_analytics import (
    RESULTS,
    STAGES,
    counts,
    funnel,
    load_report,
    normalize,
    pitches_per_win,
    rates,
    summarize,
)
from outreach_analytics.analysis.metrics import COUNT_COLUMNS

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# normalizing costs tens of milliseconds even for a tiny frame: fewer examples there
SLOW = settings(SETTINGS, max_examples=25)
BASE = pd.Timestamp("2024-01-01")
NOT_WON = [r for r in RESULTS if r != "won"]

# ------------------------------------------------------------------ canonical frames


@st.composite
def canonical_rows(draw):
    stage = draw(st.sampled_from(["planned", *STAGES]))
    result = {"won": "won", "planned": "open"}.get(stage) or draw(st.sampled_from(NOT_WON))
    return (
        draw(st.integers(0, 90)),
        draw(st.sampled_from(["Upwork", "Email", "Referral", None])),
        draw(st.sampled_from(["Cold pitch", "Proposal", None])),
        stage,
        result,
    )


@st.composite
def canonical_frames(draw):
    rows = draw(st.lists(canonical_rows(), min_size=0, max_size=40))
    days, channel, pitch, stage, result = (
        (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [], [])
    )
    return pd.DataFrame(
        {
            "date": (BASE + pd.to_timedelta(days, unit="D")).astype("datetime64[s]"),
            "channel": pd.Series(channel, dtype="str"),
            "pitch_type": pd.Series(pitch, dtype="str"),
            "stage": pd.Categorical(stage, categories=["planned", *STAGES], ordered=True),
            "result": pd.Categorical(result, categories=RESULTS),
        }
    )


as_ofs = st.integers(0, 120).map(lambda d: BASE + pd.Timedelta(days=d))
windows = st.integers(0, 30)


@SETTINGS
@given(canonical_frames(), as_ofs, windows)
def test_rates_are_proportions_inside_their_intervals(df, as_of, window):
    for by in (None, "channel", "pitch_type"):
        r = rates(df, by=by, as_of=as_of, window=window)
        defined = r["settled"] > 0
        assert r.loc[~defined, "rate"].isna().all()
        d = r[defined]
        assert d["rate"].between(0, 1).all()
        assert d["ci_low"].between(0, 1).all() and d["ci_high"].between(0, 1).all()
        assert ((d["ci_low"] <= d["rate"] + 1e-12) & (d["rate"] <= d["ci_high"] + 1e-12)).all()
        assert (d["successes"] <= d["settled"]).all()


@SETTINGS
@given(canonical_frames(), as_ofs, windows)
def test_funnel_never_increases(df, as_of, window):
    for by in (None, "channel"):
        f = funnel(df, by, as_of=as_of, window=window)
        groups = [f] if by is None else [g for _, g in f.groupby(by, sort=False)]
        # the viewed stage is shown only where an action stopped at it
        viewed = ((df["stage"] == "viewed") & (df["date"] <= as_of)).any()
        shown = [s for s in STAGES if s != "viewed" or viewed]
        for g in groups:
            assert g["stage"].astype(str).tolist() == shown
            assert (np.diff(g["count"].to_numpy()) <= 0).all()
            conv = g["conversion"].dropna()
            assert conv.between(0, 1).all()


@SETTINGS
@given(canonical_frames(), as_ofs, windows)
def test_counts_are_consistent_and_segments_add_up(df, as_of, window):
    overall = counts(df, as_of=as_of, window=window).iloc[0]
    planned = (df["stage"] == "planned").to_numpy()
    future = ~planned & (df["date"] > as_of).to_numpy()
    assert (overall["planned"], overall["future"]) == (planned.sum(), future.sum())
    assert overall["actions"] == len(df) - planned.sum() - future.sum()
    assert overall["pending"] + overall["settled"] == overall["actions"]
    chain = overall[["actions", "responses", "interviews", "offers", "wins"]].to_numpy()
    assert (np.diff(chain) <= 0).all()
    assert overall["responses"] <= overall["settled"]  # pending rows are never answered
    for by in ("channel", "pitch_type", ["channel", "pitch_type"]):
        seg = counts(df, by, as_of=as_of, window=window)
        assert seg[COUNT_COLUMNS].sum().tolist() == overall[COUNT_COLUMNS].tolist()
        keys = [by] if isinstance(by, str) else by
        assert not seg.duplicated(keys).any()
        assert seg[keys].notna().all(axis=None)


@SETTINGS
@given(canonical_frames(), as_ofs, windows)
def test_pitches_per_win_interval_contains_its_estimate(df, as_of, window):
    for by in (None, "channel"):
        p = pitches_per_win(df, by, as_of=as_of, window=window)
        won = p["wins"] > 0
        assert p.loc[~won, ["pitches_per_win", "ci_high"]].isna().all(axis=None)
        # no win yet: "at least ci_low" pitches per win, wherever something is settled
        none = p[~won]
        assert (none["ci_low"].isna() == (none["settled"] == 0)).all()
        assert (none["ci_low"].dropna() >= 1).all()
        w = p[won]
        assert (w["pitches_per_win"] >= 1).all()
        assert (
            (w["ci_low"] <= w["pitches_per_win"] * (1 + 1e-12))
            & (w["pitches_per_win"] <= w["ci_high"] * (1 + 1e-12))
        ).all()


@SLOW
@given(canonical_frames(), as_ofs, windows)
def test_summary_segments_add_up_and_intervals_hold(df, as_of, window):
    s = summarize(load_report(df), as_of=as_of, window=window)
    assert s["rows_read"] == s["rows_used"] == len(df)
    for key in ("by_channel", "by_pitch_type"):
        if not s[key]:
            column = "channel" if key == "by_channel" else "pitch_type"
            assert df.empty or (column == "pitch_type" and df[column].isna().all())
            continue
        for c in COUNT_COLUMNS:
            assert sum(seg[c] for seg in s[key]) == s["overall"][c]
    for rec in [s["overall"], *s["by_channel"], *s["by_pitch_type"]]:
        for m in ("response_rate", "interview_rate", "win_rate", "pitches_per_win"):
            v = rec[m]
            if v["value"] is None and m == "pitches_per_win":
                assert v["ci_high"] is None and (v["ci_low"] is None or v["ci_low"] >= 1)
            elif v["value"] is None:
                assert v["ci_low"] is None and v["ci_high"] is None
            else:
                assert v["ci_low"] <= v["value"] * (1 + 1e-12) + 1e-12
                assert v["value"] <= v["ci_high"] * (1 + 1e-12) + 1e-12


@SLOW
@given(canonical_frames())
def test_normalize_keeps_a_canonical_frame(df):
    once = normalize(df)
    assert once["stage"].astype(str).tolist() == df["stage"].astype(str).tolist()
    assert once["result"].astype(str).tolist() == df["result"].astype(str).tolist()
    assert (once["channel"] == df["channel"].fillna("unspecified")).all()
    pd.testing.assert_frame_equal(normalize(once), once)


# ------------------------------------------------------------------ raw logs

GOOD_DATES = ["2024-03-05", "2024-3-6", "07.03.2024", "2024-03-08 10:30", "45366"]
BAD_DATES = ["soon", "2024-02-30", "yesterday"]
GOOD_STATUS = [
    "Sent",
    "Ghosted",
    "Rejected",
    "Interviewed - rejected",
    "Offer declined",
    "Hired",
    "No reply",
    "Call booked",
    "",
    None,
]
BAD_STATUS = ["Blorp", "maybe later"]
PLATFORMS = ["Upwork", "upwork ", "LinkedIn", "Linkedin", None, ""]
GOOD_RATES = ["50", "$60/hr", "1,200", "", None]
BAD_RATES = ["lots", "n/a please"]


def _cell(good: list, bad: list, bad_ok: bool):
    return st.sampled_from(good + bad) if bad_ok else st.sampled_from(good)


@st.composite
def raw_logs(draw, with_bad_cells: bool):
    n = draw(st.integers(1, 25))
    rows = []
    for _ in range(n):
        if draw(st.integers(0, 9)) == 0:
            rows.append({"Date Sent": None, "Platform": None, "Status": None, "Rate": None})
            continue
        rows.append(
            {
                "Date Sent": draw(_cell(GOOD_DATES, BAD_DATES + [None], with_bad_cells)),
                "Platform": draw(st.sampled_from(PLATFORMS)),
                "Status": draw(_cell(GOOD_STATUS, BAD_STATUS, with_bad_cells)),
                "Rate": draw(_cell(GOOD_RATES, BAD_RATES, with_bad_cells)),
            }
        )
    return pd.DataFrame(rows, columns=["Date Sent", "Platform", "Status", "Rate"], dtype="str")


@SLOW
@given(raw_logs(with_bad_cells=True))
def test_every_row_read_is_used_skipped_or_blank(log):
    rep = load_report(log, skip_invalid=True)
    assert rep.rows_read == len(log)
    assert rep.rows_read == rep.rows_used + rep.rows_skipped + rep.rows_blank
    used = set(rep.data["source_row"])
    skipped = set(rep.skipped["row"])
    blank = set(rep.blank_rows)
    assert not (used & skipped) and not (used & blank) and not (skipped & blank)
    assert used | skipped | blank == set(range(2, len(log) + 2))
    # a row without a date is used as an action of unknown date or as planned (nothing in
    # it says it was sent), and listed either way
    no_date = rep.data["date"].isna()
    planned = (rep.data["stage"] == "planned").to_numpy()
    assert rep.data.loc[no_date & ~planned, "source_row"].tolist() == rep.undated_rows
    assert rep.data.loc[planned, "source_row"].tolist() == rep.planned_rows


@SLOW
@given(raw_logs(with_bad_cells=False))
def test_normalize_is_idempotent_on_raw_logs(log):
    once = normalize(log)
    pd.testing.assert_frame_equal(normalize(once), once)


@SLOW
@given(raw_logs(with_bad_cells=True))
def test_normalize_is_idempotent_after_skipping(log):
    once = normalize(log, skip_invalid=True)
    pd.testing.assert_frame_equal(normalize(once), once)
