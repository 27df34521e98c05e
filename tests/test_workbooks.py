"""Workbooks that hold more than the log: a dashboard and a pivot beside it, the log as an
Excel table away from A1 with a totals row, formulas with their saved values or without.

Every workbook is written by the test: with xlsxwriter, which saves each formula with the
value it is given, as Excel saves the value it computed; or with openpyxl, which saves
formulas without values. Counts are checked against the rows written out in ``LOG``,
counted by hand on the status ladder, never against the loader's own output.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.worksheet.table import Table, TableStyleInfo
from processes import run_cli

import outreach_analytics as oa
from outreach_analytics.io.sources import read_excel

AS_OF = "2024-06-01"
TODAY = dt.date(2024, 6, 1)
HEADER = ["Date", "Channel", "Type", "Client", "Status", "Rate"]
LOG = [  # sheet rows 4 to 9 of 'Log'; the Status of row 6 and every Rate are formulas
    (dt.date(2024, 3, 1), "Upwork", "Proposal", "Acme", "Ghosted", 40),
    (dt.date(2024, 3, 2), "Email", "Cold pitch", "Bolt", "Replied", 55),
    (dt.date(2024, 3, 4), "Upwork", "Proposal", "Cora", "Hired", 80),
    (dt.date(2024, 3, 5), "LinkedIn", "Cold pitch", "Dune", "Rejected", None),
    (dt.date(2024, 3, 7), "Email", "Cold pitch", "Echo", "Hired", 60),
    (dt.date(2024, 3, 8), "Upwork", "Proposal", "Fern", "Interview", 45),
]
#: how far each status word goes on the ladder sent < responded < interview < offer < won
LADDER = {"Ghosted": 1, "Replied": 2, "Rejected": 2, "Interview": 3, "Hired": 5}


def _dashboard_book(path: Path) -> Path:
    """'Dashboard' (formulas over the log), 'Log' (an Excel table at B3:G10 under a title,
    with a totals row and a note below it) and 'Pivot', in that order."""
    wb = xlsxwriter.Workbook(path)
    dash, log, pivot = (wb.add_worksheet(n) for n in ("Dashboard", "Log", "Pivot"))
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    dash.write(0, 0, "Outreach dashboard")
    dash.write(2, 0, "Sent")
    dash.write_formula(2, 1, "=COUNTA(Log!C4:C9)", None, len(LOG))
    dash.write(3, 0, "Won")
    won = sum(status == "Hired" for *_, status, _ in LOG)
    dash.write_formula(3, 1, '=COUNTIF(Log!F:F,"Hired")', None, won)
    log.write(0, 0, "Pitches 2024")
    columns = [{"header": h} for h in HEADER]
    columns[0]["total_string"] = "Total"
    columns[3]["total_function"] = "count"
    columns[5]["total_function"] = "sum"
    log.add_table("B3:G10", {"name": "Pitches", "total_row": True, "columns": columns})
    for i, (date, channel, kind, client, status, rate) in enumerate(LOG):
        r = 3 + i
        log.write_datetime(r, 1, dt.datetime.combine(date, dt.time()), day)
        log.write_row(r, 2, [channel, kind, client])
        if status == "Hired" and client == "Cora":
            log.write_formula(r, 5, '=IF(G6>50,"Hired","Ghosted")', None, status)
        else:
            log.write(r, 5, status)
        if rate is not None:
            log.write_formula(r, 6, f"={rate // 5}*5", None, rate)
    log.write(11, 1, "Rates are before fees")
    pivot.write_row(0, 0, ["Row Labels", "Count of Status"])
    counts = Counter(channel for _, channel, *_ in LOG)
    for i, (channel, n) in enumerate([*sorted(counts.items()), ("Grand Total", len(LOG))]):
        pivot.write_row(1 + i, 0, [channel, n])
    wb.close()
    return path


def _unsaved_book(path: Path) -> Path:
    """A log written by openpyxl with formulas: saved without their values."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Date", "Client", "Status", "Days waiting"])
    ws.append([dt.date(2024, 3, 1), "Acme", "Ghosted", "=TODAY()-A2"])
    ws.append([dt.date(2024, 3, 2), "Bolt", '=IF(TRUE,"Hired","")', "=TODAY()-A3"])
    ws.append([dt.date(2024, 3, 3), "Cora", "Replied", "=TODAY()-A4"])
    ws.append([None, None, '=IF(A5="","","Sent")', "=TODAY()-A5"])  # a template row
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return _dashboard_book(tmp_path_factory.mktemp("books") / "book.xlsx")


# ------------------------------------------------------------------ which sheet


def test_the_log_is_found_beside_a_dashboard_and_a_pivot(book):
    raw = read_excel(book)
    assert (raw.sheet, raw.name) == ("Log", "book.xlsx [Log]")
    assert list(raw.frame.columns) == HEADER  # no empty column A, no title row
    assert (raw.first_column, raw.source_rows.tolist()) == (2, [4, 5, 6, 7, 8, 9])
    assert raw.frame["Client"].tolist() == [client for _, _, _, client, _, _ in LOG]
    assert raw.notes[0] == (
        "read sheet 'Log' (its header has 6 recognised columns); other sheets: 'Dashboard', "
        "'Pivot'. Use --sheet to read another."
    )
    assert raw.notes[1].startswith("read the Excel table 'Pitches' (B3:G10); its totals row ")
    assert "(row 10) is not a log row; 1 row below it" in raw.notes[1]
    assert "was not read (row 12)" in raw.notes[1] and "Resize Table" in raw.notes[1]


def test_formulas_are_read_as_their_saved_values(book):
    raw = read_excel(book)
    assert raw.frame["Status"].tolist() == [status for *_, status, _ in LOG]
    rates = raw.frame["Rate"]
    assert rates.isna().tolist() == [rate is None for *_, rate in LOG]
    assert rates.dropna().tolist() == [str(rate) for *_, rate in LOG if rate is not None]
    assert raw.unsaved_formulas is None


def test_counts_match_the_rows_counted_by_hand(book):
    rep = oa.load_report(book)
    assert (rep.rows_read, rep.rows_used, rep.rows_skipped, rep.rows_blank) == (6, 6, 0, 0)
    s = oa.summarize(rep, as_of=AS_OF)["overall"]
    reached = [LADDER[status] for *_, status, _ in LOG]
    assert s["actions"] == len(LOG) == 6
    assert s["responses"] == sum(r >= 2 for r in reached) == 5
    assert s["interviews"] == sum(r >= 3 for r in reached) == 3
    assert s["wins"] == sum(r == 5 for r in reached) == 2
    by = {x["channel"]: x["actions"] for x in oa.summarize(rep, as_of=AS_OF)["by_channel"]}
    assert by == dict(Counter(channel for _, channel, *_ in LOG))
    assert sorted(rep.data["value"].dropna().tolist()) == [40.0, 45.0, 55.0, 60.0, 80.0]


def test_the_sheet_option_still_chooses(book):
    pivot = read_excel(book, sheet="Pivot")
    assert pivot.sheet == "Pivot" and list(pivot.frame.columns) == ["Row Labels", "Count of Status"]
    assert not any(n.startswith("read sheet") for n in pivot.notes)
    first = read_excel(book, sheet=0)
    assert first.sheet == "Dashboard"
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(book, sheet="Logs")
    assert str(info.value) == (
        "'book.xlsx' has no sheet named 'Logs'. Sheets in the workbook: ['Dashboard', 'Log', "
        "'Pivot']. Fix: pass --sheet with one of those names."
    )


def _openpyxl_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_equal_sheets_the_first_is_read(tmp_path):
    rows = [["Date", "Client", "Status"], ["2024-03-01", "Acme", "Sent"]]
    path = _openpyxl_book(tmp_path / "two.xlsx", {"March": rows, "April": rows})
    raw = read_excel(path)
    assert raw.sheet == "March" and "other sheets: 'April'" in raw.notes[0]


def test_a_list_of_drop_down_values_is_not_the_log(tmp_path):
    # more rows and as many known names, but no date: the values of the log's drop-downs
    lists = [["Status", "Source", "Type", "Notes"]] + [
        [f"s{i}", f"c{i}", "t", ""] for i in range(9)
    ]
    log = [["Date", "Company", "Status", "Notes"], ["2024-03-01", "Acme", "Sent", ""]]
    path = _openpyxl_book(tmp_path / "lists.xlsx", {"Lists": lists, "Log": log})
    assert read_excel(path).sheet == "Log"


def test_a_hidden_sheet_is_read_only_if_no_sheet_in_view_has_a_known_header(tmp_path):
    old = [["Date", "Client", "Status", "Channel"]] + [["2023-01-02", "A", "Sent", "x"]] * 9
    new = [["Date", "Client", "Status"], ["2024-03-01", "Acme", "Sent"]]
    path = _openpyxl_book(tmp_path / "hidden.xlsx", {"Backup": old, "Log": new})
    wb = openpyxl.load_workbook(path)
    wb["Backup"].sheet_state = "hidden"
    wb.save(path)
    assert read_excel(path).sheet == "Log"
    path = _openpyxl_book(tmp_path / "only.xlsx", {"Log": old, "Cover": [["My job hunt"]]})
    wb = openpyxl.load_workbook(path)
    wb.active = 1
    wb["Log"].sheet_state = "hidden"
    wb.save(path)
    assert read_excel(path).sheet == "Log"


def test_no_known_header_the_first_sheet_with_cells_is_read_and_said(tmp_path):
    sheets = {"Cover": [], "Data": [["Foo", "Bar"], ["1", "2"]], "More": [["x"]]}
    path = _openpyxl_book(tmp_path / "odd.xlsx", sheets)
    raw = read_excel(path)
    assert raw.sheet == "Data" and list(raw.frame.columns) == ["Foo", "Bar"]
    assert raw.notes[0] == (
        "read sheet 'Data' (the first sheet with cells; no sheet has a header of known "
        "column names); other sheets: 'Cover', 'More'. Use --sheet to read another."
    )


def test_a_workbook_of_empty_sheets_names_them(tmp_path):
    path = _openpyxl_book(tmp_path / "empty.xlsx", {"One": [], "Two": []})
    with pytest.raises(oa.OutreachDataError) as info:
        read_excel(path)
    assert "has no header row" in str(info.value)
    assert "Sheets in the workbook: ['One', 'Two']; pass --sheet" in str(info.value)


def test_a_chart_sheet_is_not_read(tmp_path):
    wb = xlsxwriter.Workbook(tmp_path / "chart.xlsx")
    chart_sheet, ws = wb.add_chartsheet("Chart"), wb.add_worksheet("Sheet")
    ws.write_row(0, 0, ["Date", "Status", "Rate"])
    ws.write_row(1, 0, ["2024-03-01", "Sent", 40])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Sheet!$C$2:$C$2"})
    chart_sheet.set_chart(chart)
    wb.close()
    assert read_excel(tmp_path / "chart.xlsx").sheet == "Sheet"
    with pytest.raises(oa.OutreachDataError, match=r"'Chart' .* is a chart sheet.*\['Sheet'\]"):
        read_excel(tmp_path / "chart.xlsx", sheet="Chart")


def test_a_log_right_of_an_empty_column_has_no_empty_column(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"] = "My pitches"
    for row, cells in enumerate([["Date", "Client", "Status"], ["2024-05-06", "Acme", "Sent"]]):
        for col, v in enumerate(cells):
            ws.cell(row=3 + row, column=3 + col, value=v)
    wb.save(tmp_path / "right.xlsx")
    raw = read_excel(tmp_path / "right.xlsx")
    assert list(raw.frame.columns) == ["Date", "Client", "Status"]
    assert (raw.first_column, raw.source_rows.tolist()) == (3, [4])


# ------------------------------------------------------------------ formulas without values


def test_formulas_saved_without_values_are_reported_where_they_are_read(tmp_path):
    path = _unsaved_book(tmp_path / "unsaved.xlsx")
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(path)
    failures = info.value.failure_cases
    assert failures["row"].tolist() == [3, 5]
    assert failures["column"].tolist() == ["Status", "Status"]
    assert failures["value"].tolist() == ['=IF(TRUE,"Hired","")', '=IF(A5="","","Sent")']
    assert "open the workbook in Excel or LibreOffice and save it" in failures["reason"][0]
    assert "row 3" in str(info.value) and "--skip-invalid" in str(info.value)
    rep = oa.load_report(path, skip_invalid=True)
    assert (rep.rows_read, rep.rows_used, rep.rows_skipped, rep.rows_blank) == (4, 2, 2, 0)
    assert rep.data["client"].tolist() == ["Acme", "Cora"]
    # the column not read is only noted: its formulas change no number
    assert "4 cell(s) of 'Days waiting' (not read) hold formulas saved without" in rep.notes[0]


def test_an_empty_text_saved_as_a_formulas_value_is_a_value(tmp_path):
    # Excel saves a formula giving "" as <c t="str"><f>..</f><v></v></c>: a value, empty
    wb = xlsxwriter.Workbook(tmp_path / "made.xlsx")
    ws = wb.add_worksheet("Log")
    ws.write_row(0, 0, ["Date", "Client", "Status"])
    ws.write_row(1, 0, ["2024-03-01", "Acme"])
    ws.write_formula(1, 2, '=IF(FALSE,"Sent","")', None, "EMPTY")
    wb.close()
    path = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(tmp_path / "made.xlsx") as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b't="str"><f>' in data
                data = data.replace(b"<v>EMPTY</v>", b"<v></v>")
            out.writestr(item, data)
    raw = read_excel(path)
    assert raw.unsaved_formulas is None and raw.frame["Status"].isna().all()


# ------------------------------------------------------------------ writing into the table


def _table_book(path: Path, below: list | None = None) -> Path:
    """'Summary' first; 'Log' an Excel table at B2:E4 (header, two rows, a totals row)."""
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb.active.append(["Applications", 2])
    ws = wb.create_sheet("Log")
    for r, cells in enumerate(
        [
            ["Date", "Channel", "Client", "Status"],
            [dt.datetime(2024, 3, 1), "Upwork", "Acme", "Ghosted"],
            [dt.datetime(2024, 3, 2), "Email", "Bolt", "Replied"],
            ["Total", None, "=SUBTOTAL(103,Log[Client])", None],
        ]
    ):
        for c, v in enumerate(cells):
            ws.cell(row=2 + r, column=2 + c, value=v)
    table = Table(displayName="Log", ref="B2:E5", totalsRowCount=1)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2")
    ws.add_table(table)
    if below:
        for c, v in enumerate(below):
            ws.cell(row=6, column=2 + c, value=v)
    wb.save(path)
    return path


def test_a_new_row_joins_the_excel_table_above_its_totals_row(tmp_path):
    path = _table_book(tmp_path / "table.xlsx")
    done = oa.log_action(path, channel="LinkedIn", client="Cora", status="replied", today=TODAY)
    assert done.row == 5
    ws = openpyxl.load_workbook(path)["Log"]
    assert [c.value for c in ws[5]][1:5] == [dt.datetime(2024, 6, 1), "LinkedIn", "Cora", "Replied"]
    assert ws["A5"].value is None  # not shifted into column A
    assert ws["B6"].value == "Total" and ws["D6"].value == "=SUBTOTAL(103,Log[Client])"
    assert ws.tables["Log"].ref == "B2:E6"
    rep = oa.load_report(path)
    assert rep.data["client"].tolist() == ["Acme", "Bolt", "Cora"]
    assert rep.source == "table.xlsx [Log]"


def test_a_table_with_cells_right_below_it_is_not_written(tmp_path):
    path = _table_book(tmp_path / "table.xlsx", below=["see the notes sheet"])
    before = path.read_bytes()
    with pytest.raises(oa.OutreachDataError, match=r"row 6 just below it is not empty"):
        oa.log_action(path, channel="LinkedIn", client="Cora", today=TODAY)
    assert path.read_bytes() == before


def test_a_log_right_of_an_empty_column_is_written_where_it_is(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"], ws["C1"], ws["D1"] = "Date", "Client", "Status"
    ws["B2"], ws["C2"], ws["D2"] = "2024-03-01", "Acme", "Ghosted"
    wb.save(tmp_path / "right.xlsx")
    oa.log_action(tmp_path / "right.xlsx", client="Bolt", status="replied", today=TODAY)
    ws = openpyxl.load_workbook(tmp_path / "right.xlsx").active
    assert [c.value for c in ws[3]] == [None, "2024-06-01", "Bolt", "Replied"]


# ------------------------------------------------------------------ the command line


@pytest.fixture(scope="module")
def runs(book) -> dict[str, subprocess.CompletedProcess]:
    folder = book.parent
    _unsaved_book(folder / "unsaved.xlsx")
    shutil.copy(book, folder / "logged.xlsx")  # book.xlsx stays as it is for the others
    commands = {
        "inspect": ["inspect", "book.xlsx"],
        "summary": ["summary", "book.xlsx", "--as-of", AS_OF],
        "missing": ["inspect", "book.xlsx", "--sheet", "Logs"],
        "unsaved": ["summary", "unsaved.xlsx", "--as-of", AS_OF],
        "log": ["log", "logged.xlsx", "--client", "Dune", "--date", "2024-06-01"],
    }
    return run_cli(commands, folder)


def test_cli_inspect_and_summary_name_the_sheet(runs):
    inspect, summary = runs["inspect"], runs["summary"]
    assert inspect.returncode == 0, inspect.stderr
    assert inspect.stdout.startswith("book.xlsx [Log]: 6 rows read, 6 used")
    assert "read sheet 'Log' (its header has 6 recognised columns)" in inspect.stdout
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.startswith("book.xlsx [Log]: 6 rows read, 6 used")
    assert "read sheet 'Log'" in summary.stdout


def test_cli_user_errors_exit_2_without_a_traceback(runs):
    missing, unsaved = runs["missing"], runs["unsaved"]
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "has no sheet named 'Logs'" in missing.stderr
    assert unsaved.returncode == 2 and "Traceback" not in unsaved.stderr
    assert "row 3" in unsaved.stderr and "LibreOffice" in unsaved.stderr


def test_writing_to_a_workbook_with_formulas_says_their_values_are_gone(book, tmp_path):
    """openpyxl saves a workbook's formulas without the values they last computed: the write
    says so, with the fix, and a workbook without formulas gets no such note."""
    copy = shutil.copy(book, tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(copy)
    formulas = sum(
        isinstance(c.value, str) and c.value.startswith("=")
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
    )
    assert formulas > 0
    done = oa.log_action(copy, client="Dune", status="sent", today=TODAY)
    (note,) = done.notes
    assert note.startswith(f"{formulas} formula cell(s) of 'book.xlsx' were saved without")
    assert "Fix: open the workbook" in note
    plain = openpyxl.Workbook()
    plain.active.append(["Date", "Client", "Status"])
    plain.active.append([dt.date(2024, 3, 1), "Acme", "Ghosted"])
    plain.save(tmp_path / "plain.xlsx")
    assert oa.log_action(tmp_path / "plain.xlsx", client="Bolt", today=TODAY).notes == ()


def test_cli_log_to_a_workbook_names_the_sheet_and_the_formulas(runs):
    log = runs["log"]
    assert log.returncode == 0, log.stderr
    first, note = log.stdout.splitlines()
    assert first.startswith("logged.xlsx [Log]: logged as row ") and "Dune" in first
    assert note.startswith("note: ") and "formula cell(s) of 'logged.xlsx'" in note
