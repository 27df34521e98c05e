"""Benchmark ``outreach-analytics summary`` against the same counts in DuckDB.

Run by ``make bench`` as ``.venv/bin/python benchmarks/bench_summary.py``. For each size it

1. writes a generated log with :func:`outreach_analytics.sample.write_log` into
   ``benchmarks/.data/`` (git-ignored), or reuses the file written earlier for the same size,
   seed and generator source;
2. runs ``python -m outreach_analytics summary FILE --json --as-of AS_OF`` and a DuckDB query
   computing the same overall counts, each in its own subprocess, and measures the wall time
   and peak resident memory (RSS) of that subprocess, Python start-up included;
3. checks that the CLI's ``"overall"`` counts equal DuckDB's, and prints a table with the
   CLI/DuckDB ratios beside the targets.

Before that it measures what a user feels on every run: the median of 5 interleaved runs of
``python -c "import pandas"`` (the yardstick: this machine is shared and noisy, so every
figure is a ratio to something measured in the same run), ``outreach-analytics --help`` and
``outreach-analytics summary data/sample_outreach.csv``.

Every wall time is the median of its runs, tools interleaved run by run (DuckDB, CLI,
DuckDB, CLI...) so that a burst of load on the machine hits both. The ``floor`` tool (on by
default) only imports pandas and reads the file with pyarrow as the short way does (on a
thread, while pandas loads): what a summary built on pandas pays before it counts anything. ``--tools cli,duckdb,full``
adds the CLI forced onto the full load (``--column date="Date Sent"``: same columns, so the
same numbers) to show what the short way of :mod:`outreach_analytics.analysis.fast_counts`
saves.

Peak memory is read with GNU ``/usr/bin/time -f %M`` when it is there, else from
``os.wait4``, else by polling with psutil. This script never imports pandas and writes the
logs in a subprocess: on Linux a child started from a big parent inherits the parent's peak
RSS in ``ru_maxrss``, so the parent has to stay small.

Examples
--------
.venv/bin/python benchmarks/bench_summary.py                   # 1M (median of 5) and 10M (1 run)
.venv/bin/python benchmarks/bench_summary.py --sizes 1M --repeat 1 --tools duckdb
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "benchmarks" / ".data"
SAMPLE = ROOT / "data" / "sample_outreach.csv"
GENERATOR = ROOT / "outreach_analytics" / "sample.py"
COUNT_KEYS = ("actions", "pending", "settled", "responses", "interviews", "offers", "wins")
PENDING_DAYS = 14
GIB = 2**30

# Targets printed beside the figures.
TARGET_WALL_RATIO_1M = 2.0  # CLI wall <= 2x DuckDB wall at 1M rows
TARGET_WALL_RATIO_10M = 2.5  # CLI wall <= 2.5x DuckDB wall at 10M rows
TARGET_PEAK_10M = 2 * GIB  # CLI peak RSS < 2 GiB at 10M rows
TARGET_HELP_RATIO = 0.5  # outreach-analytics --help <= 0.5x python -c "import pandas"
TARGET_SAMPLE_RATIO = 1.25  # summary of the bundled sample <= 1.25x python -c "import pandas"

# Stage numbers: sent 0 < responded 1 < interview 2 < offer 3 < won 4. A row's stage is the
# furthest of what its status word says and its dates say (a Response Date means at least
# responded, an Interview Date at least interview). Status words not listed are stage 0 and
# closed. A row is pending when it is at stage sent, its status is an open word, and it was
# sent less than 14 days before the as-of date.
DUCKDB_SCRIPT = r"""
import json, sys
import duckdb

path, as_of, pending_days = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = "'" + path.replace("'", "''") + "'"
query = f'''
WITH raw AS (
    SELECT "Date Sent" AS sent,
           lower(trim(coalesce("Status", ''))) AS status,
           "Response Date" AS replied_on,
           "Interview Date" AS interviewed_on
    FROM read_csv({source}, header = true, auto_detect = false, delim = ',', quote = '"',
                  columns = {{'Date Sent': 'DATE', 'Platform': 'VARCHAR',
                              'Pitch Type': 'VARCHAR', 'Client': 'VARCHAR',
                              'Status': 'VARCHAR', 'Response Date': 'DATE',
                              'Interview Date': 'DATE', 'Follow-ups': 'VARCHAR',
                              'Rate': 'VARCHAR', 'Connects': 'VARCHAR', 'Notes': 'VARCHAR'}})
),
staged AS (
    SELECT sent,
           greatest(
               CASE
                   WHEN status IN ('hired', 'won', 'contract signed') THEN 4
                   WHEN status IN ('offer', 'offer declined') THEN 3
                   WHEN status IN ('interview', 'call booked', 'rejected after interview',
                                   'interviewed - no offer') THEN 2
                   WHEN status IN ('replied', 'in talks', 'declined', 'rejected',
                                   'not a fit') THEN 1
                   ELSE 0  -- sent, applied, empty, no reply, ghosted, withdrawn
               END,
               CASE
                   WHEN interviewed_on IS NOT NULL THEN 2
                   WHEN replied_on IS NOT NULL THEN 1
                   ELSE 0
               END
           ) AS stage,
           status IN ('', 'sent', 'applied') AS open_status
    FROM raw
),
counted AS (
    SELECT count(*) AS actions,
           count(*) FILTER (WHERE stage = 0 AND open_status
                            AND sent > DATE '{as_of}' - {pending_days}) AS pending,
           count(*) FILTER (WHERE stage >= 1) AS responses,
           count(*) FILTER (WHERE stage >= 2) AS interviews,
           count(*) FILTER (WHERE stage >= 3) AS offers,
           count(*) FILTER (WHERE stage >= 4) AS wins
    FROM staged
)
SELECT actions, pending, actions - pending AS settled, responses, interviews, offers, wins
FROM counted
'''
connection = duckdb.connect()
connection.execute("SET enable_progress_bar = false")
cursor = connection.execute(query)
names = [column[0] for column in cursor.description]
row = cursor.fetchone()
print(json.dumps({"overall": {k: int(v) for k, v in zip(names, row)},
                  "duckdb": duckdb.__version__}))
"""


# What any summary built on pandas and pyarrow pays before it counts anything: the pandas
# import and the pyarrow read of the columns the short way reads (all but the notes), as
# dictionary-encoded columns. Prints the number of rows.
FLOOR_SCRIPT = r"""
import gc
import os
import sys
import threading

import pyarrow as pa
import pyarrow.csv as pacsv

path = sys.argv[1]
with open(path, encoding="utf-8-sig") as handle:
    header = handle.readline().rstrip("\r\n").split(",")
names = [f"c{i}" for i in range(len(header))]
block = min(16 << 20, max(1 << 20, os.path.getsize(path) // 16))  # as the CLI's blocks
types = {n: pa.dictionary(pa.int32(), pa.string()) for n, h in zip(names, header) if h != "Notes"}
read = {}


def read_file():
    read["table"] = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=block),
        convert_options=pacsv.ConvertOptions(
            column_types=types, include_columns=list(types), strings_can_be_null=True,
            null_values=[""],
        ),
    )


# as the CLI does it: the file is read while pandas loads, on one core until it has
# loaded, the collector paused meanwhile
cores = pa.cpu_count()
pa.set_cpu_count(1)
reader = threading.Thread(target=read_file)
reader.start()
gc.disable()
import pandas  # noqa: E402, F401
gc.freeze()
gc.enable()
pa.set_cpu_count(cores)
reader.join()
print(read["table"].num_rows)
"""


@dataclass
class Run:
    """One measured subprocess."""

    wall: float
    peak_kib: int | None
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Result:
    """Several runs of one tool on one file."""

    size: int
    tool: str
    runs: list[Run] = field(default_factory=list)
    counts: dict[str, int] | None = None
    error: str | None = None

    @property
    def wall(self) -> float | None:
        ok = sorted(run.wall for run in self.runs if run.returncode == 0)
        return statistics.median(ok) if ok else None

    @property
    def peak_kib(self) -> int | None:
        peaks = [run.peak_kib for run in self.runs if run.peak_kib is not None]
        return max(peaks) if peaks else None


# --------------------------------------------------------------------------------------
# Measuring a subprocess.
# --------------------------------------------------------------------------------------


def compile_package() -> None:
    """Byte-compile the package, as ``pip install`` does for a regular install.

    An editable install (``make install``) writes ``__pycache__`` on the first import, unless
    ``PYTHONDONTWRITEBYTECODE`` is set, as it is on some CI machines: then every run would
    compile the package's sources again (about 0.1 s), which no user of an installed
    package pays. ``compileall`` writes the bytecode whatever that variable says.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "outreach_analytics")], check=True
    )


def _gnu_time() -> str | None:
    """Path of GNU time if it is there and understands ``-f %M -o FILE``."""
    candidate = shutil.which("time") if not Path("/usr/bin/time").exists() else "/usr/bin/time"
    if candidate is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as handle:
        out = handle.name
    try:
        done = subprocess.run(
            [candidate, "-f", "%M", "-o", out, sys.executable, "-c", "pass"],
            capture_output=True,
            check=False,
        )
        text = Path(out).read_text().strip().splitlines()
        return candidate if done.returncode == 0 and text and text[-1].isdigit() else None
    except OSError:
        return None
    finally:
        Path(out).unlink(missing_ok=True)


def measure(command: list[str], *, time_tool: str | None) -> Run:
    """Run ``command`` from the repo root; return its wall time and peak RSS."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        if time_tool is not None:
            with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as handle:
                usage_file = handle.name
            try:
                start = time.perf_counter()
                done = subprocess.run(
                    [time_tool, "-f", "%M", "-o", usage_file, *command],
                    stdout=out,
                    stderr=err,
                    cwd=ROOT,
                    env=env,
                    check=False,
                )
                wall = time.perf_counter() - start
                lines = Path(usage_file).read_text().strip().splitlines()
                peak = int(lines[-1]) if lines and lines[-1].isdigit() else None
            finally:
                Path(usage_file).unlink(missing_ok=True)
            returncode = done.returncode
        elif hasattr(os, "wait4"):
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            process.returncode = returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in KiB on Linux, in bytes on macOS
            peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        else:
            wall, peak, returncode = _measure_polling(command, out, err, env)
        out.seek(0)
        err.seek(0)
        return Run(wall, peak, returncode, out.read().decode(), err.read().decode())


def _measure_polling(command, out, err, env) -> tuple[float, int | None, int]:
    try:
        import psutil
    except ImportError:
        psutil = None
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
    peak = 0
    watched = psutil.Process(process.pid) if psutil is not None else None
    while process.poll() is None:
        if watched is not None:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, watched.memory_info().rss // 1024)
        time.sleep(0.01)
    wall = time.perf_counter() - start
    return wall, (peak or None), process.returncode


# --------------------------------------------------------------------------------------
# The logs.
# --------------------------------------------------------------------------------------


def _generator_digest() -> str:
    return hashlib.sha256(GENERATOR.read_bytes()).hexdigest()


def ensure_log(n_rows: int, seed: int, data_dir: Path) -> Path:
    """Write the generated log of ``n_rows`` rows, unless it is already there."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"outreach_{n_rows}_seed{seed}.csv"
    stamp_path = path.with_suffix(".json")
    stamp = {"n_rows": n_rows, "seed": seed, "generator_sha256": _generator_digest()}
    if path.is_file() and stamp_path.is_file():
        try:
            if json.loads(stamp_path.read_text()) == stamp:
                print(f"  reusing {path.relative_to(ROOT)}")
                return path
        except json.JSONDecodeError:
            pass
    partial = path.with_suffix(".csv.partial")
    code = (
        "import sys; from outreach_analytics.sample import write_log; "
        "write_log(sys.argv[1], int(sys.argv[2]), seed=int(sys.argv[3]))"
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, str(partial), str(n_rows), str(seed)], check=True, cwd=ROOT
    )
    os.replace(partial, path)
    stamp_path.write_text(json.dumps(stamp, indent=2) + "\n")
    size_mib = path.stat().st_size / 2**20
    print(
        f"  wrote {path.relative_to(ROOT)} ({n_rows:,} rows, {size_mib:,.0f} MiB) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return path


# --------------------------------------------------------------------------------------
# The tools.
# --------------------------------------------------------------------------------------


def cli_command(path: Path, as_of: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "outreach_analytics",
        "summary",
        str(path),
        "--json",
        "--as-of",
        as_of,
    ]


def duckdb_command(path: Path, as_of: str) -> list[str]:
    return [sys.executable, "-c", DUCKDB_SCRIPT, str(path), as_of, str(PENDING_DAYS)]


def floor_command(path: Path, as_of: str) -> list[str]:
    """Import pandas while pyarrow reads the file, no more (``as_of`` is not used)."""
    return [sys.executable, "-c", FLOOR_SCRIPT, str(path)]


def full_command(path: Path, as_of: str) -> list[str]:
    """The CLI made to load the log the full way (a --column sends it there)."""
    return [*cli_command(path, as_of), "--column", "date=Date Sent"]


def _record(result: Result, run: Run) -> None:
    """Add one run to ``result``, checking that it ran and that its counts did not change."""
    result.runs.append(run)
    if result.error:
        return
    if run.returncode != 0:
        tail = "\n".join(run.stderr.strip().splitlines()[-8:])
        result.error = f"exit code {run.returncode}:\n{tail}"
        return
    if result.tool == "floor":  # counts nothing
        return
    try:
        overall = json.loads(run.stdout)["overall"]
        counts = {key: int(overall[key]) for key in COUNT_KEYS}
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        result.error = f"could not read the counts ({error!r}) from: {run.stdout[:300]!r}"
        return
    if result.counts is not None and counts != result.counts:
        result.error = f"counts changed between runs: {result.counts} then {counts}"
        return
    result.counts = counts


def run_tools(
    size: int, commands: dict[str, list[str]], repeat: int, time_tool: str | None
) -> dict[str, Result]:
    """``repeat`` runs of every tool, interleaved: tool A, tool B, tool A, tool B..."""
    results = {tool: Result(size=size, tool=tool) for tool in commands}
    for _ in range(repeat):
        for tool, command in commands.items():
            if not results[tool].error:
                _record(results[tool], measure(command, time_tool=time_tool))
    return results


def run_tool(
    tool: str, size: int, command: list[str], repeat: int, time_tool: str | None
) -> Result:
    return run_tools(size, {tool: command}, repeat, time_tool)[tool]


def console_script() -> list[str]:
    """``outreach-analytics`` as installed beside this Python, else ``python -m``."""
    script = Path(sys.executable).with_name("outreach-analytics")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "outreach_analytics"]


def measure_startup(as_of: str, repeat: int, time_tool: str | None) -> dict[str, list[float]]:
    """Wall times of import pandas, --help and summary of the sample, interleaved."""
    cli = console_script()
    commands = {
        "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
        "outreach-analytics --help": [*cli, "--help"],
        "outreach-analytics summary SAMPLE": [*cli, "summary", str(SAMPLE), "--as-of", as_of],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            run = measure(command, time_tool=time_tool)
            if run.returncode != 0:
                raise SystemExit(f"{name} failed:\n{run.stderr[-2000:]}")
            walls[name].append(run.wall)
    return walls


def print_startup(walls: dict[str, list[float]]) -> list[str]:
    """Print the start-up medians and their ratios to import pandas; return targets missed."""
    names = list(walls)
    medians = {name: statistics.median(w) for name, w in walls.items()}
    yardstick = medians[names[0]]
    targets = {names[1]: TARGET_HELP_RATIO, names[2]: TARGET_SAMPLE_RATIO}
    print(f"{'command':<36}  {'median s':>8}  {'× pandas':>8}  target")
    missed = []
    for name in names:
        ratio = medians[name] / yardstick
        target = targets.get(name)
        verdict = ""
        if target is not None:
            verdict = f"<= {target:g}x  {_verdict(ratio <= target)}"
            missed += [] if ratio <= target else [name]
        print(f"{name:<36}  {medians[name]:8.2f}  {ratio:7.2f}×  {verdict}")
    runs = len(next(iter(walls.values())))
    print(f"(median of {runs} interleaved runs; × = ratio to python -c 'import pandas')\n")
    return missed


# --------------------------------------------------------------------------------------
# Report.
# --------------------------------------------------------------------------------------


def _size_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def _ratio(value: float | None, tool: str) -> str:
    if tool == "duckdb":
        return ""
    return "n/a" if value is None else f"{value:.2f}×"


def _mib(kib: int | None) -> float | None:
    return None if kib is None else kib / 1024


def print_table(results: list[Result]) -> None:
    header = (
        f"{'size':>6}  {'tool':<7}  {'runs':>4}  {'wall s':>8}  {'peak MiB':>9}  "
        f"{'wall ×':>7}  {'peak ×':>7}  counts"
    )
    print(header)
    print("-" * len(header))
    by_key = {(r.size, r.tool): r for r in results}
    for result in results:
        ratio_wall = ratio_peak = None
        duck = by_key.get((result.size, "duckdb"))
        if result.tool != "duckdb" and duck is not None:
            if result.wall and duck.wall:
                ratio_wall = result.wall / duck.wall
            if result.peak_kib and duck.peak_kib:
                ratio_peak = result.peak_kib / duck.peak_kib
        if result.error:
            counts = "FAILED"
        elif result.tool == "floor":
            counts = "-"
        elif result.tool != "duckdb" and duck is not None and duck.counts is not None:
            counts = "match" if result.counts == duck.counts else "MISMATCH"
        else:
            counts = "ok"
        print(
            f"{_size_label(result.size):>6}  {result.tool:<7}  {len(result.runs):>4}  "
            f"{_fmt(result.wall, '8.2f')}  {_fmt(_mib(result.peak_kib), '9.0f')}  "
            f"{_ratio(ratio_wall, result.tool):>7}  {_ratio(ratio_peak, result.tool):>7}  {counts}"
        )
    print("(wall: median of the runs; peak: highest peak RSS of the runs; × = CLI / DuckDB)")


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("ok" if ok else "MISSED")


def print_targets(results: list[Result]) -> list[str]:
    """Print each target beside its figure; return the targets missed."""
    by_key = {(r.size, r.tool): r for r in results}
    missed: list[str] = []
    print("\nTargets")
    for size, target in ((1_000_000, TARGET_WALL_RATIO_1M), (10_000_000, TARGET_WALL_RATIO_10M)):
        cli, duck = by_key.get((size, "cli")), by_key.get((size, "duckdb"))
        if cli and duck and cli.wall and duck.wall:
            ratio = cli.wall / duck.wall
            ok = ratio <= target
            label = _size_label(size)
            print(f"  {label}: CLI wall <= {target:g}x DuckDB: {ratio:.2f}x  {_verdict(ok)}")
            missed += [] if ok else [f"{label} wall ratio"]
        floor = by_key.get((size, "floor"))
        if floor and floor.wall and duck and duck.wall:
            print(
                f"  {_size_label(size)}: (floor: import pandas + pyarrow read, before any "
                f"counting: {floor.wall / duck.wall:.2f}x DuckDB)"
            )
    cli = by_key.get((10_000_000, "cli"))
    if cli and cli.peak_kib:
        peak = cli.peak_kib * 1024
        ok = peak < TARGET_PEAK_10M
        limit = TARGET_PEAK_10M / GIB
        print(f"  10M: CLI peak < {limit:g} GiB: {peak / GIB:.2f} GiB  {_verdict(ok)}")
        missed += [] if ok else ["10M peak"]
    return missed


def _parse_size(text: str) -> int:
    text = text.strip().replace("_", "").replace(",", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if factor > 1 else text
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 1M or 250k)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"a size must be positive: {text!r}")
    return value


def _versions() -> str:
    code = (
        "import importlib.metadata as m\n"
        "out = []\n"
        "for name in ('outreach-analytics', 'pandas', 'pyarrow', 'numpy', 'duckdb'):\n"
        "    try: out.append(f'{name} {m.version(name)}')\n"
        "    except m.PackageNotFoundError: out.append(f'{name} missing')\n"
        "print(', '.join(out))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1M,10M",
        help="comma-separated row counts, e.g. 1M,10M or 250k (default: 1M,10M)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per tool and size, median kept (default: 5 up to 2M rows, else 1)",
    )
    parser.add_argument(
        "--sample-repeat", type=int, default=5, help="runs of import pandas, --help and the sample"
    )
    parser.add_argument("--seed", type=int, default=2026, help="generator seed (default 2026)")
    parser.add_argument(
        "--as-of", default="2026-11-15", type=lambda s: date.fromisoformat(s).isoformat()
    )
    parser.add_argument(
        "--tools",
        default="cli,duckdb,floor",
        help="which of cli,duckdb,floor,full to run on the big logs (default: cli,duckdb,floor;"
        " floor: import pandas and the pyarrow read alone, what a pandas-based summary pays"
        " before counting)",
    )
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--no-sample", action="store_true", help="skip import pandas, --help and the sample"
    )
    parser.add_argument("--json-out", type=Path, help="also write the results as JSON here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed, too")
    args = parser.parse_args(argv)
    sizes = [_parse_size(s) for s in args.sizes.split(",") if s.strip()]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - {"cli", "duckdb", "floor", "full"})
    if unknown:
        parser.error(f"unknown tool(s) {unknown}; expected some of cli,duckdb,floor,full")

    compile_package()
    time_tool = _gnu_time()
    memory_by = time_tool or ("os.wait4" if hasattr(os, "wait4") else "psutil polling")
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(_versions())
    print(f"peak RSS measured with {memory_by}; as-of {args.as_of}; seed {args.seed}\n")

    missed: list[str] = []
    startup = None
    if not args.no_sample:
        startup = measure_startup(args.as_of, args.sample_repeat, time_tool)
        missed += print_startup(startup)

    results: list[Result] = []
    for size in sizes:
        print(f"{_size_label(size)} rows")
        path = ensure_log(size, args.seed, args.data_dir)
        repeat = args.repeat or (5 if size <= 2_000_000 else 1)
        makers = {
            "duckdb": duckdb_command,
            "cli": cli_command,
            "floor": floor_command,
            "full": full_command,
        }
        order = ("duckdb", "cli", "floor", "full")
        commands = {t: makers[t](path, args.as_of) for t in order if t in tools}
        for tool, result in run_tools(size, commands, repeat, time_tool).items():
            results.append(result)
            print(f"  {tool}: {_fmt(result.wall, '.2f')} s, {result.counts or result.error}")

    print()
    print_table(results)
    missed += print_targets(results)

    failures = [f"{_size_label(r.size)} {r.tool}: {r.error}" for r in results if r.error]
    by_key = {(r.size, r.tool): r for r in results}
    for size, tool in ((size, tool) for size in sizes for tool in ("cli", "full")):
        cli, duck = by_key.get((size, tool)), by_key.get((size, "duckdb"))
        if cli and duck and cli.counts and duck.counts and cli.counts != duck.counts:
            diff = {
                k: (cli.counts[k], duck.counts[k])
                for k in COUNT_KEYS
                if cli.counts[k] != duck.counts[k]
            }
            failures.append(
                f"{_size_label(size)}: {tool} and DuckDB counts differ ({tool}, duckdb): {diff}"
            )

    if args.json_out:
        payload = {
            "as_of": args.as_of,
            "seed": args.seed,
            "memory_by": memory_by,
            "results": [
                {
                    "size": r.size,
                    "tool": r.tool,
                    "walls": [run.wall for run in r.runs],
                    "peak_kib": r.peak_kib,
                    "counts": r.counts,
                    "error": r.error,
                }
                for r in results
            ],
            "startup": startup,
            "missed": missed,
            "failures": failures,
        }
        args.json_out.write_text(json.dumps(payload, indent=2) + "\n")

    if failures:
        print("\nFAILED")
        for failure in failures:
            print(f"  {failure}")
        return 1
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
