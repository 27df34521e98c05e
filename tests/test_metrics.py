"""Oracle tests of the metrics.

Intervals are checked against statsmodels, counts against DuckDB SQL written here over the
raw sample CSV (with our own reading of its status words), the pending/settled boundary
and the funnel against hand calculations, and the estimates on a large generated log
against the probabilities the generator draws from.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from statsmodels.stats.proportion import proportion_confint

from outreach_analytics import (
    STAGES,
    counts,
    funnel,
    load,
    load_report,
    mark_pending,
    normalize,
    pitches_per_win,
    rates,
    sample_path,
    summarize,
    wilson_interval,
)
from outreach_analytics.sample import SETTLED_AFTER_DAYS, TRUE_RATES, generate_log, true_rates

AS_OF = "2026-11-15"
COUNTS = ["actions", "pending", "settled", "responses", "interviews", "offers", "wins"]


def _wilson(k, n, alpha=0.05):
    low, high = proportion_confint(np.asarray(k), np.asarray(n), alpha=alpha, method="wilson")
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


@pytest.fixture(scope="module")
def sample_df() -> pd.DataFrame:
    return load(sample_path())


# ------------------------------------------------------------------ Wilson intervals


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_wilson_interval_equals_statsmodels(alpha):
    k = np.array([0, 1, 3, 5, 10, 50, 99, 100, 0, 1, 7, 220])
    n = np.array([10, 10, 10, 100, 10, 100, 100, 100, 1, 1, 7, 971])
    low, high = wilson_interval(k, n, alpha)
    exp_low, exp_high = _wilson(k, n, alpha)
    assert_allclose(low, exp_low, rtol=1e-10, atol=1e-12)
    assert_allclose(high, exp_high, rtol=1e-10, atol=1e-12)


def test_wilson_interval_is_nan_without_trials():
    low, high = wilson_interval([0, 3], [0, 10])
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert not np.isnan(low[1])


@pytest.mark.parametrize("by", [None, "channel", "pitch_type", ["channel", "pitch_type"]])
def test_rates_intervals_equal_statsmodels(sample_df, by):
    r = rates(sample_df, by=by, as_of=AS_OF)
    assert set(r["metric"].astype(str)) == {"response", "interview", "win"}
    ok = r["settled"] > 0
    low, high = _wilson(r.loc[ok, "successes"], r.loc[ok, "settled"])
    assert_allclose(r.loc[ok, "ci_low"], low, rtol=1e-10, atol=1e-12)
    assert_allclose(r.loc[ok, "ci_high"], high, rtol=1e-10, atol=1e-12)
    assert_allclose(r.loc[ok, "rate"], r.loc[ok, "successes"] / r.loc[ok, "settled"])
    assert r.loc[~ok, ["rate", "ci_low", "ci_high"]].isna().all().all()


def test_rates_alpha_is_passed_through(sample_df):
    r = rates(sample_df, by="channel", as_of=AS_OF, alpha=0.001)
    low, high = _wilson(r["successes"], r["settled"], alpha=0.001)
    assert_allclose(r["ci_low"], low, rtol=1e-10)
    assert_allclose(r["ci_high"], high, rtol=1e-10)


def _check_record(rec: dict) -> None:
    n = rec["settled"]
    for key, col in (
        ("response_rate", "responses"),
        ("interview_rate", "interviews"),
        ("win_rate", "wins"),
    ):
        k = rec[col]
        low, high = _wilson(k, n)
        assert rec[key]["value"] == pytest.approx(k / n, rel=1e-12)
        assert rec[key]["ci_low"] == pytest.approx(float(low), rel=1e-10, abs=1e-12)
        assert rec[key]["ci_high"] == pytest.approx(float(high), rel=1e-10, abs=1e-12)
    ppw = rec["pitches_per_win"]
    if rec["wins"] == 0:
        assert ppw == {"value": None, "ci_low": None, "ci_high": None}
    else:
        low, high = _wilson(rec["wins"], n)
        assert ppw["value"] == pytest.approx(n / rec["wins"], rel=1e-12)
        assert ppw["ci_low"] == pytest.approx(1 / float(high), rel=1e-10)
        assert ppw["ci_high"] == pytest.approx(1 / float(low), rel=1e-10)


def test_summarize_intervals_equal_statsmodels():
    s = summarize(load_report(sample_path()), as_of=AS_OF)
    records = [s["overall"], *s["by_channel"], *s["by_pitch_type"]]
    assert len(s["by_channel"]) == 5 and len(s["by_pitch_type"]) == 5
    for rec in records:
        _check_record(rec)


# ------------------------------------------------------------------ counts vs DuckDB

_RAW_SQL = """
WITH raw AS (
    SELECT * FROM read_csv(?, header = true, all_varchar = true)
), rows AS (
    SELECT
        regexp_replace(lower(trim("Platform")), '\\s+', ' ', 'g') AS channel,
        "Pitch Type" AS pitch_type,
        CAST("Date Sent" AS DATE) AS sent,
        greatest(
            CASE
                WHEN "Status" IN ('Hired', 'Won', 'Contract signed') THEN 4
                WHEN "Status" IN ('Offer', 'Offer declined') THEN 3
                WHEN "Status" IN ('Interview', 'Call booked', 'Rejected after interview',
                                  'Interviewed - no offer') THEN 2
                WHEN "Status" IN ('Replied', 'In talks', 'Declined', 'Rejected', 'Not a fit')
                    THEN 1
                ELSE 0
            END,
            CASE WHEN "Interview Date" IS NOT NULL THEN 2
                 WHEN "Response Date" IS NOT NULL THEN 1
                 ELSE 0 END
        ) AS stage,
        coalesce("Status", '') IN ('', 'Sent', 'Applied') AS open_word
    FROM raw
), marked AS (
    SELECT *, (stage = 0 AND open_word AND sent > CAST(? AS DATE) - INTERVAL 14 DAY) AS pending
    FROM rows
)
SELECT {keys}
    count(*) AS actions,
    sum(CAST(pending AS INTEGER)) AS pending,
    sum(CAST(NOT pending AS INTEGER)) AS settled,
    sum(CAST(stage >= 1 AS INTEGER)) AS responses,
    sum(CAST(stage >= 2 AS INTEGER)) AS interviews,
    sum(CAST(stage >= 3 AS INTEGER)) AS offers,
    sum(CAST(stage >= 4 AS INTEGER)) AS wins
FROM marked
{group}
"""


def _sql(keys: list[str]) -> pd.DataFrame:
    query = _RAW_SQL.format(
        keys="".join(f"{k}, " for k in keys),
        group=f"GROUP BY {', '.join(keys)}" if keys else "",
    )
    with duckdb.connect() as con:
        out = con.execute(query, [str(sample_path()), AS_OF]).df()
    for c in COUNTS:
        out[c] = out[c].astype("int64")
    return out


def test_overall_counts_equal_sql(sample_df):
    got = counts(sample_df, as_of=AS_OF)
    expected = _sql([])
    assert got[COUNTS].iloc[0].tolist() == expected[COUNTS].iloc[0].tolist()
    assert expected["pending"].iloc[0] > 0  # the boundary matters on the sample


def test_channel_counts_equal_sql(sample_df):
    got = counts(sample_df, "channel", as_of=AS_OF)
    got = got.assign(channel=got["channel"].str.casefold()).set_index("channel")[COUNTS]
    expected = _sql(["channel"]).set_index("channel")[COUNTS]
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_pitch_type_counts_equal_sql(sample_df):
    got = counts(sample_df, "pitch_type", as_of=AS_OF).set_index("pitch_type")[COUNTS]
    expected = _sql(["pitch_type"]).set_index("pitch_type")[COUNTS]
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_two_key_counts_equal_sql_over_the_canonical_frame(sample_df):
    frame = pd.DataFrame(  # plain columns DuckDB reads without any pandas extension types
        {
            "channel": sample_df["channel"].astype(object),
            "pitch_type": sample_df["pitch_type"].astype(object),
            "date": sample_df["date"].astype("datetime64[ns]"),
            "stage": sample_df["stage"].astype(str).astype(object),
            "result": sample_df["result"].astype(str).astype(object),
        }
    )
    query = """
        SELECT channel, pitch_type, count(*) AS actions,
            sum(CAST(p AS INTEGER)) AS pending, sum(CAST(NOT p AS INTEGER)) AS settled,
            sum(CAST(stage <> 'sent' AS INTEGER)) AS responses,
            sum(CAST(stage IN ('interview', 'offer', 'won') AS INTEGER)) AS interviews,
            sum(CAST(stage IN ('offer', 'won') AS INTEGER)) AS offers,
            sum(CAST(stage = 'won' AS INTEGER)) AS wins
        FROM (SELECT *, stage = 'sent' AND result = 'open'
                        AND date > TIMESTAMP '2026-11-01' AS p FROM frame)
        GROUP BY channel, pitch_type
    """
    with duckdb.connect() as con:
        con.register("frame", frame)
        expected = con.execute(query).df().set_index(["channel", "pitch_type"]).sort_index()
    got = counts(sample_df, ["channel", "pitch_type"], as_of=AS_OF)
    got = got.set_index(["channel", "pitch_type"]).sort_index()
    pd.testing.assert_frame_equal(got[COUNTS], expected[COUNTS].astype("int64"))


def test_segments_are_largest_first_and_missing_keys_are_unspecified():
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-01"] * 4),
            "channel": ["A", "B", "B", None],
            "stage": pd.Categorical(["sent"] * 4, categories=STAGES, ordered=True),
            "result": ["no_response"] * 4,
        }
    )
    got = counts(df, "channel", as_of="2024-06-01")
    assert got["channel"].tolist() == ["B", "A", "unspecified"]
    assert got["actions"].tolist() == [2, 1, 1]


# ------------------------------------------------------------------ pending / settled


def _frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    date, stage, result = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(list(date)).astype("datetime64[s]"),
            "channel": "Email",
            "pitch_type": pd.Series([None] * len(rows), dtype="str"),
            "stage": pd.Categorical(stage, categories=STAGES, ordered=True),
            "result": pd.Categorical(
                result, categories=["open", "won", "rejected", "no_response", "withdrawn"]
            ),
        }
    )


def test_pending_boundary_is_date_after_as_of_minus_window():
    # as_of 2024-03-15, window 14: cutoff 2024-03-01; pending iff date > cutoff
    df = _frame(
        [
            ("2024-02-29", "sent", "open"),  # before the cutoff: settled
            ("2024-03-01", "sent", "open"),  # exactly at the cutoff: settled
            ("2024-03-02", "sent", "open"),  # one day after: pending
            ("2024-03-15", "sent", "open"),  # on as_of: pending
            ("2024-03-10", "sent", "no_response"),  # closed: settled
            ("2024-03-10", "sent", "withdrawn"),  # closed: settled
            ("2024-03-10", "responded", "open"),  # got an answer: settled
            ("2024-03-12", "won", "won"),  # settled
        ]
    )
    marked = mark_pending(df, as_of="2024-03-15", window=14)
    assert marked["pending"].tolist() == [False, False, True, True, False, False, False, False]
    c = counts(df, as_of="2024-03-15", window=14).iloc[0]
    assert (c["actions"], c["pending"], c["settled"]) == (8, 2, 6)
    assert (c["responses"], c["interviews"], c["offers"], c["wins"]) == (2, 1, 1, 1)
    # a shorter window moves the cutoff to 2024-03-14: only the as_of row is pending
    assert counts(df, as_of="2024-03-15", window=1).iloc[0]["pending"] == 1
    # window 0: nothing sent on or before as_of is pending
    assert counts(df, as_of="2024-03-15", window=0).iloc[0]["pending"] == 0
    # as_of given with a time of day counts as that day
    assert counts(df, as_of="2024-03-15 18:00", window=14).iloc[0]["pending"] == 2
    assert "pending" not in df.columns  # mark_pending returned a new frame


def test_rates_are_over_settled_rows_only():
    df = _frame(
        [("2024-03-14", "sent", "open")] * 6
        + [("2024-01-01", "sent", "no_response")] * 3
        + [("2024-01-01", "responded", "rejected")]
    )
    r = rates(df, by=None, as_of="2024-03-15")
    response = r[r["metric"] == "response"].iloc[0]
    assert (response["successes"], response["settled"]) == (1, 4)
    assert response["rate"] == pytest.approx(1 / 4)


# ------------------------------------------------------------------ pitches per win


def test_pitches_per_win_inverts_the_win_rate_interval(sample_df):
    p = pitches_per_win(sample_df, "channel", as_of=AS_OF)
    c = counts(sample_df, "channel", as_of=AS_OF)
    assert p["settled"].tolist() == c["settled"].tolist()
    assert p["wins"].tolist() == c["wins"].tolist()
    won = p["wins"] > 0
    assert won.all()  # every channel of the sample has a win
    low, high = _wilson(p["wins"], p["settled"])
    assert_allclose(p["pitches_per_win"], p["settled"] / p["wins"])
    assert_allclose(p["ci_low"], 1 / high, rtol=1e-10)
    assert_allclose(p["ci_high"], 1 / low, rtol=1e-10)


def test_pitches_per_win_without_wins_is_at_least_one_over_the_upper_win_rate():
    df = _frame([("2024-01-01", "sent", "no_response")] * 4 + [("2024-01-02", "offer", "open")])
    p = pitches_per_win(df, as_of="2024-06-01")
    assert (p["settled"].iloc[0], p["wins"].iloc[0]) == (5, 0)
    assert p[["pitches_per_win", "ci_high"]].isna().all(axis=None)
    _, high = proportion_confint(0, 5, alpha=0.05, method="wilson")
    assert p["ci_low"].iloc[0] == pytest.approx(1 / high, rel=1e-10)
    rep = load_report(
        pd.DataFrame({"Date": ["2024-01-01", "2024-01-02"], "Status": ["Ghosted", "Rejected"]})
    )
    s = summarize(rep, as_of="2024-06-01")
    _, high = proportion_confint(0, 2, alpha=0.05, method="wilson")
    ppw = s["overall"]["pitches_per_win"]
    assert ppw["value"] is None and ppw["ci_high"] is None
    assert ppw["ci_low"] == pytest.approx(1 / high, rel=1e-10)
    assert s["overall"]["win_rate"]["value"] == 0.0


def test_rates_are_null_when_nothing_is_settled():
    rep = load_report(pd.DataFrame({"Date": ["2024-05-30", "2024-05-31"], "Status": ["", "Sent"]}))
    s = summarize(rep, as_of="2024-06-01")
    assert (s["overall"]["pending"], s["overall"]["settled"]) == (2, 0)
    for key in ("response_rate", "interview_rate", "win_rate", "pitches_per_win"):
        assert s["overall"][key] == {"value": None, "ci_low": None, "ci_high": None}


# ------------------------------------------------------------------ funnel


def test_funnel_by_hand():
    df = _frame(
        [("2024-01-01", "sent", "no_response")] * 5
        + [("2024-01-01", "responded", "rejected")] * 4
        + [("2024-01-01", "interview", "rejected")] * 3
        + [("2024-01-01", "offer", "withdrawn")] * 1
        + [("2024-01-01", "won", "won")] * 2
        + [("2024-03-14", "sent", "open")] * 3  # pending: left out
    )
    f = funnel(df, as_of="2024-03-15")
    # settled 15; reaching responded 4+3+1+2 = 10, interview 3+1+2 = 6, offer 1+2 = 3, won 2
    # (no row stopped at "viewed": the stage is not shown)
    assert f["stage"].astype(str).tolist() == [s for s in STAGES if s != "viewed"]
    assert f["count"].tolist() == [15, 10, 6, 3, 2]
    assert np.isnan(f["conversion"].iloc[0])
    assert_allclose(f["conversion"].iloc[1:], [10 / 15, 6 / 10, 3 / 6, 2 / 3])
    assert_allclose(f["share"], [1, 10 / 15, 6 / 15, 3 / 15, 2 / 15])
    assert f["lost"].iloc[1:].tolist() == [5, 4, 3, 1]


def test_funnel_by_segment_by_hand():
    df = _frame(
        [("2024-01-01", "sent", "no_response")] * 3
        + [("2024-01-01", "interview", "open")] * 1
        + [("2024-01-01", "responded", "rejected")] * 2
    )
    df["channel"] = ["A", "A", "A", "A", "B", "B"]
    f = funnel(df, "channel", as_of="2024-06-01")
    a = f[f["channel"] == "A"]
    b = f[f["channel"] == "B"]
    assert a["count"].tolist() == [4, 1, 1, 0, 0]
    assert_allclose(a["conversion"].iloc[1:3], [1 / 4, 1 / 1])
    assert a["conversion"].iloc[3] == 0  # 0 offers out of 1 interview
    assert np.isnan(a["conversion"].iloc[4])  # nothing to convert from
    assert b["count"].tolist() == [2, 2, 0, 0, 0]
    assert_allclose(b["share"], [1, 1, 0, 0, 0])


# ------------------------------------------------------------------ large generated log

END = pd.Timestamp("2026-11-15")


@pytest.fixture(scope="module")
def settled_big() -> pd.DataFrame:
    """Rows of a 200,000-row generated log old enough to show their eventual outcome."""
    df = normalize(generate_log(200_000, seed=20261115))
    return df[df["date"] <= END - pd.Timedelta(days=SETTLED_AFTER_DAYS)]


# 10 segments x 4 rates = 40 intervals: at 99.9% each, the chance that any misses its true
# value is at most 40 x 0.001 = 4% (Bonferroni); the seed is fixed, so the test is stable.
ALPHA = 0.001


@pytest.mark.parametrize(
    ("by", "truth"), [("channel", TRUE_RATES), ("pitch_type", true_rates("pitch_type"))]
)
def test_large_log_recovers_the_true_rates(settled_big, by, truth):
    c = counts(settled_big, by, as_of=END).set_index(by)
    assert (c["pending"] == 0).all()
    assert sorted(c.index) == sorted(truth.index)
    r = rates(settled_big, by, as_of=END, alpha=ALPHA)
    for metric, column in (
        ("response", "response_rate"),
        ("interview", "interview_rate"),
        ("win", "win_rate"),
    ):
        part = r[r["metric"] == metric].set_index(by)
        true = truth[column].reindex(part.index)
        inside = (part["ci_low"] <= true) & (true <= part["ci_high"])
        assert inside.all(), pd.DataFrame({"est": part["rate"], "true": true})
        assert (part["rate"] - true).abs().max() < 0.02
    low, high = wilson_interval(c["offers"], c["settled"], ALPHA)
    true = truth["offer_rate"].reindex(c.index).to_numpy()
    assert ((low <= true) & (true <= high)).all()


def test_large_log_overall_win_rate_and_pitches_per_win(settled_big):
    true_win = float(true_rates(None)["win_rate"].iloc[0])
    p = pitches_per_win(settled_big, as_of=END, alpha=ALPHA).iloc[0]
    assert p["ci_low"] <= 1 / true_win <= p["ci_high"]


def test_counts_with_many_segment_combinations_match_pandas_groupby():
    """Two high-cardinality keys take the np.unique path; pandas groupby is the oracle."""
    rng = np.random.default_rng(7)
    n = 3000
    log = pd.DataFrame(
        {
            "date": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), "D"),
            "a": [f"a{i}" for i in rng.integers(0, 900, n)],
            "b": [f"b{i}" for i in rng.integers(0, 900, n)],
            "stage": pd.Categorical(
                rng.choice(["sent", "responded", "won"], n), categories=STAGES, ordered=True
            ),
            "result": rng.choice(["open", "rejected"], n),
        }
    )
    got = counts(log, ["a", "b"], as_of="2024-03-31").set_index(["a", "b"]).sort_index()
    want = log.groupby(["a", "b"]).agg(
        actions=("stage", "size"),
        responses=("stage", lambda s: int((s >= "responded").sum())),
        wins=("stage", lambda s: int((s == "won").sum())),
    )
    assert len(got) == len(want)
    for col in ("actions", "responses", "wins"):
        assert got[col].tolist() == want[col].tolist()
