"""Writing actions back to the user's own log: a CSV file, an Excel workbook or a Sheet.

A new action is written in the user's own columns and words: the header is recognised as
the loader recognises it (:data:`~outreach_analytics.model.schema.COLUMN_ALIASES`, the
``--column`` and ``--mapping`` options), a status asked for as ``replied`` is written as
the word the log already uses for that meaning ("Got a reply", say), and the date in the
log's own date format. The action is checked with the model (its status words, dates
and normalization: the row must load back) before
:mod:`~outreach_analytics.io.write_targets` writes its cells.

Every write is all-or-nothing: a CSV file or a workbook is written to a temporary file in
the same folder, flushed to disk and renamed over the original, so an error or a crash
leaves the original as it was; a Google Sheet gets one ``values:append`` (or one
``values:batchUpdate``) call with ``valueInputOption=RAW``, so a note that starts with
``=``, ``+``, ``-`` or ``@`` stays text and never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OutreachDataError
from ..io.write_targets import CsvTarget, ExcelTarget, Plan, SheetTarget, Table, Target
from .dates import parse_unique_dates
from .schema import STAGE_DATE_COLUMNS
from .status import (
    STATUS_WORDS,
    normalize_phrase,
    parse_status,
    status_language,
    suggest_words,
)

__all__ = ["LoggedAction", "log_action"]


_GSHEET_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([\w-]+)")
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
    notes : tuple of str
        What to know of the write (a workbook's formulas saved without their values).
    """

    source: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    appended: bool = True
    notes: tuple[str, ...] = ()

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
    from .mapping import as_mapping

    m = as_mapping(mapping)
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
    target: Target
    gm = _GSHEET_URL.match(text)
    if gm or text.startswith("gsheet:"):
        key = gm.group(1) if gm else text.removeprefix("gsheet:")
        gid = None
        if gm:
            g = re.search(r"[#&?]gid=(\d+)", text)
            gid = int(g.group(1)) if g else None
        target = SheetTarget(key, sheet, gid, gspread_client, credentials)
    else:
        path = Path(source)
        if not path.is_file():
            raise OutreachDataError(
                f"No log file at '{path}'. Fix: check the path, or create a new log with "
                f"`outreach-analytics init-log {path.name}`."
            )
        suffix = path.suffix.casefold()
        if suffix in (".xlsx", ".xlsm"):
            target = ExcelTarget(path, sheet)
        elif suffix == ".xls":
            raise OutreachDataError(
                f"'{path.name}' is an old-style .xls workbook, which cannot be written. "
                "Fix: open it and save it as .xlsx."
            )
        else:
            target = CsvTarget(path)
    table = target.read()
    plan = _plan(table, wanted, m.statuses, m.date_order, given, status, day, row)
    written_row = target.write(plan)
    return LoggedAction(
        target.name, written_row, plan.shown, appended=row is None, notes=target.notes
    )


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


def _plan(
    table: Table,
    wanted: Mapping[str, str | Sequence[str]],
    statuses: Mapping[str, str],
    date_order: str | None,
    given: dict[str, str],
    status: str | None,
    day: dt.date,
    row: int | None,
) -> Plan:
    from .columns import resolve_columns
    from .normalize import user_statuses

    colmap = resolve_columns(table.header, wanted)
    extra = user_statuses(statuses)
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
    plan = Plan(
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
    table: Table,
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
    known = known or bool(status_language(status))  # "Absage": another language's list
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


def _column_words(table: Table, col: str | None) -> list[str]:
    """The column's distinct non-empty values, commonest first."""
    if col is None:
        return []
    words: Counter[str] = Counter()
    for value, n in table.frame[col].value_counts(sort=False).items():
        word = str(value).strip()
        if n and word:
            words[word] += int(n)
    return [w for w, _ in words.most_common()]


def _own_word(
    table: Table, col: str, extra: dict[str, tuple[str, str]], reading: tuple[str, str]
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


def _own_yes(table: Table, col: str) -> str:
    from .normalize import true_words

    for word in _column_words(table, col):
        if word.casefold() in true_words():
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
    table: Table,
    plan: Plan,
    wanted: Mapping[str, str | Sequence[str]],
    statuses: Mapping[str, str],
    date_order: str | None,
) -> None:
    """Normalize the row as it will be in the log: it must load, or nothing is written."""
    from ..io.raw import RawTable
    from .normalize import normalize_table

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
