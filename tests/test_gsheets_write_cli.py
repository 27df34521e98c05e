"""Writing to a Google Sheet with the real CLI in a subprocess, against the loopback Google.

The round trip of issue 8 (``init-sheet``, three ``log`` calls, a ``--row`` update, then
``summary``), the sheet options of every command that takes a SOURCE, and the retries and
messages of ``log`` when Google fails. The subprocess reaches Google only through the
HTTPS proxy of ``tests/loopback_google.py``; nothing is patched. Expected counts are
counted by hand from what the test writes.
"""

from __future__ import annotations

import json
import re
import sys

import pytest

pytestmark = pytest.mark.slow  # the CLI against a loopback Google, ~20 s in all

READONLY = "https://www.googleapis.com/auth/spreadsheets.readonly"
SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
NOTE = '=HYPERLINK("http://x","y")'
KEY = "1LoopBack-writeKEY_0123456789abcdefghijk"
URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
HEADER = ["Date", "Channel", "Pitch type", "Client", "Status", "Notes"]
ROWS = [
    HEADER,
    ["2026-03-02", "Upwork", "Proposal", "Acme", "Replied", ""],
    ["2026-03-05", "Email", "Cold pitch", "Bolt", "Ghosted", ""],
]


def _fault(**kw):
    return sys.modules["fake_sheets_api"].Fault(**kw)


def assert_user_error(out, *fragments):
    """Exit code 2, a message holding every fragment, no traceback."""
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    text = " ".join(out.stderr.split())
    for f in fragments:
        assert f in text, text


def assert_no_token_in_urls(google):
    tokens = list(google.api._tokens)
    assert tokens  # a sign-in happened
    for r in google.api.requests:
        assert "ya29" not in r.url and "access_token" not in r.url and "assertion" not in r.url
        for t in tokens:
            assert t not in r.url


def writes(google):
    return [
        r
        for r in google.api.requests
        if r.method in ("POST", "PUT") and r.host != "oauth2.googleapis.com"
    ]


# --------------------------------------------------------------------------- the round trip


def test_round_trip_init_sheet_log_update_summary(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    creds = ["--credentials", str(sa.path)]

    out = run_cli("init-sheet", "--title", "Pitches 2026", *creds)
    assert out.returncode == 0, out.stderr
    url = out.stdout.strip()
    m = re.fullmatch(r"https://docs\.google\.com/spreadsheets/d/([\w-]+)/edit#gid=(\d+)", url)
    assert m, url
    key = m.group(1)
    assert [(r.method, r.path) for r in writes(google)] == [
        ("POST", "/v4/spreadsheets"),
        ("PUT", f"/v4/spreadsheets/{key}/values/'Log'!A1"),
        ("POST", f"/v4/spreadsheets/{key}:batchUpdate"),
    ]

    actions = [
        ["--channel", "Upwork", "--type", "Proposal", "--client", "Acme", "--date", "2026-03-02"],
        [
            "--channel",
            "LinkedIn",
            "--type",
            "Cold pitch",
            "--client",
            "Beta",
            "--status",
            "rejected",
            "--date",
            "2026-03-03",
        ],  # fmt: skip
        [
            "--channel",
            "Upwork",
            "--type",
            "Proposal",
            "--client",
            "Gamma",
            "--note",
            NOTE,
            "--date",
            "2026-03-04",
        ],  # fmt: skip
    ]
    for i, args in enumerate(actions, start=2):
        out = run_cli("log", url, *args, *creds)
        assert out.returncode == 0, out.stderr
        assert f"logged as row {i}" in out.stdout, out.stdout
    out = run_cli("log", url, "--row", "2", "--status", "replied", *creds)
    assert out.returncode == 0, out.stderr
    assert "updated row 2" in out.stdout and "Status: Replied" in out.stdout

    # every write of cells was RAW: the appends in the query, the update in the body
    appends = [r for r in writes(google) if r.path.endswith(":append")]
    assert len(appends) == 3
    assert all(r.query["valueInputOption"] == ["RAW"] for r in appends)
    assert appends[2].body["values"][0][-1] == NOTE
    updates = [r for r in writes(google) if r.path.endswith("values:batchUpdate")]
    assert len(updates) == 1 and updates[0].body["valueInputOption"] == "RAW"
    # the fake stores what it was sent: the note is the exact text, not a formula
    stored = google.api._books[key].sheets[0].rows
    assert stored[3][7] == NOTE and type(stored[3][7]) is str
    assert [r[3] for r in stored[1:]] == ["Acme", "Beta", "Gamma"]
    assert [r[4] for r in stored[1:]] == ["Replied", "Rejected", ""]

    out = run_cli("summary", url, "--json", "--as-of", "2026-06-01", *creds)
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    # by hand: Acme replied (updated), Beta rejected: 2 responses; Gamma never answered and
    # its 14 days are long past; no interview, offer or win; Upwork 2, LinkedIn 1
    o = s["overall"]
    assert (s["rows_read"], s["rows_used"]) == (3, 3)
    assert (o["actions"], o["settled"], o["responses"], o["interviews"], o["wins"]) == (
        3,
        3,
        2,
        0,
        0,
    )
    assert {c["channel"]: c["actions"] for c in s["by_channel"]} == {"Upwork": 2, "LinkedIn": 1}
    assert {c["pitch_type"]: c["responses"] for c in s["by_pitch_type"]} == {
        "Proposal": 1,
        "Cold pitch": 1,
    }
    # the note reads back as the text written (the values are asked for formatted)
    reads = [r for r in google.api.requests if r.path.endswith("values:batchGet")]
    assert reads[-1].query["valueRenderOption"] == ["FORMATTED_VALUE"]

    # write scopes for init-sheet and the four logs (one token each), read-only for summary
    assert google.api.granted_scopes() == [[SHEETS_SCOPE]] * 5 + [[READONLY]]
    assert_no_token_in_urls(google)
    assert "PRIVATE KEY" not in out.stdout + out.stderr


def test_log_to_a_worksheet_by_name(loopback_google, service_account, run_cli):
    """`log --worksheet NAME` writes that tab only, the note as the exact text."""
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", {"Other": [["x"]], "Log": [r[:] for r in ROWS]})
    out = run_cli(
        "log", f"gsheet:{KEY}", "--worksheet", "Log", "--client", "Cobalt", "--channel",
        "Email", "--note", NOTE, "--date", "2026-03-09", "--credentials", str(sa.path),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "logged as row 4" in out.stdout
    rows = google.api._books[KEY].sheets[1].rows
    assert rows[3][:2] == ["2026-03-09", "Email"] and rows[3][3] == "Cobalt"
    assert rows[3][5] == NOTE and type(rows[3][5]) is str
    assert google.api._books[KEY].sheets[0].rows == [["x"]]


def test_log_writes_to_the_tab_reading_chooses(loopback_google, service_account, run_cli):
    """No worksheet named: `log` appends to the Log that `summary` reads, not to the
    dashboard in front of it, nor to a hidden backup of the Log."""
    google, sa = loopback_google, service_account
    dashboard = [["Outreach dashboard"], ["Pitches sent", 2], ["Replies", 1]]
    backup = [r[:] for r in ROWS] + [["2026-02-27", "Email", "Cold pitch", "Old", "Sent", ""]]
    google.api.add_spreadsheet(
        KEY,
        "Pitches",
        {"Dashboard": dashboard, "Backup": backup, "Log": [r[:] for r in ROWS]},
        hidden={"Backup"},
    )
    creds = ["--credentials", str(sa.path)]
    out = run_cli(
        "log", URL, "--client", "Cobalt", "--channel", "Email", "--date", "2026-03-09", *creds
    )
    assert out.returncode == 0, out.stderr
    assert "logged as row 4" in out.stdout and "[Log]" in out.stdout, out.stdout
    books = google.api._books[KEY].sheets
    assert [r[3] for r in books[2].rows[1:]] == ["Acme", "Bolt", "Cobalt"]
    assert books[0].rows == dashboard and books[1].rows == backup
    (append,) = [r for r in writes(google) if r.path.endswith(":append")]
    assert append.path.startswith(f"/v4/spreadsheets/{KEY}/values/'Log'!")
    heads = [r for r in google.api.requests if r.path.endswith("values:batchGet")]
    assert [r.query["ranges"] for r in heads] == [
        ["'Dashboard'!1:50", "'Backup'!1:50", "'Log'!1:50"]
    ]

    out = run_cli("summary", URL, "--json", "--as-of", "2026-06-01", *creds)
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert (s["rows_read"], s["rows_used"]) == (3, 3)  # Acme, Bolt and the Cobalt just logged
    assert any(n.startswith("read sheet 'Log'") for n in s["notes"])


# --------------------------------------------------------------------------- sheet options


def test_inspect_reads_a_sheet_url_with_the_sheet_options(
    loopback_google, service_account, run_cli
):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(
        KEY, "Pitches", {"Feb": [r[:] for r in ROWS], "March": [r[:] for r in ROWS[:2]]}
    )
    out = run_cli("inspect", URL, "--worksheet", "March", "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    assert "Client" in out.stdout and "Pitch type" in out.stdout
    batch = [r for r in google.api.requests if r.path.endswith("values:batchGet")]
    assert len(batch) == 1 and batch[0].query["ranges"] == ["'March'"]
    assert google.api.granted_scopes() == [[READONLY]]

    google.api.clear_requests()
    online = run_cli("inspect", URL, "--all-tabs", "--credentials", str(sa.path))
    assert online.returncode == 0, online.stderr
    batch = [r for r in google.api.requests if r.path.endswith("values:batchGet")]
    assert len(batch) == 1 and batch[0].query["ranges"] == ["'Feb'", "'March'"]

    google.api.clear_requests()
    offline = run_cli("inspect", URL, "--all-tabs", "--offline")
    assert offline.returncode == 0, offline.stderr
    assert google.api.requests == []

    # Feb's 2 rows and March's 1, online and from the cache
    first = online.stdout.splitlines()[0]
    assert f"Google Sheet {KEY} [2 tabs]: 3 rows" in first
    assert offline.stdout.splitlines()[0] == first
    assert "read offline from the copy cached" in " ".join(offline.stdout.split())


@pytest.mark.parametrize("command", ["inspect", "log", "report", "summary"])
def test_every_source_command_has_the_shared_sheet_options(command, run_cli):
    out = run_cli(command, "--help", env={"COLUMNS": "300"})
    assert out.returncode == 0, out.stderr
    for option in ("--worksheet", "--sheet", "--credentials", "--retry-seconds"):
        assert option in out.stdout, (command, option)
    reads = command != "log"  # a write reads the sheet live and one worksheet only
    assert ("--all-tabs" in out.stdout) is reads
    assert ("--offline" in out.stdout) is reads


# --------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    "path",
    [r"^/v4/spreadsheets/[^/]+$", r"/values/"],
    ids=["metadata", "values"],
)
def test_log_retries_a_503_on_the_reads(loopback_google, service_account, run_cli, path):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", {"Log": [r[:] for r in ROWS]})
    google.api.inject(_fault(status=503, host="sheets.googleapis.com", path=path, times=1))
    out = run_cli(
        "log", URL, "--client", "Dune", "--date", "2026-03-10", "--credentials", str(sa.path)
    )
    assert out.returncode == 0, out.stderr
    assert "logged as row 4" in out.stdout
    hits = [r for r in google.api.requests if r.method == "GET" and re.search(path, r.path)]
    # one metadata call, two values calls (formatted, unformatted); the 503 adds its retry
    assert len(hits) == (2 if path.startswith("^") else 3)
    assert hits[0].query == hits[1].query  # the retry asks the same again
    assert len(google.api._books[KEY].sheets[0].rows) == 4
    assert len([r for r in writes(google) if r.path.endswith(":append")]) == 1


def test_log_persistent_503_on_the_reads_writes_nothing(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", {"Log": [r[:] for r in ROWS]})
    google.api.inject(_fault(status=503, host="sheets.googleapis.com", method="GET", times=None))
    out = run_cli(
        "log", URL, "--client", "Dune", "--credentials", str(sa.path), "--retry-seconds", "2"
    )
    assert_user_error(out, "HTTP 503", "nothing was written", "--retry-seconds")
    gets = [r for r in google.api.requests if r.host == "sheets.googleapis.com"]
    assert len(gets) >= 2 and all(r.method == "GET" for r in gets)  # retried, never written
    assert google.api._books[KEY].sheets[0].rows == ROWS


def test_log_persistent_503_on_the_append_is_not_repeated(
    loopback_google, service_account, run_cli
):
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", {"Log": [r[:] for r in ROWS]})
    google.api.inject(_fault(status=503, host="sheets.googleapis.com", method="POST", times=None))
    out = run_cli("log", URL, "--client", "Dune", "--credentials", str(sa.path))
    assert_user_error(out, "HTTP 503", "may not have been written", "look at the end of the sheet")
    # an append that may have reached the sheet is never sent twice
    assert len([r for r in writes(google) if r.path.endswith(":append")]) == 1
    assert "Traceback" not in out.stderr


def test_log_row_update_retries_a_503(loopback_google, service_account, run_cli):
    """Updating cells is idempotent: a 503 on values:batchUpdate is retried."""
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", {"Log": [r[:] for r in ROWS]})
    google.api.inject(_fault(status=503, host="sheets.googleapis.com", method="POST", times=1))
    out = run_cli("log", URL, "--row", "3", "--status", "replied", "--credentials", str(sa.path))
    assert out.returncode == 0, out.stderr
    assert len([r for r in writes(google) if r.path.endswith("values:batchUpdate")]) == 2
    assert google.api._books[KEY].sheets[0].rows[2][4] == "Replied"


def test_log_429_on_the_append_is_retried(loopback_google, service_account, run_cli):
    """A 429 comes before Google writes anything: the append is sent again, written once."""
    google, sa = loopback_google, service_account
    google.api.add_spreadsheet(KEY, "Pitches", {"Log": [r[:] for r in ROWS]})
    google.api.inject(_fault(status=429, host="sheets.googleapis.com", method="POST", times=1))
    out = run_cli(
        "log", URL, "--client", "Dune", "--date", "2026-03-10", "--credentials", str(sa.path)
    )
    assert out.returncode == 0, out.stderr
    assert len([r for r in writes(google) if r.path.endswith(":append")]) == 2
    assert [r[3] for r in google.api._books[KEY].sheets[0].rows[1:]] == ["Acme", "Bolt", "Dune"]


def test_all_tabs_problem_names_the_tab(loopback_google, service_account, run_cli):
    google, sa = loopback_google, service_account
    march = [r[:] for r in ROWS]
    march[2] = ["someday", "Email", "Cold pitch", "Bolt", "Ghosted", ""]  # row 3 of March
    google.api.add_spreadsheet(KEY, "Pitches", {"Feb": [r[:] for r in ROWS], "March": march})
    out = run_cli("summary", URL, "--all-tabs", "--credentials", str(sa.path))
    assert_user_error(out, "row 3 of tab 'March' ('someday')")
    assert re.search(r"3 of 'March'\W+Date\W+someday", out.stderr), out.stderr
    out = run_cli(
        "summary", URL, "--all-tabs", "--skip-invalid", "--json", "--as-of", "2026-06-01",
        "--credentials", str(sa.path),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert (s["rows_read"], s["rows_used"]) == (4, 3)  # Feb's 2, March's 2 less the bad one
