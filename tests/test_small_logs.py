"""Issue 19: what the numbers say stays sane on small logs.

Each test writes a small log shaped like a real one (no personal data) and checks the
words and the numbers against a count or a formula written here, by hand.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from outreach_analytics import load_report, summarize
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
