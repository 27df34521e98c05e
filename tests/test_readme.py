"""Every code block in README.md runs as a reader would run it.

The blocks are read from the README itself, in order:

* ``python`` blocks run one after the other in one namespace, in a folder holding the
  reader's log ``my_log.csv`` (a copy of the bundled sample);
* ``sh``/``bash``/``console`` blocks run in bash (``-euo pipefail``: every command must exit
  0) in one such folder, in README order, with ``outreach-analytics`` and
  ``.venv/bin/outreach-analytics`` being this environment's command line; Google is the
  loopback Google of ``tests/loopback_google.py`` (nothing reaches the network), signed in
  with a service account through ``GOOGLE_APPLICATION_CREDENTIALS``, where the Sheet ``KEY``
  is what the block needs: an empty sheet for ``init-sheet``, a short log otherwise;
* ``toml`` blocks are mapping files: ``oa.read_mapping`` must accept them;
* ``text`` blocks are not code (the JSON layouts).

A block that cannot run in a test says why in the README, on the line right before its
fence: ``<!-- not run: the reason -->``. Such a block is not collected; a test checks that
it only installs (``make``) or starts JupyterLab, which CI's ``make test`` and
``tests/test_lab.py`` cover.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from loopback_google import cli_command

import outreach_analytics as oa

README = Path(__file__).resolve().parents[1] / "README.md"
PYTHON, SHELL, MAPPING, PROSE = ("python", "py"), ("sh", "bash", "console"), ("toml",), ("text",)
NOT_RUN = re.compile(r"^<!-- not run: (?P<reason>.+?) -->$")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")
SHEET_ROWS = [
    ["Date", "Channel", "Pitch type", "Client", "Status", "Notes"],
    ["2024-03-01", "Upwork", "Proposal", "Acme", "Replied", ""],
    ["2024-03-04", "Email", "Cold pitch", "Bolt", "Ghosted", ""],
]


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int  # of the opening fence, 1-based
    not_run: str | None  # the README's reason, when it says the block cannot run here

    @property
    def id(self) -> str:
        return f"line{self.line}-{self.lang or 'plain'}"


def read_blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text, in order."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, fence = i, m["fence"]
        i += 1
        while i < len(lines) and not lines[i].startswith(fence):
            i += 1
        assert i < len(lines), f"README.md line {start + 1}: the block is never closed"
        before = lines[start - 1].strip() if start else ""
        reason = NOT_RUN.match(before)
        body = "\n".join(lines[start + 1 : i]) + "\n"
        blocks.append(Block(m["lang"], body, start + 1, reason["reason"] if reason else None))
        i += 1
    return blocks


BLOCKS = read_blocks(README.read_text(encoding="utf-8"))


def _cases(langs: tuple[str, ...]) -> list:
    cases = []
    for b in BLOCKS:
        if b.lang not in langs:
            continue
        if b.not_run:
            continue
        marks = []
        if re.search(r"outreach-analytics report\b", b.text):
            marks.append(pytest.mark.notebooks)  # renders the report
        cases.append(pytest.param(b, id=b.id, marks=marks))
    return cases


def test_every_block_is_of_a_kind_this_test_knows():
    assert BLOCKS, "no code block found in README.md"
    for b in BLOCKS:
        assert b.lang in PYTHON + SHELL + MAPPING + PROSE, (
            f"README.md line {b.line}: a block tagged {b.lang!r}: tag it with a language "
            "this test runs (python, sh, toml) or `text` for what is not code"
        )
    # a "not run" comment stands right before a fence, with a reason
    lines = README.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines[:-1], start=1):
        if line.strip().startswith("<!-- not run"):
            assert NOT_RUN.match(line.strip()), f"README.md line {n}: `<!-- not run: why -->`"
            assert FENCE.match(lines[n]), f"README.md line {n}: no code block right after it"


def test_blocks_not_run_only_install_or_start_jupyterlab():
    allowed = re.compile(r"(\.venv/bin/)?(make (report|test|lab|check)|outreach-analytics lab)\b")
    not_run = [b for b in BLOCKS if b.not_run]
    assert len(not_run) <= 2, [b.line for b in not_run]
    for b in not_run:
        commands = [c.strip() for c in b.text.splitlines() if c.strip()]
        commands = [c for c in commands if not c.startswith("#")]
        assert commands and all(allowed.match(c) for c in commands), (b.line, commands)


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> Path:
    """The reader's folder: their logs (my_log.csv and my_log.xlsx, the sample) and a
    ``.venv/bin/outreach-analytics`` that is this environment's command line."""
    folder = tmp_path_factory.mktemp("reader")
    shutil.copy(oa.sample_path(), folder / "my_log.csv")
    pd.read_csv(oa.sample_path(), dtype=str).to_excel(folder / "my_log.xlsx", index=False)
    script = folder / ".venv" / "bin" / "outreach-analytics"
    script.parent.mkdir(parents=True)
    script.write_text(f'#!/bin/sh\nexec {shlex.join(cli_command())} "$@"\n')
    script.chmod(0o755)
    return folder


def test_python_blocks_run_in_order(reader, monkeypatch):
    """Every ``python`` block, in one namespace, in README order."""
    monkeypatch.chdir(reader)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    ran = 0
    for b in BLOCKS:
        if b.lang in PYTHON and not b.not_run:
            # padded so that a traceback names the README's own line
            exec(compile("\n" * b.line + b.text, str(README), "exec"), namespace)
            ran += 1
    assert ran


def _commands(block: Block) -> str:
    if block.lang != "console":
        return block.text
    # a console block: the commands are the lines after a `$ ` prompt (and their
    # continuation lines); the other lines are what they print
    out, more = [], False
    for line in block.text.splitlines():
        if line.startswith("$ ") or more:
            out.append(line.removeprefix("$ "))
            more = line.endswith("\\")
    return "\n".join(out) + "\n"


@pytest.mark.slow
@pytest.mark.parametrize("block", _cases(SHELL))
def test_shell_block_runs(block, reader, loopback_google, service_account):
    """The block's commands, each exiting 0, in the reader's folder (see the docstring)."""
    google = loopback_google
    sheet = {"Sheet1": []} if "init-sheet" in block.text else {"Log": SHEET_ROWS}
    google.api.add_spreadsheet("KEY", "Pitches", sheet)
    env = google.env
    env["GOOGLE_APPLICATION_CREDENTIALS"] = str(service_account.path)
    env["PATH"] = f"{reader / '.venv' / 'bin'}:{env['PATH']}"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _commands(block)],
        cwd=reader,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (
        f"README.md line {block.line}: exit code {done.returncode}\n"
        f"{block.text}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    )
    assert "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize("block", _cases(MAPPING))
def test_mapping_block_is_a_mapping_file(block, tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text(block.text, encoding="utf-8")
    assert isinstance(oa.read_mapping(path), oa.LogMapping)
