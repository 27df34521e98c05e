"""`outreach-analytics inspect` and `oa.inspect`: how a log is read, and a starter mapping.

Expected values come from reading the raw file written here with pandas or the csv
module, never from the toolkit's own output.
"""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import outreach_analytics as oa
from outreach_analytics.cli import app

AS_OF = "2024-06-30"

TRACKER = (
    "Company,Stage,Date of application,Source of lead,Interview?,Salary,URL\n"
    "Acme,Applied,12/03/2024,LinkedIn,No,£28K-£30K,https://a\n"
    "Birch,Contacted,13/03/2024,Indeed,TBD,,https://b\n"
    "Cedar,No project for now,14/03/2024,LinkedIn,Skip,,https://c\n"
    "Dune,Rejected,15/03/2024,Referral,Yes,,https://d\n"
    "Elm,Applied,16/03/2024,LinkedIn,No,,https://e\n"
    "Fir,Wishlist,,Referral,,,https://f\n"
    "Gale,No project for now,soon,Indeed,No,,https://g\n"
)


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})
    return result.exit_code, result.output


@pytest.fixture
def tracker(tmp_path) -> Path:
    path = tmp_path / "tracker.csv"
    path.write_text(TRACKER, encoding="utf-8")
    return path


def test_inspect_says_what_each_column_is_read_as(tracker):
    ins = oa.inspect(tracker, as_of=AS_OF)
    header = next(csv.reader(TRACKER.splitlines()))
    assert ins.columns["column"].tolist() == header
    used = dict(zip(ins.columns["column"], ins.columns["used_as"], strict=True))
    assert used["Stage"] == "status" and used["Date of application"] == "date"
    assert used["Source of lead"] == "channel" and used["Interview?"] == "interviewed"
    assert used["URL"] == "not used"
    # the free-text salary could not be read as a number: set aside, and said so
    assert used["Salary"] == "not used"
    why = dict(zip(ins.columns["column"], ins.columns["why"], strict=True))
    assert "set aside" in why["Salary"]


def test_inspect_counts_each_status_word_and_flags_contacted(tracker):
    ins = oa.inspect(tracker, as_of=AS_OF)
    raw = pd.read_csv(tracker, dtype=str)
    stage = ins.values[ins.values["column"] == "Stage"]
    assert dict(zip(stage["value"], stage["rows"], strict=True)) == (
        raw["Stage"].value_counts().to_dict()
    )
    reading = dict(zip(stage["value"], stage["reading"], strict=True))
    assert pd.isna(reading["No project for now"])  # not understood
    assert reading["Wishlist"] == "planned / open"
    flag = dict(zip(stage["value"], stage["flag"], strict=True))
    assert "contacted" in flag["Contacted"].lower() and flag["Applied"] == ""
    yes_no = ins.values[ins.values["column"] == "Interview?"]
    assert dict(zip(yes_no["value"], yes_no["rows"], strict=True)) == (
        raw["Interview?"].value_counts().to_dict()
    )
    assert pd.isna(dict(zip(yes_no["value"], yes_no["reading"], strict=True))["Skip"])


def test_inspect_reports_date_order_share_and_problems_with_rows(tracker):
    ins = oa.inspect(tracker, as_of=AS_OF)
    raw = pd.read_csv(tracker, dtype=str)
    dates = raw["Date of application"].dropna()
    readable = pd.to_datetime(dates, format="%d/%m/%Y", errors="coerce").notna()
    row = ins.dates.iloc[0]
    assert (row["column"], row["cells"], row["parsed"]) == (
        "Date of application",
        len(dates),
        int(readable.sum()),
    )
    assert row["order"] == "day-first" and ins.date_order == "day-first"
    # problems name the rows as the sheet numbers them (header = row 1)
    bad_date = raw.index[raw["Date of application"] == "soon"] + 2
    unknown = raw.index[raw["Stage"] == "No project for now"] + 2
    skip = raw.index[raw["Interview?"] == "Skip"] + 2
    assert set(ins.problems["row"]) == set(bad_date) | set(unknown) | set(skip)


def test_inspect_cli_fits_80_columns(tracker):
    code, out = _cli("inspect", str(tracker))
    assert code == 0, out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.lstrip().startswith("Stage") and "status" in line for line in lines)
    assert "Contacted" in out and "No project for now" in out and "day-first" in out


def test_write_mapping_loads_as_is_and_a_few_edits_make_a_clean_summary(tracker, tmp_path):
    target = tmp_path / "mapping.toml"
    code, out = _cli("inspect", str(tracker), "--write-mapping", str(target))
    assert code == 0 and f"wrote {target}" in out
    text = target.read_text(encoding="utf-8")
    parsed = tomllib.loads(text)  # valid TOML as written
    assert parsed["columns"]["status"] == "Stage"
    assert parsed["columns"]["date"] == "Date of application"
    assert parsed["options"]["date_order"] == "day-first"
    assert parsed["options"]["ignore"] == ["Salary"]
    assert parsed["statuses"]["Contacted"] == "responded/open"  # flagged, filled in
    todo = [line for line in text.splitlines() if line.startswith("# TODO")]
    assert any('"No project for now"' in line for line in todo)
    assert any('"Skip"' in line for line in todo)
    # each TODO line counts its rows in the raw file, in words ("1 row", "2 rows")
    raw = pd.read_csv(tracker, dtype=str)
    for column, word in (("Stage", "No project for now"), ("Interview?", "Skip")):
        n = int((raw[column] == word).sum())
        line = next(line for line in todo if f'"{word}"' in line)
        assert f"# {n} row{'' if n == 1 else 's'}" in line, line
    oa.read_mapping(target)  # the toolkit reads it as it is
    # the user's edits: uncomment the TODO lines with a meaning, fix the one bad date
    edited = (
        text.replace('# TODO "No project for now" = ""', '"No project for now" = "rejected"')
        .replace('# [values."Interview?"]', '[values."Interview?"]')
        .replace('# TODO "Skip" = ""', '"Skip" = "no"')
    )
    target.write_text(edited, encoding="utf-8")
    tracker.write_text(TRACKER.replace(",soon,", ",17/03/2024,"), encoding="utf-8")
    code, out = _cli("summary", str(tracker), "--mapping", str(target), "--json", "--as-of", AS_OF)
    assert code == 0, out
    s = json.loads(out)
    raw = pd.read_csv(tracker, dtype=str)
    assert s["rows_used"] == len(raw) and s["rows_skipped"] == 0
    assert s["overall"]["planned"] == int((raw["Stage"] == "Wishlist").sum())
    responded = raw["Stage"].isin(["Contacted", "Rejected", "No project for now"])
    responded |= raw["Interview?"].eq("Yes")
    assert s["overall"]["responses"] == int(responded.sum())


def test_inspect_of_a_log_without_a_date_column_still_shows_the_columns(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Company,Stage,Wann\nAcme,Applied,2024-03-01\n", encoding="utf-8")
    code, out = _cli("inspect", str(path))
    assert code == 0
    assert "cannot be loaded as it is" in out and "'Wann' holds dates" in out
    path.write_text("Company,Stage\nAcme,Applied\n", encoding="utf-8")  # no dates at all
    code, out = _cli("inspect", str(path))
    assert code == 0 and "the log has no date column" in out
    code, out = _cli("inspect", str(tmp_path / "missing.csv"))
    assert code == 2 and "No file at" in out and "Traceback" not in out
