"""Logs as people keep them (issue 7): Notion title cells, planned rows, yes/no columns
filled with TBD/N/A/Skip/-, interview rounds, header synonyms, malformed files.

Every file is written here as a real export would be, and the expected numbers come from
reading that raw text with the csv module or plain pandas and a rule written in the test,
never from the toolkit's own output.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import outreach_analytics as oa
from outreach_analytics.analysis.activity import weekly_activity
from outreach_analytics.cli import app
from outreach_analytics.errors import DataQualityWarning

AS_OF = "2024-06-30"
LEVEL = {"planned": -1, "sent": 0, "viewed": 1, "responded": 2, "interview": 3, "offer": 4}
LEVEL["won"] = 5


def _write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _records(path: Path) -> list[list[str]]:
    """The file as a spreadsheet app shows it: one list per row (multi-line cells whole)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})
    return result.exit_code, result.output


# ---------------------------------------------------------------- a Notion export

# how this test reads each Stage word of the Notion board (its own rule, from the issue)
NOTION_STAGES = {
    "Ready to Apply": "planned",
    "Wishlist": "planned",
    "Applied": "sent",
    "Auto-reply": "sent",
    "Viewed": "viewed",
    "Contacted": "responded",
    "Rejected": "responded",
    "Assessment": "interview",
    "Applied-Interview": "interview",
    "Rejected-Interview": "interview",
    "Final Round": "interview",
    "Offered": "offer",
    "Negotiating": "offer",
    "Scam": "sent",
}

NOTION = (
    '"🎯\nJob Applications"\n'
    "Company,Stage,Applied on,Job Source,Salary,Notes\n"
    "Acme,Applied,2024-03-01,LinkedIn,£28K-£30K,\n"
    'Birch,Rejected-Interview,2024-03-02,Indeed,,"two rounds,\nthen a no"\n'
    "Cedar,Ready to Apply,,LinkedIn,,\n"
    "Dune,Wishlist,,Referral,,\n"
    "Elm,Applied-Interview,2024-03-05,Referral,,\n"
    "Fir,Offered,,Referral,,only offer: date never written\n"
    "Gale,Contacted,2024-03-07,LinkedIn,,\n"
    "Hazel,Scam,2024-03-08,Indeed,,\n"
    "Iris,Assessment,2024-03-09,Indeed,,\n"
    "Juno,Auto-reply,2024-03-10,LinkedIn,,\n"
    "Kilo,Viewed,2024-03-11,Upwork,,\n"
    "Lima,Final Round,2024-03-12,Referral,,\n"
    "Mako,Negotiating,2024-03-13,Referral,,\n"
    "Nori,Rejected,2024-03-14,Indeed,,\n"
    "Opal,Applied,2024-07-20,LinkedIn,,dated after as-of\n"
)


@pytest.fixture
def notion(tmp_path) -> Path:
    return _write(tmp_path, NOTION)


def test_notion_export_loads_with_no_mapping_and_sheet_row_numbers(notion):
    records = _records(notion)
    assert records[0] == ["🎯\nJob Applications"]  # the title: one row of the sheet
    header, body = records[1], records[2:]
    with pytest.warns(DataQualityWarning, match="Salary"):
        rep = oa.load_report(notion, as_of=AS_OF)
    assert rep.rows_read == len(body) and rep.rows_used == len(body)
    # row numbers are the sheet's: the title is row 1, the header row 2
    assert rep.data["source_row"].tolist() == list(range(3, 3 + len(body)))
    stage = header.index("Stage")
    assert rep.data["stage"].astype(str).tolist() == [NOTION_STAGES[r[stage]] for r in body]
    # the free-text salary column is set aside (one warning), the counts go on
    assert rep.data["value"].isna().all()
    assert any("Salary" in n and "set aside" in n for n in rep.notes)
    # Fir: an offer with no date is an action of unknown date, listed
    date = header.index("Applied on")
    undated = [
        i + 3 for i, r in enumerate(body) if not r[date] and NOTION_STAGES[r[stage]] != "planned"
    ]
    assert rep.undated_rows == undated


def test_notion_counts_match_a_csv_reading(notion):
    records = _records(notion)
    header, body = records[1], records[2:]
    stage, date = header.index("Stage"), header.index("Applied on")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        df = oa.load(notion, as_of=AS_OF)
    c = oa.counts(df, as_of=AS_OF, window=14).iloc[0]
    level = [LEVEL[NOTION_STAGES[r[stage]]] for r in body]
    planned = [lv == -1 for lv in level]
    future = [
        bool(r[date]) and r[date] > AS_OF and not p for r, p in zip(body, planned, strict=True)
    ]
    actions = [lv for lv, p, f in zip(level, planned, future, strict=True) if not p and not f]
    assert (c["planned"], c["future"]) == (sum(planned), sum(future))
    assert c["actions"] == len(actions) == len(body) - sum(planned) - sum(future)
    # Scam is an action whose reply does not count; Auto-reply is not a human answer
    assert c["responses"] == sum(lv >= LEVEL["responded"] for lv in actions)
    assert c["interviews"] == sum(lv >= LEVEL["interview"] for lv in actions)
    assert c["offers"] == sum(lv >= LEVEL["offer"] for lv in actions) == 2
    # the funnel shows viewed (Kilo stopped there), counts never increase
    f = oa.funnel(df, as_of=AS_OF)
    assert f["stage"].astype(str).tolist()[:3] == ["sent", "viewed", "responded"]
    assert f.loc[f["stage"] == "viewed", "count"].item() == sum(lv >= 1 for lv in actions)
    assert (np.diff(f["count"]) <= 0).all()
    # nothing over time holds the undated offer nor the planned and future rows
    weekly = weekly_activity(df, until=AS_OF)
    dated = sum(
        1 for r, p in zip(body, planned, strict=True) if r[date] and r[date] <= AS_OF and not p
    )
    assert weekly["actions"].sum() == dated


def test_summary_json_reports_planned_and_future_per_segment(notion):
    code, out = _cli("summary", str(notion), "--json", "--as-of", AS_OF)
    assert code == 0, out
    s = json.loads(out[out.index("{") :])
    body = _records(notion)[2:]
    planned = [r for r in body if NOTION_STAGES[r[1]] == "planned"]
    assert s["overall"]["planned"] == len(planned) == 2
    assert s["overall"]["future"] == 1
    by = {seg["channel"]: seg for seg in s["by_channel"]}
    for channel in ("LinkedIn", "Referral"):
        expected = sum(1 for r in planned if r[3] == channel)
        assert by[channel]["planned"] == expected
    for key in ("planned", "future", "actions"):
        assert sum(seg[key] for seg in s["by_channel"]) == s["overall"][key]
    assert s["undated_rows"] == [8]


# ---------------------------------------------------------------- planned rows, a mapping


def test_a_mapping_sends_any_word_to_planned(tmp_path):
    path = _write(
        tmp_path,
        "Date,Status,Channel\n"
        "2024-05-01,Sent,Email\n"
        "2024-05-02,Maybe later,Email\n"
        "2024-05-03,Ghosted,Email\n"
        ",Maybe later,Upwork\n",
    )
    mapping = _write(tmp_path, '[statuses]\n"Maybe later" = "planned"\n', "map.toml")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    rep = oa.load_report(path, mapping=mapping)
    later = (raw["Status"] == "Maybe later").to_numpy()
    assert (rep.data["stage"] == "planned").to_numpy().tolist() == later.tolist()
    c = oa.counts(rep.data, as_of=AS_OF).iloc[0]
    assert (c["actions"], c["planned"]) == ((~later).sum(), later.sum())
    assert oa.rates(rep.data, by=None, as_of=AS_OF)["settled"].iloc[0] == (~later).sum()
    # planned rows are never a follow-up due
    due = oa.follow_ups_due(rep.data, as_of=AS_OF)
    assert set(due["source_row"]) <= set(np.flatnonzero(~later) + 2)


# ---------------------------------------------------------------- yes/no stage columns

ROUNDS = (
    "Date Applied,Company,selected for interview?,First,Tech,Final,Offer?\n"
    "2024-04-01,A,Yes,Yes,No,-,No\n"
    "2024-04-02,B,TBD,,,,\n"
    "2024-04-03,C,No,N/A,N/A,N/A,No\n"
    "2024-04-04,D,Skip,-,Yes,,No\n"
    "2024-04-05,E,Other,No,No,TBD,\n"
    "2024-04-06,F,Yes,Yes,Yes,Yes,Yes\n"
    "2024-04-07,G,NA,,,Yes,\n"
)


def test_interview_rounds_reach_the_stage_if_any_says_yes(tmp_path):
    path = _write(tmp_path, ROUNDS)
    mapping = _write(
        tmp_path,
        "[columns]\n"
        'interviewed = ["First", "Tech", "Final"]\n'
        'responded = "selected for interview?"\n'
        "[values]\n"
        '"Other" = "no"\n'
        '[values."selected for interview?"]\n'
        '"Skip" = "unknown"\n',
        "map.toml",
    )
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    yes = raw[["First", "Tech", "Final"]].apply(lambda s: s.str.casefold() == "yes")
    interviewed = yes.any(axis=1).to_numpy()
    responded = (raw["selected for interview?"].str.casefold() == "yes").to_numpy()
    offered = (raw["Offer?"].str.casefold() == "yes").to_numpy()
    rep = oa.load_report(path, mapping=mapping)
    assert rep.rows_used == len(raw) and rep.rows_skipped == 0
    c = oa.counts(rep.data, as_of=AS_OF).iloc[0]
    assert c["interviews"] == (interviewed | offered).sum() == 4
    assert c["responses"] == (responded | interviewed | offered).sum()
    assert c["offers"] == offered.sum()


def test_yes_no_values_the_toolkit_cannot_read_name_the_mapping(tmp_path):
    path = _write(tmp_path, ROUNDS)
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(
            path,
            columns={
                "interviewed": ["First", "Tech", "Final"],
                "responded": "selected for interview?",
            },
        )
    cases = info.value.failure_cases
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    odd = ~raw["selected for interview?"].str.casefold().isin(["yes", "no", "tbd", "na"])
    assert sorted(cases["row"]) == sorted((np.flatnonzero(odd) + 2).tolist())  # Skip, Other
    assert set(cases["value"]) == {"Skip", "Other"}
    assert "[values]" in info.value.message


def test_a_bad_values_mapping_is_a_user_error(tmp_path):
    path = _write(tmp_path, ROUNDS)
    mapping = _write(tmp_path, '[values]\n"Skip" = "perhaps"\n', "map.toml")
    code, out = _cli("summary", str(path), "--mapping", str(mapping))
    assert code == 2
    assert "perhaps" in out and '"yes", "no" or "unknown"' in out
    assert "Traceback" not in out


# ---------------------------------------------------------------- headers people write

DATE_HEADERS = [
    "applied date",
    "date applied",
    "Applied on",
    "Date of application",
    "Submitted",
    "Sent date",
]
CHANNEL_HEADERS = ["Job Source", "Application method", "Source of lead"]
STATUS_HEADERS = ["Outcome", "Result", "Stage"]


@pytest.mark.parametrize("date", DATE_HEADERS)
@pytest.mark.parametrize("channel", CHANNEL_HEADERS)
@pytest.mark.parametrize("status", STATUS_HEADERS)
def test_header_synonyms_are_recognised_without_a_mapping(tmp_path, date, channel, status):
    text = f"{date},{channel},{status}\n2024-03-01,LinkedIn,Rejected\n2024-03-02,Indeed,Offered\n"
    rep = oa.load_report(_write(tmp_path, text))
    assert rep.columns["date"] == [date]
    assert rep.columns["channel"] == [channel]
    assert rep.columns["status"] == [status]
    raw = pd.read_csv(io.StringIO(text), dtype=str)
    assert rep.data["channel"].tolist() == raw[channel].tolist()


def test_outcome_is_an_alias_of_status(tmp_path):
    path = _write(tmp_path, "When,What happened\n2024-03-01,Ghosted\n2024-03-02,Hired\n")
    mapping = _write(tmp_path, '[columns]\ndate = "When"\noutcome = "What happened"\n', "m.toml")
    by_file = oa.load(path, mapping=mapping)
    by_option = oa.load(path, columns={"date": "When", "outcome": "What happened"})
    assert by_file["stage"].astype(str).tolist() == ["sent", "won"]
    assert by_option["stage"].astype(str).tolist() == ["sent", "won"]
    code, out = _cli(
        "summary", str(path), "--json", "--column", "date=When", "--column", "outcome=What happened"
    )
    assert code == 0 and json.loads(out)["overall"]["wins"] == 1


def test_ignore_keeps_a_recognised_column_out(tmp_path):
    path = _write(tmp_path, "Date,Status,Salary\n2024-03-01,Sent,£28K-£30K\n2024-03-02,Hired,45k\n")
    mapping = _write(tmp_path, '[options]\nignore = ["Salary"]\n', "m.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)  # ignored: no warning at all
        rep = oa.load_report(path, mapping=mapping)
    assert "value" not in rep.columns and rep.data["value"].isna().all()
    assert rep.rows_used == 2


# ---------------------------------------------------------------- malformed files


def test_an_unclosed_quote_is_named_not_swallowing_rows(tmp_path):
    text = (
        "Date,Status,Notes\n"
        "2024-03-01,Sent,fine\n"
        '2024-03-02,Sent,"she said ""maybe""\n'  # the quote opens and never closes
        "2024-03-03,Rejected,ok\n"
        "2024-03-04,Hired,ok\n"
    )
    path = _write(tmp_path, text)
    # the csv module agrees: the third row never ends
    with pytest.raises(csv.Error):
        list(csv.reader(io.StringIO(text), strict=True))
    code, out = _cli("summary", str(path))
    assert code == 2
    assert "row 3" in out and "never closes" in out and "Fix:" in out
    assert "Traceback" not in out


def test_rows_with_extra_cells_are_listed_under_skip_invalid(tmp_path):
    text = "Date,Status\n2024-03-01,Sent\n2024-03-02,Rejected,oops\n2024-03-03,Hired\n"
    path = _write(tmp_path, text)
    wide = [i + 1 for i, r in enumerate(_records(path)) if len(r) > 2]
    code, out = _cli("summary", str(path), "--json", "--skip-invalid", "--as-of", AS_OF)
    assert code == 0
    s = json.loads(out)
    assert [p["row"] for p in s["skipped"]] == wide == [3]
    assert (s["rows_read"], s["rows_used"], s["rows_skipped"]) == (3, 2, 1)
    code, out = _cli("summary", str(path))
    assert code == 2 and "row 3" in out and "--skip-invalid" in out


def test_impossible_dates_are_bad_cells(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date Sent", "Status"])
    ws.append([dt.datetime(2024, 3, 1), "Sent"])
    ws.append([dt.datetime(1899, 12, 30), "Rejected"])  # an empty Excel date formula
    ws.append([dt.datetime(24, 3, 5), "Sent"])  # the year 24
    ws.append([dt.datetime(2031, 1, 1), "Sent"])  # years after as-of
    ws.append([dt.datetime(2024, 3, 5), "Hired"])
    path = tmp_path / "log.xlsx"
    wb.save(path)
    years = [c.value.year for c in ws["A"][1:]]
    bad = [i + 2 for i, y in enumerate(years) if y < 1990 or y > 2025]
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(path, as_of=AS_OF)
    assert sorted(info.value.failure_cases["row"]) == bad == [3, 4, 5]
    rep = oa.load_report(path, as_of=AS_OF, skip_invalid=True)
    assert rep.data["source_row"].tolist() == [2, 6]


def test_excel_zero_date_in_a_csv_export_is_a_bad_cell(tmp_path):
    # Google Sheets and Excel write an empty date formula as 1899-12-30 in a CSV export
    text = "Date Sent,Status\n2024-03-01,Sent\n1899-12-30,Rejected\n12/30/1899,Sent\n"
    path = _write(tmp_path, text)
    raw = pd.read_csv(path, dtype=str)
    zero = pd.to_datetime(raw["Date Sent"], format="mixed").dt.year < 1990
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(path, as_of=AS_OF)
    cases = info.value.failure_cases
    assert sorted(cases["row"]) == (np.flatnonzero(zero) + 2).tolist() == [3, 4]
    assert cases["reason"].str.contains("1899-12-30").all()


# ---------------------------------------------------------------- the summary fits 80 columns


def test_summary_tables_fit_80_columns_and_show_at_least_l(tmp_path):
    rows = ["Date,Platform,Status"]
    rows += [f"2024-03-{d:02d},Facebook Groups,Ghosted" for d in range(1, 29)]
    rows += [
        f"2024-04-{d:02d},Referral,{'Hired' if d % 3 == 0 else 'Rejected'}" for d in range(1, 20)
    ]
    path = _write(tmp_path, "\n".join(rows) + "\n")
    code, out = _cli("summary", str(path), "--as-of", AS_OF)
    assert code == 0, out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not any("…" in line for line in lines)  # nothing cut
    row = next(line for line in lines if line.lstrip().startswith("Facebook Groups"))
    # no win in 28 settled: at least 1 / (upper Wilson bound) pitches per win
    from statsmodels.stats.proportion import proportion_confint

    upper = proportion_confint(0, 28, alpha=0.05, method="wilson")[1]
    assert row.rstrip().endswith(f"≥ {1 / upper:.0f}")


def test_the_latest_possible_date_follows_as_of_on_the_command_line(tmp_path):
    path = _write(tmp_path, "Date,Status\n2024-03-01,Sent\n2026-03-01,Sent\n")
    years = [int(r[0][:4]) for r in _records(path)[1:]]
    code, out = _cli("summary", str(path), "--as-of", AS_OF)  # 2026 > 2024-06-30 + 1 year
    assert code == 2 and "row 3" in out and "not a possible date" in out
    code, out = _cli("summary", str(path), "--json", "--as-of", "2025-06-30")
    assert code == 0
    s = json.loads(out)
    later = sum(y > 2025 for y in years)
    assert (s["rows_used"], s["overall"]["future"]) == (len(years), later)
