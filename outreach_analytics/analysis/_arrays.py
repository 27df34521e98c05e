"""A log's columns as plain numpy arrays: the per-row step of the analyses, made cheap.

The analyses of :mod:`.survival`, :mod:`.follow_ups`, :mod:`.activity` and
:mod:`.challenge` take the canonical frame and return tidy frames, but their per-row work
runs on arrays pulled out of the frame once: dates as integers (seconds or days since
1970, :data:`NO_DATE` where there is none), text columns as codes into their distinct
values (a categorical's own codes: no per-row text is compared), and counts of rows per
day or per code with :func:`numpy.bincount`. Only small tables of counts become frames.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..model.schema import PLANNED, STAGES

#: Seconds or days since 1970 of a missing date (NaT): below every real date, so that a
#: ``max`` over date columns skips it.
NO_DATE = np.iinfo(np.int64).min
#: Seconds in a day.
DAY = 86_400


def datetimes(values: pd.Series) -> np.ndarray:
    """A date column as ``datetime64[s]`` (no copy when it already is one).

    >>> datetimes(pd.Series(["2024-03-01", None])).tolist()
    [datetime.datetime(2024, 3, 1, 0, 0), None]
    """
    if values.dtype.kind != "M":
        values = pd.to_datetime(values)
    return values.to_numpy(dtype="datetime64[s]")


def seconds(values: pd.Series) -> np.ndarray:
    """Seconds since 1970 of a date column, :data:`NO_DATE` where there is no date.

    >>> seconds(pd.Series(pd.to_datetime(["1970-01-02", None]))).tolist() == [86400, NO_DATE]
    True
    """
    return datetimes(values).view(np.int64)


def day_numbers(values: pd.Series) -> np.ndarray:
    """Days since 1970 of a date column, floored to the day (as ``dt.normalize``),
    :data:`NO_DATE` where there is no date.

    >>> day_numbers(pd.Series(pd.to_datetime(["1970-01-03 18:00", None]))).tolist()[0]
    2
    """
    return days_of_seconds(seconds(values))


def first_seconds(columns: Iterable[np.ndarray]) -> np.ndarray | None:
    """Row by row, the earliest of several :func:`seconds` arrays, ignoring missing dates;
    :data:`NO_DATE` where none has a date (None for no column).

    >>> first = first_seconds([np.array([5, NO_DATE, NO_DATE]), np.array([3, 7, NO_DATE])])
    >>> first.tolist()[:2], bool(first[2] == NO_DATE)
    ([3, 7], True)
    """
    out = None
    for sec in columns:
        if out is not None and not _any_date(sec):
            continue  # a column without a date changes nothing (one pass to know)
        # one less, wrapping around: a missing date becomes the largest number
        shifted = np.subtract(sec, 1)
        out = shifted if out is None else np.minimum(out, shifted, out=out)
    if out is not None:
        out += 1  # and back: the largest number wraps around to NO_DATE
    return out


def last_seconds(columns: Iterable[np.ndarray]) -> np.ndarray | None:
    """Row by row, the latest of several :func:`seconds` arrays (a new array), ignoring
    missing dates; :data:`NO_DATE` where none has a date (None for no column).

    >>> last_seconds([np.array([5, NO_DATE]), np.array([3, NO_DATE])]).tolist()[0]
    5
    """
    out = None
    for sec in columns:
        if out is None:
            out = sec.copy()
        elif _any_date(sec):
            np.maximum(out, sec, out=out)  # NO_DATE is the lowest number
    return out


def _any_date(sec: np.ndarray) -> bool:
    return len(sec) > 0 and sec.max() != NO_DATE


def days_of_seconds(sec: np.ndarray) -> np.ndarray:
    """:func:`seconds` as day numbers (floored), :data:`NO_DATE` kept."""
    # datetime64 casts to a coarser unit floor, and keep NaT
    return sec.view("datetime64[s]").astype("datetime64[D]").view(np.int64)


def float_days(values: pd.Series) -> np.ndarray:
    """Days since 1970 as floats (time of day kept as a fraction), NaN where no date.

    >>> float_days(pd.Series(pd.to_datetime(["1970-01-02 12:00", None]))).tolist()[0]
    1.5
    """
    return days_from_seconds(seconds(values))


def days_from_seconds(sec: np.ndarray) -> np.ndarray:
    """:func:`seconds` as float days, NaN where :data:`NO_DATE`."""
    out = np.full(len(sec), np.nan)
    np.divide(sec, float(DAY), out=out, where=sec != NO_DATE)
    return out


def second_of(day: pd.Timestamp) -> int:
    """Seconds since 1970 of a timestamp (as :func:`seconds` gives them)."""
    return int(np.datetime64(day, "s").view(np.int64))


def day_of(day: pd.Timestamp) -> int:
    """Days since 1970 of a timestamp, floored (as :func:`day_numbers` gives them)."""
    return int(np.datetime64(day, "s").astype("datetime64[D]").view(np.int64))


def day_dates(first: int, count: int) -> np.ndarray:
    """``count`` consecutive days from day number ``first``, as ``datetime64[s]``.

    >>> day_dates(1, 2).astype(str).tolist()
    ['1970-01-02T00:00:00', '1970-01-03T00:00:00']
    """
    return (np.arange(first, first + count, dtype=np.int64) * DAY).astype("datetime64[s]")


def word_mask(values: pd.Series, words: str | Iterable[str]) -> np.ndarray:
    """``values.isin(words)`` as a bool array; on a categorical, one test per category.

    >>> word_mask(pd.Series(["a", "b", None], dtype="category"), "a").tolist()
    [True, False, False]
    """
    words = [words] if isinstance(words, str) else list(words)
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        hits = np.flatnonzero(values.cat.categories.isin(words))
        if len(hits) == 0:
            return np.zeros(len(codes), dtype=bool)
        if len(hits) == 1:
            return codes == hits[0]
        return np.append(values.cat.categories.isin(words), False)[codes]  # code -1: missing
    return values.isin(words).to_numpy(dtype=bool)


def action_rows(df: pd.DataFrame, as_of: pd.Timestamp | None = None) -> np.ndarray:
    """The rows that are actions (as :func:`~outreach_analytics.analysis.metrics.counts`
    counts them): a stage that is not ``planned`` nor missing, not dated after ``as_of``.

    >>> log = pd.DataFrame({"date": pd.to_datetime(["2024-03-01", "2024-03-09", None]),
    ...                     "stage": ["sent", "sent", "planned"]})
    >>> action_rows(log, pd.Timestamp("2024-03-05")).tolist()
    [True, False, False]
    """
    stage = df["stage"]
    keep = ~word_mask(stage, PLANNED)
    if isinstance(stage.dtype, pd.CategoricalDtype):
        keep &= stage.cat.codes.to_numpy() >= 0
    else:
        keep &= stage.notna().to_numpy(dtype=bool)
    if as_of is not None:
        keep &= seconds(df["date"]) <= second_of(as_of)  # a missing date is not after it
    return keep


def dated_action_rows(df: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """The actions (:func:`action_rows`) with a date and no ``planned`` result: the rows
    the reply curves and the follow-up lift follow.

    >>> log = pd.DataFrame({"date": pd.to_datetime(["2024-03-01", None, "2024-03-02"]),
    ...                     "stage": ["sent", "responded", "sent"],
    ...                     "result": ["open", "open", "planned"]})
    >>> dated_action_rows(log, pd.Timestamp("2024-03-05")).tolist()
    [True, False, False]
    """
    keep = action_rows(df, as_of) & (seconds(df["date"]) != NO_DATE)
    if "result" in df.columns:
        keep &= ~word_mask(df["result"], PLANNED)
    return keep


def stage_codes(values: pd.Series) -> np.ndarray:
    """Each row's stage as its index in :data:`~outreach_analytics.model.schema.STAGES`
    (``planned``, missing, or any other word: -1), from the categories, not per row.

    >>> stage_codes(pd.Series(["sent", "won", "planned"])).tolist()
    [0, 5, -1]
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    cats = [str(c) for c in values.cat.categories]
    codes = values.cat.codes.to_numpy()
    if cats == [PLANNED, *STAGES]:  # the schema's dtype: one subtraction
        return np.maximum(codes - 1, -1).astype(np.int8)
    table = np.array([STAGES.index(c) if c in STAGES else -1 for c in cats] + [-1], np.int8)
    return table[codes]


def codes_of(values: pd.Series, missing: str | None = None) -> tuple[np.ndarray, list[str]]:
    """Each row as a code into the names of its values (as text).

    The names are a categorical's categories, in their order (some may have no row), or
    else the distinct values in order of appearance. A missing value gets the code of
    ``missing`` (added to the names if not among them), or -1 when ``missing`` is None.
    The codes are a categorical's own (a small integer type): cast them before arithmetic.

    >>> codes_of(pd.Series(["b", None, "a", "b"]), "unspecified")
    (array([0, 2, 1, 0]), ['b', 'a', 'unspecified'])
    >>> codes_of(pd.Series(["b", None, "a", "b"], dtype="category"), "unspecified")
    (array([1, 2, 0, 1], dtype=int8), ['a', 'b', 'unspecified'])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        names = [str(c) for c in values.cat.categories]
    else:
        codes, uniques = pd.factorize(values)
        names = [str(u) for u in uniques]
    if missing is not None:
        if missing not in names:
            names.append(missing)
        codes = np.where(codes < 0, names.index(missing), codes)
    return codes, names


def numbers(values: pd.Series) -> np.ndarray:
    """A number column as floats, NaN where empty or not a number.

    >>> numbers(pd.Series([1, None, 3], dtype="Int64")).tolist()
    [1.0, nan, 3.0]
    """
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def take(values: np.ndarray, keep: np.ndarray, every: bool | None = None) -> np.ndarray:
    """``values[keep]``, without a copy when ``keep`` keeps every row (``every``: known)."""
    if every is None:
        every = bool(keep.all())
    return values if every else values[keep]
