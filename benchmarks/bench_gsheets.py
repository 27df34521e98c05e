"""Requests and wall time of reading a 12-tab Google Sheet with ``--all-tabs``.

Run as ``.venv/bin/python benchmarks/bench_gsheets.py [--rows 5000] [--tabs 12] [--repeat 3]``
(needs the test extras: it uses the loopback Google of ``tests/``). It serves a generated log
of ``--rows`` rows split over ``--tabs`` monthly tabs from the loopback Google (127.0.0.1,
reached through its HTTPS proxy as a real run would reach Google), then:

1. runs ``outreach-analytics summary SHEET --all-tabs --json`` in a subprocess signed in with a
   throwaway service account, and counts the requests the loopback Google received;
2. runs ``summary`` of the same rows written to one local CSV (the reference, same run);
3. times the read alone in this process (``read_gsheet(..., sheet="*")``, no CLI start-up)
   against ``read_csv`` of that CSV;

and prints the request count, wall times (best of ``--repeat``) and the sheet/CSV ratios,
checking that both summaries count the same actions.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, TESTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--tabs", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from outreach_analytics.sample import generate_log

    fake = _load("fake_sheets_api")
    loopback = _load("loopback_google")
    log = generate_log(args.rows, seed=7)
    text = log.astype("str").where(log.notna(), "")
    text["Date Sent"] = log["Date Sent"].dt.strftime("%Y-%m-%d")
    header = list(text.columns)
    chunks = [text.iloc[i :: args.tabs] for i in range(args.tabs)]
    sheets = {f"Month {i + 1:02d}": [header, *c.to_numpy().tolist()] for i, c in enumerate(chunks)}

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        google = loopback.LoopbackGoogle(folder / "google", fake).start()
        try:
            sa = loopback.make_service_account(
                google.folder, "bench@loopback-test.iam.gserviceaccount.com", google.api
            )
            key = "BENCH-all-tabs"
            google.api.add_spreadsheet(key, "Bench", sheets)
            csv_path = folder / "log.csv"
            text.to_csv(csv_path, index=False)
            env = google.env
            cli = loopback.cli_command()
            as_of = ["--as-of", "2026-11-15", "--json"]

            def run(*a: str) -> dict:
                out = subprocess.run(
                    [*cli, "summary", *a, *as_of], env=env, capture_output=True, text=True
                )
                if out.returncode:
                    raise SystemExit(out.stderr)
                return json.loads(out.stdout)

            counts = []

            def sheet_run() -> dict:
                google.api.clear_requests()
                s = run(f"gsheet:{key}", "--all-tabs", "--credentials", str(sa.path))
                counts.append([(r.method, r.host, r.path) for r in google.api.requests])
                return s

            t_sheet, s_sheet = _best(sheet_run, args.repeat)
            t_csv, s_csv = _best(lambda: run(str(csv_path)), args.repeat)
            assert s_sheet["overall"]["actions"] == s_csv["overall"]["actions"], (s_sheet, s_csv)

            # the read alone, in this process, through the same proxy and CA
            os.environ.update(
                HTTPS_PROXY=google.proxy_url,
                REQUESTS_CA_BUNDLE=str(google.ca),
                XDG_CACHE_HOME=str(folder / "cache"),
            )
            from outreach_analytics.io.delimited import read_csv
            from outreach_analytics.io.gsheets import read_gsheet

            r_sheet, raw = _best(
                lambda: read_gsheet(key, sheet="*", credentials=sa.path), args.repeat
            )
            r_csv, _ = _best(lambda: read_csv(csv_path), args.repeat)
        finally:
            google.stop()

    reqs = counts[-1]
    print(f"sheet: {args.rows} rows in {args.tabs} tabs, read with --all-tabs")
    print(f"requests per read: {len(reqs)}")
    for method, host, path in reqs:
        print(f"  {method} {host}{path}")
    print(f"rows read: {len(raw.frame)}; actions counted: {s_sheet['overall']['actions']}")
    print(f"CLI summary (best of {args.repeat}), wall time incl. start-up:")
    print(f"  sheet {t_sheet:.2f} s, CSV {t_csv:.2f} s, ratio {t_sheet / t_csv:.2f}")
    print(f"read alone (in process, best of {args.repeat}):")
    print(
        f"  sheet {r_sheet * 1000:.0f} ms, CSV {r_csv * 1000:.0f} ms, ratio {r_sheet / r_csv:.1f}"
    )


if __name__ == "__main__":
    main()
