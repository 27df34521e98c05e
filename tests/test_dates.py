"""Reading dates: the written forms, per-column day/month order, and ambiguous columns."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outreach_analytics import OutreachDataError, load_report, normalize
from outreach_analytics.model.dates import infer_date_order, parse_dates, parse_unique_dates


def _days(parsed) -> list[str | None]:
    return [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in parsed.values]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-3-5", "2024-03-05"),
        ("2024/03/05", "2024-03-05"),
        ("2024-03-05T14:30:00", "2024-03-05"),
        ("2024-03-05 09:15", "2024-03-05"),
        ("2024-03-05T23:59:59Z", "2024-03-05"),
        ("05.03.2024", "2024-03-05"),
        ("5.3.2024", "2024-03-05"),
        ("05.03.2024 17:00", "2024-03-05"),
        ("05.03.24", "2024-03-05"),
    ],
)
def test_iso_and_dotted_dates(text, expected):
    parsed = parse_dates(pd.Series([text], dtype="str"))
    assert _days(parsed) == [expected]
    assert not parsed.invalid.any()


def test_month_first_column_with_times():
    values = pd.Series(["3/14/2024", "11/3/2024", "3/14/2024 5:30 PM", "12/1/2023 08:00"])
    parsed = parse_dates(values)
    assert parsed.order == "month-first" and parsed.decided and not parsed.ambiguous
    assert _days(parsed) == ["2024-03-14", "2024-11-03", "2024-03-14", "2023-12-01"]


def test_day_first_column_with_times():
    values = pd.Series(["14/3/2024", "3/11/2024", "14/03/2024 17:00", "1-12-2023"])
    parsed = parse_dates(values)
    assert parsed.order == "day-first" and parsed.decided and not parsed.ambiguous
    assert _days(parsed) == ["2024-03-14", "2024-11-03", "2024-03-14", "2023-12-01"]


def test_excel_serials():
    values = pd.Series(["45366", "45366.75", "44927", "12345"])
    parsed = parse_dates(values)
    epoch = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
    assert _days(parsed)[:3] == [
        (epoch + dt.timedelta(days=45366)).isoformat(),
        (epoch + dt.timedelta(days=45366)).isoformat(),
        (epoch + dt.timedelta(days=44927)).isoformat(),
    ]
    assert _days(parsed)[2] == "2023-01-01"
    # a five-digit number far outside 1968..2099 is not taken for a date
    assert parsed.invalid.tolist() == [False, False, False, True]


def test_datetime_values_are_kept_as_days():
    values = pd.Series(pd.to_datetime(["2024-03-05 14:30", None]))
    parsed = parse_dates(values)
    assert _days(parsed) == ["2024-03-05", None]
    assert not parsed.invalid.any()


def test_empty_cells_are_missing_not_invalid_and_junk_is_invalid():
    parsed = parse_dates(pd.Series(["2024-03-05", None, "", "soon", "2024-02-30"], dtype="str"))
    assert _days(parsed) == ["2024-03-05", None, None, None, None]
    assert parsed.invalid.tolist() == [False, False, False, True, True]


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["03/04/2024", "25/04/2024"], "day-first"),
        (["11/14/2021", "11/3/2021"], "month-first"),
        (["03/04/2024", "05/06/2024"], None),
        (["2024-03-04"], None),
    ],
)
def test_infer_date_order(values, order):
    assert infer_date_order(pd.Series(values)) == order


def test_undecided_column_reads_only_values_that_are_the_same_either_way():
    parsed = parse_dates(pd.Series(["03/03/2024"]))
    assert _days(parsed) == ["2024-03-03"] and not parsed.ambiguous
    parsed = parse_dates(pd.Series(["03/03/2024", "03/04/2024"]))
    assert parsed.ambiguous


@pytest.mark.parametrize(
    ("order", "expected"),
    [("day-first", ["2024-04-03", "2024-06-05"]), ("month-first", ["2024-03-04", "2024-05-06"])],
)
def test_parse_dates_order_decides_an_ambiguous_column(order, expected):
    parsed = parse_dates(pd.Series(["03/04/2024", "05/06/2024"]), order)
    assert _days(parsed) == expected
    assert parsed.order == order and not parsed.decided


# ------------------------------------------------------------- through normalize


def _dates(frame: pd.DataFrame, column: str) -> list[str | None]:
    return [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in frame[column]]


def test_each_column_infers_its_own_order():
    log = pd.DataFrame(
        {
            "Date Sent": ["11/14/2021", "12/1/2021"],  # month-first (14 > 12 in 2nd place)
            "Response Date": ["25/11/2021", "02/12/2021"],  # day-first (25 > 12 in 1st place)
        }
    )
    out = normalize(log)
    assert _dates(out, "date") == ["2021-11-14", "2021-12-01"]
    assert _dates(out, "responded_on") == ["2021-11-25", "2021-12-02"]


def test_ambiguous_column_raises_and_names_date_order(tmp_path):
    log = pd.DataFrame({"Date": ["03/04/2024", "05/06/2024"], "Status": ["Sent", "Rejected"]})
    with pytest.raises(OutreachDataError) as info:
        normalize(log)
    message = str(info.value)
    assert "--date-order" in message
    assert "'Date'" in message and "03/04/2024" in message


@pytest.mark.parametrize(
    ("order", "expected"),
    [("day-first", ["2024-04-03", "2024-06-05"]), ("month-first", ["2024-03-04", "2024-05-06"])],
)
def test_date_order_decides_an_ambiguous_log(order, expected):
    log = pd.DataFrame({"Date": ["03/04/2024", "05/06/2024"], "Status": ["Sent", "Rejected"]})
    assert _dates(normalize(log, date_order=order), "date") == expected


def test_ambiguous_column_follows_another_columns_decided_order():
    log = pd.DataFrame(
        {
            "Date Sent": ["03/04/2024", "05/04/2024"],  # either way on its own
            "Response Date": ["25/04/2024", None],  # decides day-first for the log
        }
    )
    rep = load_report(log)
    assert _dates(rep.data, "date") == ["2024-04-03", "2024-04-05"]
    assert _dates(rep.data, "responded_on") == ["2024-04-25", None]
    assert any("day-first" in note for note in rep.notes)


def test_date_order_in_a_mapping_file(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Date,Status\n03/04/2024,Sent\n05/06/2024,Rejected\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[options]\ndate_order = "month-first"\n', encoding="utf-8")
    out = load_report(path, mapping=mapping).data
    assert _dates(out, "date") == ["2024-03-04", "2024-05-06"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
            # shaped like YYYY-MM-DD but not a day: the long way must report them
            st.tuples(st.integers(1000, 9999), st.integers(0, 19), st.integers(0, 39)).map(
                lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
            ),
        ),
        max_size=30,
    )
)
def test_plain_iso_columns_read_as_the_calendar_says(texts):
    """All-ISO columns take a shortcut; each text is still a day exactly when it is one."""

    def day(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return "bad"

    expected = [None if t is None else day(t) for t in texts]
    days, bad, order, decided, ambiguous = parse_unique_dates(pd.Series(texts, dtype="str"))
    got = [
        "bad" if b else (None if pd.isna(d) else pd.Timestamp(d).date())
        for d, b in zip(days, bad, strict=True)
    ]
    assert got == expected
    assert (order, decided, ambiguous) == (None, False, False)
