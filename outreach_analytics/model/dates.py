"""Reading the dates people write: ISO, M/D/YYYY, D/M/YYYY, D.M.YYYY, Excel serials, month
names (English's in the formats below, other languages' from their files), 2026年1月14日.

Whether ``03/04/2024`` is 3 April or March 4 is decided per column from its values: a
first number above 12 means day-first, a second number above 12 means month-first; with
no number above 12, US English's short date and time (``11/03/24, 9:05 PM``: two-digit
year, comma, upper-case AM/PM, as LinkedIn's export writes it) means month-first.
A column whose values never decide it is *ambiguous*; it follows the order another
column of the same log decided, or the ``date_order`` option, and otherwise the load
stops and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "DATE_ORDERS",
    "ParsedDates",
    "parse_dates",
    "parse_unique_dates",
    "parse_with_format",
    "format_example",
    "infer_date_order",
]

DATE_ORDERS = ("day-first", "month-first")

_TIME = (
    r"(?:,?[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_ISO = rf"^(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}$"
_NUMERIC = rf"^(?P<a>\d{{1,2}})(?P<sep>[/-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){_TIME}$"
_DOTTED = rf"^(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}}){_TIME}$"
# ICU's en-US short date-time, "M/d/yy, h:mm a"; day-first English (en-GB, en-IN, en-AU)
# writes a 24-hour clock or a lower-case "pm" there
_US_SHORT = r"^\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}(?::\d{2})?\s?[AP]M$"
_SERIAL = r"^\d{5}(?:\.\d+)?$"
# Chinese, Japanese and Korean: 2026年1月14日, 2026년 1월 14일
_CJK = (
    rf"^(?P<y>\d{{4}})\s*[年년]\s*(?P<m>\d{{1,2}})\s*[月월]\s*(?P<d>\d{{1,2}})\s*[日号일]?{_TIME}$"
)
# a day, another language's month word, a year: "14. Januar 2026", "1er janv. 2026",
# "14 de enero de 2026", "14 Ocak 2026" (the words: :func:`outreach_analytics.words.month_number`)
_NAMED_MONTH = (
    rf"^(?P<d>\d{{1,2}})(?:\.|er|º|°)?\s*(?:de\s+)?(?P<mon>[^\W\d_]{{3,}})\.?,?\s*"
    rf"(?:de\s+|del\s+)?(?P<y>\d{{4}}){_TIME}$"
)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_SERIAL_RANGE = (25000, 73000)  # 1968 .. 2099


@dataclass(frozen=True)
class ParsedDates:
    """Dates read from one column.

    Attributes
    ----------
    values : pandas.Series
        ``datetime64`` day values, ``NaT`` where empty or unreadable.
    invalid : pandas.Series
        True where a non-empty cell could not be read as a date.
    order : str or None
        ``"day-first"`` or ``"month-first"`` where the column had numeric dates with a
        slash or dash, else ``None``.
    decided : bool
        Whether the column's own values decided ``order``.
    ambiguous : bool
        True when numeric dates exist whose order nothing decided.
    """

    values: pd.Series
    invalid: pd.Series
    order: str | None
    decided: bool
    ambiguous: bool


def _year(y: pd.Series) -> pd.Series:
    y = pd.to_numeric(y, errors="coerce")
    return y.where(y >= 100, 2000 + y)


def infer_date_order(values: pd.Series) -> str | None:
    """Which order a column of numeric dates uses, or ``None`` if its values don't say.

    >>> infer_date_order(pd.Series(["03/04/2024", "25/04/2024"]))
    'day-first'
    >>> infer_date_order(pd.Series(["11/14/2021", "11/3/2021"]))
    'month-first'
    >>> infer_date_order(pd.Series(["03/04/2024"])) is None
    True
    >>> infer_date_order(pd.Series(["11/03/24, 11:39\u202fPM", "12/01/24, 2:15 PM"]))
    'month-first'
    """
    text = values.dropna().astype("str").str.strip()
    parts = text.str.extract(_NUMERIC)
    a = pd.to_numeric(parts["a"], errors="coerce")
    b = pd.to_numeric(parts["b"], errors="coerce")
    day_first = int((a > 12).sum())
    month_first = int((b > 12).sum())
    if day_first == month_first == 0:
        us = text[parts["a"].notna()].str.replace(r"\s+", " ", regex=True)
        return "month-first" if len(us) and us.str.fullmatch(_US_SHORT).all() else None
    return "day-first" if day_first >= month_first else "month-first"


def parse_dates(values: pd.Series, order: str | None = None) -> ParsedDates:
    """Read a column of dates written in any of the supported forms.

    Parameters
    ----------
    values : pandas.Series
        Text cells (or already-parsed datetimes, which are kept).
    order : {"day-first", "month-first"}, optional
        Used for numeric dates when the column's values do not decide it.

    Examples
    --------
    >>> s = pd.Series(["2024-03-05", "14/03/2024", "06.03.2024", "45366", None, "soon"])
    >>> out = parse_dates(s)
    >>> out.values.dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-05', '2024-03-14', '2024-03-06', '2024-03-15', nan, nan]
    >>> out.invalid.tolist(), out.order
    ([False, False, False, False, False, True], 'day-first')
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        day = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
        day = day.dt.normalize().astype("datetime64[s]")
        return ParsedDates(day, pd.Series(False, index=values.index), None, True, False)
    codes, uniques = pd.factorize(values.astype("str").str.strip(), use_na_sentinel=True)
    u = pd.Series(uniques, dtype="str").reset_index(drop=True)
    days, bad, chosen, decided, ambiguous = parse_unique_dates(u.where(u != "", None), order)
    n = len(codes)
    res = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    invalid = np.zeros(n, dtype=bool)
    ok = codes >= 0
    if len(days):
        res[ok] = days[codes[ok]]
        invalid[ok] = bad[codes[ok]]
    return ParsedDates(
        pd.Series(res, index=values.index),
        pd.Series(invalid, index=values.index),
        chosen,
        decided,
        ambiguous,
    )


def _plain_iso(u: pd.Series) -> np.ndarray | None:
    """The days of texts that are all ``YYYY-MM-DD`` (or empty), else ``None``.

    The common case, read by numpy in one call instead of the patterns below; a value
    numpy refuses (``2024-02-30``) sends the column the long way, which reports it.
    """
    given = u.notna()
    if not u[given].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
        return None
    try:
        return np.array(u.to_numpy(dtype=object, na_value=None), dtype="datetime64[D]").astype(
            "datetime64[s]"
        )
    except ValueError:
        return None


def parse_unique_dates(u: pd.Series, order: str | None = None):
    """Read distinct date texts (``None`` for empty); the work behind :func:`parse_dates`.

    Returns
    -------
    days : numpy.ndarray of datetime64[s]
    invalid : numpy.ndarray of bool
        Non-empty values that are not dates.
    order, decided, ambiguous
        As in :class:`ParsedDates`.
    """
    u = pd.Series(u, dtype="str").reset_index(drop=True)
    plain = _plain_iso(u)
    if plain is not None:
        return plain, np.zeros(len(u), dtype=bool), None, False, False
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[s]")

    def assign(mask: pd.Series, y, m, d) -> None:
        frame = pd.DataFrame({"year": y, "month": m, "day": d})[mask]
        if len(frame):
            out.loc[frame.index] = pd.to_datetime(frame, errors="coerce").astype("datetime64[s]")

    iso = u.str.extract(_ISO)
    assign(
        iso["y"].notna(), pd.to_numeric(iso["y"]), pd.to_numeric(iso["m"]), pd.to_numeric(iso["d"])
    )

    dotted = u.str.extract(_DOTTED)
    assign(
        dotted["y"].notna(),
        _year(dotted["y"]),
        pd.to_numeric(dotted["m"]),
        pd.to_numeric(dotted["d"]),
    )

    numeric = u.str.extract(_NUMERIC)
    has_numeric = numeric["y"].notna()
    own = infer_date_order(u[has_numeric]) if has_numeric.any() else None
    decided = own is not None
    chosen = own or order
    ambiguous = bool(has_numeric.any()) and not decided
    if has_numeric.any() and chosen is not None:
        a, b = pd.to_numeric(numeric["a"]), pd.to_numeric(numeric["b"])
        day, month = (a, b) if chosen == "day-first" else (b, a)
        assign(has_numeric, _year(numeric["y"]), month, day)
    elif has_numeric.any():
        # undecided: read only the values that are the same either way (03/03/2024)
        a, b = pd.to_numeric(numeric["a"]), pd.to_numeric(numeric["b"])
        same = has_numeric & (a == b)
        assign(same, _year(numeric["y"]), a, b)
        ambiguous = bool((has_numeric & ~same).any())

    serial = u.str.fullmatch(_SERIAL).fillna(False).astype(bool)
    if serial.any():
        num = pd.to_numeric(u[serial], errors="coerce")
        ok = num.between(*_SERIAL_RANGE)
        days = np.floor(num[ok].to_numpy()).astype("int64")
        out.loc[num[ok].index] = (_EXCEL_EPOCH + days.astype("timedelta64[D]")).astype(
            "datetime64[s]"
        )

    cjk = u.str.extract(_CJK)
    assign(
        cjk["y"].notna(), pd.to_numeric(cjk["y"]), pd.to_numeric(cjk["m"]), pd.to_numeric(cjk["d"])
    )

    rest = u.notna() & out.isna() & u.str.contains(r"[^\W\d_]{3}", regex=True).fillna(False)
    if rest.any():
        for fmt in (
            "%b %d, %Y",
            "%B %d, %Y",
            "%d %b %Y",
            "%d %B %Y",
            "%a, %d %b %Y",
            "%b %d %Y",
            "%B %d %Y",
            "%d-%b-%Y",
            "%d-%b-%y",
        ):
            todo = rest & out.isna()
            if not todo.any():
                break
            cleaned = u[todo].str.replace(r"\s+", " ", regex=True)
            parsed = pd.to_datetime(cleaned, format=fmt, errors="coerce")
            out.loc[parsed.dropna().index] = parsed.dropna().astype("datetime64[s]")
        todo = rest & out.isna()
        if todo.any():  # month words of other languages, read from their files only now
            from ..words import month_number

            # on every distinct value's index (rows not tried: no match), as assign wants
            named = u[todo].str.extract(_NAMED_MONTH).reindex(u.index)
            month = named["mon"].map(lambda w: month_number(w) if isinstance(w, str) else None)
            assign(
                month.notna(),
                pd.to_numeric(named["y"]),
                pd.to_numeric(month),
                pd.to_numeric(named["d"]),
            )

    bad_unique = (u.notna() & out.isna()).to_numpy()
    return (
        out.to_numpy(dtype="datetime64[s]"),
        bad_unique,
        chosen if has_numeric.any() else None,
        decided,
        ambiguous,
    )


def parse_with_format(u: pd.Series, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """Read distinct date texts with one strptime format (a column's format under
    ``[dates]``): the days, and which non-empty texts do not match it.

    Runs of spaces (a narrow no-break space before "PM", as LinkedIn writes) read as one.

    >>> days, bad = parse_with_format(pd.Series(["11/23/24, 11:39\u202fPM", "23/11/24", None]),
    ...                               "%m/%d/%y, %I:%M %p")
    >>> days.astype("datetime64[D]").astype(str).tolist(), bad.tolist()
    (['2024-11-23', 'NaT', 'NaT'], [False, True, False])
    """
    u = pd.Series(u, dtype="str").reset_index(drop=True)
    text = u.str.replace(r"\s+", " ", regex=True).str.strip()
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    days = parsed.dt.normalize().to_numpy(dtype="datetime64[s]")
    return days, (u.notna() & parsed.isna()).to_numpy()


def format_example(fmt: str) -> str:
    """A date written in ``fmt``, for messages.

    >>> format_example("%d %b %Y")
    '14 Jan 2026'
    """
    from datetime import datetime

    return datetime(2026, 1, 14, 23, 39).strftime(fmt)
