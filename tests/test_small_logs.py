"""Issue 19: what the numbers say stays sane on small logs.

Each test writes a small log shaped like a real one (no personal data) and checks the
words and the numbers against a count or a formula written here, by hand.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from outreach_analytics import load_report
from outreach_analytics.cli import app

AS_OF = "2024-03-01"
Z = 1.959963984540054  # the normal 97.5% quantile

#: A freelancer's first month: 8 pitches, one signed contract. By hand, at 2024-03-01
#: with the 14-day window, all 8 are settled; the "no"s are 2 rejections (Rejected,
#: Not a fit) and 4 silences (the 4 Ghosted rows).
SMALL_LOG = """\
Date Sent,Platform,Pitch Type,Client,Status,Response Date,Follow-ups
2024-01-08,Upwork,Proposal,Acme Foods,Ghosted,,0
2024-01-09,Upwork,Proposal,Birch Ltd,Rejected,2024-01-12,0
2024-01-10,Email,Cold pitch,Cedar Co,Ghosted,,1
2024-01-15,Email,Cold pitch,Dune Inc,Contract signed,2024-01-16,0
2024-01-16,Upwork,Proposal,Elm Studio,Not a fit,2024-01-18,0
2024-01-22,Referral,Proposal,Fjord AB,Ghosted,,0
2024-01-23,Upwork,Proposal,Grove LLC,Replied,2024-01-25,0
2024-02-01,Email,Cold pitch,Heath plc,Ghosted,,0
"""


def wilson_high(k: int, n: int) -> float:
    """The upper Wilson bound of k successes in n, by hand."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    return centre + Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))


@pytest.fixture
def write(tmp_path):
    def write(text: str, name: str = "log.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def run(*args: str, columns: int = 80) -> str:
    result = CliRunner().invoke(app, list(map(str, args)), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def said(text: str) -> str:
    """The text with its lines joined, so that a sentence wrapped at 80 columns is found."""
    return " ".join(line.strip(" -") for line in text.splitlines())


# ----------------------------------------------------------------- 1. the next win


def test_one_win_gives_the_floor_and_no_forecast(write):
    log = write(SMALL_LOG)
    floor = 1 / wilson_high(1, 8)  # 1 win in 8 settled pitches
    text = said(run("summary", log, "--as-of", AS_OF))
    assert (
        f"Next win: not forecast from 1 win (it takes 3); what is known: at least "
        f"{floor:.0f} pitches per win" in text
    )
    assert "Next win: a 50% chance" not in text and "likely by" not in text
    f = json.loads(run("summary", log, "--as-of", AS_OF, "--json"))["forecast"]
    assert f["enough"] is False and f["wins"] == 1 and f["settled"] == 8
    assert f["pitches_per_win_at_least"] == pytest.approx(floor)
    assert f["next_win_date_80"] is None
    assert set(f["pitches_for_next_win"].values()) == {None}


# ----------------------------------------------------------------- 2. the challenge


def test_the_challenge_says_its_nos_are_rejections_and_silences(write):
    log = write(SMALL_LOG)
    text = said(run("summary", log, "--as-of", AS_OF))
    assert 'Rejection challenge: 6 "no"s (2 rejections + 4 silences); next goal 100' in text
    c = json.loads(run("summary", log, "--as-of", AS_OF, "--json"))["challenge"]
    assert (c["no_count"], c["rejections"], c["silences"]) == (6, 2, 4)
    assert c["counts_silence"] is True
    assert c["no_count"] == c["rejections"] + c["silences"]


# ------------------------------------------- 3. no channel column, few follow-ups, "1 win"

#: A job seeker's spreadsheet with no channel column: 4 applications, one offer taken.
NO_CHANNEL_LOG = """\
Date Sent,Company,Status,Response Date
2024-01-08,Acme Foods,Ghosted,
2024-01-09,Birch Ltd,Rejected,2024-01-12
2024-01-15,Dune Inc,Offer accepted,2024-01-16
2024-01-16,Elm Studio,Ghosted,
"""


def test_no_channel_column_compares_no_channels(write):
    log = write(NO_CHANNEL_LOG)
    text = run("summary", log, "--as-of", AS_OF)
    assert "compare channels" not in text and "channels apart" not in text
    assert "the log has no channel column" in text
    s = json.loads(run("summary", log, "--as-of", AS_OF, "--json"))
    assert "channel" not in s["comparison"]
    # with a channel column the comparison is there, small sample or not
    with_channel = write(SMALL_LOG, "with.csv")
    s = json.loads(run("summary", with_channel, "--as-of", AS_OF, "--json"))
    assert "channel" in s["comparison"]
    assert not any("channel column" in n for n in s["notes"])


def test_one_offer_and_one_win_are_said_in_the_singular(write):
    text = said(run("summary", write(NO_CHANNEL_LOG), "--as-of", AS_OF))
    # by hand: 4 settled; replies from Birch and Dune; Dune went to an interview? no:
    # "Offer accepted" is a win, which passed the offer stage
    assert "4 actions, 0 still pending, 4 settled: 2 responses," in text
    assert "1 offer, 1 win." in text
    assert "1 offers" not in text and "1 wins" not in text and " 1 days" not in text


def test_a_single_follow_up_gives_no_verdict(write):
    # one pitch of eight got a follow-up (Cedar Co): far below 10 with and 10 without
    text = said(run("summary", write(SMALL_LOG), "--as-of", AS_OF))
    assert (
        "Too few pitches to judge following up: 1 with a follow-up and 7 without "
        "(a verdict needs 10 of each)." in text
    )
    assert "Following up does not pay" not in text and "Follow up once" not in text
    fu = json.loads(run("summary", write(SMALL_LOG), "--as-of", AS_OF, "--json"))["follow_up_lift"]
    assert fu["enough"] is False and fu["min_pitches"] == 10
    assert fu["pays_up_to"] is None
    assert not any(level["pays"] for level in fu["levels"])


def test_enough_follow_ups_give_a_verdict(write):
    # 12 pitches with one follow-up (6 replied after it), 12 without (3 replied). By hand:
    # the pitch itself gets 3 replies of 24 (all are at risk); the 1st follow-up, 6 of the
    # 12 that got it; its lift = share still silent after the pitch x its yield
    rows = ["Date Sent,Platform,Client,Status,Response Date,Follow-ups"]
    for i in range(24):
        day = f"2024-01-{i + 1:02d}"
        followed = i < 12
        replied = (i < 6) if followed else (i < 15)
        status, answered = ("Replied", f"2024-01-{i + 3:02d}") if replied else ("Ghosted", "")
        rows.append(f"{day},Email,Client {i},{status},{answered},{int(followed)}")
    s = json.loads(run("summary", write("\n".join(rows) + "\n"), "--as-of", AS_OF, "--json"))
    fu = s["follow_up_lift"]
    assert fu["enough"] is True
    first = fu["levels"][1]
    assert (first["at_risk"], first["replied"]) == (12, 6)
    assert first["lift"]["value"] == pytest.approx((1 - 3 / 24) * (6 / 12))
    assert fu["verdict"].startswith("Follow up once")


# ----------------------------------------------------------------- 4. the log's dates


def test_summary_shows_the_first_and_last_date_of_the_sample():
    import pandas as pd

    from outreach_analytics import sample_path

    dates = pd.to_datetime(pd.read_csv(sample_path())["Date Sent"], errors="coerce")
    first, last = dates.min().date().isoformat(), dates.max().date().isoformat()
    s = json.loads(run("summary", sample_path(), "--as-of", "2026-11-15", "--json"))
    assert (s["first_date"], s["last_date"]) == (first, last)
    text = said(run("summary", sample_path(), "--as-of", "2026-11-15"))
    assert f"dated {first} to {last} — as of 2026-11-15" in text


def test_a_log_with_no_dated_row_has_null_dates(write):
    # a wish list: two companies to apply to, no date yet
    log = write("Date Sent,Company,Status\n,Acme Foods,To apply\n,Birch Ltd,Wishlist\n")
    assert load_report(log).data["date"].isna().all()
    s = json.loads(run("summary", log, "--as-of", AS_OF, "--json"))
    assert s["first_date"] is None and s["last_date"] is None
    assert "; no dated row — as of" in said(run("summary", log, "--as-of", AS_OF))


# ------------------------------------------------- 5. wide characters and distinct cuts

#: A freelancer in China: channels 领英 (LinkedIn), 邮件 (email), 推荐 (referral); two
#: long pitch types that share their first 30 characters.
WIDE_LOG = """\
Date Sent,Platform,Pitch Type,Client,Status,Response Date
2024-01-08,领英,Rate-increase ask by email to past clients,北京星辰科技,Ghosted,
2024-01-09,邮件,Rate-increase ask by email to new leads,Birch Ltd,Rejected,2024-01-12
2024-01-10,推荐,Cold pitch,上海云帆,Contract signed,2024-01-11
2024-01-15,领英,Rate-increase ask by email to new leads,Dune Inc,Replied,2024-01-16
2024-01-16,Upwork,Proposal,Elm Studio,Ghosted,
"""


def columns(text: str) -> int:
    """Display width, computed here: east-asian wide and full-width characters take 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = lines.index("", start)
    return lines[start:end]  # header, rule, rows


def test_wide_names_line_up_and_long_names_stay_distinct(write):
    text = run("summary", write(WIDE_LOG), "--as-of", AS_OF, columns=80)
    head, rule, *rows = table(text, "By channel")
    assert [row.split()[0] for row in rows] == ["all", "领英", "Upwork", "推荐", "邮件"]
    # every number column ends where its header ends, counted in display columns
    sent_end = columns(head[: head.index("sent") + 4])
    settled_end = columns(head[: head.index("settled") + 7])
    for row in rows:
        name, sent, settled = row.split()[:3]
        at = row.index(sent, row.index(name) + len(name))
        assert columns(row[: at + len(sent)]) == sent_end, row
        at = row.index(settled, at + len(sent))
        assert columns(row[: at + len(settled)]) == settled_end, row
        assert columns(row) == columns(rule), row  # the last column, right-aligned

    head, rule, *rows = table(text, "By pitch type")
    assert all(columns(line) <= 80 for line in (head, rule, *rows))
    assert all(columns(row) == columns(rule) for row in rows)
    names = [row[1 : row.index("  ", 1)] for row in rows]
    past = next(n for n in names if n.endswith("past clients"))
    new = next(n for n in names if n.endswith("new leads"))
    assert past != new and "…" in past and "…" in new  # cut, and told apart
    assert past.startswith("Rate-i") and new.startswith("Rate-i")


def test_the_sample_at_80_columns_cuts_no_name():
    from outreach_analytics import sample_path

    text = run("summary", sample_path(), "--as-of", "2026-11-15", columns=80)
    for title in ("By channel", "By pitch type"):
        head, rule, *rows = table(text, title)
        assert "…" not in "".join(rows) and columns(rule) <= 80
    assert " Rate-increase ask " in text
