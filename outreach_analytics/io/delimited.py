"""Reading a delimited text log (CSV, TSV): its layout found, its cells parsed by pyarrow.

Reading is two steps. :func:`parse_delimited` finds the encoding, the delimiter and the header
row, and parses the columns worth reading with pyarrow (numpy and pyarrow only, no
pandas); :func:`read_csv` turns what it parsed into a :class:`~outreach_analytics.io.raw.RawTable`
(``parsed=``: a parse made earlier). A program may start the first step on a thread
before it imports pandas (:func:`read_ahead`): the file is parsed while pandas loads, by
the same reader.
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import OutreachDataError
from .raw import RawTable, dedupe_header
from .sniff import detect_encoding, find_header, first_lines, read_head, sniff_delimiter

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["Parsed", "parse_delimited", "read_ahead", "read_csv", "DELIMITED_SUFFIXES"]

#: The file names :func:`read_ahead` starts on (any other file is read when asked for).
DELIMITED_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass
class Parsed:
    """A delimited file as pyarrow parsed it, before any pandas object is made.

    ``table`` holds the columns worth reading (named ``c0``, ``c1``... by position),
    each dictionary-encoded; ``irregular`` the rows whose width is not the header's (row
    number, cells, text); ``first_row`` the sheet row of the first data row.
    """

    path: Path
    table: pa.Table
    header: list[str]
    names: list[str]
    include: list[str]
    delimiter: str
    first_row: int
    placed: bool  # whether pyarrow's line numbers are sheet rows (no record over lines above)
    irregular: list[tuple[int | None, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_ahead(
    source: Any,
    select: Callable[[list[str]], list[str]] | None = None,
    then: Callable[[Parsed], Any] | None = None,
) -> Future | None:
    """Start :func:`parse_delimited` of a local delimited file on a thread of its own,
    then ``then(parsed)`` on that thread (e.g. the rest of the load): the future's result
    is what ``then`` returns (the :class:`Parsed` file without it).

    Returns ``None`` for any other source (a workbook, a Google Sheet, a missing file),
    which is read when asked for. pyarrow parses with the GIL released: a program that
    imports pandas meanwhile gets the parse for the time of the import. Errors are raised
    where the result is asked for, as a read in sequence raises them.

    >>> from outreach_analytics.sample import sample_path
    >>> read_ahead(sample_path()).result().table.num_rows
    1000
    >>> read_ahead(sample_path(), then=lambda p: read_csv(p.path, parsed=p)).result().name
    'sample_outreach.csv'
    >>> read_ahead("https://docs.google.com/spreadsheets/d/KEY") is None
    True
    """
    if not isinstance(source, (str, os.PathLike)):
        return None
    path = Path(source)
    if path.suffix.casefold() not in DELIMITED_SUFFIXES or not path.is_file():
        return None
    done: Future = Future()

    def work() -> None:
        try:
            parsed = parse_delimited(path, select)
            done.set_result(parsed if then is None else then(parsed))
        except BaseException as err:  # handed to whoever asks for the result
            done.set_exception(err)

    threading.Thread(target=work, name="read-ahead", daemon=True).start()
    return done


def parse_delimited(
    path: str | os.PathLike, select: Callable[[list[str]], list[str]] | None = None
) -> Parsed:
    """The first step of :func:`read_csv`: the file's layout, and its cells parsed by pyarrow.

    Raises
    ------
    OutreachDataError
        The file is empty, binary, without a header, neither UTF-8 nor Windows-1252, or
        holds a quote that never closes or a row pyarrow cannot split.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = Path(path)
    head = read_head(path)
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise OutreachDataError(
            f"'{path.name}' is empty. Export the sheet again with its header row."
        )
    encoding = detect_encoding(head)
    if encoding != "utf-16" and b"\x00" in head:
        raise OutreachDataError(
            f"'{path.name}' is not a text file (it holds binary data). Fix: export the sheet "
            "as CSV (File > Download > CSV), or pass the .xlsx workbook itself."
        )
    lines = first_lines(head, encoding)
    delimiter = sniff_delimiter(lines)
    # records, not lines: a quoted cell over several lines (a Notion title) is one row
    head_rows, ends = _head_records("\n".join(lines), delimiter)
    header_at = find_header(head_rows)
    notes = []
    if encoding == "cp1252":
        notes.append("read as Windows-1252 text (the file is not UTF-8)")
    titles = sum(1 for r in head_rows[:header_at] if any(c.strip() for c in r))
    if titles:
        notes.append(f"skipped {titles} title row(s) above the header")
    header = [c.strip() for c in head_rows[header_at]] if head_rows else []
    if not any(header):
        raise OutreachDataError(
            f"'{path.name}' has no header row. Fix: make the first row of the sheet hold the "
            "column names (Date, Channel, Status...)."
        )
    names = [f"c{i}" for i in range(len(header))]
    header = dedupe_header(header)
    wanted = set(select(list(header))) if select is not None else set(header)
    include = [n for n, h in zip(names, header, strict=True) if h in wanted]
    has_quotes, ascii_only = _scan(path)
    if has_quotes:
        _check_quotes_close(path, encoding, delimiter)

    def attempt(enc: str, on_invalid: Callable | None = None):
        # a BOM sits in the header row, which is skipped: read the rest as plain UTF-8
        enc = "utf8" if enc == "utf-8-sig" else enc
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding=enc,
                skip_rows=ends[header_at] if head_rows else 0,
                column_names=names,
                block_size=_block_size(path.stat().st_size),
                # pyarrow numbers the rows it hands to on_invalid only when reading serially
                use_threads=on_invalid is None,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                ignore_empty_lines=False,
                newlines_in_values=has_quotes,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.dictionary(pa.int32(), pa.string()) for n in include},
                include_columns=include,
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
                # a file of ASCII bytes is UTF-8 throughout: no cell is checked again
                check_utf8=not (ascii_only and enc == "utf8"),
            ),
        )

    def read(enc: str):
        """The table and the rows whose width is not the header's (row number, cells, text)."""
        try:
            return attempt(enc), []
        except pa.ArrowInvalid as err:
            if not _WIDTH_ERROR.search(str(err)):
                raise
        # rare: read again, setting every row of the wrong width aside with its number
        irregular: list[tuple[int | None, int, str]] = []

        def set_aside(row) -> str:
            irregular.append((row.number, row.actual_columns, row.text))
            return "skip"

        return attempt(enc, set_aside), irregular

    try:
        try:
            table, irregular = read(encoding)
        except pa.ArrowInvalid as err:
            if "utf8" not in str(err).lower() or encoding == "cp1252":
                raise
            encoding = "cp1252"
            notes.append("read as Windows-1252 text (the file is not UTF-8)")
            table, irregular = read(encoding)
    except UnicodeDecodeError as err:
        raise OutreachDataError(
            f"'{path.name}' is neither UTF-8 nor Windows-1252 text (byte {err.object[err.start]:#x} "
            f"at position {err.start} of a block). Fix: save or export it again as "
            '"CSV UTF-8".'
        ) from None
    except pa.ArrowInvalid as err:
        raise OutreachDataError(
            f"'{path.name}' could not be read as {_DELIM_NAMES[delimiter]}-separated text "
            f"({str(err).splitlines()[0]}). Fix: check that no row has more cells than the "
            "header (a stray delimiter or an unclosed quote is the usual cause), or save the "
            "sheet as .xlsx and load that."
        ) from None
    return Parsed(
        path=path,
        table=table,
        header=header,
        names=names,
        include=include,
        delimiter=delimiter,
        first_row=header_at + 2,
        placed=not head_rows or ends[header_at] == header_at + 1,
        irregular=irregular,
        notes=notes,
    )


def read_csv(
    path: str | os.PathLike,
    *,
    select: Callable[[list[str]], list[str]] | None = None,
    parsed: Parsed | None = None,
) -> RawTable:
    """Read a delimited text log: encoding, delimiter and title rows are detected.

    UTF-8 (with or without BOM) and cp1252 are read; the delimiter is one of comma,
    semicolon or tab; rows above the header that hold a title are skipped; empty lines
    are kept so that row numbers match the sheet, where a quoted cell over several lines
    is one row. A row with fewer cells than the header (Excel drops trailing empty cells)
    is padded; a row with more is a bad row (``bad_rows``) with its sheet row; a quote
    that never closes is an error naming its row. Cells come back as categoricals of text
    (each distinct value stored once), which keeps millions of rows small and lets
    normalization work once per distinct value. ``parsed`` is the file's
    :func:`parse_delimited`, made earlier (with the same ``select``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> text = "Pitches 2024\\nDate;Client;Rate\\n2024-03-05;Café;12,5\\n"
    >>> _ = p.write_bytes(text.encode("cp1252"))
    >>> raw = read_csv(p)
    >>> raw.frame["Client"].tolist(), raw.source_rows.tolist(), raw.delimiter, raw.decimal_comma
    (['Café'], [3], ';', True)
    """
    import pyarrow as pa

    parsed = parsed if parsed is not None else parse_delimited(path, select)
    table, header, names, include = parsed.table, parsed.header, parsed.names, parsed.include
    parsed.table = None  # the frame takes its buffers (self_destruct)
    frame = table.to_pandas(self_destruct=True)
    del table
    # pyarrow's allocator keeps what it freed for later reads, which never come: give it
    # back (10M rows: 0.7 GiB), so that normalizing does not add to it
    pa.default_memory_pool().release_unused()
    frame = frame[include]  # pyarrow reads every column when include_columns is empty
    frame.columns = [h for n, h in zip(names, header, strict=True) if n in include]
    rows = np.arange(parsed.first_row, parsed.first_row + len(frame))
    bad_rows = None
    name, delimiter = parsed.path.name, parsed.delimiter
    if parsed.irregular:
        if not parsed.placed:  # pyarrow numbers lines, not sheet rows
            raise OutreachDataError(_UNPLACED.format(name=name))
        frame, rows, bad_rows = _with_short_rows(
            name, frame, parsed.first_row, parsed.irregular, header, include, names, delimiter
        )
    return RawTable(
        frame,
        rows,
        name,
        delimiter=delimiter,
        decimal_comma=delimiter == ";" and _looks_decimal_comma(frame),
        notes=parsed.notes,
        header=tuple(header),
        bad_rows=bad_rows,
    )


# "12,5", "1.234,75", "1 234,5" / "12.5", "1,234.75"; "55,000" matches both (ambiguous)
_COMMA_DECIMAL = r"-?\d{1,3}(?:[. \u00a0\u202f]\d{3})+,\d+|-?\d+,\d+"
_POINT_DECIMAL = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+"


def _looks_decimal_comma(frame: pd.DataFrame) -> bool:
    """Whether numbers in the frame write decimals with a comma.

    Decided by counting the distinct values (a sample of each column) that only a decimal
    comma explains (``12,5``) against those only a decimal point explains (``12.5``);
    ``55,000`` explains either way and is not counted.

    >>> import pandas as pd
    >>> _looks_decimal_comma(pd.DataFrame({"rate": ["12,5", "100", "80", "90"]}))
    True
    >>> _looks_decimal_comma(pd.DataFrame({"rate": ["12.5", "55,000", "8"]}))
    False
    """
    import pandas as pd

    comma = point = 0
    for col in frame.columns[:40]:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            values = pd.Series(s.cat.categories[:5000])
        else:
            values = pd.Series(s.dropna().head(5000).unique())
        values = values.astype("str").str.strip()
        is_comma = values.str.fullmatch(_COMMA_DECIMAL).fillna(False).astype(bool)
        is_point = values.str.fullmatch(_POINT_DECIMAL).fillna(False).astype(bool)
        comma += int((is_comma & ~is_point).sum())
        point += int((is_point & ~is_comma).sum())
    return comma > point


def _head_records(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The first records of a file and, for each, the number of lines read up to its end."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, ends = [], []
    try:
        for row in reader:
            rows.append(row)
            ends.append(reader.line_num)
    except csv.Error:  # a quote still open where the head was cut
        pass
    return rows, ends


def _check_quotes_close(path: Path, encoding: str, delimiter: str) -> None:
    """Raise naming the row where a quote opens and never closes.

    An unclosed quote would read every later row of the file into one cell. An odd
    number of quote characters is the sign; the file is then read once more to find the
    row (quotes inside a cell are doubled, so a well-formed file has an even number).
    """
    count = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            count += chunk.count(b'"')
    if count % 2 == 0:
        return
    enc = "utf-8-sig" if encoding.startswith("utf-8") else encoding
    with open(path, encoding=enc, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        records = 0
        last_ok_line = 0
        try:
            for _ in reader:
                records += 1
                last_ok_line = reader.line_num
        except csv.Error:
            pass
        else:
            return  # every quote closes (an odd count from a stray quote inside a cell)
    with open(path, encoding=enc, errors="replace", newline="") as fh:
        for _ in range(last_ok_line):
            fh.readline()
        start = fh.readline().strip()[:60]
    raise OutreachDataError(
        f"'{path.name}' has a quote that opens in row {records + 1} ('{start}...') and never "
        "closes, so every later row would be read into one cell. Fix: close the quote in "
        'that row (or remove it; a quote inside a cell is written "" in CSV), then load again.'
    )


_DELIM_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_WIDTH_ERROR = re.compile(r"Expected \d+ columns, got \d+")
_SHOWN_ROWS = 8
_UNPLACED = (
    "'{name}' has rows with fewer cells than the header that could not be placed. Fix: add "
    "the missing delimiters, or save the sheet as .xlsx and load that."
)


def _with_short_rows(
    name: str,
    frame: pd.DataFrame,
    start: int,
    irregular: list[tuple[int | None, int, str]],
    header: list[str],
    include: list[str],
    names: list[str],
    delimiter: str,
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame | None]:
    """Put the rows pyarrow set aside back in place: short rows padded, long ones bad rows.

    A row with fewer cells than the header is what Excel writes when the trailing cells
    of a row were never used; a row with more cells has a stray delimiter, and is
    returned as a bad row (its number, its text and why) for normalization to report.
    """
    import pandas as pd
    from pandas.api.types import union_categoricals

    width = len(header)
    if any(n is None for n, _, _ in irregular):
        raise OutreachDataError(_UNPLACED.format(name=name))
    long = [(n, w, t) for n, w, t in irregular if w > width]
    bad = None
    if long:
        bad = pd.DataFrame(
            {
                "row": np.array([n for n, _, _ in long], dtype="int64"),
                "column": "",
                "value": [t[:200] for _, _, t in long],
                "reason": [
                    f"has {w} cells but the header has {width} (a cell holding the delimiter "
                    f"'{delimiter}' must be in double quotes)"
                    for _, w, _ in long
                ],
            }
        ).astype({"column": "str", "value": "str", "reason": "str"})
    short = sorted((n, w, t) for n, w, t in irregular if w <= width)
    keep = [names.index(n) for n in include]
    cells = []
    for _, _, text in short:
        parsed = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        parsed = parsed + [""] * (width - len(parsed))
        cells.append([parsed[i] or None for i in keep])
    extra = pd.DataFrame(cells, columns=frame.columns, dtype="str")
    short_rows = np.array([n for n, _, _ in short], dtype=np.int64)
    long_rows = np.array([n for n, _, _ in long], dtype=np.int64)
    every = np.arange(start, start + len(frame) + len(short) + len(long))
    kept_rows = every[~np.isin(every, short_rows) & ~np.isin(every, long_rows)]
    if len(kept_rows) != len(frame):  # pyarrow numbered the rows otherwise than expected
        raise OutreachDataError(_UNPLACED.format(name=name))
    order = np.argsort(np.concatenate([kept_rows, short_rows]), kind="stable")
    out = {}
    for c in frame.columns:
        col = frame[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            added = pd.Categorical(extra[c].astype(col.cat.categories.dtype))
            merged = union_categoricals([col.array, added])
            out[c] = pd.Series(merged.take(order))
        else:
            out[c] = (
                pd.concat([col, extra[c]], ignore_index=True).take(order).reset_index(drop=True)
            )
    return pd.DataFrame(out), np.sort(np.concatenate([kept_rows, short_rows])), bad


def _scan(path: Path) -> tuple[bool, bool]:
    """Whether the file holds a double quote, and whether every byte of it is ASCII."""
    with open(path, "rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return False, True
        with mm:
            view = np.frombuffer(mm, dtype=np.uint8)
            ascii_only = bool(view.max() < 0x80)
            del view  # the map cannot close while an array looks into it
            return mm.find(b'"') != -1, ascii_only


def _block_size(size: int) -> int:
    """The bytes pyarrow parses as one block: about a sixteenth of the file, 1 to 16 MiB,
    so that both cores find blocks to parse (1M rows, 66 MB: 16 MiB blocks read in 0.3-0.5 s,
    4 MiB blocks in 0.16-0.24 s).

    >>> _block_size(69_000_000) >> 20, _block_size(700_000_000) >> 20, _block_size(70_000) >> 20
    (4, 16, 1)
    """
    return min(16 << 20, max(1 << 20, size // 16))
