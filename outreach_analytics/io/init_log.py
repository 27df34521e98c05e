"""Creating a ready log: a CSV file, an Excel workbook or a Google Sheet.

A new log has the canonical header (each name one the loader recognises), and, where
the format allows it, a frozen header row, drop-downs for channel, pitch type and status
(status words the loader reads) and a date column formatted as dates.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import OutreachDataError

__all__ = ["LOG_HEADER", "CHANNELS", "PITCH_TYPES", "LOG_STATUSES", "init_log", "init_sheet"]

#: The header of a new log; every name is one the loader recognises.
LOG_HEADER = ("Date", "Channel", "Pitch type", "Client", "Status", "Follow-ups", "Value", "Notes")
#: Drop-down choices. Channel and pitch type accept other values too; status does not.
CHANNELS = ("Upwork", "LinkedIn", "Email", "Referral", "Job board", "Company site", "Other")
PITCH_TYPES = (
    "Proposal",
    "Cold pitch",
    "Application",
    "Follow-up",
    "Referral ask",
    "Rate increase",
)
LOG_STATUSES = ("Sent", "Replied", "Interview", "Offer", "Won", "Rejected", "Ghosted", "Withdrawn")
DATE_PATTERN = "yyyy-mm-dd"

_DROPDOWNS = (
    ("Channel", CHANNELS, False),
    ("Pitch type", PITCH_TYPES, False),
    ("Status", LOG_STATUSES, True),
)


def _check_new(path: Path) -> None:
    if path.exists():
        raise OutreachDataError(
            f"'{path}' already exists, and a new log never overwrites a file. Fix: choose "
            "another name, or log to that file with `outreach-analytics log`."
        )
    if not path.parent.is_dir():
        raise OutreachDataError(
            f"The folder '{path.parent}' does not exist. Fix: create it first, or choose "
            "another path."
        )


def init_log(path: str | os.PathLike) -> Path:
    """Create a new, empty log file: ``.csv`` (the header) or ``.xlsx`` (ready to fill).

    The CSV file is UTF-8 with a byte-order mark (so Excel reads accents right) and CRLF
    line ends. The workbook has a frozen, bold header row, drop-downs for channel, pitch
    type and status, and its date column formatted as dates.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = init_log(pathlib.Path(tempfile.mkdtemp()) / "pitches.csv")
    >>> p.read_bytes()
    b'\\xef\\xbb\\xbfDate,Channel,Pitch type,Client,Status,Follow-ups,Value,Notes\\r\\n'
    """
    path = Path(path)
    _check_new(path)
    suffix = path.suffix.casefold()
    try:
        if suffix in (".csv", ".txt"):
            path.write_bytes(("\ufeff" + ",".join(LOG_HEADER) + "\r\n").encode("utf-8"))
        elif suffix == ".tsv":
            path.write_bytes(("\ufeff" + "\t".join(LOG_HEADER) + "\r\n").encode("utf-8"))
        elif suffix == ".xlsx":
            _new_workbook().save(path)
        else:
            raise OutreachDataError(
                f"'{path.name}' is neither .csv nor .xlsx. Fix: name the new log e.g. "
                "pitches.csv or pitches.xlsx."
            )
    except OSError as err:
        raise OutreachDataError(
            f"Could not create '{path}' ({err.strerror or err}). Fix: choose a folder you "
            "can write to."
        ) from None
    return path


def _new_workbook() -> Any:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(list(LOG_HEADER))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    last = 1_048_576
    for name, choices, strict in _DROPDOWNS:
        letter = get_column_letter(LOG_HEADER.index(name) + 1)
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=strict,
            errorTitle=f"Unknown {name.lower()}" if strict else None,
            error=f"Choose one of: {', '.join(choices)}" if strict else None,
        )
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    date_letter = get_column_letter(LOG_HEADER.index("Date") + 1)
    ws.column_dimensions[date_letter].number_format = DATE_PATTERN
    ws.column_dimensions[date_letter].width = 12
    for name in ("Client", "Notes"):
        ws.column_dimensions[get_column_letter(LOG_HEADER.index(name) + 1)].width = 28
    return wb


def _sheet_requests(sheet_id: int) -> list[dict[str, Any]]:
    """The ``spreadsheets:batchUpdate`` requests that make a worksheet a ready log."""

    def column(name: str) -> dict[str, int]:
        i = LOG_HEADER.index(name)
        return {
            "sheetId": sheet_id,
            "startRowIndex": 1,
            "startColumnIndex": i,
            "endColumnIndex": i + 1,
        }

    requests: list[dict[str, Any]] = [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {
            "repeatCell": {
                "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
        {
            "repeatCell": {
                "range": column("Date"),
                "cell": {
                    "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": DATE_PATTERN}}
                },
                "fields": "userEnteredFormat.numberFormat",
            }
        },
    ]
    for name, choices, strict in _DROPDOWNS:
        requests.append(
            {
                "setDataValidation": {
                    "range": column(name),
                    "rule": {
                        "condition": {
                            "type": "ONE_OF_LIST",
                            "values": [{"userEnteredValue": c} for c in choices],
                        },
                        "strict": strict,
                        "showCustomUi": True,
                    },
                }
            }
        )
    return requests


def init_sheet(
    title: str | None = None,
    *,
    source: str | None = None,
    gspread_client: Any = None,
    credentials: str | os.PathLike | None = None,
) -> str:
    """Create a ready log in Google Sheets and return its URL.

    With ``title``, a new spreadsheet is created (in the Drive of the account signed in;
    a service account's own Drive is not visible to you, so with a service account create
    an empty sheet yourself, share it as Editor, and pass it as ``source``). With
    ``source`` (a URL or ``gsheet:KEY``), its first worksheet (or the ``#gid=`` one) is
    made a log; it must be empty.

    The worksheet gets the canonical header (written with ``valueInputOption=RAW``), a
    frozen bold header row, drop-downs for channel, pitch type and status, and its date
    column formatted ``yyyy-mm-dd``.
    """
    import re

    import gspread
    import requests
    from gspread.urls import SPREADSHEETS_API_V4_BASE_URL

    from .write_targets import WRITE_SCOPES, sign_in, write_api_error

    if (title is None) == (source is None):
        raise OutreachDataError(
            "init-sheet needs either --title (a new spreadsheet) or a sheet URL (an empty "
            "sheet you made and shared), not both. Fix: pass one of them."
        )
    signin = None if gspread_client else sign_in(WRITE_SCOPES, credentials)
    client = gspread_client or signin.client
    http = client.http_client
    key = "(new)"
    try:
        if title is not None:
            answer = http.request(
                "post",
                SPREADSHEETS_API_V4_BASE_URL,
                json={"properties": {"title": title}, "sheets": [{"properties": {"title": "Log"}}]},
            ).json()
            key = answer["spreadsheetId"]
            props = answer["sheets"][0]["properties"]
        else:
            m = re.match(r"^https://docs\.google\.com/spreadsheets/d/([\w-]+)", source)
            key = m.group(1) if m else source.removeprefix("gsheet:")
            g = re.search(r"[#&?]gid=(\d+)", source)
            book = client.open_by_key(key)
            ws = book.get_worksheet_by_id(int(g.group(1))) if g else book.sheet1
            if any(any(str(c).strip() for c in r) for r in ws.get_all_values()):
                raise OutreachDataError(
                    f"The worksheet '{ws.title}' of '{book.title}' is not empty, and init-sheet "
                    "never overwrites cells. Fix: add an empty worksheet and pass its URL "
                    "(with its #gid=), or log to this one with `outreach-analytics log`."
                )
            props = {"sheetId": ws.id, "title": ws.title}
        quoted = "'" + props["title"].replace("'", "''") + "'"
        http.values_update(
            key,
            f"{quoted}!A1",
            params={"valueInputOption": "RAW"},
            body={"values": [list(LOG_HEADER)]},
        )
        http.batch_update(key, {"requests": _sheet_requests(props["sheetId"])})
    except (gspread.exceptions.GSpreadException, PermissionError) as err:
        raise write_api_error(err, key, signin) from None
    except requests.RequestException as err:
        raise OutreachDataError(
            f"Could not reach Google Sheets ({type(err).__name__}). Fix: check the network "
            "connection and run again."
        ) from None
    return f"https://docs.google.com/spreadsheets/d/{key}/edit#gid={props['sheetId']}"
