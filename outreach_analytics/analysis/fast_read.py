"""The first half of ``summary``'s short way: a plain CSV's wanted columns read by pyarrow.

No pandas here (numpy and pyarrow only), so that the CLI can start the read on a thread
(:func:`start`) while pandas loads: on two cores the file is read in the time the import
takes anyway. :mod:`.fast_counts` makes the counts of what this returns, and decides what
the short way takes; this module only says "not the short way" (:class:`FullWay`) for
files it cannot read as the full load would (see :mod:`.fast_counts`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..io.sniff import (
    _detect_encoding,
    _find_header,
    _first_lines,
    _read_head,
    _sniff_delimiter,
)
from ..model.columns import _resolve_columns
from ..model.schema import STAGE_DATE_COLUMNS

__all__ = ["FullWay", "ArrowColumns", "read_columns", "start", "one_core"]

TEXT = ("client", "notes")  # read by the full load for people only: no check, no count
NUMBERS = {"follow_ups": "a count", "value": "a number", "cost": "a number"}
HANDLED = frozenset({"date", "channel", "pitch_type", "status", *TEXT, *NUMBERS}) | set(
    STAGE_DATE_COLUMNS
)
SUFFIXES = (".csv", ".tsv", ".txt")


class FullWay(Exception):
    """Something the short way does not read as the full load would."""


@dataclass
class ArrowColumns:
    """The wanted columns of a CSV as pyarrow read them.

    Attributes
    ----------
    columns : dict
        The resolved columns (canonical name → source headers), as the full load's.
    codes : dict
        Per text column: ``(codes, values)``, int32 codes into the pyarrow array of its
        distinct values as read (not stripped), -1 where the cell is empty.
    numbers : dict
        The number columns read as floats: pyarrow columns, null where empty.
    rows : int
    """

    columns: dict[str, list[str]]
    codes: dict[str, tuple[np.ndarray, Any]]
    numbers: dict[str, Any]
    rows: int


def start(source: Any, *, fields: Sequence[str], columns=None, mapping=None) -> Future | None:
    """:func:`read_columns` of ``source`` on a thread of its own, or ``None`` where the short
    way cannot take the log (a mapping, ``--column``, not a CSV file).

    The future's result raises :class:`FullWay` (or ``OSError``, ``ValueError``) where the
    file turns out not to be one the short way reads.

    >>> from outreach_analytics.sample import sample_path
    >>> start(sample_path(), fields=["date"]).result().rows
    1000
    >>> start(sample_path(), fields=["date"], mapping="m.toml") is None
    True
    """
    path = _plain_csv(source, columns, mapping)
    if path is None:
        return None
    return _on_a_thread(read_columns, path, list(fields))


@contextlib.contextmanager
def one_core() -> Iterator[None]:
    """pyarrow's pool of threads held at one thread while the block runs, then given back.

    A read started on a thread (:func:`start`) while this thread imports pandas would
    otherwise parse on every core, and the import, which only this thread can do, would
    wait for a core: on two cores the import took 0.7-0.9 s instead of 0.55 s. With the
    pool at one thread the read parses on the other core, and takes both once the block
    ends (a pool grown mid-read parses the blocks still to read on the new threads).

    >>> import pyarrow as pa
    >>> cores = pa.cpu_count()
    >>> with one_core():
    ...     pa.cpu_count()
    1
    >>> pa.cpu_count() == cores
    True
    """
    import pyarrow as pa

    cores = pa.cpu_count()
    pa.set_cpu_count(1)
    try:
        yield
    finally:
        pa.set_cpu_count(cores)


def _on_a_thread(work, *args) -> Future:
    """``work(*args)`` on a thread of its own, which ends with it; its future."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outreach")
    try:
        return pool.submit(work, *args)
    finally:
        pool.shutdown(wait=False)


def _plain_csv(source: Any, columns, mapping) -> Path | None:
    if columns or mapping or not isinstance(source, (str, os.PathLike)):
        return None
    path = Path(source)
    if path.suffix.casefold() not in SUFFIXES or not path.is_file():
        return None
    return path


def read_columns(path: Path, fields: Sequence[str]) -> ArrowColumns:
    """The columns of a plain CSV a summary needs, read with pyarrow.

    Raises
    ------
    FullWay
        The file holds something the short way does not read as the full load does
        (quotes, a title row, columns it does not handle, a row of another width...).
    """
    header, delimiter, ascii_only, head = _header(path)
    colmap = _resolve_columns(header, None)
    if "date" not in colmap or not set(colmap) <= HANDLED:
        raise FullWay
    # the text columns are left out, unless a byte that is not ASCII asks for them to be
    # read too: the full load reads a whole file as Windows-1252 when one of them is not UTF-8
    # (client is read when asked for: the follow-up rows are matched to pitches by client)
    check_text = [colmap[c][0] for c in TEXT if c in colmap and c not in fields and not ascii_only]
    wanted = {c: colmap[c][0] for c in colmap if c not in TEXT or c in fields}
    # number columns whose first rows are plain decimals are read as floats (cheaper than
    # text at 10M rows); if a later cell is not ("$45"), the file is read again as text
    plain = [c for c in NUMBERS if c in wanted and _plain_numbers(head, header.index(wanted[c]))]
    try:
        codes, numbers, n = _read_arrow(
            path, header, delimiter, wanted, check_text, plain, ascii_only=ascii_only
        )
    except FullWay:
        if not plain:
            raise
        codes, numbers, n = _read_arrow(
            path, header, delimiter, wanted, check_text, [], ascii_only=ascii_only
        )
    return ArrowColumns(colmap, codes, numbers, n)


def _header(path: Path) -> tuple[list[str], str, bool, list[list[str]]]:
    """The header and delimiter as the full load's reader finds them, whether all is ASCII,
    and the first rows under the header."""
    import csv

    head = _read_head(path)
    has_quote, ascii_only = _scan(path)
    if has_quote:
        raise FullWay
    if _detect_encoding(head) not in ("utf-8", "utf-8-sig"):
        raise FullWay
    lines = _first_lines(head, "utf-8-sig")
    delimiter = _sniff_delimiter(lines)
    rows = list(csv.reader(lines, delimiter=delimiter))
    if delimiter == ";" or not rows or _find_header(rows) != 0:
        raise FullWay
    header = [c.strip() for c in rows[0]]
    if not all(header) or len(set(header)) != len(header):
        raise FullWay  # unnamed or repeated columns: the reader renames them
    return header, delimiter, ascii_only, rows[1:]


#: A cell pyarrow reads as a float64 just as the full load's number reading reads it.
_PLAIN_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


def _plain_numbers(rows: list[list[str]], at: int) -> bool:
    """Whether column ``at`` of ``rows`` holds only empty cells and plain decimals."""
    return all(
        len(r) <= at or r[at] == "" or _PLAIN_NUMBER.fullmatch(r[at]) is not None for r in rows
    )


def _scan(path: Path) -> tuple[bool, bool]:
    """Whether the file holds a double quote, and whether every byte of it is ASCII."""
    import mmap

    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        has_quote = mm.find(b'"') != -1
        view = np.frombuffer(mm, dtype=np.uint8)
        ascii_only = bool(view.max() < 0x80) if len(view) else True
        del view  # the map cannot close while an array looks into it
    return has_quote, ascii_only


def _read_arrow(
    path: Path,
    header: list[str],
    delimiter: str,
    wanted: dict[str, str],
    check: list[str],
    as_float: Sequence[str] = (),
    *,
    ascii_only: bool = False,
) -> tuple[dict[str, tuple[np.ndarray, Any]], dict[str, Any], int]:
    """Each wanted column as codes into its distinct values as read, and the row count.

    The ``as_float`` columns are read as floats instead, kept as pyarrow columns (null
    where empty); a cell pyarrow does not read as a number (a currency sign, a
    thousands separator, a space) raises :class:`FullWay`. The ``check`` columns are read
    as text only for pyarrow to check that they are UTF-8. A file known to be ``ascii_only``
    is UTF-8 throughout: pyarrow does not check each cell again (a tenth of the read).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(len(header))]
    block = _block_size(path.stat().st_size)
    by_header = dict(zip(header, names, strict=True))
    include = [by_header[h] for h in wanted.values()]
    types = {c: pa.dictionary(pa.int32(), pa.string()) for c in include}
    types.update({by_header[wanted[c]]: pa.float64() for c in as_float})
    types.update({by_header[h]: pa.string() for h in check})
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8", skip_rows=1, column_names=names, block_size=block
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=list(types),
                strings_can_be_null=True,
                null_values=[""],
                check_utf8=not ascii_only,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        raise FullWay from None  # a row of another width, a blank line, bad UTF-8...
    codes, numbers = {}, {}
    n = table.num_rows
    for canonical, column in zip(wanted, include, strict=True):
        if canonical in as_float:
            numbers[canonical] = table.column(column)
            table = table.drop_columns([column])
            continue
        chunked = table.column(column).unify_dictionaries()
        table = table.drop_columns([column])  # its buffers go as soon as its codes are out
        values = chunked.chunk(0).dictionary if chunked.num_chunks else None
        codes[canonical] = (_codes(chunked), values)
        del chunked
    return codes, numbers, n


def _block_size(size: int) -> int:
    """The bytes pyarrow parses as one block: about a sixteenth of the file, from 1 to 16 MiB.

    A file of a few large blocks leaves a core idle while the last one is parsed, and the
    core :func:`one_core` gives back mid-read finds no block left to take (1M rows, 69 MB:
    16 MiB blocks measured 0.1 s slower than 4 MiB); beyond 256 MiB, blocks of 16 MiB.

    >>> _block_size(69_000_000) >> 20, _block_size(700_000_000) >> 20, _block_size(70_000) >> 20
    (4, 16, 1)
    """
    return min(16 << 20, max(1 << 20, size // 16))


def _codes(chunked: Any) -> np.ndarray:
    """The dictionary codes of a column as one int32 array, -1 where the cell is empty.

    Read from the buffers: on this thread no pyarrow object is made from Python values
    (pyarrow imports pandas for that, which is loading on the other thread).
    """
    parts = []
    for chunk in chunked.chunks:
        indices, start, size = chunk.indices, chunk.offset, len(chunk)
        validity, data = indices.buffers()
        at = np.frombuffer(data, dtype=np.int32, count=start + size)[start:]
        if indices.null_count:  # empty cells
            bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
            at = np.where(bits[start : start + size].view(bool), at, np.int32(-1))
        parts.append(at)
    if not parts:
        return np.zeros(0, dtype=np.int32)
    return np.concatenate(parts) if len(parts) > 1 else parts[0].copy()
