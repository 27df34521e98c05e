"""The rows a summary counts, read the short way from a plain CSV file.

``summary`` of a large CSV spent most of its time on what it never shows: the client names
and notes, and every row's channel, pitch type and status as text. :func:`summary_report`
reads only the columns the counts need with pyarrow, as dictionary-encoded columns, and
reads each *distinct* value once through the same functions the full load uses
(:func:`~outreach_analytics.model.status.parse_status`,
:func:`~outreach_analytics.model.dates.parse_unique_dates`, the channel grouping of
:mod:`~outreach_analytics.model.normalize`); rows only carry integer codes. The number
columns (follow-ups, value, cost) are read by pyarrow as floats where the first rows hold
plain decimals, else as text read by the full load's number reading. The
result is a :class:`CountedReport`: a :class:`~outreach_analytics.model.normalize.LoadReport`
whose frame holds the summary fields (channel and pitch type as categoricals), and which
hands :func:`~outreach_analytics.analysis.summary.summarize` its count tables from one
``bincount`` over (channel, pitch type, stage, pending) codes, in the format of
:func:`~outreach_analytics.analysis.metrics.counts_by`. The public API still returns pandas
and ``summary --json`` prints the same JSON as after the full load.

The short way only takes logs it reads exactly as the full load does, and returns ``None``
for anything else, so that errors and skipped-row reports stay the full load's:

- a mapping or ``--column``; a source that is not a ``.csv``/``.tsv``/``.txt`` file;
- a file that is not UTF-8, uses ``;`` (decimal commas are decided from every column), holds
  a double quote anywhere (quoted cells, multi-line title cells, unclosed quotes), or has a
  title row above the header or a row of another width (blank lines included);
- a recognised column other than date, channel, pitch type, client, notes, status, the
  stage dates and the numbers (boolean stage columns, canonical stage/result columns, and any
  column added to the schema later);
- an empty or placeholder date cell (a blank row, or a row without its date), any cell the
  full load would report (unknown status word, unreadable date or number, a stage date before
  the date sent, dates whose day/month order nothing decides), a date before 1990 or after
  ``as_of``, and any status read as a stage or result other than the five of each known here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.dates import DATE_ORDERS, parse_unique_dates
from ..model.normalize import (
    LoadReport,
    _blank_rows,
    _Cells,
    _group_labels,
    _parse_number,
    _Problems,
)
from ..model.schema import RESULT_DTYPE, RESULTS, STAGE_DATE_COLUMNS, STAGE_DTYPE, STAGES
from ..model.status import parse_status
from .fast_read import NUMBERS, SUFFIXES, ArrowColumns, FullWay, _on_a_thread, read_columns

__all__ = ["summary_report", "CountedReport", "KNOWN_STAGES", "KNOWN_RESULTS"]

#: The states this module counts; a status read as anything else sends the log the full way.
KNOWN_STAGES = ("sent", "responded", "interview", "offer", "won")
KNOWN_RESULTS = ("open", "won", "rejected", "no_response", "withdrawn")

_GROUPED = {"channel": "unspecified", "pitch_type": None}  # column: label of an empty cell
_BUILT = frozenset(
    {"date", "channel", "pitch_type", "client", "stage", "result", "follow_ups"}
) | set(STAGE_DATE_COLUMNS)  # the fields this module builds
_EARLIEST = np.datetime64("1990-01-01", "s")
#: From this many rows the number columns are checked, and the text columns labelled, on a
#: second thread.
_SIDE_THREAD_ROWS = 200_000


def summary_report(
    source: Any,
    *,
    fields: Sequence[str],
    as_of: Any = None,
    columns: Any = None,
    mapping: Any = None,
    date_order: str | None = None,
    skip_invalid: bool = False,
    prefetched: Future | None = None,
) -> CountedReport | None:
    """The :class:`LoadReport` a summary needs, read the short way, or ``None``.

    Parameters
    ----------
    source : str or path
        The log; only a CSV/TSV file can be read the short way.
    fields : sequence of str
        The canonical columns wanted (``SUMMARY_FIELDS``); a field this module does not
        build sends the log the full way.
    as_of : date-like, optional
        The day counted for (default today): a row dated after it goes the full way.
    columns, mapping : optional
        When either is given the answer is ``None``.
    date_order, skip_invalid
        As for :func:`~outreach_analytics.model.load.load_report` (``skip_invalid`` changes
        nothing here: a log with a row to skip is loaded the full way).
    prefetched : Future, optional
        :func:`~outreach_analytics.analysis.fast_read.start` of the same source and
        fields, started before pandas was imported; else the file is read here.

    Returns
    -------
    LoadReport or None
        ``data`` holds ``fields`` (channel and pitch type as categoricals with the full
        load's labels); ``None`` means "load it the full way".

    Examples
    --------
    >>> from outreach_analytics.sample import sample_path
    >>> from outreach_analytics.analysis.summary import SUMMARY_FIELDS
    >>> rep = summary_report(sample_path(), fields=SUMMARY_FIELDS, as_of="2026-11-15")
    >>> rep.rows_read, rep.rows_used, rep.data["channel"].dtype.name
    (1000, 1000, 'category')
    >>> summary_report(sample_path(), fields=SUMMARY_FIELDS, columns={"date": "Date Sent"})
    """
    if columns or mapping:
        return None
    if not isinstance(source, (str, os.PathLike)) or isinstance(source, pd.DataFrame):
        return None
    if date_order is not None and date_order not in DATE_ORDERS:
        return None
    if not set(fields) <= _BUILT:
        return None
    path = Path(source)
    try:
        if path.suffix.casefold() not in SUFFIXES or not path.is_file():
            return None
        raw = prefetched.result() if prefetched is not None else read_columns(path, fields)
        return _read(path, raw, list(fields), as_of, date_order)
    except (FullWay, OSError, ValueError):  # ValueError: pyarrow's ArrowInvalid among them
        return None  # the full load reads it, and says what is wrong if anything is


def _read(
    path: Path, raw: ArrowColumns, fields: list[str], as_of: Any, date_order: str | None
) -> CountedReport:
    colmap, read_numbers, n = raw.columns, raw.numbers, raw.rows
    cells = {c: _cells_of(at, values) for c, (at, values) in raw.codes.items()}
    raw.codes.clear()
    # the number columns are checked (pyarrow compute, the GIL released) and the text
    # columns labelled on a thread of their own while the dates and status words are read
    # here, for a large log
    beside: Any
    if n >= _SIDE_THREAD_ROWS:
        beside = _on_a_thread(_beside, read_numbers, cells, fields, n)
    else:
        beside = _beside(read_numbers, cells, fields, n)
    date = cells["date"]
    # an empty date: a blank row or a row the load would report (a date cell that reads as
    # blank is an empty cell or a placeholder: looked for among the distinct values)
    each = _Cells(np.arange(len(date.uniques), dtype=np.int32), date.uniques)
    if n == 0 or (date.codes < 0).any() or _blank_rows([each], len(each)).any():
        raise FullWay

    # dates: the day/month order decided from every date column together, as the full load
    notes: list[str] = []
    date_cols = ["date", *(c for c in STAGE_DATE_COLUMNS if c in cells)]
    first = _parse_date_columns({c: cells[c].uniques for c in date_cols}, date_order)
    decided = [p[2] for p in first.values() if p[3]]
    log_order = date_order or (decided[0] if decided else None)
    cutoff = _day(as_of)
    days_of: dict[str, np.ndarray] = {}
    for c in date_cols:
        days, bad, order, own, ambiguous = first[c]
        if ambiguous and log_order is not None and date_order is None:
            days, bad, order, own, ambiguous = parse_unique_dates(
                cells[c].uniques.astype("str"), log_order
            )
            notes.append(f"'{colmap[c][0]}' read {log_order} like the log's other date columns")
        if ambiguous and log_order is None:
            raise FullWay
        if own and order:
            notes.append(f"'{colmap[c][0]}' read as {order} dates")
        seen = _used(cells[c])
        if (bad & seen).any():
            raise FullWay
        shown = days[seen & ~np.isnat(days)]
        if len(shown) and (shown.min() < _EARLIEST or shown.max() > cutoff):
            raise FullWay  # an impossible or a future date: the full load decides
        days_of[c] = days

    # stage and result, from the status words and the stage dates
    stage = np.zeros(n, dtype=np.int8)
    result = np.zeros(n, dtype=np.int8)  # "open"
    if "status" in cells:
        status = cells["status"]
        readings = [parse_status(v) for v in status.uniques]
        seen = _used(status)
        per_stage = np.zeros(len(readings), dtype=np.int8)
        per_result = np.zeros(len(readings), dtype=np.int8)
        for i, reading in enumerate(readings):
            if not seen[i]:
                continue
            if reading is None or reading[0] not in KNOWN_STAGES or reading[1] not in KNOWN_RESULTS:
                raise FullWay
            per_stage[i] = KNOWN_STAGES.index(reading[0])
            per_result[i] = KNOWN_RESULTS.index(reading[1])
        stage = status.spread(per_stage, 0, np.int8)
        result = status.spread(per_result, 0, np.int8)
    sent_on = date.spread(days_of["date"], np.datetime64("NaT"), "datetime64[s]")
    stage_dates: dict[str, np.ndarray] = {}
    for c, reached_stage in STAGE_DATE_COLUMNS.items():
        if c not in days_of:
            continue
        on = cells[c].spread(days_of[c], np.datetime64("NaT"), "datetime64[s]")
        if (on < sent_on).any():  # NaT compares False: rows without the date pass
            raise FullWay
        reached = ~np.isnat(on)
        np.maximum(stage, KNOWN_STAGES.index(reached_stage), out=stage, where=reached)
        if c in fields:
            stage_dates[c] = on
        del on, reached
    won = stage == KNOWN_STAGES.index("won")
    result[won] = KNOWN_RESULTS.index("won")
    result[~won & (result == KNOWN_RESULTS.index("won"))] = KNOWN_RESULTS.index("open")

    follow_ups, text = beside.result() if isinstance(beside, Future) else beside
    nat = np.datetime64("NaT", "s")

    build = {
        "date": lambda: sent_on,
        "stage": lambda: _categorical(stage, STAGE_DTYPE),
        "result": lambda: _categorical(result, RESULT_DTYPE),
        **{name: (lambda name=name: text[name]) for name in text},
        **{
            c: (lambda c=c: stage_dates[c] if c in stage_dates else np.full(n, nat))
            for c in STAGE_DATE_COLUMNS
        },
        # as the full load builds it: Int64, NA where no count
        "follow_ups": lambda: _counts(np.full(n, np.nan)) if follow_ups is None else follow_ups,
    }
    data = pd.DataFrame({f: build[f]() for f in _in_schema_order(fields)}, copy=False)
    cells.clear()  # the codes as read: the frame holds what it needs of them
    del read_numbers, build
    _release_arrow_memory()
    return CountedReport(
        data=data,
        skipped=_Problems(np.array([], dtype=np.int64)).table(),
        blank_rows=[],
        rows_read=n,
        source=path.name,
        columns=colmap,
        notes=notes,
        _codes={"stage": stage, "result": result, "date": sent_on},
    )


def _beside(
    read_numbers: dict[str, Any], cells: dict[str, _Cells], fields: list[str], n: int
) -> tuple[Any, dict[str, pd.Categorical]]:
    """What needs neither the dates nor the status words: :func:`_numbers`, and the text
    columns of the frame (channel, pitch type, client) as categoricals."""
    follow_ups = _numbers(read_numbers, cells, fields)
    text = {
        name: _grouped(cells.get(name), n, fill)
        for name, fill in _GROUPED.items()
        if name in fields
    }
    if "client" in fields:
        text["client"] = _text(cells.get("client"), n)
    return follow_ups, text


def _numbers(read_numbers: dict[str, Any], cells: dict[str, _Cells], fields: list[str]):
    """The number columns checked as the full load reads them (:class:`FullWay` where a
    cell would be reported); the follow-up counts when asked for (the lift counts them)."""
    follow_ups = None
    for c in NUMBERS:
        whole = c == "follow_ups"  # a count: whole and not negative
        if c in read_numbers:  # read as floats by pyarrow, null where empty
            if _bad_floats(read_numbers[c], whole):
                raise FullWay
            if whole and c in fields:
                follow_ups = _counts_from_arrow(read_numbers[c])
        elif c in cells:  # read as text: each distinct value as the full load reads it
            per = _parse_number(cells[c].uniques, decimal_comma=False)
            bad = np.isnan(per)
            if whole:
                bad |= (per < 0) | (per != np.floor(per))
            if (bad & _used(cells[c])).any():
                raise FullWay
            if whole and c in fields:
                follow_ups = _counts(cells[c].spread(per, np.nan, float))
    return follow_ups


def _used(c: _Cells) -> np.ndarray:
    """Which distinct values some row holds: pyarrow builds each dictionary from the cells
    it read, so every value occurs in some row, but for a value of spaces (an empty cell)."""
    return (c.uniques != "").to_numpy()


@dataclass
class CountedReport(LoadReport):
    """A :class:`LoadReport` read the short way, that counts its rows from their codes.

    :func:`~outreach_analytics.analysis.summary.summarize` asks it for its counts
    (:meth:`counts_by`) instead of counting ``data`` itself.
    """

    _codes: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def counts_by(
        self, segments: Sequence[str | None], *, as_of: Any = None, window: int = 14
    ) -> list[pd.DataFrame]:
        """:func:`~outreach_analytics.analysis.metrics.counts_by` of ``data``, from codes.

        One ``bincount`` over (channel, pitch type, stage, pending) gives every table. When
        the schema or the segments are not the ones this was written for, ``data`` is
        counted by ``counts_by`` itself.

        Examples
        --------
        >>> from outreach_analytics.sample import sample_path
        >>> from outreach_analytics.analysis.metrics import counts_by
        >>> rep = summary_report(sample_path(), fields=("date", "channel", "pitch_type",
        ...                      "stage", "result"), as_of="2026-11-15")
        >>> mine = rep.counts_by([None, "channel"], as_of="2026-11-15")
        >>> theirs = counts_by(rep.data, [None, "channel"], as_of="2026-11-15")
        >>> all(a.equals(b) for a, b in zip(mine, theirs))
        True
        """
        from .metrics import COUNT_COLUMNS, counts_by, resolve_as_of

        plain = all(s in (None, "channel", "pitch_type") for s in segments)
        if (
            not plain
            or not self._codes
            or list(COUNT_COLUMNS) != _COUNT_COLUMNS
            or tuple(s for s in STAGES if s in KNOWN_STAGES) != KNOWN_STAGES
            or tuple(RESULTS) != KNOWN_RESULTS
            or not {"channel", "pitch_type"} <= set(self.data)
        ):
            return counts_by(self.data, segments, as_of=as_of, window=window)
        cutoff = np.datetime64((resolve_as_of(as_of) - pd.Timedelta(days=window)).date(), "s")
        stage, result, date = (self._codes[k] for k in ("stage", "result", "date"))
        pending = (stage == 0) & (result == KNOWN_RESULTS.index("open")) & (date > cutoff)
        channel, pitch = self.data["channel"].array, self.data["pitch_type"].array
        n_ch, n_pt = len(channel.categories) + 1, len(pitch.categories) + 1
        n_st = len(KNOWN_STAGES)
        # key = ((channel * n_pt + pitch type) * n_st + stage) * 2 + pending, in place (at
        # 10M rows every temporary array costs its page faults)
        key = channel.codes.astype(np.intp)
        key[key < 0] = n_ch - 1
        key *= n_pt
        pt = pitch.codes.astype(np.intp)
        pt[pt < 0] = n_pt - 1
        key += pt
        del pt
        key *= n_st
        key += stage
        key *= 2
        key += pending
        cube = np.bincount(key, minlength=n_ch * n_pt * n_st * 2).reshape(n_ch, n_pt, n_st, 2)
        labels = {
            "channel": np.append(np.asarray(channel.categories, dtype=object), _UNSPECIFIED),
            "pitch_type": np.append(np.asarray(pitch.categories, dtype=object), _UNSPECIFIED),
        }
        out = []
        for seg in segments:
            if seg is None:
                table = _count_table(cube.sum(axis=(0, 1))[None])
                out.append(table[_COUNT_COLUMNS])
                continue
            per = cube.sum(axis=1) if seg == "channel" else cube.sum(axis=0)
            # one row per label (a category may be labelled "unspecified" too), then the
            # labels with actions, most actions first, ties by label: as counts_by sorts
            names, inverse = np.unique(labels[seg].astype(str), return_inverse=True)
            merged = np.zeros((len(names), *per.shape[1:]), dtype=per.dtype)
            np.add.at(merged, inverse, per)
            actions = merged.sum(axis=(1, 2))
            kept = np.flatnonzero(actions > 0)
            order = kept[np.lexsort((names[kept], -actions[kept]))]
            table = _count_table(merged[order])
            table.insert(0, seg, pd.array(names[order], dtype="str"))
            out.append(table)
        return out


_COUNT_COLUMNS = [
    "actions",
    "pending",
    "settled",
    "responses",
    "interviews",
    "offers",
    "wins",
    "planned",  # none here: a planned row sends the log the full way
    "future",  # none here: so does a row dated after as-of
]
_UNSPECIFIED = "unspecified"  # the label counts_by gives a row without a segment


def _count_table(per: np.ndarray) -> pd.DataFrame:
    """Count columns from (segment, stage, pending) row counts, as int64."""
    per = np.asarray(per, dtype=np.int64)  # bincount's counts already are: no copy
    reached = per.sum(axis=2)[:, ::-1].cumsum(axis=1)[:, ::-1]  # rows at this stage or beyond
    pending = per[:, :, 1].sum(axis=1)
    actions = reached[:, 0]
    none = np.zeros(len(per), dtype=np.int64)
    return pd.DataFrame(
        {
            "actions": actions,
            "pending": pending,
            "settled": actions - pending,
            "responses": reached[:, KNOWN_STAGES.index("responded")],
            "interviews": reached[:, KNOWN_STAGES.index("interview")],
            "offers": reached[:, KNOWN_STAGES.index("offer")],
            "wins": reached[:, KNOWN_STAGES.index("won")],
            "planned": none,
            "future": none,
        }
    )


def _parse_date_columns(uniques: dict[str, pd.Series], date_order: str | None) -> dict:
    """:func:`parse_unique_dates` of each column, as the full load calls it per column.

    A column's reading depends on the other values of the column only through the day/month
    order of numeric dates (``03/04/2024``); when no column has such dates, one call over the
    values of every column gives each column's answer at once.
    """
    every = pd.concat([u.astype("str") for u in uniques.values()], ignore_index=True)
    days, bad, order, decided, ambiguous = parse_unique_dates(every, date_order)
    if order is not None or decided or ambiguous:
        return {c: parse_unique_dates(u.astype("str"), date_order) for c, u in uniques.items()}
    out, at = {}, 0
    for c, u in uniques.items():
        out[c] = (days[at : at + len(u)], bad[at : at + len(u)], None, False, False)
        at += len(u)
    return out


def _day(as_of: Any) -> np.datetime64:
    from .metrics import resolve_as_of

    return np.datetime64(resolve_as_of(as_of).date(), "s")


def _cells_of(codes: np.ndarray, values: Any) -> _Cells:
    """A column read by :func:`~.fast_read.read_columns` as the full load's cells: codes
    into the distinct stripped values (a cell of spaces is an empty cell, code -1)."""
    uniques = pd.Series([] if values is None else values.to_pylist(), dtype="str").str.strip()
    return _Cells(codes, uniques).without((uniques == "").to_numpy())


def _release_arrow_memory() -> None:
    """Give pyarrow's freed buffers back to the system.

    pyarrow's allocator keeps what the read freed (about 0.7 GiB at 10M rows) for
    later use, which never comes: the statistics allocate with numpy. Released, the
    process's peak is the read's, not the read's plus the statistics'.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _counts(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole counts (checked above) as the full load builds them: Int64, NA where none."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def _counts_from_arrow(column: Any) -> pd.arrays.IntegerArray:
    """:func:`_counts` of a float column read by pyarrow (nulls: empty cells)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pd.Int64Dtype().__from_arrow__(pc.cast(column, pa.int64()))


def _bad_floats(column: Any, whole: bool) -> bool:
    """Whether a float column read by pyarrow holds a cell the full load would report: the
    word "nan" and, for a count (``whole``), a negative or fractional number."""
    import pyarrow.compute as pc

    checks = [pc.is_nan(column)]
    if whole:
        checks += [pc.less(column, 0), pc.not_equal(column, pc.floor(column))]
    return any(bool(pc.any(check).as_py()) for check in checks)


def _categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """Codes into ``KNOWN_*`` as a categorical of the schema's dtype."""
    known = KNOWN_STAGES if dtype is STAGE_DTYPE else KNOWN_RESULTS
    remap = np.array([list(dtype.categories).index(k) for k in known], dtype=np.int8)
    return pd.Categorical.from_codes(remap[codes], dtype=dtype, validate=False)


def _in_schema_order(fields: Sequence[str]) -> list[str]:
    """``fields`` in the order of the canonical columns, as the full load lays them out."""
    from ..model.schema import CANONICAL_COLUMNS

    return [c for c in CANONICAL_COLUMNS if c in fields]


def _text(cells: _Cells | None, n: int) -> pd.Categorical:
    """A text column (client) as a categorical of its distinct stripped values.

    The full load writes each row's text; the follow-up matching only compares the values,
    so codes into the distinct values are enough and cost nothing per row.
    """
    if cells is None:
        return pd.Categorical.from_codes(
            np.full(n, -1, np.int8), categories=pd.Index([], dtype="str"), validate=False
        )
    values = cells.uniques.astype("str").to_numpy(dtype=object)
    categories, inverse = np.unique(values, return_inverse=True)  # stripped: may repeat
    if len(categories) == len(values):  # no two values alike: the codes are the rows' own
        return pd.Categorical.from_codes(
            cells.codes, categories=pd.Index(values, dtype="str"), validate=False
        )
    table = np.append(inverse.astype(np.int32), np.int32(-1))  # code -1: an empty cell
    return pd.Categorical.from_codes(
        table[cells.codes], categories=pd.Index(categories, dtype="str"), validate=False
    )


def _grouped(cells: _Cells | None, n: int, fill: str | None) -> pd.Categorical:
    """A grouped text column as a categorical, labelled as the full load labels it.

    The full load writes each row's label as text (:func:`_group_labels` of its distinct
    value, ``fill`` where the cell is empty); here each row keeps a code into the labels.
    """
    if cells is None:
        codes = np.zeros(n, dtype=np.int8) if fill is not None else np.full(n, -1, np.int8)
        labels = pd.Index([fill] if fill is not None else [], dtype="str")
        return pd.Categorical.from_codes(codes, categories=labels, validate=False)
    per_value = np.array([str(v) for v in _group_labels(cells)], dtype=object)
    categories, inverse = np.unique(per_value, return_inverse=True)
    empty = -1
    if fill is not None:
        at = int(np.searchsorted(categories, fill))
        if at == len(categories) or categories[at] != fill:
            categories = np.insert(categories, at, fill)
            inverse = np.where(inverse >= at, inverse + 1, inverse)
        empty = at
    table = np.append(inverse.astype(np.int32), np.int32(empty))  # code -1: an empty cell
    return pd.Categorical.from_codes(
        table[cells.codes], categories=pd.Index(categories, dtype="str"), validate=False
    )
