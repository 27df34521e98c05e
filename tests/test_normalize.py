"""Normalizing the three shapes of log, column mapping, channel groups and row accounting."""

from __future__ import annotations

import pandas as pd
import pytest

from outreach_analytics import (
    CANONICAL_COLUMNS,
    RESULTS,
    STAGES,
    counts,
    load,
    load_report,
    normalize,
    sample_path,
)


def _pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["stage"].astype(str), frame["result"].astype(str), strict=True))


def _write(tmp_path, text: str, name: str = "log.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the schema


def test_output_has_the_canonical_schema():
    out = load(sample_path())
    assert list(out.columns) == list(CANONICAL_COLUMNS)
    assert isinstance(out["stage"].dtype, pd.CategoricalDtype)
    assert out["stage"].cat.ordered
    assert list(out["stage"].cat.categories) == ["planned", *STAGES]
    assert set(out["result"].astype(str)) <= set(RESULTS)
    assert pd.api.types.is_datetime64_any_dtype(out["date"])
    assert out["date"].notna().all()
    # a win is exactly a won result
    assert ((out["stage"] == "won") == (out["result"] == "won")).all()


def test_input_frame_is_not_modified():
    log = pd.DataFrame({"Date": ["2024-01-01"], "Status": ["Hired"], "Platform": [" upwork "]})
    before = log.copy()
    normalize(log)
    pd.testing.assert_frame_equal(log, before)


# ------------------------------------------------------------ the three shapes


def test_shape_status_column():
    log = pd.DataFrame(
        {
            "Date Sent": ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"],
            "Platform": ["Upwork", "Email", "Email", "Upwork", "Referral"],
            "Status": ["Ghosted", "Rejected after interview", "Hired", "", "Offer declined"],
        }
    )
    out = normalize(log)
    assert _pairs(out) == [
        ("sent", "no_response"),
        ("interview", "rejected"),
        ("won", "won"),
        ("sent", "open"),
        ("offer", "withdrawn"),
    ]
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == log["Date Sent"].tolist()
    assert out["channel"].tolist() == log["Platform"].tolist()


def test_shape_date_column_per_stage():
    log = pd.DataFrame(
        {
            "Date": [
                "2024-01-01",
                "2024-01-02",
                "2024-01-03",
                "2024-01-04",
                "2024-01-05",
                "2024-01-06",
            ],
            "Response Date": ["", "2024-01-05", "2024-01-06", "2024-01-06", "2024-01-07", ""],
            "Interview Date": ["", "", "2024-01-08", "2024-01-09", "", ""],
            "Offer Date": ["", "", "", "2024-01-10", "2024-01-12", ""],
            "Hired Date": ["", "", "", "2024-01-20", "", ""],
            "Status": ["Ghosted", "Rejected", "", "", "Offer declined", ""],
        }
    )
    out = normalize(log)
    assert _pairs(out) == [
        ("sent", "no_response"),  # no date: stage from the status
        ("responded", "rejected"),  # response date + "Rejected"
        ("interview", "open"),  # furthest date is the interview
        ("won", "won"),  # a hired date is a win
        ("offer", "withdrawn"),  # a gap (no interview date) does not matter
        ("sent", "open"),
    ]
    day = pd.Timestamp
    assert out.loc[3, "responded_on"] == day("2024-01-06")
    assert out.loc[3, "interview_on"] == day("2024-01-09")
    assert out.loc[3, "offer_on"] == day("2024-01-10")
    assert out.loc[3, "won_on"] == day("2024-01-20")
    assert out["won_on"].notna().sum() == 1


def test_shape_date_columns_without_status():
    log = pd.DataFrame(
        {
            "Date": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "Response Date": ["", "2024-01-05", "2024-01-05"],
            "Offer Date": ["", "", "2024-01-09"],
        }
    )
    assert _pairs(normalize(log)) == [("sent", "open"), ("responded", "open"), ("offer", "open")]


@pytest.mark.parametrize(("yes", "no"), [("TRUE", "FALSE"), ("Yes", "No"), ("yes", "no")])
def test_shape_boolean_stage_columns(yes, no):
    log = pd.DataFrame(
        {
            "Date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],
            "Responded": [no, yes, yes, yes, yes],
            "Interviewed": [no, no, yes, yes, no],
            "Offered": [no, no, no, yes, no],
            "Hired": [no, no, no, yes, no],
        }
    )
    out = normalize(log)
    assert out["stage"].astype(str).tolist() == [
        "sent",
        "responded",
        "interview",
        "won",
        "responded",
    ]
    assert out["result"].astype(str).tolist() == ["open", "open", "open", "won", "open"]


def test_boolean_columns_with_a_status_add_the_result():
    log = pd.DataFrame(
        {
            "Date": ["2024-01-01", "2024-01-02"],
            "Status": ["Rejected", "Ghosted"],
            "Interviewed": ["TRUE", "FALSE"],
        }
    )
    assert _pairs(normalize(log)) == [("interview", "rejected"), ("sent", "no_response")]


def test_a_count_in_a_yes_no_column_is_a_yes_above_zero():
    # issue 19: "2" interviews were a yes, "0" a no; before, both were "not a yes/no value"
    log = pd.DataFrame(
        {
            "Date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
            "Interviewed": ["2", "0", "1", "3"],
        }
    )
    out = normalize(log)
    assert out["stage"].astype(str).tolist() == ["interview", "sent", "interview", "interview"]
    typed = normalize(log.astype({"Interviewed": "int64"}))
    assert typed["stage"].astype(str).tolist() == out["stage"].astype(str).tolist()


# ------------------------------------------------------------ column mapping

COMMON_NAMES = {
    "date": ["Date", "Date Sent", "Sent On", "Applied", "Applied On", "Application Date"],
    "channel": ["Channel", "Platform", "Source", "Application site", "Job Source", "Via"],
    "pitch_type": ["Type", "Pitch Type", "Application Type", "Action", "Template"],
    "status": ["Status", "Outcome", "Result", "Response", "Response?"],
    "client": ["Client", "Company", "Prospect", "Publication"],
}
CASES = [(canonical, name) for canonical, names in COMMON_NAMES.items() for name in names]


@pytest.mark.parametrize(("canonical", "header"), CASES)
def test_common_column_names_are_recognised(canonical, header):
    values = {
        "date": "2024-02-03",
        "channel": "Upwork",
        "pitch_type": "Cold pitch",
        "status": "Rejected",
        "client": "Acme",
    }
    data = {"When": ["2024-01-01"]} if canonical != "date" else {}
    data[header] = [values[canonical]]
    columns = {"date": "When"} if canonical != "date" else None
    rep = load_report(pd.DataFrame(data), columns=columns)
    assert rep.columns[canonical] == [header]
    row = rep.data.iloc[0]
    if canonical == "date":
        assert row["date"] == pd.Timestamp("2024-02-03")
    elif canonical == "status":
        assert (row["stage"], row["result"]) == ("responded", "rejected")
    else:
        assert row[canonical] == values[canonical]


@pytest.mark.parametrize("header", ["date_sent", "DATE SENT", "  Date  sent  ", "Date-Sent"])
def test_header_matching_ignores_case_spaces_and_punctuation(header):
    rep = load_report(pd.DataFrame({header: ["2024-01-01"]}))
    assert rep.columns["date"] == [header]


def test_columns_option_overrides_the_guess():
    log = pd.DataFrame(
        {
            "Date": ["2024-01-01", "2024-01-02"],
            "Posted": ["2023-12-01", "2023-12-02"],
            "Platform": ["Upwork", "Email"],
            "Where": ["LinkedIn", "Referral"],
            "Status": ["Hired", "Hired"],
            "Answer": ["Ghosted", "Rejected"],
        }
    )
    out = normalize(log, columns={"date": "Posted", "channel": "Where", "status": "Answer"})
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-01", "2023-12-02"]
    assert out["channel"].tolist() == ["LinkedIn", "Referral"]
    assert _pairs(out) == [("sent", "no_response"), ("responded", "rejected")]


def test_columns_option_matches_names_loosely_and_coalesces_lists():
    log = pd.DataFrame(
        {
            "Applied on": ["2024-01-01", None, None],
            "First call": [None, "2024-01-05", None],
            "Met": [None, "2024-01-06", "2024-01-07"],
        }
    )
    out = normalize(log, columns={"date": ["applied_on", "First call", "Met"]})
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01",
        "2024-01-05",
        "2024-01-07",
    ]


def test_a_list_of_date_columns_skips_placeholders_in_earlier_columns():
    # R's "NA" in the first column is an empty cell: the next column's date is read,
    # in the stage-date list as in the sent-date list
    log = pd.DataFrame(
        {
            "start": ["2017-06-01", "NA", "2017-06-03", "2017-06-04"],
            "call": ["NA", "2017-06-02", "NA", "NA"],
            "reaction": ["2017-06-05", "NA", "NA", "NA"],
            "rejection": ["NA", "2017-06-09", "2017-06-10", "NA"],
        }
    )
    out = normalize(
        log,
        columns={"date": ["start", "call"], "responded_on": ["reaction", "rejection"]},
    )
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2017-06-01",
        "2017-06-02",
        "2017-06-03",
        "2017-06-04",
    ]
    assert out["responded_on"].dt.strftime("%Y-%m-%d").fillna("").tolist() == [
        "2017-06-05",
        "2017-06-09",
        "2017-06-10",
        "",
    ]
    assert out["stage"].astype(str).tolist() == ["responded"] * 3 + ["sent"]


def test_mapping_file(tmp_path):
    path = _write(
        tmp_path,
        "Posted,Where,Answer,Status\n"
        "2024-01-01,LinkedIn,No project for now,Hired\n"
        "2024-01-02,Email,Ghosted,Hired\n",
    )
    mapping = _write(
        tmp_path,
        '[columns]\ndate = "Posted"\nchannel = "Where"\nstatus = "Answer"\n\n'
        '[statuses]\n"No project for now" = "rejected"\n',
        "map.toml",
    )
    rep = load_report(path, mapping=mapping)
    assert rep.columns["date"] == ["Posted"] and rep.columns["status"] == ["Answer"]
    assert rep.data["channel"].tolist() == ["LinkedIn", "Email"]
    assert _pairs(rep.data) == [("responded", "rejected"), ("sent", "no_response")]


def test_columns_option_wins_over_the_mapping_file(tmp_path):
    path = _write(tmp_path, "A,B\n2024-01-01,2023-05-06\n")
    mapping = _write(tmp_path, '[columns]\ndate = "A"\n', "map.toml")
    rep = load_report(path, mapping=mapping, columns={"date": "B"})
    assert rep.data["date"].tolist() == [pd.Timestamp("2023-05-06")]


# ------------------------------------------------------------ channels


def test_channel_spellings_group_under_the_commonest():
    log = pd.DataFrame(
        {
            "Date": [f"2024-01-0{d}" for d in range(1, 10)],
            "Platform": [
                "Linkedin",
                "LinkedIn ",
                "LinkedIn",
                " linkedin",
                "LinkedIn",
                "Upwork",
                "Fiverr",
                "Otter Jobs",
                "OtterJobs",
            ],
        }
    )
    out = normalize(log)
    # "LinkedIn" (3 with the trailing-space one) beats "Linkedin" and "linkedin" (1 each)
    assert out["channel"].tolist()[:5] == ["LinkedIn"] * 5
    assert out["channel"].tolist()[5:7] == ["Upwork", "Fiverr"]  # different words stay apart
    # spaces inside a name do not matter either; among equals the first seen is shown
    assert out["channel"].tolist()[7:] == ["Otter Jobs"] * 2
    by = counts(out, "channel", as_of="2024-06-01")
    assert dict(zip(by["channel"], by["actions"], strict=True)) == {
        "LinkedIn": 5,
        "Otter Jobs": 2,
        "Fiverr": 1,
        "Upwork": 1,
    }


def test_missing_channel_is_unspecified():
    log = pd.DataFrame({"Date": ["2024-01-01", "2024-01-02"], "Platform": ["Email", None]})
    assert normalize(log)["channel"].tolist() == ["Email", "unspecified"]
    no_column = pd.DataFrame({"Date": ["2024-01-01"]})
    assert normalize(no_column)["channel"].tolist() == ["unspecified"]


# ------------------------------------------------------------ rows as in the sheet


def test_source_row_is_the_sheet_row(tmp_path):
    path = _write(
        tmp_path,
        "Date,Status,Platform\n"  # row 1
        "2024-01-01,Sent,Upwork\n"  # row 2
        "\n"  # row 3, an empty line
        ",,\n"  # row 4, empty cells
        "2024-01-03,Rejected,Email\n",  # row 5
    )
    rep = load_report(path)
    assert rep.data["source_row"].tolist() == [2, 5]
    assert rep.blank_rows == [3, 4]
    assert (rep.rows_read, rep.rows_used, rep.rows_skipped, rep.rows_blank) == (4, 2, 0, 2)


def test_source_row_counts_title_rows_above_the_header(tmp_path):
    path = _write(tmp_path, "My job search 2024\nDate,Status\n2024-01-01,Sent\n2024-01-02,Hired\n")
    assert load(path)["source_row"].tolist() == [3, 4]


def test_source_row_of_a_frame_starts_at_2():
    log = pd.DataFrame({"Date": ["2024-01-01", "2024-01-02"]}, index=[10, 20])
    assert normalize(log)["source_row"].tolist() == [2, 3]


def test_skip_invalid_reports_every_skipped_row(tmp_path):
    path = _write(
        tmp_path,
        "Date,Status,Follow-ups\n"
        "2024-01-01,Sent,1\n"  # 2 ok
        "soon,Sent,2\n"  # 3 bad date
        "2024-01-03,Blorp,x\n"  # 4 two problems
        ",,\n"  # 5 blank
        ",Rejected,\n"  # 6 no date, but an outcome: an action of unknown date
        "2024-01-06,Hired,0\n",  # 7 ok
    )
    rep = load_report(path, skip_invalid=True, columns={"follow_ups": "Follow-ups"})
    assert rep.data["source_row"].tolist() == [2, 6, 7]
    assert rep.undated_rows == [6]
    assert list(rep.skipped.columns) == ["row", "column", "value", "reason"]
    got = sorted(zip(rep.skipped["row"], rep.skipped["column"], rep.skipped["value"], strict=True))
    assert got == [
        (3, "Date", "soon"),
        (4, "Follow-ups", "x"),
        (4, "Status", "Blorp"),
    ]
    assert rep.skipped["reason"].str.len().gt(5).all()
    assert (rep.rows_read, rep.rows_used, rep.rows_skipped, rep.rows_blank) == (6, 3, 2, 1)
    assert rep.rows_read == rep.rows_used + rep.rows_skipped + rep.rows_blank


def test_rows_add_up_on_the_sample():
    rep = load_report(sample_path())
    assert rep.rows_read == len(pd.read_csv(sample_path()))
    assert rep.rows_read == rep.rows_used + rep.rows_skipped + rep.rows_blank


# ------------------------------------------------------------ idempotence


def test_normalizing_twice_changes_nothing():
    once = load(sample_path())
    pd.testing.assert_frame_equal(normalize(once), once)


def test_normalizing_twice_changes_nothing_on_a_small_mixed_log():
    log = pd.DataFrame(
        {
            "Applied": ["03/14/2024", "3/15/2024", "3/16/2024"],
            "Via": ["LinkedIn", "linkedin ", None],
            "Type": ["Cold pitch", None, "Proposal"],
            "Company": ["Acme", "  Acme ", None],
            "Response?": ["Ghosted", "Interviewed - rejected", "Contract signed"],
            "Rate": ["$50/hr", "60", ""],
            "Notes": ["first", None, "x"],
        }
    )
    once = normalize(log)
    pd.testing.assert_frame_equal(normalize(once), once)


def test_as_of_before_every_date_is_one_error_naming_it(tmp_path):
    """load_report: an as-of before the log's first day is one OutreachDataError that names
    it, even with skip_invalid (which would otherwise skip every row as impossible)."""
    from outreach_analytics import OutreachDataError, load_report

    path = _write(tmp_path, "Date,Status\n2024-03-05,Sent\n2024-04-01,Rejected\n,\n")
    for skip in (False, True):
        with pytest.raises(OutreachDataError) as info:
            load_report(path, as_of="2020-01-01", skip_invalid=skip)
        message = str(info.value)
        assert message.startswith(
            "--as-of 2020-01-01 is before the log's first date (2024-03-05): every date would "
            "be more than a year in the future. Fix: pass --as-of 2024-03-05 or a later day"
        ), message
    # a few dates past as-of + 1 year in a log that is otherwise fine stay row errors
    mixed = _write(tmp_path, "Date,Status\n2024-03-05,Sent\n2031-01-01,Sent\n", "mixed.csv")
    with pytest.raises(OutreachDataError, match="not a possible date"):
        load_report(mixed, as_of="2024-06-01")
    assert load_report(path, as_of="2024-03-05").rows_used == 2
