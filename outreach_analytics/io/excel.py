"""Reading a log from an Excel workbook (``.xlsx``, ``.xlsm``) into a
:class:`~outreach_analytics.io.raw.RawTable`: date cells stay dates, formulas are read as
the values Excel saved with them.

A workbook often holds more than the log: a dashboard, pivots, a list of channels. When no
sheet is asked for, the sheet whose grid looks most like a log is read
(:func:`~outreach_analytics.io.raw.log_score`: a date column, the known column names in
its header row, then its data rows; a hidden sheet only if no sheet in view has a known
header), and a note names it. A log kept as an Excel table (Insert > Table) is
read within the table's range: not its totals row, nor what is written below it.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutreachDataError
from .raw import SCORED_ROWS, RawTable, cell_text, choose_log, log_score, table_from_rows
from .sniff import find_header

if TYPE_CHECKING:
    from openpyxl.worksheet.table import Table

__all__ = ["read_excel", "log_table"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_excel(path: str | os.PathLike, *, sheet: str | int | None = None) -> RawTable:
    """Read the log of an ``.xlsx`` workbook; date cells stay dates.

    Parameters
    ----------
    path : str or path
        The workbook.
    sheet : str or int, optional
        Worksheet name or 0-based position. By default the sheet that looks most like a
        log: a date column in its header row, the most known column names, then the most
        data rows (the first of equals; sheets in view before hidden ones); the first
        sheet with cells if no header has known names. A note says which sheet was read.

    Notes
    -----
    Formulas are read as the values saved with them. A formula saved without one (a
    workbook written by a program that does not compute formulas) is an empty cell listed
    in ``unsaved_formulas``: normalization reports it, with its row and column, if its
    column is read.
    """
    from openpyxl.reader.excel import ExcelReader

    path = Path(path)
    try:
        reader = ExcelReader(path, read_only=True, data_only=True)
        try:
            reader.read()
        except BaseException:
            reader.archive.close()
            raise
    except Exception as err:  # openpyxl raises many kinds for a file that is not xlsx
        raise OutreachDataError(
            f"'{path.name}' could not be opened as an Excel workbook ({err}). Fix: save it "
            "again as .xlsx, or export the sheet as CSV."
        ) from None
    wb = reader.wb
    try:
        sheets = wb.worksheets  # chart sheets hold no cells
        if sheet is None:
            ws, note = _choose_sheet(sheets, path.name)
        else:
            ws, note = _named_sheet(wb, sheet, path.name), None
        # the stored dimensions can be wrong (other writers) and would cut rows or columns
        # short; without them iter_rows yields every row from row 1, empty ones included
        ws.reset_dimensions()
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        parts = [rel.target for s, rel in reader.parser.find_sheets() if s.name == ws.title]
        tables = _tables(reader.archive, parts[0]) if parts else []
        unsaved = _formulas_without_values(reader.archive, parts[0]) if parts else []
    finally:
        wb.close()
    name = f"{path.name} [{ws.title}]"
    try:
        raw = _read_log(rows, tables, name)
    except OutreachDataError as err:
        if sheet is None and len(sheets) > 1:
            raise OutreachDataError(
                f"{err.message} Sheets in the workbook: {[s.title for s in sheets]}; pass "
                "--sheet to read another."
            ) from None
        raise
    raw = replace(raw, sheet=ws.title, notes=[note, *raw.notes] if note else raw.notes)
    return _with_unsaved_formulas(raw, unsaved)


def _named_sheet(wb: Any, sheet: str | int, book: str) -> Any:
    """The worksheet asked for: by name, else by 0-based position."""
    names = wb.sheetnames
    if str(sheet) in names:  # a sheet named "2024" wins over position 2024
        ws = wb[str(sheet)]
    elif isinstance(sheet, int) or str(sheet).isdigit():
        idx = int(sheet)
        if not 0 <= idx < len(names):
            raise OutreachDataError(
                f"'{book}' has no sheet named '{sheet}' nor a sheet number {idx} "
                f"(0-based); it has {len(names)}: {names}. Fix: pass --sheet with one of "
                "those names."
            )
        ws = wb[names[idx]]
    else:
        raise OutreachDataError(
            f"'{book}' has no sheet named '{sheet}'. Sheets in the workbook: "
            f"{names}. Fix: pass --sheet with one of those names."
        )
    if ws not in wb.worksheets:
        raise OutreachDataError(
            f"'{ws.title}' of '{book}' is a chart sheet, which holds no cells. Fix: pass "
            f"--sheet with one of the sheets of cells: {[s.title for s in wb.worksheets]}."
        )
    return ws


def _choose_sheet(sheets: list[Any], book: str) -> tuple[Any, str | None]:
    """The sheet that looks most like a log (:func:`~outreach_analytics.io.raw.choose_log`)."""
    if not sheets:
        raise OutreachDataError(f"'{book}' has no sheet of cells (only charts).")
    if len(sheets) == 1:
        return sheets[0], None
    heads = []
    for ws in sheets:  # a dashboard or a pivot can be large: only its first rows
        ws.reset_dimensions()
        rows = [list(r) for r in ws.iter_rows(max_row=SCORED_ROWS, values_only=True)]
        heads.append((ws.title, rows, ws.sheet_state == "visible"))
    best, note = choose_log(heads)
    return sheets[best], note


# ------------------------------------------------------------- Excel tables (ListObjects)


def _tables(archive: Any, part: str) -> list[Table]:
    """The Excel tables of a worksheet (a read-only worksheet does not load them)."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.worksheet.table import Table
    from openpyxl.xml.functions import fromstring

    rels_path = get_rels_path(part)
    if rels_path not in archive.namelist():
        return []
    rels = get_dependents(archive, rels_path)
    return [
        Table.from_tree(fromstring(archive.read(r.target)))
        for r in rels
        if r.Type.endswith("/table")
    ]


def log_table(rows: list[list[Any]], tables: list[Table]) -> Table | None:
    """The Excel table holding the log, of a sheet's ``tables``; ``None`` if none does.

    The table whose cells score best (:func:`~outreach_analytics.io.raw.log_score`) if its
    header has known column names, else the table whose first row is the sheet's header
    row (a log with column names of its own).
    """
    from openpyxl.utils.cell import range_boundaries

    text = [[cell_text(v) or "" for v in r] for r in rows[:SCORED_ROWS]]
    header_row = find_header(text) + 1
    best, best_score = None, (False, 0, 0)
    for t in tables:
        if t.headerRowCount == 0:  # a table without a header row is not a log
            continue
        left, top, right, bottom = range_boundaries(t.ref)
        end = bottom - (t.totalsRowCount or 0)
        score = log_score([r[left - 1 : right] for r in rows[top - 1 : end]])
        if score[1] and score > best_score:
            best, best_score = t, score
        elif not best_score[1] and best is None and top == header_row:
            best = t
    return best


def _read_log(rows: list[list[Any]], tables: list[Table], name: str) -> RawTable:
    """The log of a sheet's cells: within its Excel table if it is one, else the whole grid."""
    from openpyxl.utils.cell import range_boundaries

    table = log_table(rows, tables)
    if table is None:
        return table_from_rows(rows, 1, name)
    left, top, right, bottom = range_boundaries(table.ref)
    totals = table.totalsRowCount or 0
    grid = [r[left - 1 : right] for r in rows[top - 1 : bottom - totals]]
    note = f"read the Excel table '{table.displayName}' ({table.ref})"
    if totals:
        note += f"; its totals row (row {bottom}) is not a log row"
    below = [  # sheet rows under the table with cells in its columns
        n
        for n, r in enumerate(rows[bottom:], bottom + 1)
        if any(map(cell_text, r[left - 1 : right]))
    ]
    if below:
        shown = ", ".join(map(str, below[:5])) + (", ..." if len(below) > 5 else "")
        note += (
            f"; {len(below)} row{'s' if len(below) > 1 else ''} below it with cells in its "
            f"columns {'were' if len(below) > 1 else 'was'} not read (row {shown}): if they are "
            "log rows, extend the table over them (Table Design > Resize Table)"
        )
    return table_from_rows(grid, top, name, [note], first_column=left)


# ------------------------------------------------------------------ formulas


def _formulas_without_values(archive: Any, part: str) -> list[tuple[int, int, str]]:
    """The cells of a worksheet holding a formula but no value saved with it: (row, column,
    formula). Excel and LibreOffice save a formula's value; openpyxl, for one, does not.
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple

    data = archive.read(part)
    if b"<f" not in data and b":f>" not in data:  # no formula at all: nothing to parse
        return []
    out = []
    for _, el in iterparse(io.BytesIO(data)):
        if el.tag == _MAIN + "row":
            el.clear()
        if el.tag != _MAIN + "c":
            continue
        formula = el.find(_MAIN + "f")
        # an empty value is a saved empty text only in a cell typed as text ("str")
        saved = el.findtext(_MAIN + "v") or el.get("t") in ("str", "inlineStr")
        if formula is not None and not saved and el.get("r"):
            row, col = coordinate_to_tuple(el.get("r"))
            out.append((row, col, f"={formula.text}" if formula.text else "(a shared formula)"))
    return out


def _with_unsaved_formulas(raw: RawTable, cells: list[tuple[int, int, str]]) -> RawTable:
    """``raw`` knowing which of its cells hold a formula saved without its value."""
    width = raw.frame.shape[1]
    at = {int(r) for r in raw.source_rows}
    found = [
        (row, raw.frame.columns[col - raw.first_column], text)
        for row, col, text in cells
        if row in at and 0 <= col - raw.first_column < width
    ]
    if not found:
        return raw
    import pandas as pd

    unsaved = pd.DataFrame(found, columns=["row", "column", "value"])
    return replace(
        raw, unsaved_formulas=unsaved.astype({"row": "int64", "column": "str", "value": "str"})
    )
