"""Fixtures shared by the report and browser tests."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from outreach_analytics.present import report as R
from outreach_analytics.sample import generate_log, sample_path

AS_OF = "2026-11-15"
SECRET_CLIENTS = ["Zebulon Quartzworks", "O'Brien & Sons <Ltd>", "Ximena Lutefisk"]
SECRET_NOTES = ["budget is 4k, ask Xanthippe", "met Quillon at the meetup"]


def write_secret_log(path: Path) -> Path:
    """A log whose clients and notes must never reach an anonymized report."""
    log = generate_log(150, seed=12, end=AS_OF).astype({"Date Sent": "str"})
    due = pd.DataFrame(
        {
            "Date Sent": ["2026-11-07", "2026-11-08", "2026-11-09"],
            "Platform": ["Email", "LinkedIn", "Email"],
            "Pitch Type": ["Cold pitch", "Cold pitch", "Follow-up"],
            "Client": [SECRET_CLIENTS[0], SECRET_CLIENTS[1], SECRET_CLIENTS[0]],
            "Status": ["Sent", "Sent", "Sent"],
            "Follow-ups": [0, 0, 0],
            "Notes": [SECRET_NOTES[0], SECRET_NOTES[1], SECRET_NOTES[0]],
        }
    )
    # a row the loader skips, its bad date cell holding a client name
    bad = pd.DataFrame(
        {
            "Date Sent": [SECRET_CLIENTS[2]],
            "Platform": ["Email"],
            "Client": [SECRET_CLIENTS[2]],
            "Status": ["Sent"],
        }
    )
    log.loc[log.index[:40], "Client"] = SECRET_CLIENTS[2]
    pd.concat([log, due, bad], ignore_index=True).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def secrets() -> dict[str, list[str]]:
    """The client names and notes written into :func:`secret_log`."""
    return {"clients": list(SECRET_CLIENTS), "notes": list(SECRET_NOTES)}


@pytest.fixture(scope="session")
def secret_log(tmp_path_factory) -> Path:
    """A log whose clients and notes must never reach an anonymized report."""
    return write_secret_log(tmp_path_factory.mktemp("logs") / "secret.csv")


@pytest.fixture(scope="session")
def render_once(tmp_path_factory) -> Callable[..., Path]:
    """``render(source, **options) -> Path``: each report rendered once per session,
    cached by the log's bytes and the options (the report and browser tests share it)."""
    cache = tmp_path_factory.mktemp("reports")

    def render(source: Path | None, **options) -> Path:
        data = source.read_bytes() if source is not None else sample_path().read_bytes()
        key = hashlib.sha1(data + repr(sorted(options.items())).encode()).hexdigest()[:16]
        path = cache / f"{key}.html"
        if not path.exists():
            R.write_report(path, source, **options)
        return path

    return render


# --- the loopback Google (tests/fake_sheets_api.py, tests/loopback_google.py) ---------------
def _load_helper(name: str):
    """Import a helper module next to this file (the tests folder is not a package)."""
    import importlib.util
    import sys

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_load_helper("fake_sheets_api")
_load_helper("processes")
_google = _load_helper("loopback_google")
loopback_google = _google.loopback_google
service_account = _google.service_account
run_cli = _google.run_cli


CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through playwright, one for the whole session (playwright's sync
    API runs one at a time). Never downloaded: the tests fail when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `make chromium` (Debian's chromium "
            "package; the browser tests never download one)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
