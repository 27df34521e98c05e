"""``outreach-analytics lab``: the workspace copier and JupyterLab started for real.

The copies get ``SOURCE`` and ``AS_OF`` in their parameters cell (read back by running the
cell), an edited copy survives unless ``--force``, and a copy runs on the user's log (its
row counts checked against pandas reading the file). JupyterLab itself is started the two
ways the project starts it (``outreach-analytics lab`` and ``python -m outreach_analytics.lab``,
which ``make lab`` runs): it prints its URL, and that URL answers with the notebooks.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from click.testing import CliRunner
from processes import stop

from outreach_analytics.cli import app
from outreach_analytics.lab import ARTICLES, prepare_workspace
from outreach_analytics.present import report as R

AS_OF = "2026-11-15"


def parameters(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    scope: dict = {}
    exec(cell.source, scope)  # the cell is two assignments of literals
    return {k: scope[k] for k in ("SOURCE", "AS_OF")}


def test_copies_get_source_and_as_of(tmp_path, secret_log):
    done = prepare_workspace(secret_log, tmp_path / "ws", as_of=AS_OF)
    assert done["action"].tolist() == ["written"] * len(ARTICLES)
    for name in ARTICLES:
        assert parameters(tmp_path / "ws" / name) == {
            "SOURCE": str(secret_log.resolve()),
            "AS_OF": AS_OF,
        }
    sheet = "https://docs.google.com/spreadsheets/d/KEY/edit#gid=0"
    prepare_workspace(sheet, tmp_path / "sheet")
    assert parameters(tmp_path / "sheet" / ARTICLES[0]) == {"SOURCE": sheet, "AS_OF": None}


def test_edited_copies_are_kept_unless_forced(tmp_path, secret_log):
    ws = tmp_path / "ws"
    prepare_workspace(secret_log, ws, as_of=AS_OF)
    edited = ws / ARTICLES[1]
    nb = nbformat.read(edited, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("my own notes"))
    nbformat.write(nb, edited)
    ran = ws / ARTICLES[2]  # outputs from a run are not an edit
    nb = nbformat.read(ran, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    nbformat.write(nb, ran)

    again = prepare_workspace(secret_log, ws, as_of="2026-11-20")
    actions = dict(zip(again["notebook"].map(lambda p: Path(p).name), again["action"], strict=True))
    assert actions[ARTICLES[1]] == "kept"
    assert actions[ARTICLES[0]] == actions[ARTICLES[2]] == "updated"
    assert "my own notes" in edited.read_text(encoding="utf-8")
    assert parameters(edited)["AS_OF"] == AS_OF
    assert parameters(ws / ARTICLES[0])["AS_OF"] == "2026-11-20"

    forced = prepare_workspace(secret_log, ws, as_of="2026-11-20", force=True)
    assert forced["action"].tolist().count("overwritten") == 1
    assert "my own notes" not in edited.read_text(encoding="utf-8")
    assert parameters(edited)["AS_OF"] == "2026-11-20"


def test_cli_copies_and_says_what_it_kept(tmp_path, secret_log):
    ws = tmp_path / "ws"
    args = ["lab", str(secret_log), "--dir", str(ws), "--as-of", AS_OF, "--copy-only"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in ws.glob("*.ipynb")) == sorted(ARTICLES)
    nb = nbformat.read(ws / ARTICLES[0], as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("mine"))
    nbformat.write(nb, ws / ARTICLES[0])
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0 and "kept:" in res.output and "--force" in res.output


def test_cli_missing_log_exits_2(tmp_path):
    res = CliRunner().invoke(app, ["lab", str(tmp_path / "nope.csv"), "--dir", str(tmp_path)])
    assert res.exit_code == 2 and "error:" in res.output and "Traceback" not in res.output
    assert not list(tmp_path.glob("*.ipynb"))


def test_copied_quickstart_runs_on_the_users_log(tmp_path, secret_log):
    prepare_workspace(secret_log, tmp_path, as_of=AS_OF)
    nb = R._execute({}, notebook=tmp_path / ARTICLES[0])
    shown = "".join(
        o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])
    )
    raw = pd.read_csv(secret_log, dtype=str)
    bad = pd.to_datetime(raw["Date Sent"], errors="coerce", format="ISO8601").isna().sum()
    assert bad == 1  # the row whose date cell holds a client name
    assert f"{len(raw)} rows read, {len(raw) - bad} used, {bad} skipped, 0 blank" in shown
    # the check cells hold the sample's numbers: on the user's log they run and stay silent
    checks = [c for c in nb.cells if "check" in c.metadata.get("tags", [])]
    assert checks and not any(c.outputs for c in checks)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("how", ["cli", "module"])
def test_jupyterlab_starts_and_prints_its_url(tmp_path, secret_log, how):
    port = _free_port()
    ws = tmp_path / "ws"
    if how == "cli":
        exe = Path(sys.executable).parent / "outreach-analytics"
        cmd = [str(exe), "lab", str(secret_log), "--dir", str(ws), "--no-browser"]
        cmd += ["--port", str(port)]
    else:  # what `make lab` runs, on a folder as it is
        prepare_workspace(None, ws)
        cmd = [sys.executable, "-m", "outreach_analytics.lab", str(ws)]
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
        JUPYTER_PORT=str(port),
    )
    proc = subprocess.Popen(
        cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    try:
        url, seen, deadline = None, [], time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            seen.append(line)
            m = re.search(rf"(http://127\.0\.0\.1:{port}/lab\?token=\w+)", line)
            url = m and m.group(1)
        assert url, "".join(seen)[-3000:]
        token = url.split("token=")[1]
        api = f"http://127.0.0.1:{port}/api/contents?token={token}"
        names: set[str] = set()
        while not names and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(api, timeout=30) as r:
                    names = {c["name"] for c in json.load(r)["content"]}
            except OSError as err:
                seen.append(f"{err}\n")
                time.sleep(1)
        assert set(ARTICLES) <= names, "".join(seen)[-3000:]
    finally:
        stop(proc)
        proc.stderr.close()
