"""Helpers for tests that start a server in a subprocess (loaded by conftest)."""

from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Ask ``proc`` to end; kill it if it has not ended after ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_cli(
    commands: dict[str, list[str]], cwd, columns: int = 100
) -> dict[str, subprocess.CompletedProcess]:
    """Each of ``commands`` (a name: the CLI's arguments) run as ``python -m
    outreach_analytics`` in ``cwd``, all at once (each is mostly Python start-up), with the
    terminal ``columns`` wide; their results by name."""
    import os
    import sys

    env = {**os.environ, "COLUMNS": str(columns)}
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "outreach_analytics", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for name, args in commands.items()
    }
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        out[name] = subprocess.CompletedProcess(commands[name], proc.returncode, stdout, stderr)
    return out
