"""Benchmark ``outreach-analytics report`` on the bundled sample.

Run as ``.venv/bin/python benchmarks/bench_report.py``. It renders the sample's report with
``outreach-analytics report`` in a fresh subprocess each time (Python start-up,
loading the log, starting the kernel, executing the notebook and exporting the HTML all
included), as a user runs it, and prints the median wall time of ``--repeat`` runs (default 3)
and its ratio to the 10 s target, and the size of the file against its 5.5 MB target. As a
reference measured in the same run it times ``summary --json`` of the sample the same way
(start-up and one read of the log), and prints the ratio, and the CPU seconds each took (the
command and its kernel; less sensitive than wall time to a busy machine). With ``--check`` it
exits with status 1 when a target is missed.

Examples
--------
.venv/bin/python benchmarks/bench_report.py
.venv/bin/python benchmarks/bench_report.py --repeat 1 --check
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_summary import console_script  # the outreach-analytics script a user runs

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-15"  # the sample's last day: the same report on any day
TARGET_SECONDS = 10.0
TARGET_MB = 5.5


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run_once(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (the command and its kernel) of one run in a fresh interpreter."""
    cmd = [*console_script(), *args, "--as-of", AS_OF]
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{args[0]} failed with exit code {proc.returncode}")
    return elapsed, _cpu() - cpu


def render_once(out: Path) -> float:
    """Wall time of one ``report`` run in a fresh interpreter."""
    return run_once(["report", "-o", str(out)])[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is kept")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        runs_ = [run_once(["report", "-o", str(out)]) for _ in range(max(1, args.repeat))]
        refs = [
            run_once(["summary", str(ROOT / "data" / "sample_outreach.csv"), "--json"])
            for _ in range(max(1, args.repeat))
        ]
        times = [w for w, _ in runs_]
        size_mb = out.stat().st_size / 1e6
        figures = out.read_text(encoding="utf-8").count('class="plotly-graph-div"')

    median = statistics.median(times)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    runs = ", ".join(f"{t:.2f}" for t in times)
    ok_time, ok_size = median < TARGET_SECONDS, size_mb < TARGET_MB
    print(f"report of the sample ({figures} charts), {os.cpu_count()} CPUs, load {load:.1f}")
    print(
        f"  wall time  median {median:5.2f} s  (runs: {runs})  target < {TARGET_SECONDS:g} s: "
        f"{median / TARGET_SECONDS:.2f}x of it  {'ok' if ok_time else 'MISSED'}"
    )
    print(
        f"  file size  {size_mb:10.2f} MB                    target < {TARGET_MB:g} MB "
        f"{'ok' if ok_size else 'MISSED'}"
    )
    ref = statistics.median(w for w, _ in refs)
    print(
        f"  reference  summary --json median {ref:.2f} s: report / reference = "
        f"{median / ref:.1f}x; CPU s (median) report "
        f"{statistics.median(c for _, c in runs_):.2f}, "
        f"reference {statistics.median(c for _, c in refs):.2f}"
    )
    return 1 if args.check and not (ok_time and ok_size) else 0


if __name__ == "__main__":
    raise SystemExit(main())
