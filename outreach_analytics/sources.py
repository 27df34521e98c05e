"""Reading a log from a CSV file, an Excel workbook or a Google Sheet.

Every reader returns a :class:`RawTable`: all cells as text (missing = ``NA``) under the
header exactly as the user wrote it, and the sheet row number of every data row, so that
any later message can point back to the row the user sees.
"""

from __future__ import annotations

import csv
import mmap
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import OutreachDataError
from .schema import COLUMN_ALIASES, header_key

__all__ = ["RawTable", "read_source", "read_csv", "read_excel", "read_gsheet"]

_HEAD_BYTES = 256 * 1024
_DELIMITERS = (",", ";", "\t")
_KNOWN_HEADERS = {header_key(a) for aliases in COLUMN_ALIASES.values() for a in aliases}
_GSHEET_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([\w-]+)")


@dataclass(frozen=True)
class RawTable:
    """A log as read from its source, before any interpretation.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per header cell, every value text or ``NA``.
    source_rows : numpy.ndarray
        The sheet row number (header = its own row, usually 1) of each frame row.
    name : str
        Where the table came from, for messages.
    delimiter : str or None
        The CSV delimiter used (``None`` for Excel and Google Sheets).
    decimal_comma : bool
        Whether numbers write their decimals with a comma (``12,5``).
    notes : list of str
        What the reader had to guess (encoding, title rows skipped...).
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    name: str
    delimiter: str | None = None
    decimal_comma: bool = False
    notes: list[str] = field(default_factory=list)


def read_source(
    source: str | os.PathLike | pd.DataFrame,
    *,
    sheet: str | int | None = None,
    client: Any = None,
) -> RawTable:
    """Read a log from a path, a Google Sheets URL or a DataFrame.

    Parameters
    ----------
    source : str, path or DataFrame
        ``.csv``/``.tsv``/``.txt`` files are read as delimited text, ``.xlsx``/``.xlsm``
        as Excel; ``https://docs.google.com/spreadsheets/d/KEY...`` or ``gsheet:KEY`` as a
        Google Sheet. A DataFrame is taken as it is (header = row 1).
    sheet : str or int, optional
        The worksheet (Excel or Google Sheets) by name or 0-based position.
    client : gspread.Client, optional
        An authorised gspread client for Google Sheets (default: ``gspread.oauth()``).

    Examples
    --------
    >>> from outreach_analytics.sample import sample_path
    >>> raw = read_source(sample_path())
    >>> int(raw.source_rows[0])
    2
    """
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        return RawTable(frame, np.arange(2, len(frame) + 2), "DataFrame")
    text = str(source)
    m = _GSHEET_URL.match(text)
    if m or text.startswith("gsheet:"):
        key = m.group(1) if m else text.removeprefix("gsheet:")
        gid = None
        if m:
            gm = re.search(r"[#&?]gid=(\d+)", text)
            gid = int(gm.group(1)) if gm else None
        return read_gsheet(key, sheet=sheet, gid=gid, client=client)
    path = Path(source)
    if not path.exists():
        raise OutreachDataError(
            f"No file at '{path}'. Check the path (it is read relative to "
            f"'{Path.cwd()}'), or pass a Google Sheets URL."
        )
    if path.is_dir():
        raise OutreachDataError(f"'{path}' is a folder, not a log file. Pass the CSV or Excel file.")
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm"):
        return read_excel(path, sheet=sheet)
    if suffix == ".xls":
        raise OutreachDataError(
            f"'{path.name}' is an old-style .xls workbook, which is not supported. "
            "Fix: open it and save it as .xlsx or export it as CSV."
        )
    return read_csv(path)


# --------------------------------------------------------------------------- CSV


def _detect_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        # a multi-byte character cut at the end of the head is not a real error
        if err.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1.0
    for delim in _DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not widths:
            continue
        values, counts = np.unique(widths, return_counts=True)
        mode = values[np.argmax(counts)]
        if mode < 2:
            continue
        score = counts.max() + 0.001 * mode
        if score > best_score:
            best, best_score = delim, score
    return best


def _find_header(rows: list[list[str]]) -> int:
    """Index of the header row among the first rows (title rows above it are skipped)."""
    widths = [sum(1 for c in r if c.strip()) for r in rows]
    if not widths:
        return 0
    for i, r in enumerate(rows[:10]):
        if sum(header_key(c) in _KNOWN_HEADERS for c in r if c.strip()) >= 2:
            return i
    full = max(widths)
    for i, w in enumerate(widths[:10]):
        if w >= max(2, full // 2):
            return i
    return 0


def _looks_decimal_comma(frame: pd.DataFrame) -> bool:
    for col in frame.columns[:40]:
        s = frame[col].dropna().head(200)
        if len(s) and s.str.fullmatch(r"-?\d+,\d+").mean() > 0.5:
            return True
    return False


def read_csv(path: str | os.PathLike) -> RawTable:
    """Read a delimited text log: encoding, delimiter and title rows are detected.

    UTF-8 (with or without BOM) and cp1252 are read; the delimiter is one of comma,
    semicolon or tab; rows above the header that hold a title are skipped; empty lines
    are kept so that row numbers match the sheet.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if not head.strip():
        raise OutreachDataError(f"'{path.name}' is empty. Export the sheet again with its header row.")
    encoding = _detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    lines = text.splitlines()[:50]
    if len(head) == _HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut short
    delimiter = _sniff_delimiter(lines)
    head_rows = list(csv.reader(lines, delimiter=delimiter))
    header_at = _find_header(head_rows)
    notes = []
    if encoding == "cp1252":
        notes.append("read as Windows-1252 text (the file is not UTF-8)")
    if header_at:
        notes.append(f"skipped {header_at} title row(s) above the header")
    header = [c.strip() for c in head_rows[header_at]] if head_rows else []
    if not any(header):
        raise OutreachDataError(
            f"'{path.name}' has no header row. Fix: make the first row of the sheet hold the "
            "column names (Date, Channel, Status...)."
        )
    names = [f"c{i}" for i in range(len(header))]
    has_quotes = _contains(path, b'"')

    def attempt(enc: str):
        # a BOM sits in the header row, which is skipped: read the rest as plain UTF-8
        enc = "utf8" if enc == "utf-8-sig" else enc
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding=enc,
                skip_rows=header_at + 1,
                column_names=names,
                block_size=16 << 20,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                ignore_empty_lines=False,
                newlines_in_values=has_quotes,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )

    try:
        try:
            table = attempt(encoding)
        except pa.ArrowInvalid as err:
            if "utf8" not in str(err).lower() or encoding == "cp1252":
                raise
            encoding = "cp1252"
            notes.append("read as Windows-1252 text (the file is not UTF-8)")
            table = attempt(encoding)
    except pa.ArrowInvalid as err:
        raise OutreachDataError(
            f"'{path.name}' could not be read as {_DELIM_NAMES[delimiter]}-separated text "
            f"({str(err).splitlines()[0]}). Fix: check that no row has more cells than the "
            "header (a stray delimiter or an unclosed quote is the usual cause), or save the "
            "sheet as .xlsx and load that."
        ) from None
    frame = table.to_pandas(self_destruct=True)
    del table
    frame.columns = _dedupe(header)
    rows = np.arange(header_at + 2, header_at + 2 + len(frame))
    return RawTable(
        frame,
        rows,
        path.name,
        delimiter=delimiter,
        decimal_comma=delimiter == ";" and _looks_decimal_comma(frame),
        notes=notes,
    )


_DELIM_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _contains(path: Path, needle: bytes) -> bool:
    with open(path, "rb") as fh:
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                return mm.find(needle) != -1
        except ValueError:  # empty file
            return False


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        n = n or f"column {i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n} ({seen[n]})"
        else:
            seen[n] = 1
        out.append(n)
    return out


# ------------------------------------------------------------- Excel and Sheets


def _cell_text(value: Any) -> str | None:
    """One spreadsheet cell as the text a CSV export would hold."""
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _table_from_rows(rows: list[list[Any]], first_row: int, name: str, notes=None) -> RawTable:
    """Build a :class:`RawTable` from rows of cells; ``first_row`` is the sheet row of rows[0]."""
    text_rows = [[_cell_text(v) for v in r] for r in rows]
    header_at = _find_header([[c or "" for c in r] for r in text_rows[:50]])
    if not text_rows or not any(text_rows[header_at]):
        raise OutreachDataError(
            f"'{name}' has no header row. Fix: make the first row of the sheet hold the "
            "column names (Date, Channel, Status...)."
        )
    header = text_rows[header_at]
    while header and header[-1] is None:
        header = header[:-1]
    width = len(header)
    body = [(r + [None] * width)[:width] for r in text_rows[header_at + 1 :]]
    frame = pd.DataFrame(body, columns=_dedupe([(h or "").strip() for h in header]), dtype="str")
    notes = list(notes or [])
    if header_at:
        notes.append(f"skipped {header_at} title row(s) above the header")
    start = first_row + header_at + 1
    return RawTable(frame, np.arange(start, start + len(frame)), name, notes=notes)


def read_excel(path: str | os.PathLike, *, sheet: str | int | None = None) -> RawTable:
    """Read one worksheet of an ``.xlsx`` workbook; date cells stay dates.

    Parameters
    ----------
    path : str or path
        The workbook.
    sheet : str or int, optional
        Worksheet name or 0-based position; the first sheet by default.
    """
    import openpyxl

    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a file that is not xlsx
        raise OutreachDataError(
            f"'{path.name}' could not be opened as an Excel workbook ({err}). Fix: save it "
            "again as .xlsx, or export the sheet as CSV."
        ) from None
    try:
        names = wb.sheetnames
        if sheet is None:
            ws = wb[names[0]]
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()
                                        and sheet not in names):
            idx = int(sheet)
            if not 0 <= idx < len(names):
                raise OutreachDataError(
                    f"'{path.name}' has no sheet number {idx} (0-based); it has {len(names)}: "
                    f"{names}. Fix: pass --sheet with one of those names."
                )
            ws = wb[names[idx]]
        elif sheet in names:
            ws = wb[sheet]
        else:
            raise OutreachDataError(
                f"'{path.name}' has no sheet named '{sheet}'. Sheets in the workbook: "
                f"{names}. Fix: pass --sheet with one of those names."
            )
        first = ws.min_row or 1
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return _table_from_rows(rows, first, f"{path.name} [{ws.title}]")


def read_gsheet(
    key: str,
    *,
    sheet: str | int | None = None,
    gid: int | None = None,
    client: Any = None,
) -> RawTable:
    """Read one worksheet of a Google Sheet through gspread.

    Parameters
    ----------
    key : str
        The spreadsheet key (the long id in its URL).
    sheet : str or int, optional
        Worksheet title or 0-based position; the first worksheet by default.
    gid : int, optional
        The worksheet id from a ``#gid=`` URL, used when ``sheet`` is not given.
    client : gspread.Client, optional
        An authorised client. By default ``gspread.service_account()`` is tried when
        ``GOOGLE_APPLICATION_CREDENTIALS`` is set, else ``gspread.oauth()``.
    """
    import gspread

    if client is None:
        try:
            creds = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
            client = gspread.service_account(filename=creds) if creds else gspread.oauth()
        except Exception as err:
            raise OutreachDataError(
                f"Could not sign in to Google Sheets ({err}). Fix: set "
                "GOOGLE_APPLICATION_CREDENTIALS to a service-account JSON file that the sheet "
                "is shared with, or download the sheet as CSV and load that."
            ) from None
    try:
        book = client.open_by_key(key)
        if sheet is not None:
            ws = book.get_worksheet(int(sheet)) if str(sheet).isdigit() else book.worksheet(sheet)
        elif gid is not None:
            ws = book.get_worksheet_by_id(gid)
        else:
            ws = book.sheet1
        if ws is None:
            raise gspread.WorksheetNotFound(str(sheet))
        values = ws.get_all_values()
    except gspread.WorksheetNotFound:
        titles = [w.title for w in book.worksheets()]
        raise OutreachDataError(
            f"The Google Sheet has no worksheet '{sheet if sheet is not None else gid}'. "
            f"Worksheets: {titles}. Fix: pass --sheet with one of those titles."
        ) from None
    except gspread.exceptions.APIError as err:
        code = getattr(err, "code", None)
        raise OutreachDataError(
            f"Google Sheets refused to read spreadsheet '{key}' (HTTP {code}: {err}). Fix: "
            "check the key or URL, and share the sheet with the account you signed in with."
        ) from None
    return _table_from_rows(values, 1, f"Google Sheet {key} [{ws.title}]")
