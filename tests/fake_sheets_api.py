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

A range is a whole worksheet (``'Log'``) or whole rows of one (``'Log'!1:50``).

As the real API does, values come back as the text the sheet shows (``FORMATTED_VALUE``)
unless asked otherwise, trailing empty cells and rows are left out, an unknown key is a
404 ``NOT_FOUND`` error body, a key not shared with the caller a 403
``PERMISSION_DENIED``, and a range naming no worksheet a 400 ``INVALID_ARGUMENT``.

Beyond the Sheets API, the same server answers the rest of Google a read touches (see
:data:`ROUTES`; the write endpoints go in :data:`WRITE_ROUTES`):

* ``POST oauth2.googleapis.com/token``: a service account's JWT grant, its RS256 signature
  checked against the public key registered with :meth:`FakeSheetsAPI.add_service_account`,
  an OAuth user's refresh token (:meth:`FakeSheetsAPI.add_oauth_user`) or the one-time code
  of a browser sign-in (:meth:`FakeSheetsAPI.add_oauth_code`); it issues a
  bearer token with the scopes asked for, which the Sheets routes then check (401 for an
  unknown token, 403 for too few scopes or a sheet not shared with the account);
* ``GET docs.google.com/spreadsheets/d/KEY/export?format=csv&gid=GID``: for a sheet added
  with ``public=True`` a 307 redirect to a ``*.googleusercontent.com`` download host that
  sends the tab as CSV; otherwise a 302 to ``accounts.google.com``, whose answer is a
  sign-in HTML page with status 200, as Google does;
* ``iamcredentials.googleapis.com``: refused (only impersonation would call it).

:meth:`FakeSheetsAPI.inject` makes matching requests fail with a status (429, 500, 503...),
once, a few times or always, or answer late (``delay``). Requests reach the server either
through :meth:`FakeSheetsAPI.client` (in process) or, for a subprocess, through the HTTPS
proxy of ``tests/loopback_google.py``.

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

import base64
import csv
import datetime as dt
import io
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

__all__ = [
    "FakeSheetsAPI",
    "RecordedRequest",
    "Fault",
    "GOOGLE_API_HOSTS",
    "ROUTES",
    "WRITE_ROUTES",
]

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
    host: str = ""
    body: bytes = b""


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
    public: bool = False
    shared_with: set[str] | None = None  # None: anyone who asks (the anonymous tests)


@dataclass
class Fault:
    """An answer to inject: ``status`` (0 = answer normally) after ``delay`` seconds.

    Applies to requests whose method, host and path match (``None`` = any), ``times``
    times (``None`` = every time).
    """

    status: int = 0
    delay: float = 0.0
    times: int | None = 1
    method: str | None = None
    host: str | None = None
    path: str | None = None  # a regular expression searched in the path


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
    """Answers one connection: records each request, applies injected faults, then routes.

    Routes are looked up in :data:`ROUTES` (reads, the export, sign-in) and
    :data:`WRITE_ROUTES` (writes): ``(method, hosts, path pattern, handler name)``; adding an
    endpoint is adding a row and a ``_name(match)`` method.
    """

    server: _Server
    timeout = 5  # a connection left idle never keeps a handler thread alive for long
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # ---------------------------------------------------------------- answering

    def _send_bytes(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        self._send_bytes(status, json.dumps(body).encode(), "application/json; charset=UTF-8")

    def _error(self, status: int, reason: str, message: str) -> None:
        self._send(status, {"error": {"code": status, "message": message, "status": reason}})

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send_bytes(status, b"", "text/html; charset=UTF-8", {"Location": location})

    # ---------------------------------------------------------------- dispatch

    def _dispatch(self) -> None:
        api = self.server.api
        original = self.headers.get(_ORIGINAL_URL_HEADER)
        host = (
            urlsplit(original).hostname
            if original
            else (self.headers.get("Host") or "").split(":")[0]
        )
        url = original or f"https://{host}{self.path}"
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        self.query = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        self.host = host
        route = self._route(host or "", path)
        headers = {k: v for k, v in self.headers.items() if k != _ORIGINAL_URL_HEADER}
        if route is not None and route[2]:
            record = RecordedWrite(
                self.command, url, path, self.query, headers, host or "", _json_body(self.body)
            )
        else:
            record = RecordedRequest(
                self.command, url, path, self.query, headers, host=host or "", body=self.body
            )
        api._record(record)
        fault = api._take_fault(self.command, host or "", path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status:
                self._error(fault.status, _REASONS.get(fault.status, "ERROR"), "injected fault")
                return
        if route is not None:
            getattr(self, route[0])(route[1])
            return
        self._error(404, "NOT_FOUND", f"The loopback Google does not serve {host}{path}.")

    def _route(self, host: str, path: str) -> tuple[str, re.Match, bool] | None:
        """The handler name, its match and whether it writes, for this request."""
        for routes, writes in ((ROUTES, False), (WRITE_ROUTES, True)):
            for method, hosts, pattern, name in routes:
                if method != self.command or (host not in hosts and not _wildcard(host, hosts)):
                    continue
                m = re.fullmatch(pattern, path)
                if m:
                    return name, m, writes
        return None

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True  # the client gave up (a timeout test): fine

    # ---------------------------------------------------------------- sign-in

    def _caller(self) -> tuple[str | None, bool]:
        """The account a bearer token stands for (``None`` = anonymous) and whether it is valid."""
        auth = self.headers.get("Authorization", "")
        if not auth:
            return None, True
        token = auth.removeprefix("Bearer ").strip()
        grant = self.server.api._tokens.get(token)
        if grant is None:
            return None, False
        return grant["account"], True

    def _book(self, key: str, *, write: bool = False) -> _Book | None:
        """The spreadsheet ``key`` if the caller may read (or write) it; else answer the error."""
        api = self.server.api
        account, valid = self._caller()
        if not valid:
            self._error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
            return None
        if account is not None:
            token = self.headers["Authorization"].removeprefix("Bearer ").strip()
            scopes = set(api._tokens[token]["scopes"])
            allowed = {_SCOPE + "spreadsheets", _SCOPE + "drive"}
            if not write:
                allowed |= {_SCOPE + "spreadsheets.readonly", _SCOPE + "drive.readonly"}
            if not scopes & allowed:
                self._error(
                    403, "PERMISSION_DENIED", "Request had insufficient authentication scopes."
                )
                return None
        with api._lock:
            book = api._books.get(key)
            forbidden = key in api._forbidden
        if forbidden or (
            book is not None and book.shared_with is not None and account not in book.shared_with
        ):
            self._error(403, "PERMISSION_DENIED", "The caller does not have permission")
            return None
        if book is None:
            self._error(404, "NOT_FOUND", "Requested entity was not found.")
            return None
        return book

    def _token(self, m: re.Match) -> None:
        """``POST oauth2.googleapis.com/token``: a service-account JWT or a refresh token."""
        form = parse_qs(self.body.decode(), keep_blank_values=True)
        grant = form.get("grant_type", [""])[0]
        api = self.server.api
        issued: dict[str, str] = {}  # what a grant adds to the access token
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            claims = api._verify_jwt(form.get("assertion", [""])[0])
            if claims is None:
                self._send(
                    400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
                )
                return
            account, scopes = claims["iss"], claims.get("scope", "").split()
        elif grant == "refresh_token":
            user = api._oauth_users.get(form.get("refresh_token", [""])[0])
            if user is None:
                self._send(400, {"error": "invalid_grant", "error_description": "Bad Request"})
                return
            account, scopes = user
        elif grant == "authorization_code":  # the end of a user's browser sign-in
            with api._lock:
                granted = api._oauth_codes.pop(form.get("code", [""])[0], None)  # used once
            # the app names itself in the form or, as requests-oauthlib does, in Basic auth
            basic = self.headers.get("Authorization", "").startswith("Basic ")
            named = basic or form.get("client_id", [""])[0]
            if granted is None or not named or not form.get("redirect_uri", [""])[0]:
                self._send(400, {"error": "invalid_grant", "error_description": "Bad Request"})
                return
            account, scopes, refresh = granted
            with api._lock:
                api._oauth_users[refresh] = (account, scopes)
            issued = {"refresh_token": refresh}
        else:
            self._send(400, {"error": "unsupported_grant_type"})
            return
        token = "ya29.loopback-" + secrets.token_urlsafe(24)
        with api._lock:
            api._tokens[token] = {"account": account, "scopes": scopes}
        self._send(
            200,
            {
                "access_token": token,
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": " ".join(scopes),
                **issued,
            },
        )

    def _iam(self, m: re.Match) -> None:
        """``iamcredentials.googleapis.com``: only impersonation calls it; not offered."""
        self._error(403, "PERMISSION_DENIED", "The loopback Google does not impersonate.")

    # ---------------------------------------------------------------- Sheets API reads

    def _opts(self) -> dict[str, str]:
        q = self.query
        return {
            "majorDimension": q.get("majorDimension", ["ROWS"])[0],
            "valueRenderOption": q.get("valueRenderOption", ["FORMATTED_VALUE"])[0],
            "dateTimeRenderOption": q.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0],
        }

    def _get_metadata(self, m: re.Match) -> None:
        book = self._book(m["key"])
        if book is not None:
            self._send(200, _metadata(m["key"], book))

    def _get_values(self, m: re.Match) -> None:
        book = self._book(m["key"])
        if book is None:
            return
        answer = _value_range(book, m["range"], **self._opts())
        if isinstance(answer, str):
            self._error(400, "INVALID_ARGUMENT", answer)
        else:
            self._send(200, answer)

    def _batch_get(self, m: re.Match) -> None:
        book = self._book(m["key"])
        if book is None:
            return
        ranges = []
        for r in self.query.get("ranges", []):
            answer = _value_range(book, r, **self._opts())
            if isinstance(answer, str):
                self._error(400, "INVALID_ARGUMENT", answer)
                return
            ranges.append(answer)
        self._send(200, {"spreadsheetId": m["key"], "valueRanges": ranges})

    # ---------------------------------------------------------------- the CSV export

    def _export(self, m: re.Match) -> None:
        """``docs.google.com/.../export``: a redirect to the download host, or to sign-in."""
        api = self.server.api
        with api._lock:
            book = api._books.get(m["key"])
        if book is None:
            self._send_bytes(
                404,
                _html("Sorry, the file you have requested does not exist."),
                "text/html; charset=utf-8",
            )
            return
        if not book.public:
            self._redirect(
                "https://accounts.google.com/v3/signin/identifier?continue="
                + quote(f"https://docs.google.com/spreadsheets/d/{m['key']}/export")
            )
            return
        self._redirect(
            f"https://doc-0s-8c-sheets.googleusercontent.com/export/l5l0/{m['key']}?"
            + urlsplit(self.path).query,
            status=307,
        )

    def _download(self, m: re.Match) -> None:
        """The googleusercontent.com download host: the tab as CSV, as Google writes it."""
        api = self.server.api
        with api._lock:
            book = api._books.get(m["key"])
        if book is None or not book.public:
            self._send_bytes(403, _html("Forbidden"), "text/html; charset=utf-8")
            return
        gid = self.query.get("gid", [None])[0]
        sheet = (
            book.sheets[0]
            if gid is None
            else next((s for s in book.sheets if str(s.sheet_id) == gid), None)
        )
        if sheet is None:
            self._send_bytes(400, _html("Bad Request"), "text/html; charset=utf-8")
            return
        self._send_bytes(
            200,
            _csv(sheet).encode(),
            "text/csv; charset=utf-8",
            {"Content-Disposition": f'attachment; filename="{sheet.title}.csv"'},
        )

    def _signin_page(self, m: re.Match) -> None:
        self._send_bytes(200, _html("Sign in - Google Accounts"), "text/html; charset=utf-8")

    # ================================================================ writes (owned by H6)
    # --- write endpoints ---
    # What gspread 6 sends to write (gspread/http_client.py, worksheet.py, client.py):
    # POST .../values/{range}:append, PUT .../values/{range}, POST .../values:batchUpdate,
    # POST /v4/spreadsheets/{key}:batchUpdate, POST /v4/spreadsheets (create) and Drive's
    # POST /drive/v3/files (gspread's Client.create). Cells are stored as sent: with
    # valueInputOption=RAW a string stays that exact string; with USER_ENTERED a string
    # starting with "=" becomes a formula that reads back as what Sheets would show
    # (_Formula), so a test can tell a formula-safe write from an unsafe one. Each write is
    # recorded as a RecordedWrite (a RecordedRequest with the JSON body).

    def _write(self, m: re.Match) -> None:
        api = self.server.api
        method, path, query = self.command, m.group(0), self.query
        body = _json_body(self.body)
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
        book = self._book(key, write=True)
        if book is None:
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

    # ================================================================ end of writes


_SCOPE = "https://www.googleapis.com/auth/"
_SHEETS_HOSTS = frozenset({"sheets.googleapis.com"})
_REASONS = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "BAD_GATEWAY", 503: "UNAVAILABLE"}
_KEY = r"(?P<key>[^/]+)"

#: (method, hosts, path pattern, handler method of :class:`_Handler`)
ROUTES: list[tuple[str, frozenset[str], str, str]] = [
    ("GET", _SHEETS_HOSTS, rf"/v4/spreadsheets/{_KEY}", "_get_metadata"),
    ("GET", _SHEETS_HOSTS, rf"/v4/spreadsheets/{_KEY}/values/(?P<range>.+)", "_get_values"),
    ("GET", _SHEETS_HOSTS, rf"/v4/spreadsheets/{_KEY}/values:batchGet", "_batch_get"),
    ("POST", frozenset({"oauth2.googleapis.com"}), r"/token", "_token"),
    ("POST", frozenset({"iamcredentials.googleapis.com"}), r"/v1/.*", "_iam"),
    ("GET", frozenset({"docs.google.com"}), rf"/spreadsheets/d/{_KEY}/export", "_export"),
    ("GET", frozenset({"*.googleusercontent.com"}), rf"/export/[^/]+/{_KEY}", "_download"),
    ("GET", frozenset({"accounts.google.com"}), r"/.*", "_signin_page"),
]
#: The write endpoints (values append/update, batchUpdate, create); owned by the writing tests.
WRITE_ROUTES: list[tuple[str, frozenset[str], str, str]] = [
    ("POST", _SHEETS_HOSTS, r"/v4/spreadsheets(/.*)?", "_write"),
    ("PUT", _SHEETS_HOSTS, r"/v4/spreadsheets/.+", "_write"),
    ("POST", frozenset({"www.googleapis.com"}), r"/drive/v3/files", "_write"),
]


def _json_body(data: bytes) -> Any:
    """A request's JSON body (``{}`` when empty, ``None`` when not JSON)."""
    try:
        return json.loads(data) if data else {}
    except ValueError:
        return None


def _wildcard(host: str | None, hosts: frozenset[str]) -> bool:
    return bool(host) and any(h.startswith("*.") and host.endswith(h[1:]) for h in hosts)


def _html(title: str) -> bytes:
    return (
        f"<!DOCTYPE html><html lang=en><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1></body></html>"
    ).encode()


def _csv(sheet: _Sheet) -> str:
    """A tab as Google's CSV export writes it: formatted values, every row as wide as the widest."""
    grid = _trim(
        [[_render(v, "FORMATTED_VALUE", "FORMATTED_STRING") for v in r] for r in sheet.rows]
    )
    width = max((len(r) for r in grid), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for r in grid:
        writer.writerow(r + [""] * (width - len(r)))
    return out.getvalue()


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
    """The ValueRange for a whole worksheet or whole rows of it (``'Log'!1:50``), or the 400
    message."""
    title, cells = _parse_range(a1)
    sheet = next((s for s in book.sheets if s.title == title), None)
    if sheet is None:
        return f"Unable to parse range: {a1}"
    n_rows = max(1000, len(sheet.rows))
    top, bottom = 1, n_rows
    if cells is not None:  # whole rows, as in 'Log'!1:50
        m = re.fullmatch(r"(\d+):(\d+)", cells)
        if m is None or not 1 <= int(m[1]) <= int(m[2]):
            return f"The fake Sheets API reads whole worksheets or rows only, not {a1}"
        top, bottom = int(m[1]), min(int(m[2]), n_rows)
    rows = sheet.rows[top - 1 : bottom]
    width = max((len(r) for r in sheet.rows), default=0)
    grid = [
        [_render(v, valueRenderOption, dateTimeRenderOption) for v in r] + [""] * (width - len(r))
        for r in rows
    ]
    if majorDimension == "COLUMNS":
        grid = [list(col) for col in zip(*grid, strict=True)] if grid else []
    n_cols = max(26, width)
    quoted = "'" + title.replace("'", "''") + "'"
    body: dict[str, Any] = {
        "range": f"{quoted}!A{top}:{_column_letter(n_cols)}{bottom}",
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
        self._faults: list[Fault] = []
        self._tokens: dict[str, dict[str, Any]] = {}
        self._service_accounts: dict[str, Any] = {}  # client_email -> RSA public key
        self._oauth_users: dict[str, tuple[str, list[str]]] = {}
        self._oauth_codes: dict[str, tuple[str, list[str], str]] = {}
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
        public: bool = False,
        shared_with: set[str] | None = None,
        hidden: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        """Serve a spreadsheet: ``sheets`` maps worksheet titles (in order) to rows of cells.

        Cells are text as the user sees it, or ``int``/``float``/``bool``/``date`` values
        that the fake renders as Sheets does for the requested render option. ``public``:
        shared as "anyone with the link" (the CSV export answers); ``shared_with``: the only
        accounts the API lets read it (``None``: anyone, signed in or not); ``hidden``: the
        titles of hidden worksheets (``properties.hidden`` in the metadata).
        """
        ids = sheet_ids or [0] + [1_000_000 + 7919 * i for i in range(1, len(sheets))]
        book = _Book(
            title,
            [
                _Sheet(i, t, [list(r) for r in rows], hidden=t in hidden)
                for i, (t, rows) in zip(ids, sheets.items(), strict=True)
            ],
            public=public,
            shared_with=set(shared_with) if shared_with is not None else None,
        )
        with self._lock:
            self._books[key] = book

    def forbid(self, key: str) -> None:
        """Answer ``key`` with 403 PERMISSION_DENIED, as for a sheet not shared with you."""
        with self._lock:
            self._forbidden.add(key)

    def add_service_account(self, email: str, public_key: Any) -> None:
        """Accept JWT grants from ``email`` signed by the key whose public half is given."""
        with self._lock:
            self._service_accounts[email] = public_key

    def add_oauth_user(self, refresh_token: str, account: str, scopes: list[str]) -> None:
        """Accept ``refresh_token`` (an OAuth user's saved token) for ``account``."""
        with self._lock:
            self._oauth_users[refresh_token] = (account, list(scopes))

    def add_oauth_code(
        self, code: str, account: str, scopes: list[str], refresh_token: str
    ) -> None:
        """Accept ``code`` once, as Google's consent page hands it to the app's redirect:
        it is exchanged for an access token and ``refresh_token`` (then a saved user)."""
        with self._lock:
            self._oauth_codes[code] = (account, list(scopes), refresh_token)

    def inject(self, fault: Fault) -> Fault:
        """Answer the next matching request(s) with ``fault`` instead (see :class:`Fault`)."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def granted_scopes(self) -> list[list[str]]:
        """The scopes of every access token issued, in order."""
        with self._lock:
            return [list(g["scopes"]) for g in self._tokens.values()]

    def _take_fault(self, method: str, host: str, path: str) -> Fault | None:
        with self._lock:
            for f in self._faults:
                if (
                    (f.times is None or f.times > 0)
                    and (f.method is None or f.method == method)
                    and (f.host is None or f.host == host)
                    and (f.path is None or re.search(f.path, path))
                ):
                    if f.times is not None:
                        f.times -= 1
                    return f
        return None

    def _verify_jwt(self, assertion: str) -> dict[str, Any] | None:
        """The claims of a service-account JWT grant whose RS256 signature checks out."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        def b64(part: str) -> bytes:
            return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

        try:
            head, body, sig = assertion.split(".")
            header, claims = json.loads(b64(head)), json.loads(b64(body))
        except ValueError:
            return None
        with self._lock:
            key = self._service_accounts.get(claims.get("iss"))
        if key is None or header.get("alg") != "RS256":
            return None
        try:
            key.verify(b64(sig), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return None
        now = time.time()
        if claims.get("aud") != "https://oauth2.googleapis.com/token" or not (
            claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0)
        ):
            return None
        return claims

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
