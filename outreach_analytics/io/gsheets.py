"""Reading a log from a Google Sheet: sign-in, retries, the public export and the cache.

How a sheet is read, in this order (the first that applies wins, and the output names it
in one line, e.g. ``read with the service account x@y.iam.gserviceaccount.com``):

1. a service account: ``credentials=FILE`` (the CLI's ``--credentials``), else the file
   named by ``GOOGLE_APPLICATION_CREDENTIALS``;
2. your own Google account, through gspread's OAuth token (``outreach-analytics auth``
   stores it where gspread keeps it, ``~/.config/gspread/authorized_user.json``);
3. no sign-in at all: the sheet's CSV export, for a sheet shared as "anyone with the link".

Through the API, one metadata call lists the tabs and one ``values:batchGet`` call reads
every tab wanted, with the values formatted as the user sees them. With no tab named (no
worksheet, no ``#gid=``) and more than one tab, one more ``values:batchGet`` first reads the
first rows of every tab, and the tab that looks most like a log is read, as for an Excel
workbook (:func:`~outreach_analytics.io.raw.choose_log`); a note names it. Every call (metadata,
values, export, token) is retried on 429, 500, 502, 503, 504 and timeouts with exponential
backoff and jitter, for at most ``retry_seconds`` in total (30 s by default, or
``OUTREACH_ANALYTICS_RETRY_SECONDS``). When Google still does not answer, the copy in the
cache (see :mod:`outreach_analytics.io.cache`) is used, and the output says how old it is.

Only ``spreadsheets.readonly`` is asked for to read. Tokens travel in headers, and no
credential, token or key is ever part of a message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OutreachDataError
from ..words import header_key
from . import cache
from .raw import SCORED_ROWS, RawTable, choose_log, table_from_rows

__all__ = [
    "ALL_TABS",
    "READ_SCOPES",
    "WRITE_SCOPES",
    "SignIn",
    "SheetRef",
    "GoogleUnavailable",
    "authorize",
    "choose_tab",
    "parse_sheet_source",
    "read_gsheet",
    "retry_seconds",
    "run_oauth_flow",
    "with_retries",
    "api_error",
    "home_relative",
]

#: ``sheet=ALL_TABS`` reads every tab (the CLI's ``--all-tabs``).
ALL_TABS = "*"
READ_SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
#: What ``log`` and ``init-sheet`` need: both write through the Sheets API alone (a new
#: spreadsheet is created with ``spreadsheets.create``), so no Drive scope.
WRITE_SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
RETRY_ENV = "OUTREACH_ANALYTICS_RETRY_SECONDS"
OFFLINE_ENV = "OUTREACH_ANALYTICS_OFFLINE"
DEFAULT_RETRY_SECONDS = 30.0
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})

_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([\w-]+)")
_GID = re.compile(r"[#&?]gid=(\d+)")
_EXPORT = "https://docs.google.com/spreadsheets/d/{key}/export"
_README = "see 'Connect a Google Sheet' in the README"


# ----------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class SheetRef:
    """A spreadsheet key and, from a browser URL, the tab's gid."""

    key: str
    gid: int | None = None


def parse_sheet_source(text: str) -> SheetRef | None:
    """The sheet a SOURCE names (a browser URL or ``gsheet:KEY``), else ``None``.

    >>> parse_sheet_source("https://docs.google.com/spreadsheets/d/AbC-1/edit#gid=42")
    SheetRef(key='AbC-1', gid=42)
    >>> parse_sheet_source("gsheet:AbC-1")
    SheetRef(key='AbC-1', gid=None)
    >>> parse_sheet_source("log.csv") is None
    True
    """
    m = _URL.match(text)
    if m:
        g = _GID.search(text)
        return SheetRef(m.group(1), int(g.group(1)) if g else None)
    if text.startswith("gsheet:") and len(text) > len("gsheet:"):
        return SheetRef(text.removeprefix("gsheet:").strip())
    return None


def home_relative(path: str | os.PathLike) -> str:
    """A path as ``~/…`` when it is under the home folder, for messages.

    >>> home_relative(Path.home() / "keys" / "sa.json") == "~/keys/sa.json".replace("/", os.sep)
    True
    """
    p = Path(path).expanduser().absolute()
    try:
        return str(Path("~") / p.relative_to(Path.home()))
    except ValueError:
        return str(p)


# ----------------------------------------------------------------------------- retries


class GoogleUnavailable(OutreachDataError):
    """Google did not answer (network, timeouts, 429 or 5xx) within the retry budget."""


def retry_seconds(value: float | None = None) -> float:
    """The total time to keep retrying: ``value``, else the environment, else 30 s.

    >>> retry_seconds(5)
    5.0
    """
    if value is None:
        env = os.environ.get(RETRY_ENV)
        if env:
            try:
                value = float(env)
            except ValueError:
                raise OutreachDataError(
                    f"{RETRY_ENV}='{env}' is not a number of seconds. Fix: set it to e.g. 30."
                ) from None
        else:
            value = DEFAULT_RETRY_SECONDS
    return max(0.0, float(value))


def request_timeout(total: float) -> float:
    """The timeout of one request, so that a retry still fits in ``total`` seconds.

    >>> request_timeout(30), request_timeout(2)
    (15.0, 1.0)
    """
    return min(60.0, max(1.0, total / 2))


def _transient(err: BaseException) -> str | None:
    """What went wrong, if retrying may help; ``None`` for a final answer."""
    import google.auth.exceptions as gae
    import gspread
    import requests

    if isinstance(err, gspread.exceptions.APIError):
        code = err.response.status_code
        return f"HTTP {code}" if code in RETRY_STATUS else None
    if isinstance(err, _RetryableStatus):
        return f"HTTP {err.status}"
    if isinstance(err, requests.Timeout):
        return "a timeout"
    if isinstance(err, requests.ConnectionError):
        return "no connection"
    if isinstance(err, gae.RefreshError):
        return "the sign-in service failing" if getattr(err, "retryable", False) else None
    if isinstance(err, gae.TransportError):
        return "the sign-in service not answering"
    return None


class _RetryableStatus(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


def with_retries(
    call: Callable[[], Any],
    *,
    seconds: float | None = None,
    what: str,
    idempotent: bool = True,
) -> Any:
    """Run ``call``, retrying transient failures with backoff and jitter for ``seconds``.

    Exponential backoff (0.5 s, 1 s, 2 s... at most 8 s, each scaled by a random factor
    in [0.5, 1]) until the next wait would end past the budget; then
    :class:`GoogleUnavailable` says what failed and for how long. A call that is not
    ``idempotent`` (an append) is retried only on 429, which Google answers before doing
    anything: a 5xx or a timeout may come after the row was written.

    >>> with_retries(lambda: 42, seconds=1, what="the answer")
    42
    """
    budget = retry_seconds(seconds)
    start = time.monotonic()
    attempt = 0
    while True:
        try:
            return call()
        except Exception as err:
            why = _transient(err)
            if why is None or (not idempotent and why != "HTTP 429"):
                raise
            attempt += 1
            delay = min(8.0, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
            elapsed = time.monotonic() - start
            if elapsed + delay > budget:
                raise GoogleUnavailable(
                    f"Google did not answer {what}: {why}, {attempt} tr"
                    f"{'y' if attempt == 1 else 'ies'} in {elapsed:.0f} s. Fix: try again "
                    f"later, or allow more time with --retry-seconds (or {RETRY_ENV})."
                ) from None
            time.sleep(delay)


def _retrying_http_client(seconds: float) -> type:
    """gspread's ``HTTPClient`` with every call retried within ``seconds`` in total."""
    from gspread.http_client import HTTPClient

    class RetryingHTTPClient(HTTPClient):
        bounded_retries = True

        def __init__(self, auth: Any, session: Any = None) -> None:
            super().__init__(auth, session)
            self.set_timeout(request_timeout(seconds))

        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:
            call = super().request
            path = endpoint.split("/v4/spreadsheets/")[-1].split("?")[0]
            if method.upper() != "GET":
                what = "the write request"
            elif "/" not in path:
                what = "the metadata request"
            else:
                what = "the values request"
            return with_retries(
                lambda: call(method, endpoint, *args, **kwargs),
                seconds=seconds,
                what=what,
                # values:batchUpdate sets cells to values: repeating it changes nothing
                idempotent=method.upper() in ("GET", "HEAD", "PUT")
                or path.endswith("values:batchUpdate"),
            )

    return RetryingHTTPClient


# ----------------------------------------------------------------------------- sign-in


@dataclass(frozen=True)
class SignIn:
    """How Google is reached: a gspread client (``None`` for the public export) and who.

    Attributes
    ----------
    client : gspread.Client or None
    kind : {"service_account", "oauth", "public", "client"}
    account : str or None
        The service account's address, or the signed-in user when known.
    source : str or None
        Where the credentials came from (a ``~/…`` path), for messages.
    """

    client: Any
    kind: str
    account: str | None = None
    source: str | None = None

    def describe(self) -> str:
        """The one line of output that says how the sheet was read."""
        if self.kind == "service_account":
            return f"read with the service account {self.account} ({self.source})"
        if self.kind == "oauth":
            who = f" {self.account}" if self.account else ""
            return f"read with your Google account{who} (token in {self.source})"
        if self.kind == "public":
            return "read without signing in, through the sheet's public CSV export"
        return "read through the gspread client passed in"

    def share_fix(self) -> str:
        """Who the sheet must be shared with."""
        if self.kind == "service_account":
            return (
                f"the sheet is not shared with {self.account} — share it with that address "
                "(Viewer is enough)"
            )
        if self.kind == "oauth":
            who = self.account or "the Google account you signed in with (outreach-analytics auth)"
            return f"the sheet is not shared with {who} — share it with that account"
        return "the sheet is not shared with the account signed in — share it with that account"


def _oauth_token_path() -> Path:
    import gspread.auth

    return gspread.auth.get_config_dir() / "authorized_user.json"


def authorize(
    scopes: Sequence[str] = READ_SCOPES,
    credentials: str | os.PathLike | None = None,
    *,
    retry: float | None = None,
    public_ok: bool = True,
) -> SignIn:
    """Sign in to Google, in the documented order, for the given scopes.

    Parameters
    ----------
    scopes : sequence of str
        What to ask for (:data:`READ_SCOPES` to read, :data:`WRITE_SCOPES` to write).
    credentials : path, optional
        A service-account JSON file; default ``GOOGLE_APPLICATION_CREDENTIALS``.
    retry : float, optional
        Total seconds to retry each call (see :func:`retry_seconds`).
    public_ok : bool, default True
        With no credentials at all, return the public-export sign-in (``client=None``);
        when False, that is an error naming the ways to sign in.
    """
    import gspread

    seconds = retry_seconds(retry)
    http_client = _retrying_http_client(seconds)
    path = credentials or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if path:
        creds, email = _service_account(Path(path).expanduser(), scopes)
        client = gspread.Client(auth=creds, http_client=http_client)
        return SignIn(client, "service_account", email, home_relative(path))
    token = _oauth_token_path()
    if token.exists():
        from google.oauth2.credentials import Credentials

        try:
            info = json.loads(token.read_text(encoding="utf-8"))
            creds = Credentials.from_authorized_user_info(info)
        except (ValueError, OSError):
            raise OutreachDataError(
                f"The saved Google sign-in {home_relative(token)} could not be read. Fix: run "
                "'outreach-analytics auth' to sign in again."
            ) from None
        client = gspread.Client(auth=creds, http_client=http_client)
        return SignIn(client, "oauth", info.get("account") or None, home_relative(token))
    if public_ok:
        return SignIn(None, "public")
    raise OutreachDataError(
        "This needs a Google sign-in and none was found. Fix: pass --credentials with a "
        "service-account JSON file (or set GOOGLE_APPLICATION_CREDENTIALS), or run "
        f"'outreach-analytics auth' once ({_README})."
    )


def _service_account(path: Path, scopes: Sequence[str]) -> tuple[Any, str]:
    """google-auth credentials from a service-account file, and its address."""
    from google.oauth2 import service_account

    shown = home_relative(path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutreachDataError(
            f"No credentials file at {shown}. Fix: pass --credentials with the JSON key file "
            "of a service account (or set GOOGLE_APPLICATION_CREDENTIALS to it)."
        ) from None
    except (OSError, ValueError):
        raise OutreachDataError(
            f"The credentials file {shown} is not a JSON file. Fix: download the service "
            "account's key again (Google Cloud console, IAM, Service accounts, Keys, JSON)."
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        kind = info.get("type") if isinstance(info, dict) else None
        raise OutreachDataError(
            f"The credentials file {shown} is not a service-account key (its type is "
            f"'{kind}'). Fix: pass a service account's JSON key; for your own Google account "
            "run 'outreach-analytics auth' instead."
        )
    try:
        creds = service_account.Credentials.from_service_account_info(info, scopes=list(scopes))
    except (ValueError, KeyError):
        raise OutreachDataError(
            f"The service-account file {shown} lacks a field or its key is damaged. Fix: "
            "download the key again as JSON."
        ) from None
    return creds, info.get("client_email", "")


def run_oauth_flow(scopes: Sequence[str] = READ_SCOPES) -> SignIn:
    """Run gspread's OAuth flow once (a browser opens) and store the token where gspread does.

    Needs an OAuth client file at ``~/.config/gspread/credentials.json`` (README).
    """
    import gspread
    import gspread.auth

    config = gspread.auth.get_config_dir()
    client_file = config / "credentials.json"
    token = config / "authorized_user.json"
    if not client_file.exists():
        raise OutreachDataError(
            f"No OAuth client file at {home_relative(client_file)}. Fix: in the Google Cloud "
            "console create an OAuth client ID of type 'Desktop app', download its JSON and "
            f"save it there, then run 'outreach-analytics auth' again ({_README})."
        )
    try:
        gspread.oauth(
            scopes=list(scopes), credentials_filename=client_file, authorized_user_filename=token
        )
    except Exception as err:  # the flow raises many kinds; the message holds no secret
        raise OutreachDataError(
            f"Signing in to Google did not complete ({type(err).__name__}). Fix: run "
            "'outreach-analytics auth' again and finish the sign-in in the browser."
        ) from None
    os.chmod(token, 0o600)
    return SignIn(None, "oauth", None, home_relative(token))


# ----------------------------------------------------------------------------- errors


def api_error(err: Exception, key: str, signin: SignIn) -> OutreachDataError:
    """The user error for an API answer that is final (403, 404, 400...)."""
    import gspread

    status = err.response.status_code if isinstance(err, gspread.exceptions.APIError) else None
    text = str(err)
    if status == 404:
        return OutreachDataError(
            f"Google Sheets has no spreadsheet with key '{key}' (HTTP 404). Fix: check the key "
            "(the part of the URL between /d/ and /edit), and share the sheet with the "
            "account that reads it."
        )
    if status == 403:
        if "has not been used" in text or "is disabled" in text:
            return OutreachDataError(
                "The Google Sheets API is not enabled for the service account's project "
                "(HTTP 403). Fix: enable 'Google Sheets API' in that project (Google Cloud "
                "console, APIs & Services), wait a minute, and try again."
            )
        if "insufficient" in text.lower() and "scope" in text.lower():
            return OutreachDataError(
                "Google refused: the sign-in does not allow this (HTTP 403, insufficient "
                "scopes). Fix: run 'outreach-analytics auth' again."
            )
        return OutreachDataError(
            f"Google Sheets refused to open '{key}' (HTTP 403): {signin.share_fix()}, or check "
            "the key."
        )
    if status == 401:
        return OutreachDataError(
            "Google did not accept the sign-in (HTTP 401). Fix: for a service account, "
            "download a new key; for your own account, run 'outreach-analytics auth' again."
        )
    return OutreachDataError(
        f"Google Sheets refused to read '{key}' (HTTP {status}). Fix: check the key or URL, "
        "and share the sheet with the account that reads it."
    )


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Tab:
    gid: int
    title: str
    index: int
    hidden: bool = False


def _quoted(title: str) -> str:
    """A tab's title as an A1 range: ``'Tab'``, an inner quote doubled."""
    return "'" + title.replace("'", "''") + "'"


def choose_tab(http: Any, key: str, tabs: Sequence[tuple[str, bool]]) -> tuple[int, str | None]:
    """The tab to read when none is named, of a spreadsheet's tabs (title, in view) in order,
    and a note naming it.

    One ``values:batchGet`` reads the first :data:`~outreach_analytics.io.raw.SCORED_ROWS`
    rows of every tab (formatted as the user sees them); the rule is the one that picks an
    Excel workbook's sheet (:func:`~outreach_analytics.io.raw.choose_log`). A single tab is
    read without asking.

    Parameters
    ----------
    http : gspread.http_client.HTTPClient
        The signed-in client's ``http_client``.
    key : str
        The spreadsheet key.
    tabs : sequence of (str, bool)
        Every tab of cells, in the spreadsheet's order: its title and whether it is in view
        (not hidden).

    Returns
    -------
    index : int
        The position in ``tabs`` of the tab to read.
    note : str or None
        ``read sheet 'Log' (...); other sheets: ...``; ``None`` for a single tab.
    """
    if len(tabs) <= 1:
        return 0, None
    ranges = [f"{_quoted(title)}!1:{SCORED_ROWS}" for title, _ in tabs]
    answer = http.values_batch_get(key, ranges, params={"valueRenderOption": "FORMATTED_VALUE"})
    heads = [vr.get("values", []) for vr in answer.get("valueRanges", [])]
    return choose_log(
        [(title, rows, shown) for (title, shown), rows in zip(tabs, heads, strict=True)]
    )


def read_gsheet(
    key: str,
    *,
    sheet: str | int | None = None,
    gid: int | None = None,
    client: Any = None,
    credentials: str | os.PathLike | None = None,
    offline: bool | None = None,
    retry: float | None = None,
) -> Any:
    """Read one tab (or every tab) of a Google Sheet.

    Parameters
    ----------
    key : str
        The spreadsheet key (the long id in its URL).
    sheet : str or int, optional
        Tab title or 0-based position; :data:`ALL_TABS` (``"*"``) for every tab. With
        neither ``sheet`` nor ``gid``, the tab that looks most like a log
        (:func:`choose_tab`; through the public export, the first tab), named in a note.
    gid : int, optional
        The tab's id from a ``#gid=`` URL, used when ``sheet`` is not given.
    client : gspread.Client, optional
        An authorised client; by default :func:`authorize` signs in.
    credentials : path, optional
        A service-account JSON file (default ``GOOGLE_APPLICATION_CREDENTIALS``).
    offline : bool, optional
        Read only the cache (default: ``OUTREACH_ANALYTICS_OFFLINE=1``).
    retry : float, optional
        Seconds to keep retrying (default ``OUTREACH_ANALYTICS_RETRY_SECONDS`` or 30).

    Returns
    -------
    RawTable
        Row numbers are the sheet's own; ``notes`` says how the sheet was read.
    """
    if offline is None:
        offline = os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes")
    if offline:
        return _from_cache(key, sheet, gid, reason=None)
    if client is not None:
        signin = SignIn(client, "client")
    else:
        signin = authorize(READ_SCOPES, credentials, retry=retry)
    try:
        if signin.client is None:
            return _read_public(key, sheet, gid, retry)
        return _read_api(key, sheet, gid, signin)
    except GoogleUnavailable as err:
        return _from_cache(key, sheet, gid, reason=err.message)


def _read_api(key: str, sheet: Any, gid: int | None, signin: SignIn) -> Any:
    import google.auth.exceptions as gae
    import gspread

    http = signin.client.http_client
    if getattr(http, "bounded_retries", False):
        call = _call_directly
    else:  # a client passed in: retry its calls here

        def call(f: Callable[[], Any], what: str) -> Any:
            return with_retries(f, what=what)

    try:
        meta = call(lambda: http.fetch_sheet_metadata(key), "the metadata request")
        book = meta["properties"]["title"]
        tabs = [
            _Tab(int(p["sheetId"]), p["title"], int(p.get("index", i)), bool(p.get("hidden")))
            for i, s in enumerate(meta.get("sheets", []))
            if (p := s["properties"]).get("sheetType", "GRID") == "GRID"
        ]
        chosen = None  # the note of a tab chosen by its cells
        if sheet is None and gid is None and len(tabs) > 1:
            order = sorted(tabs, key=lambda t: t.index)
            at, chosen = call(
                lambda: choose_tab(http, key, [(t.title, not t.hidden) for t in order]),
                "the values request",
            )
            wanted = [order[at]]
        else:
            wanted = _pick_tabs(tabs, sheet, gid, book)
        quoted = [_quoted(t.title) for t in wanted]
        answer = call(
            lambda: http.values_batch_get(
                key, quoted, params={"valueRenderOption": "FORMATTED_VALUE"}
            ),
            "the values request",
        )
    except gspread.exceptions.APIError as err:
        raise api_error(err, key, signin) from None
    except gae.GoogleAuthError:
        raise OutreachDataError(
            "Google did not accept the sign-in. Fix: for a service account, check the key "
            "file (download a new key); for your own account, run 'outreach-analytics auth'."
        ) from None
    except (OSError, ValueError) as err:  # requests' other errors are OSErrors
        if isinstance(err, OutreachDataError):
            raise
        raise GoogleUnavailable(
            f"Google Sheets could not be read ({type(err).__name__})."
        ) from None
    grids = [vr.get("values", []) for vr in answer.get("valueRanges", [])]
    read_at = dt.datetime.now(dt.UTC)
    cache.store_tabs(
        key,
        book,
        [(t.gid, t.title, t.index) for t in tabs],
        list(zip(wanted, grids, strict=True)),
        read_at,
        default=(wanted[0].gid, chosen) if sheet is None and gid is None else None,
    )
    try:
        return _build(key, book, wanted, grids, sheet, note=signin.describe(), chosen=chosen)
    except OutreachDataError as err:
        if chosen is None:
            raise
        raise OutreachDataError(
            f"{err.message} Tabs of the Google Sheet '{book}': {[t.title for t in tabs]}; "
            "pass --worksheet to read another."
        ) from None


def _call_directly(f: Callable[[], Any], what: str) -> Any:
    return f()


def _pick_tabs(tabs: list[_Tab], sheet: Any, gid: int | None, book: str) -> list[_Tab]:
    titles = [t.title for t in tabs]
    if sheet == ALL_TABS:
        return tabs
    if sheet is not None:
        for t in tabs:
            if t.title == str(sheet):  # a tab named "2024" wins over position 2024
                return [t]
        if (isinstance(sheet, int) or str(sheet).isdigit()) and 0 <= int(sheet) < len(tabs):
            return [sorted(tabs, key=lambda t: t.index)[int(sheet)]]
        num = isinstance(sheet, int) or str(sheet).isdigit()
        what = f"named '{sheet}'" + (f" nor a tab number {sheet} (0-based)" if num else "")
        raise OutreachDataError(
            f"The Google Sheet '{book}' has no tab {what}. Tabs: {titles}. Fix: pass "
            "--worksheet (or --sheet) with one of those titles."
        )
    if gid is not None:
        for t in tabs:
            if t.gid == gid:
                return [t]
        raise OutreachDataError(
            f"The Google Sheet '{book}' has no tab with gid={gid} (the #gid= of the URL). "
            f"Tabs: {titles}. Fix: open the tab in the browser and copy its address, or pass "
            "--worksheet with one of those titles."
        )
    if not tabs:
        raise OutreachDataError(f"The Google Sheet '{book}' has no tabs with cells.")
    return [min(tabs, key=lambda t: t.index)]


def _build(
    key: str,
    book: str | None,
    tabs: list[_Tab],
    grids: list[list],
    sheet: Any,
    note: str,
    chosen: str | None = None,
):
    """One RawTable from the tabs read (all tabs: concatenated, with a ``tab`` column);
    ``chosen`` is the note of a tab chosen by its cells."""
    label = book or key
    if sheet != ALL_TABS:
        raw = table_from_rows(grids[0], 1, f"Google Sheet {key} [{tabs[0].title}]")
        notes = [note, *([chosen] if chosen else []), *raw.notes]
        return replace(raw, notes=notes, sheet=tabs[0].title)
    read, empty = [], []
    for tab, grid in zip(tabs, grids, strict=True):
        try:
            raw = table_from_rows(grid, 1, tab.title)
        except OutreachDataError:
            empty.append(tab.title)
            continue
        if raw.frame.dropna(how="all").empty:
            empty.append(tab.title)
        else:
            read.append((tab, raw))
    if not read:
        raise OutreachDataError(
            f"Every tab of the Google Sheet '{label}' is empty ({[t.title for t in tabs]}). "
            "Fix: check the sheet, or read one tab with --worksheet."
        )
    shape = Counter(frozenset(header_key(c) for c in raw.frame.columns) for _, raw in read)
    common = shape.most_common(1)[0][0]
    kept = [(t, r) for t, r in read if frozenset(header_key(c) for c in r.frame.columns) == common]
    unlike = [t.title for t, r in read if (t, r) not in kept]
    names = list(kept[0][1].frame.columns)
    by_key = {header_key(c): c for c in names}
    frames, rows, titles = [], [], []
    for tab, raw in kept:
        f = raw.frame.rename(columns={c: by_key[header_key(c)] for c in raw.frame.columns})
        frames.append(f[names].assign(tab=tab.title))
        rows.append(raw.source_rows)
        titles.append(np.full(len(f), tab.title, dtype=object))
    frame = pd.concat(frames, ignore_index=True)
    notes = [note, f"read {len(kept)} tab(s) into one table with a 'tab' column"]
    if empty:
        notes.append(f"skipped as empty: {', '.join(repr(t) for t in empty)}")
    if unlike:
        notes.append(
            "skipped as unlike the others (other columns): " + ", ".join(repr(t) for t in unlike)
        )
    return RawTable(
        frame,
        np.concatenate(rows),
        f"Google Sheet {key} [{len(kept)} tabs]",
        notes=notes,
        header=(*names, "tab"),
        tabs=np.concatenate(titles),
    )


# ----------------------------------------------------------------------------- public export


def _read_public(key: str, sheet: Any, gid: int | None, retry: float | None) -> Any:
    import requests

    if sheet is not None:
        raise OutreachDataError(
            "Without a sign-in a tab can only be picked by its link. Fix: open the tab in the "
            "browser and pass its address (it ends in #gid=…), or sign in to use --worksheet "
            f"and --all-tabs ({_README})."
        )
    seconds = retry_seconds(retry)
    params = {"format": "csv"} if gid is None else {"format": "csv", "gid": str(gid)}

    def fetch() -> requests.Response:
        with requests.Session() as s:
            r = s.get(_EXPORT.format(key=key), params=params, timeout=request_timeout(seconds))
        if r.status_code in RETRY_STATUS:
            raise _RetryableStatus(r.status_code)
        return r

    r = with_retries(fetch, seconds=seconds, what="the CSV export")
    kind = r.headers.get("Content-Type", "")
    if r.status_code == 404:
        raise OutreachDataError(
            f"Google Sheets has no spreadsheet with key '{key}' (HTTP 404). Fix: check the key "
            "(the part of the URL between /d/ and /edit)."
        )
    if r.status_code == 400 and gid is not None:
        raise OutreachDataError(
            f"The Google Sheet '{key}' has no tab with gid={gid} (HTTP 400 from its export). "
            "Fix: open the tab in the browser and copy its address; without a sign-in the "
            "tabs cannot be listed."
        )
    if "text/html" in kind or r.content.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        raise OutreachDataError(
            "This sheet is not shared as 'anyone with the link'; share it that way (Share, "
            "General access, Anyone with the link, Viewer), or sign in "
            f"({_README})."
        )
    if not r.ok:
        raise OutreachDataError(
            f"The CSV export of the Google Sheet '{key}' failed (HTTP {r.status_code}). Fix: "
            f"check the link, or sign in ({_README})."
        )
    grid = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    tab = _Tab(
        gid if gid is not None else cache.FIRST_TAB, f"gid {gid if gid is not None else 0}", 0
    )
    cache.store_tabs(
        key,
        None,
        None,
        [(tab, grid)],
        dt.datetime.now(dt.UTC),
        default=(tab.gid, None) if gid is None else None,  # the export's own: its first tab
    )
    return _build(key, None, [tab], [grid], None, note=SignIn(None, "public").describe())


# ----------------------------------------------------------------------------- cache


def _from_cache(key: str, sheet: Any, gid: int | None, reason: str | None) -> Any:
    found = cache.load_tabs(key, sheet=sheet, gid=gid, all_tabs=sheet == ALL_TABS)
    if found is None:
        if reason is None:
            raise OutreachDataError(
                f"No copy of the Google Sheet '{key}' is cached, so --offline cannot read it. "
                "Fix: read it once online (without --offline)."
            )
        raise OutreachDataError(f"{reason} No copy of this sheet is cached to fall back on.")
    book, entries, read_at, chosen = found
    age = cache.describe_age(read_at)
    if reason is None:
        note = f"read offline from the copy cached {age}"
    else:
        first = reason.split(". Fix:")[0]
        note = f"{first}; using the copy cached {age}"
    tabs = [_Tab(e.gid, e.title, e.index) for e in entries]
    grids = [e.grid for e in entries]
    which = ALL_TABS if sheet == ALL_TABS else None
    return _build(key, book, tabs, grids, which, note=note, chosen=chosen)
