"""A local stand-in for the Google Sheets API v4, for testing the real gspread client.

The server answers the read calls gspread 6 makes (read from its source:
``gspread/http_client.py``, ``spreadsheet.py``, ``worksheet.py``):

* ``GET /v4/spreadsheets/{key}`` (``includeGridData=false``): the metadata, with
  ``properties.title`` and ``sheets[].properties`` (``sheetId``, ``title``, ``index``,
  ``sheetType``, ``gridProperties.rowCount/columnCount``). ``Client.open_by_key``,
  ``Spreadsheet.sheet1``, ``.worksheet(title)``, ``.get_worksheet(i)``,
  ``.get_worksheet_by_id(gid)`` and ``.worksheets()`` all read this.
* ``GET /v4/spreadsheets/{key}/values/{range}`` with the optional ``majorDimension``,
  ``valueRenderOption`` and ``dateTimeRenderOption``: ``Worksheet.get_all_values()``.
* ``GET /v4/spreadsheets/{key}/values:batchGet?ranges=...``: ``Worksheet.batch_get``.

As the real API does, values come back as the text the sheet shows (``FORMATTED_VALUE``)
unless asked otherwise, trailing empty cells and rows are left out, an unknown key is a
404 ``NOT_FOUND`` error body, a key not shared with the caller a 403
``PERMISSION_DENIED``, and a range naming no worksheet a 400 ``INVALID_ARGUMENT``.

Only ``127.0.0.1`` is bound, on a port the system picks. Every request is recorded in
:attr:`FakeSheetsAPI.requests`. :meth:`FakeSheetsAPI.client` builds a real
``gspread.Client``: gspread's own ``HTTPClient`` with google-auth's ``AuthorizedSession``
and anonymous credentials, whose transport adapter sends what gspread addresses to
``https://sheets.googleapis.com`` (or ``www.googleapis.com``) to this server instead, and
refuses every other host, so a test can never reach the network.

>>> with FakeSheetsAPI() as api:
...     api.add_spreadsheet("KEY1", "Pitches", {"Log": [["Date", "Status"], ["2024-03-05", "Ghosted"]]})
...     book = api.client().open_by_key("KEY1")
...     book.sheet1.get_all_values()
[['Date', 'Status'], ['2024-03-05', 'Ghosted']]
>>> [r.path for r in api.requests]
['/v4/spreadsheets/KEY1', '/v4/spreadsheets/KEY1', "/v4/spreadsheets/KEY1/values/'Log'"]
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

__all__ = ["FakeSheetsAPI", "RecordedRequest", "GOOGLE_API_HOSTS"]

#: Hosts gspread talks to; requests to them are answered by the fake.
GOOGLE_API_HOSTS = frozenset({"sheets.googleapis.com", "www.googleapis.com"})
_EPOCH = dt.date(1899, 12, 30)  # day 0 of Sheets' serial dates
_ORIGINAL_URL_HEADER = "X-Fake-Original-Url"


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, as gspread addressed it."""

    method: str
    url: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class _Sheet:
    sheet_id: int
    title: str
    rows: list[list[Any]]
    hidden: bool = False


@dataclass
class _Book:
    title: str
    sheets: list[_Sheet] = field(default_factory=list)
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"


def _column_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _parse_range(text: str) -> tuple[str, str | None]:
    """Split an A1 range into the worksheet title and the cell part (``None`` if whole)."""
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                break
            title.append(text[i])
            i += 1
        rest = text[i + 1 :]
        return "".join(title), (rest[1:] if rest.startswith("!") else None) or None
    title, _, cells = text.partition("!")
    return title, cells or None


def _render(value: Any, value_option: str, date_option: str) -> Any:
    """A cell as the API sends it for the given render options."""
    if value is None or value == "":
        return ""
    formatted = value_option == "FORMATTED_VALUE"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if formatted else value
    if isinstance(value, dt.date):
        as_date = value.date() if isinstance(value, dt.datetime) else value
        text = f"{as_date.month}/{as_date.day}/{as_date.year}"  # the en_US date format
        if formatted or date_option == "FORMATTED_STRING":
            return text
        return (as_date - _EPOCH).days
    if isinstance(value, int | float):
        if formatted:
            return str(int(value)) if float(value).is_integer() else repr(float(value))
        return value
    return str(value)


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells of each row and trailing empty rows, as the API does."""
    out = []
    for r in rows:
        r = list(r)
        while r and r[-1] == "":
            r.pop()
        out.append(r)
    while out and not out[-1]:
        out.pop()
    return out


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5  # a connection left idle never keeps a handler thread alive for long

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, reason: str, message: str) -> None:
        self._send(status, {"error": {"code": status, "message": message, "status": reason}})

    def do_GET(self) -> None:
        api = self.server.api
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        api._record(
            RecordedRequest(
                "GET",
                self.headers.get(_ORIGINAL_URL_HEADER, self.path),
                path,
                query,
                {k: v for k, v in self.headers.items() if k != _ORIGINAL_URL_HEADER},
            )
        )
        prefix = "/v4/spreadsheets/"
        if not path.startswith(prefix):
            self._error(404, "NOT_FOUND", f"The fake Sheets API does not serve {path}.")
            return
        rest = path[len(prefix) :]
        key, sep, tail = rest.partition("/")
        with api._lock:
            book = api._books.get(key)
            forbidden = key in api._forbidden
        if forbidden:
            self._error(403, "PERMISSION_DENIED", "The caller does not have permission")
            return
        if book is None:
            self._error(404, "NOT_FOUND", "Requested entity was not found.")
            return
        opts = {
            "majorDimension": query.get("majorDimension", ["ROWS"])[0],
            "valueRenderOption": query.get("valueRenderOption", ["FORMATTED_VALUE"])[0],
            "dateTimeRenderOption": query.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0],
        }
        if not sep:
            self._send(200, _metadata(key, book))
        elif tail.startswith("values/"):
            answer = _value_range(book, tail[len("values/") :], **opts)
            if isinstance(answer, str):
                self._error(400, "INVALID_ARGUMENT", answer)
            else:
                self._send(200, answer)
        elif tail == "values:batchGet":
            ranges = []
            for r in query.get("ranges", []):
                answer = _value_range(book, r, **opts)
                if isinstance(answer, str):
                    self._error(400, "INVALID_ARGUMENT", answer)
                    return
                ranges.append(answer)
            self._send(200, {"spreadsheetId": key, "valueRanges": ranges})
        else:
            self._error(404, "NOT_FOUND", f"The fake Sheets API does not serve {path}.")

    def do_POST(self) -> None:
        self.server.api._record(
            RecordedRequest(
                "POST",
                self.headers.get(_ORIGINAL_URL_HEADER, self.path),
                unquote(urlsplit(self.path).path),
                {},
                dict(self.headers),
            )
        )
        self._error(405, "FAILED_PRECONDITION", "The fake Sheets API is read-only.")

    do_PUT = do_DELETE = do_PATCH = do_POST

    # --- write endpoints ---
    # What gspread 6 sends to write (gspread/http_client.py, worksheet.py, client.py):
    # POST .../values/{range}:append, PUT .../values/{range}, POST .../values:batchUpdate,
    # POST /v4/spreadsheets/{key}:batchUpdate, POST /v4/spreadsheets (create) and Drive's
    # POST /drive/v3/files (gspread's Client.create). Cells are stored as sent: with
    # valueInputOption=RAW a string stays that exact string; with USER_ENTERED a string
    # starting with "=" becomes a formula that reads back as what Sheets would show
    # (_Formula), so a test can tell a formula-safe write from an unsafe one. Each write is
    # recorded as a RecordedWrite (a RecordedRequest with the JSON body).

    def do_POST(self) -> None:  # noqa: F811 - the write endpoints replace the read-only stub
        self._write("POST")

    def do_PUT(self) -> None:  # noqa: F811
        self._write("PUT")

    def _write(self, method: str) -> None:
        api = self.server.api
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        try:
            body = json.loads(data) if data else {}
        except ValueError:
            body = None
        api._record(
            RecordedWrite(
                method,
                self.headers.get(_ORIGINAL_URL_HEADER, self.path),
                path,
                query,
                {k: v for k, v in self.headers.items() if k != _ORIGINAL_URL_HEADER},
                body,
            )
        )
        if not isinstance(body, dict):
            self._error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
            return
        if method == "POST" and path in ("/v4/spreadsheets", "/drive/v3/files"):
            title = body.get("properties", {}).get("title") or body.get("name") or "Untitled"
            tabs = [s["properties"].get("title", "Sheet1") for s in body.get("sheets", [])]
            with api._lock:
                key = f"NEW{len(api._books) + 1:04d}"
            api.add_spreadsheet(key, title, {t: [] for t in tabs or ["Sheet1"]})
            with api._lock:
                book = api._books[key]
            if path == "/drive/v3/files":
                self._send(200, {"id": key, "name": title, "mimeType": body.get("mimeType")})
            else:
                self._send(200, _metadata(key, book))
            return
        prefix = "/v4/spreadsheets/"
        if not path.startswith(prefix):
            self._error(404, "NOT_FOUND", f"The fake Sheets API does not serve {path}.")
            return
        rest = path[len(prefix) :]
        key, sep, tail = rest.partition("/")
        sheet_op = key.endswith(":batchUpdate") and not sep
        key = key.removesuffix(":batchUpdate") if sheet_op else key
        with api._lock:
            book = api._books.get(key)
            forbidden = key in api._forbidden
        if forbidden:
            self._error(403, "PERMISSION_DENIED", "The caller does not have permission")
            return
        if book is None:
            self._error(404, "NOT_FOUND", "Requested entity was not found.")
            return
        with api._lock:
            if sheet_op and method == "POST":
                answer = _apply_sheet_requests(api, key, book, body.get("requests", []))
            elif tail == "values:batchUpdate" and method == "POST":
                option = body.get("valueInputOption")
                answer = _check_input_option(option) or [
                    _write_range(book, d["range"], d.get("values", []), option)
                    for d in body.get("data", [])
                ]
                if isinstance(answer, list):
                    answer = {"spreadsheetId": key, "responses": answer}
            elif tail.startswith("values/") and tail.endswith(":append") and method == "POST":
                option = query.get("valueInputOption", [None])[0]
                a1 = tail[len("values/") : -len(":append")]
                answer = _check_input_option(option) or _append(book, key, a1, body, option)
            elif tail.startswith("values/") and method == "PUT":
                option = query.get("valueInputOption", [None])[0]
                a1 = tail[len("values/") :]
                answer = _check_input_option(option) or _write_range(
                    book, a1, body.get("values", []), option
                )
            else:
                answer = f"The fake Sheets API does not serve {method} {path}."
        if isinstance(answer, str):
            self._error(400, "INVALID_ARGUMENT", answer)
        else:
            self._send(200, answer)


# --- write endpoints (helpers) ---


@dataclass(frozen=True)
class RecordedWrite(RecordedRequest):
    """A write request the fake received, with its JSON body."""

    body: Any = None


class _Formula(str):
    """A formula entered with USER_ENTERED: reads back as the value Sheets shows."""

    def __str__(self) -> str:
        import re

        m = re.fullmatch(r'=HYPERLINK\(\s*"[^"]*"\s*[,;]\s*"([^"]*)"\s*\)', str.__str__(self))
        return m.group(1) if m else "#NAME?"


def _check_input_option(option: str | None) -> str | None:
    if option not in ("RAW", "USER_ENTERED"):
        return f"Invalid valueInputOption: {option!r} ('RAW' or 'USER_ENTERED' is required)."
    return None


def _input_cell(value: Any, option: str) -> Any:
    """A cell as Sheets stores it for the input option."""
    if value is None:
        return ""
    if option == "USER_ENTERED" and isinstance(value, str):
        if value.startswith("="):
            return _Formula(value)
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value


def _a1_cell(text: str) -> tuple[int, int]:
    """1-based (row, column) of an A1 cell ("E3" -> (3, 5)); row or column missing = 1."""
    import re

    m = re.fullmatch(r"\$?([A-Za-z]*)\$?(\d*)", text)
    if m is None:
        raise ValueError(text)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2) or 1), col or 1


def _locate(book: _Book, a1: str) -> tuple[_Sheet, int, int] | str:
    title, cells = _parse_range(a1)
    sheet = next((s for s in book.sheets if s.title == title), None)
    if sheet is None:
        return f"Unable to parse range: {a1}"
    try:
        row, col = _a1_cell((cells or "A1").split(":")[0])
    except ValueError:
        return f"Unable to parse range: {a1}"
    return sheet, row, col


def _put(sheet: _Sheet, row: int, col: int, values: list[list[Any]], option: str) -> None:
    for i, r in enumerate(values):
        while len(sheet.rows) < row + i:
            sheet.rows.append([])
        target = sheet.rows[row + i - 1]
        for j, v in enumerate(r):
            while len(target) < col + j:
                target.append("")
            target[col + j - 1] = _input_cell(v, option)


def _updated(sheet: _Sheet, row: int, col: int, values: list[list[Any]]) -> dict[str, Any]:
    width = max((len(r) for r in values), default=0)
    quoted = "'" + sheet.title.replace("'", "''") + "'"
    end = f"{_column_letter(col + max(width, 1) - 1)}{row + max(len(values), 1) - 1}"
    return {
        "updatedRange": f"{quoted}!{_column_letter(col)}{row}:{end}",
        "updatedRows": len(values),
        "updatedColumns": width,
        "updatedCells": sum(len(r) for r in values),
    }


def _write_range(book: _Book, a1: str, values: list[list[Any]], option: str) -> Any:
    where = _locate(book, a1)
    if isinstance(where, str):
        return where
    sheet, row, col = where
    _put(sheet, row, col, values, option)
    return _updated(sheet, row, col, values)


def _append(book: _Book, key: str, a1: str, body: dict[str, Any], option: str) -> Any:
    """values:append: after the last row holding anything at or below the range's top."""
    where = _locate(book, a1)
    if isinstance(where, str):
        return where
    sheet, top, col = where
    values = body.get("values", [])
    last = max(
        (i + 1 for i, r in enumerate(sheet.rows) if any(v not in ("", None) for v in r)),
        default=0,
    )
    row = max(last + 1, top)
    _put(sheet, row, col, values, option)
    quoted = "'" + sheet.title.replace("'", "''") + "'"
    return {
        "spreadsheetId": key,
        "tableRange": f"{quoted}!{_column_letter(col)}{top}:{_column_letter(col)}{max(last, top)}",
        "updates": {"spreadsheetId": key, **_updated(sheet, row, col, values)},
    }


def _apply_sheet_requests(
    api: FakeSheetsAPI, key: str, book: _Book, requests_: list[dict[str, Any]]
) -> Any:
    """spreadsheets:batchUpdate: frozen rows, titles, validation and formats are kept in
    :attr:`FakeSheetsAPI.sheet_formats`; any other request kind is a 400."""
    known = {"updateSheetProperties", "setDataValidation", "repeatCell"}
    for r in requests_:
        kinds = set(r) - known
        if kinds:
            return f"The fake Sheets API does not apply {sorted(kinds)}."
    formats = api.__dict__.setdefault("sheet_formats", {})
    for r in requests_:
        ((kind, spec),) = r.items()
        if kind == "updateSheetProperties":
            props = spec["properties"]
            sheet_id = props.get("sheetId", 0)
        else:
            sheet_id = spec["range"].get("sheetId", 0)
        sheet = next((s for s in book.sheets if s.sheet_id == sheet_id), None)
        if sheet is None:
            return f"No grid with id: {sheet_id}"
        if kind == "updateSheetProperties" and "title" in props:
            sheet.title = props["title"]
        formats.setdefault((key, sheet_id), []).append(r)
    return {"spreadsheetId": key, "replies": [{} for _ in requests_]}


def _metadata(key: str, book: _Book) -> dict[str, Any]:
    sheets = []
    for i, s in enumerate(book.sheets):
        width = max((len(r) for r in s.rows), default=0)
        props = {
            "sheetId": s.sheet_id,
            "title": s.title,
            "index": i,
            "sheetType": "GRID",
            "gridProperties": {
                "rowCount": max(1000, len(s.rows)),
                "columnCount": max(26, width),
            },
        }
        if s.hidden:
            props["hidden"] = True
        sheets.append({"properties": props})
    return {
        "spreadsheetId": key,
        "properties": {
            "title": book.title,
            "locale": book.locale,
            "autoRecalc": "ON_CHANGE",
            "timeZone": book.time_zone,
        },
        "sheets": sheets,
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{key}/edit",
    }


def _value_range(
    book: _Book,
    a1: str,
    *,
    majorDimension: str,  # the API's parameter names
    valueRenderOption: str,
    dateTimeRenderOption: str,
) -> dict[str, Any] | str:
    """The ValueRange for a whole-worksheet range, or the 400 message."""
    title, cells = _parse_range(a1)
    sheet = next((s for s in book.sheets if s.title == title), None)
    if sheet is None:
        return f"Unable to parse range: {a1}"
    if cells is not None:
        return f"The fake Sheets API reads whole worksheets only, not the range {a1}"
    width = max((len(r) for r in sheet.rows), default=0)
    grid = [
        [_render(v, valueRenderOption, dateTimeRenderOption) for v in r] + [""] * (width - len(r))
        for r in sheet.rows
    ]
    if majorDimension == "COLUMNS":
        grid = [list(col) for col in zip(*grid, strict=True)] if grid else []
    n_rows, n_cols = max(1000, len(sheet.rows)), max(26, width)
    quoted = "'" + title.replace("'", "''") + "'"
    body: dict[str, Any] = {
        "range": f"{quoted}!A1:{_column_letter(n_cols)}{n_rows}",
        "majorDimension": majorDimension,
    }
    values = _trim(grid)
    if values:
        body["values"] = values
    return body


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True
    api: FakeSheetsAPI


class _RedirectAdapter(HTTPAdapter):
    """Send requests addressed to Google's API hosts to the local fake; refuse the rest."""

    def __init__(self, base: str):
        super().__init__(max_retries=0)
        self.base = urlsplit(base)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url)
        if parts.hostname not in GOOGLE_API_HOSTS:
            raise requests.ConnectionError(
                f"fake Sheets API: refusing to contact {parts.hostname} from a test"
            )
        request.headers[_ORIGINAL_URL_HEADER] = request.url
        request.url = urlunsplit((self.base.scheme, self.base.netloc, parts.path, parts.query, ""))
        return super().send(request, **kwargs)


class FakeSheetsAPI:
    """A Sheets API v4 server on ``127.0.0.1`` serving spreadsheets the test adds.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`); the server
    thread and every handler thread have ended when the ``with`` block is left.
    """

    def __init__(self) -> None:
        self._books: dict[str, _Book] = {}
        self._forbidden: set[str] = set()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._sessions: list[requests.Session] = []

    # ------------------------------------------------------------------ content

    def add_spreadsheet(
        self,
        key: str,
        title: str,
        sheets: dict[str, list[list[Any]]],
        *,
        sheet_ids: list[int] | None = None,
    ) -> None:
        """Serve a spreadsheet: ``sheets`` maps worksheet titles (in order) to rows of cells.

        Cells are text as the user sees it, or ``int``/``float``/``bool``/``date`` values
        that the fake renders as Sheets does for the requested render option.
        """
        ids = sheet_ids or [0] + [1_000_000 + 7919 * i for i in range(1, len(sheets))]
        book = _Book(
            title,
            [
                _Sheet(i, t, [list(r) for r in rows])
                for i, (t, rows) in zip(ids, sheets.items(), strict=True)
            ],
        )
        with self._lock:
            self._books[key] = book

    def forbid(self, key: str) -> None:
        """Answer ``key`` with 403 PERMISSION_DENIED, as for a sheet not shared with you."""
        with self._lock:
            self._forbidden.add(key)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(req)

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake Sheets API is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeSheetsAPI:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.api = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-sheets-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait (at most ``timeout`` seconds) for every thread to end."""
        for s in self._sessions:
            s.close()
        self._sessions.clear()
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()  # joins handler threads (each bounded by its timeout)
        assert self._thread is not None
        self._thread.join(timeout)
        alive = self._thread.is_alive()
        self._server = self._thread = None
        if alive:
            raise RuntimeError("the fake Sheets API thread did not stop")

    def __enter__(self) -> FakeSheetsAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ client

    def http_client_class(self) -> type:
        """A subclass of gspread's ``HTTPClient`` whose requests reach this server."""
        from gspread.http_client import HTTPClient

        base = self.base_url
        sessions = self._sessions

        class LocalHTTPClient(HTTPClient):
            def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
                super().__init__(auth, session)  # google-auth's AuthorizedSession(auth)
                adapter = _RedirectAdapter(base)
                self.session.mount("https://", adapter)
                self.session.mount("http://", adapter)
                self.set_timeout(10)
                sessions.append(self.session)

        return LocalHTTPClient

    def client(self) -> Any:
        """A real ``gspread.Client`` with anonymous credentials that talks to this server."""
        import gspread
        from google.auth.credentials import AnonymousCredentials

        return gspread.Client(auth=AnonymousCredentials(), http_client=self.http_client_class())
