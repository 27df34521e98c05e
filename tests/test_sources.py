"""Reading logs from CSV files and Excel workbooks.

Every file is written byte for byte (or cell by cell with openpyxl) by the test itself,
so the expected values, and the sheet row number of every data row, are the ones the
test wrote, counted by hand: the header is row 1 unless a title row sits above it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import outreach_analytics as oa
from outreach_analytics.io.sniff import HEAD_BYTES
from outreach_analytics.io.sources import read_csv, read_excel, read_source

HEADER = ["Date Sent", "Platform", "Client", "Status", "Rate"]
ROWS = [
    ["2024-03-01", "Upwork", "Société Générale", "Ghosted", "50"],
    ["2024-03-02", "Email", "café Müller", "Rejected", "65"],
    ["2024-03-04", "LinkedIn", "Zoë & Co", "Hired", "80"],
]


def _csv(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    return "".join(delimiter.join(r) + newline for r in rows)


def _write(
    tmp_path: Path, data: str | bytes, name: str = "log.csv", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _cells(values: pd.Series) -> list[str | None]:
    """Cells as a list, every missing value as None."""
    return [None if pd.isna(v) else v for v in values]


def _kind(dtype) -> tuple:
    """A dtype without the categories themselves: padded rows keep the reader's dtypes."""
    if isinstance(dtype, pd.CategoricalDtype):
        return ("category", dtype.categories.dtype)
    return (dtype,)


def _days(*isodates: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(d) for d in isodates]


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf-8", "utf-8-bom", "cp1252"],
)
def test_encodings_keep_accented_client_names(tmp_path, encoding, prefix):
    path = _write(tmp_path, prefix + _csv([HEADER, *ROWS]).encode(encoding))
    raw = read_csv(path)
    assert list(raw.frame.columns) == HEADER  # no BOM glued to "Date Sent"
    rep = oa.load_report(path)
    assert rep.data["client"].tolist() == [r[2] for r in ROWS]
    assert rep.data["date"].tolist() == _days("2024-03-01", "2024-03-02", "2024-03-04")
    assert rep.data["source_row"].tolist() == [2, 3, 4]
    assert rep.data["result"].astype(str).tolist() == ["no_response", "rejected", "won"]
    assert any("1252" in n for n in raw.notes) == (encoding == "cp1252")


def test_cp1252_bytes_after_the_head_are_read(tmp_path):
    filler = ["2024-01-15", "Upwork", "Plain Client", "Ghosted", "40"]
    n_filler = HEAD_BYTES // len(_csv([filler])) + 100
    text = _csv([HEADER] + [filler] * n_filler)
    late = ["2024-02-01", "Email", "Société Générale", "Hired", "90"]
    data = text.encode("ascii") + _csv([late]).encode("cp1252")
    assert len(text) > HEAD_BYTES  # the head alone decodes as UTF-8
    data[:HEAD_BYTES].decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = _write(tmp_path, data)
    rep = oa.load_report(path)
    assert rep.rows_used == n_filler + 1
    last = rep.data.iloc[-1]
    assert last["client"] == "Société Générale"
    assert last["source_row"] == n_filler + 2
    assert last["date"] == pd.Timestamp("2024-02-01")
    assert any("1252" in n for n in rep.notes)


# ------------------------------------------------------------------ delimiters and numbers


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_delimiters(tmp_path, delimiter):
    path = _write(tmp_path, _csv([HEADER, *ROWS], delimiter), name="log.txt")
    raw = read_csv(path)
    assert raw.delimiter == delimiter
    assert list(raw.frame.columns) == HEADER
    rep = oa.load_report(path)
    assert rep.data["client"].tolist() == [r[2] for r in ROWS]
    assert rep.data["value"].tolist() == [50.0, 65.0, 80.0]


def test_decimal_commas_in_a_semicolon_file(tmp_path):
    rows = [
        ["2024-03-01", "Upwork", "A", "Ghosted", "12,5"],
        ["2024-03-02", "Upwork", "B", "Ghosted", "100"],
        ["2024-03-03", "Upwork", "C", "Ghosted", "80"],
        ["2024-03-04", "Upwork", "D", "Ghosted", "1.234,75"],
        ["2024-03-05", "Upwork", "E", "Ghosted", "90"],
    ]
    path = _write(tmp_path, _csv([HEADER, *rows], ";"))
    raw = read_csv(path)
    assert raw.delimiter == ";"
    assert raw.decimal_comma
    rep = oa.load_report(path)
    assert rep.data["value"].tolist() == [12.5, 100.0, 80.0, 1234.75, 90.0]


def test_semicolon_file_with_point_decimals_is_not_decimal_comma(tmp_path):
    rows = [
        ["2024-03-01", "Upwork", "A", "Ghosted", "12.5"],
        ["2024-03-02", "Upwork", "B", "Ghosted", "100"],
    ]
    path = _write(tmp_path, _csv([HEADER, *rows], ";"))
    assert not read_csv(path).decimal_comma
    assert oa.load_report(path).data["value"].tolist() == [12.5, 100.0]


def test_thousands_separators_in_quoted_comma_csv(tmp_path):
    text = (
        "Date Sent,Client,Status,Salary\n"
        '2024-03-01,Acme,Ghosted,"55,000"\n'
        '2024-03-02,Bolt,Rejected,"1,250.50"\n'
        "2024-03-03,Coda,Hired,900\n"
    )
    path = _write(tmp_path, text)
    raw = read_csv(path)
    assert raw.delimiter == ","
    assert not raw.decimal_comma
    assert raw.frame["Salary"].tolist() == ["55,000", "1,250.50", "900"]
    assert oa.load_report(path).data["value"].tolist() == [55000.0, 1250.5, 900.0]


# ------------------------------------------------------------------ layout and row numbers


@pytest.mark.parametrize(
    "title",
    ["Outreach log 2024", "Outreach log 2024,,,,", '"Outreach log, 2024",,,,'],
    ids=["bare", "padded", "quoted"],
)
def test_title_row_above_the_header(tmp_path, title):
    path = _write(tmp_path, title + "\n" + _csv([HEADER, *ROWS]))
    raw = read_csv(path)
    assert list(raw.frame.columns) == HEADER
    assert raw.source_rows.tolist() == [3, 4, 5]
    assert any("title row" in n for n in raw.notes)
    rep = oa.load_report(path)
    assert rep.data["source_row"].tolist() == [3, 4, 5]
    assert rep.data["client"].tolist() == [r[2] for r in ROWS]


def test_notion_style_export_bom_title_and_blank_line(tmp_path):
    # BOM, a title, an empty line, then the header on sheet row 3
    text = "\ufeffMy pitches\n\n" + _csv([HEADER, *ROWS])
    path = _write(tmp_path, text)
    raw = read_csv(path)
    assert list(raw.frame.columns) == HEADER
    assert raw.source_rows.tolist() == [4, 5, 6]
    assert oa.load_report(path).data["source_row"].tolist() == [4, 5, 6]


def test_header_names_with_stray_spaces(tmp_path):
    text = " Date Sent , Platform ,Client,  Status\t,Rate \n2024-03-01,Upwork,Acme,Hired,70\n"
    path = _write(tmp_path, text)
    raw = read_csv(path)
    assert list(raw.frame.columns) == HEADER
    rep = oa.load_report(path)
    assert rep.columns["date"] == ["Date Sent"]
    assert rep.data["stage"].astype(str).tolist() == ["won"]


def test_trailing_placeholder_rows_are_blank_rows(tmp_path):
    text = _csv(
        [
            HEADER,
            *ROWS[:2],
            [",,,,"],  # an empty row as exported
            ["5,,,,"],  # a row-number formula left below the data
            [",,,FALSE,"],  # an unticked checkbox
            ["N/A,,,,"],
            ["#N/A,,,,FALSE"],
        ]
    )
    path = _write(tmp_path, text)
    rep = oa.load_report(path)
    assert rep.data["source_row"].tolist() == [2, 3]
    assert rep.blank_rows == [4, 5, 6, 7, 8]
    assert len(rep.skipped) == 0
    assert rep.rows_read == 7 == rep.rows_used + rep.rows_blank


def test_empty_lines_in_the_middle_keep_row_numbers(tmp_path):
    text = _csv([HEADER, ROWS[0]]) + "\n" + _csv([ROWS[1]]) + "\n\n" + _csv([ROWS[2]])
    path = _write(tmp_path, text)
    raw = read_csv(path)
    assert raw.source_rows.tolist() == [2, 3, 4, 5, 6, 7]
    assert raw.frame["Client"].isna().tolist() == [False, True, False, True, True, False]
    rep = oa.load_report(path)
    assert rep.data["source_row"].tolist() == [2, 4, 7]
    assert rep.data["client"].tolist() == [r[2] for r in ROWS]
    assert rep.blank_rows == [3, 5, 6]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_quoted_cells_with_embedded_newlines(tmp_path, newline):
    nl = newline
    text = (
        f"Date Sent,Client,Status,Notes{nl}"
        f'2024-03-01,Acme,Ghosted,"first line{nl}second line"{nl}'
        f'2024-03-02,"Bolt{nl}Ltd",Rejected,plain{nl}'
        f"2024-03-03,Coda,Hired,{nl}"
    )
    path = _write(tmp_path, text)
    rep = oa.load_report(path)
    # a sheet row is a record, however many lines its cells span
    assert rep.data["source_row"].tolist() == [2, 3, 4]
    assert rep.data["notes"].tolist()[:2] == [f"first line{nl}second line", "plain"]
    assert rep.data["client"].tolist() == ["Acme", f"Bolt{nl}Ltd", "Coda"]
    assert pd.isna(rep.data["notes"].iloc[2])


def test_crlf_line_endings(tmp_path):
    path = _write(tmp_path, _csv([HEADER, *ROWS], newline="\r\n"))
    raw = read_csv(path)
    assert list(raw.frame.columns) == HEADER
    assert raw.frame["Rate"].tolist() == ["50", "65", "80"]  # no "\r" left on the last cell
    rep = oa.load_report(path)
    assert rep.data["value"].tolist() == [50.0, 65.0, 80.0]
    assert rep.data["source_row"].tolist() == [2, 3, 4]


def test_missing_cells_are_na_and_cells_are_text(tmp_path):
    path = _write(tmp_path, "Date Sent,Client,Rate\n2024-03-01,,007\n2024-03-02,Bolt,\n")
    raw = read_source(path)
    assert raw.frame["Client"].isna().tolist() == [True, False]
    assert raw.frame["Rate"].iloc[0] == "007"  # text as written, not a number
    assert pd.isna(raw.frame["Rate"].iloc[1])
    assert raw.name == "log.csv"


def test_rows_with_fewer_cells_than_the_header_are_padded(tmp_path):
    # Excel's CSV export drops the trailing delimiters of rows whose last cells were
    # never used; a lone "5" is a row-number placeholder below the data
    text = (
        "Log 2024\n"
        "Date Sent,Client,Status,Notes\n"
        '2024-03-01,Acme,Ghosted,"two\nlines"\n'
        "2024-03-02,Bolt\n"
        "2024-03-03,Coda,Hired,ok\n"
        "\n"
        "2024-03-04,Dune,Rejected\n"
        "5\n"
    )
    path = _write(tmp_path, text)
    raw = read_csv(path)
    assert raw.source_rows.tolist() == [3, 4, 5, 6, 7, 8]
    assert _cells(raw.frame["Client"])[:5] == ["Acme", "Bolt", "Coda", None, "Dune"]
    assert raw.frame["Date Sent"].tolist()[-1] == "5"
    assert raw.frame["Notes"].isna().tolist() == [False, True, False, True, True, True]
    regular = read_csv(
        _write(tmp_path, "Date Sent,Client,Status,Notes\n2024-01-01,A,B,C\n", "r.csv")
    )
    assert [_kind(d) for d in raw.frame.dtypes] == [_kind(d) for d in regular.frame.dtypes]
    rep = oa.load_report(path)
    assert rep.data["source_row"].tolist() == [3, 4, 5, 7]
    assert rep.data["client"].tolist() == ["Acme", "Bolt", "Coda", "Dune"]
    assert rep.blank_rows == [6, 8]


def test_select_reads_only_the_chosen_columns(tmp_path):
    text = _csv([HEADER, ROWS[0], ROWS[1][:2], ROWS[2]])  # the middle row is short
    path = _write(tmp_path, text)
    raw = read_csv(path, select=lambda header: [h for h in header if h in ("Client", "Date Sent")])
    assert list(raw.frame.columns) == ["Date Sent", "Client"]
    assert _cells(raw.frame["Client"]) == ["Société Générale", None, "Zoë & Co"]
    assert raw.source_rows.tolist() == [2, 3, 4]


# ------------------------------------------------------------------ errors


def test_row_with_more_cells_than_the_header(tmp_path):
    text = _csv([HEADER, ROWS[0], [*ROWS[1], "stray"], ROWS[2], [*ROWS[0], "x", "y"]])
    path = _write(tmp_path, text)
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(path)
    msg = str(info.value)
    assert "log.csv" in msg
    assert "has 6 cells but the header has 5" in msg and "has 7 cells" in msg
    assert "--skip-invalid" in msg
    assert info.value.failure_cases["row"].tolist() == [3, 5]  # both bad records
    # skipped and listed like any other bad row; the rows around them are used
    rep = oa.load_report(path, skip_invalid=True)
    assert rep.data["source_row"].tolist() == [2, 4]
    assert rep.skipped["row"].tolist() == [3, 5]
    assert rep.rows_read == rep.rows_used + rep.rows_skipped + rep.rows_blank == 4


def test_row_with_more_cells_after_a_title_and_multiline_cell(tmp_path):
    text = 'Log\nDate Sent,Client,Notes\n2024-03-01,A,"two\nlines"\n2024-03-02,B,ok,extra\n'
    path = _write(tmp_path, text)
    raw = read_csv(path)
    assert raw.bad_rows["row"].tolist() == [4]
    assert raw.source_rows.tolist() == [3]
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(path)
    assert info.value.failure_cases["row"].tolist() == [4]
    assert "row 4" in str(info.value)


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"])
def test_empty_file(tmp_path, data):
    path = _write(tmp_path, data)
    with pytest.raises(oa.OutreachDataError, match="is empty"):
        oa.load_report(path)


def test_header_only_file_has_no_rows(tmp_path):
    path = _write(tmp_path, _csv([HEADER]))
    raw = read_csv(path)
    assert list(raw.frame.columns) == HEADER
    assert len(raw.frame) == 0 and len(raw.source_rows) == 0


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(oa.OutreachDataError, match="No file at"):
        oa.load_report(tmp_path / "nope.csv")
    with pytest.raises(oa.OutreachDataError, match="is a folder"):
        oa.load_report(tmp_path)


# ------------------------------------------------------------------ Excel


def _workbook(path: Path) -> Path:
    """Two sheets: '2023' (header on row 1) and '2024' (title row, header on row 2)."""
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "2023"
    old.append(["Date Sent", "Platform", "Client", "Status", "Rate"])
    old.append([dt.date(2023, 11, 2), "Upwork", "Old Co", "Ghosted", 40])
    new = wb.create_sheet("2024")
    new.append(["Pitches 2024"])
    new.merge_cells("A1:E1")
    new.append(["Date Sent", "Platform", "Client", "Status", "Rate"])
    new.append([dt.datetime(2024, 3, 1), "Upwork", "Société Générale", "Ghosted", 12.5])
    new.append([dt.datetime(2024, 3, 5, 14, 30), "Email", "café Müller", "Hired", 55000])
    new.append([None, None, None, None, None])
    new.append([dt.date(2024, 4, 1), "LinkedIn", "Zoë & Co", "Rejected", None])
    new.append([None, None, None, False, None])  # an unticked checkbox below the data
    for cell in ("A3", "A4", "A6"):
        new[cell].number_format = "dd/mm/yyyy"
    wb.save(path)
    return path


@pytest.mark.parametrize("sheet", ["2024", 1, "1"], ids=["name", "index", "index-text"])
def test_excel_sheet_by_name_and_index(tmp_path, sheet):
    path = _workbook(tmp_path / "log.xlsx")
    rep = oa.load_report(path, sheet=sheet)
    assert rep.data["date"].tolist() == _days("2024-03-01", "2024-03-05", "2024-04-01")
    assert rep.data["client"].tolist() == ["Société Générale", "café Müller", "Zoë & Co"]
    assert rep.data["value"].iloc[:2].tolist() == [12.5, 55000.0]
    assert np.isnan(rep.data["value"].iloc[2])
    assert rep.data["source_row"].tolist() == [3, 4, 6]
    assert rep.blank_rows == [5, 7]
    assert "2024" in rep.source


def test_excel_sheet_named_like_a_number_wins_over_the_index(tmp_path):
    path = _workbook(tmp_path / "log.xlsx")
    rep = oa.load_report(path, sheet="2023")
    assert rep.data["client"].tolist() == ["Old Co"]
    assert rep.data["date"].tolist() == _days("2023-11-02")
    assert rep.data["source_row"].tolist() == [2]


def test_excel_cells_as_text(tmp_path):
    path = _workbook(tmp_path / "log.xlsx")
    raw = read_excel(path, sheet=0)
    assert raw.frame["Client"].tolist() == ["Old Co"]
    assert raw.frame["Date Sent"].tolist() == ["2023-11-02"]  # a date cell, written as ISO
    assert raw.frame["Rate"].tolist() == ["40"]
    assert raw.sheet == "2023" and raw.notes == []


def test_excel_default_sheet_is_the_log_with_more_rows(tmp_path):
    # both headers have the same 5 known names: the sheet with more rows is read, and named
    path = _workbook(tmp_path / "log.xlsx")
    raw = read_excel(path)
    assert raw.sheet == "2024" and raw.name == "log.xlsx [2024]"
    assert raw.frame["Client"].dropna().tolist() == ["Société Générale", "café Müller", "Zoë & Co"]
    assert raw.notes[0] == (
        "read sheet '2024' (its header has 5 recognised columns); other sheets: '2023'. "
        "Use --sheet to read another."
    )


def test_excel_missing_sheet_lists_the_sheets(tmp_path):
    path = _workbook(tmp_path / "log.xlsx")
    with pytest.raises(oa.OutreachDataError) as info:
        oa.load_report(path, sheet="2025")
    msg = str(info.value)
    assert "'2025'" in msg and "['2023', '2024']" in msg and "--sheet" in msg
    with pytest.raises(
        oa.OutreachDataError, match=r"sheet number 5 \(0-based\).*\['2023', '2024'\]"
    ):
        oa.load_report(path, sheet=5)


def test_excel_data_not_starting_at_a1(tmp_path):
    path = tmp_path / "offset.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"], ws["D3"] = "Date Sent", "Client", "Status"
    ws["B4"], ws["C4"], ws["D4"] = dt.date(2024, 5, 6), "Acme", "Ghosted"
    ws["B6"], ws["C6"], ws["D6"] = dt.date(2024, 5, 7), "Bolt", "Hired"
    wb.save(path)
    rep = oa.load_report(path)
    assert rep.data["source_row"].tolist() == [4, 6]
    assert rep.data["client"].tolist() == ["Acme", "Bolt"]
    assert rep.blank_rows == [5]


def test_not_an_excel_file(tmp_path):
    path = _write(tmp_path, b"this is not a zip", name="log.xlsx")
    with pytest.raises(oa.OutreachDataError, match="could not be opened as an Excel workbook"):
        oa.load_report(path)


def test_binary_file_is_a_user_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary\x00junk\n" * 20)
    with pytest.raises(oa.OutreachDataError, match=r"'log\.csv' is not a text file.*Fix: export"):
        oa.load_report(path)


def test_bytes_neither_utf8_nor_cp1252_are_a_user_error(tmp_path):
    path = tmp_path / "log.csv"
    # 0x90 is undefined in Windows-1252 and invalid alone in UTF-8
    path.write_bytes(b"Date,Client,Status\n2024-01-02,Caf\x90,Sent\n")
    with pytest.raises(oa.OutreachDataError, match=r"neither UTF-8 nor Windows-1252.*CSV UTF-8"):
        oa.load_report(path)
