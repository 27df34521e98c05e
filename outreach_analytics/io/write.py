"""Writing actions back to the user's own log: a CSV file, an Excel workbook or a Sheet.

A new action is written in the user's own columns and words: the header is recognised as
the loader recognises it (:data:`~outreach_analytics.model.schema.COLUMN_ALIASES`, the
``--column`` and ``--mapping`` options), a status asked for as ``replied`` is written as
the word the log already uses for that meaning ("Got a reply", say), and the date in the
log's own date format.

Every write is all-or-nothing: a CSV file or a workbook is written to a temporary file in
the same folder, flushed to disk and renamed over the original, so an error or a crash
leaves the original as it was; a Google Sheet gets one ``values:append`` (or one
``values:batchUpdate``) call with ``valueInputOption=RAW``, so a note that starts with
``=``, ``+``, ``-`` or ``@`` stays text and never becomes a formula.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OutreachDataError
from ..model.dates import parse_unique_dates
from ..model.schema import STAGE_DATE_COLUMNS
from ..model.status import STATUS_WORDS, normalize_phrase, parse_status, suggest_words

__all__ = ["LoggedAction", "log_action", "WRITE_SCOPES"]

#: The one OAuth scope writing needs (reading needs only ``spreadsheets.readonly``).
WRITE_SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)

_GSHEET_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([\w-]+)")
_FIELDS = ("date", "channel", "pitch_type", "client", "notes")
_OPTION_NAMES = {
    "date": "--date",
    "channel": "--channel",
    "pitch_type": "--type",
    "client": "--client",
    "notes": "--note",
    "status": "--status",
}
_BOOL_FOR_STAGE = {
    "responded": "responded",
    "interview": "interviewed",
    "offer": "offered",
    "won": "won",
}
_STAGE_DATE_FOR = {stage: col for col, stage in STAGE_DATE_COLUMNS.items()}


@dataclass(frozen=True)
class LoggedAction:
    """What :func:`log_action` wrote.

    Attributes
    ----------
    source : str
        The log written to.
    row : int
        The row written, numbered as the user sees it in the sheet (header = 1).
    values : dict
        ``{header in the log: value written}``, only the cells written.
    appended : bool
        ``True`` for a new action, ``False`` for an update of ``row``.
    """

    source: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    appended: bool = True

    def __repr__(self) -> str:
        what = "appended as row" if self.appended else "updated row"
        cells = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"LoggedAction({self.source}: {what} {self.row}: {cells})"


# ---------------------------------------------------------------- the public function


def log_action(
    source: str | os.PathLike,
    *,
    channel: str | None = None,
    pitch_type: str | None = None,
    client: str | None = None,
    status: str | None = None,
    date: str | dt.date | None = None,
    note: str | None = None,
    row: int | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    mapping: Any = None,
    sheet: str | int | None = None,
    gspread_client: Any = None,
    credentials: str | os.PathLike | None = None,
    today: dt.date | None = None,
) -> LoggedAction:
    """Append one action to a log, or record what happened to an existing one.

    Parameters
    ----------
    source : str or path
        A ``.csv``/``.tsv``/``.txt`` file, an ``.xlsx``/``.xlsm`` workbook, or a Google
        Sheet (its URL or ``gsheet:KEY``).
    channel, pitch_type, client, note : str, optional
        Written to the log's own channel, pitch type, client and notes columns. Naming a
        value the log has no column for is an error.
    status : str, optional
        Any status word the loader reads (``"replied"``, ``"rejected"``, ``"interview"``,
        ``"hired"``...) or one of the log's own words. The log's own word for the same
        meaning is written ("Ghosted" for ``no response``, if the log says "Ghosted").
    date : str or date, optional
        For a new action, the day it was sent; with ``row``, the day of what happened
        (written to the stage's date column, such as "Response Date", if the log has
        one). ``YYYY-MM-DD`` or the log's own format; today by default. Written in the
        log's own date format.
    row : int, optional
        Update this row (numbered as in the sheet, header = 1) instead of appending.
    columns, mapping
        As for :func:`~outreach_analytics.model.load.load_report`: the same column
        names and status words the loader uses.
    sheet : str or int, optional
        Worksheet of a workbook or a Google Sheet (default: the first).
    gspread_client : gspread.Client, optional
        An authorised client for a Google Sheet (default: sign in with write access).
    credentials : path, optional
        A service-account JSON file for a Google Sheet.
    today : date, optional
        The default date (for tests and reproducible examples).

    Returns
    -------
    LoggedAction

    Raises
    ------
    OutreachDataError
        A value with no column to go in, a row out of range, a status word the toolkit
        does not know (with the nearest known ones), a date that is not a date, a file
        that cannot be written. Nothing is written then.

    Examples
    --------
    >>> import tempfile, pathlib, datetime
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = p.write_text("Date,Platform,Company,Status\\n03/14/2024,Upwork,Acme,Ghosted\\n")
    >>> log_action(p, channel="LinkedIn", client="Beta", status="no reply",
    ...            today=datetime.date(2024, 3, 20))
    LoggedAction(log.csv: appended as row 3: Date='03/20/2024', Platform='LinkedIn', Company='Beta', Status='Ghosted')
    >>> print(p.read_text(), end="")
    Date,Platform,Company,Status
    03/14/2024,Upwork,Acme,Ghosted
    03/20/2024,LinkedIn,Beta,Ghosted
    >>> log_action(p, row=2, status="replied", today=datetime.date(2024, 3, 21))
    LoggedAction(log.csv: updated row 2: Status='Replied')
    """
    from ..model.load import LogMapping, read_mapping

    m = (
        mapping
        if isinstance(mapping, LogMapping)
        else read_mapping(mapping)
        if mapping
        else LogMapping()
    )
    wanted = {**m.columns, **(columns or {})}
    given = {
        "channel": channel,
        "pitch_type": pitch_type,
        "client": client,
        "notes": note,
    }
    given = {k: _clean(v, _OPTION_NAMES[k]) for k, v in given.items() if v is not None}
    if status is not None:
        status = _clean(status, "--status")
    if row is not None and status is None and not given and date is None:
        raise OutreachDataError(
            f"Nothing to record for row {row}. Fix: say what happened, e.g. --row {row} "
            "--status replied."
        )
    sheet = sheet if sheet is not None else m.sheet
    day = _parse_given_date(date, m.date_order) if date is not None else (today or dt.date.today())
    text = str(source)
    target: _Target
    gm = _GSHEET_URL.match(text)
    if gm or text.startswith("gsheet:"):
        key = gm.group(1) if gm else text.removeprefix("gsheet:")
        gid = None
        if gm:
            g = re.search(r"[#&?]gid=(\d+)", text)
            gid = int(g.group(1)) if g else None
        target = _SheetTarget(key, sheet, gid, gspread_client, credentials)
    else:
        path = Path(source)
        if not path.is_file():
            raise OutreachDataError(
                f"No log file at '{path}'. Fix: check the path, or create a new log with "
                f"`outreach-analytics init-log {path.name}`."
            )
        suffix = path.suffix.casefold()
        if suffix in (".xlsx", ".xlsm"):
            target = _ExcelTarget(path, sheet)
        elif suffix == ".xls":
            raise OutreachDataError(
                f"'{path.name}' is an old-style .xls workbook, which cannot be written. "
                "Fix: open it and save it as .xlsx."
            )
        else:
            target = _CsvTarget(path)
    table = target.read()
    plan = _plan(table, wanted, m.statuses, m.date_order, given, status, day, row)
    written_row = target.write(plan)
    return LoggedAction(target.name, written_row, plan.shown, appended=row is None)


def _clean(value: object, option: str) -> str:
    text = str(value)
    if not text.strip():
        raise OutreachDataError(f"{option} is empty. Fix: give it a value, or leave it out.")
    return text.strip()


def _parse_given_date(value: str | dt.date, order: str | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    days, bad, _, _, ambiguous = parse_unique_dates(pd.Series([str(value).strip()]), order)
    if bad[0] or ambiguous or np.isnat(days[0]):
        raise OutreachDataError(
            f"--date '{value}' is not a date the toolkit can read"
            + (" (it reads as either day-first or month-first)" if ambiguous else "")
            + ". Fix: write it as YYYY-MM-DD, e.g. --date 2024-03-05."
        )
    return pd.Timestamp(days[0]).date()


# ---------------------------------------------------------------- the plan: which cells


@dataclass
class _Table:
    """A log as read for writing: its header, its text cells, its row numbers."""

    name: str
    header: list[str]
    frame: pd.DataFrame  # text cells under the (deduplicated) header, one row per data row
    rows: np.ndarray  # sheet row number of each frame row
    header_row: int  # sheet row number of the header
    date_kind: dict[str, str] = field(default_factory=dict)  # column -> "date" or "text"


@dataclass
class _Plan:
    cells: dict[int, Any]  # column position -> value (date values are dt.date)
    row: int | None  # sheet row to update, or None to append
    shown: dict[str, Any]  # header -> value as written, for the result
    date_formats: dict[int, Callable[[dt.date], str]]  # column position -> text form


def _plan(
    table: _Table,
    wanted: Mapping[str, str | Sequence[str]],
    statuses: Mapping[str, str],
    date_order: str | None,
    given: dict[str, str],
    status: str | None,
    day: dt.date,
    row: int | None,
) -> _Plan:
    from ..model.normalize import _resolve_columns, _user_statuses

    colmap = _resolve_columns(table.header, wanted)
    extra = _user_statuses(statuses)
    position = {h: i for i, h in enumerate(table.header)}

    def column_of(name: str) -> str | None:
        cols = colmap.get(name)
        return cols[0] if cols else None

    missing = [k for k in given if column_of(k) is None]
    if missing:
        k = missing[0]
        raise OutreachDataError(
            f"{_OPTION_NAMES[k]} was given, but '{table.name}' has no column for "
            f"{k.replace('_', ' ')}. Columns in the log: {table.header}. Fix: name the "
            f'column with --column {k}="YOUR COLUMN", add such a column to the log, or '
            f"leave {_OPTION_NAMES[k]} out."
        )
    cells: dict[str, Any] = {}
    if row is not None:
        if row not in set(table.rows.tolist()):
            first = int(table.rows[0]) if len(table.rows) else table.header_row + 1
            last = int(table.rows[-1]) if len(table.rows) else table.header_row
            span = f"rows {first} to {last}" if last >= first else "no action rows yet"
            raise OutreachDataError(
                f"Row {row} of '{table.name}' is not an action row: the header is row "
                f"{table.header_row} and the actions are {span}. Fix: pass --row with the "
                "row number shown at the left of the sheet."
            )
        at = int(np.flatnonzero(table.rows == row)[0])
        current = table.frame.iloc[at]
    else:
        current = None
    for k, v in given.items():
        cells[column_of(k)] = v
    date_col = column_of("date")
    if row is None:
        if date_col is None:
            raise OutreachDataError(
                f"'{table.name}' has no column for the date each action was sent. Columns in "
                f'the log: {table.header}. Fix: name it with --column date="YOUR COLUMN".'
            )
        cells[date_col] = day
    if status is not None:
        cells.update(_status_cells(table, colmap, extra, status, day, current))
    elif row is None and column_of("status") is not None:
        word = _own_word(table, column_of("status"), extra, ("sent", "open"))
        if word:
            cells[column_of("status")] = word
    formats = {
        position[c]: _date_format(table.frame[c], date_order)
        for c, v in cells.items()
        if isinstance(v, dt.date)
    }
    if not cells:
        raise OutreachDataError(
            f"Nothing to record for row {row}: '{table.name}' has no date column for a stage, "
            f"so --date alone changes nothing. Fix: say what happened, e.g. --row {row} "
            "--status replied."
        )
    cells = dict(sorted(cells.items(), key=lambda kv: position[kv[0]]))
    plan = _Plan(
        cells={position[c]: v for c, v in cells.items()},
        row=row,
        shown={
            c: (formats[position[c]](v) if isinstance(v, dt.date) else v) for c, v in cells.items()
        },
        date_formats=formats,
    )
    _check_reads_back(table, plan, wanted, statuses, date_order)
    return plan


def _status_cells(
    table: _Table,
    colmap: dict[str, list[str]],
    extra: dict[str, tuple[str, str]],
    status: str,
    day: dt.date,
    current: pd.Series | None,
) -> dict[str, Any]:
    """The cells that record ``status``: the status column, a stage date, a yes/no column."""
    status_col = colmap.get("status", [None])[0]
    own = _column_words(table, status_col)
    # a word is written only if it is known whole: the log's own, the mapping's, or the
    # toolkit's vocabulary (a typo such as "rejectd" would be read, but never written)
    phrase = normalize_phrase(status)
    known = phrase in extra or phrase in STATUS_WORDS or phrase in map(normalize_phrase, own)
    reading = parse_status(status, extra) if known else None
    if reading is None:
        near = difflib.get_close_matches(status, own, n=3, cutoff=0.5) or suggest_words(status)
        hint = f" Nearest: {', '.join(repr(w) for w in near)}." if near else ""
        where = f" or one of the log's own ({', '.join(own[:8])})" if own else ""
        raise OutreachDataError(
            f"--status '{status}' is not a status word the toolkit knows.{hint} Fix: use a "
            f"known word such as 'replied', 'rejected', 'ghosted', 'interview', 'offer', "
            f"'hired'{where}, or map your word in a mapping file ([statuses] "
            f'"{status}" = "rejected") and pass --mapping FILE.'
        )
    stage = reading[0]
    out: dict[str, Any] = {}
    if status_col is not None:
        asked = next((w for w in own if normalize_phrase(w) == phrase), None)
        out[status_col] = (
            asked or _own_word(table, status_col, extra, reading) or _in_style(own, status)
        )
    stage_col = colmap.get(_STAGE_DATE_FOR.get(stage, ""), [None])[0]
    if stage_col is not None and (current is None or _blank(current.get(stage_col))):
        out[stage_col] = day
    flag_col = colmap.get(_BOOL_FOR_STAGE.get(stage, ""), [None])[0]
    if flag_col is not None:
        out[flag_col] = _own_yes(table, flag_col)
    if not out:
        raise OutreachDataError(
            f"'{table.name}' has no column to record '{status}' in (no status column, no "
            f"date or yes/no column for the stage '{stage}'). Columns in the log: "
            f'{table.header}. Fix: add a "Status" column, or name yours with '
            '--column status="YOUR COLUMN".'
        )
    if reading[1] not in ("open", "won") and status_col is None:
        raise OutreachDataError(
            f"'{table.name}' has no status column, so how the action ended ('{status}') "
            f'cannot be recorded. Fix: add a "Status" column, or name yours with '
            '--column status="YOUR COLUMN".'
        )
    return out


def _column_words(table: _Table, col: str | None) -> list[str]:
    """The column's distinct non-empty values, commonest first."""
    if col is None:
        return []
    s = table.frame[col].dropna().astype("str").str.strip()
    return [w for w, _ in Counter(s[s != ""]).most_common()]


def _own_word(
    table: _Table, col: str, extra: dict[str, tuple[str, str]], reading: tuple[str, str]
) -> str | None:
    """The log's commonest word for ``reading``, or the asked word in the log's case style."""
    for word in _column_words(table, col):
        if parse_status(word, extra) == reading:
            return word
    for word, meaning in extra.items():  # the mapping file's words, even if not used yet
        if meaning == reading:
            return word
    return None


def _in_style(words: list[str], word: str) -> str:
    """``word`` capitalised like most of the log's words ("replied" -> "Replied").

    A log with no words yet gets them capitalised, as in a new log's drop-down.
    """
    if word != word.lower():
        return word
    capital = sum(w[:1].isupper() for w in words)
    return word[:1].upper() + word[1:] if capital * 2 >= len(words) else word


def _own_yes(table: _Table, col: str) -> str:
    from ..model.normalize import _TRUE

    for word in _column_words(table, col):
        if word.casefold() in _TRUE:
            return word
    return "TRUE"


def _blank(value: object) -> bool:
    return value is None or value != value or not str(value).strip()


def _date_format(values: pd.Series, order: str | None) -> Callable[[dt.date], str]:
    """How the log writes its dates, inferred from a column (ISO when nothing says).

    >>> f = _date_format(pd.Series(["3/14/2024", "12/1/2024"]), None)
    >>> f(dt.date(2024, 5, 6))
    '5/6/2024'
    >>> _date_format(pd.Series(["14.03.2024"]), None)(dt.date(2024, 5, 6))
    '06.05.2024'
    >>> _date_format(pd.Series([None]), None)(dt.date(2024, 5, 6))
    '2024-05-06'
    """
    s = values.dropna().astype("str").str.strip()
    s = s[s != ""].tail(200)
    iso = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    numeric = s.str.extract(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$").dropna()
    if len(numeric) > iso.sum():
        sep = numeric[1].mode().iloc[0]
        pad = bool((numeric[0].str.len() == 2).any() and (numeric[0].str.startswith("0")).any())
        pad = pad or bool((numeric[2].str.startswith("0")).any())
        long_year = bool((numeric[3].str.len() == 4).any())
        if sep == ".":
            chosen = "day-first"
        else:
            _, _, chosen, _, _ = parse_unique_dates(s, order)
            chosen = chosen or order or "month-first"

        def numeric_form(d: dt.date) -> str:
            a, b = (d.day, d.month) if chosen == "day-first" else (d.month, d.day)
            y = d.year if long_year else d.year % 100
            return f"{a:02d}{sep}{b:02d}{sep}{y:02d}" if pad else f"{a}{sep}{b}{sep}{y:02d}"

        return numeric_form
    return dt.date.isoformat


def _check_reads_back(
    table: _Table,
    plan: _Plan,
    wanted: Mapping[str, str | Sequence[str]],
    statuses: Mapping[str, str],
    date_order: str | None,
) -> None:
    """Normalize the row as it will be in the log: it must load, or nothing is written."""
    from ..io.sources import RawTable
    from ..model.normalize import normalize_table

    if plan.row is not None:
        at = int(np.flatnonzero(table.rows == plan.row)[0])
        base = table.frame.iloc[at].tolist()
    else:
        base = [None] * len(table.header)
    for i, v in plan.cells.items():
        base[i] = plan.date_formats[i](v) if i in plan.date_formats else str(v)
    frame = pd.DataFrame([base], columns=list(table.frame.columns), dtype="str")
    number = plan.row if plan.row is not None else 0
    raw = RawTable(frame, np.array([number]), table.name)
    try:
        normalize_table(
            raw, columns=wanted, statuses=statuses, date_order=date_order or "month-first"
        )
    except OutreachDataError as err:
        problems = "; ".join(
            f"column '{r.column}' ('{r.value}') {r.reason}" for r in err.failure_cases.itertuples()
        )
        raise OutreachDataError(
            f"The row to write to '{table.name}' would not load back "
            f"({problems or err.message}), so nothing was written. Fix: correct the value "
            "given, or that row of the log."
        ) from None


# ---------------------------------------------------------------- targets


class _Target:
    name: str

    def read(self) -> _Table:  # pragma: no cover - interface
        raise NotImplementedError

    def write(self, plan: _Plan) -> int:  # pragma: no cover - interface
        raise NotImplementedError


def _check_writable(path: Path) -> None:
    folder = path.parent
    for lock in (folder / f"~${path.name}", folder / f".~lock.{path.name}#"):
        if lock.exists():
            raise OutreachDataError(
                f"'{path.name}' is open in a spreadsheet program (its lock file '{lock.name}' "
                "is there), which would overwrite what is logged now. Fix: close the file "
                "there and run the command again."
            )
    if not os.access(path, os.W_OK):
        raise OutreachDataError(
            f"'{path.name}' is read-only, so nothing was written. Fix: make it writable "
            "(e.g. uncheck Read-only in its properties, or chmod u+w) and run again."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
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


def _split_records(text: str, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of every record, newline excluded; quoted newlines stay inside."""
    spans = []
    start = i = 0
    n = len(text)
    quoted = False
    while i < n:
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            spans.append((start, i))
            i += 2 if text.startswith("\r\n", i) else 1
            start = i
            continue
        i += 1
    if start < n:
        spans.append((start, n))
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


class _CsvTarget(_Target):
    def __init__(self, path: Path):
        self.path = path
        self.name = path.name

    def read(self) -> _Table:
        from ..io.sources import _detect_encoding, read_csv

        raw = read_csv(self.path)
        data = self.path.read_bytes()
        encoding = _detect_encoding(data[: 256 * 1024])
        if encoding == "utf-8":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                encoding = "cp1252"
        if encoding not in ("utf-8", "utf-8-sig", "cp1252"):
            raise OutreachDataError(
                f"'{self.name}' is {encoding} text, which the toolkit reads but does not write. "
                'Fix: save it as "CSV UTF-8" and run again.'
            )
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise OutreachDataError(
                f"'{self.name}' holds bytes that are not {encoding} text, so it cannot be "
                'rewritten without changing them. Fix: save it as "CSV UTF-8" and run again.'
            ) from None
        from ..io.sources import _find_header

        first_break = re.search(r"\r\n|\n|\r", text)
        records = _split_records(text, raw.delimiter or ",")
        head = list(csv.reader(text.splitlines()[:50], delimiter=raw.delimiter or ","))
        header_at = _find_header(head)
        self.header_index = header_at
        header_fields = _split_fields(text[slice(*records[header_at])], raw.delimiter or ",")
        self.shape = _CsvShape(
            encoding=encoding,
            delimiter=raw.delimiter or ",",
            newline=first_break.group(0) if first_break else "\r\n",
            quote_all=bool(header_fields) and all(f.startswith('"') for f in header_fields),
            ends_with_newline=text.endswith(("\n", "\r")),
        )
        self.text = text
        self.records = records
        frame = raw.frame.astype("str")
        table = _Table(
            self.name,
            raw.all_columns,
            frame,
            np.asarray(raw.source_rows),
            header_at + 1,
        )
        return table

    def _format(self, value: Any, plan: _Plan, i: int) -> str:
        text = plan.date_formats[i](value) if i in plan.date_formats else str(value)
        buf = io.StringIO()
        quoting = csv.QUOTE_ALL if self.shape.quote_all else csv.QUOTE_MINIMAL
        # "\r\n" as the terminator makes the writer quote a cell holding either character
        writer = csv.writer(
            buf, delimiter=self.shape.delimiter, quoting=quoting, lineterminator="\r\n"
        )
        writer.writerow([text])
        return buf.getvalue()[:-2]

    def write(self, plan: _Plan) -> int:
        shape = self.shape
        header = self.text[slice(*self.records[self.header_index])]
        width = len(_split_fields(header, shape.delimiter))
        empty = '""' if shape.quote_all else ""
        if plan.row is None:
            fields = [empty] * width
            for i, v in plan.cells.items():
                fields[i] = self._format(v, plan, i)
            line = shape.delimiter.join(fields)
            lead = "" if shape.ends_with_newline else shape.newline
            new_text = self.text + lead + line + shape.newline
            row = len(self.records) + 1
        else:
            start, end = self.records[plan.row - 1]
            fields = _split_fields(self.text[start:end], shape.delimiter)
            fields += [empty] * (width - len(fields))
            for i, v in plan.cells.items():
                fields[i] = self._format(v, plan, i)
            new_text = self.text[:start] + shape.delimiter.join(fields) + self.text[end:]
            row = plan.row
        try:
            data = new_text.encode(shape.encoding)
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


class _ExcelTarget(_Target):
    def __init__(self, path: Path, sheet: str | int | None):
        self.path = path
        self.sheet = sheet
        self.name = path.name

    def read(self) -> _Table:
        from ..io.sources import _cell_text, _find_header, read_excel

        # the cells as the loader sees them (values, not formulas), with its checks and messages
        shown = read_excel(self.path, sheet=self.sheet)
        import openpyxl

        keep_vba = self.path.suffix.casefold() == ".xlsm"
        self.wb = openpyxl.load_workbook(self.path, keep_vba=keep_vba)
        names = self.wb.sheetnames
        if self.sheet is None:
            ws = self.wb[names[0]]
        elif str(self.sheet) in names:
            ws = self.wb[str(self.sheet)]
        else:
            ws = self.wb[names[int(self.sheet)]]
        self.ws = ws
        self.name = f"{self.path.name} [{ws.title}]"
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        text_rows = [[_cell_text(v) or "" for v in r] for r in rows[:50]]
        header_at = _find_header(text_rows)
        self.header_row = header_at + 1
        self.width = len(shown.all_columns)
        last = 0
        for i, r in enumerate(rows, start=1):
            if any(v is not None and str(v).strip() for v in r):
                last = i
        self.last_row = max(last, self.header_row)
        return _Table(
            self.name,
            shown.all_columns,
            shown.frame,
            np.asarray(shown.source_rows),
            self.header_row,
        )

    def write(self, plan: _Plan) -> int:
        from copy import copy

        ws = self.ws
        row = plan.row if plan.row is not None else self.last_row + 1
        above = row - 1 if row - 1 > self.header_row else None
        if plan.row is None and above:  # the new row looks like the one above it
            for j in range(1, self.width + 1):
                ref = ws.cell(row=above, column=j)
                if ref.has_style:
                    ws.cell(row=row, column=j)._style = copy(ref._style)
        for i, value in plan.cells.items():
            cell = ws.cell(row=row, column=i + 1)
            ref = ws.cell(row=above, column=i + 1) if above else None
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
        return row


# ---- Google Sheets


# --- credentials: a minimal stand-in. At merge, replace _client by the authorize function of
# io/gsheets.py (asked for WRITE_SCOPES); nothing else here depends on how it signs in.
def _client(scopes: Sequence[str], credentials: str | os.PathLike | None = None) -> Any:
    """A gspread client allowed ``scopes``: a service account if one is given, else OAuth."""
    import gspread

    creds = credentials or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    try:
        if creds:
            return gspread.service_account(filename=creds, scopes=list(scopes))
        return gspread.oauth(scopes=list(scopes))
    except Exception as err:
        raise OutreachDataError(
            f"Could not sign in to Google Sheets with write access ({type(err).__name__}). Fix: "
            "pass --credentials FILE (a service account the sheet is shared with as Editor), "
            "or run `outreach-analytics auth`."
        ) from None


def _api_error(err: Exception, key: str) -> OutreachDataError:
    import gspread

    code = getattr(getattr(err, "response", None), "status_code", None)
    if isinstance(err, gspread.SpreadsheetNotFound) or code == 404:
        return OutreachDataError(
            f"Google Sheets found no spreadsheet with the key '{key}' (HTTP 404). Fix: check "
            "the URL (the part after /d/)."
        )
    if isinstance(err, PermissionError) or code == 403:
        return OutreachDataError(
            f"Google Sheets refused to write to the spreadsheet '{key}' (HTTP 403). Fix: share "
            "it as Editor with the account you signed in with (for a service account, the "
            "client_email of its JSON file)."
        )
    return OutreachDataError(
        f"Google Sheets could not write to the spreadsheet '{key}' ({err}); nothing was "
        "written. Fix: run the command again in a moment."
    )


class _SheetTarget(_Target):
    def __init__(self, key: str, sheet, gid, client, credentials):
        self.key = key
        self.sheet = sheet
        self.gid = gid
        self.client = client
        self.credentials = credentials
        self.name = f"Google Sheet {key}"

    def read(self) -> _Table:
        import gspread
        import requests

        from ..io.sources import _find_header, _table_from_rows

        client = self.client or _client(WRITE_SCOPES, self.credentials)
        try:
            book = client.open_by_key(self.key)
            if self.sheet is not None:
                try:
                    ws = book.worksheet(str(self.sheet))
                except gspread.WorksheetNotFound:
                    if not str(self.sheet).isdigit():
                        raise
                    ws = book.get_worksheet(int(self.sheet))
            elif self.gid is not None:
                ws = book.get_worksheet_by_id(self.gid)
            else:
                ws = book.sheet1
            shown = ws.get_all_values()
            values = ws.get_all_values(value_render_option="UNFORMATTED_VALUE")
        except gspread.WorksheetNotFound:
            titles = [w.title for w in book.worksheets()]
            raise OutreachDataError(
                f"The Google Sheet '{book.title}' has no worksheet "
                f"{'named ' + repr(str(self.sheet)) if self.sheet is not None else f'with gid={self.gid}'}"
                f". Worksheets: {titles}. Fix: pass --sheet with one of those titles."
            ) from None
        except (gspread.exceptions.GSpreadException, PermissionError) as err:
            raise _api_error(err, self.key) from None
        except requests.RequestException as err:
            raise OutreachDataError(
                f"Could not reach Google Sheets ({type(err).__name__}); nothing was written. "
                "Fix: check the network connection and run again."
            ) from None
        self.ws = ws
        self.name = f"Google Sheet '{book.title}' [{ws.title}]"
        header_at = _find_header([list(r) for r in shown[:50]])
        raw = _table_from_rows(shown, 1, self.name) if shown else None
        if raw is None:
            raise OutreachDataError(
                f"{self.name} is empty. Fix: create a ready log with `outreach-analytics "
                "init-sheet`, or add a header row (Date, Channel, Type, Client, Status, Notes)."
            )
        self.header_row = header_at + 1
        self.width = len(raw.all_columns)
        table = _Table(
            self.name, raw.all_columns, raw.frame, np.asarray(raw.source_rows), self.header_row
        )
        # a date column holding real dates (numbers unformatted) gets real dates
        for j, h in enumerate(raw.all_columns):
            kinds = [
                type(r[j]).__name__
                for r in values[self.header_row :]
                if j < len(r) and r[j] not in ("", None)
            ]
            table.date_kind[h] = "text" if kinds and kinds[-1] == "str" else "date"
        self.table = table
        return table

    def _value(self, plan: _Plan, i: int, value: Any) -> Any:
        if isinstance(value, dt.date):
            if self.table.date_kind.get(self.table.header[i]) == "date":
                return (value - dt.date(1899, 12, 30)).days  # a serial: a real date in Sheets
            return plan.date_formats[i](value)
        return str(value)

    def write(self, plan: _Plan) -> int:
        import gspread
        import requests
        from gspread.utils import rowcol_to_a1

        title = "'" + self.ws.title.replace("'", "''") + "'"
        try:
            if plan.row is None:
                values = [""] * self.width
                for i, v in plan.cells.items():
                    values[i] = self._value(plan, i, v)
                last = rowcol_to_a1(self.header_row, self.width)
                answer = self.ws.append_row(
                    values,
                    value_input_option="RAW",
                    table_range=f"A{self.header_row}:{last}",
                )
                updated = answer.get("updates", {}).get("updatedRange", "")
                m = re.search(r"[A-Z]+(\d+)", updated.rsplit("!", 1)[-1])
                return int(m.group(1)) if m else -1
            data = [
                {
                    "range": f"{title}!{rowcol_to_a1(plan.row, i + 1)}",
                    "values": [[self._value(plan, i, v)]],
                }
                for i, v in sorted(plan.cells.items())
            ]
            self.ws.spreadsheet.values_batch_update({"valueInputOption": "RAW", "data": data})
            return plan.row
        except (gspread.exceptions.GSpreadException, PermissionError) as err:
            raise _api_error(err, self.key) from None
        except requests.RequestException as err:
            raise OutreachDataError(
                f"Could not reach Google Sheets ({type(err).__name__}); the action may not "
                "have been written. Fix: look at the sheet, and run again if it is not there."
            ) from None
