"""A log as read from its source, before any interpretation: :class:`RawTable`, and how
one is built from rows of spreadsheet cells (an Excel worksheet, a Google Sheet's tab).

Every reader (:mod:`.sources`, :mod:`.gsheets`) returns a :class:`RawTable`: all cells as
text (missing = ``NA``) under the header exactly as the user wrote it, and the sheet row
number of every data row, so that any later message can point back to the row the user
sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import OutreachDataError
from .sniff import find_header

if TYPE_CHECKING:  # pandas is imported where a frame is made: a CSV is parsed without it
    import pandas as pd

__all__ = ["RawTable", "cell_text", "dedupe_header", "table_from_rows"]


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


def table_from_rows(rows: list[list[Any]], first_row: int, name: str, notes=None) -> RawTable:
    """Build a :class:`RawTable` from rows of cells; ``first_row`` is the sheet row of rows[0]."""
    text_rows = [[cell_text(v) for v in r] for r in rows]
    header_at = find_header([[c or "" for c in r] for r in text_rows[:50]])
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
    import pandas as pd

    frame = pd.DataFrame(
        body, columns=dedupe_header([(h or "").strip() for h in header]), dtype="str"
    )
    notes = list(notes or [])
    titles = sum(1 for r in text_rows[:header_at] if any(r))
    if titles:
        notes.append(f"skipped {titles} title row(s) above the header")
    start = first_row + header_at + 1
    return RawTable(frame, np.arange(start, start + len(frame)), name, notes=notes)
