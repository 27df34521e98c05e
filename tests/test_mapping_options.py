"""Issue 19, no silent misreads: what a mapping can say about a log, on logs shaped like
real ones (a job seeker's sheet, a LinkedIn export, a networking tracker).

Planned rows (no date, nothing saying they were sent), date formats and placeholders,
a close date that is no reply, rows left out by the mapping, words whose meaning depends
on another column, and a status column of short words chosen over one of sentences.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import outreach_analytics as oa
from outreach_analytics.analysis.summary import summarize
from outreach_analytics.errors import DataQualityWarning, OutreachDataError
from outreach_analytics.model.normalize import EXCLUDED

AS_OF = "2026-02-01"


def _write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _stage(rep, row: int) -> tuple[str, str]:
    r = rep.data.set_index("source_row").loc[row]
    return str(r["stage"]), str(r["result"])


def _rows_add_up(rep) -> None:
    assert rep.rows_read == rep.rows_used + rep.rows_skipped + rep.rows_blank
    used, skipped = set(rep.data["source_row"]), set(rep.skipped["row"])
    assert used | skipped | set(rep.blank_rows) == set(range(2, rep.rows_read + 2))


# ---------------------------------------------------------------- 1. planned rows

TRACKER = """Date Applied,Company,Role,Status,Notes
2025-11-03,Acme,Data Analyst,Applied,
2025-11-05,Globex,BI Developer,Rejected,form letter
,Initech,Analytics Engineer,Open,found on a job board
,Umbrella,Data Scientist,,
,Hooli,ML Engineer,Applied,forgot to write the day
,Stark,Analyst,Rejected,
,Wayne,Data Engineer,To apply,
"""


def test_rows_with_no_date_and_nothing_sent_are_planned(tmp_path):
    rep = oa.load_report(_write(tmp_path, TRACKER), as_of=AS_OF)
    _rows_add_up(rep)
    assert rep.rows_skipped == rep.rows_blank == 0
    # "Open" and a wish-list row (company and role only) are planned, like "To apply"
    assert rep.planned_rows == [4, 5, 8]
    assert {_stage(rep, r) for r in (4, 5, 8)} == {("planned", "open")}
    # a row saying it was sent, or how it ended, is an action of unknown date
    assert rep.undated_rows == [6, 7]
    assert _stage(rep, 7) == ("responded", "rejected")
    note = next(n for n in rep.notes if "no date and nothing saying" in n)
    assert "row 4, 5" in note and "8" not in note  # "To apply" is planned by its word
    overall = summarize(rep, as_of=AS_OF)["overall"]
    assert overall["planned"] == 3
    assert overall["actions"] == 4


def test_the_mapping_says_what_a_row_with_no_date_is(tmp_path):
    log = _write(tmp_path, TRACKER)
    every = _write(tmp_path, '[options]\nundated = "planned"\n', "planned.toml")
    rep = oa.load_report(log, mapping=every, as_of=AS_OF)
    assert rep.planned_rows == [4, 5, 6, 7, 8] and rep.undated_rows == []
    strict = _write(tmp_path, '[options]\nundated = "error"\n', "strict.toml")
    with pytest.raises(OutreachDataError) as info:
        oa.load(log, mapping=strict, as_of=AS_OF)
    fc = info.value.failure_cases
    assert fc["row"].tolist() == [4, 5, 6, 7]  # "To apply" is planned by its word
    assert set(fc["column"]) == {"Date Applied"}
    assert 'undated = "error"' in fc["reason"].iloc[0]
    # a word mapped under [statuses] is what the user says: "Open" = "sent" is sent
    sent = _write(tmp_path, '[statuses]\n"Open" = "sent"\n', "open.toml")
    rep = oa.load_report(log, mapping=sent, as_of=AS_OF)
    assert 4 in rep.undated_rows and 4 not in rep.planned_rows


def test_undated_option_is_checked(tmp_path):
    bad = _write(tmp_path, '[options]\nundated = "skip"\n', "bad.toml")
    with pytest.raises(OutreachDataError, match=r"undated = 'skip'.*Fix: write undated"):
        oa.read_mapping(bad)


# ---------------------------------------------------------------- 2a. date formats

LINKEDIN = """Application Date,Company Name,Job Title,Status
"11/23/24, 11:39 PM",Acme,Data Analyst,Applied
"1/5/25, 9:02\u202fAM",Globex,Analyst,Applied
"12/2/24, 8:15 AM",Initech,BI Developer,Rejected
2024-12-03,Hooli,Data Engineer,Applied
"""


def test_a_column_read_with_its_format(tmp_path):
    log = _write(tmp_path, LINKEDIN)
    mapping = _write(
        tmp_path, '[dates]\n"Application Date" = "%m/%d/%y, %I:%M %p"\n', "linkedin.toml"
    )
    rep = oa.load_report(log, mapping=mapping, skip_invalid=True, as_of=AS_OF)
    got = rep.data.set_index("source_row")["date"].dt.strftime("%Y-%m-%d").to_dict()
    assert got == {2: "2024-11-23", 3: "2025-01-05", 4: "2024-12-02"}
    # the cell in another form is a bad date naming the format, not read some other way
    bad = rep.skipped
    assert bad[["row", "column", "value"]].values.tolist() == [
        [5, "Application Date", "2024-12-03"]
    ]
    assert "format '%m/%d/%y, %I:%M %p'" in bad["reason"].iloc[0]
    _rows_add_up(rep)
    # inspect reads the column with the same format
    dates = oa.inspect(log, mapping=mapping).dates.set_index("column").loc["Application Date"]
    assert (dates["parsed"], dates["cells"]) == (3, 4)
    assert "%m/%d/%y" in dates["order"]


def test_day_month_name_format(tmp_path):
    log = _write(tmp_path, "Applied,Company\n14 Jan 2026,Acme\n3 Feb 2025,Globex\n")
    mapping = _write(tmp_path, '[dates]\nApplied = "%d %b %Y"\n', "map.toml")
    rep = oa.load_report(log, mapping=mapping, as_of=AS_OF)
    assert rep.data["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-14", "2025-02-03"]


def test_date_formats_are_checked(tmp_path):
    log = _write(tmp_path, LINKEDIN)
    no_code = _write(tmp_path, '[dates]\n"Application Date" = "mm/dd/yy"\n', "a.toml")
    with pytest.raises(OutreachDataError, match=r"not a date format.*Fix: .*strptime"):
        oa.read_mapping(no_code)
    not_dates = _write(tmp_path, '[dates]\n"Company Name" = "%d %b %Y"\n', "b.toml")
    with pytest.raises(OutreachDataError, match=r"'Company Name'.*not a date column.*Fix"):
        oa.load(log, mapping=not_dates)


# ------------------------------------------------------ 2c. placeholders, rows left out

PLACEHOLDER_LOG = """Date Applied,Company,Status,Interview Date
2025-10-01,Acme,Interview,TBD
01/01/1900,Globex,Applied,
?,Initech,Rejected,
2025-10-04,Hooli,Applied,?
"""


def test_placeholder_dates_are_empty(tmp_path):
    log = _write(tmp_path, PLACEHOLDER_LOG)
    with pytest.raises(OutreachDataError):  # without the mapping: bad dates
        oa.load(log, as_of=AS_OF)
    mapping = _write(tmp_path, '[dates]\nplaceholders = ["01/01/1900", "TBD", "?"]\n', "m.toml")
    rep = oa.load_report(log, mapping=mapping, as_of=AS_OF)
    _rows_add_up(rep)
    assert rep.rows_used == 4
    assert rep.undated_rows == [3, 4]  # an outcome, no date: actions of unknown date
    assert rep.data["interview_on"].isna().all()
    assert _stage(rep, 2) == ("interview", "open")  # its status says so, not the TBD
    assert any("placeholders under [dates]" in n and "'Date Applied'" in n for n in rep.notes)


MUSTER = """Date Applied,Company,Role,Status
2025-10-01,Acme,Data Analyst,Applied
2025-10-02,Musterfirma GmbH,Test role,Rejected
2025-10-03,Globex,Analyst,Interview
2025-10-04,musterfirma gmbh ,Test again,not a status word
2025-10-05,Demo Ltd,Demo,Applied
"""


def test_rows_left_out_by_the_mapping_are_listed(tmp_path):
    log = _write(tmp_path, MUSTER)
    mapping = _write(
        tmp_path,
        '[exclude]\nclient = "Musterfirma GmbH"\n"Role" = ["Demo"]\n',
        "map.toml",
    )
    rep = oa.load_report(log, mapping=mapping, as_of=AS_OF)  # no error: left out on purpose
    _rows_add_up(rep)
    assert rep.excluded_rows == [3, 5, 6]
    assert sorted(rep.data["source_row"]) == [2, 4]
    listed = rep.skipped[["row", "column", "value", "reason"]].values.tolist()
    assert listed == [
        [3, "Company", "Musterfirma GmbH", EXCLUDED],
        [5, "Company", "musterfirma gmbh", EXCLUDED],  # its bad status is not a problem
        [6, "Role", "Demo", EXCLUDED],
    ]
    assert "left out by the mapping" in EXCLUDED
    assert any("3 row(s) left out" in n for n in rep.notes)
    summary = summarize(rep, as_of=AS_OF)
    assert summary["rows_skipped"] == 3 and summary["overall"]["actions"] == 2


def test_exclude_is_checked(tmp_path):
    log = _write(tmp_path, MUSTER)
    unknown = _write(tmp_path, '[exclude]\nEmployer = "Musterfirma GmbH"\n', "a.toml")
    with pytest.raises(OutreachDataError, match=r"'Employer'.*Columns in the log.*Fix"):
        oa.load(log, mapping=unknown)
    empty = _write(tmp_path, "[exclude]\nclient = []\n", "b.toml")
    with pytest.raises(OutreachDataError, match=r"\[exclude\] client = \[\].*Fix"):
        oa.read_mapping(empty)


# ------------------------------------------------------ 2b. a close date is no reply

CLOSED = """Date Applied,Company,Status,Date closed
2025-09-01,Acme,Rejected,2025-09-20
2025-09-03,Globex,Withdrawn,2025-09-10
2025-09-05,Initech,Applied,
2025-09-08,Hooli,Rejected after interview,2025-10-01
"""


def test_a_close_date_is_kept_and_is_not_a_reply(tmp_path):
    rep = oa.load_report(_write(tmp_path, CLOSED), as_of=AS_OF)
    assert rep.columns["closed_on"] == ["Date closed"]
    assert "closed_on" in oa.CANONICAL_COLUMNS
    closed = rep.data.set_index("source_row")["closed_on"]
    assert closed.isna().tolist() == [False, False, True, False]
    assert closed.dropna().dt.strftime("%Y-%m-%d").tolist() == [
        "2025-09-20",
        "2025-09-10",
        "2025-10-01",
    ]
    # no reply date is made from it: the time to reply knows no day for any row
    assert rep.data["responded_on"].isna().all()
    assert rep.data["stage"].astype(str).tolist() == ["responded", "sent", "sent", "interview"]


@pytest.mark.parametrize("header", ["Closed", "Decision date", "Closed on"])
def test_close_date_headers(tmp_path, header):
    log = _write(tmp_path, f"Date,Company,Status,{header}\n2025-09-01,Acme,Rejected,2025-09-20\n")
    rep = oa.load_report(log, as_of=AS_OF)
    assert rep.columns["closed_on"] == [header]
    assert rep.data["responded_on"].isna().all()


def test_a_yes_no_closed_column_is_set_aside(tmp_path):
    log = _write(tmp_path, "Date,Company,Closed\n2025-09-01,Acme,TRUE\n2025-09-02,Globex,FALSE\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rep = oa.load_report(log, as_of=AS_OF)
    assert rep.rows_used == 2 and "closed_on" not in rep.columns
    assert any(issubclass(w.category, DataQualityWarning) for w in caught)
    assert rep.data["closed_on"].isna().all()


def test_a_close_date_before_the_date_sent_is_a_bad_cell(tmp_path):
    log = _write(tmp_path, "Date,Status,Date closed\n2025-09-10,Rejected,2025-09-01\n")
    with pytest.raises(OutreachDataError, match="before the date sent"):
        oa.load(log, as_of=AS_OF)


# ------------------------------------------- 2d. words that depend on another column

NETWORKING = """Date,Company,Type,Status
2025-09-01,Acme,Application,Active
2025-09-02,Globex,Networking,Active
2025-09-03,Initech,Application,Rejected
2025-09-04,Hooli,networking ,Active
2025-09-05,Stark,Referral,Active
"""

WHEN_TOML = """[statuses]
"Active" = "sent"

[statuses.when]
column = "Type"
Networking = { "Active" = "responded" }
Referral = { "Active" = "interview" }
"""


def test_a_word_read_by_another_column(tmp_path):
    log = _write(tmp_path, NETWORKING)
    with pytest.raises(OutreachDataError, match="'Active'"):  # unknown without the mapping
        oa.load(log, as_of=AS_OF)
    rep = oa.load_report(log, mapping=_write(tmp_path, WHEN_TOML, "m.toml"), as_of=AS_OF)
    _rows_add_up(rep)
    assert rep.data["stage"].astype(str).tolist() == [
        "sent",
        "responded",
        "responded",
        "responded",  # "networking " is Networking: case and spaces ignored
        "interview",
    ]
    assert rep.data["result"].astype(str).tolist()[2] == "rejected"


def test_a_word_known_only_for_some_values_is_unknown_elsewhere(tmp_path):
    log = _write(tmp_path, NETWORKING)
    mapping = _write(
        tmp_path,
        '[statuses.when]\ncolumn = "Type"\nNetworking = { "Active" = "responded" }\n',
        "m.toml",
    )
    with pytest.raises(OutreachDataError) as info:
        oa.load(log, mapping=mapping, as_of=AS_OF)
    assert info.value.failure_cases["row"].tolist() == [2, 6]


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('[statuses.when]\nNetworking = { "Active" = "responded" }\n', 'without column = "..."'),
        ('[statuses.when]\ncolumn = "Type"\nNetworking = "responded"\n', "not a table of words"),
        ('[statuses.when]\ncolumn = "Type"\n', "no value of it"),
        ('[statuses.Networking]\n"Active" = "responded"\n', "[statuses.when]"),
    ],
)
def test_when_is_checked(tmp_path, toml, says):
    with pytest.raises(OutreachDataError) as info:
        oa.read_mapping(_write(tmp_path, toml, "m.toml"))
    assert says in str(info.value) and "Fix:" in str(info.value)


def test_when_names_a_column_of_the_log(tmp_path):
    mapping = _write(
        tmp_path,
        '[statuses.when]\ncolumn = "Kind"\nNetworking = { "Active" = "responded" }\n',
        "m.toml",
    )
    with pytest.raises(OutreachDataError, match=r"'Kind'.*Columns in the log"):
        oa.load(_write(tmp_path, NETWORKING), mapping=mapping)


def test_unknown_tables_and_options_are_named(tmp_path):
    with pytest.raises(OutreachDataError, match=r"\['formats'\].*\[dates\]"):
        oa.read_mapping(_write(tmp_path, '[formats]\nDate = "%d"\n', "a.toml"))
    with pytest.raises(OutreachDataError, match=r"\['exclude'\].*\[exclude\] table"):
        oa.read_mapping(_write(tmp_path, '[options]\nexclude = ["x"]\n', "b.toml"))


# ------------------------------------------- 3. short status words win over prose

PROSE = """Date Applied,Company,Response,current_status
2025-09-01,Acme,"They said they would get back to me after the holidays, maybe an offer",Applied
2025-09-02,Globex,"Recruiter called and we talked about the role for half an hour",Interview
2025-09-03,Initech,"Automated email thanking me, nothing about next steps yet",Applied
2025-09-04,Hooli,"No answer at all although I wrote twice on LinkedIn to the manager",Ghosted
"""


def test_the_status_column_is_short_words_not_prose(tmp_path):
    log = _write(tmp_path, PROSE)
    rep = oa.load_report(log, as_of=AS_OF)
    assert rep.columns["status"] == ["current_status"]
    assert rep.data["stage"].astype(str).tolist() == ["sent", "interview", "sent", "sent"]
    ins = oa.inspect(log, as_of=AS_OF)
    used = ins.columns.set_index("column")
    assert used.loc["current_status", "used_as"] == "status"
    assert used.loc["Response", "used_as"] == "not used"
    assert "free text" in used.loc["Response", "why"]
    assert set(ins.values["column"]) == {"current_status"}


def test_prose_status_values_are_todo_not_guesses(tmp_path):
    only_prose = "\n".join(line.rsplit(",", 1)[0] for line in PROSE.splitlines()) + "\n"
    ins = oa.inspect(_write(tmp_path, only_prose), as_of=AS_OF)
    values = ins.values
    assert set(values["column"]) == {"Response"}
    assert values["reading"].isna().all()  # no "offer" read from "maybe an offer"
    toml = ins.mapping_toml()
    assert toml.count("# TODO") == 4
    oa.read_mapping(_write(tmp_path, toml, "starter.toml"))  # it loads as it is


def test_real_logs_keep_their_status_columns():
    real = Path(__file__).parent.parent / "data" / "real"
    rep = oa.load_report(
        real / "jsa_2023_job_search_fr.csv", mapping=real / "jsa.toml", as_of="2024-06-01"
    )
    assert rep.columns["status"] == ["Status"]
    assert isinstance(rep.data, pd.DataFrame)


def test_inspect_shows_words_read_by_another_column(tmp_path):
    log = _write(tmp_path, NETWORKING)
    ins = oa.inspect(log, mapping=_write(tmp_path, WHEN_TOML, "m.toml"), as_of=AS_OF)
    active = ins.values.set_index("value").loc["Active"]
    assert active["reading"] == "sent / open"
    assert "where Type is Networking, Referral" in active["flag"]
    assert ins.counts["rows_used"] == 5 and len(ins.problems) == 0
    oa.read_mapping(_write(tmp_path, ins.mapping_toml(), "starter.toml"))
