"""Exports that record actions only (issue 18): LinkedIn's "Job Applications.csv" and a
cold e-mail tool's sent log load with no mapping, and their summary claims no rates.

The files are written here, shaped like the real ones, with invented rows; every count
below is counted by hand from them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from outreach_analytics import (
    challenge,
    daily_activity,
    load_report,
    sample_path,
    streaks,
    summarize,
)
from outreach_analytics.cli import _print_summary

NNBSP = "\u202f"  # LinkedIn writes a narrow no-break space before AM/PM

LINKEDIN = (
    "Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,Job Url,"
    "Resume Name,Question And Answers\n"
    f'"11/23/24, 11:39{NNBSP}PM",hr@example.com,,Acme,Data Analyst,'
    "https://example.com/jobs/1,cv.pdf,\n"
    f'"11/24/24, 9:05{NNBSP}AM",,,Globex,Analyst,https://example.com/jobs/2,cv.pdf,'
    '"Years of experience?, 3\nWilling to relocate?, Yes"\n'
    '"11/24/24, 10:40 PM",,+1 555 0100,Initech,BI Developer,https://example.com/jobs/3,'
    "cv.pdf,\n"
    f'"12/01/24, 2:15{NNBSP}PM",,,Acme,Data Engineer,https://example.com/jobs/4,cv.pdf,\n'
    '"12/03/24, 8:00 AM",,,Umbrella,Analyst,https://example.com/jobs/5,cv.pdf,\n'
)

# CRLF between rows; inside the quoted bodies a CRLF and a bare CR
SENT_LOG = (
    "Sent At,To,Subject,Body\r\n"
    '2025-03-03 08:00:00+00,ann@example.com,Quick question,"Hi Ann,\r\nquick question."\r\n'
    '2025-03-04 09:12:33+00,bob@example.com,Hello,"Hi Bob,\rline two\r\nline three"\r\n'
    "2025-03-05 10:00:00+00,cy@example.com,Hello,One line\r\n"
    '2025-03-05 11:30:00+00,dee@example.com,Hello,"Hi Dee,\r\n\r\nbest"\r\n'
    "2025-03-07 16:45:10+00,eve@example.com,Follow-up,Short note\r\n"
)


@pytest.fixture
def linkedin(tmp_path):
    path = tmp_path / "Job Applications.csv"
    path.write_bytes(LINKEDIN.encode("utf-8"))
    return load_report(path)


@pytest.fixture
def sent_log(tmp_path):
    path = tmp_path / "sent.csv"
    path.write_bytes(SENT_LOG.encode("utf-8"))
    return load_report(path)


def test_linkedin_export_loads_with_no_mapping(linkedin):
    assert linkedin.columns["date"] == ["Application Date"]
    assert linkedin.columns["client"] == ["Company Name"]
    assert linkedin.rows_used == 5 and linkedin.rows_skipped == 0
    days = linkedin.data["date"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2024-11-23", "2024-11-24", "2024-11-24", "2024-12-01", "2024-12-03"]
    assert linkedin.data["client"].tolist() == ["Acme", "Globex", "Initech", "Acme", "Umbrella"]
    assert (linkedin.data["stage"] == "sent").all()
    assert not linkedin.records_outcomes


def test_sent_log_loads_counts_and_activity(sent_log):
    df = sent_log.data
    assert sent_log.columns["date"] == ["Sent At"]
    assert sent_log.rows_used == 5 and sent_log.rows_skipped == 0 and sent_log.rows_blank == 0
    daily = daily_activity(df)
    assert daily["date"].dt.strftime("%m-%d").tolist() == [
        "03-03",
        "03-04",
        "03-05",
        "03-06",
        "03-07",
    ]
    assert daily["actions"].tolist() == [1, 1, 2, 0, 1]
    s = streaks(df, as_of="2025-03-07")
    assert (s["current_days"], s["longest_days"]) == (1, 3)  # 03-07; 03-03 to 03-05
    assert (s["current_weeks"], s["this_week_actions"]) == (1, 5)  # all in the week of 03-03
    c = challenge(df, as_of="2025-03-31", window=14).to_dict()
    assert (c["no_count"], c["rejections"], c["silences"]) == (5, 0, 5)


@pytest.mark.parametrize("which", ["linkedin", "sent_log"])
def test_no_outcomes_no_rates(which, request, capsys):
    report = request.getfixturevalue(which)
    s = summarize(report, as_of="2025-06-01")
    assert s["outcomes_recorded"] is False
    assert s["overall"]["actions"] == 5
    assert s["notes"][0].startswith("the log records no outcomes")
    for rec in [s["overall"], *s["by_channel"], *s["by_pitch_type"]]:
        for key in ("response_rate", "interview_rate", "win_rate", "pitches_per_win"):
            assert rec[key] == {"value": None, "ci_low": None, "ci_high": None}
    assert all(r["value"] is None for r in s["headline"].values())
    assert "no outcomes" in s["forecast"]["verdict"]
    _print_summary(s)
    text = capsys.readouterr().out
    assert "5 actions, 0 still pending, 5 settled; no outcomes recorded." in text
    assert "The log records no outcomes" in text
    assert "0 responses" not in text and " 0 0–" not in text
    assert "Next win" not in text


def test_a_log_with_outcomes_still_claims_rates():
    s = summarize(load_report(sample_path()), as_of="2026-11-15")
    assert s["outcomes_recorded"] is True
    assert s["overall"]["response_rate"]["value"] is not None
    assert not any(n.startswith("the log records no outcomes") for n in s["notes"])


def test_linkedin_dates_and_offsets_read_without_a_format():
    from outreach_analytics.model.dates import parse_dates

    out = parse_dates(pd.Series([f"11/23/24, 11:39{NNBSP}PM", "2025-03-04 09:12:33+00"]))
    assert out.values.dt.strftime("%Y-%m-%d").tolist() == ["2024-11-23", "2025-03-04"]
    assert out.order == "month-first" and not out.invalid.any()


@pytest.mark.parametrize("header", ["Type", "Action type", "Kind"])
def test_a_type_column_is_the_pitch_type(header, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        f"Date,Company,{header},Status\n"
        "2025-01-06,Acme,Speculative outreach,No reply\n"
        "2025-01-07,Globex,Open-role application,Rejected\n"
        "2025-01-08,Initech,Referral ask,Interview\n"
        "2025-01-09,Acme,Follow-up,Replied\n"
        "2025-01-10,Umbrella,Open-role application,Applied\n",
        encoding="utf-8",
    )
    report = load_report(path)
    assert report.columns["pitch_type"] == [header]
    s = summarize(report, as_of="2025-03-01")
    assert s["outcomes_recorded"] is True
    by_type = {r["pitch_type"]: (r["actions"], r["responses"]) for r in s["by_pitch_type"]}
    assert by_type == {
        "Open-role application": (2, 1),  # the rejection is a response
        "Referral ask": (1, 1),
        "Follow-up": (1, 1),
        "Speculative outreach": (1, 0),
    }


def test_the_report_headline_says_no_outcomes(linkedin):
    from outreach_analytics.present.sections import headline_section

    html = headline_section(summarize(linkedin, as_of="2025-06-01")).html
    assert "the log records no outcomes" in html and "95% CI" not in html


def test_the_sent_log_recipient_is_the_client(sent_log):
    assert sent_log.columns["client"] == ["To"]
    assert sent_log.data["client"].tolist()[:2] == ["ann@example.com", "bob@example.com"]


def test_every_report_section_of_a_log_without_outcomes_says_so(tmp_path):
    """Funnel, channels, next win, time to reply and benchmarks claim no 0%: they say the log
    records no outcomes; the channel section counts the actions per channel only."""
    from outreach_analytics.present import sections as S

    path = tmp_path / "sent.csv"
    path.write_text(
        "Sent At,Channel,To\n"
        "2025-03-03,Email,a@example.com\n"
        "2025-03-04,LinkedIn,b@example.com\n"
        "2025-03-05,Email,c@example.com\n"
        "2025-03-06,Email,d@example.com\n",
        encoding="utf-8",
    )
    log = load_report(path)
    assert not log.records_outcomes
    day, df = "2025-06-01", log.data
    s = summarize(log, as_of=day)
    said = {
        "funnel": S.funnel_section(df, as_of=day, outcomes=False),
        "next-win": S.next_win_section(df, as_of=day, outcomes=False),
        "time-to-reply": S.time_to_reply_section(df, as_of=day, outcomes=False),
        "benchmarks": S.benchmarks_section(df, as_of=day, outcomes=False),
    }
    for key, section in said.items():
        assert "The log records no outcomes" in section.html, key
        assert "%" not in section.html and "plotly" not in section.html, key
    section = S.channels_section(df, s, as_of=day)
    assert "channels are not compared" in section.html
    assert "%" not in section.html and "Which channel is best" not in section.html
    (shown,) = [b["table"].frame for b in section.blocks if b["kind"] == "table"]
    assert shown.to_dict("list") == {"channel": ["Email", "LinkedIn"], "actions": ["3", "1"]}
    follow = S.follow_ups_section(df, as_of=day, outcomes=False).html
    assert "The log records no answers" in follow and "has an answer" not in follow


def test_the_rendered_report_of_a_sent_log_shows_no_rate(tmp_path):
    """The whole report (the notebook the CLI renders) passes the log's lack of outcomes on."""
    import re

    from outreach_analytics.present.report import render_report

    path = tmp_path / "sent.csv"
    path.write_bytes(SENT_LOG.encode("utf-8"))
    html = render_report(path, as_of="2025-06-01")
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    assert text.count("The log records no outcomes") == 4  # funnel, next win, replies, benchmarks
    assert "0.0%" not in text and "is consistent with" not in text


def test_linkedin_dates_with_every_day_at_most_12_are_month_first(tmp_path):
    """LinkedIn writes US English's short date-time ("11/03/24, 9:05 PM"): month-first even
    when no day is above 12; a 24-hour or lower-case "pm" clock decides nothing."""
    from outreach_analytics.model.dates import infer_date_order

    path = tmp_path / "Job Applications.csv"
    path.write_text(
        "Application Date,Company Name,Job Title\n"
        f'"11/03/24, 11:39{NNBSP}PM",Acme,Analyst\n'
        '"11/04/24, 9:05 AM",Globex,Analyst\n'
        '"12/01/24, 2:15 PM",Acme,Engineer\n',
        encoding="utf-8",
    )
    report = load_report(path)
    days = report.data["date"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2024-11-03", "2024-11-04", "2024-12-01"]
    for undecided in (["03/11/24, 23:39", "04/11/24, 09:05"], ["3/11/24, 11:39 pm"]):
        assert infer_date_order(pd.Series(undecided)) is None
    # a value with a first number above 12 still decides day-first
    assert infer_date_order(pd.Series(["11/03/24, 9:05 PM", "13/03/24, 9:05 PM"])) == "day-first"


def test_the_challenge_of_a_log_without_outcomes_claims_no_wins(sent_log):
    c = challenge(sent_log.data, as_of="2025-03-31", window=14, outcomes=False)
    d = c.to_dict()
    assert (d["no_count"], d["wins_so_far"], d["expected_wins_on_the_way"]) == (5, None, None)
    assert "win" not in c.verdict and c.summary["wins"].isna().all()
    s = summarize(sent_log, as_of="2025-03-31")
    assert s["challenge"]["wins_so_far"] is None and "win" not in s["challenge"]["verdict"]


def test_a_log_with_no_dates_has_no_follow_ups_due(tmp_path):
    from outreach_analytics.present import sections as S

    path = tmp_path / "log.csv"
    path.write_text("Company,Status\nA,Applied\nB,Rejected\n", encoding="utf-8")
    section = S.follow_ups_section(load_report(path).data, as_of="2025-06-01")
    assert "No dated action" in section.html and "Nothing is due" not in section.html
