"""A log as read from its source, before any interpretation: :class:`RawTable`, and how
one is built from rows of spreadsheet cells (an Excel worksheet, a Google Sheet's tab).

Every reader (:mod:`.sources`, :mod:`.gsheets`) returns a :class:`RawTable`: all cells as
text (missing = ``NA``) under the header exactly as the user wrote it, and the sheet row
number of every data row, so that any later message can point back to the row the user
sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import OutreachDataError
from .sniff import find_header, locate_header

if TYPE_CHECKING:  # pandas is imported where a frame is made: a CSV is parsed without it
    import pandas as pd

__all__ = [
    "SCORED_ROWS",
    "RawTable",
    "cell_text",
    "choose_log",
    "dedupe_header",
    "log_score",
    "table_from_rows",
]

#: Rows of each sheet (or tab) read to tell the log from a workbook's other sheets.
SCORED_ROWS = 50


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
    bad_rows : pandas.DataFrame or None
        Rows that could not be read into the table at all (more cells than the header):
        ``row``, ``column``, ``value``, ``reason``; normalization reports them as skipped.
    tabs : numpy.ndarray or None
        For every tab of a Google Sheet read into one table (``--all-tabs``), the tab of
        each frame row: kept as the ``tab`` column of the data, and named in messages.
    sheet : str or None
        The worksheet read, for a workbook (the one chosen when none was asked for).
    first_column : int
        The sheet column (A = 1) of the frame's first column: a log whose columns start
        further right (a title column, an Excel table at B3) is written back where it is.
    unsaved_formulas : pandas.DataFrame or None
        Cells holding a formula saved without its value (a workbook written by a program
        that does not compute formulas): ``row``, ``column``, ``value`` (the formula). They
        are empty in ``frame``; normalization reports those of the columns it reads.
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    name: str
    delimiter: str | None = None
    decimal_comma: bool = False
    notes: list[str] = field(default_factory=list)
    header: tuple[str, ...] | None = None
    bad_rows: pd.DataFrame | None = None
    tabs: np.ndarray | None = None
    sheet: str | None = None
    first_column: int = 1
    unsaved_formulas: pd.DataFrame | None = None

    @property
    def all_columns(self) -> list[str]:
        """Every column of the source, also those not read (``select`` left them out)."""
        return list(self.header) if self.header is not None else list(self.frame.columns)


def dedupe_header(names: list[str]) -> list[str]:
    """The header's names made unique: an empty one named by its position, a repeated one
    numbered.

    >>> dedupe_header(["Date", "", "Notes", "Notes"])
    ['Date', 'column 2', 'Notes', 'Notes (2)']
    """
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


# ------------------------------------------------------------- rows of cells (Excel, Sheets)


def cell_text(value: Any) -> str | None:
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


def log_score(rows: list[list[Any]]) -> tuple[bool, int, int]:
    """How much a grid of cells looks like a log: whether its header row (as
    :func:`~outreach_analytics.io.sniff.find_header` finds it) names a date column, how many
    known column names it has (0 if it knows none), then its data rows. Of a workbook's
    sheets, the highest score is the log: a list of channels and statuses for drop-downs
    has known names but no date.

    >>> log_score([["Pitches"], ["Date", "Client", "Status"], ["2024-03-01", "Acme", "Sent"]])
    (True, 3, 1)
    >>> log_score([["Channel", "Status"], ["Upwork", "Sent"], ["Email", "Hired"]])
    (False, 2, 2)
    >>> log_score([["Won", 3], ["Replies", 5]])
    (False, 0, 1)
    """
    text = [[cell_text(v) or "" for v in r] for r in rows]
    at, known, dated = locate_header(text[:SCORED_ROWS])
    return dated, known, sum(1 for r in text[at + 1 :] if any(r))


def choose_log(sheets: Sequence[tuple[str, list[list[Any]], bool]]) -> tuple[int, str | None]:
    """Of a workbook's sheets (an Excel workbook's, a Google Sheet's tabs), the one to read
    when none is asked for, and a note that names it.

    The sheet whose header has known column names comes first, then a sheet in view (not
    a hidden backup), then the highest :func:`log_score` (a date column, more known
    names, more data rows); of equals, the first. If no header has a known name, the
    first sheet with cells.

    Parameters
    ----------
    sheets : sequence of (str, list of list, bool)
        Every sheet of cells in the workbook's order: its title, its first rows
        (:data:`SCORED_ROWS` are enough) and whether it is in view.

    Returns
    -------
    index : int
        The position of the sheet to read in ``sheets``.
    note : str or None
        What was read and why, and the other sheets; ``None`` for a single sheet.

    Raises
    ------
    ValueError
        If ``sheets`` is empty (a reader says what its workbook lacks).

    >>> log = [["Date", "Client", "Status"], ["2024-03-01", "Acme", "Sent"]]
    >>> index, note = choose_log([("Dashboard", [["Won", 3]], True), ("Log", log, True)])
    >>> index
    1
    >>> print(note)
    read sheet 'Log' (its header has 3 recognised columns); other sheets: 'Dashboard'. Use --sheet to read another.
    >>> choose_log([("Backup", log, False), ("Log", log, True)])[0]
    1
    """
    if not sheets:
        raise ValueError("no sheet to choose from")
    if len(sheets) == 1:
        return 0, None
    scores = [log_score(rows) for _, rows, _ in sheets]
    # a known header first, then a sheet in view (not a hidden backup), then the score
    best = max(range(len(sheets)), key=lambda i: (scores[i][1] > 0, sheets[i][2], scores[i], -i))
    known = scores[best][1]
    if known:
        why = f"its header has {known} recognised columns"
    else:
        filled = [any(cell_text(v) for r in rows for v in r) for _, rows, _ in sheets]
        best = filled.index(True) if any(filled) else 0
        why = "the first sheet with cells; no sheet has a header of known column names"
    others = ", ".join(f"'{title}'" for i, (title, _, _) in enumerate(sheets) if i != best)
    title = sheets[best][0]
    return best, (
        f"read sheet '{title}' ({why}); other sheets: {others}. Use --sheet to read another."
    )


def table_from_rows(
    rows: list[list[Any]], first_row: int, name: str, notes=None, *, first_column: int = 1
) -> RawTable:
    """Build a :class:`RawTable` from rows of cells.

    ``first_row`` and ``first_column`` are the sheet row and column (A = 1) of
    ``rows[0][0]``. Title rows above the header are skipped, and so are empty columns
    left of the log (no header, no cell).
    """
    text_rows = [[cell_text(v) for v in r] for r in rows]
    header_at = find_header([[c or "" for c in r] for r in text_rows[:SCORED_ROWS]])
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
    left = 0  # empty columns left of the log: no header and no cell below it
    while header[left] is None and all(r[left] is None for r in body):
        left += 1
    header, body = header[left:], [r[left:] for r in body]
    import pandas as pd

    frame = pd.DataFrame(
        body, columns=dedupe_header([(h or "").strip() for h in header]), dtype="str"
    )
    notes = list(notes or [])
    titles = sum(1 for r in text_rows[:header_at] if any(r))
    if titles:
        notes.append(f"skipped {titles} title row(s) above the header")
    start = first_row + header_at + 1
    return RawTable(
        frame,
        np.arange(start, start + len(frame)),
        name,
        notes=notes,
        first_column=first_column + left,
    )
