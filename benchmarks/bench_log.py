"""Benchmark ``log_action`` (append one action) against the least an atomic append costs.

Run as ``.venv/bin/python benchmarks/bench_log.py [--rows 10000 100000]``. For each size it
writes a generated CSV log with :func:`outreach_analytics.sample.write_log` into a temporary
folder and times, best of ``--repeat``:

* ``log_action``: one action appended (the log is read, the row checked, the file written
  to a temporary copy, fsynced and renamed);
* the reference: reading the file's bytes, writing them plus one line to a temporary file
  in the same folder, fsync and rename — what any atomic append must do at least.

It prints both times and their ratio. It also times one append and one ``--row`` update
against a Google Sheet of the same size served by the loopback fake of the tests, and
counts the requests each made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import outreach_analytics as oa
from outreach_analytics.sample import write_log

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def _reference(path: Path, line: bytes) -> None:
    data = path.read_bytes()
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data + line)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    day = dt.date(2026, 11, 20)
    print(f"{'rows':>8} {'log_action':>11} {'reference':>10} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.rows:
            path = Path(folder) / f"log_{n}.csv"
            write_log(path, n)
            mine = _best(
                lambda path=path: oa.log_action(path, channel="Upwork", client="Bench", today=day),
                args.repeat,
            )
            ref = _best(
                lambda path=path: _reference(path, b"2026-11-20,Upwork,,Bench\n"), args.repeat
            )
            print(f"{n:>8} {mine * 1000:>9.1f}ms {ref * 1000:>8.1f}ms {mine / ref:>6.1f}")
        _sheet(args.rows[0], day)


def _sheet(n: int, day: dt.date) -> None:
    import csv

    from fake_sheets_api import FakeSheetsAPI

    path = Path(tempfile.mkdtemp()) / "log.csv"
    write_log(path, n)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    with FakeSheetsAPI() as api:
        api.add_spreadsheet("BENCH", "Bench", {"Log": rows})
        client = api.client()
        for what, kwargs in (
            ("append", {"channel": "Upwork", "client": "Bench"}),
            ("--row update", {"row": 2, "status": "replied"}),
        ):
            api.clear_requests()
            t0 = time.perf_counter()
            oa.log_action("gsheet:BENCH", today=day, gspread_client=client, **kwargs)
            took = time.perf_counter() - t0
            print(
                f"Sheet of {n} rows, {what}: {len(api.requests)} requests, "
                f"{took * 1000:.0f}ms against the loopback fake"
            )


if __name__ == "__main__":
    main()
