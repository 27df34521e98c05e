"""Turning a log as the user keeps it into the canonical schema.

The work is done once per distinct value of a column, not once per row, so a log of
millions of rows with a few hundred distinct dates and statuses normalizes quickly.
Every problem is collected before anything is raised: a user sees all of them at once.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FAILURE_COLUMNS, DataQualityWarning, OutreachDataError
from ..io.raw import RawTable
from ..io.sources import read_source
from ..words import test_row_names, yes_no_words
from .columns import canonical_names, resolve_columns
from .dates import DATE_ORDERS, format_example, parse_unique_dates, parse_with_format
from .mapping import (
    PLACEHOLDERS,
    WHEN,
    check_dates,
    check_exclude,
    check_statuses,
    check_undated,
)
from .schema import (
    CANONICAL_COLUMNS,
    CLOSE_DATE_COLUMN,
    PLANNED,
    RESULT_DTYPE,
    RESULTS,
    STAGE_DATE_COLUMNS,
    STAGE_DTYPE,
    header_key,
)
from .status import normalize_phrase, parse_status, suggest_words

__all__ = ["LoadReport", "normalize", "normalize_table"]

DATE_INPUTS = ("date", *STAGE_DATE_COLUMNS, CLOSE_DATE_COLUMN)
BOOL_INPUTS = {
    "responded": "responded",
    "interviewed": "interview",
    "offered": "offer",
    "won": "won",
}
_TRUE = {"true", "yes", "y", "x", "1", "✓", "✔", "checked", "done", "oui", "si", "ja"}
_FALSE = {"false", "no", "n", "0", "", "-", "–", "—", "non", "nein", "unchecked"}


def true_words() -> frozenset[str]:
    """The cells of a yes/no column that say yes, in every language (ja, oui, sí, sim,
    evet, 是...: ``outreach_analytics/languages``, read when a yes/no column is).

    >>> {"yes", "ja", "是"} <= true_words()
    True
    """
    return frozenset(_TRUE) | yes_no_words("yes")


def false_words() -> frozenset[str]:
    """The cells of a yes/no column that say no, in every language.

    >>> {"no", "nein", "否"} <= false_words()
    True
    """
    return frozenset(_FALSE) | yes_no_words("no")


#: Cells of a yes/no column that say "not known yet": the stage is not counted as reached.
_UNKNOWN = {"tbd", "tba", "n/a", "na", "#n/a", "?", "unknown", "pending", "not yet", "maybe"}
_PLACEHOLDERS = {
    "false",
    "n/a",
    "na",
    "#n/a",
    "none",
    "null",
    "-",
    "—",
    "–",
    "nan",
    "#ref!",
    "#value!",
}
#: Status words that say nothing more than "not closed": with no date, the row is planned.
_OPEN_WORDS = {"", "open"}
#: Why a row left out by ``[exclude]`` is listed.
EXCLUDED = "left out by the mapping ([exclude])"
#: Why a cell holding a formula saved without its value (an Excel workbook) is listed.
UNSAVED_FORMULA = (
    "is a formula saved without its value: open the workbook in Excel or LibreOffice and "
    "save it, so that its formulas hold their values"
)
_STAGE_CODE = {s: i for i, s in enumerate(STAGE_DTYPE.categories)}
_RESULT_CODE = {r: i for i, r in enumerate(RESULTS)}
_SHOWN_PROBLEMS = 8


#: The input columns that say how an action went: without any of them a log records
#: actions, not outcomes (:attr:`LoadReport.records_outcomes`).
OUTCOME_COLUMNS: tuple[str, ...] = (
    "status",
    "stage",
    "result",
    *STAGE_DATE_COLUMNS,
    "responded",
    "interviewed",
    "offered",
    "won",
)


@dataclass
class LoadReport:
    """A normalized log and the account of every row read.

    Attributes
    ----------
    data : pandas.DataFrame
        The canonical log, one row per action used.
    skipped : pandas.DataFrame
        One row per problem in a skipped row: ``row`` (as in the sheet), ``column``,
        ``value`` and ``reason``. A row with two problems appears twice. Rows left out by
        the mapping's ``[exclude]`` are here too, with the reason :data:`EXCLUDED`.
    blank_rows : list of int
        Sheet rows that held nothing (or only a placeholder such as ``FALSE`` or a number).
    rows_read : int
        Data rows below the header: always ``rows_used + rows_skipped + rows_blank``.
    source : str
        What was read.
    columns : dict
        Which source column(s) each input column was read from.
    notes : list of str
        Guesses the reader made that the user may want to confirm.
    undated_rows : list of int
        Sheet rows used as actions of unknown date (an outcome but no date): they count in
        rates and the funnel, not in anything over time.
    planned_rows : list of int
        Sheet rows used as planned (not actions): by their status word ("Wishlist"), or
        because they have no date and nothing says they were sent (``undated`` option).
    excluded_rows : list of int
        Sheet rows left out by the mapping's ``[exclude]`` (also listed in ``skipped``).
    """

    data: pd.DataFrame
    skipped: pd.DataFrame
    blank_rows: list[int]
    rows_read: int
    source: str = ""
    columns: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    undated_rows: list[int] = field(default_factory=list)
    planned_rows: list[int] = field(default_factory=list)
    excluded_rows: list[int] = field(default_factory=list)

    @property
    def rows_used(self) -> int:
        return len(self.data)

    @property
    def records_outcomes(self) -> bool:
        """Whether the log has a column saying how its actions went: a status, a stage's
        date or a yes/no stage column (or, read again, a canonical ``stage``).

        A log without one (a job board's export of applications, a mail tool's sent
        log) records actions only: its zeros are not outcomes. A report that does not
        say what it was read from (``columns`` empty) is taken to record them.
        """
        if not self.columns:
            return True
        return any(self.columns.get(c) for c in OUTCOME_COLUMNS)

    @property
    def rows_skipped(self) -> int:
        return int(self.skipped["row"].nunique()) if len(self.skipped) else 0

    @property
    def rows_blank(self) -> int:
        return len(self.blank_rows)


# ------------------------------------------------------------------ helpers


class _Cells:
    """A column as codes into its distinct stripped values (-1 = empty cell).

    Every reading (dates, statuses, numbers) is done once per distinct value and
    spread to the rows through the codes.
    """

    def __init__(self, codes: np.ndarray, uniques: pd.Series):
        self.codes = codes
        self.uniques = uniques.reset_index(drop=True)

    @classmethod
    def of(cls, values: pd.Series) -> _Cells:
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy()  # int8/16/32: as small as pandas keeps them
            uniques = pd.Series(values.cat.categories)
        else:
            codes, uniq = pd.factorize(values, use_na_sentinel=True)
            codes = codes.astype(np.int32)
            uniques = pd.Series(uniq)
        if pd.api.types.is_string_dtype(uniques) or uniques.dtype == object:
            uniques = uniques.astype("str").str.strip()
            empty = (uniques == "").to_numpy()
            if empty.any():  # code -1 picks the appended True: empty stays empty
                codes = np.where(np.append(empty, True)[codes], -1, codes).astype(codes.dtype)
        return cls(codes, uniques)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def present(self) -> np.ndarray:
        return self.codes >= 0

    def coalesce(self, other: _Cells) -> _Cells:
        """The first non-empty of ``self`` and ``other``, row by row."""
        mine, theirs = self.codes.astype(np.int32), other.codes.astype(np.int32)
        shifted = np.where(theirs >= 0, theirs + len(self.uniques), -1)
        return _Cells(
            np.where(mine >= 0, mine, shifted),
            pd.concat(
                [self.uniques.astype(object), other.uniques.astype(object)], ignore_index=True
            ),
        )

    def without(self, drop: np.ndarray) -> _Cells:
        """The same cells with the distinct values in ``drop`` read as empty."""
        if not np.asarray(drop).any():
            return self
        codes = np.where(np.append(drop, True)[self.codes], -1, self.codes)
        return _Cells(codes.astype(self.codes.dtype), self.uniques)

    def spread(self, per_unique: np.ndarray, fill: Any, dtype: Any = None) -> np.ndarray:
        """Per-row values from one value per distinct cell; ``fill`` where empty."""
        per_unique = np.asarray(per_unique)
        dtype = dtype or per_unique.dtype
        if np.dtype(dtype) == np.bool_ and fill is False and not per_unique.any():
            return np.zeros(len(self.codes), dtype=bool)  # no distinct value marked: no row
        table = np.empty(len(per_unique) + 1, dtype=dtype)
        table[: len(per_unique)] = per_unique
        table[-1] = fill  # code -1 (an empty cell) takes the last entry
        return table[self.codes]

    def text(self) -> np.ndarray:
        """Per-row stripped text (``None`` where empty), for messages."""
        return self.spread(self.uniques.astype(object).to_numpy(), None, object)

    def to_series(
        self,
        labels: np.ndarray | None = None,
        keep: np.ndarray | None = None,
        fill: str | None = None,
    ) -> pd.Series:
        """Rows (``keep`` of them) as a ``str`` Series; ``labels`` relabels distinct values."""
        import pyarrow as pa

        labels = self.uniques.astype("str").to_numpy(dtype=object) if labels is None else labels
        codes = self.codes if keep is None else self.codes[keep]
        if fill is not None:
            labels = np.append(labels, fill)
            codes = np.where(codes >= 0, codes, len(labels) - 1)
        arr = pa.DictionaryArray.from_arrays(
            pa.array(codes.astype(np.int32), mask=codes < 0), pa.array(labels, type=pa.string())
        )
        return pd.Series(arr.cast(pa.string()).to_pandas(), dtype="str")

    def to_categorical(
        self,
        labels: np.ndarray | None = None,
        keep: np.ndarray | None = None,
        fill: str | None = None,
    ) -> pd.Categorical:
        """Rows (``keep`` of them) as a categorical: each distinct label once, sorted, and
        only those some row holds; ``labels`` relabels the distinct values (several may
        share a label) and ``fill`` labels an empty cell (else it is missing).

        >>> cells = _Cells(np.array([1, -1, 0, 1]), pd.Series(["b", "a"]))
        >>> cells.to_categorical(fill="none").tolist()
        ['a', 'none', 'b', 'a']
        >>> cells.to_categorical(keep=np.array([True, True, False, True])).categories.tolist()
        ['a']
        """
        labels = self.uniques.astype("str").to_numpy(dtype=object) if labels is None else labels
        labels = np.append(np.asarray(labels, dtype=object), "" if fill is None else fill)
        categories, inverse = np.unique(labels.astype(str), return_inverse=True)
        inverse = inverse.astype(np.int32)
        if fill is None:  # code -1 (an empty cell) stays missing
            inverse[-1] = -1
        codes = self.codes if keep is None else self.codes[keep]
        # which distinct values (then labels) a row holds: code -1 counted first, dropped
        held = np.bincount(codes + 1, minlength=len(labels))[1:] > 0
        used = np.zeros(len(categories), dtype=bool)
        used[inverse[:-1][held]] = True
        used[inverse[-1]] |= fill is not None and bool((codes < 0).any())
        codes = inverse[codes]
        if not used.all():  # labels of distinct values no kept row holds
            renumber = np.append(np.cumsum(used) - 1, -1).astype(np.int32)  # -1 stays -1
            codes, categories = renumber[codes], categories[used]
        return pd.Categorical.from_codes(
            codes, categories=pd.Index(categories, dtype="str"), validate=False
        )


def _blank_rows(cells: list[_Cells], n: int) -> np.ndarray:
    """Rows holding nothing but empty cells, placeholders and at most one bare number.

    Only rows whose first column (the date) is blank-like can be blank, so the other
    columns are looked at for those rows alone.
    """
    blank = np.zeros(n, dtype=bool)
    if not cells:
        return blank
    rows = None  # all rows, until the first column narrows them down
    numbers = np.zeros(n, dtype=np.int8)
    for c in cells:
        s = c.uniques.astype("str")
        is_empty = s.str.casefold().isin(_PLACEHOLDERS).to_numpy()
        is_num = s.str.fullmatch(r"-?\d+(?:[.,]\d+)?").fillna(False).to_numpy(dtype=bool)
        per = np.append(np.where(is_empty, 0, np.where(is_num, 1, 2)).astype(np.int8), 0)
        kind = per[c.codes if rows is None else c.codes[rows]]
        keep = np.flatnonzero(kind < 2)
        rows = keep if rows is None else rows[keep]
        numbers = numbers[keep] + (kind[keep] == 1)
        if not len(rows):
            return blank
    blank[rows[numbers <= 1]] = True
    return blank


def _parse_number(u: pd.Series, decimal_comma: bool) -> np.ndarray:
    s = u.astype(str).str.strip()
    s = s.str.replace(r"[\s$€£¥₹]|USD|EUR|GBP|/h(?:ou)?r?$|per hour$", "", regex=True)
    thousands = s.str.fullmatch(r"-?\d+(?:[.,]\d+)?[kK]").fillna(False).to_numpy(dtype=bool)
    s = s.str.replace(r"(?<=\d)[kK]$", "", regex=True)
    if decimal_comma:
        s = s.str.replace(r"\.(?=\d{3}(?:\D|$))", "", regex=True).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(r",(?=\d{3}(?:\D|$))", "", regex=True)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float) * np.where(thousands, 1000, 1)


def _group_labels(cells: _Cells) -> np.ndarray:
    """Label per distinct value: spellings grouped case- and space-insensitively
    ("LinkedIn", "Linkedin ", "Otter Jobs" / "OtterJobs"), each group shown as its
    commonest spelling (the first seen among equals)."""
    if not len(cells.uniques):
        return np.array([], dtype=object)
    spelling = cells.uniques.astype("str")
    keys = spelling.str.casefold().str.replace(r"\s+", "", regex=True)
    if keys.is_unique:  # no two spellings to choose between: no need to count the rows
        return spelling.to_numpy(dtype=object)
    # code -1 (an empty cell) counted in the first bin, then dropped: no mask of the rows
    counts = np.bincount(cells.codes + 1, minlength=len(cells.uniques) + 1)[1:]
    table = pd.DataFrame({"key": keys, "spelling": spelling, "n": counts})
    table["order"] = np.arange(len(table))
    best = table[table["n"] > 0].sort_values(["n", "order"], ascending=[False, True])
    best = best.drop_duplicates("key").set_index("key")["spelling"]
    mapped = table["key"].map(best)
    return np.where(mapped.isna(), table["spelling"], mapped).astype(object)


class _Problems:
    """Collects (row position, column, value, reason) for every bad cell."""

    def __init__(self, rows: np.ndarray, tabs: np.ndarray | None = None):
        self.rows = rows
        self.tabs = tabs
        self.parts: list[pd.DataFrame] = []
        self.bad = np.zeros(len(rows), dtype=bool)

    def add(self, mask: np.ndarray, column: str, cells: _Cells, reason: str | np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        vals = cells.text()[mask]
        reasons = reason[mask] if isinstance(reason, np.ndarray) else reason
        self.parts.append(
            pd.DataFrame(
                {
                    "pos": np.flatnonzero(mask),
                    "column": column,
                    "value": ["" if v is None or v != v else str(v) for v in vals],
                    "reason": reasons,
                }
            )
        )

    def table(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {c: pd.Series([], dtype="int64" if c == "row" else "str") for c in FAILURE_COLUMNS}
            )
        t = pd.concat(self.parts, ignore_index=True).sort_values("pos", kind="stable")
        t.insert(0, "row", self.rows[t["pos"].to_numpy()].astype("int64"))
        if self.tabs is not None:  # every tab of a Google Sheet: the tab of each row
            t.insert(1, "tab", pd.array(self.tabs[t["pos"].to_numpy()], dtype="str"))
        return (
            t.drop(columns="pos")
            .astype({"column": "str", "value": "str", "reason": "str"})
            .reset_index(drop=True)
        )


# ------------------------------------------------------------------ main work


class _Reading:
    """What one normalization has read so far: the columns, the blank rows, the problems."""

    def __init__(
        self,
        raw: RawTable,
        colmap: dict[str, list[str]],
        placeholders: Sequence[str] = (),
        excluded: np.ndarray | None = None,
    ):
        self.raw = raw
        self.colmap = colmap
        self.n = len(raw.frame)
        self.rows = np.asarray(raw.source_rows)
        self.cells = {c: _Cells.of(raw.frame[c]) for c in dict.fromkeys(sum(colmap.values(), []))}
        first = colmap["date"][0]
        self.blank = _blank_rows(
            [self.cells[first]] + [v for k, v in self.cells.items() if k != first], self.n
        )
        self.problems = _Problems(self.rows, raw.tabs)
        self.notes = list(raw.notes)
        self.placeholders = _PLACEHOLDERS | {str(p).strip().casefold() for p in placeholders}
        self.user_placeholders = bool(placeholders)
        self.excluded = np.zeros(self.n, dtype=bool) if excluded is None else excluded
        self.blank &= ~self.excluded

    def cells_of(self, column: str) -> _Cells:
        """A source column's cells, read once."""
        if column not in self.cells:
            self.cells[column] = _Cells.of(self.raw.frame[column])
        return self.cells[column]

    def no_placeholders(self, cells: _Cells) -> _Cells:
        """A date column with "NA", "-", "n/a" and the mapping's placeholders read as empty."""
        if pd.api.types.is_datetime64_any_dtype(cells.uniques):
            return cells
        low = cells.uniques.astype("str").str.casefold()
        return cells.without(low.isin(self.placeholders).to_numpy())

    def src(self, name: str, clean: Callable[[_Cells], _Cells] | None = None) -> _Cells:
        """The input column, coalescing several source columns left to right; ``clean``
        is applied to each source column first (so an "NA" never hides a later date)."""
        clean = clean or (lambda cells: cells)
        cells = clean(self.cells[self.colmap[name][0]])
        for c in self.colmap[name][1:]:
            cells = cells.coalesce(clean(self.cells[c]))
        return cells

    def label(self, name: str) -> str:
        return " / ".join(self.colmap[name])

    def add(self, mask: np.ndarray, name: str, cells: _Cells, reason: str) -> None:
        """A problem in the rows of ``mask`` that are neither blank nor left out."""
        mask = np.asarray(mask, dtype=bool) & ~self.blank & ~self.excluded
        self.problems.add(mask, name, cells, reason)


def normalize_table(
    raw: RawTable,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    statuses: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    date_order: str | None = None,
    skip_invalid: bool = False,
    fields: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    as_of: Any = None,
    dates: Mapping[str, Any] | None = None,
    exclude: Mapping[str, Any] | None = None,
    undated: str | None = None,
) -> LoadReport:
    """Normalize a :class:`~outreach_analytics.io.raw.RawTable` and account for every row.

    Parameters
    ----------
    raw : RawTable
        The log as read from its source.
    columns : mapping, optional
        ``{canonical: source column or list of columns}``; overrides the automatic
        mapping (``outcome`` is accepted for ``status``). A list of date or text
        columns reads "the first non-empty of these"; a list of boolean stage columns
        (``responded``, ``interviewed``, ``offered``, ``won``) reads "reached if any of
        these says yes".
    statuses : mapping, optional
        The user's own status words, each mapped to a phrase the built-in vocabulary
        knows, to ``"planned"`` or to ``"STAGE/RESULT"`` (``{"No project for now": "rejected"}``);
        a ``"when"`` entry makes words depend on another column:
        ``{"when": {"column": "Type", "Networking": {"Active": "responded"}}}``.
    values : mapping, optional
        What cells of boolean stage columns mean: ``{"TBD": "unknown"}`` for every such
        column, ``{"selected for interview?": {"Skip": "no"}}`` for one; meanings are
        ``"yes"``, ``"no"`` or ``"unknown"`` (not known yet: the stage is not counted).
    date_order : {"day-first", "month-first"}, optional
        Decides numeric dates like ``03/04/2024`` in columns whose values don't.
    skip_invalid : bool, default False
        Use the valid rows and report the others instead of raising.
    fields : sequence of str, optional
        Canonical columns to build (default all). Every mapped column is still checked,
        so the same rows are used or skipped whichever fields are asked for.
    ignore : sequence of str, optional
        Source columns never used, even when their header is recognised.
    as_of : date-like, optional
        Dates more than a year after this day (default today) are impossible.
    dates : mapping, optional
        ``{source column: strptime format}`` read with that format alone (a cell that does
        not match is a bad date naming it), and ``"placeholders": [...]``, cells of any
        date column that mean "no date" (read as empty), as under ``[dates]``.
    exclude : mapping, optional
        ``{column: value or list of values}``: rows left out, each listed in ``skipped``
        (reason :data:`EXCLUDED`), never an error; the column is a header or a canonical
        name.
    undated : {"auto", "planned", "error"}, optional
        What a row with no date is (see :func:`~outreach_analytics.read_mapping`); "auto"
        by default: planned when nothing in it says it was sent.

    Raises
    ------
    OutreachDataError
        When a needed column is missing, dates are ambiguous, or (without
        ``skip_invalid``) any row has a problem; ``failure_cases`` lists them all.
    """
    if date_order is not None and date_order not in DATE_ORDERS:
        raise OutreachDataError(
            f"date_order '{date_order}' is not one of {list(DATE_ORDERS)}. "
            "Fix: pass --date-order day-first or --date-order month-first."
        )
    statuses = check_statuses(statuses)
    when = statuses.pop(WHEN, None)
    extra = user_statuses(statuses)
    formats = check_dates(dates)
    placeholders = formats.pop(PLACEHOLDERS, [])
    undated_rule = check_undated(undated) or "auto"
    explicit = canonical_names(columns)
    colmap = resolve_columns(
        list(raw.frame.columns), explicit, ignore, is_prose=lambda h: prose_column(raw.frame[h])
    )
    if "date" not in colmap:
        raw = _without_dates(raw, colmap)
    _dates_in_flag_columns(raw, colmap, explicit)
    flag_words = user_values(values, colmap)
    left_out = _Problems(np.asarray(raw.source_rows), raw.tabs)
    for column, cells, drop in _exclusions(raw, colmap, check_exclude(exclude)):
        left_out.add(cells.spread(drop, False) & ~left_out.bad, column, cells, EXCLUDED)
    r = _Reading(raw, colmap, placeholders, left_out.bad)
    _unsaved_formulas(r)
    day_of, date_cols = _read_dates(
        r, date_order, _latest_possible(as_of), _formats(r, formats), explicit
    )
    stage_code, result, said = _read_stage(r, extra, day_of, flag_words, when)
    planned = stage_code == _STAGE_CODE[PLANNED]
    undated = ~date_cols["date"].present & ~r.blank & ~r.excluded
    to_plan = np.zeros(r.n, dtype=bool)
    if undated_rule == "error":
        r.add(
            undated & ~planned,
            r.label("date"),
            date_cols["date"],
            'is empty, but every action needs the day it was sent (undated = "error")',
        )
    else:  # "auto": planned when nothing says it was sent; "planned": every undated row
        to_plan = undated & ~planned & (~said if undated_rule == "auto" else True)
        stage_code = np.where(to_plan, _STAGE_CODE[PLANNED], stage_code).astype(np.int8)
        result = np.where(to_plan, _RESULT_CODE["open"], result).astype(np.int8)
        planned = planned | to_plan
    numbers = _read_numbers(r, explicit)

    failures = r.problems.table()
    unread = raw.bad_rows if raw.bad_rows is not None else failures.iloc[:0]
    if len(unread):  # rows the reader could not split into the header's cells
        failures = pd.concat([failures, unread[FAILURE_COLUMNS]], ignore_index=True)
        failures = failures.sort_values("row", kind="stable").reset_index(drop=True)
    if len(failures) and not skip_invalid:
        raise OutreachDataError(_failure_message(raw.name, failures, extra), failures)
    keep = ~(r.blank | r.problems.bad | r.excluded)
    notes = r.notes
    if skip_invalid and len(failures):
        notes.append(f"{failures['row'].nunique()} row(s) skipped")
    undated_rows = r.rows[keep & undated & ~planned].astype(int).tolist()
    if undated_rows:
        notes.append(
            f"{len(undated_rows)} row(s) with an outcome but no date (row "
            f"{_some(undated_rows)}) count in rates and the funnel, not in anything over time"
        )
    undated_planned = r.rows[keep & to_plan].astype(int).tolist()
    if undated_planned:
        notes.append(
            f"{len(undated_planned)} row(s) with no date and nothing saying they were sent "
            f"(row {_some(undated_planned)}) are planned: kept, not actions"
            + (
                ""
                if undated_rule == "planned"
                else ' (undated = "error" under [options] makes them bad rows)'
            )
        )
    excluded_rows = r.rows[r.excluded].astype(int).tolist()
    if excluded_rows:
        notes.append(
            f"{len(excluded_rows)} row(s) left out by the mapping's [exclude] (row "
            f"{_some(excluded_rows)}): listed with the skipped rows"
        )
        failures = pd.concat([failures, left_out.table()], ignore_index=True)
        failures = failures.sort_values("row", kind="stable").reset_index(drop=True)
    test_note = _test_rows_note(r, keep)
    if test_note:
        notes.append(test_note)
    data = _build_frame(r, keep, day_of, stage_code, result, numbers, fields)
    return LoadReport(
        data=data,
        skipped=failures,
        blank_rows=r.rows[r.blank].astype(int).tolist(),
        rows_read=r.n + len(unread),
        source=raw.name,
        columns={k: v for k, v in colmap.items() if v != [NO_DATE_COLUMN]},
        notes=notes,
        undated_rows=undated_rows,
        planned_rows=r.rows[keep & planned].astype(int).tolist(),
        excluded_rows=excluded_rows,
    )


def _test_rows_note(r: _Reading, keep: np.ndarray) -> str | None:
    """The note flagging kept rows whose client is a placeholder name ("Musterfirma", "Test
    company"): an example row left in the log. Flagged, never dropped: the owner knows."""
    if "client" not in r.colmap:
        return None
    cells = r.src("client")
    names = test_row_names(list(r.raw.frame.columns))
    # one vectorised comparison of the distinct names (a sent log may hold a million)
    marked = cells.uniques.astype("str").str.lower().isin(names).to_numpy()
    hit = cells.spread(marked, False) & keep
    if not hit.any():
        return None
    rows = r.rows[hit].astype(int).tolist()
    values = list(dict.fromkeys(str(v) for v in cells.text()[hit]))
    shown = ", ".join(f"'{v}'" for v in values[:3]) + (" ..." if len(values) > 3 else "")
    one = len(rows) == 1
    return (
        f"{'row' if one else 'rows'} {_some(rows)} "
        f"{'looks like a test row' if one else 'look like test rows'}: "
        f"'{r.label('client')}' is {shown}, a name for an example. "
        f"{'It is counted as an action' if one else 'They are counted as actions'}; if not "
        "real, leave "
        f'{"it" if one else "them"} out with [exclude] in a mapping: client = "{values[0]}"'
    )


def _some(rows: list[int]) -> str:
    """The first rows of a list, for a note: ``"3, 5, 8 ..."``."""
    more = " ..." if len(rows) > _SHOWN_PROBLEMS else ""
    return ", ".join(map(str, rows[:_SHOWN_PROBLEMS])) + more


def prose_column(values: pd.Series) -> bool:
    """Whether a column holds free text (sentences) rather than short repeated words.

    Read from its distinct values: prose when the typical one is over 40 characters or
    six words long.

    >>> prose_column(pd.Series(["Applied", "Rejected", "Applied", "Interview"]))
    False
    >>> prose_column(pd.Series(["They said they would get back to me after the holidays",
    ...                         "Recruiter called, promising, maybe an offer next week"]))
    True
    """
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return False
    u = pd.Series(values.dropna().unique()).astype("str").str.strip()
    u = u[u != ""]
    if not len(u):
        return False
    return bool(u.str.len().median() > 40 or u.str.split().str.len().median() > 6)


def _source_column(raw: RawTable, colmap: dict[str, list[str]], name: str, table: str) -> list[str]:
    """The source column(s) a mapping table names: a header, or a canonical column."""
    by_key = {header_key(h): h for h in reversed(list(raw.frame.columns))}
    if header_key(name) in by_key:
        return [by_key[header_key(name)]]
    if name in colmap:
        return colmap[name]
    raise OutreachDataError(
        f"{table} names '{name}', which is neither a column of '{raw.name}' nor a canonical "
        f"column read from it. Columns in the log: {list(raw.frame.columns)}. Fix: use one of "
        "those headers (as in the sheet) or a mapped canonical name such as client."
    )


def _unsaved_formulas(r: _Reading) -> None:
    """Formulas saved without their value in a column that is read: bad cells, also in a
    row that looks blank (the formula's value is not known). Other columns': a note."""
    unsaved = r.raw.unsaved_formulas
    if unsaved is None or not len(unsaved):
        return
    read = {c for cols in r.colmap.values() for c in cols}
    at = {int(n): i for i, n in enumerate(r.rows)}
    for column, grp in unsaved[unsaved["column"].isin(read)].groupby("column", sort=False):
        pos = np.array([at[int(n)] for n in grp["row"]])
        mask = np.zeros(r.n, dtype=bool)
        mask[pos] = True
        mask &= ~r.excluded
        texts = np.full(r.n, None, dtype=object)
        texts[pos] = grp["value"].to_numpy()
        r.problems.add(mask, str(column), _Cells.of(pd.Series(texts, dtype="str")), UNSAVED_FORMULA)
        r.blank &= ~mask
    others = unsaved[~unsaved["column"].isin(read)]
    if len(others):
        names = ", ".join(f"'{c}'" for c in dict.fromkeys(others["column"]))
        r.notes.append(
            f"{len(others)} cell(s) of {names} (not read) hold formulas saved without their "
            "values: read as empty"
        )


def _exclusions(
    raw: RawTable, colmap: dict[str, list[str]], exclude: Mapping[str, tuple[str, ...]]
) -> list[tuple[str, _Cells, np.ndarray]]:
    """Per ``[exclude]`` column: its header, its cells and which distinct values to leave out
    (case and surrounding spaces ignored)."""
    out = []
    for name, wanted in exclude.items():
        keys = {str(v).strip().casefold() for v in wanted}
        for col in _source_column(raw, colmap, name, f"[exclude] {name!r}"):
            cells = _Cells.of(raw.frame[col])
            drop = cells.uniques.astype("str").str.casefold().isin(keys).to_numpy()
            out.append((col, cells, drop))
    return out


def _formats(r: _Reading, formats: Mapping[str, str]) -> dict[str, str]:
    """``[dates]`` formats by source column, each a column read as a date."""
    date_sources = [c for name in DATE_INPUTS for c in r.colmap.get(name, [])]
    by_key = {header_key(c): c for c in date_sources}
    out = {}
    for column, fmt in formats.items():
        real = by_key.get(header_key(column))
        if real is None:
            raise OutreachDataError(
                f"[dates] gives a format for '{column}', which is not a date column of "
                f"'{r.raw.name}' (the date columns read: {date_sources or 'none'}). Fix: use the "
                "header of one of those, or map the column first (e.g. date = "
                f'"{column}" under [columns]).'
            )
        out[real] = fmt
    return out


#: What a log with no date column reads its dates from: a column of empty cells.
NO_DATE_COLUMN = "(no date column)"


def _without_dates(raw: RawTable, colmap: dict[str, list[str]]) -> RawTable:
    """A log with no date column (a tracker that never noted days): every row is of unknown
    date, ``colmap["date"]`` an empty column. A column that holds dates but whose header
    is not known stops the load instead, naming it: that is the date column unrecognised;
    so does a log with no outcome column either (nothing in it would be understood).
    """
    used = {c for cols in colmap.values() for c in cols}
    dated = [h for h in raw.frame.columns if h not in used and _holds_dates(raw.frame[h])]
    # without dates, only the outcomes tell anything: a log with neither is not understood
    if dated or not any(colmap.get(c) for c in OUTCOME_COLUMNS):
        hint = f" ('{dated[0]}' holds dates: is it the one?)" if dated else ""
        example = dated[0] if dated else "Date Sent"
        raise OutreachDataError(
            f"No column in '{raw.name}' is known to hold the date each action was sent"
            f"{hint}. Columns in the log: {raw.all_columns}. Fix: name it, e.g. --column "
            f'date="{example}" (or date = "..." under [columns] in a mapping file).'
        )
    colmap["date"] = [NO_DATE_COLUMN]
    empty = pd.Series(pd.NA, index=raw.frame.index, dtype="str")
    note = (
        "the log has no date column (no header names one, no column holds dates): every "
        "row is of unknown date, so rates and the funnel count them and nothing over time "
        "does (activity, streaks, the forecast, follow-ups)"
    )
    return dataclasses.replace(
        raw, frame=raw.frame.assign(**{NO_DATE_COLUMN: empty}), notes=[*raw.notes, note]
    )


def _holds_dates(column: pd.Series) -> bool:
    """Whether most distinct cells of a column read as dates (numbers alone do not: a
    salary of 45000 is no Excel date here)."""
    u = pd.Series(column.dropna().unique(), dtype="str").str.strip()
    u = u[(u != "") & ~u.str.fullmatch(r"[\d.,\s]+")].reset_index(drop=True)
    if not len(u):
        return False
    return (~parse_unique_dates(u, "day-first")[1]).mean() >= 0.5


_FLAG_DATES = {
    "responded": "responded_on",
    "interviewed": "interview_on",
    "offered": "offer_on",
    "won": "won_on",
}


def _dates_in_flag_columns(
    raw: RawTable, colmap: dict[str, list[str]], explicit: Mapping[str, Any]
) -> None:
    """A column recognised as yes/no ("Job offer") that holds dates is read as the date the
    stage was reached ("offer_on"), unless the user named it or that date is mapped."""
    for flag, date in _FLAG_DATES.items():
        if flag not in colmap or flag in explicit or date in colmap or len(colmap[flag]) > 1:
            continue
        u = pd.Series(raw.frame[colmap[flag][0]].dropna().unique()).astype("str").str.strip()
        u = u[~u.str.casefold().isin(_PLACEHOLDERS | false_words() | _UNKNOWN)]
        if len(u) and not parse_unique_dates(u.reset_index(drop=True), "day-first")[1].any():
            colmap[date] = colmap.pop(flag)
            raw.notes.append(f"'{colmap[date][0]}' holds dates: read as {date}")


def _latest_possible(as_of: Any) -> np.datetime64:
    day = pd.Timestamp.today() if as_of is None else pd.Timestamp(as_of)
    return (day.normalize() + pd.DateOffset(years=1)).to_datetime64().astype("datetime64[s]")


def _read_dates(
    r: _Reading,
    date_order: str | None,
    latest: np.datetime64,
    formats: Mapping[str, str] | None = None,
    explicit: Mapping[str, Any] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, _Cells]]:
    """Every date column, with the day/month order decided from all of them together;
    a source column with a format under ``[dates]`` is read with that format alone."""
    formats = formats or {}
    date_cols = {c: r.src(c, r.no_placeholders) for c in DATE_INPUTS if c in r.colmap}
    if r.user_placeholders:
        _note_placeholders(r, date_cols)
    dates: dict[str, np.ndarray] = {}
    typed = {c: v for c, v in date_cols.items() if pd.api.types.is_datetime64_any_dtype(v.uniques)}
    texts = {c: v for c, v in date_cols.items() if c not in typed}
    # which distinct values come from a column with a format: coalesced cells hold each
    # source column's distinct values in turn
    fmt_of = {c: _format_per_unique(r, c, formats) for c in texts}
    auto = {c: v.uniques.astype("str").where(fmt_of[c] == "", None) for c, v in texts.items()}
    first = {c: parse_unique_dates(auto[c], date_order) for c in texts}
    decided = [p[2] for p in first.values() if p[3]]
    log_order = date_order or (decided[0] if decided else None)
    for c, cells in typed.items():
        u = pd.Series(cells.uniques)
        day = u.dt.tz_localize(None) if getattr(u.dt, "tz", None) else u
        dates[c] = _possible(r, c, cells, day.dt.normalize().to_numpy("datetime64[s]"), latest)
    for c, cells in texts.items():
        days, bad, order, own, ambiguous = first[c]
        if ambiguous and log_order is not None and date_order is None:
            days, bad, order, own, ambiguous = parse_unique_dates(auto[c], log_order)
            r.notes.append(f"'{r.label(c)}' read {log_order} like the log's other date columns")
        if ambiguous and log_order is None:
            u = auto[c]
            example = u[pd.isna(days) & ~bad & u.notna().to_numpy()]
            example = example.iloc[0] if len(example) else u.dropna().iloc[0]
            raise OutreachDataError(
                f"Column '{r.label(c)}' has dates such as '{example}' that read as either "
                "day-first or month-first, and no value in the log decides which. Fix: pass "
                "--date-order day-first or --date-order month-first (or date_order under "
                "[options] in a mapping file, or the column's format under [dates])."
            )
        fmt_bad = np.zeros(len(days), dtype=bool)
        for fmt in set(fmt_of[c]) - {""}:
            mine = (fmt_of[c] == fmt).to_numpy()
            got, wrong = parse_with_format(cells.uniques.astype("str")[mine], fmt)
            days = np.array(days, dtype="datetime64[s]")  # a copy: written below
            days[mine] = got
            fmt_bad[np.flatnonzero(mine)[wrong]] = True
            r.add(
                cells.spread(np.where(mine, fmt_bad, False), False),
                r.label(c),
                cells,
                f"is not a date in the format '{fmt}' given under [dates] (such as "
                f"{format_example(fmt)})",
            )
        if c == CLOSE_DATE_COLUMN and c not in (explicit or {}) and (bad | fmt_bad).any():
            _set_aside_close_dates(r, cells, bad | fmt_bad)
            del r.colmap[c]
            continue
        if own and order:
            r.notes.append(f"'{r.label(c)}' read as {order} dates")
        order_hint = f" in {order} order" if order else ""
        r.add(
            cells.spread(bad, False),
            r.label(c),
            cells,
            f"is not a date{order_hint} (write dates like 2024-03-05)",
        )
        dates[c] = _possible(r, c, cells, days, latest)
    return dates, {c: v for c, v in date_cols.items() if c in r.colmap}


def _format_per_unique(r: _Reading, name: str, formats: Mapping[str, str]) -> pd.Series:
    """For each distinct value of a (coalesced) date column, its source column's format
    under ``[dates]``, or ``""``."""
    parts = [
        np.full(len(r.cells[col].uniques), formats.get(col, ""), dtype=object)
        for col in r.colmap[name]
    ]
    return pd.Series(np.concatenate(parts) if parts else np.array([], dtype=object), dtype=object)


def _note_placeholders(r: _Reading, date_cols: dict[str, _Cells]) -> None:
    """How many cells of each date column the mapping's placeholders emptied."""
    for c in date_cols:
        for col in r.colmap[c]:
            cells = r.cells[col]
            n = int(cells.present.sum() - r.no_placeholders(cells).present.sum())
            if n:
                r.notes.append(
                    f"{n} cell(s) of '{col}' are placeholders under [dates]: read as no date"
                )


def _set_aside_close_dates(r: _Reading, cells: _Cells, bad: np.ndarray) -> None:
    """A close-date column recognised by its header alone ("Closed") whose cells are not
    all dates (a yes/no column) is not read: one warning, the rows are used."""
    rows = cells.spread(bad, False) & ~r.blank
    example = cells.text()[rows][0] if rows.any() else ""
    message = (
        f"Column '{r.label(CLOSE_DATE_COLUMN)}' was taken as {CLOSE_DATE_COLUMN} (the day a row "
        f"closed) but {int(rows.sum())} of its cells are not dates (e.g. '{example}'); the "
        f"column is set aside and the rows are used. Fix: map it (closed_on = "
        f'"{r.label(CLOSE_DATE_COLUMN)}" under [columns]) to have every cell checked, or list '
        "it under ignore in [options]."
    )
    warnings.warn(message, DataQualityWarning, stacklevel=5)
    r.notes.append(message)


_EARLIEST = np.datetime64("1990-01-01", "s")


def _check_as_of(days: np.ndarray, latest: np.datetime64) -> None:
    """One error, not one per row, when as-of comes before every date the log was sent."""
    sent = days[~np.isnat(days) & (days >= _EARLIEST)]
    if not sent.size or (sent <= latest).any():
        return
    as_of = (pd.Timestamp(latest) - pd.DateOffset(years=1)).date()
    first = pd.Timestamp(sent.min()).date()
    today = " (today, the default)" if as_of == pd.Timestamp.today().date() else ""
    raise OutreachDataError(
        f"--as-of {as_of}{today} is before the log's first date ({first}): every date would "
        f"be more than a year in the future. Fix: pass --as-of {first} or a later day "
        "(as_of= in Python), e.g. the day the log was last updated."
    )


def _possible(
    r: _Reading, name: str, cells: _Cells, days: np.ndarray, latest: np.datetime64
) -> np.ndarray:
    """Per-row days, with impossible ones (Excel's zero date 1899-12-30, years before 1990
    or more than a year after as-of) reported as bad cells and left empty."""
    days = np.asarray(days, dtype="datetime64[s]")
    if name == "date":
        _check_as_of(days, latest)
    wrong = ~np.isnat(days) & ((days < _EARLIEST) | (days > latest))
    r.add(
        cells.spread(wrong, False),
        r.label(name),
        cells,
        "is not a possible date (before 1990 or over a year after as-of; 1899-12-30 is "
        "what an empty Excel date formula shows)",
    )
    days = np.where(wrong, np.datetime64("NaT"), days)
    return cells.spread(days, np.datetime64("NaT"), "datetime64[s]")


def _read_stage(
    r: _Reading,
    extra: dict[str, tuple[str, str]],
    dates: dict[str, np.ndarray],
    flag_words: dict[str, dict[str, int]],
    when: Mapping[str, Any] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage and result codes per row, and whether anything in the row says it was sent
    (an outcome, a stage date, a yes; a status word other than "Open")."""
    stage_code = np.full(r.n, _STAGE_CODE["sent"], dtype=np.int8)
    result = np.full(r.n, _RESULT_CODE["open"], dtype=np.int8)
    result_known = np.zeros(r.n, dtype=bool)
    said = np.zeros(r.n, dtype=bool)
    if "stage" in r.colmap and "result" in r.colmap:
        st_code, ok = _canonical_codes(r, "stage", _STAGE_CODE)
        stage_code = np.where(ok, st_code, stage_code)
        rs_code, ok = _canonical_codes(r, "result", _RESULT_CODE)
        result = np.where(ok, rs_code, result)
        result_known |= ok
        said |= r.src("stage").present
    if "status" in r.colmap:
        status = r.src("status")
        st, rs, unknown = _status_codes(status, extra)
        for rows, words in _when_rows(r, when, extra):
            st_w, rs_w, unknown_w = _status_codes(status, words)
            st, rs = np.where(rows, st_w, st), np.where(rows, rs_w, rs)
            unknown = np.where(rows, unknown_w, unknown)
        r.add(unknown, r.label("status"), status, "is an unknown status word")
        stage_code = np.where(status.present & ~unknown, st, stage_code)
        result = np.where(result_known, result, rs)
        result_known |= rs != _RESULT_CODE["open"]
        phrases = [normalize_phrase(v) for v in status.uniques]
        words = np.array([p not in _OPEN_WORDS or p in extra for p in phrases], dtype=bool)
        said |= status.spread(words, False)
    sent_on = dates["date"]
    for c, stage in (*STAGE_DATE_COLUMNS.items(), (CLOSE_DATE_COLUMN, None)):
        if c in dates:
            reached = ~np.isnat(dates[c])
            said |= reached
            if stage is not None:
                stage_code = np.where(
                    reached, np.maximum(stage_code, _STAGE_CODE[stage]), stage_code
                )
            before = reached & ~np.isnat(sent_on) & (dates[c] < sent_on)
            cells = r.src(c, r.no_placeholders)
            r.add(before, r.label(c), cells, f"is before the date sent ({r.label('date')})")
    for c, stage in BOOL_INPUTS.items():
        if c in r.colmap:
            reached = _read_flag_columns(r, c, flag_words)
            said |= reached
            stage_code = np.where(reached, np.maximum(stage_code, _STAGE_CODE[stage]), stage_code)
    won = stage_code == _STAGE_CODE["won"]
    result = np.where(won, _RESULT_CODE["won"], result)
    result = np.where(~won & (result == _RESULT_CODE["won"]), _RESULT_CODE["open"], result)
    return stage_code, result, said


def _status_codes(
    status: _Cells, words: dict[str, tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-row stage and result codes of a status column read with ``words``, and where a
    word is unknown (stage ``sent``, result ``open`` there)."""
    readings = [parse_status(v, words) for v in status.uniques]
    unknown = status.spread(np.array([x is None for x in readings], dtype=bool), False)
    st = status.spread(
        np.array([_STAGE_CODE[x[0]] if x else 1 for x in readings], dtype=np.int8), 1
    )
    rs = status.spread(
        np.array([_RESULT_CODE[x[1]] if x else 0 for x in readings], dtype=np.int8), 0
    )
    return st, rs, unknown


def _when_rows(
    r: _Reading, when: Mapping[str, Any] | None, extra: dict[str, tuple[str, str]]
) -> list[tuple[np.ndarray, dict[str, tuple[str, str]]]]:
    """``[statuses.when]``: per value of its column, the rows holding it and the words
    they are read with (the value's table over ``[statuses]``)."""
    if not when:
        return []
    column = when["column"]
    sources = _source_column(r.raw, r.colmap, column, f"[statuses.when] column = {column!r}")
    cells = r.cells_of(sources[0])
    for col in sources[1:]:
        cells = cells.coalesce(r.cells_of(col))
    low = cells.uniques.astype("str").str.casefold().to_numpy(dtype=object)
    out = []
    for value, table in when.items():
        if value == "column":
            continue
        match = low == str(value).strip().casefold()
        if not match.any():
            r.notes.append(
                f"[statuses.when] has a table for '{value}', which no cell of '{column}' holds"
            )
            continue
        out.append((cells.spread(match, False), {**extra, **user_statuses(table)}))
    return out


def _canonical_codes(
    r: _Reading, name: str, codes: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row code of a canonical stage/result column, and where it was read."""
    cells = r.src(name)
    per = _canonical_words(cells.uniques).map(codes).to_numpy(dtype=float)
    r.add(
        cells.spread(np.isnan(per), False),
        r.label(name),
        cells,
        f"is not a {name} ({', '.join(codes)})",
    )
    return cells.spread(np.nan_to_num(per), 0).astype(np.int8), cells.spread(~np.isnan(per), False)


def _read_flag_columns(r: _Reading, name: str, flag_words: dict[str, dict[str, int]]) -> np.ndarray:
    """Whether any of the boolean columns mapped to ``name`` says yes, row by row."""
    reached = np.zeros(r.n, dtype=bool)
    for col in r.colmap[name]:
        cells = r.cells[col]
        flags = cells.spread(read_flags(cells.uniques, flag_words.get(col, {})), 0)
        r.add(
            flags < 0,
            col,
            cells,
            "is not a yes/no value (use TRUE/FALSE or Yes/No, or say what it means under "
            "[values] in a mapping file)",
        )
        reached |= flags == 1
    return reached


def _read_numbers(r: _Reading, explicit: Mapping[str, Any]) -> dict[str, tuple[_Cells, np.ndarray]]:
    """Counts and amounts: each column's cells and the number of each distinct value (NaN
    where none). A column recognised by its header (not named by the user) with cells that
    are not numbers is set aside with one warning instead of stopping the load."""
    numbers: dict[str, tuple[_Cells, np.ndarray]] = {}
    for c, what in (("follow_ups", "a count"), ("value", "a number"), ("cost", "a number")):
        if c not in r.colmap:
            continue
        cells = r.src(c)
        if pd.api.types.is_numeric_dtype(cells.uniques):
            per = cells.uniques.to_numpy(dtype=float)
        else:
            per = _parse_number(cells.uniques, r.raw.decimal_comma)
        bad = np.isnan(per)
        if c == "follow_ups":
            bad |= ~np.isnan(per) & ((per < 0) | (per != np.floor(per)))
        bad_rows = cells.spread(bad, False) & ~r.blank
        if bad_rows.any() and c not in explicit:
            example = cells.text()[bad_rows][0]
            message = (
                f"Column '{r.label(c)}' was taken as {c} but {int(bad_rows.sum())} of its cells "
                f"are not {what} (e.g. '{example}', row {r.rows[bad_rows][0]}); the column is "
                f"set aside and the rows are used. Fix: correct those cells and map it "
                f'({c} = "{r.label(c)}" under [columns]), or list it under ignore in [options].'
            )
            warnings.warn(message, DataQualityWarning, stacklevel=4)
            r.notes.append(message)
            del r.colmap[c]
            continue
        r.add(bad_rows, r.label(c), cells, f"is not {what}")
        numbers[c] = (cells, np.where(bad, np.nan, per))  # spread to the rows when built
    return numbers


def _build_frame(
    r: _Reading,
    keep: np.ndarray,
    dates: dict[str, np.ndarray],
    stage_code: np.ndarray,
    result: np.ndarray,
    numbers: dict[str, tuple[_Cells, np.ndarray]],
    fields: Sequence[str] | None,
) -> pd.DataFrame:
    """The canonical frame of the rows kept; only ``fields`` are built."""
    kept = int(keep.sum())
    if kept == len(keep):  # every row kept: the frame takes the per-row arrays as they are
        keep = slice(None)

    def text_column(name: str, fill: str | None = None) -> pd.Series:
        """Free text (notes) as ``str``, one value per row."""
        if name not in r.colmap:
            return pd.Series(fill if fill is not None else np.nan, index=range(kept), dtype="str")
        return r.src(name).to_series(None, keep, fill)

    def label_column(name: str, grouped: bool = False, fill: str | None = None) -> pd.Series:
        """Labels that repeat (channel, pitch type, client) as a categorical: each distinct
        label is stored once, and grouping by it needs no hashing of every row's text."""
        if name not in r.colmap:
            return text_column(name, fill=fill).astype("category")
        cells = r.src(name)
        labels = _group_labels(cells) if grouped else None
        return pd.Series(cells.to_categorical(labels, keep, fill), copy=False)

    def date_column(name: str) -> np.ndarray:
        if name in dates:
            return dates[name][keep]
        return np.full(kept, np.datetime64("NaT"), dtype="datetime64[s]")

    def number_column(name: str) -> np.ndarray:
        if name not in numbers:
            return np.full(kept, np.nan)
        cells, per = numbers[name]
        return cells.spread(per, np.nan, float)[keep]

    def count_column(name: str) -> pd.arrays.IntegerArray:
        """Whole counts (checked when read) as Int64, NA where there is none."""
        if name not in numbers:
            return pd.array(np.full(kept, np.nan), dtype="Float64").astype("Int64")
        cells, per = numbers[name]
        missing = np.isnan(per)
        return pd.arrays.IntegerArray(
            cells.spread(np.where(missing, 0, per).astype(np.int64), 0)[keep],
            cells.spread(missing, True)[keep],
        )

    def source_rows() -> np.ndarray:
        if "source_row" in r.colmap:
            src_rows = r.src("source_row")
            per = pd.to_numeric(src_rows.uniques).to_numpy(dtype="int64")
            return src_rows.spread(per, 0)[keep]
        return r.rows[keep].astype("int64")

    build = {
        "date": lambda: date_column("date"),
        "channel": lambda: label_column("channel", grouped=True, fill="unspecified"),
        "pitch_type": lambda: label_column("pitch_type", grouped=True),
        "client": lambda: label_column("client"),
        "stage": lambda: pd.Categorical.from_codes(stage_code[keep], dtype=STAGE_DTYPE),
        "result": lambda: pd.Categorical.from_codes(result[keep], dtype=RESULT_DTYPE),
        **{c: (lambda c=c: date_column(c)) for c in (*STAGE_DATE_COLUMNS, CLOSE_DATE_COLUMN)},
        "follow_ups": lambda: count_column("follow_ups"),
        "value": lambda: number_column("value"),
        "cost": lambda: number_column("cost"),
        "notes": lambda: text_column("notes"),
        "source_row": source_rows,
    }
    wanted = [c for c in CANONICAL_COLUMNS if fields is None or c in fields]
    frame = pd.DataFrame({c: build[c]() for c in wanted}, copy=False)
    if r.raw.tabs is not None:  # every tab of a Google Sheet: keep which tab each row is from
        frame["tab"] = pd.array(r.raw.tabs[keep], dtype="str")
    return frame


def _at(row: Any) -> str:
    """A failure's row as the user finds it: ``5``, or ``5 of tab 'March'``."""
    tab = getattr(row, "tab", None)
    return f"{row.row}" if tab is None or tab != tab else f"{row.row} of tab '{tab}'"


def _canonical_words(u: pd.Series) -> pd.Series:
    """Stage or result names as written by hand: "No response" reads as ``no_response``."""
    return pd.Series([normalize_phrase(v).replace(" ", "_") for v in u], dtype="str")


def read_flags(u: pd.Series, words: Mapping[str, int] | None = None) -> np.ndarray:
    """Per distinct cell: 1 yes, 0 no or not known yet, -1 not a yes/no value.

    A count is a yes when above zero: "2" interviews were held, "0" none.

    >>> read_flags(pd.Series(["Yes", "no", "2", "0", "3.0", "tbd", "blorp"])).tolist()
    [1, 0, 1, 0, 1, 0, -1]
    """
    low = u.astype(str).str.strip().str.casefold()
    out = np.where(low.isin(true_words()), 1, np.where(low.isin(false_words() | _UNKNOWN), 0, -1))
    count = low.str.fullmatch(r"\d+(?:\.0*)?").to_numpy(dtype=bool, na_value=False)
    if count.any():
        zero = low.str.fullmatch(r"0+(?:\.0*)?").to_numpy(dtype=bool, na_value=False)
        out = np.where(count, np.where(zero, 0, 1), out)
    for word, meaning in (words or {}).items():
        out = np.where(low == word, meaning, out)
    return out.astype(np.int8)


_MEANINGS = {"yes": 1, "no": 0, "unknown": 0}


def user_values(values: Mapping[str, Any] | None, colmap: dict[str, list[str]]) -> dict:
    """``[values]`` of a mapping as ``{source column: {cell (casefolded): 1 or 0}}`` for the
    boolean columns; a per-column table wins over the global one."""

    def meaning(word: str, m: Any, where: str) -> int:
        if str(m).strip().casefold() not in _MEANINGS:
            raise OutreachDataError(
                f"The value mapping '{word}' = '{m}'{where} says neither yes, no nor unknown. "
                f'Fix: write "{word}" = "yes", "no" or "unknown" under [values].'
            )
        return _MEANINGS[str(m).strip().casefold()]

    flag_cols = [c for k in BOOL_INPUTS if k in colmap for c in colmap[k]]
    glob = {
        str(w).strip().casefold(): meaning(w, m, "")
        for w, m in (values or {}).items()
        if not isinstance(m, Mapping)
    }
    out = {c: dict(glob) for c in flag_cols}
    by_key = {header_key(c): c for c in flag_cols}
    for col, table in (values or {}).items():
        if not isinstance(table, Mapping):
            continue
        real = by_key.get(header_key(col))
        if real is None:
            raise OutreachDataError(
                f'[values."{col}"] in the mapping names a column that is not one of the '
                f"log's yes/no stage columns ({flag_cols or 'there are none'}). Fix: use the "
                "header of a column mapped to responded, interviewed, offered or won."
            )
        out[real].update(
            {
                str(w).strip().casefold(): meaning(w, m, f" (column '{col}')")
                for w, m in table.items()
            }
        )
    return out


def user_statuses(statuses: Mapping[str, str] | None) -> dict[str, tuple[str, str]]:
    extra: dict[str, tuple[str, str]] = {}
    for word, meaning in (statuses or {}).items():
        if isinstance(meaning, str) and "/" in meaning:
            stage, _, res = (p.strip() for p in meaning.partition("/"))
            known = stage in STAGE_DTYPE.categories and res in RESULTS
            reading = (stage, res) if known else None
        else:
            reading = parse_status(meaning)
        if reading is None:
            raise OutreachDataError(
                f"The status mapping '{word}' = '{meaning}' maps to a word the toolkit does not "
                f"know either. Fix: map it to a known status such as 'planned', 'rejected', "
                f"'ghosted', 'interview', 'offer declined', 'hired', or to 'STAGE/RESULT' with a "
                f"stage in {list(STAGE_DTYPE.categories)} and a result in {list(RESULTS)}."
            )
        extra[normalize_phrase(word)] = reading
    return extra


def _failure_message(name: str, failures: pd.DataFrame, extra: Mapping) -> str:
    n_rows = failures["row"].nunique()
    parts = []
    unknown = failures[failures["reason"] == "is an unknown status word"]
    other = failures[failures["reason"] != "is an unknown status word"]
    if len(unknown):
        col = unknown["column"].iloc[0]
        words = []
        for value, grp in unknown.groupby("value", sort=False):
            first = ", ".join(_at(r) for r in grp.head(3).itertuples())
            near = suggest_words(value)
            hint = f"; nearest known: {', '.join(repr(w) for w in near)}" if near else ""
            words.append(
                f"'{value}' ({len(grp)} row{'s' if len(grp) > 1 else ''}, first at "
                f"row {first}{hint})"
            )
        example = unknown["value"].iloc[0]
        parts.append(
            f"column '{col}' has {len(words)} status word(s) the toolkit does not know: "
            + "; ".join(words)
            + f'. Map each to a known status in a mapping file ([statuses] "{example}" = '
            '"rejected") and pass --mapping FILE'
        )
    if len(other):
        groups = []
        for (column, reason), grp in other.groupby(["column", "reason"], sort=False):
            cells = ", ".join(
                _at(r) + (f" ('{r.value}')" if r.value else "")
                for r in grp.head(_SHOWN_PROBLEMS).itertuples()
            )
            more = f" and {len(grp) - _SHOWN_PROBLEMS} more" if len(grp) > _SHOWN_PROBLEMS else ""
            where = f"column '{column}', row" if column else "row"
            groups.append(f"{where} {cells}{more}: {reason}")
        parts.append("; ".join(groups) + ". Correct these cells in the sheet")
    return (
        f"{n_rows} row(s) of '{name}' cannot be used: "
        + ". Also, ".join(parts)
        + ". Or pass --skip-invalid to use the other rows and list every skipped one."
    )


def normalize(
    df: pd.DataFrame,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    statuses: Mapping[str, str] | None = None,
    date_order: str | None = None,
    skip_invalid: bool = False,
) -> pd.DataFrame:
    """Normalize a log held in a DataFrame to the canonical schema.

    The frame is not modified. Its first row is taken to be row 2 of the sheet (the
    header being row 1) unless it has a ``source_row`` column. A frame that is
    already canonical comes back unchanged, so ``normalize`` can be applied twice.

    Parameters
    ----------
    df : pandas.DataFrame
        The log, one row per action, with the user's own column names.
    columns, statuses, date_order, skip_invalid
        As for :func:`normalize_table`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~outreach_analytics.model.schema.CANONICAL_COLUMNS`.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "Date Sent": ["2024-03-01", "2024-03-02", "2024-03-04"],
    ...     "Platform": ["Upwork", "LinkedIn", "linkedin "],
    ...     "Status": ["Ghosted", "Rejected after interview", "Hired"],
    ... })
    >>> out = normalize(log)
    >>> out[["channel", "stage", "result", "source_row"]]
        channel      stage    result  source_row
    0    Upwork       sent  no_response           2
    1  LinkedIn  interview     rejected           3
    2  LinkedIn        won          won           4
    >>> normalize(out).equals(out)
    True
    """
    return normalize_table(
        read_source(df),
        columns=columns,
        statuses=statuses,
        date_order=date_order,
        skip_invalid=skip_invalid,
    ).data
