"""Tests of the sample-log generator.

Rates are checked against the generator's declared ``TRUE_RATES`` by counting the raw
columns with plain pandas; nothing else from the package is used.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outreach_analytics import sample
from outreach_analytics.sample import (
    SETTLED_AFTER_DAYS,
    TRUE_RATES,
    generate_log,
    sample_path,
    true_rates,
    write_log,
)

END = pd.Timestamp("2026-11-15")
HEADERS = [
    "Date Sent",
    "Platform",
    "Pitch Type",
    "Client",
    "Status",
    "Response Date",
    "Interview Date",
    "Follow-ups",
    "Rate",
    "Connects",
    "Notes",
]
OPEN_WORDS = {"Sent", "Applied"}  # and the empty cell
ALLOWED_STATUS = OPEN_WORDS | {
    "No reply",
    "Ghosted",
    "Replied",
    "In talks",
    "Declined",
    "Rejected",
    "Not a fit",
    "Interview",
    "Call booked",
    "Rejected after interview",
    "Interviewed - no offer",
    "Offer",
    "Offer declined",
    "Hired",
    "Won",
    "Contract signed",
    "Withdrawn",
}
WON_WORDS = {"Hired", "Won", "Contract signed"}
OFFER_WORDS = {"Offer", "Offer declined"} | WON_WORDS
CHANNEL_NAMES = {
    "upwork": "Upwork",
    "linkedin": "LinkedIn",
    "email": "Email",
    "facebook groups": "Facebook Groups",
    "referral": "Referral",
}


def channel_of(log: pd.DataFrame) -> pd.Series:
    return log["Platform"].str.strip().str.casefold().map(CHANNEL_NAMES)


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return generate_log(5000, seed=11)


@pytest.fixture(scope="module")
def big_log() -> pd.DataFrame:
    return generate_log(200_000, seed=3)


def test_same_seed_gives_the_same_log():
    first = generate_log(3000, seed=5)
    pd.testing.assert_frame_equal(first, generate_log(3000, seed=5))
    assert not first.equals(generate_log(3000, seed=6))


def test_columns_in_order_and_types(log):
    assert list(log.columns) == HEADERS
    assert len(log) == 5000
    for column in ("Date Sent", "Response Date", "Interview Date"):
        assert log[column].dtype == "datetime64[s]"
    for column in ("Platform", "Pitch Type", "Client", "Status", "Notes"):
        assert log[column].dtype == "str"
    for column in ("Follow-ups", "Rate", "Connects"):
        assert log[column].dtype == "Int64"


def test_empty_log_has_the_columns():
    empty = generate_log(0)
    assert list(empty.columns) == HEADERS
    assert len(empty) == 0


def test_dates_sorted_and_in_range(log):
    sent = log["Date Sent"]
    assert sent.is_monotonic_increasing
    assert sent.min() >= END - pd.Timedelta(days=364)
    assert sent.max() <= END
    for column in ("Response Date", "Interview Date"):
        assert (log[column].dropna() <= END).all()


def test_days_and_end_are_respected():
    short = generate_log(500, seed=1, end=date(2024, 3, 1), days=30)
    assert short["Date Sent"].min() >= pd.Timestamp("2024-02-01")
    assert short["Date Sent"].max() <= pd.Timestamp("2024-03-01")
    assert (short["Response Date"].dropna() <= pd.Timestamp("2024-03-01")).all()


def test_event_dates_follow_each_other(log):
    replied = log["Response Date"].notna()
    assert (log.loc[replied, "Response Date"] >= log.loc[replied, "Date Sent"]).all()
    interviewed = log["Interview Date"].notna()
    assert replied[interviewed].all()
    assert (log.loc[interviewed, "Interview Date"] > log.loc[interviewed, "Response Date"]).all()
    delay = (log["Response Date"] - log["Date Sent"]).dt.days.dropna()
    assert delay.max() <= 30
    assert delay.between(0, 5).mean() > 0.7


def test_status_words_only_from_the_vocabulary(log):
    assert set(log["Status"].dropna()) <= ALLOWED_STATUS
    assert log["Status"].isna().any()  # empty cells are there too
    withdrawn = (log["Status"] == "Withdrawn").mean()
    assert 0.003 < withdrawn < 0.03


def test_status_agrees_with_dates(log):
    status = log["Status"].fillna("")
    silent = status.isin(OPEN_WORDS | {"", "No reply", "Ghosted", "Withdrawn"})
    assert log.loc[silent, "Response Date"].isna().all()
    assert log.loc[~silent, "Response Date"].notna().all()
    later = status.isin(
        OFFER_WORDS
        | {"Interview", "Call booked", "Rejected after interview", "Interviewed - no offer"}
    )
    assert log.loc[later, "Interview Date"].notna().all()
    assert log.loc[~later, "Interview Date"].isna().all()


def test_recent_rows_are_mostly_open_and_old_silent_rows_are_mixed(log):
    age = (END - log["Date Sent"]).dt.days
    silent = log["Response Date"].isna()
    status = log["Status"].fillna("")
    recent = status[silent & (age < 14)]
    assert recent.isin(OPEN_WORDS | {""}).mean() > 0.9
    old = set(status[silent & (age >= 14)])
    assert {"No reply", "Ghosted", "", "Sent", "Applied"} <= old


def test_interviews_without_offer_are_a_visible_leak(big_log):
    settled = big_log[big_log["Date Sent"] <= END - pd.Timedelta(days=SETTLED_AFTER_DAYS)]
    interviewed = settled["Interview Date"].notna()
    offered = settled["Status"].isin(OFFER_WORDS)
    assert offered[interviewed].mean() < 0.6
    assert settled["Status"].isin(["Rejected after interview", "Interviewed - no offer"]).any()


def test_platforms_are_the_five_channels_with_a_few_sloppy_spellings(log):
    channel = channel_of(log)
    assert channel.notna().all()
    sloppy = (log["Platform"] != channel).mean()
    assert 0.005 < sloppy < 0.05
    counts = channel.value_counts()
    assert counts.index[0] == "Upwork"
    assert counts.index[-1] == "Referral"


def test_connects_only_on_upwork(log):
    connects = log["Connects"].notna()
    assert (channel_of(log)[connects] == "Upwork").all()
    assert set(log["Connects"].dropna()) <= {6, 8, 12, 16}
    assert connects[channel_of(log) == "Upwork"].mean() > 0.9


def test_pitch_types_fit_the_channel(log):
    channel = channel_of(log)
    pitch = log["Pitch Type"]
    assert set(pitch) == {
        "Cold pitch",
        "Proposal",
        "Follow-up",
        "Rate-increase ask",
        "Referral ask",
    }
    assert (pitch[channel == "Upwork"] == "Proposal").mean() > 0.7
    assert (pitch[channel == "Referral"] == "Referral ask").mean() > 0.5
    assert pitch[channel == "Email"].isin(["Cold pitch", "Follow-up"]).mean() > 0.6
    assert (pitch == "Rate-increase ask").mean() < 0.06


def test_rate_increase_asks_go_to_past_clients(log):
    asks = log[log["Pitch Type"] == "Rate-increase ask"]
    others = log[log["Pitch Type"] != "Rate-increase ask"]
    assert len(asks) > 0
    assert asks["Client"].isin(others["Client"]).all()
    assert log["Client"].value_counts().iloc[0] > 1  # repeat clients


def test_numbers_are_in_range(log):
    assert log["Follow-ups"].between(0, 3).all()
    rate = log["Rate"].dropna()
    assert rate.between(45, 135).all()
    assert 0.05 < log["Rate"].isna().mean() < 0.3
    assert 0.1 < log["Notes"].notna().mean() < 0.3
    silent = log["Response Date"].isna()
    assert log.loc[silent, "Follow-ups"].mean() > log.loc[~silent, "Follow-ups"].mean()


def test_weekdays_are_busier_than_weekends(big_log):
    weekend = big_log["Date Sent"].dt.day_of_week >= 5
    assert weekend.mean() < 0.08


def _observed_rates(log: pd.DataFrame) -> pd.DataFrame:
    """Per-channel rates counted from the raw columns of settled rows."""
    settled = log[log["Date Sent"] <= END - pd.Timedelta(days=SETTLED_AFTER_DAYS)]
    status = settled["Status"]
    flags = pd.DataFrame(
        {
            "channel": channel_of(settled),
            "response_rate": settled["Response Date"].notna(),
            "interview_rate": settled["Interview Date"].notna(),
            "offer_rate": status.isin(OFFER_WORDS),
            "win_rate": status.isin(WON_WORDS),
        }
    )
    grouped = flags.groupby("channel")
    return grouped.mean().assign(n=grouped.size())


@pytest.mark.parametrize("rate", ["response_rate", "interview_rate", "offer_rate", "win_rate"])
def test_estimates_recover_the_true_rates(big_log, rate):
    observed = _observed_rates(big_log)
    true = TRUE_RATES[rate].reindex(observed.index)
    standard_error = np.sqrt(true * (1 - true) / observed["n"])
    gap = (observed[rate] - true).abs()
    assert (gap < 4.5 * standard_error).all(), pd.DataFrame(
        {"observed": observed[rate], "true": true}
    )
    assert (gap < 0.02).all()


def test_channel_shares_match(big_log):
    share = channel_of(big_log).value_counts(normalize=True)
    np.testing.assert_allclose(share.reindex(TRUE_RATES.index), TRUE_RATES["share"], atol=0.005)


def test_true_rates_are_consistent():
    rates = true_rates(["channel", "pitch_type"])
    assert len(rates) == 25
    np.testing.assert_allclose(rates["share"].sum(), 1.0)
    product = (
        rates["p_response"]
        * rates["p_interview_given_response"]
        * rates["p_offer_given_interview"]
        * rates["p_won_given_offer"]
    )
    np.testing.assert_allclose(product, rates["win_rate"])
    by_channel = (
        rates["response_rate"].mul(rates["share"]).groupby(level="channel", sort=False).sum()
        / rates["share"].groupby(level="channel", sort=False).sum()
    )
    np.testing.assert_allclose(by_channel.reindex(TRUE_RATES.index), TRUE_RATES["response_rate"])
    overall = true_rates(None)
    np.testing.assert_allclose(
        overall["win_rate"].iloc[0], (TRUE_RATES["win_rate"] * TRUE_RATES["share"]).sum()
    )
    assert 0.10 <= TRUE_RATES.loc["Upwork", "response_rate"] <= 0.15
    assert 0.50 <= TRUE_RATES.loc["Referral", "response_rate"] <= 0.60
    assert 0.01 < overall["win_rate"].iloc[0] < 0.06
    assert list(true_rates("pitch_type").index) == list(sample.PITCH_TYPES)
    with pytest.raises(ValueError, match="'by'"):
        true_rates("platform")


def _read(path: Path) -> pd.DataFrame:
    dates = ["Date Sent", "Response Date", "Interview Date"]
    read = pd.read_csv(path, encoding="utf-8", dtype={"Follow-ups": "Int64"})
    for column in dates:
        read[column] = pd.to_datetime(read[column], format="%Y-%m-%d").astype("datetime64[s]")
    for column in ("Rate", "Connects"):
        read[column] = read[column].astype("Int64")
    return read


def test_written_csv_holds_the_generated_log(tmp_path, monkeypatch):
    monkeypatch.setattr(sample, "_CHUNK_ROWS", 700)  # several chunks
    path = write_log(tmp_path / "log.csv", 2500, seed=9)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(HEADERS)
    assert '"' not in text
    pd.testing.assert_frame_equal(_read(path), generate_log(2500, seed=9))


def test_bundled_sample_is_reproducible(tmp_path):
    bundled = sample_path()
    assert bundled.name == "sample_outreach.csv"
    fresh = write_log(tmp_path / "sample.csv")
    assert fresh.read_bytes() == bundled.read_bytes()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_rows": -1}, "n_rows"),
        ({"days": 0}, "days"),
        ({"end": "soon"}, "end"),
        ({"seed": -3}, "seed"),
    ],
)
def test_bad_arguments_are_named(kwargs, name):
    with pytest.raises(ValueError, match=f"'{name}'"):
        generate_log(**kwargs)
