"""The real ``outreach-analytics`` CLI, in a subprocess, against a loopback Google.

The subprocess reaches Google's host names through ``HTTPS_PROXY`` (a proxy on 127.0.0.1
that terminates TLS with a CA made by the test, named by ``REQUESTS_CA_BUNDLE``); nothing in
gspread, google-auth or requests is patched. Each test asserts on the requests the loopback
Google received, on the output and on the exit code. Expected counts are those of the rows
served below, counted by hand.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time

import pytest

pytestmark = pytest.mark.slow  # the CLI against a loopback Google, ~30 s in all

KEY = "1LoopBack-sheetKEY_0123456789abcdefghijkl"
URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
GID_MARCH = 987654
HEADER = ["Date Sent", "Platform", "Client", "Status"]
FEB = [
    HEADER,
    ["2026-02-03", "Upwork", "Acme", "Replied"],
    ["2026-02-05", "Email", "Bolt", "Ghosted"],
]
MARCH = [
    ["March pitches"],  # a title row: the header is on row 2
    HEADER,
    ["2026-03-02", "Upwork", "Cobalt", "Hired"],
    [],  # a blank row 4
    ["2026-03-09", "LinkedIn", "Dune", "Rejected"],
    ["2026-03-10", "Email", "Echo", "Interview"],
]
SHEETS = {"Feb": FEB, "March": MARCH}
IDS = [0, GID_MARCH]
READONLY = "https://www.googleapis.com/auth/spreadsheets.readonly"
AS_OF = ["--as-of", "2026-04-30"]


def summary(run_cli, source, *args, env=None):
    out = run_cli("summary", source, "--json", *AS_OF, *args, env=env)
    return out, (json.loads(out.stdout) if out.returncode == 0 else None)


def assert_user_error(out, *fragments):
    """Exit code 2, a one-paragraph message holding every fragment, no traceback."""
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    text = " ".join(out.stderr.split())
    for f in fragments:
        assert f in text, text


def assert_no_secret(google, sa, out):
    """No token, key or assertion in any URL, in the output, or in the cache."""
    tokens = [t for t in google.api._tokens]
    for r in google.api.requests:
        assert "ya29" not in r.url and "access_token" not in r.url and "assertion" not in r.url
    texts = [out.stdout, out.stderr] + [
        p.read_bytes().decode("latin-1") for p in google.cache_files()
    ]
    for text in texts:
        for t in tokens:
            assert t not in text
        assert "PRIVATE KEY" not in text
        if sa is not None:
            assert sa.private_key_pem.splitlines()[1] not in text


def sheet_requests(google):
    return [r for r in google.api.requests if r.host == "sheets.googleapis.com"]


# --------------------------------------------------------------------------- share link


def test_public_sheet_without_credentials(loopback_google, run_cli):
    google = loopback_google
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS, public=True)
    out, s = summary(run_cli, f"{URL}#gid={GID_MARCH}")
    assert out.returncode == 0, out.stderr
    assert s["rows_used"] == 3 and s["rows_blank"] == 1
    assert s["overall"]["wins"] == 1 and s["overall"]["interviews"] >= 1
    assert any("without signing in" in n for n in s["notes"])
    hosts = [(r.method, r.host) for r in google.api.requests]
    assert hosts == [("GET", "docs.google.com"), ("GET", "doc-0s-8c-sheets.googleusercontent.com")]
    assert google.api.requests[0].query == {"format": ["csv"], "gid": [str(GID_MARCH)]}
    assert not any("authorization" in {k.lower() for k in r.headers} for r in google.api.requests)
    assert set(google.connects) <= {
        "docs.google.com:443",
        "doc-0s-8c-sheets.googleusercontent.com:443",
    }


def test_public_sheet_row_numbers_are_the_sheets(loopback_google, run_cli):
    google = loopback_google
    bad = [r[:] for r in MARCH]
    bad[4] = ["someday", "LinkedIn", "Dune", "Rejected"]  # row 5 of the sheet
    google.api.add_spreadsheet(
        KEY, "Pitches", {"Feb": FEB, "March": bad}, sheet_ids=IDS, public=True
    )
    out = run_cli("summary", f"{URL}#gid={GID_MARCH}", *AS_OF)
    assert_user_error(out, "someday")
    assert re.search(r"\b5\b\W+Date Sent\W+someday", out.stderr), out.stderr


def test_private_sheet_without_credentials_says_how_to_share(loopback_google, run_cli):
    google = loopback_google
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS, public=False)
    out, _ = summary(run_cli, URL)
    assert_user_error(out, "not shared as 'anyone with the link'", "sign in (see")
    assert [r.host for r in google.api.requests] == ["docs.google.com", "accounts.google.com"]


def test_public_export_404(loopback_google, run_cli):
    out, _ = summary(run_cli, "gsheet:NOPE")
    assert_user_error(out, "no spreadsheet with key 'NOPE'")


# --------------------------------------------------------------------------- service account


def test_service_account_reads_with_readonly_scope(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS, shared_with={sa.email})
    out, s = summary(run_cli, f"{URL}#gid={GID_MARCH}", "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    assert s["rows_used"] == 3
    assert f"read with the service account {sa.email}" in " ".join(s["notes"])
    reqs = google.api.requests
    assert [(r.method, r.host, r.path) for r in reqs] == [
        ("POST", "oauth2.googleapis.com", "/token"),
        ("GET", "sheets.googleapis.com", f"/v4/spreadsheets/{KEY}"),
        ("GET", "sheets.googleapis.com", f"/v4/spreadsheets/{KEY}/values:batchGet"),
    ]
    assert reqs[2].query["ranges"] == ["'March'"]
    assert reqs[2].query["valueRenderOption"] == ["FORMATTED_VALUE"]
    assert google.api.granted_scopes() == [[READONLY]]
    assert all(
        {k.lower(): v for k, v in r.headers.items()}["authorization"].startswith("Bearer ya29.")
        for r in sheet_requests(google)
    )
    assert_no_secret(google, sa, out)


def test_all_tabs_one_values_call(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    sheets = {
        **SHEETS,
        "Empty": [],
        "Ideas": [["Idea", "Why"], ["podcast", "reach"]],
        "April": [
            HEADER[::-1],
            ["Ghosted", "Fox", "Email", "2026-04-01"],
        ],  # same columns, reordered
    }
    google.api.add_spreadsheet(KEY, "Pitches", sheets, shared_with={sa.email})
    env = {"GOOGLE_APPLICATION_CREDENTIALS": str(sa.path)}
    out, s = summary(run_cli, f"gsheet:{KEY}", "--all-tabs", env=env)
    assert out.returncode == 0, out.stderr
    assert s["rows_used"] == 2 + 3 + 1
    notes = " ".join(s["notes"])
    assert "skipped as empty: 'Empty'" in notes
    assert "skipped as unlike the others (other columns): 'Ideas'" in notes
    batch = [r for r in sheet_requests(google) if r.path.endswith("values:batchGet")]
    assert len(batch) == 1
    assert batch[0].query["ranges"] == ["'Feb'", "'March'", "'Empty'", "'Ideas'", "'April'"]
    assert len(sheet_requests(google)) == 2  # the metadata, then the one batchGet


def test_worksheet_by_name(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS)
    out, s = summary(run_cli, f"gsheet:{KEY}", "--worksheet", "Feb", "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    assert s["rows_used"] == 2
    assert sheet_requests(google)[-1].query["ranges"] == ["'Feb'"]


def test_403_names_the_service_account(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, shared_with={"someone@else.example"})
    out, _ = summary(run_cli, URL, "--credentials", str(sa.path))
    assert_user_error(
        out,
        f"the sheet is not shared with {sa.email} — share it with that address (Viewer is enough)",
        "403",
    )
    assert_no_secret(google, sa, out)


def test_404_no_spreadsheet(loopback_google, service_account, run_cli):
    out, _ = summary(run_cli, "gsheet:MISSING", "--credentials", str(service_account.path))
    assert_user_error(out, "no spreadsheet with key 'MISSING'", "404")


DASHBOARD = [["Outreach dashboard"], ["Pitches sent", 5], ["Replies", 3], ["Won", 1]]


def test_inspect_and_summary_name_the_tab_chosen(loopback_google, service_account, run_cli):
    """No tab named: the Log is read, not the dashboard in front of it, and both commands
    say so; online, then offline from the copy that read cached."""
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", {"Dashboard": DASHBOARD, "Log": MARCH})
    out = run_cli("inspect", URL, "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    # by hand: March's rows 3 to 6, one of them blank: 3 used
    text = " ".join(out.stdout.split())
    assert text.startswith(f"Google Sheet {KEY} [Log]: 4 rows read, 3 used"), text
    assert (
        "read sheet 'Log' (its header has 4 recognised columns); other sheets: 'Dashboard'. "
        "Use --sheet to read another." in text
    )
    batch = [r.query["ranges"] for r in sheet_requests(google) if r.path.endswith("batchGet")]
    assert batch == [["'Dashboard'!1:50", "'Log'!1:50"], ["'Log'"]]

    out, s = summary(run_cli, URL, "--offline")
    assert out.returncode == 0, out.stderr
    assert s["rows_used"] == 3 and s["overall"]["wins"] == 1
    assert any(n.startswith("read sheet 'Log'") for n in s["notes"])
    assert any("read offline from the copy cached" in n for n in s["notes"])
    out = run_cli("summary", URL, "--offline", *AS_OF)
    assert out.returncode == 0, out.stderr
    assert "read sheet 'Log'" in " ".join(out.stdout.split())


@pytest.mark.parametrize(
    ("source", "args", "fragment"),
    [
        (f"{URL}#gid=555", [], "no tab with gid=555"),
        (URL, ["--worksheet", "May"], "no tab named 'May'"),
    ],
    ids=["gid", "worksheet"],
)
def test_unknown_tab_lists_the_tabs(
    loopback_google, service_account, run_cli, source, args, fragment
):
    loopback_google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS)
    out, _ = summary(run_cli, source, *args, "--credentials", str(service_account.path))
    assert_user_error(out, fragment, "Tabs: ['Feb', 'March']")


def test_credentials_file_missing_is_shown_from_home(loopback_google, run_cli):
    path = loopback_google.home / "keys" / "sa.json"
    out, _ = summary(run_cli, URL, "--credentials", str(path))
    assert_user_error(out, "No credentials file at ~/keys/sa.json")
    assert str(loopback_google.home) not in out.stderr


# --------------------------------------------------------------------------- OAuth user


def test_oauth_user_token(loopback_google, run_cli):
    google = loopback_google
    token = google.home / ".config" / "gspread" / "authorized_user.json"
    token.parent.mkdir(parents=True)
    token.write_text(
        json.dumps(
            {
                "refresh_token": "1//loopback-refresh",
                "client_id": "cid.apps.googleusercontent.com",
                "client_secret": "loopback-secret",
                "token_uri": "https://oauth2.googleapis.com/token",
                "account": "me@example.com",
            }
        )
    )
    google.api.add_oauth_user("1//loopback-refresh", "me@example.com", [READONLY])
    google.api.add_spreadsheet(
        KEY, "Pitches", SHEETS, sheet_ids=IDS, shared_with={"me@example.com"}
    )
    out, s = summary(run_cli, URL)
    assert out.returncode == 0, out.stderr
    assert "read with your Google account me@example.com" in " ".join(s["notes"])
    google.api.add_spreadsheet("OTHER", "Not mine", SHEETS, shared_with={"boss@example.com"})
    out, _ = summary(run_cli, "gsheet:OTHER")
    assert_user_error(out, "not shared with me@example.com")
    assert "loopback-secret" not in out.stderr + out.stdout


def test_auth_without_client_file(loopback_google, run_cli):
    out = run_cli("auth")
    assert_user_error(out, "No OAuth client file at ~/.config/gspread/credentials.json")


# The user's browser for `outreach-analytics auth` (named by BROWSER, which Python's
# webbrowser honours): it notes the sign-in URL, then does what Google's consent page does
# once the user agrees, sending a one-time code to the app's redirect on localhost. It
# answers webbrowser at once and sends the code from a child process, as webbrowser waits
# for the browser command while the app's local server only listens after that.
FAKE_BROWSER = """#!{python}
import os, sys, time, urllib.parse, urllib.request

url = sys.argv[1]
with open(os.environ["FAKE_BROWSER_LOG"], "a") as log:
    log.write(url + "\\n")
if os.fork():
    sys.exit(0)
os.setsid()
query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
answer = {{"state": query["state"][0], "code": os.environ["FAKE_BROWSER_CODE"],
          "scope": query["scope"][0]}}
back = query["redirect_uri"][0] + "?" + urllib.parse.urlencode(answer)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({{}}))  # localhost: direct
for _ in range(200):
    try:
        opener.open(back, timeout=30).read()
        break
    except OSError:
        time.sleep(0.1)
"""


@pytest.mark.parametrize(
    ("args", "scope"),
    [((), READONLY), (("--write",), "https://www.googleapis.com/auth/spreadsheets")],
)
def test_auth_signs_in_through_the_browser_and_its_token_reads_a_sheet(
    loopback_google, run_cli, tmp_path, args, scope
):
    """`auth` with an OAuth client file: the browser is sent to Google's consent page for
    the Sheets scope asked, the code that comes back is exchanged at Google's token
    endpoint, the refresh token is stored where gspread keeps it (owner-only), and the next
    `summary` reads a sheet shared with that account."""
    import sys
    from urllib.parse import parse_qs, urlparse

    google = loopback_google
    config = google.home / ".config" / "gspread"
    config.mkdir(parents=True)
    client = {
        "client_id": "cid.apps.googleusercontent.com",
        "client_secret": "loopback-secret",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "redirect_uris": ["http://localhost"],
    }
    (config / "credentials.json").write_text(json.dumps({"installed": client}))
    browser, log = tmp_path / "browser", tmp_path / "browser.log"
    browser.write_text(FAKE_BROWSER.format(python=sys.executable))
    browser.chmod(0o755)
    google.api.add_oauth_code("4/loopback-code", "me@example.com", [scope], "1//loopback-refresh")
    env = {
        "BROWSER": str(browser),
        "FAKE_BROWSER_LOG": str(log),
        "FAKE_BROWSER_CODE": "4/loopback-code",
    }
    out = run_cli("auth", *args, env=env)
    assert out.returncode == 0, out.stderr
    assert "signed in; the token is stored in ~/.config/gspread/authorized_user.json" in out.stdout
    (url,) = log.read_text().split()
    sent_to = urlparse(url)
    query = parse_qs(sent_to.query)
    assert (sent_to.scheme, sent_to.netloc) == ("https", "accounts.google.com")
    assert query["scope"] == [scope]
    assert query["client_id"] == [client["client_id"]]
    assert query["response_type"] == ["code"]
    assert urlparse(query["redirect_uri"][0]).hostname == "localhost"
    exchanged = [r for r in google.api.requests if r.path == "/token"]
    assert [r.host for r in exchanged] == ["oauth2.googleapis.com"]
    token = config / "authorized_user.json"
    saved = json.loads(token.read_text())
    assert saved["refresh_token"] == "1//loopback-refresh"
    assert saved["client_id"] == client["client_id"]
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert "loopback-secret" not in out.stdout + out.stderr
    # the stored sign-in reads a sheet shared with the account
    google.api.add_spreadsheet(
        KEY, "Pitches", SHEETS, sheet_ids=IDS, shared_with={"me@example.com"}
    )
    out, s = summary(run_cli, URL)
    assert out.returncode == 0, out.stderr  # the loopback Google let me@example.com read it
    # (Google's token answer names no e-mail, so the note names the token file)
    note = "read with your Google account (token in ~/.config/gspread/authorized_user.json)"
    assert note in s["notes"]


# --------------------------------------------------------------------------- faults and retries


def _fault(**kw):
    import sys

    return sys.modules["fake_sheets_api"].Fault(**kw)


@pytest.mark.parametrize(
    ("status", "host", "path"),
    [
        (429, "sheets.googleapis.com", "values:batchGet"),
        (500, "sheets.googleapis.com", "values:batchGet"),
        (503, "sheets.googleapis.com", r"^/v4/spreadsheets/[^/]+$"),
        (500, "oauth2.googleapis.com", "/token"),
    ],
    ids=["429-values", "500-values", "503-metadata", "500-token"],
)
def test_transient_error_then_200_is_retried(
    loopback_google, service_account, run_cli, status, host, path
):
    google = loopback_google
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS)
    google.api.inject(_fault(status=status, host=host, path=path, times=1))
    out, s = summary(run_cli, URL, "--credentials", str(service_account.path))
    assert out.returncode == 0, out.stderr
    assert s["rows_used"] == 3  # no tab named: March, the longer log (3 rows to Feb's 2)
    hits = [r for r in google.api.requests if r.host == host and re.search(path, r.path)]
    if path == "values:batchGet":  # the first rows of each tab, failed then retried; March
        heads = ["'Feb'!1:50", "'March'!1:50"]
        assert [r.query["ranges"] for r in hits] == [heads, heads, ["'March'"]]
    else:
        assert len(hits) == 2  # the failed call, then its retry


@pytest.mark.parametrize("status", [429, 500, 503], ids=str)
def test_public_export_retried(loopback_google, run_cli, status):
    google = loopback_google
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS, public=True)
    google.api.inject(_fault(status=status, host="docs.google.com", times=1))
    out, s = summary(run_cli, URL)
    assert out.returncode == 0, out.stderr
    assert [r.host for r in google.api.requests].count("docs.google.com") == 2


def test_slow_answer_times_out_and_is_retried(loopback_google, service_account, run_cli):
    google = loopback_google
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS)
    # retry budget 3 s in the subprocess: each request times out after 1.5 s
    google.api.inject(_fault(delay=2.5, host="sheets.googleapis.com", path="batchGet", times=1))
    out, s = summary(run_cli, URL, "--credentials", str(service_account.path))
    assert out.returncode == 0, out.stderr
    assert s["rows_used"] == 3  # March, chosen from the first rows of each tab
    # the first batchGet (the first rows of each tab) timed out and was retried, then March
    assert len([r for r in sheet_requests(google) if r.path.endswith("batchGet")]) == 3


def test_persistent_503_without_cache_fails_in_bounded_time(
    loopback_google, service_account, run_cli
):
    google = loopback_google
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS)
    google.api.inject(_fault(status=503, host="sheets.googleapis.com", times=None))
    start = time.monotonic()
    out, _ = summary(
        run_cli, URL, "--credentials", str(service_account.path), "--retry-seconds", "2"
    )
    took = time.monotonic() - start
    assert_user_error(out, "HTTP 503", "No copy of this sheet is cached")
    assert len(sheet_requests(google)) >= 2  # retried
    assert took < 2 + 15  # the budget, plus the CLI's own start-up


def test_outage_falls_back_to_the_cache(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS)
    out, first = summary(run_cli, f"{URL}#gid={GID_MARCH}", "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    files = google.cache_files()
    assert len(files) == 1 and files[0].name == f"{GID_MARCH}.parquet"
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert_no_secret(google, sa, out)

    google.api.inject(_fault(status=503, host="sheets.googleapis.com", times=None))
    out = run_cli("summary", f"{URL}#gid={GID_MARCH}", *AS_OF, "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    lines = [ln for ln in out.stdout.splitlines() if "using the copy cached" in ln]
    assert len(lines) == 1 and "HTTP 503" in lines[0] and "ago (read " in lines[0]
    out, again = summary(run_cli, f"{URL}#gid={GID_MARCH}", "--credentials", str(sa.path))
    assert again["overall"] == first["overall"]


def test_offline_reads_only_the_cache(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS, public=True)
    out, _ = summary(run_cli, URL, "--offline")
    assert_user_error(out, "No copy of the Google Sheet", "--offline")
    assert google.api.requests == []
    out, online = summary(run_cli, URL, "--all-tabs", "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    google.api.clear_requests()
    out, offline = summary(run_cli, URL, "--all-tabs", "--offline")
    assert out.returncode == 0, out.stderr
    assert google.api.requests == [] and google.connects.count("sheets.googleapis.com:443") == 1
    assert offline["overall"] == online["overall"] and offline["rows_used"] == 5
    assert any("read offline from the copy cached" in n for n in offline["notes"])


def test_public_sheet_needs_a_sign_in_for_all_tabs(loopback_google, run_cli):
    loopback_google.api.add_spreadsheet(KEY, "Pitches", SHEETS, sheet_ids=IDS, public=True)
    out, _ = summary(run_cli, URL, "--all-tabs")
    assert_user_error(out, "Without a sign-in a tab can only be picked by its link", "#gid=")
    assert loopback_google.api.requests == []
