"""Reading a log from a CSV file (:mod:`.delimited`), an Excel workbook (:mod:`.excel`) or
a Google Sheet (:mod:`.gsheets`).

Every reader returns a :class:`~outreach_analytics.io.raw.RawTable`: all cells as text
(missing = ``NA``) under the header exactly as the user wrote it, and the sheet row number
of every data row, so that any later message can point back to the row the user sees.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OutreachDataError
from .delimited import Parsed, read_csv
from .excel import read_excel
from .raw import RawTable

__all__ = ["read_source", "read_csv", "read_excel"]


def read_source(
    source: str | os.PathLike | pd.DataFrame,
    *,
    sheet: str | int | None = None,
    client: Any = None,
    select: Callable[[list[str]], list[str]] | None = None,
    parsed: Parsed | None = None,
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
        An authorised gspread client for Google Sheets (default: sign in as
        :func:`outreach_analytics.io.gsheets.authorize` does). ``sheet="*"`` reads every tab.
    select : callable, optional
        Given the header, returns the columns worth reading; a large CSV then reads
        only those. Other sources read every column.
    parsed : Parsed, optional
        The file's :func:`~outreach_analytics.io.delimited.parse_delimited` (with the same
        ``select``), made earlier: it is not parsed again.

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
    from .gsheets import parse_sheet_source

    ref = parse_sheet_source(str(source))
    if ref is not None:
        from .gsheets import read_gsheet

        return read_gsheet(ref.key, sheet=sheet, gid=ref.gid, client=client)
    path = Path(source)
    if not path.exists():
        raise OutreachDataError(
            f"No file at '{path}'. Check the path (it is read relative to "
            f"'{Path.cwd()}'), or pass a Google Sheets URL."
        )
    if path.is_dir():
        raise OutreachDataError(
            f"'{path}' is a folder, not a log file. Pass the CSV or Excel file."
        )
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm"):
        return read_excel(path, sheet=sheet)
    if suffix == ".xls":
        raise OutreachDataError(
            f"'{path.name}' is an old-style .xls workbook, which is not supported. "
            "Fix: open it and save it as .xlsx or export it as CSV."
        )
    return read_csv(path, select=select, parsed=parsed)
