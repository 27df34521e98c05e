"""Tests of the consistency and outcome-over-time computations (``outreach_analytics.analysis.activity``).

Every number is checked against a hand calculation or an independent computation written
here (DuckDB SQL, plain Python over ``datetime.date`` sets, statsmodels), on small hand-made
logs and on the bundled sample; hypothesis checks the invariants on random logs.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

import outreach_analytics as oa
from outreach_analytics.analysis.activity import (
    END_NODES,
    STAGE_NODES,
    cost_per_win,
    daily_activity,
    follow_ups_due,
    outcome_flows,
    rejections_over_time,
    streaks,
    weekly_activity,
    weekly_cohorts,
)
from outreach_analytics.model.schema import CANONICAL_COLUMNS, RESULT_DTYPE, STAGE_DTYPE, STAGES

AS_OF = "2026-11-15"
AS_OF_TS = pd.Timestamp(AS_OF)


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return oa.load(oa.sample_path())


def make_log(rows: list[dict]) -> pd.DataFrame:
    """A canonical log from dicts holding only the fields a test cares about."""
    defaults = {
        "channel": "Email",
        "pitch_type": None,
        "client": None,
        "stage": "sent",
        "result": "open",
        "responded_on": None,
        "interview_on": None,
        "offer_on": None,
        "won_on": None,
        "follow_ups": None,
        "value": None,
        "cost": None,
        "notes": None,
    }
    full = [{**defaults, **r, "source_row": i + 2} for i, r in enumerate(rows)]
    frame = pd.DataFrame(full, columns=list(CANONICAL_COLUMNS))
    for c in ("date", "responded_on", "interview_on", "offer_on", "won_on"):
        frame[c] = pd.to_datetime(frame[c]).astype("datetime64[s]")
    frame["stage"] = frame["stage"].astype(STAGE_DTYPE)
    frame["result"] = frame["result"].astype(RESULT_DTYPE)
    frame["follow_ups"] = frame["follow_ups"].astype("Int64")
    for c in ("value", "cost"):
        frame[c] = frame[c].astype(float)
    for c in ("channel", "pitch_type", "client", "notes"):
        frame[c] = frame[c].astype("str")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


# ------------------------------------------------------------------ strategies

_RESULTS_AT = {
    "sent": ["open", "no_response", "withdrawn"],
    "viewed": ["open", "no_response", "withdrawn"],
    "responded": ["open", "rejected", "no_response", "withdrawn"],
    "interview": ["open", "rejected", "no_response", "withdrawn"],
    "offer": ["open", "rejected", "withdrawn", "no_response"],
    "won": ["won"],
}


@st.composite
def log_rows(draw, max_rows: int = 40) -> list[dict]:
    n = draw(st.integers(min_value=0, max_value=max_rows))
    rows = []
    for _ in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 90)))
        stage = draw(st.sampled_from(STAGES))
        result = draw(st.sampled_from(_RESULTS_AT[stage]))
        row = {
            "date": day.isoformat(),
            "stage": stage,
            "result": result,
            "channel": draw(st.sampled_from(["Email", "Upwork", "LinkedIn"])),
            "follow_ups": draw(st.one_of(st.none(), st.integers(0, 2))),
            "cost": draw(st.one_of(st.none(), st.sampled_from([4.0, 8.0, 12.0]))),
        }
        level = STAGES.index(stage)
        later = day
        for col, st_name in (
            ("responded_on", "responded"),
            ("interview_on", "interview"),
            ("offer_on", "offer"),
        ):
            if level >= STAGES.index(st_name) and draw(st.booleans()):
                later = later + dt.timedelta(days=draw(st.integers(0, 10)))
                row[col] = later.isoformat()
        rows.append(row)
    return rows


_AS_OFS = st.dates(dt.date(2024, 1, 1), dt.date(2024, 6, 30)).map(pd.Timestamp)
_HYP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ daily / weekly


def test_daily_activity_by_hand():
    log = make_log([{"date": "2024-03-01"}, {"date": "2024-03-01"}, {"date": "2024-03-04"}])
    out = daily_activity(log)
    assert out.columns.tolist() == ["date", "actions"]
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-01",
        "2024-03-02",
        "2024-03-03",
        "2024-03-04",
    ]
    assert out["actions"].tolist() == [2, 0, 0, 1]


def test_daily_activity_until_extends_and_cuts():
    log = make_log([{"date": "2024-03-01"}, {"date": "2024-03-05"}])
    longer = daily_activity(log, until="2024-03-08")
    assert len(longer) == 8 and longer["actions"].sum() == 2
    assert longer["actions"].iloc[-3:].tolist() == [0, 0, 0]
    shorter = daily_activity(log, until="2024-03-03")
    assert shorter["actions"].tolist() == [1, 0, 0]


def test_daily_activity_empty():
    out = daily_activity(make_log([]))
    assert out.empty and out.columns.tolist() == ["date", "actions"]


def test_daily_activity_matches_duckdb_on_sample(sample):
    out = daily_activity(sample)
    expected = duckdb.sql(
        """
        WITH days AS (
            SELECT unnest(generate_series(min(date), max(date), INTERVAL 1 DAY)) AS day
            FROM sample
        )
        SELECT day, count(s.date) AS actions
        FROM days LEFT JOIN sample s ON s.date = days.day
        GROUP BY day ORDER BY day
        """
    ).df()
    assert out["date"].tolist() == pd.to_datetime(expected["day"]).tolist()
    assert out["actions"].tolist() == expected["actions"].tolist()


def test_weekly_activity_by_hand():
    # Mon 4 Mar, Sun 10 Mar (same week), Wed 20 Mar; nothing in the week of 11 Mar
    log = make_log([{"date": "2024-03-04"}, {"date": "2024-03-10"}, {"date": "2024-03-20"}])
    out = weekly_activity(log, goal=2)
    assert out.columns.tolist() == ["week", "actions", "goal", "met"]
    assert out["week"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-04",
        "2024-03-11",
        "2024-03-18",
    ]
    assert out["actions"].tolist() == [2, 0, 1]
    assert out["goal"].tolist() == [2.0, 2.0, 2.0]
    assert out["met"].tolist() == [True, False, False]
    assert out["met"].dtype == bool


def test_weekly_activity_without_goal():
    log = make_log([{"date": "2024-03-04"}, {"date": "2024-03-20"}])
    out = weekly_activity(log)
    assert out["goal"].isna().all()
    assert out["met"].dtype == bool and not out["met"].any()


def test_weekly_activity_matches_duckdb_on_sample(sample):
    out = weekly_activity(sample, goal=15)
    # DuckDB's date_trunc('week') is the ISO week: it starts on Monday
    expected = duckdb.sql(
        "SELECT date_trunc('week', date) AS week, count(*) AS n FROM sample GROUP BY 1"
    ).df()
    got = out.set_index("week")["actions"]
    want = expected.set_index(pd.to_datetime(expected["week"]))["n"]
    assert (got.index.day_of_week == 0).all()
    assert got[got > 0].sort_index().to_dict() == want.sort_index().to_dict()
    assert (got.index.to_series().diff().dropna() == pd.Timedelta(days=7)).all()
    assert out["met"].tolist() == [a >= 15 for a in out["actions"]]


@_HYP
@given(rows=log_rows())
def test_daily_and_weekly_sums_equal_total_actions(rows):
    log = make_log(rows)
    daily = daily_activity(log)
    weekly = weekly_activity(log, goal=3)
    assert daily["actions"].sum() == len(log)
    assert weekly["actions"].sum() == len(log)
    if len(log):
        assert (daily["date"].diff().dropna() == pd.Timedelta(days=1)).all()
        assert daily["date"].iloc[0] == log["date"].min()
        assert daily["date"].iloc[-1] == log["date"].max()
        assert (weekly["week"].dt.day_of_week == 0).all()


# ------------------------------------------------------------------ streaks


def _streaks_by_hand(dates: list[dt.date], goal: float, as_of: dt.date) -> dict:
    """Plain Python over sets of dates, the rule written out independently."""
    days = {d for d in dates if d <= as_of}
    if not days:
        return {"current_weeks": 0, "longest_weeks": 0, "current_days": 0, "longest_days": 0}

    def week_of(d: dt.date) -> dt.date:
        return d - dt.timedelta(days=d.weekday())

    per_week: dict[dt.date, int] = {}
    for d in dates:
        if d <= as_of:
            per_week[week_of(d)] = per_week.get(week_of(d), 0) + 1
    first_day, first_week = min(days), week_of(min(days))

    def current(ok, step, start, first):
        cur = start if ok(start) else start - step
        n = 0
        while cur >= first and ok(cur):
            n += 1
            cur -= step
        return n

    def longest(ok, step, first, last):
        best = run = 0
        cur = first
        while cur <= last:
            run = run + 1 if ok(cur) else 0
            best = max(best, run)
            cur += step
        return best

    day_ok = days.__contains__
    week_ok = lambda w: per_week.get(w, 0) >= goal  # noqa: E731
    one_day, one_week = dt.timedelta(days=1), dt.timedelta(days=7)
    return {
        "current_weeks": current(week_ok, one_week, week_of(as_of), first_week),
        "longest_weeks": longest(week_ok, one_week, first_week, week_of(as_of)),
        "current_days": current(day_ok, one_day, as_of, first_day),
        "longest_days": longest(day_ok, one_day, first_day, as_of),
    }


def _pick(s: dict) -> dict:
    return {k: s[k] for k in ("current_weeks", "longest_weeks", "current_days", "longest_days")}


def test_streaks_by_hand_current_week_not_met_yet():
    # weeks of 26 Feb (2 actions), 4 Mar (3), 11 Mar (1 so far); as_of Tue 12 Mar
    dates = ["2024-02-26", "2024-02-27", "2024-03-04", "2024-03-05", "2024-03-06", "2024-03-11"]
    s = streaks(make_log([{"date": d} for d in dates]), goal=2, as_of="2024-03-12")
    # the unfinished week does not break the 2-week streak; today (12th) has no action
    # yet, so the day streak is the one ending on the 11th
    assert _pick(s) == {
        "current_weeks": 2,
        "longest_weeks": 2,
        "current_days": 1,
        "longest_days": 3,
    }
    assert s["this_week_actions"] == 1 and s["this_week_met"] is False
    assert s["goal"] == 2.0 and s["as_of"] == "2024-03-12"


def test_streaks_current_week_counts_once_met():
    dates = ["2024-03-04", "2024-03-05", "2024-03-11", "2024-03-12"]
    s = streaks(make_log([{"date": d} for d in dates]), goal=2, as_of="2024-03-12")
    assert s["current_weeks"] == 2 and s["this_week_met"] is True
    assert s["current_days"] == 2  # 11th and 12th (today, already active)


def test_streaks_a_missed_week_breaks_it():
    dates = ["2024-02-26", "2024-03-11"]  # nothing in the week of 4 Mar
    s = streaks(make_log([{"date": d} for d in dates]), goal=1, as_of="2024-03-20")
    assert s["current_weeks"] == 1 and s["longest_weeks"] == 1
    assert s["current_days"] == 0 and s["longest_days"] == 1


def test_streaks_ignore_actions_after_as_of_and_empty_logs():
    log = make_log([{"date": "2024-03-04"}, {"date": "2024-03-05"}])
    s = streaks(log, goal=1, as_of="2024-03-01")
    assert _pick(s) == {
        "current_weeks": 0,
        "longest_weeks": 0,
        "current_days": 0,
        "longest_days": 0,
    }
    assert _pick(streaks(make_log([]), goal=3, as_of="2024-03-01"))["longest_days"] == 0


def test_streaks_goal_none_means_one_action_and_bad_goal_raises():
    log = make_log([{"date": "2024-03-04"}, {"date": "2024-03-12"}])
    assert streaks(log, None, as_of="2024-03-12")["current_weeks"] == 2
    with pytest.raises(ValueError, match="goal"):
        streaks(log, 0, as_of="2024-03-12")


@pytest.mark.parametrize("goal", [5, 15, 25])
@pytest.mark.parametrize("as_of", [AS_OF, "2026-06-10", "2026-03-01"])
def test_streaks_match_plain_python_on_sample(sample, goal, as_of):
    dates = [d.date() for d in sample["date"]]
    expected = _streaks_by_hand(dates, goal, pd.Timestamp(as_of).date())
    assert _pick(streaks(sample, goal, as_of=as_of)) == expected


@_HYP
@given(rows=log_rows(), as_of=_AS_OFS, goal=st.integers(1, 4))
def test_streaks_match_plain_python_on_random_logs(rows, as_of, goal):
    log = make_log(rows)
    expected = _streaks_by_hand([d.date() for d in log["date"]], goal, as_of.date())
    got = streaks(log, goal, as_of=as_of)
    assert _pick(got) == expected
    assert got["current_weeks"] <= got["longest_weeks"]
    assert got["current_days"] <= got["longest_days"]


# ------------------------------------------------------------------ rejections


def test_rejections_over_time_by_hand():
    log = make_log(
        [
            # rejection known on the reply date
            {
                "date": "2024-03-01",
                "stage": "responded",
                "result": "rejected",
                "responded_on": "2024-03-03",
            },
            # rejection after interview: known on the interview date (the later one)
            {
                "date": "2024-03-01",
                "stage": "interview",
                "result": "rejected",
                "responded_on": "2024-03-02",
                "interview_on": "2024-03-05",
            },
            # rejection without dates: the day sent
            {"date": "2024-03-02", "stage": "responded", "result": "rejected"},
            # explicit ghosting: 14 days after sending
            {"date": "2024-03-01", "result": "no_response"},
            # settled sent/open: 14 days after sending
            {"date": "2024-03-04"},
            # pending sent/open (sent 10 days before as_of): not a no yet
            {"date": "2024-03-10"},
            # ghosted after an interview: 14 days after the interview
            {
                "date": "2024-03-01",
                "stage": "interview",
                "result": "no_response",
                "responded_on": "2024-03-02",
                "interview_on": "2024-03-04",
            },
            # marked ghosted 2 days ago: dated on as_of, not in the future
            {"date": "2024-03-18", "result": "no_response"},
            # withdrawn: not a no
            {"date": "2024-03-01", "result": "withdrawn"},
        ]
    )
    out = rejections_over_time(log, as_of="2024-03-20", window=14)
    assert out.columns.tolist() == ["date", "rejections", "no_responses", "nos", "cumulative"]
    assert out["date"].iloc[0] == pd.Timestamp("2024-03-01")
    assert out["date"].iloc[-1] == pd.Timestamp("2024-03-20")
    assert len(out) == 20
    by_day = out.set_index(out["date"].dt.strftime("%m-%d"))
    nonzero = by_day[by_day["nos"] > 0]
    assert nonzero["rejections"].to_dict() == {
        "03-02": 1,
        "03-03": 1,
        "03-05": 1,
        "03-15": 0,
        "03-18": 0,
        "03-20": 0,
    }
    assert nonzero["no_responses"].to_dict() == {
        "03-02": 0,
        "03-03": 0,
        "03-05": 0,
        "03-15": 1,
        "03-18": 2,
        "03-20": 1,
    }
    assert out["cumulative"].iloc[-1] == 7
    assert (out["nos"] == out["rejections"] + out["no_responses"]).all()


def test_rejections_over_time_empty():
    out = rejections_over_time(make_log([]), as_of="2024-03-20")
    assert out.empty
    assert out.columns.tolist() == ["date", "rejections", "no_responses", "nos", "cumulative"]


def test_rejections_over_time_matches_duckdb_on_sample(sample):
    out = rejections_over_time(sample, as_of=AS_OF, window=14)
    events = duckdb.sql(
        f"""
        WITH known AS (
            SELECT result, stage, date,
                   greatest(date, coalesce(responded_on, date), coalesce(interview_on, date),
                            coalesce(offer_on, date)) AS last_known
            FROM sample
        ), ev AS (
            SELECT least(last_known, DATE '{AS_OF}') AS day, 'rejections' AS kind
            FROM known WHERE result = 'rejected'
            UNION ALL
            SELECT least(last_known + INTERVAL 14 DAY, DATE '{AS_OF}'), 'no_responses'
            FROM known
            WHERE result = 'no_response'
               OR (stage = 'sent' AND result = 'open' AND date <= DATE '{AS_OF}' - INTERVAL 14 DAY)
        )
        SELECT day, kind, count(*) AS n FROM ev GROUP BY ALL
        """
    ).df()
    for kind in ("rejections", "no_responses"):
        want = events[events["kind"] == kind].set_index(
            pd.to_datetime(events["day"])[events["kind"] == kind]
        )["n"]
        got = out.set_index("date")[kind]
        assert got[got > 0].to_dict() == want.sort_index().to_dict()
    total = duckdb.sql(
        f"""SELECT count(*) FROM sample WHERE result IN ('rejected', 'no_response')
            OR (stage = 'sent' AND result = 'open' AND date <= DATE '{AS_OF}' - INTERVAL 14 DAY)"""
    ).fetchall()[0][0]
    assert out["cumulative"].iloc[-1] == total
    assert out["date"].iloc[-1] == AS_OF_TS
    assert out["date"].iloc[0] == sample["date"].min()


@_HYP
@given(rows=log_rows(), as_of=_AS_OFS, window=st.integers(1, 30))
def test_cumulative_nos_never_decrease_and_add_up(rows, as_of, window):
    log = make_log(rows)
    out = rejections_over_time(log, as_of=as_of, window=window)
    assert out["cumulative"].is_monotonic_increasing
    assert (out["nos"] >= 0).all()
    if len(out):
        assert out["date"].iloc[-1] == as_of
        result = log["result"].astype(str)
        settled_silence = (
            (log["stage"].astype(str) == "sent")
            & (result == "open")
            & (log["date"] <= as_of - pd.Timedelta(days=window))
        )
        nos = (result == "rejected") | (result == "no_response") | settled_silence
        expected = int((nos & (log["date"] <= as_of)).sum())  # later rows are not actions yet
        assert out["cumulative"].iloc[-1] == expected


# ------------------------------------------------------------------ follow-ups


def test_follow_ups_due_by_hand():
    log = make_log(
        [
            {"date": "2024-03-01", "client": "Acme", "follow_ups": 0},  # 19 days: ghosted
            {"date": "2024-03-12", "client": "Birch", "follow_ups": None},  # 8 days: due
            {"date": "2024-03-17", "client": "Cedar", "follow_ups": 0},  # 3 days: too soon
            {"date": "2024-03-10", "client": "Dune", "follow_ups": 1},  # followed up
            {"date": "2024-03-02", "client": "Elm", "stage": "responded"},  # answered
            {"date": "2024-03-02", "client": "Fig", "result": "no_response"},  # closed
            {"date": "2024-03-15", "client": "Gum", "follow_ups": 0},  # exactly 5 days: due
            {"date": "2024-03-06", "client": "Hay", "follow_ups": 0},  # 14 days: ghosted
        ]
    )
    out = follow_ups_due(log, as_of="2024-03-20", after_days=5, window=14)
    assert out.columns.tolist() == [
        "date",
        "channel",
        "pitch_type",
        "client",
        "days_waiting",
        "status",
        "source_row",
    ]
    assert out["client"].tolist() == ["Acme", "Hay", "Birch", "Gum"]
    assert out["days_waiting"].tolist() == [19, 14, 8, 5]
    assert out["status"].tolist() == ["ghosted", "ghosted", "due", "due"]
    assert out["source_row"].tolist() == [2, 9, 3, 8]


def test_follow_ups_due_matches_duckdb_on_sample(sample):
    out = follow_ups_due(sample, as_of=AS_OF, after_days=5, window=14)
    expected = duckdb.sql(
        f"""
        SELECT source_row, date_diff('day', date, DATE '{AS_OF}') AS days_waiting,
               CASE WHEN date > DATE '{AS_OF}' - INTERVAL 14 DAY THEN 'due' ELSE 'ghosted' END
                   AS status
        FROM sample
        WHERE stage = 'sent' AND result = 'open' AND coalesce(follow_ups, 0) = 0
          AND date <= DATE '{AS_OF}' - INTERVAL 5 DAY
        ORDER BY days_waiting DESC, source_row
        """
    ).df()
    assert len(out) > 0
    assert out["source_row"].tolist() == expected["source_row"].tolist()
    assert out["days_waiting"].tolist() == expected["days_waiting"].tolist()
    assert out["status"].tolist() == expected["status"].tolist()


# ------------------------------------------------------------------ outcome flows


def _flows(out: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(s, t): int(n) for s, t, n in out.itertuples(index=False)}


def test_outcome_flows_by_hand():
    rows = (
        [{"date": "2024-01-02", "result": "no_response"}] * 3
        + [{"date": "2024-01-02"}] * 2  # settled sent/open: no response
        + [{"date": "2024-02-25"}]  # pending: left out
        + [{"date": "2024-01-02", "result": "withdrawn"}]
        + [{"date": "2024-01-02", "stage": "responded", "result": "rejected"}] * 2
        + [{"date": "2024-01-02", "stage": "responded", "result": "open"}]
        + [{"date": "2024-01-02", "stage": "interview", "result": "rejected"}] * 2
        + [{"date": "2024-01-02", "stage": "interview", "result": "no_response"}]
        + [{"date": "2024-01-02", "stage": "interview", "result": "open"}]
        + [{"date": "2024-01-02", "stage": "offer", "result": "withdrawn"}]
        + [{"date": "2024-01-02", "stage": "offer", "result": "rejected"}]
        + [{"date": "2024-01-02", "stage": "won", "result": "won"}] * 2
    )
    out = outcome_flows(make_log(rows), as_of="2024-03-01", window=14)
    assert out.columns.tolist() == ["source", "target", "count"]
    assert _flows(out) == {
        ("Sent", "Responded"): 11,
        ("Sent", "No response"): 5,
        ("Sent", "Withdrawn"): 1,
        ("Responded", "Interview"): 8,
        ("Responded", "Still talking"): 1,
        ("Responded", "Rejected at response"): 2,
        ("Interview", "Offer"): 4,
        ("Interview", "Interview open"): 1,
        ("Interview", "Rejected after interview"): 2,
        ("Interview", "No response after interview"): 1,
        ("Offer", "Won"): 2,
        ("Offer", "Offer declined"): 1,
        ("Offer", "Offer lost"): 1,
    }
    # stage order: every source appears after the flows into it
    assert out["source"].drop_duplicates().tolist() == ["Sent", "Responded", "Interview", "Offer"]


def _check_conservation(out: pd.DataFrame, log: pd.DataFrame, as_of, window) -> None:
    inflow = out.groupby("target")["count"].sum()
    outflow = out.groupby("source")["count"].sum()
    table = oa.counts(log, as_of=as_of, window=window).iloc[0]
    assert outflow.get("Sent", 0) == table["settled"]
    assert "Sent" not in inflow.index
    for node in ("Responded", "Interview", "Offer"):
        assert inflow.get(node, 0) == outflow.get(node, 0)
    assert inflow.get("Responded", 0) == table["responses"]
    assert inflow.get("Interview", 0) == table["interviews"]
    assert inflow.get("Offer", 0) == table["offers"]
    assert inflow.get("Won", 0) == table["wins"]
    ends = set(out["target"]) - set(out["source"])
    assert sum(inflow[e] for e in ends) == table["settled"]
    assert (out["count"] > 0).all()


@_HYP
@given(rows=log_rows(), as_of=_AS_OFS, window=st.integers(1, 30))
def test_outcome_flows_conserve_rows(rows, as_of, window):
    log = make_log(rows)
    _check_conservation(outcome_flows(log, as_of=as_of, window=window), log, as_of, window)


def test_outcome_flows_on_sample_match_duckdb(sample):
    out = outcome_flows(sample, as_of=AS_OF, window=14)
    _check_conservation(out, sample, AS_OF, 14)
    ends = duckdb.sql(
        f"""
        SELECT stage, CASE WHEN stage = 'sent' AND result = 'open' THEN 'no_response'
                           ELSE result END AS result, count(*) AS n
        FROM sample
        WHERE NOT (stage = 'sent' AND result = 'open' AND date > DATE '{AS_OF}' - INTERVAL 14 DAY)
          AND stage <> 'won'
        GROUP BY ALL
        """
    ).df()
    flows = _flows(out)
    for stage, result, n in ends.itertuples(index=False):
        label = END_NODES[(stage, result)]
        assert flows[(STAGE_NODES[stage], label)] == n
    # the sample has interviews that brought no offer: the leak must show
    assert flows[("Interview", "Rejected after interview")] > 0


# ------------------------------------------------------------------ cohorts


def test_weekly_cohorts_by_hand():
    log = make_log(
        [
            {"date": "2024-03-04", "stage": "responded"},
            {"date": "2024-03-05", "result": "no_response"},
            {"date": "2024-03-06"},  # settled (14 days before as_of): no response
            {"date": "2024-03-18"},  # pending
        ]
    )
    out = weekly_cohorts(log, as_of="2024-03-20", window=14)
    assert out.columns.tolist()[:7] == [
        "week",
        "actions",
        "settled",
        "responses",
        "rate",
        "ci_low",
        "ci_high",
    ]
    assert out["week"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-04",
        "2024-03-11",
        "2024-03-18",
    ]
    assert out["actions"].tolist() == [3, 0, 1]
    assert out["settled"].tolist() == [3, 0, 0]
    assert out["responses"].tolist() == [1, 0, 0]
    assert out["pending"].tolist() == [0, 0, 1]
    assert out["rate"].iloc[0] == pytest.approx(1 / 3)
    assert out["rate"].iloc[1:].isna().all()
    low, high = proportion_confint(1, 3, alpha=0.05, method="wilson")
    assert out["ci_low"].iloc[0] == pytest.approx(low)
    assert out["ci_high"].iloc[0] == pytest.approx(high)


def test_weekly_cohorts_match_duckdb_and_statsmodels_on_sample(sample):
    out = weekly_cohorts(sample, as_of=AS_OF, window=14)
    expected = duckdb.sql(
        f"""
        SELECT date_trunc('week', date) AS week, count(*) AS actions,
               count(*) FILTER (WHERE NOT (stage = 'sent' AND result = 'open'
                                AND date > DATE '{AS_OF}' - INTERVAL 14 DAY)) AS settled,
               count(*) FILTER (WHERE stage <> 'sent') AS responses
        FROM sample GROUP BY 1 ORDER BY 1
        """
    ).df()
    got = out.set_index("week")
    want = expected.set_index(pd.to_datetime(expected["week"]))
    assert got.index.equals(pd.DatetimeIndex(want.index).astype(got.index.dtype))
    for col in ("actions", "settled", "responses"):
        assert got[col].tolist() == want[col].tolist()
    assert got["pending"].tolist() == (want["actions"] - want["settled"]).tolist()
    ok = want["settled"] > 0
    low, high = proportion_confint(want["responses"][ok], want["settled"][ok], method="wilson")
    np.testing.assert_allclose(
        got["rate"][ok.to_numpy()], (want["responses"] / want["settled"])[ok]
    )
    np.testing.assert_allclose(got["ci_low"][ok.to_numpy()], low, atol=1e-12)
    np.testing.assert_allclose(got["ci_high"][ok.to_numpy()], high, atol=1e-12)
    assert got["small_sample"].tolist() == (want["settled"] < 30).tolist()
    assert out["actions"].sum() == len(sample)


# ------------------------------------------------------------------ cost per win


def test_cost_per_win_by_hand():
    log = make_log(
        [
            {"date": "2024-01-02", "channel": "Upwork", "stage": "won", "result": "won", "cost": 6},
            {"date": "2024-01-02", "channel": "Upwork", "result": "no_response", "cost": 12},
            {"date": "2024-01-02", "channel": "Upwork", "result": "no_response"},  # no cost logged
            {"date": "2024-02-28", "channel": "Upwork", "cost": 100},  # pending: not counted
            {"date": "2024-01-02", "channel": "Fiverr", "result": "no_response", "cost": 5},
            {"date": "2024-01-02", "channel": "Email", "stage": "won", "result": "won"},
        ]
    )
    out = cost_per_win(log, as_of="2024-03-01", window=14).set_index("channel")
    assert out.loc["Upwork", "settled"] == 3 and out.loc["Upwork", "wins"] == 1
    assert out.loc["Upwork", "costed"] == 2 and out.loc["Upwork", "cost"] == 18
    # average cost of a costed settled pitch (9) x settled pitches per win (3)
    assert out.loc["Upwork", "cost_per_win"] == pytest.approx(27.0)
    low, high = proportion_confint(1, 3, method="wilson")
    assert out.loc["Upwork", "ci_low"] == pytest.approx(9 / high)
    assert out.loc["Upwork", "ci_high"] == pytest.approx(9 / low)
    assert out.loc["Fiverr", "cost"] == 5 and np.isnan(out.loc["Fiverr", "cost_per_win"])
    assert out.loc["Email", "costed"] == 0
    assert np.isnan(out.loc["Email", "cost"]) and np.isnan(out.loc["Email", "cost_per_win"])


def test_cost_per_win_matches_duckdb_on_sample(sample):
    out = cost_per_win(sample, as_of=AS_OF, window=14)
    expected = (
        duckdb.sql(
            f"""
        WITH s AS (
            SELECT * FROM sample
            WHERE NOT (stage = 'sent' AND result = 'open' AND date > DATE '{AS_OF}' - INTERVAL 14 DAY)
        )
        SELECT channel, count(*) AS settled, count(*) FILTER (WHERE stage = 'won') AS wins,
               count(cost) AS costed, sum(cost) AS cost,
               avg(cost) * count(*) / nullif(count(*) FILTER (WHERE stage = 'won'), 0)
                   AS cost_per_win
        FROM s GROUP BY channel
        """
        )
        .df()
        .set_index("channel")
    )
    got = out.set_index("channel")
    assert sorted(got.index) == sorted(expected.index)
    want = expected.loc[got.index]
    for col in ("settled", "wins", "costed"):
        assert got[col].tolist() == want[col].tolist()
    np.testing.assert_allclose(got["cost"], want["cost"].astype(float))
    np.testing.assert_allclose(got["cost_per_win"], want["cost_per_win"].astype(float))
    # the sample logs Connects for Upwork only
    assert got["cost_per_win"].notna().tolist() == [c == "Upwork" for c in got.index]


# ------------------------------------------------------------------ purity


@pytest.mark.parametrize(
    "fn",
    [
        daily_activity,
        lambda d: weekly_activity(d, 10),
        lambda d: streaks(d, 10, as_of=AS_OF),
        lambda d: rejections_over_time(d, as_of=AS_OF),
        lambda d: follow_ups_due(d, as_of=AS_OF),
        lambda d: outcome_flows(d, as_of=AS_OF),
        lambda d: weekly_cohorts(d, as_of=AS_OF),
        lambda d: cost_per_win(d, as_of=AS_OF),
    ],
)
def test_functions_do_not_change_their_input(sample, fn):
    before = sample.copy(deep=True)
    fn(sample)
    pd.testing.assert_frame_equal(sample, before)
