"""The rejection challenge ladder, checked by hand on small logs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from outreach_analytics import load, normalize, sample_path
from outreach_analytics.analysis.activity import rejections_over_time
from outreach_analytics.analysis.challenge import Challenge, challenge, ladder_goals, next_goal


@pytest.mark.parametrize(
    ("nos", "goal"),
    [
        (0, 100),
        (99, 100),
        (100, 250),
        (249, 250),
        (500, 1000),
        (864, 1000),
        (1000, 2000),
        (2999, 3000),
    ],
)
def test_next_rung(nos, goal):
    assert next_goal(nos) == goal
    assert ladder_goals(nos)[-1] == goal
    assert all(g <= nos for g in ladder_goals(nos)[:-1])


def _log(n_rejected: int, start="2024-01-01", wins=0) -> pd.DataFrame:
    days = pd.date_range(start, periods=n_rejected, freq="D").strftime("%Y-%m-%d").tolist()
    won = pd.date_range(start, periods=wins, freq="7D").strftime("%Y-%m-%d").tolist()
    return normalize(
        pd.DataFrame(
            {
                "Date Sent": days + won,
                "Status": ["Rejected"] * n_rejected + ["Hired"] * wins,
            }
        )
    )


def test_a_log_with_864_nos_aims_at_1000_not_100():
    log = _log(864)
    day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=863)
    c = challenge(log, as_of=day)
    assert c.no_count == 864
    assert c.next_goal == 1000
    assert c.summary["goal"].tolist() == [100, 250, 500, 1000]
    assert c.summary["reached"].tolist() == [True, True, True, False]


def test_rungs_dates_wins_and_projection_by_hand():
    # one rejection a day from 2024-01-01 (dated the day sent), a win every 7 days
    log = _log(120, wins=10)
    as_of = pd.Timestamp("2024-04-29")  # day 120: 120 nos
    c = challenge(log, as_of=as_of)
    assert c.no_count == 120
    rung = c.summary.iloc[0]
    assert rung["goal"] == 100 and rung["reached"]
    assert rung["date"] == pd.Timestamp("2024-04-09")  # the 100th day
    # wins dated 01-01, 01-08, ... 03-04 (10 of them) are all before the 100th no
    assert rung["wins"] == 10
    # pace: the last 8 weeks hold 56 nos -> 7 a week; 130 to go -> 130 / 7 weeks
    assert c.nos_per_week == pytest.approx(7.0)
    assert c.projected_date == as_of + pd.Timedelta(days=math.ceil(130 / 7 * 7))
    assert c.next_goal == 250
    nos = rejections_over_time(log, as_of=as_of)
    assert int(nos["cumulative"].iloc[-1]) == c.no_count


def test_no_recent_nos_no_projection():
    c = challenge(_log(30), as_of="2025-06-01")
    assert c.projected_date is None
    assert c.to_dict()["projected_date"] is None
    assert "no recent no" in c.verdict


def test_empty_log():
    log = normalize(pd.DataFrame({"Date Sent": ["2024-01-01"], "Status": ["Sent"]}))
    c = challenge(log, as_of="2024-01-02")
    assert (c.no_count, c.next_goal) == (0, 100)


def test_sample_display_and_dict():
    c = challenge(load(sample_path()), as_of="2026-11-15")
    assert isinstance(c, Challenge)
    d = c.to_dict()
    assert set(d) >= {"no_count", "next_goal", "projected_date"}
    assert d["next_goal"] > d["no_count"]
    assert "Challenge" in repr(c) and "<table" in c._repr_html_()
