"""Where an action is written: a CSV file, an Excel workbook, a Google Sheet.

Each target reads the log as the loader does (:class:`Table`) and writes a :class:`Plan`
(which cells get which values) all-or-nothing: files through a temporary copy in the same
folder, fsync and rename; Sheets in one ``values:append`` or ``values:batchUpdate`` call
with ``valueInputOption=RAW``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OutreachDataError
from .gsheets import WRITE_SCOPES

__all__ = ["WRITE_SCOPES"]


@dataclass
class Table:
    """A log as read for writing: its header, its text cells, its row numbers."""

    name: str
    header: list[str]
    frame: pd.DataFrame  # text cells under the (deduplicated) header, one row per data row
    rows: np.ndarray  # sheet row number of each frame row
    header_row: int  # sheet row number of the header
    date_kind: dict[str, str] = field(default_factory=dict)  # column -> "date" or "text"


@dataclass
class Plan:
    cells: dict[int, Any]  # column position -> value (date values are dt.date)
    row: int | None  # sheet row to update, or None to append
    shown: dict[str, Any]  # header -> value as written, for the result
    date_formats: dict[int, Callable[[dt.date], str]]  # column position -> text form


# ---------------------------------------------------------------- targets


class Target:
    name: str
    #: What the user should know of a write that went through (set by ``write``).
    notes: tuple[str, ...] = ()

    def read(self) -> Table:  # pragma: no cover - interface
        raise NotImplementedError

    def write(self, plan: Plan) -> int:  # pragma: no cover - interface
        raise NotImplementedError


def _read_only(path: Path, mode: int) -> bool:
    """Not writable by this user, or marked read-only for everyone (no write bit at all).

    The mode bits are read as well because an administrator (root) passes every
    ``os.access`` check, and a file or folder the user marked read-only stays so.
    """
    return not os.access(path, mode) or not path.stat().st_mode & 0o222


def _check_writable(path: Path) -> None:
    folder = path.parent
    for lock in (folder / f"~${path.name}", folder / f".~lock.{path.name}#"):
        if lock.exists():
            raise OutreachDataError(
                f"'{path.name}' is open in a spreadsheet program (its lock file '{lock.name}' "
                "is there), which would overwrite what is logged now. Fix: close the file "
                "there and run the command again."
            )
    if _read_only(path, os.W_OK):
        raise OutreachDataError(
            f"'{path.name}' is read-only, so nothing was written. Fix: make it writable "
            "(e.g. uncheck Read-only in its properties, or chmod u+w) and run again."
        )
    if _read_only(folder, os.W_OK | os.X_OK):
        raise OutreachDataError(
            f"The folder of '{path.name}' is not writable, and the log is written safely by "
            "writing a new copy beside it and renaming it over the old one; nothing was "
            "written. Fix: make the folder writable, or move the log to a folder you can "
            "write to."
        )


def _replace_atomically(path: Path, write: Callable[[Any], None]) -> None:
    """Write through ``write(binary file)`` to a temporary file beside ``path``, fsync, rename."""
    _check_writable(path)
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise OutreachDataError(
                f"Could not write '{path.name}' ({err.strerror or err}); the log is unchanged. "
                "Fix: check the disk has space and the file is not open elsewhere, then run "
                "again."
            ) from None
        raise
    try:  # make the rename itself durable
        dirfd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dirfd)
    except OSError:
        pass
    finally:
        os.close(dirfd)


# ---- CSV


@dataclass
class _CsvShape:
    encoding: str  # as decoded: "utf-8", "utf-8-sig" or "cp1252"
    delimiter: str
    newline: str
    quote_all: bool
    ends_with_newline: bool


_RECORD_TOKENS = re.compile(r'"[^"]*"?|\r\n|\n|\r')


def _split_records(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    r"""(start, end) of the first ``limit`` records (all by default), newline excluded;
    quoted newlines stay inside.

    A quoted section (``""`` inside it reads as two sections) is skipped whole, so the
    scan runs at regex speed.

    >>> _split_records('a,"b\nc"\r\nd\n')
    [(0, 7), (9, 10)]
    """
    spans = []
    start = 0
    for m in _RECORD_TOKENS.finditer(text):
        if m.group(0)[0] != '"':
            spans.append((start, m.start()))
            start = m.end()
            if limit is not None and len(spans) >= limit:
                return spans
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _split_fields(record: str, delimiter: str) -> list[str]:
    """The record's fields as raw text (quotes kept)."""
    out, start, quoted = [], 0, False
    for i, ch in enumerate(record):
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            out.append(record[start:i])
            start = i + 1
    out.append(record[start:])
    return out


class CsvTarget(Target):
    def __init__(self, path: Path):
        self.path = path
        self.name = path.name

    def read(self) -> Table:
        from .delimited import read_csv
        from .sniff import detect_encoding, find_header

        raw = read_csv(self.path)
        data = self.path.read_bytes()
        encoding = detect_encoding(data[: 256 * 1024])
        bom = b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b""
        encoding = "utf-8" if bom else encoding
        if encoding == "utf-8" and not bom:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                encoding = "cp1252"
        if encoding not in ("utf-8", "cp1252"):
            raise OutreachDataError(
                f"'{self.name}' is {encoding} text, which the toolkit reads but does not write. "
                'Fix: save it as "CSV UTF-8" and run again.'
            )
        try:
            text = data[len(bom) :].decode(encoding)
        except UnicodeDecodeError:
            raise OutreachDataError(
                f"'{self.name}' holds bytes that are not {encoding} text, so it cannot be "
                'rewritten without changing them. Fix: save it as "CSV UTF-8" and run again.'
            ) from None
        delimiter = raw.delimiter or ","
        first_break = re.search(r"\r\n|\n|\r", text)
        header_at = find_header(list(csv.reader(text.splitlines()[:50], delimiter=delimiter)))
        header = _split_records(text, header_at + 1)[header_at]
        header_fields = _split_fields(text[slice(*header)], delimiter)
        self.shape = _CsvShape(
            encoding=encoding,
            delimiter=delimiter,
            newline=first_break.group(0) if first_break else "\r\n",
            quote_all=bool(header_fields) and all(f.startswith('"') for f in header_fields),
            ends_with_newline=text.endswith(("\n", "\r")),
        )
        self.data, self.bom, self.text = data, bom, text
        self.width = len(header_fields)
        # every record below the header, empty lines included, is a row of the frame
        self.next_row = header_at + 2 + len(raw.frame)
        return Table(
            self.name,
            raw.all_columns,
            raw.frame,  # categoricals of text: each distinct value once
            np.asarray(raw.source_rows),
            header_at + 1,
        )

    def _format(self, value: Any, plan: Plan, i: int) -> str:
        text = plan.date_formats[i](value) if i in plan.date_formats else str(value)
        buf = io.StringIO()
        quoting = csv.QUOTE_ALL if self.shape.quote_all else csv.QUOTE_MINIMAL
        # "\r\n" as the terminator makes the writer quote a cell holding either character
        writer = csv.writer(
            buf, delimiter=self.shape.delimiter, quoting=quoting, lineterminator="\r\n"
        )
        writer.writerow([text])
        return buf.getvalue()[:-2]

    def _fields(self, plan: Plan, fields: list[str]) -> str:
        empty = '""' if self.shape.quote_all else ""
        fields = fields + [empty] * (self.width - len(fields))
        for i, v in plan.cells.items():
            fields[i] = self._format(v, plan, i)
        return self.shape.delimiter.join(fields)

    def write(self, plan: Plan) -> int:
        shape = self.shape
        enc = shape.encoding
        try:
            if plan.row is None:  # the bytes of the file, then one line
                lead = "" if shape.ends_with_newline else shape.newline
                line = lead + self._fields(plan, []) + shape.newline
                data = self.data + line.encode(enc)
                row = self.next_row
            else:  # the bytes before the record, the new record, the bytes after it
                start, end = _split_records(self.text, plan.row)[plan.row - 1]
                record = self._fields(plan, _split_fields(self.text[start:end], shape.delimiter))
                data = (
                    self.bom
                    + self.text[:start].encode(enc)
                    + record.encode(enc)
                    + self.text[end:].encode(enc)
                )
                row = plan.row
        except UnicodeEncodeError as err:
            bad = err.object[err.start : err.end]
            raise OutreachDataError(
                f"'{bad}' cannot be written to '{self.name}', which is Windows-1252 text; "
                'nothing was written. Fix: leave that character out, or save the log as "CSV '
                'UTF-8" and run again.'
            ) from None
        _replace_atomically(self.path, lambda fh: fh.write(data))
        return row


# ---- Excel


class ExcelTarget(Target):
    def __init__(self, path: Path, sheet: str | int | None):
        self.path = path
        self.sheet = sheet
        self.name = path.name

    def read(self) -> Table:
        from .excel import log_table
        from .raw import cell_text
        from .sniff import find_header
        from .sources import read_excel

        # the cells as the loader sees them (values, not formulas), with its checks and
        # messages, on the sheet it reads (the one that looks like a log, if none is named)
        shown = read_excel(self.path, sheet=self.sheet)
        import openpyxl
        from openpyxl.utils.cell import range_boundaries

        keep_vba = self.path.suffix.casefold() == ".xlsm"
        self.wb = openpyxl.load_workbook(self.path, keep_vba=keep_vba)
        ws = self.wb[shown.sheet]
        self.ws = ws
        self.name = shown.name
        self.left = shown.first_column  # the sheet column of the log's first column
        self.width = len(shown.all_columns)
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        self.table = log_table(rows, list(ws.tables.values()))
        if self.table is not None:  # an Excel table: a new row joins it
            _, top, _, bottom = range_boundaries(self.table.ref)
            self.header_row = top
            self.last_row = bottom - (self.table.totalsRowCount or 0)
        else:
            text_rows = [[cell_text(v) or "" for v in r] for r in rows[:50]]
            self.header_row = find_header(text_rows) + 1
            last = 0
            for i, r in enumerate(rows, start=1):
                if any(v is not None and str(v).strip() for v in r):
                    last = i
            self.last_row = max(last, self.header_row)
        return Table(
            self.name,
            shown.all_columns,
            shown.frame,
            np.asarray(shown.source_rows),
            self.header_row,
        )

    def _grow_table(self) -> int:
        """Make room for a new row at the end of the log's Excel table; return its row."""
        from openpyxl.utils.cell import get_column_letter, range_boundaries

        t, ws = self.table, self.ws
        left, top, right, bottom = range_boundaries(t.ref)
        totals = t.totalsRowCount or 0
        free = bottom + 1  # the table grows by one row, its totals row moves down by one
        if any(ws.cell(row=free, column=c).value is not None for c in range(left, right + 1)):
            raise OutreachDataError(
                f"The log is the Excel table '{t.displayName}' ({t.ref}) of '{self.name}', "
                f"and row {free} just below it is not empty, so a new row cannot join the "
                "table; nothing was written. Fix: insert an empty row below the table in "
                "Excel (or move what is there), then run again."
            )
        first, last = get_column_letter(left), get_column_letter(right)
        if totals:
            ws.move_range(f"{first}{bottom - totals + 1}:{last}{bottom}", rows=1)
        t.ref = f"{first}{top}:{last}{free}"
        if t.autoFilter is not None:
            t.autoFilter.ref = f"{first}{top}:{last}{free - totals}"
        return free - totals

    def write(self, plan: Plan) -> int:
        from copy import copy

        ws = self.ws
        if plan.row is not None:
            row = plan.row
        elif self.table is not None:
            row = self._grow_table()
        else:
            row = self.last_row + 1
        above = row - 1 if row - 1 > self.header_row else None
        columns = range(self.left, self.left + self.width)
        if plan.row is None and above:  # the new row looks like the one above it
            for j in columns:
                ref = ws.cell(row=above, column=j)
                if ref.has_style:
                    ws.cell(row=row, column=j)._style = copy(ref._style)
        for i, value in plan.cells.items():
            cell = ws.cell(row=row, column=columns[i])
            ref = ws.cell(row=above, column=columns[i]) if above else None
            if isinstance(value, dt.date):
                if ref is not None and isinstance(ref.value, str):
                    cell.value = plan.date_formats[i](value)
                else:
                    cell.value = value
                    if not cell.is_date:
                        col_fmt = ws.column_dimensions[cell.column_letter].number_format
                        cell.number_format = (
                            col_fmt if col_fmt and "y" in col_fmt.casefold() else "yyyy-mm-dd"
                        )
            else:
                cell.value = value
                cell.data_type = "s"  # never a formula, even for text starting with "="

        def save(fh) -> None:
            self.wb.save(fh)

        _replace_atomically(self.path, save)
        formulas = sum(
            cell.data_type == "f"
            for sheet in self.wb.worksheets
            for r in sheet.iter_rows()
            for cell in r
        )
        if formulas:
            self.notes = (
                f"{formulas} formula cell(s) of '{self.path.name}' were saved without the values "
                "they last computed (only Excel or LibreOffice computes them). Fix: open the "
                "workbook in one of them and save it, so that the next read finds the values.",
            )
        return row


# ---- Google Sheets


# --- credentials: a minimal stand-in. At merge, replace sign_in by the authorize function of
# io/gsheets.py (asked for WRITE_SCOPES); nothing else here depends on how it signs in.
def sign_in(scopes: Sequence[str], credentials: str | os.PathLike | None = None) -> Any:
    """Sign in for ``scopes`` as reading does (:func:`.gsheets.authorize`), never anonymously."""
    from .gsheets import authorize

    return authorize(scopes, credentials, public_ok=False)


def write_api_error(err: Exception, key: str, signin: Any = None) -> OutreachDataError:
    import gspread

    code = getattr(getattr(err, "response", None), "status_code", None)
    if isinstance(err, gspread.SpreadsheetNotFound) or code == 404:
        return OutreachDataError(
            f"Google Sheets found no spreadsheet with the key '{key}' (HTTP 404). Fix: check "
            "the URL (the part after /d/)."
        )
    if isinstance(err, PermissionError) or code == 403:
        who = (signin.account if signin is not None else None) or "the account you signed in with"
        return OutreachDataError(
            f"Google Sheets refused to write to the spreadsheet '{key}' (HTTP 403). Fix: share "
            f"it as Editor with {who}."
        )
    return OutreachDataError(
        f"Google Sheets could not write to the spreadsheet '{key}' ({err}); nothing was "
        "written. Fix: run the command again in a moment."
    )


class SheetTarget(Target):
    def __init__(self, key: str, sheet, gid, client, credentials):
        self.key = key
        self.sheet = sheet
        self.gid = gid
        self.client = client
        self.credentials = credentials
        self.name = f"Google Sheet {key}"

    def read(self) -> Table:
        import gspread
        import requests
        from gspread.utils import fill_gaps

        from .gsheets import GoogleUnavailable
        from .raw import table_from_rows
        from .sniff import find_header

        self.signin = None if self.client else sign_in(WRITE_SCOPES, self.credentials)
        client = self.client or self.signin.client
        http = client.http_client
        # one metadata call and one values call per render option (and, with no worksheet
        # named, one to choose it): gspread's Spreadsheet and Worksheet objects would fetch
        # the metadata twice. The client of authorize() retries these reads (429, 5xx,
        # timeouts) within --retry-seconds.
        try:
            meta = http.fetch_sheet_metadata(self.key)
            tabs = [t["properties"] for t in meta.get("sheets", [])]
            props = self._pick(tabs, meta["properties"]["title"], http)
            quoted = "'" + props["title"].replace("'", "''") + "'"
            shown = fill_gaps(http.values_get(self.key, quoted).get("values", []))
            unformatted = {"valueRenderOption": "UNFORMATTED_VALUE"}
            values = http.values_get(self.key, quoted, params=unformatted).get("values", [])
        except GoogleUnavailable as err:
            raise OutreachDataError(
                f"{err.message.split(' Fix:')[0]} The log could not be read, so nothing was "
                "written. Fix: run the command again later, or allow more time with "
                "--retry-seconds."
            ) from None
        except (gspread.exceptions.GSpreadException, PermissionError) as err:
            raise write_api_error(err, self.key, self.signin) from None
        except requests.RequestException as err:
            raise OutreachDataError(
                f"Could not reach Google Sheets ({type(err).__name__}); nothing was written. "
                "Fix: check the network connection and run again."
            ) from None
        self.http, self.title = http, quoted
        self.name = f"Google Sheet '{meta['properties']['title']}' [{props['title']}]"
        header_at = find_header([list(r) for r in shown[:50]])
        raw = table_from_rows(shown, 1, self.name) if shown else None
        if raw is None:
            raise OutreachDataError(
                f"{self.name} is empty. Fix: create a ready log with `outreach-analytics "
                "init-sheet`, or add a header row (Date, Channel, Type, Client, Status, Notes)."
            )
        self.header_row = header_at + 1
        self.width = len(raw.all_columns)
        self.left = raw.first_column  # the sheet column of the log's first column
        table = Table(
            self.name, raw.all_columns, raw.frame, np.asarray(raw.source_rows), self.header_row
        )
        # a date column holding real dates (numbers unformatted) gets real dates
        for i, h in enumerate(raw.all_columns):
            j = self.left - 1 + i
            kinds = [
                type(r[j]).__name__
                for r in values[self.header_row :]
                if j < len(r) and r[j] not in ("", None)
            ]
            table.date_kind[h] = "text" if kinds and kinds[-1] == "str" else "date"
        self.table = table
        return table

    def _pick(self, tabs: list[dict[str, Any]], book: str, http: Any) -> dict[str, Any]:
        """The worksheet asked for: by title, else 0-based position, else gid, else the one
        reading would choose (:func:`.gsheets.choose_tab`)."""
        if self.sheet is not None:
            found = [t for t in tabs if t["title"] == str(self.sheet)]
            if not found and str(self.sheet).isdigit() and int(self.sheet) < len(tabs):
                found = [tabs[int(self.sheet)]]
            what = f"named '{self.sheet}'"
        elif self.gid is not None:
            found = [t for t in tabs if t.get("sheetId") == self.gid]
            what = f"with gid={self.gid} (the #gid= of the URL)"
        else:
            from .gsheets import choose_tab

            grid = [t for t in tabs if t.get("sheetType", "GRID") == "GRID"]
            shown = [(t["title"], not t.get("hidden", False)) for t in grid]
            at, _ = choose_tab(http, self.key, shown)
            found, what = grid[at : at + 1], "of cells"
        if not found:
            raise OutreachDataError(
                f"The Google Sheet '{book}' has no worksheet {what}. Worksheets: "
                f"{[t['title'] for t in tabs]}. Fix: pass --sheet with one of those titles."
            )
        return found[0]

    def _value(self, plan: Plan, i: int, value: Any) -> Any:
        if isinstance(value, dt.date):
            if self.table.date_kind.get(self.table.header[i]) == "date":
                return (value - dt.date(1899, 12, 30)).days  # a serial: a real date in Sheets
            return plan.date_formats[i](value)
        return str(value)

    def write(self, plan: Plan) -> int:
        import gspread
        import requests
        from gspread.utils import rowcol_to_a1

        from .gsheets import RETRY_STATUS, GoogleUnavailable

        title = self.title
        try:
            if plan.row is None:
                values = [""] * self.width
                for i, v in plan.cells.items():
                    values[i] = self._value(plan, i, v)
                first = rowcol_to_a1(self.header_row, self.left)
                last = rowcol_to_a1(self.header_row, self.left + self.width - 1)
                answer = self.http.values_append(
                    self.key,
                    f"{title}!{first}:{last}",
                    params={"valueInputOption": "RAW"},
                    body={"values": [values]},
                )
                updated = answer.get("updates", {}).get("updatedRange", "")
                m = re.search(r"[A-Z]+(\d+)", updated.rsplit("!", 1)[-1])
                return int(m.group(1)) if m else -1
            data = [
                {
                    "range": f"{title}!{rowcol_to_a1(plan.row, self.left + i)}",
                    "values": [[self._value(plan, i, v)]],
                }
                for i, v in sorted(plan.cells.items())
            ]
            self.http.values_batch_update(self.key, {"valueInputOption": "RAW", "data": data})
            return plan.row
        except GoogleUnavailable as err:
            # an append is retried only on 429, which Google answers before writing; an
            # update (the same cells, the same values) is retried on any transient failure
            what = (
                "nothing was written"
                if plan.row is None
                else f"row {plan.row} may or may not have been updated"
            )
            raise OutreachDataError(
                f"{err.message.split(' Fix:')[0]} So {what}. Fix: run the command again "
                "later, or allow more time with --retry-seconds."
            ) from None
        except gspread.exceptions.APIError as err:
            code = err.response.status_code
            if code not in RETRY_STATUS:
                raise write_api_error(err, self.key, self.signin) from None
            if plan.row is None:
                raise OutreachDataError(
                    f"Google Sheets answered HTTP {code} to the append, so the action may not "
                    "have been written (or may have been: an append is never repeated, so it "
                    "is never written twice). Fix: look at the end of the sheet, and run the "
                    "command again if the action is not there."
                ) from None
            raise OutreachDataError(
                f"Google Sheets answered HTTP {code} to the update of row {plan.row}, so it "
                "may not have been written. Fix: run the command again (updating the same "
                "row twice is harmless)."
            ) from None
        except (gspread.exceptions.GSpreadException, PermissionError) as err:
            raise write_api_error(err, self.key, self.signin) from None
        except requests.RequestException as err:
            raise OutreachDataError(
                f"Could not reach Google Sheets ({type(err).__name__}); the action may not "
                "have been written. Fix: look at the sheet, and run again if it is not there."
            ) from None
