"""Writing actions back: CSV byte for byte, Excel through openpyxl, Sheets through gspread.

Expected bytes and cells are written out by hand in each test; the log is then loaded
back with the loader to check that what was written counts as intended.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font, PatternFill

import outreach_analytics as oa
from outreach_analytics.errors import OutreachDataError
from outreach_analytics.io.write_targets import _replace_atomically

sys.path.insert(0, str(Path(__file__).parent))
from fake_sheets_api import FakeSheetsAPI, RecordedWrite  # noqa: E402

DAY = dt.date(2024, 3, 20)
CLI = [sys.executable, "-m", "outreach_analytics"]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------- CSV: appended bytes


CSV_CASES = {
    "utf8-bom-crlf": (
        "\ufeffDate,Channel,Type,Client,Status,Notes\r\n"
        "2024-03-14,Upwork,Proposal,Café Olé,Ghosted,\r\n".encode(),
        {"channel": "LinkedIn", "pitch_type": "Cold pitch", "client": "Zoë", "note": "hi, there"},
        "no reply",
        '2024-03-20,LinkedIn,Cold pitch,Zoë,Ghosted,"hi, there"\r\n'.encode(),
    ),
    "cp1252-semicolon-lf": (
        "Date;Platform;Company;Status\n14/03/2024;Malt;Société;Rejected\n".encode("cp1252"),
        {"channel": "Malt", "client": "Crème €"},
        "rejected",
        "20/03/2024;Malt;Crème €;Rejected\n".encode("cp1252"),
    ),
    "quoted-crlf": (
        b'"Date","Channel","Client","Status"\r\n"2024-03-14","Upwork","Acme","Sent"\r\n',
        {"channel": "Email", "client": 'Beta "B" Ltd'},
        None,  # a new action gets the log's own word for "sent, no answer yet"
        b'"2024-03-20","Email","Beta ""B"" Ltd","Sent"\r\n',
    ),
    "utf8-lf-month-first": (
        b"Date,Source,Company,Outcome\n3/14/2024,Upwork,Acme,Interviewing\n"
        b"3/15/2024,Upwork,Acme 2,Ghosted\n",
        {"channel": "Upwork", "client": "Gamma"},
        "interview",
        b"3/20/2024,Upwork,Gamma,Interviewing\n",
    ),
    "tab": (
        b"Date\tChannel\tClient\r\n2024-03-14\tUpwork\tAcme\r\n",
        {"channel": "Upwork", "client": "=cmd|' /C calc'!A0"},
        None,
        b"2024-03-20\tUpwork\t=cmd|' /C calc'!A0\r\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_csv_append_keeps_every_byte_and_adds_one_line(tmp_path, case):
    before, fields, status, line = CSV_CASES[case]
    p = _write(tmp_path, "log.csv", before)
    done = oa.log_action(p, status=status, today=DAY, **fields)
    after = p.read_bytes()
    assert after == before + line
    assert done.appended and done.row == 3 + (case == "utf8-lf-month-first")
    df = oa.load(p)  # the new row loads back as the day asked, in the log's own format
    assert df["date"].iloc[-1] == dt.datetime(2024, 3, 20)
    assert df["client"].iloc[-1] == fields["client"]


def test_csv_without_final_newline_gets_one_before_the_new_line(tmp_path):
    p = _write(tmp_path, "log.csv", b"Date,Client\n2024-03-14,Acme")
    oa.log_action(p, client="Beta", today=DAY)
    assert p.read_bytes() == b"Date,Client\n2024-03-14,Acme\n2024-03-20,Beta\n"


def test_csv_trailing_blank_line_is_kept_and_counted(tmp_path):
    before = b"Date,Client\n2024-03-01,Acme\n\n"
    p = _write(tmp_path, "log.csv", before)
    assert oa.log_action(p, client="B", today=DAY).row == 4
    assert p.read_bytes() == before + b"2024-03-20,B\n"
    report = oa.load_report(p)
    assert report.blank_rows == [3] and report.data["source_row"].tolist() == [2, 4]


def test_csv_title_row_and_date_option(tmp_path):
    before = b"My pitches 2024\r\nDate,Channel,Client\r\n2024-03-14,Upwork,Acme\r\n"
    p = _write(tmp_path, "log.csv", before)
    done = oa.log_action(p, channel="Upwork", client="B", date="2024-03-01")
    assert p.read_bytes() == before + b"2024-03-01,Upwork,B\r\n"
    assert done.row == 4


def test_csv_row_update_changes_only_that_cell(tmp_path):
    lines = [
        b"Date,Channel,Client,Status,Response Date,Notes\r\n",
        b'2024-03-01,Upwork,"Acme, Inc",Sent,,"two\r\nlines"\r\n',
        b"2024-03-02,Upwork,Beta,Sent,,\r\n",
        b"2024-03-03,LinkedIn,Gamma,Replied,2024-03-04,\r\n",
    ]
    p = _write(tmp_path, "log.csv", b"".join(lines))
    done = oa.log_action(p, row=3, status="replied", date="2024-03-09")
    assert not done.appended and done.row == 3
    assert done.values == {"Status": "Replied", "Response Date": "2024-03-09"}
    expected = lines[:2] + [b"2024-03-02,Upwork,Beta,Replied,2024-03-09,\r\n"] + lines[3:]
    assert p.read_bytes() == b"".join(expected)
    df = oa.load(p)
    assert df["stage"].astype(str).tolist() == ["sent", "responded", "responded"]
    # a row whose record spans two lines (a quoted newline) is row 2 as the sheet shows it
    oa.log_action(p, row=2, status="ghosted")
    assert p.read_bytes().split(b"\r\n")[1] == b'2024-03-01,Upwork,"Acme, Inc",Ghosted,,"two'
    assert p.read_bytes().split(b"\r\n")[2:] == b"".join(expected).split(b"\r\n")[2:]
    assert oa.load(p)["result"].astype(str).tolist()[0] == "no_response"


def test_csv_row_update_pads_a_short_row(tmp_path):
    p = _write(tmp_path, "log.csv", b"Date,Client,Status,Notes\n2024-03-01,Acme\n")
    oa.log_action(p, row=2, status="rejected", note="=1+1")
    # no status word in the log yet: the word asked, capitalised as in a new log
    assert p.read_bytes() == b"Date,Client,Status,Notes\n2024-03-01,Acme,Rejected,=1+1\n"


def test_status_words_are_the_logs_own(tmp_path):
    p = _write(
        tmp_path,
        "log.csv",
        b"Date,Company,Stage\n2024-03-01,A,No project for now\n2024-03-02,B,Interviewing\n"
        b"2024-03-03,C,interviewing\n",
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text('[statuses]\n"No project for now" = "rejected"\n')
    assert oa.log_action(p, client="D", status="rejected", mapping=mapping, today=DAY).values[
        "Stage"
    ] == ("No project for now")
    # the commonest spelling of the log's word for an interview ("Interviewing" once,
    # "interviewing" once: the first seen among equals)
    done = oa.log_action(p, client="E", status="interviewed", mapping=mapping, today=DAY)
    assert done.values["Stage"] in ("Interviewing", "interviewing")
    # a word of the log's own is written as the log spells it, even if another word
    # of the same meaning is commoner
    done = oa.log_action(p, client="G", status="NO PROJECT FOR NOW", mapping=mapping, today=DAY)
    assert done.values["Stage"] == "No project for now"
    # a word the log does not use yet is written as asked, capitalised like the log's words
    done = oa.log_action(p, client="F", status="hired", mapping=mapping, today=DAY)
    assert done.values["Stage"] == "Hired"
    df = oa.load(p, mapping=mapping)
    assert df["result"].astype(str).tolist()[-4:] == ["rejected", "open", "rejected", "won"]


# ---------------------------------------------------------------- user errors, nothing written


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"status": "rejectd"}, ["'rejectd'", "rejected", "--mapping"]),
        ({"note": "x"}, ["--note", "no column for notes", "--column notes="]),
        ({"row": 1, "status": "replied"}, ["Row 1", "header is row 1", "rows 2 to 2"]),
        ({"row": 9, "status": "replied"}, ["Row 9", "rows 2 to 2"]),
        ({"date": "31/31/2024"}, ["--date '31/31/2024'", "YYYY-MM-DD"]),
        ({"row": 2}, ["Nothing to record", "--status replied"]),
        ({"row": 2, "date": "2024-03-05"}, ["Nothing to record", "--date alone"]),
        ({"column": {"channel": "Where"}}, ["'Where'", "not in the log"]),
    ],
)
def test_user_errors_write_nothing(tmp_path, kwargs, words):
    before = b"Date,Channel,Status\n2024-03-01,Upwork,Sent\n"
    p = _write(tmp_path, "log.csv", before)
    if "column" in kwargs:
        kwargs = {"columns": kwargs.pop("column"), **kwargs}
    with pytest.raises(OutreachDataError) as err:
        oa.log_action(p, today=DAY, **kwargs)
    for w in words:
        assert w in err.value.message
    assert "\n" not in err.value.message
    assert p.read_bytes() == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["log.csv"]


def test_cp1252_log_refuses_a_character_it_cannot_hold(tmp_path):
    before = "Date;Client\n14/03/2024;Société\n".encode("cp1252")
    p = _write(tmp_path, "log.csv", before)
    with pytest.raises(OutreachDataError, match="Windows-1252"):
        oa.log_action(p, client="東京", today=DAY)
    assert p.read_bytes() == before
    assert [x.name for x in tmp_path.iterdir()] == ["log.csv"]


def test_read_only_folder_or_file_leaves_the_log_intact(tmp_path):
    before = b"Date,Client\n2024-03-01,Acme\n"
    folder = tmp_path / "ro"
    folder.mkdir()
    p = _write(folder, "log.csv", before)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(OutreachDataError, match="folder .* is not writable"):
            oa.log_action(p, client="B", today=DAY)
    finally:
        folder.chmod(0o755)
    assert p.read_bytes() == before
    p.chmod(0o444)
    with pytest.raises(OutreachDataError, match="read-only"):
        oa.log_action(p, client="B", today=DAY)
    assert p.read_bytes() == before


def test_disk_refusing_the_write_leaves_the_log_intact_even_for_root(tmp_path):
    """The real CLI, its file size limited (RLIMIT_FSIZE binds root too): the new copy
    cannot be written, the log stays as it was, no temporary file is left, exit 2."""
    import resource
    import signal

    before = b"Date,Client,Notes\n2024-03-01,Acme,\n"
    p = _write(tmp_path, "log.csv", before)

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before), len(before)))

    r = subprocess.run(
        [*CLI, "log", str(p), "--client", "Beta", "--note", "x" * 200, "--date", "2024-03-05"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=limit_file_size,
    )
    assert r.returncode == 2, (r.stdout, r.stderr)
    text = " ".join(r.stderr.split())
    assert "Could not write 'log.csv' (File too large); the log is unchanged" in text, text
    assert "Traceback" not in r.stderr
    assert p.read_bytes() == before
    assert [x.name for x in tmp_path.iterdir()] == ["log.csv"]


def test_a_failure_in_the_middle_of_a_write_leaves_the_original(tmp_path):
    before = b"Date,Client\n2024-03-01,Acme\n"
    p = _write(tmp_path, "log.csv", before)

    def half_then_fail(fh):
        fh.write(b"Date,Cli")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutreachDataError, match="No space left on device.*unchanged"):
        _replace_atomically(p, half_then_fail)
    assert p.read_bytes() == before
    assert [x.name for x in tmp_path.iterdir()] == ["log.csv"]


def test_file_open_in_a_spreadsheet_program_is_refused(tmp_path):
    before = b"Date,Client\n2024-03-01,Acme\n"
    p = _write(tmp_path, "log.csv", before)
    (tmp_path / ".~lock.log.csv#").write_text("someone,host,2024")
    with pytest.raises(OutreachDataError, match="open in a spreadsheet program"):
        oa.log_action(p, client="B", today=DAY)
    assert p.read_bytes() == before


def test_file_mode_is_kept(tmp_path):
    p = _write(tmp_path, "log.csv", b"Date,Client\n2024-03-01,Acme\n")
    p.chmod(0o640)
    oa.log_action(p, client="B", today=DAY)
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


# ---------------------------------------------------------------- Excel


def _workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024"
    ws.append(["Date", "Platform", "Company", "Status", "Notes"])
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.append([dt.datetime(2024, 3, 14), "Upwork", "Acme", "Ghosted", None])
    ws["A2"].number_format = "dd/mm/yyyy"
    ws["C2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.freeze_panes = "A2"
    other = wb.create_sheet("Rates")
    other.append(["Client", "Rate"])
    other.append(["Acme", 55])
    other["B2"].number_format = "0.00"
    other["C2"] = "=B2*8"
    wb.save(path)


def test_excel_append_keeps_other_sheets_and_formatting(tmp_path):
    p = tmp_path / "log.xlsx"
    _workbook(p)
    done = oa.log_action(
        p,
        channel="LinkedIn",
        client="Beta",
        status="no response",
        note='=HYPERLINK("http://x","y")',
        today=DAY,
    )
    assert done.row == 3
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["2024", "Rates"]
    ws = wb["2024"]
    assert [c.value for c in ws[3]] == [
        dt.datetime(2024, 3, 20),
        "LinkedIn",
        "Beta",
        "Ghosted",
        '=HYPERLINK("http://x","y")',
    ]
    assert ws["E3"].data_type == "s"  # text, not a formula
    assert ws["A3"].number_format == "dd/mm/yyyy"  # the format of the row above
    assert ws["C3"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws["A2"].number_format == "dd/mm/yyyy"
    rates = wb["Rates"]
    assert [[c.value for c in r] for r in rates.iter_rows()] == [
        ["Client", "Rate", None],
        ["Acme", 55, "=B2*8"],  # formulas elsewhere stay formulas
    ]
    assert rates["B2"].number_format == "0.00"
    df = oa.load(p)
    assert df["result"].astype(str).tolist() == ["no_response", "no_response"]
    assert df["notes"].iloc[-1] == '=HYPERLINK("http://x","y")'


def test_excel_row_update_and_sheet_option(tmp_path):
    p = tmp_path / "log.xlsx"
    _workbook(p)
    oa.log_action(p, row=2, status="interview", sheet="2024")
    ws = openpyxl.load_workbook(p)["2024"]
    assert ws["D2"].value == "Interview"
    assert ws["A2"].value == dt.datetime(2024, 3, 14)
    with pytest.raises(OutreachDataError, match="no sheet named 'Nope'"):
        oa.log_action(p, row=2, status="replied", sheet="Nope")


def test_excel_read_only_workbook_unchanged(tmp_path):
    p = tmp_path / "log.xlsx"
    _workbook(p)
    before = p.read_bytes()
    p.chmod(0o444)
    with pytest.raises(OutreachDataError, match="read-only"):
        oa.log_action(p, client="B", today=DAY)
    assert p.read_bytes() == before


# ---------------------------------------------------------------- the real CLI


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_log_csv_and_excel_then_summary(tmp_path):
    p = _write(tmp_path, "log.csv", b"Date,Channel,Type,Client,Status\n")
    for args in (
        ["--channel", "Upwork", "--type", "Proposal", "--client", "A", "--date", "2024-03-01"],
        ["--channel", "Upwork", "--type", "Proposal", "--client", "B", "--date", "2024-03-02"],
        ["--channel", "Email", "--type", "Cold pitch", "--client", "C", "--date", "2024-03-03"],
    ):
        r = _run("log", str(p), *args, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert "logged as row" in r.stdout
    r = _run("log", str(p), "--row", "3", "--status", "hired", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "updated row 3 (Status: Hired)" in r.stdout
    r = _run("summary", str(p), "--json", "--as-of", "2024-06-01", cwd=tmp_path)
    s = json.loads(r.stdout)
    # by hand: 3 actions, row 3 (client B) hired, the two others never answered
    assert (s["overall"]["actions"], s["overall"]["wins"], s["overall"]["responses"]) == (3, 1, 1)
    by = {x["channel"]: x["actions"] for x in s["by_channel"]}
    assert by == {"Upwork": 2, "Email": 1}

    x = tmp_path / "log.xlsx"
    assert _run("init-log", str(x), cwd=tmp_path).returncode == 0
    r = _run(
        "log", str(x), "--channel", "Upwork", "--client", "A", "--status", "replied", cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(x)["Log"]
    assert ws["A2"].value == dt.datetime.combine(dt.date.today(), dt.time())
    assert ws["E2"].value == "Replied"


def test_cli_user_error_is_one_paragraph_exit_2(tmp_path):
    before = b"Date,Channel,Status\n2024-03-01,Upwork,Sent\n"
    p = _write(tmp_path, "log.csv", before)
    r = _run("log", str(p), "--row", "2", "--status", "ghostd", cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "'ghostd'" in r.stderr and "ghosted" in r.stderr
    r = _run("log", str(p), "--row", "7", "--status", "replied", cwd=tmp_path)
    assert r.returncode == 2 and "Row 7" in r.stderr
    assert p.read_bytes() == before


# ---------------------------------------------------------------- Google Sheets, real gspread


@pytest.fixture
def api():
    with FakeSheetsAPI() as server:
        yield server


def _writes(api) -> list[RecordedWrite]:
    return [r for r in api.requests if isinstance(r, RecordedWrite)]


def test_sheet_append_is_raw_in_the_users_columns_and_words(api):
    api.add_spreadsheet(
        "KEY1",
        "Job hunt",
        {
            "Applications": [
                ["Date applied", "Job Source", "Company", "Response?", "Notes"],
                ["3/14/2024", "LinkedIn", "Acme", "Ghosted", ""],
                ["3/15/2024", "Indeed", "Beta", "Interviewing", "call Tue"],
            ]
        },
    )
    client = api.client()
    done = oa.log_action(
        "https://docs.google.com/spreadsheets/d/KEY1/edit#gid=0",
        channel="Indeed",
        client="Gamma",
        status="interview",
        note="@mention +1 -2 =3",
        today=DAY,
        gspread_client=client,
    )
    assert done.row == 4
    (append,) = _writes(api)
    assert append.method == "POST" and append.path.endswith(":append")
    assert append.query["valueInputOption"] == ["RAW"]
    assert append.body == {
        "values": [["3/20/2024", "Indeed", "Gamma", "Interviewing", "@mention +1 -2 =3"]]
    }
    assert not any("access_token" in r.url for r in api.requests)
    # one metadata call, the values as shown and unformatted (are dates real dates?), the append
    assert [(r.method, r.path) for r in api.requests] == [
        ("GET", "/v4/spreadsheets/KEY1"),
        ("GET", "/v4/spreadsheets/KEY1/values/'Applications'"),
        ("GET", "/v4/spreadsheets/KEY1/values/'Applications'"),
        ("POST", "/v4/spreadsheets/KEY1/values/'Applications'!A1:E1:append"),
    ]
    rows = client.open_by_key("KEY1").sheet1.get_all_values()
    assert rows[-1] == ["3/20/2024", "Indeed", "Gamma", "Interviewing", "@mention +1 -2 =3"]


def test_sheet_row_update_is_one_raw_batch_update(api):
    api.add_spreadsheet(
        "KEY2",
        "Pitches",
        {
            "Log": [
                ["Date", "Channel", "Client", "Status", "Reply date"],
                [45365, "Upwork", "Acme", "", ""],
                [45366, "Upwork", "Beta", "", ""],
            ]
        },
    )
    client = api.client()
    oa.log_action("gsheet:KEY2", row=3, status="replied", date="2024-03-18", gspread_client=client)
    (update,) = _writes(api)
    assert update.path == "/v4/spreadsheets/KEY2/values:batchUpdate"
    assert update.body == {
        "valueInputOption": "RAW",
        "data": [
            {"range": "'Log'!D3", "values": [["Replied"]]},
            # the date column holds real dates (numbers), so a real date is written
            {"range": "'Log'!E3", "values": [[45369]]},
        ],
    }
    df = oa.load("gsheet:KEY2", client=client)
    assert df["stage"].astype(str).tolist() == ["sent", "responded"]
    assert df["responded_on"].iloc[1] == dt.datetime(2024, 3, 18)


def test_sheet_log_right_of_an_empty_column_is_written_where_it_is(api):
    api.add_spreadsheet(
        "KEY3",
        "Pitches",
        {
            "Log": [
                ["", "Date", "Client", "Status", "Reply date"],
                ["", 45365, "Acme", "", ""],
            ]
        },
    )
    client = api.client()
    done = oa.log_action("gsheet:KEY3", client="Beta", today=DAY, gspread_client=client)
    oa.log_action("gsheet:KEY3", row=2, status="replied", date="2024-03-18", gspread_client=client)
    append, update = _writes(api)
    assert append.path.endswith("/values/'Log'!B1:E1:append") and done.row == 3
    assert append.body == {"values": [[45371, "Beta", "", ""]]}  # a real date, as above
    assert [d["range"] for d in update.body["data"]] == ["'Log'!D2", "'Log'!E2"]
    rows = client.open_by_key("KEY3").sheet1.get_all_values()
    assert [r[0] for r in rows] == ["", "", ""]  # column A stays empty


def test_sheet_errors(api):
    api.add_spreadsheet("KEY3", "P", {"Log": [["Date", "Status"], ["2024-03-01", "Sent"]]})
    api.forbid("SHUT")
    client = api.client()
    with pytest.raises(OutreachDataError, match="403.*Editor"):
        oa.log_action("gsheet:SHUT", client="x", today=DAY, gspread_client=client)
    with pytest.raises(OutreachDataError, match="no spreadsheet with the key 'NOPE'"):
        oa.log_action("gsheet:NOPE", status="sent", today=DAY, gspread_client=client)
    with pytest.raises(OutreachDataError, match="Row 5"):
        oa.log_action("gsheet:KEY3", row=5, status="replied", gspread_client=client)
    with pytest.raises(OutreachDataError, match="no worksheet named 'X'.*'Log'"):
        oa.log_action("gsheet:KEY3", status="sent", sheet="X", gspread_client=client)
    assert _writes(api) == []


# ---------------------------------------------------------------- property: any note round-trips

_NOTE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), whitelist_characters='\n\r\t",;=+-@"'
    ),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=_NOTE, delimiter=st.sampled_from([",", ";", "\t"]), crlf=st.booleans())
@example(note="0\r0", delimiter=",", crlf=False)  # a bare CR must be quoted too
def test_any_note_is_appended_as_text_and_nothing_else_changes(tmp_path, note, delimiter, crlf):
    nl = "\r\n" if crlf else "\n"
    before = (
        delimiter.join(["Date", "Client", "Notes"])
        + nl
        + delimiter.join(["2024-03-01", "Acme", "first"])
        + nl
    ).encode()
    p = tmp_path / "log.csv"
    p.write_bytes(before)
    oa.log_action(p, client="B", note=note, today=DAY)
    after = p.read_bytes()
    assert after.startswith(before)
    assert after.endswith(nl.encode())
    df = oa.load(p)
    assert len(df) == 2
    # the loader strips the spaces around a cell; everything else is kept as written
    assert df["notes"].iloc[1] == note.strip()
