"""Reading a log from an Excel workbook (``.xlsx``, ``.xlsm``) into a
:class:`~outreach_analytics.io.raw.RawTable`: date cells stay dates, formulas are read as
the values Excel saved with them.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutreachDataError
from .raw import RawTable, table_from_rows

__all__ = ["read_excel"]


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
        elif str(sheet) in names:  # a sheet named "2024" wins over position 2024
            ws = wb[str(sheet)]
        elif isinstance(sheet, int) or str(sheet).isdigit():
            idx = int(sheet)
            if not 0 <= idx < len(names):
                raise OutreachDataError(
                    f"'{path.name}' has no sheet named '{sheet}' nor a sheet number {idx} "
                    f"(0-based); it has {len(names)}: {names}. Fix: pass --sheet with one of "
                    "those names."
                )
            ws = wb[names[idx]]
        else:
            raise OutreachDataError(
                f"'{path.name}' has no sheet named '{sheet}'. Sheets in the workbook: "
                f"{names}. Fix: pass --sheet with one of those names."
            )
        # the stored dimensions can be wrong (other writers) and would cut rows or columns
        # short; without them iter_rows yields every row from row 1, empty ones included
        ws.reset_dimensions()
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return table_from_rows(rows, 1, f"{path.name} [{ws.title}]")
