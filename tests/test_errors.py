"""Every error a user can meet: each message names the row, the column, the value and the fix."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from outreach_analytics import OutreachDataError, load, load_report, normalize, read_mapping


def _write(tmp_path, text: str, name: str = "log.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(*args, **kwargs) -> OutreachDataError:
    with pytest.raises(OutreachDataError) as info:
        load(*args, **kwargs)
    return info.value


def _cases(err: OutreachDataError) -> list[tuple[int, str, str]]:
    fc = err.failure_cases
    return list(zip(fc["row"].astype(int), fc["column"], fc["value"], strict=True))


def test_a_date_column_with_an_unknown_header_is_named(tmp_path):
    path = _write(tmp_path, "Platform,Status,Wann\nUpwork,Sent,2024-01-03\nEmail,Sent,5 Jan 2024\n")
    message = str(_error(path))
    assert "log.csv" in message
    assert "['Platform', 'Status', 'Wann']" in message  # the columns it has
    assert "'Wann' holds dates" in message and '--column date="Wann"' in message
    assert "Fix:" in message


def test_a_log_with_no_date_column_loads_every_row_undated(tmp_path):
    """A tracker that never noted days: no header names a date and no column holds one.
    Every row is used, of unknown date, and a note says what that leaves out."""
    from outreach_analytics import counts, load_report

    path = _write(
        tmp_path,
        "Company,Platform,Status,Salary\nA,Upwork,Rejected,45000\nB,Upwork,Applied,52000\n"
        "C,Email,Interview,\n",
    )
    log = load_report(path)
    assert log.rows_used == 3 and log.undated_rows == [2, 3, 4]
    assert "date" not in log.columns and log.data["date"].isna().all()
    assert any(n.startswith("the log has no date column") for n in log.notes)
    total = counts(log.data).iloc[0]
    assert (total["actions"], total["responses"], total["interviews"]) == (3, 2, 1)


def test_unknown_canonical_name_in_columns(tmp_path):
    path = _write(tmp_path, "Date Sent,Status\n2024-01-01,Sent\n")
    message = str(_error(path, columns={"sent_date": "Date Sent"}))
    assert "'sent_date'" in message
    assert "'date'" in message and "'channel'" in message  # what it could have been
    assert "Fix:" in message


def test_unknown_source_column_in_columns(tmp_path):
    path = _write(tmp_path, "Date Sent,Status\n2024-01-01,Sent\n")
    message = str(_error(path, columns={"channel": "Platform"}))
    assert "'Platform'" in message and "'channel'" in message
    assert "['Date Sent', 'Status']" in message
    assert "Fix:" in message and "--column channel=" in message


def test_unknown_status_words(tmp_path):
    rows = ["Rejeted", "Rejeted", "Sent", "Rejeted", "Maybe later", "Rejeted", "Hired"]
    text = "Date,Status\n" + "".join(f"2024-01-0{i + 1},{s}\n" for i, s in enumerate(rows))
    err = _error(_write(tmp_path, text))
    message = str(err)
    # every unknown value, with its count and first rows (sheet rows: header = 1)
    assert "'Rejeted' (4 rows, first at row 2, 3, 5" in message
    assert "'Maybe later' (1 row, first at row 6" in message
    assert "2 status word(s)" in message
    assert "column 'Status'" in message
    # the nearest known word, and how to map them
    assert "nearest known: 'rejected'" in message
    assert "[statuses]" in message and "--mapping" in message
    assert "--skip-invalid" in message
    assert sorted(_cases(err)) == [
        (2, "Status", "Rejeted"),
        (3, "Status", "Rejeted"),
        (5, "Status", "Rejeted"),
        (6, "Status", "Maybe later"),
        (7, "Status", "Rejeted"),
    ]


def test_unparsable_date(tmp_path):
    err = _error(_write(tmp_path, "Date,Status\n2024-01-01,Sent\nnext tuesday,Sent\n"))
    message = str(err)
    assert "column 'Date', row 3 ('next tuesday')" in message
    assert "is not a date" in message and "2024-03-05" in message  # the form to write
    assert "--skip-invalid" in message
    assert _cases(err) == [(3, "Date", "next tuesday")]


def test_unparsable_stage_date(tmp_path):
    err = _error(_write(tmp_path, "Date,Response Date\n2024-01-01,tbd\n"))
    assert "column 'Response Date', row 2 ('tbd')" in str(err)
    assert _cases(err) == [(2, "Response Date", "tbd")]


def test_stage_date_before_date_sent(tmp_path):
    err = _error(_write(tmp_path, "Date,Response Date\n2024-01-05,2024-01-01\n"))
    message = str(err)
    assert "column 'Response Date', row 2 ('2024-01-01')" in message
    assert "before the date sent" in message
    assert "--skip-invalid" in message


def test_empty_date(tmp_path):
    # a row with neither a date nor an outcome is planned unless the mapping says a row
    # with no date is an error (undated = "error")
    log = _write(tmp_path, "Date,Status,Client\n2024-01-01,Sent,A\n,,Acme\n")
    mapping = tmp_path / "strict.toml"
    mapping.write_text('[options]\nundated = "error"\n')
    assert load_report(log).planned_rows == [3]
    err = _error(log, mapping=mapping)
    message = str(err)
    assert "column 'Date', row 3" in message
    assert "is empty" in message and "day it was sent" in message
    assert "--skip-invalid" in message
    assert _cases(err) == [(3, "Date", "")]


@pytest.mark.parametrize(
    ("header", "value", "what"),
    [
        ("Rate", "lots", "is not a number"),
        ("Follow-ups", "2.5", "is not a count"),
        ("Follow-ups", "-1", "is not a count"),
        ("Connects", "six", "is not a number"),
    ],
)
def test_bad_number(tmp_path, header, value, what):
    # named by the user, the column is checked cell by cell (recognised only by its header,
    # it would be set aside with a warning: tests/test_own_log.py)
    canonical = {"Rate": "value", "Follow-ups": "follow_ups", "Connects": "cost"}[header]
    path = _write(tmp_path, f"Date,{header}\n2024-01-01,1\n2024-01-02,{value}\n")
    err = _error(path, columns={canonical: header})
    message = str(err)
    assert f"column '{header}', row 3 ('{value}'): {what}" in message
    assert "Correct these cells" in message and "--skip-invalid" in message
    assert _cases(err) == [(3, header, value)]


def test_bad_yes_no(tmp_path):
    err = _error(_write(tmp_path, "Date,Interviewed\n2024-01-01,TRUE\n2024-01-02,perhaps\n"))
    message = str(err)
    assert "column 'Interviewed', row 3 ('perhaps')" in message
    assert "TRUE/FALSE or Yes/No" in message
    assert _cases(err) == [(3, "Interviewed", "perhaps")]


def test_every_problem_is_reported_at_once(tmp_path):
    err = _error(
        _write(tmp_path, "Date,Status,Rate\nsoon,Sent,1\n2024-01-02,Blorp,1\n2024-01-03,Sent,x\n"),
        columns={"value": "Rate"},
    )
    message = str(err)
    assert message.startswith("3 row(s) of 'log.csv' cannot be used")
    assert "'soon'" in message and "'Blorp'" in message and "('x')" in message
    assert sorted(r for r, _, _ in _cases(err)) == [2, 3, 4]


def test_many_bad_rows_are_summarised_but_all_listed(tmp_path):
    text = "Date\n" + "".join(f"bad{i}\n" for i in range(20))
    err = _error(_write(tmp_path, text))
    shown = re.findall(r"\('bad\d+'\)", str(err))
    more = re.search(r"and (\d+) more", str(err))
    assert more is not None and len(shown) + int(more.group(1)) == 20
    assert len(err.failure_cases) == 20


def test_ambiguous_dates(tmp_path):
    path = _write(tmp_path, "Date,Status\n03/04/2024,Sent\n05/06/2024,Sent\n")
    message = str(_error(path))
    assert "'Date'" in message and "'03/04/2024'" in message
    assert "day-first or month-first" in message
    assert "--date-order day-first" in message and "date_order" in message


def test_bad_date_order_option(tmp_path):
    path = _write(tmp_path, "Date\n2024-01-01\n")
    message = str(_error(path, date_order="dmy"))
    assert "'dmy'" in message and "--date-order day-first" in message


def test_mapping_file_invalid_toml(tmp_path):
    mapping = _write(tmp_path, "[columns]\ndate = Date Sent\n", "map.toml")
    with pytest.raises(OutreachDataError) as info:
        read_mapping(mapping)
    message = str(info.value)
    assert "'map.toml'" in message and "not valid TOML" in message
    assert "line 2" in message  # where the mistake is
    assert "Fix:" in message and 'date = "Date Sent"' in message


def test_mapping_file_unknown_table(tmp_path):
    path = _write(tmp_path, "Date\n2024-01-01\n")
    mapping = _write(tmp_path, '[column]\ndate = "Date"\n', "map.toml")
    message = str(_error(path, mapping=mapping))
    assert "'map.toml'" in message and "['column']" in message
    assert "Fix:" in message and "[columns]" in message and "[statuses]" in message


def test_mapping_file_unknown_option(tmp_path):
    mapping = _write(tmp_path, '[options]\ndateorder = "day-first"\n', "map.toml")
    with pytest.raises(OutreachDataError) as info:
        read_mapping(mapping)
    message = str(info.value)
    assert "['dateorder']" in message and "Fix:" in message and "date_order" in message


def test_mapping_file_missing(tmp_path):
    with pytest.raises(OutreachDataError) as info:
        read_mapping(tmp_path / "nope.toml")
    message = str(info.value)
    assert "nope.toml" in message and "--mapping" in message


def test_missing_file(tmp_path):
    message = str(_error(tmp_path / "nowhere.csv"))
    assert "nowhere.csv" in message and "No file" in message
    assert "Check the path" in message


def test_xls_file(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    message = str(_error(path))
    assert "'old.xls'" in message and ".xls" in message
    assert "Fix:" in message and ".xlsx" in message and "CSV" in message


def test_empty_file(tmp_path):
    message = str(_error(_write(tmp_path, "")))
    assert "'log.csv' is empty" in message and "header row" in message


def test_skip_invalid_turns_errors_into_a_report(tmp_path):
    path = _write(tmp_path, "Date,Status\nsoon,Sent\n2024-01-02,Blorp\n2024-01-03,Hired\n")
    rep = load_report(path, skip_invalid=True)
    assert rep.rows_used == 1 and rep.rows_skipped == 2
    assert sorted(rep.skipped["row"].tolist()) == [2, 3]


def test_errors_from_a_frame_name_frame_rows():
    log = pd.DataFrame({"Date": ["2024-01-01", "oops"]})
    with pytest.raises(OutreachDataError) as info:
        normalize(log)
    assert "row 3 ('oops')" in str(info.value)


def test_error_is_a_value_error_with_a_failure_table():
    err = OutreachDataError("Something. Fix: this.")
    assert isinstance(err, ValueError)
    assert str(err) == "Something. Fix: this."
    assert list(err.failure_cases.columns) == ["row", "column", "value", "reason"]
