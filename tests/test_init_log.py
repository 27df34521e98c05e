"""Creating a ready log (CSV, Excel, Google Sheet), and the round trip through a Sheet:
init-sheet, log three actions, update one, load and count."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import outreach_analytics as oa
from outreach_analytics.errors import OutreachDataError
from outreach_analytics.io.init_log import (
    CHANNELS,
    LOG_HEADER,
    LOG_STATUSES,
    PITCH_TYPES,
    init_log,
    init_sheet,
)
from outreach_analytics.model.schema import COLUMN_ALIASES, header_key
from outreach_analytics.model.status import parse_status

sys.path.insert(0, str(Path(__file__).parent))
from fake_sheets_api import FakeSheetsAPI, RecordedWrite  # noqa: E402

CLI = [sys.executable, "-m", "outreach_analytics"]


def test_header_and_drop_down_words_are_all_recognised():
    known = {header_key(a): c for c, aliases in COLUMN_ALIASES.items() for a in aliases}
    assert [known[header_key(h)] for h in LOG_HEADER] == [
        "date",
        "channel",
        "pitch_type",
        "client",
        "status",
        "follow_ups",
        "value",
        "notes",
    ]
    readings = {w: parse_status(w) for w in LOG_STATUSES}
    assert None not in readings.values()
    assert readings["Ghosted"] == ("sent", "no_response")
    assert readings["Won"] == ("won", "won")


def test_init_log_csv_is_the_header_only(tmp_path):
    p = init_log(tmp_path / "new.csv")
    assert p.read_bytes() == (
        b"\xef\xbb\xbfDate,Channel,Pitch type,Client,Status,Follow-ups,Value,Notes\r\n"
    )
    report = oa.load_report(p)
    assert report.rows_read == 0
    oa.log_action(p, channel="Upwork", pitch_type="Proposal", client="A", today=dt.date(2024, 3, 1))
    assert p.read_bytes().endswith(b"\r\n2024-03-01,Upwork,Proposal,A,,,,\r\n")
    assert len(oa.load(p)) == 1


def test_init_log_xlsx_frozen_validated_date_formatted(tmp_path):
    p = init_log(tmp_path / "new.xlsx")
    ws = openpyxl.load_workbook(p)["Log"]
    assert [c.value for c in ws[1]] == list(LOG_HEADER)
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(rules) == {"B2:B1048576", "C2:C1048576", "E2:E1048576"}
    assert rules["B2:B1048576"].formula1 == '"' + ",".join(CHANNELS) + '"'
    assert rules["C2:C1048576"].formula1 == '"' + ",".join(PITCH_TYPES) + '"'
    assert (
        rules["E2:E1048576"].formula1
        == '"Sent,Replied,Interview,Offer,Won,Rejected,Ghosted,Withdrawn"'
    )
    assert rules["E2:E1048576"].showErrorMessage and not rules["B2:B1048576"].showErrorMessage
    assert ws.column_dimensions["A"].number_format == "yyyy-mm-dd"
    oa.log_action(p, channel="Email", status="won", today=dt.date(2024, 3, 5))
    ws = openpyxl.load_workbook(p)["Log"]
    assert ws["A2"].value == dt.datetime(2024, 3, 5)
    assert ws["A2"].number_format == "yyyy-mm-dd"
    assert ws["E2"].value == "Won"
    assert oa.load(p)["result"].astype(str).tolist() == ["won"]


def test_init_log_never_overwrites(tmp_path):
    p = tmp_path / "log.csv"
    p.write_bytes(b"Date\n2024-01-01\n")
    with pytest.raises(OutreachDataError, match="already exists"):
        init_log(p)
    assert p.read_bytes() == b"Date\n2024-01-01\n"
    with pytest.raises(OutreachDataError, match="neither .csv nor .xlsx"):
        init_log(tmp_path / "log.ods")
    r = subprocess.run(
        [*CLI, "init-log", str(p)], capture_output=True, text=True, timeout=120, check=False
    )
    assert r.returncode == 2 and "already exists" in r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------- Google Sheets


@pytest.fixture
def api():
    with FakeSheetsAPI() as server:
        yield server


def _writes(api) -> list[RecordedWrite]:
    return [r for r in api.requests if isinstance(r, RecordedWrite)]


def test_init_sheet_requests(api):
    url = init_sheet("My pitches", gspread_client=api.client())
    create, header, batch = _writes(api)
    assert (create.method, create.path) == ("POST", "/v4/spreadsheets")
    assert create.body["properties"] == {"title": "My pitches"}
    key = url.split("/d/")[1].split("/")[0]
    assert url == f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0"
    assert (header.method, header.path) == ("PUT", f"/v4/spreadsheets/{key}/values/'Log'!A1")
    assert header.query["valueInputOption"] == ["RAW"]
    assert header.body["values"] == [list(LOG_HEADER)]
    assert batch.path == f"/v4/spreadsheets/{key}:batchUpdate"
    reqs = batch.body["requests"]
    frozen = [r["updateSheetProperties"] for r in reqs if "updateSheetProperties" in r]
    assert frozen == [
        {
            "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
            "fields": "gridProperties.frozenRowCount",
        }
    ]
    validations = {
        r["setDataValidation"]["range"]["startColumnIndex"]: r["setDataValidation"]["rule"]
        for r in reqs
        if "setDataValidation" in r
    }
    assert sorted(validations) == [1, 2, 4]  # Channel, Pitch type, Status
    for col, words, strict in (
        (1, CHANNELS, False),
        (2, PITCH_TYPES, False),
        (4, LOG_STATUSES, True),
    ):
        rule = validations[col]
        assert rule["condition"]["type"] == "ONE_OF_LIST"
        assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == list(words)
        assert rule["strict"] is strict
    dates = [
        r["repeatCell"]
        for r in reqs
        if "repeatCell" in r and "numberFormat" in r["repeatCell"]["cell"]["userEnteredFormat"]
    ]
    assert len(dates) == 1
    assert dates[0]["range"] == {
        "sheetId": 0,
        "startRowIndex": 1,
        "startColumnIndex": 0,
        "endColumnIndex": 1,
    }
    assert dates[0]["cell"]["userEnteredFormat"]["numberFormat"] == {
        "type": "DATE",
        "pattern": "yyyy-mm-dd",
    }
    assert api.sheet_formats[(key, 0)] == [{k: v} for r in reqs for k, v in r.items()]


def test_init_sheet_on_a_shared_empty_sheet_and_never_over_data(api):
    api.add_spreadsheet("EMPTY", "Shared", {"Sheet1": [], "Other": [["x"]]}, sheet_ids=[0, 77])
    client = api.client()
    url = init_sheet(
        source="https://docs.google.com/spreadsheets/d/EMPTY/edit#gid=0", gspread_client=client
    )
    assert url.endswith("/d/EMPTY/edit#gid=0")
    assert client.open_by_key("EMPTY").sheet1.get_all_values() == [list(LOG_HEADER)]
    with pytest.raises(OutreachDataError, match="not empty"):
        init_sheet(
            source="https://docs.google.com/spreadsheets/d/EMPTY/edit#gid=77", gspread_client=client
        )
    with pytest.raises(OutreachDataError, match="either --title"):
        init_sheet(gspread_client=client)


def test_round_trip_init_log_update_load(api):
    """init-sheet -> three actions -> an update -> load and count, by hand.

    Dates read back as serial numbers: the fake applies no number formats, and the
    loader reads serials as dates (2024-03-01 is day 45352 counted from 1899-12-30).
    """
    client = api.client()
    url = init_sheet("Round trip", gspread_client=client)
    note = '=HYPERLINK("http://x","y")'
    first = oa.log_action(
        url,
        channel="Upwork",
        pitch_type="Proposal",
        client="Acme",
        date="2024-03-01",
        gspread_client=client,
    )
    second = oa.log_action(
        url,
        channel="LinkedIn",
        pitch_type="Cold pitch",
        client="Beta",
        status="rejected",
        date="2024-03-02",
        gspread_client=client,
    )
    third = oa.log_action(
        url,
        channel="Upwork",
        pitch_type="Proposal",
        client="Gamma",
        note=note,
        date="2024-03-03",
        gspread_client=client,
    )
    assert (first.row, second.row, third.row) == (2, 3, 4)
    oa.log_action(url, row=2, status="interview", gspread_client=client)
    # every write was RAW
    for w in _writes(api):
        option = w.query.get("valueInputOption", [None])[0] or (w.body or {}).get(
            "valueInputOption"
        )
        if "values" in w.path:
            assert option == "RAW", w.path
    report = oa.load_report(url, client=client)
    assert report.rows_read == 3 and report.rows_used == 3
    df = report.data
    assert df["client"].tolist() == ["Acme", "Beta", "Gamma"]
    assert df["notes"].tolist()[2] == note  # text, not the formula's "y"
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2024-03-02", "2024-03-03"]
    s = oa.summarize(report, as_of=dt.date(2024, 6, 1))
    # by hand: Acme reached an interview (a response), Beta said no (a response),
    # Gamma never answered; no offer, no win; Upwork 2 actions, LinkedIn 1.
    o = s["overall"]
    counted = (o["actions"], o["settled"], o["responses"], o["interviews"], o["wins"])
    assert counted == (3, 3, 2, 1, 0)
    assert {c["channel"]: c["actions"] for c in s["by_channel"]} == {"Upwork": 2, "LinkedIn": 1}
    assert {c["pitch_type"]: c["responses"] for c in s["by_pitch_type"]} == {
        "Proposal": 1,
        "Cold pitch": 1,
    }
    assert client.open_by_key(url.split("/d/")[1].split("/")[0]).sheet1.get_all_values()[1:] == [
        ["45352", "Upwork", "Proposal", "Acme", "Interview", "", "", ""],
        ["45353", "LinkedIn", "Cold pitch", "Beta", "Rejected", "", "", ""],
        ["45354", "Upwork", "Proposal", "Gamma", "", "", "", note],
    ]


def test_cli_without_any_google_sign_in_says_how_to_get_one(tmp_path):
    """No service account and no OAuth client file: exit 2 before any network call."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "GOOGLE_APPLICATION_CREDENTIALS"}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / ".config"), APPDATA=str(tmp_path))
    for args in (["init-sheet", "--title", "Pitches"], ["log", "gsheet:KEY", "--client", "A"]):
        r = subprocess.run(
            [*CLI, *args], capture_output=True, text=True, timeout=120, check=False, env=env
        )
        assert r.returncode == 2, r.stderr
        assert "--credentials" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run(
        [*CLI, "init-sheet", "--title", "A", "gsheet:KEY"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert r.returncode == 2 and "not both" in r.stderr
