"""Benchmark ``outreach-analytics summary`` against the same counts in DuckDB.

Run by ``make bench`` as ``.venv/bin/python benchmarks/bench_summary.py``. For each log it

1. writes a generated log with :func:`outreach_analytics.sample.write_log` into
   ``benchmarks/.data/`` (git-ignored), or reuses the file written earlier for the same size,
   seed and generator source. Two shapes: ``standard`` is the generated log itself (11
   columns, ISO dates; sizes from ``--sizes``), ``mdy6`` is derived from the standard log of
   the same size and seed (sizes from ``--mdy-sizes``) and keeps six columns: the date sent
   written M/D/YYYY without leading zeros (``11/3/2025``), the platform, the pitch type, the
   client, the status and the notes (no response or interview dates, no numbers);
2. runs ``python -m outreach_analytics summary FILE --json --as-of AS_OF`` and a DuckDB query
   computing the same overall counts, each in its own subprocess, and measures the wall time
   and peak resident memory (RSS) of that subprocess, Python start-up included;
3. checks that the CLI's ``"overall"`` counts equal DuckDB's, and prints a table with every
   tool's ratio to DuckDB beside the targets.

Before that it measures what a user feels on every run: the median of 5 interleaved runs of
``python -c "import pandas"`` (the yardstick: this machine is shared and noisy, so every
figure is a ratio to something measured in the same run), ``outreach-analytics --help`` and
``outreach-analytics summary data/sample_outreach.csv``.

Every wall time is the median of its runs, tools interleaved run by run (DuckDB, CLI,
DuckDB, CLI...) so that a burst of load on the machine hits them all. The tools:

``cli``
    this checkout's ``summary`` (run from the checkout, so its package is the one imported).
``duckdb``
    the reference: the same overall counts by a DuckDB query on the same file.
``floor`` (on by default)
    what a summary built on pandas pays before it counts anything: ``import pandas``, then
    the pyarrow read of the file's columns as dictionary-encoded text in the blocks the CLI's
    reader uses, one after the other (the CLI no longer reads while pandas loads).
``base`` (with ``--base DIR``)
    the same ``summary`` command with another checkout's package, e.g. one made with
    ``git worktree add DIR <ref>``: the command runs with ``PYTHONPATH`` and the working
    directory set to a copy of ``DIR/outreach_analytics`` in the data directory,
    byte-compiled there as this checkout's package is (see :func:`compile_package`), so that
    ``DIR`` is never written to. A one-off run checks that the child imports that copy, and
    the copy is made again whenever ``DIR``'s package changes. Its counts must equal
    DuckDB's too, and the CLI's ratio to DuckDB is divided by base's.

Peak memory is read with GNU ``/usr/bin/time -f %M`` when it is there, else from
``os.wait4``, else by polling with psutil. This script never imports pandas and writes (and
derives) the logs in a subprocess: on Linux a child started from a big parent inherits the
parent's peak RSS in ``ru_maxrss``, so the parent has to stay small.

Examples
--------
.venv/bin/python benchmarks/bench_summary.py          # standard 1M (5 runs) and 10M (1), mdy6 1M
.venv/bin/python benchmarks/bench_summary.py --sizes 1M --mdy-sizes none --tools duckdb
git worktree add ../base HEAD~1 && .venv/bin/python benchmarks/bench_summary.py --base ../base
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
PACKAGE = "outreach_analytics"
COUNT_KEYS = ("actions", "pending", "settled", "responses", "interviews", "offers", "wins")
PENDING_DAYS = 14
GIB = 2**30
SHAPES = ("standard", "mdy6")
TOOLS = ("duckdb", "cli", "base", "floor")  # also the order runs are interleaved in

# Targets printed beside the figures (issue 17).
TARGET_BASE_RATIO = 1.15  # 1M standard log: CLI/DuckDB <= 1.15x base's CLI/DuckDB
TARGET_MDY6_RATIO = 3.0  # mdy6 log: CLI wall <= 3x DuckDB wall
TARGET_PEAK_10M = 2 * GIB  # standard 10M rows: CLI peak RSS < 2 GiB
TARGET_HELP_RATIO = 0.5  # outreach-analytics --help <= 0.5x python -c "import pandas"
TARGET_SAMPLE_RATIO = 1.4  # summary of the bundled sample <= 1.4x python -c "import pandas"

# Stage numbers: sent 0 < responded 1 < interview 2 < offer 3 < won 4. A row's stage is the
# furthest of what its status word says and, in the standard log, what its dates say (a
# Response Date means at least responded, an Interview Date at least interview); the mdy6
# log has no such dates, so its stage is the status word's alone. Status words not listed
# are stage 0 and closed. A row is pending when it is at stage sent, its status is an open
# word, and it was sent less than 14 days before the as-of date.
DUCKDB_SCRIPT = r"""
import json, sys
import duckdb

path, as_of, pending_days, shape = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
source = "'" + path.replace("'", "''") + "'"
if shape == "standard":
    raw = f'''
    SELECT "Date Sent" AS sent,
           lower(trim(coalesce("Status", ''))) AS status,
           CASE
               WHEN "Interview Date" IS NOT NULL THEN 2
               WHEN "Response Date" IS NOT NULL THEN 1
               ELSE 0
           END AS dated_stage
    FROM read_csv({source}, header = true, auto_detect = false, delim = ',', quote = '"',
                  columns = {{'Date Sent': 'DATE', 'Platform': 'VARCHAR',
                              'Pitch Type': 'VARCHAR', 'Client': 'VARCHAR',
                              'Status': 'VARCHAR', 'Response Date': 'DATE',
                              'Interview Date': 'DATE', 'Follow-ups': 'VARCHAR',
                              'Rate': 'VARCHAR', 'Connects': 'VARCHAR', 'Notes': 'VARCHAR'}})
    '''
elif shape == "mdy6":
    raw = f'''
    SELECT CAST(strptime("Date Sent", '%m/%d/%Y') AS DATE) AS sent,
           lower(trim(coalesce("Status", ''))) AS status,
           0 AS dated_stage
    FROM read_csv({source}, header = true, auto_detect = false, delim = ',', quote = '"',
                  columns = {{'Date Sent': 'VARCHAR', 'Platform': 'VARCHAR',
                              'Pitch Type': 'VARCHAR', 'Client': 'VARCHAR',
                              'Status': 'VARCHAR', 'Notes': 'VARCHAR'}})
    '''
else:
    raise SystemExit(f"unknown shape {shape!r}")
query = f'''
WITH raw AS ({raw}),
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
               dated_stage
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
# import, then the pyarrow read of every column of the file (the CLI reads them all) as
# dictionary-encoded text, in the blocks the CLI's reader parses (a sixteenth of the file,
# 1 to 16 MiB). One after the other, as the CLI does them now: nothing is read while pandas
# loads. The generated logs are ASCII, where the CLI's reader skips pyarrow's UTF-8 check,
# so the floor skips it too. Prints the number of rows.
FLOOR_SCRIPT = r"""
import os
import sys

import pandas  # noqa: F401
import pyarrow as pa
import pyarrow.csv as pacsv

path = sys.argv[1]
with open(path, encoding="utf-8-sig") as handle:
    header = handle.readline().rstrip("\r\n").split(",")
names = [f"c{i}" for i in range(len(header))]
block = min(16 << 20, max(1 << 20, os.path.getsize(path) // 16))
table = pacsv.read_csv(
    path,
    read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=block),
    convert_options=pacsv.ConvertOptions(
        column_types={n: pa.dictionary(pa.int32(), pa.string()) for n in names},
        strings_can_be_null=True, null_values=[""], check_utf8=False,
    ),
)
print(table.num_rows)
"""

# The mdy6 log from the standard one (pyarrow alone, in a subprocess): six columns, the
# date sent written M/D/YYYY without leading zeros. Empty cells stay empty.
MDY6_COLUMNS = ("Date Sent", "Platform", "Pitch Type", "Client", "Status", "Notes")
MDY6_SCRIPT = r"""
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

source, columns, target = sys.argv[1], sys.argv[2].split("|"), sys.argv[3]
table = pacsv.read_csv(
    source,
    convert_options=pacsv.ConvertOptions(
        include_columns=columns, column_types={c: pa.string() for c in columns},
        strings_can_be_null=True, null_values=[""],
    ),
)
sent = pc.cast(pc.strptime(table["Date Sent"], format="%Y-%m-%d", unit="s"), pa.date32())
parts = [pc.cast(f(sent), pa.string()) for f in (pc.month, pc.day, pc.year)]
table = table.set_column(0, "Date Sent", pc.binary_join_element_wise(*parts, "/"))
options = pacsv.WriteOptions(include_header=False, quoting_style="none")
with open(target, "wb") as handle:
    handle.write((",".join(columns) + "\n").encode("utf-8"))
    pacsv.write_csv(table, handle, write_options=options)
"""

# Printed by a child started as a tool's runs are: where its package comes from.
WHERE_SCRIPT = "import outreach_analytics; print(outreach_analytics.__file__)"


@dataclass
class Command:
    """A tool's command line, the directory it runs in and what it adds to the environment."""

    argv: list[str]
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)


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
    """Several runs of one tool on one log."""

    shape: str
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


def compile_package(package: Path = ROOT / PACKAGE) -> None:
    """Byte-compile a package's sources, as ``pip install`` does for a regular install.

    An editable install (``make install``) writes ``__pycache__`` on the first import, unless
    ``PYTHONDONTWRITEBYTECODE`` is set, as it is on some CI machines: then every run would
    compile the package's sources again (about 0.1 s), which no user of an installed
    package pays. ``compileall`` writes the bytecode whatever that variable says.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


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


def measure(command: Command, *, time_tool: str | None) -> Run:
    """Run ``command``; return its wall time and peak RSS."""
    env = {**os.environ, "PYTHONHASHSEED": "0", **command.env}
    argv, cwd = command.argv, command.cwd
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        if time_tool is not None:
            with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as handle:
                usage_file = handle.name
            try:
                start = time.perf_counter()
                done = subprocess.run(
                    [time_tool, "-f", "%M", "-o", usage_file, *argv],
                    stdout=out,
                    stderr=err,
                    cwd=cwd,
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
            process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            process.returncode = returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in KiB on Linux, in bytes on macOS
            peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        else:
            wall, peak, returncode = _measure_polling(argv, out, err, cwd, env)
        out.seek(0)
        err.seek(0)
        return Run(wall, peak, returncode, out.read().decode(), err.read().decode())


def _measure_polling(argv, out, err, cwd, env) -> tuple[float, int | None, int]:
    try:
        import psutil
    except ImportError:
        psutil = None
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=env)
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


def _digest(*parts: bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "little") + part)
    return sha.hexdigest()


def _shown(path: Path) -> str:
    """``path`` relative to the repo root when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _cached(path: Path, stamp: dict) -> bool:
    """Whether ``path`` is there with the stamp it was written with."""
    stamp_path = path.with_suffix(".json")
    if not (path.is_file() and stamp_path.is_file()):
        return False
    try:
        return json.loads(stamp_path.read_text()) == stamp
    except json.JSONDecodeError:
        return False


def _write_cached(path: Path, stamp: dict, argv: list[str], what: str) -> None:
    """Run ``argv`` (its last argument: the file to write) and keep its output as ``path``."""
    partial = Path(argv[-1])
    start = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT)
    os.replace(partial, path)
    path.with_suffix(".json").write_text(json.dumps(stamp, indent=2) + "\n")
    size_mib = path.stat().st_size / 2**20
    print(
        f"  wrote {_shown(path)} ({what}, {size_mib:,.0f} MiB) "
        f"in {time.perf_counter() - start:.1f} s"
    )


def ensure_log(n_rows: int, seed: int, data_dir: Path) -> Path:
    """The standard generated log of ``n_rows`` rows, written unless it is already there."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"outreach_{n_rows}_seed{seed}.csv"
    stamp = {
        "n_rows": n_rows,
        "seed": seed,
        "generator_sha256": hashlib.sha256(GENERATOR.read_bytes()).hexdigest(),
    }
    if _cached(path, stamp):
        print(f"  reusing {_shown(path)}")
        return path
    code = (
        "import sys; from outreach_analytics.sample import write_log; "
        "write_log(sys.argv[3], int(sys.argv[1]), seed=int(sys.argv[2]))"
    )
    partial = path.with_suffix(".csv.partial")
    argv = [sys.executable, "-c", code, str(n_rows), str(seed), str(partial)]
    _write_cached(path, stamp, argv, f"{n_rows:,} rows")
    return path


def ensure_mdy6(n_rows: int, seed: int, data_dir: Path) -> Path:
    """The mdy6 log derived from the standard log of the same size and seed."""
    standard = ensure_log(n_rows, seed, data_dir)
    path = data_dir / f"outreach_{n_rows}_seed{seed}_mdy6.csv"
    stamp = {
        **json.loads(standard.with_suffix(".json").read_text()),
        "shape": "mdy6",
        "derive_sha256": _digest(MDY6_SCRIPT.encode(), "|".join(MDY6_COLUMNS).encode()),
    }
    if _cached(path, stamp):
        print(f"  reusing {_shown(path)}")
        return path
    partial = path.with_suffix(".csv.partial")
    argv = [sys.executable, "-c", MDY6_SCRIPT, str(standard), "|".join(MDY6_COLUMNS), str(partial)]
    _write_cached(path, stamp, argv, f"{n_rows:,} rows, M/D/YYYY dates, 6 columns")
    return path


# --------------------------------------------------------------------------------------
# The base checkout.
# --------------------------------------------------------------------------------------


@dataclass
class Base:
    """Another checkout's package, copied and byte-compiled for the ``base`` tool."""

    checkout: Path
    package_sha256: str
    copy: Path  # holds the copy of the package: the base tool's PYTHONPATH and directory
    imported_from: str = ""


def _package_sha256(package: Path) -> str:
    """Digest of a package's files (their paths and bytes), bytecode left out."""
    parts: list[bytes] = []
    for file in sorted(package.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc":
            parts += [file.relative_to(package).as_posix().encode(), file.read_bytes()]
    return _digest(*parts)


def prepare_base(checkout: Path, data_dir: Path) -> Base:
    """Copy ``checkout``'s package into ``data_dir`` (once per version) and compile it.

    The copy, not the checkout, is imported, so that its bytecode can be written without
    touching the checkout; it is made again whenever the checkout's package changes.
    """
    package = checkout / PACKAGE
    if not (package / "__init__.py").is_file():
        raise SystemExit(f"--base {checkout}: no {PACKAGE}/__init__.py there")
    sha = _package_sha256(package)
    copy = data_dir / "base" / sha[:16]
    if not (copy / PACKAGE).is_dir() or _package_sha256(copy / PACKAGE) != sha:
        shutil.rmtree(copy, ignore_errors=True)
        partial = copy.with_name(copy.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(package, partial / PACKAGE, ignore=ignore)
        os.replace(partial, copy)
    compile_package(copy / PACKAGE)
    return Base(checkout, sha, copy)


def base_command(base: Base, path: Path, as_of: str) -> Command:
    """The CLI's command, importing the base's package (first on sys.path, from both)."""
    return Command(cli_command(path, as_of).argv, cwd=base.copy, env={"PYTHONPATH": str(base.copy)})


def imported_package(command: Command, expected: Path) -> str:
    """The ``__init__.py`` a child started as ``command`` imports; exits unless in ``expected``."""
    check = Command([sys.executable, "-c", WHERE_SCRIPT], cwd=command.cwd, env=command.env)
    run = measure(check, time_tool=None)
    where = Path(run.stdout.strip() or "?").resolve()
    if run.returncode != 0 or expected.resolve() not in where.parents:
        raise SystemExit(
            f"the child imports {PACKAGE} from {run.stdout.strip() or run.stderr[-500:]}, "
            f"not from {expected}"
        )
    return str(where)


# --------------------------------------------------------------------------------------
# The tools.
# --------------------------------------------------------------------------------------


def cli_command(path: Path, as_of: str) -> Command:
    """This checkout's summary (run from the checkout: its package comes first)."""
    argv = [sys.executable, "-m", PACKAGE, "summary", str(path), "--json", "--as-of", as_of]
    return Command(argv)


def duckdb_command(path: Path, as_of: str, shape: str) -> Command:
    return Command(
        [sys.executable, "-c", DUCKDB_SCRIPT, str(path), as_of, str(PENDING_DAYS), shape]
    )


def floor_command(path: Path) -> Command:
    """Import pandas, then read the file with pyarrow, no more."""
    return Command([sys.executable, "-c", FLOOR_SCRIPT, str(path)])


def tool_command(tool: str, path: Path, shape: str, as_of: str, base: Base | None) -> Command:
    if tool == "duckdb":
        return duckdb_command(path, as_of, shape)
    if tool == "cli":
        return cli_command(path, as_of)
    if tool == "base" and base is not None:
        return base_command(base, path, as_of)
    if tool == "floor":
        return floor_command(path)
    raise ValueError(f"unknown tool {tool!r}")


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
    shape: str, size: int, commands: dict[str, Command], repeat: int, time_tool: str | None
) -> dict[str, Result]:
    """``repeat`` runs of every tool, interleaved: tool A, tool B, tool A, tool B..."""
    results = {tool: Result(shape=shape, size=size, tool=tool) for tool in commands}
    for _ in range(repeat):
        for tool, command in commands.items():
            if not results[tool].error:
                _record(results[tool], measure(command, time_tool=time_tool))
    return results


def console_script() -> list[str]:
    """``outreach-analytics`` as installed beside this Python, else ``python -m``."""
    script = Path(sys.executable).with_name("outreach-analytics")
    return [str(script)] if script.is_file() else [sys.executable, "-m", PACKAGE]


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
        for name, argv in commands.items():
            run = measure(Command(argv), time_tool=time_tool)
            if run.returncode != 0:
                raise SystemExit(f"{name} failed:\n{run.stderr[-2000:]}")
            walls[name].append(run.wall)
    return walls


# --------------------------------------------------------------------------------------
# Report.
# --------------------------------------------------------------------------------------


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("ok" if ok else "MISSED")


def _target(name: str, value: float | None, limit: float, ok: bool | None) -> dict:
    return {"name": name, "value": value, "target": limit, "ok": ok}


def print_startup(walls: dict[str, list[float]]) -> list[dict]:
    """Print the start-up medians and their ratios to import pandas; return the targets."""
    names = list(walls)
    medians = {name: statistics.median(w) for name, w in walls.items()}
    yardstick = medians[names[0]]
    limits = {names[1]: TARGET_HELP_RATIO, names[2]: TARGET_SAMPLE_RATIO}
    print(f"{'command':<36}  {'median s':>8}  {'× pandas':>8}  target")
    targets = []
    for name in names:
        ratio = medians[name] / yardstick
        limit = limits.get(name)
        verdict = ""
        if limit is not None:
            ok = ratio <= limit
            verdict = f"<= {limit:g}x  {_verdict(ok)}"
            targets.append(_target(f"{name} <= {limit:g}x import pandas", ratio, limit, ok))
        print(f"{name:<36}  {medians[name]:8.2f}  {ratio:7.2f}×  {verdict}")
    runs = len(next(iter(walls.values())))
    print(f"(median of {runs} interleaved runs; × = ratio to python -c 'import pandas')\n")
    return targets


def _size_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def _mib(kib: int | None) -> float | None:
    return None if kib is None else kib / 1024


class Ratios:
    """Every tool's wall and peak against DuckDB's on the same log, and the CLI's against base's."""

    def __init__(self, results: list[Result]) -> None:
        self.by_key = {(r.shape, r.size, r.tool): r for r in results}

    def get(self, result: Result, tool: str) -> Result | None:
        return self.by_key.get((result.shape, result.size, tool))

    def wall(self, result: Result) -> float | None:
        duck = self.get(result, "duckdb")
        if result.tool == "duckdb" or duck is None or not (result.wall and duck.wall):
            return None
        return result.wall / duck.wall

    def peak(self, result: Result) -> float | None:
        duck = self.get(result, "duckdb")
        if result.tool == "duckdb" or duck is None or not (result.peak_kib and duck.peak_kib):
            return None
        return result.peak_kib / duck.peak_kib

    def over_base(self, result: Result) -> float | None:
        """The CLI's ratio to DuckDB divided by base's (the same DuckDB runs: cli / base)."""
        base = self.get(result, "base")
        if result.tool != "cli" or base is None:
            return None
        mine, theirs = self.wall(result), self.wall(base)
        return mine / theirs if mine and theirs else None

    def counts(self, result: Result) -> str:
        duck = self.get(result, "duckdb")
        if result.error:
            return "FAILED"
        if result.tool == "floor":
            return "-"
        if result.tool != "duckdb" and duck is not None and duck.counts is not None:
            return "match" if result.counts == duck.counts else "MISMATCH"
        return "ok"


def print_table(results: list[Result]) -> None:
    ratios = Ratios(results)
    header = (
        f"{'size':>5}  {'shape':<8}  {'tool':<6}  {'runs':>4}  {'wall s':>7}  {'peak MiB':>8}  "
        f"{'wall ×':>6}  {'peak ×':>6}  {'÷ base':>6}  counts"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        against_duckdb = r.tool != "duckdb"
        against_base = r.tool == "cli" and ratios.get(r, "base") is not None
        print(
            f"{_size_label(r.size):>5}  {r.shape:<8}  {r.tool:<6}  {len(r.runs):>4}  "
            f"{_fmt(r.wall, '7.2f')}  {_fmt(_mib(r.peak_kib), '8.0f')}  "
            f"{_ratio(ratios.wall(r), against_duckdb):>6}  "
            f"{_ratio(ratios.peak(r), against_duckdb):>6}  "
            f"{_ratio(ratios.over_base(r), against_base):>6}  "
            f"{ratios.counts(r)}"
        )
    print(
        "(wall: median of the runs; peak: highest peak RSS of the runs; × = ratio to DuckDB on"
        " the same log;\n ÷ base = the CLI's wall ratio divided by base's)"
    )


def _ratio(value: float | None, shown: bool) -> str:
    if not shown:
        return ""
    return "n/a" if value is None else f"{value:.2f}×"


def print_targets(results: list[Result], with_base: bool) -> list[dict]:
    """Print each target of issue 17 beside its figure; return the targets."""
    ratios = Ratios(results)
    targets: list[dict] = []
    print("\nTargets (issue 17)")
    for r in results:
        if r.tool != "cli":
            continue
        label = f"{_size_label(r.size)} {r.shape}"
        mine = ratios.wall(r)
        if r.shape == "standard":
            base = ratios.get(r, "base")
            if base is not None:
                theirs, over = ratios.wall(base), ratios.over_base(r)
                # issue 17 holds 1M to base's ratio; a larger log is shown against it too
                held = r.size <= 2_000_000
                ok = None if over is None or not held else over <= TARGET_BASE_RATIO
                print(
                    f"  {label}: CLI's ratio to DuckDB <= {TARGET_BASE_RATIO:g}x base's: "
                    f"{_fmt(mine, '.2f')}x / {_fmt(theirs, '.2f')}x = {_fmt(over, '.3f')}  "
                    f"{_verdict(ok)}"
                )
                name = f"{label}: CLI/DuckDB <= {TARGET_BASE_RATIO:g}x base's"
                if held:
                    targets.append(_target(name, over, TARGET_BASE_RATIO, ok))
            elif not with_base:
                print(
                    f"  {label}: CLI's ratio to DuckDB: {_fmt(mine, '.2f')}x (run with --base"
                    " DIR to hold it against another checkout's)"
                )
            if r.size == 10_000_000:
                peak = None if r.peak_kib is None else r.peak_kib * 1024 / GIB
                ok = None if peak is None else peak < TARGET_PEAK_10M / GIB
                print(
                    f"  {label}: CLI peak < {TARGET_PEAK_10M / GIB:g} GiB: {_fmt(peak, '.2f')} "
                    f"GiB  {_verdict(ok)}  (wall: {_fmt(mine, '.2f')}x DuckDB)"
                )
                name = f"{label}: CLI peak < {TARGET_PEAK_10M / GIB:g} GiB"
                targets.append(_target(name, peak, TARGET_PEAK_10M / GIB, ok))
        elif r.shape == "mdy6":
            ok = None if mine is None else mine <= TARGET_MDY6_RATIO
            print(
                f"  {label}: CLI wall <= {TARGET_MDY6_RATIO:g}x DuckDB: {_fmt(mine, '.2f')}x  "
                f"{_verdict(ok)}"
            )
            name = f"{label}: CLI wall <= {TARGET_MDY6_RATIO:g}x DuckDB"
            targets.append(_target(name, mine, TARGET_MDY6_RATIO, ok))
        floor = ratios.get(r, "floor")
        if floor is not None and ratios.wall(floor) is not None:
            print(
                f"  {label}: (floor: import pandas, then the pyarrow read, before any counting: "
                f"{ratios.wall(floor):.2f}x DuckDB)"
            )
    return targets


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


def _parse_sizes(text: str) -> list[int]:
    """Comma-separated sizes; ``none`` (or nothing) for none."""
    if text.strip().lower() in ("", "none"):
        return []
    return [_parse_size(s) for s in text.split(",") if s.strip()]


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
        type=_parse_sizes,
        help="row counts of the standard log, e.g. 1M,10M or 250k; none for none (default: 1M,10M)",
    )
    parser.add_argument(
        "--mdy-sizes",
        default="1M",
        type=_parse_sizes,
        help="row counts of the mdy6 log (M/D/YYYY dates, six columns); none for none"
        " (default: 1M)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per tool and log, median kept (default: 5 up to 2M rows, else 1)",
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
        help="which of cli,duckdb,floor,base to run on the big logs (default: cli,duckdb,floor,"
        " and base with --base; floor: import pandas, then the pyarrow read, what a"
        " pandas-based summary pays before counting)",
    )
    parser.add_argument(
        "--base",
        type=Path,
        metavar="DIR",
        help="another checkout of the project (e.g. git worktree add DIR REF): adds the tool"
        " base, the same summary with DIR's package, and the CLI's ratio to DuckDB over base's",
    )
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--no-sample", action="store_true", help="skip import pandas, --help and the sample"
    )
    parser.add_argument("--json-out", type=Path, help="also write the results as JSON here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed, too")
    args = parser.parse_args(argv)
    tools = {t.strip() for t in args.tools.split(",") if t.strip()}
    unknown = sorted(tools - set(TOOLS))
    if unknown:
        parser.error(f"unknown tool(s) {unknown}; expected some of cli,duckdb,floor,base")
    if args.base is not None:
        tools.add("base")
    elif "base" in tools:
        parser.error("the tool base needs --base DIR")
    data_dir = args.data_dir.resolve()
    logs = [("standard", n) for n in args.sizes] + [("mdy6", n) for n in args.mdy_sizes]

    compile_package()
    time_tool = _gnu_time()
    memory_by = time_tool or ("os.wait4" if hasattr(os, "wait4") else "psutil polling")
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(_versions())
    print(f"peak RSS measured with {memory_by}; as-of {args.as_of}; seed {args.seed}")
    here = imported_package(cli_command(SAMPLE, args.as_of), ROOT)
    print(f"cli imports {here}")
    base = None
    if args.base is not None:
        base = prepare_base(args.base.resolve(), data_dir)
        base.imported_from = imported_package(base_command(base, SAMPLE, args.as_of), base.copy)
        print(
            f"base: {base.checkout}'s package (sha256 {base.package_sha256[:12]}), imported from"
            f" {base.imported_from}"
        )
    print()

    targets: list[dict] = []
    startup = None
    if not args.no_sample:
        startup = measure_startup(args.as_of, args.sample_repeat, time_tool)
        targets += print_startup(startup)

    results: list[Result] = []
    for shape, size in logs:
        print(f"{_size_label(size)} rows, {shape} log")
        path = (ensure_log if shape == "standard" else ensure_mdy6)(size, args.seed, data_dir)
        repeat = args.repeat or (5 if size <= 2_000_000 else 1)
        commands = {t: tool_command(t, path, shape, args.as_of, base) for t in TOOLS if t in tools}
        for tool, result in run_tools(shape, size, commands, repeat, time_tool).items():
            results.append(result)
            print(f"  {tool}: {_fmt(result.wall, '.2f')} s, {result.counts or result.error}")

    print()
    print_table(results)
    targets += print_targets(results, with_base=base is not None)
    missed = [t["name"] for t in targets if t["ok"] is False]

    failures = [f"{_size_label(r.size)} {r.shape} {r.tool}: {r.error}" for r in results if r.error]
    ratios = Ratios(results)
    for r in results:
        duck = ratios.get(r, "duckdb")
        if r.tool in ("cli", "base") and duck and r.counts and duck.counts:
            diff = {
                k: (r.counts[k], duck.counts[k])
                for k in COUNT_KEYS
                if r.counts[k] != duck.counts[k]
            }
            if diff:
                failures.append(
                    f"{_size_label(r.size)} {r.shape}: {r.tool} and DuckDB counts differ"
                    f" ({r.tool}, duckdb): {diff}"
                )

    if args.json_out:
        payload = {
            "as_of": args.as_of,
            "seed": args.seed,
            "memory_by": memory_by,
            "base": None
            if base is None
            else {
                "checkout": str(base.checkout),
                "package_sha256": base.package_sha256,
                "imported_from": base.imported_from,
            },
            "results": [
                {
                    "shape": r.shape,
                    "size": r.size,
                    "tool": r.tool,
                    "walls": [run.wall for run in r.runs],
                    "wall": r.wall,
                    "peak_kib": r.peak_kib,
                    "wall_ratio_to_duckdb": ratios.wall(r),
                    "peak_ratio_to_duckdb": ratios.peak(r),
                    "wall_ratio_over_base": ratios.over_base(r),
                    "counts": r.counts,
                    "error": r.error,
                }
                for r in results
            ],
            "startup": startup,
            "targets": targets,
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
