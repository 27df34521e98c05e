"""Reading logs from Google Sheets through the real gspread client.

Nothing is patched: ``gspread.Client`` runs its own code, over google-auth's
``AuthorizedSession`` with anonymous credentials, against a local server that answers as
the Sheets API v4 does (``tests/fake_sheets_api.py``). The expected values and sheet row
numbers are the ones the test serves; the requests gspread made are checked too.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import socket
import sys
import threading
from pathlib import Path

import gspread
import numpy as np
import pandas as pd
import pytest
import requests

import outreach_analytics as oa
from outreach_analytics.io.gsheets import read_gsheet
from outreach_analytics.io.sources import read_source


def _import_fake():
    """Import the helper module next to this file (the tests folder is not a package)."""
    name = "fake_sheets_api"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("fake_sheets_api.py")
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fake = _import_fake()

KEY = "1AbC-dEf_ghIJklMNopQRstuVWxyz0123456789"
GID_2024 = 1234567
HEADER = ["Date Sent", "Platform", "Client", "Status", "Rate"]
SHEETS = {
    # header on row 1; dates as an en_US sheet shows them
    "2023": [
        HEADER,
        ["11/2/2023", "Upwork", "Old Co", "Ghosted", "40"],
        ["11/20/2023", "Email", "Older Ltd", "Rejected", "45"],
    ],
    # a title row (header on row 2), real date/number/checkbox cells, an empty row
    "2024": [
        ["Pitches 2024"],
        HEADER,
        [dt.date(2024, 3, 1), "Upwork", "Société Générale", "Ghosted", "$55,000"],
        [dt.date(2024, 3, 15), "Email", "café Müller", "Hired", 12.5],
        [],
        [dt.date(2024, 4, 2), "LinkedIn", "Zoë & Co", "Rejected", ""],
        ["", "", "", False, ""],
    ],
    "Notes": [["Ideas"], ["pitch more"]],
}
SHEET_IDS = [0, GID_2024, 42]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Each test caches into its own folder and retries for one second at most."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("OUTREACH_ANALYTICS_RETRY_SECONDS", "1")
    monkeypatch.delenv("OUTREACH_ANALYTICS_OFFLINE", raising=False)


@pytest.fixture
def api():
    with fake.FakeSheetsAPI() as server:
        server.add_spreadsheet(KEY, "Outreach", SHEETS, sheet_ids=SHEET_IDS)
        yield server


@pytest.fixture
def client(api):
    return api.client()


def _gets(api) -> list[tuple[str, dict[str, list[str]]]]:
    assert all(r.method == "GET" for r in api.requests)
    return [(r.path, r.query) for r in api.requests]


def _check_2024(rep: oa.LoadReport) -> None:
    data = rep.data
    assert data["date"].tolist() == [
        pd.Timestamp(d) for d in ("2024-03-01", "2024-03-15", "2024-04-02")
    ]
    assert data["client"].tolist() == ["Société Générale", "café Müller", "Zoë & Co"]
    assert data["channel"].tolist() == ["Upwork", "Email", "LinkedIn"]
    assert data["result"].astype(str).tolist() == ["no_response", "won", "rejected"]
    assert data["value"].iloc[:2].tolist() == [55000.0, 12.5]
    assert np.isnan(data["value"].iloc[2])
    # title row 1, header row 2: data on rows 3, 4 and 6; row 5 empty, row 7 a checkbox
    assert data["source_row"].tolist() == [3, 4, 6]
    assert rep.blank_rows == [5, 7]
    assert rep.rows_read == 5
    assert "2024" in rep.source


# ------------------------------------------------------------------ picking the worksheet


def test_url_with_gid_0_reads_the_first_worksheet(api, client):
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
    rep = oa.load_report(url, client=client)
    assert rep.data["client"].tolist() == ["Old Co", "Older Ltd"]
    assert rep.data["date"].tolist() == [pd.Timestamp("2023-11-02"), pd.Timestamp("2023-11-20")]
    assert rep.data["value"].tolist() == [40.0, 45.0]
    assert rep.data["source_row"].tolist() == [2, 3]
    # what gspread asked for: the metadata once, then one batchGet of the tab's values,
    # formatted as the user sees them
    base = f"/v4/spreadsheets/{KEY}"
    assert _gets(api) == [
        (base, {"includeGridData": ["false"]}),
        (
            f"{base}/values:batchGet",
            {"valueRenderOption": ["FORMATTED_VALUE"], "ranges": ["'2023'"]},
        ),
    ]
    assert {r.url.split("/v4/")[0] for r in api.requests} == {"https://sheets.googleapis.com"}
    assert all("authorization" not in {k.lower() for k in r.headers} for r in api.requests)


def test_url_with_another_gid(api, client):
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit?usp=sharing#gid={GID_2024}"
    _check_2024(oa.load_report(url, client=client))
    assert _gets(api)[-1][1]["ranges"] == ["'2024'"]


def test_url_without_gid_reads_the_tab_most_like_a_log(api, client):
    # '2023' and '2024' both have a dated header of 5 known names; '2024' has more rows
    # (4 against 2), 'Notes' no known name
    rep = oa.load_report(f"https://docs.google.com/spreadsheets/d/{KEY}", client=client)
    _check_2024(rep)
    base = f"/v4/spreadsheets/{KEY}"
    heads = ["'2023'!1:50", "'2024'!1:50", "'Notes'!1:50"]
    assert _gets(api) == [
        (base, {"includeGridData": ["false"]}),
        (f"{base}/values:batchGet", {"valueRenderOption": ["FORMATTED_VALUE"], "ranges": heads}),
        (
            f"{base}/values:batchGet",
            {"valueRenderOption": ["FORMATTED_VALUE"], "ranges": ["'2024'"]},
        ),
    ]
    assert (
        "read sheet '2024' (its header has 5 recognised columns); other sheets: '2023', "
        "'Notes'. Use --sheet to read another." in rep.notes
    )


def test_worksheet_by_title_named_like_a_number(api, client):
    # "2024" is a title, not position 2024
    _check_2024(oa.load_report(f"gsheet:{KEY}", sheet="2024", client=client))
    assert _gets(api)[-1][1]["ranges"] == ["'2024'"]


def test_worksheet_title_from_a_cli_style_int(api, client):
    # the CLI turns --sheet 2024 into the int 2024
    _check_2024(oa.load_report(f"gsheet:{KEY}", sheet=2024, client=client))


@pytest.mark.parametrize("sheet", [1, "1"], ids=["int", "text"])
def test_worksheet_by_index(api, client, sheet):
    _check_2024(oa.load_report(f"gsheet:{KEY}", sheet=sheet, client=client))


def test_read_gsheet_raw_table(api, client):
    raw = read_gsheet(KEY, sheet=2, client=client)
    assert raw.name == f"Google Sheet {KEY} [Notes]"
    assert list(raw.frame.columns) == ["Ideas"]
    assert raw.frame["Ideas"].tolist() == ["pitch more"]
    assert raw.source_rows.tolist() == [2]
    raw = read_source(f"gsheet:{KEY}", sheet="2024", client=client)
    assert list(raw.frame.columns) == HEADER
    assert raw.source_rows.tolist() == [3, 4, 5, 6, 7]
    assert raw.frame["Date Sent"].tolist()[:2] == ["3/1/2024", "3/15/2024"]  # as the sheet shows
    assert raw.frame["Status"].tolist()[-1] == "FALSE"
    assert any("title row" in n for n in raw.notes)


# ------------------------------------------------------------------ choosing the tab

DASHBOARD = [["Outreach dashboard"], ["Pitches sent", 5], ["Replies", 4], ["Won", 1]]
LOG_HEADER = ["Date", "Channel", "Client", "Status"]
LOG = [
    LOG_HEADER,
    ["2026-03-02", "Upwork", "Acme", "Replied"],
    ["2026-03-03", "Email", "Bolt", "Ghosted"],
    ["2026-03-05", "LinkedIn", "Cobalt", "Hired"],
    ["2026-03-09", "Upwork", "Dune", "Rejected"],
    ["2026-03-12", "Email", "Echo", "Interview"],
]
GID_DASHBOARD, GID_LOG = 0, 555


@pytest.fixture
def board(api):
    """A spreadsheet whose first tab is a dashboard of label/number cells, the second the log."""
    api.add_spreadsheet(
        "BOARD", "Pitches", {"Dashboard": DASHBOARD, "Log": LOG}, sheet_ids=[GID_DASHBOARD, GID_LOG]
    )
    return api


def _batches(api) -> list[list[str]]:
    return [r.query["ranges"] for r in api.requests if r.path.endswith("values:batchGet")]


def test_the_log_tab_is_read_not_the_dashboard_before_it(board, client):
    rep = oa.load_report("gsheet:BOARD", client=client)
    # by hand: the Log's 5 rows (2 to 6), Upwork 2, Email 2, LinkedIn 1; one hire (Cobalt)
    assert rep.data["client"].tolist() == ["Acme", "Bolt", "Cobalt", "Dune", "Echo"]
    assert rep.data["source_row"].tolist() == [2, 3, 4, 5, 6]
    assert rep.data["channel"].value_counts().to_dict() == {"Upwork": 2, "Email": 2, "LinkedIn": 1}
    assert rep.data["result"].astype(str).tolist().count("won") == 1
    assert "[Log]" in rep.source
    assert (
        "read sheet 'Log' (its header has 4 recognised columns); other sheets: 'Dashboard'. "
        "Use --sheet to read another." in rep.notes
    )
    # one batchGet more than a named tab: the first 50 rows of each tab, then the Log
    assert _batches(board) == [["'Dashboard'!1:50", "'Log'!1:50"], ["'Log'"]]
    assert len(board.requests) == 3


def test_the_note_is_the_one_of_an_excel_workbook_with_the_same_sheets(board, client, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for ws, (title, rows) in zip(
        [wb.active, wb.create_sheet()], [("Dashboard", DASHBOARD), ("Log", LOG)], strict=True
    ):
        ws.title = title
        for r in rows:
            ws.append(r)
    wb.save(tmp_path / "pitches.xlsx")
    excel = read_source(tmp_path / "pitches.xlsx")
    sheet = read_gsheet("BOARD", client=client)
    assert excel.notes[0] == sheet.notes[1]  # the Sheet's first note says how it was signed in
    assert sheet.sheet == excel.sheet == "Log"
    assert sheet.name == "Google Sheet BOARD [Log]"


def test_a_named_worksheet_is_read_as_before(board, client):
    raw = read_gsheet("BOARD", sheet="Dashboard", client=client)
    assert raw.name == "Google Sheet BOARD [Dashboard]"
    assert not any("read sheet" in n for n in raw.notes)
    assert _batches(board) == [["'Dashboard'"]]
    # the dashboard is no log: the same error as before tabs were chosen
    with pytest.raises(oa.OutreachDataError, match=r"No column in .*\[Dashboard\].* date"):
        oa.load_report("gsheet:BOARD", sheet="Dashboard", client=client)


def test_a_gid_wins_over_the_choice(board, client):
    url = f"https://docs.google.com/spreadsheets/d/BOARD/edit#gid={GID_DASHBOARD}"
    raw = read_source(url, client=client)
    assert raw.name == "Google Sheet BOARD [Dashboard]"
    assert raw.sheet == "Dashboard" and "Pitches sent" in raw.frame.columns
    assert _batches(board) == [["'Dashboard'"]]


def test_a_hidden_backup_with_the_same_header_loses_to_the_log_in_view(api, client):
    backup = LOG + [["2026-03-13", "Email", f"Old {i}", "Sent"] for i in range(5)]  # longer
    api.add_spreadsheet("HIDDEN", "Pitches", {"Backup": backup, "Log": LOG}, hidden={"Backup"})
    assert (
        api.client()
        .open_by_key("HIDDEN")
        .fetch_sheet_metadata()["sheets"][0]["properties"]["hidden"]
    )
    raw = read_gsheet("HIDDEN", client=client)
    assert raw.sheet == "Log" and len(raw.frame) == 5
    api.add_spreadsheet("SHOWN", "Pitches", {"Backup": backup, "Log": LOG})
    assert read_gsheet("SHOWN", client=client).sheet == "Backup"  # in view, it would win


def test_a_single_tab_is_read_without_choosing(api, client):
    api.add_spreadsheet("ONE", "Pitches", {"Dashboard": DASHBOARD})
    raw = read_gsheet("ONE", client=client)
    assert raw.sheet == "Dashboard"
    assert _batches(api) == [["'Dashboard'"]]


def test_no_tab_with_a_header_lists_the_tabs(api, client):
    api.add_spreadsheet("BLANK", "Pitches", {"A": [], "B": []})
    with pytest.raises(
        oa.OutreachDataError,
        match=r"no header row.*Tabs of the Google Sheet 'Pitches': \['A', 'B'\]",
    ):
        read_gsheet("BLANK", client=client)


def test_offline_without_a_tab_gives_the_tab_chosen_online(board, client, monkeypatch, tmp_path):
    online = read_gsheet("BOARD", client=client)
    read_gsheet("BOARD", sheet="Dashboard", client=client)  # cached too; not the default
    board.clear_requests()
    monkeypatch.setenv("OUTREACH_ANALYTICS_OFFLINE", "1")
    offline = read_gsheet("BOARD", client=client)
    assert board.requests == []
    assert offline.sheet == "Log"
    pd.testing.assert_frame_equal(offline.frame, online.frame)
    assert online.notes[1] in offline.notes  # which tab, and why
    assert read_gsheet("BOARD", sheet="Dashboard", client=client).sheet == "Dashboard"
    # a copy cached without a record of the choice cannot say which tab: no copy, not another
    folder = next((tmp_path / "cache").rglob("BOARD"))
    (folder / "default.json").unlink()
    with pytest.raises(oa.OutreachDataError, match="No copy of the Google Sheet 'BOARD'"):
        read_gsheet("BOARD", client=client)


def test_outage_falls_back_to_the_tab_chosen_before(board, client):
    read_gsheet("BOARD", client=client)
    board.inject(fake.Fault(status=503, times=None))
    raw = read_gsheet("BOARD", client=client)
    assert raw.sheet == "Log"
    assert any("HTTP 503" in n and "using the copy cached" in n for n in raw.notes)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("sheet", ["2025", 2025, 7], ids=["title", "cli-int", "index"])
def test_missing_worksheet_lists_the_titles(api, client, sheet):
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(f"gsheet:{KEY}", sheet=sheet, client=client)
    err = info.value
    msg = str(err)
    assert f"'{sheet}'" in msg
    assert "['2023', '2024', 'Notes']" in msg
    assert "--worksheet" in msg
    assert "'Outreach'" in msg  # the spreadsheet's title
    assert isinstance(err, ValueError)  # what the CLI turns into exit code 2
    assert len(err.failure_cases) == 0


def test_missing_gid(api, client):
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=999"
    with pytest.raises(oa.OutreachDataError, match=r"gid=999.*\['2023', '2024', 'Notes'\]"):
        oa.load_report(url, client=client)


def test_unknown_key(api, client):
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report("gsheet:NO-SUCH-KEY", client=client)
    msg = str(info.value)
    assert "no spreadsheet with key 'NO-SUCH-KEY'" in msg and "404" in msg
    assert "check the key" in msg and "share the sheet" in msg
    assert _gets(api) == [("/v4/spreadsheets/NO-SUCH-KEY", {"includeGridData": ["false"]})]


def test_sheet_not_shared(api, client):
    api.add_spreadsheet("PRIVATE", "Secret", {"Sheet1": [HEADER]})
    api.forbid("PRIVATE")
    with pytest.raises(oa.OutreachDataError, match=r"403.*not shared with.*check the key"):
        oa.load_report("https://docs.google.com/spreadsheets/d/PRIVATE/edit", client=client)


def test_network_failure_is_a_data_error(api):
    client = api.client()
    api.stop()  # nothing listens any more
    with pytest.raises(
        oa.OutreachDataError, match="no connection.*No copy of this sheet is cached"
    ):
        oa.load_report(f"gsheet:{KEY}", client=client)


# ------------------------------------------------------------------ the fake itself


def test_fake_answers_gspread_like_the_api(api, client):
    book = client.open_by_key(KEY)
    assert book.title == "Outreach" and book.locale == "en_US"
    assert [w.title for w in book.worksheets()] == ["2023", "2024", "Notes"]
    assert [w.id for w in book.worksheets()] == SHEET_IDS
    assert book.sheet1.title == "2023"
    assert book.get_worksheet(2).title == "Notes"
    assert book.get_worksheet_by_id(GID_2024).title == "2024"
    assert book.worksheet("2024").row_count == 1000 and book.worksheet("2024").col_count == 26
    with pytest.raises(gspread.WorksheetNotFound):
        book.worksheet("nope")
    with pytest.raises(gspread.WorksheetNotFound):
        book.get_worksheet(3)
    ws = book.worksheet("2024")
    values = ws.get_all_values()
    assert values[0] == ["Pitches 2024", "", "", "", ""]  # gspread pads short rows
    assert values[4] == [""] * 5 and len(values) == 7
    assert values[2] == ["3/1/2024", "Upwork", "Société Générale", "Ghosted", "$55,000"]
    unformatted = ws.get_all_values(
        value_render_option=gspread.utils.ValueRenderOption.unformatted,
        date_time_render_option=gspread.utils.DateTimeOption.serial_number,
    )
    # Sheets' serial day 0 is 1899-12-30
    assert unformatted[2][0] == (dt.date(2024, 3, 1) - dt.date(1899, 12, 30)).days
    assert unformatted[3][4] == 12.5 and unformatted[6][3] is False
    assert api.requests[-1].query == {
        "valueRenderOption": ["UNFORMATTED_VALUE"],
        "dateTimeRenderOption": ["SERIAL_NUMBER"],
    }
    columns = ws.get_all_values(major_dimension=gspread.utils.Dimension.cols)
    assert columns[2][:4] == ["", "Client", "Société Générale", "café Müller"]
    batch = book.values_batch_get(["'2023'", "Notes"])
    assert batch["spreadsheetId"] == KEY
    assert [vr["values"] for vr in batch["valueRanges"]] == [SHEETS["2023"], SHEETS["Notes"]]
    assert [vr["range"] for vr in batch["valueRanges"]] == ["'2023'!A1:Z1000", "'Notes'!A1:Z1000"]
    assert api.requests[-1].path == f"/v4/spreadsheets/{KEY}/values:batchGet"
    assert api.requests[-1].query == {"ranges": ["'2023'", "Notes"]}
    with pytest.raises(gspread.exceptions.APIError, match="Unable to parse range"):
        book.values_get("'Nope'")


def test_fake_refuses_other_hosts(api):
    client = api.client()
    with pytest.raises(requests.ConnectionError, match="refusing to contact example.com"):
        client.http_client.request("get", "https://example.com/")


def test_fake_binds_loopback_and_stops():
    before = {t.ident for t in threading.enumerate()}
    server = fake.FakeSheetsAPI().start()
    host, port = server.base_url.removeprefix("http://").split(":")
    assert host == "127.0.0.1" and int(port) > 0
    server.add_spreadsheet("K", "T", {"S": [["a", "b"], ["1", "2"]]})
    assert server.client().open_by_key("K").sheet1.get_all_values() == [["a", "b"], ["1", "2"]]
    server.stop(timeout=10)
    assert {t.ident for t in threading.enumerate() if t.is_alive()} <= before
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex(("127.0.0.1", int(port))) != 0


# ------------------------------------------------------------------ cache and retries in process


def test_read_is_cached_and_offline_reads_it_back(api, client, tmp_path, monkeypatch):
    import os
    import stat

    first = read_gsheet(KEY, sheet="*", client=client)
    files = sorted((tmp_path / "cache").rglob("*"))
    parquet = [p for p in files if p.suffix == ".parquet"]
    assert sorted(p.stem for p in parquet) == sorted(str(i) for i in SHEET_IDS)
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in parquet)
    assert first.frame["tab"].unique().tolist() == ["2023", "2024"]  # "Notes" is unlike them
    assert any("skipped as unlike the others (other columns): 'Notes'" in n for n in first.notes)
    # rows keep their own tab's sheet row numbers: 2023 rows 2-3, 2024 rows 3-7
    assert first.source_rows.tolist() == [2, 3, 3, 4, 5, 6, 7]
    api.clear_requests()
    monkeypatch.setenv("OUTREACH_ANALYTICS_OFFLINE", "1")
    again = read_gsheet(KEY, sheet="*", client=client)
    assert api.requests == []
    pd.testing.assert_frame_equal(again.frame, first.frame)
    assert again.source_rows.tolist() == first.source_rows.tolist()
    assert any("read offline from the copy cached" in n for n in again.notes)
    one = read_gsheet(KEY, gid=GID_2024, client=client)
    assert one.frame["Client"].tolist()[:2] == ["Société Générale", "café Müller"]


def test_passed_in_client_is_retried(api, client):
    api.inject(fake.Fault(status=429, path="batchGet", times=1))
    api.inject(fake.Fault(status=500, path=r"/v4/spreadsheets/[^/]+$", times=1))
    _check_2024(oa.load_report(f"gsheet:{KEY}", sheet="2024", client=client))
    paths = [r.path for r in api.requests]
    assert paths.count(f"/v4/spreadsheets/{KEY}") == 2
    assert paths.count(f"/v4/spreadsheets/{KEY}/values:batchGet") == 2


def test_persistent_503_falls_back_to_the_cache(api, client):
    read_gsheet(KEY, sheet="2024", client=client)
    api.inject(fake.Fault(status=503, times=None))
    raw = read_gsheet(KEY, sheet="2024", client=client)
    assert raw.frame["Client"].tolist()[:2] == ["Société Générale", "café Müller"]
    assert any("HTTP 503" in n and "using the copy cached" in n for n in raw.notes)
    with pytest.raises(oa.OutreachDataError, match="HTTP 503.*No copy of this sheet is cached"):
        read_gsheet(KEY, sheet="2023", client=client)


def test_all_tabs_keep_the_tab_column_and_name_the_tab_in_problems(api, client):
    header = ["Date Sent", "Platform", "Client", "Status"]
    api.add_spreadsheet(
        "TABS",
        "Pitches",
        {
            "Feb": [header, ["2026-02-03", "Upwork", "Acme", "Replied"]],
            "March": [
                header,
                ["2026-03-02", "Upwork", "Cobalt", "Hired"],
                ["someday", "LinkedIn", "Dune", "Rejected"],  # row 3 of March
            ],
        },
    )
    with pytest.raises(oa.OutreachDataError) as err:
        oa.load_report("gsheet:TABS", client=client, sheet="*")
    assert "row 3 of tab 'March' ('someday')" in err.value.message
    failures = err.value.failure_cases
    assert failures[["row", "tab", "value"]].values.tolist() == [[3, "March", "someday"]]

    rep = oa.load_report("gsheet:TABS", client=client, sheet="*", skip_invalid=True)
    assert rep.data["client"].tolist() == ["Acme", "Cobalt"]
    assert rep.data["tab"].tolist() == ["Feb", "March"]
    assert rep.data["source_row"].tolist() == [2, 2]
    assert rep.skipped[["row", "tab"]].values.tolist() == [[3, "March"]]
    # summary --json names the tab of each skipped row too
    skipped = oa.summarize(rep, as_of="2026-03-31")["skipped"]
    assert [(s["row"], s["tab"], s["value"]) for s in skipped] == [(3, "March", "someday")]
    # one tab: no tab column, row numbers alone
    one = oa.load_report("gsheet:TABS", client=client, sheet="Feb")
    assert "tab" not in one.data.columns
