"""What keeps the CLI quick, and the one path ``summary`` counts through.

Structural tests, no timing (the timings are in ``benchmarks/``): what ``--help`` and
``summary`` import; that the counts of logs of many shapes equal what a DuckDB query written
here counts on the raw file; that the statistics give the same answer on one thread or two;
and that running ``summary`` in-process leaves the process as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

import outreach_analytics as oa
from outreach_analytics.analysis.summary import SUMMARY_FIELDS, summarize
from outreach_analytics.model.load import load_report
from outreach_analytics.sample import sample_path, write_log

AS_OF = "2026-11-15"
HEAVY = ("pandas", "numpy", "pyarrow", "plotly", "scipy", "papermill", "nbconvert", "gspread")
# the command line is plain click (issue 7): typer built a pydantic adapter per parameter
# on every run, pydantic alone cost ~0.16 s
NOT_FOR_THE_CLI = ("typer", "pydantic")
# issue 9's comparison and forecast take scipy.special and scipy.optimize, and the tests
# scipy has only in scipy.stats from analysis.distributions: summary imports no scipy.stats
# (about half a second), and no statsmodels
NOT_FOR_SUMMARY = (
    "plotly",
    "papermill",
    "nbconvert",
    "gspread",
    "openpyxl",
    "duckdb",
    "statsmodels",
    *NOT_FOR_THE_CLI,
)
#: Keys of ``summary --json`` computed from the rows beyond the counts (issue 9).
STAT_KEYS = (
    "headline",
    "time_to_response",
    "follow_up_lift",
    "comparison",
    "forecast",
    "challenge",
)

# --------------------------------------------------------------------------- imports


def _after_cli(argv: list[str], after: str) -> tuple[Any, str]:
    """Run the CLI with ``argv`` in a fresh interpreter; what the expression ``after``
    (JSON, evaluated once the CLI is done) gave, and the CLI's stdout.

    The command group itself runs (``main()`` would end the process after ``summary``)."""
    code = (
        "import gc, sys, json\n"
        f"sys.argv = ['outreach-analytics', *{argv!r}]\n"
        "from outreach_analytics.cli import app\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"sys.stderr.write('\\nAFTER' + json.dumps({after}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return json.loads(done.stderr.rsplit("AFTER", 1)[1]), done.stdout


def _modules_after(argv: list[str], *, full_names: bool = False) -> tuple[set[str], str]:
    """Run the CLI with ``argv`` in a fresh interpreter; the modules it imported, its stdout."""
    modules, out = _after_cli(argv, "sorted(sys.modules)")
    return (set(modules) if full_names else {m.split(".")[0] for m in modules}), out


def test_help_imports_no_pandas_numpy_nor_plotly():
    top, out = _modules_after(["--help"])
    assert "summary" in out and "report" in out  # the help was printed
    assert top.isdisjoint(HEAVY), sorted(top & set(HEAVY))
    # click's plain help: typer's rich help would import rich.markdown and markdown-it
    modules, _ = _modules_after(["--help"], full_names=True)
    assert {"typer.rich_utils", "markdown_it"}.isdisjoint(modules)
    # plain click: no typer, no pydantic, and no rich until something is printed with it
    quiet = (*NOT_FOR_THE_CLI, "rich")
    assert top.isdisjoint(quiet), sorted(top & set(quiet))
    # a command's help builds its parameters (where typer made its pydantic adapters)
    top, out = _modules_after(["summary", "--help"])
    assert "--as-of YYYY-MM-DD" in out  # the help was printed
    assert top.isdisjoint(HEAVY + quiet), sorted(top & set(HEAVY + quiet))


def test_import_package_is_lazy_and_every_public_name_resolves():
    code = (
        "import sys, outreach_analytics as oa\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{HEAVY!r}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    for name in oa.__all__:
        assert getattr(oa, name) is not None, name
        assert name in dir(oa)
    from outreach_analytics import load
    from outreach_analytics import summarize as summarize_again

    assert load is oa.load and summarize_again is summarize
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        oa.nope  # noqa: B018


def test_summary_imports_only_what_it_needs():
    top, out = _modules_after(["summary", str(sample_path()), "--json", "--as-of", AS_OF])
    assert json.loads(out)["rows_read"] == 1000
    assert top.isdisjoint(NOT_FOR_SUMMARY), sorted(top & set(NOT_FOR_SUMMARY))


@pytest.mark.parametrize(
    "extra",
    [["--json"], [], ["--json", "--column", "date=Date Sent"]],
    ids=["json", "text", "json-with-a-column-option"],
)
def test_summary_imports_no_scipy_stats(extra):
    # JSON and text: no scipy.stats module at all
    modules, out = _modules_after(
        ["summary", str(sample_path()), "--as-of", AS_OF, *extra], full_names=True
    )
    for heavy in ("scipy.stats", "scipy.optimize"):  # 0.5 s and 0.1 s to import
        assert not [m for m in modules if m == heavy or m.startswith(heavy + ".")], heavy
    # the tables are drawn with the standard library: rich's console is not imported
    assert "By channel" in out or json.loads(out)
    assert "rich" not in {m.split(".")[0] for m in modules}
    assert not [m for m in modules if m.split(".")[0] in NOT_FOR_THE_CLI]
    assert "outreach_analytics.analysis.distributions" in modules  # issue 9's numbers ran
    if "--json" in extra:
        summary = json.loads(out)
        assert summary["comparison"]["channel"]["test"] == "chi2"
        assert summary["forecast"]["pitches_for_next_win"]["p80"] > 0


# --------------------------------------------------------------------------- logs

CHANNELS = ["Upwork", "upwork ", "LinkedIn", "Linkedin", "Email", " email", "Referral"]
PITCHES = ["Proposal", "Cold pitch", "Follow-up", "proposal"]
# status word -> (stage number, open?) as a reader of the tracker would put it
WORDS = {
    "": (0, True),
    "Sent": (0, True),
    "Applied": (0, True),
    "No reply": (0, False),
    "Ghosted": (0, False),
    "Withdrawn": (0, False),
    "Replied": (1, True),
    "In talks": (1, True),
    "Rejected": (1, False),
    "Not a fit": (1, False),
    "Interview": (2, True),
    "Call booked": (2, True),
    "Rejected after interview": (2, False),
    "Offer": (3, True),
    "Offer declined": (3, False),
    "Hired": (4, False),
    "Contract signed": (4, False),
}


def make_log(
    n: int,
    seed: int,
    *,
    date_format: str = "%Y-%m-%d",
    pitch: bool = True,
    status: bool = True,
    stage_dates: bool = True,
    numbers: bool = True,
    blank_channels: bool = False,
) -> pd.DataFrame:
    """A raw log as people keep it: everyday headers, words and spellings, text cells."""
    rng = np.random.default_rng(seed)
    sent = pd.Timestamp("2025-12-01") + pd.to_timedelta(rng.integers(0, 349, n), unit="D")
    words = np.array(list(WORDS), dtype=object)
    status_col = words[rng.integers(0, len(words), n)]
    stage = np.array([WORDS[w][0] for w in status_col])
    log = {"Date Sent": sent.strftime(date_format)}
    channel = np.array(CHANNELS, dtype=object)[rng.integers(0, len(CHANNELS), n)]
    if blank_channels:
        channel[rng.random(n) < 0.1] = ""
    log["Platform"] = channel
    if pitch:
        types = np.array(PITCHES, dtype=object)[rng.integers(0, len(PITCHES), n)]
        types[rng.random(n) < 0.2] = ""
        log["Pitch Type"] = types
    log["Client"] = [f"Client {i % 97}" for i in range(n)]
    if status:
        log["Status"] = status_col
    if stage_dates:
        replied = sent + pd.to_timedelta(rng.integers(0, 10, n), unit="D")
        has_reply = (stage >= 1) | (rng.random(n) < 0.05)  # a reply date says responded
        log["Response Date"] = np.where(
            has_reply & (replied <= pd.Timestamp(AS_OF)), replied.strftime(date_format), ""
        )
    if numbers:
        log["Follow-ups"] = rng.integers(0, 3, n).astype(str)
        log["Rate"] = np.where(rng.random(n) < 0.5, "", rng.choice(["$50", "1.5k", "80"], n))
    log["Notes"] = np.where(rng.random(n) < 0.1, "asked for rates; sent portfolio", "")
    return pd.DataFrame(log)


def write(frame: pd.DataFrame, path: Path, sep: str = ",", quoting: int = 3) -> Path:
    # quoting=3 (csv.QUOTE_NONE) writes no quote at all, as spreadsheet exports of plain cells do
    frame.to_csv(path, index=False, sep=sep, quoting=quoting, escapechar="\\")
    return path


def summary_json(path: Path, **options) -> dict:
    """The summary of a log through the library's one path, as ``summary --json`` has it."""
    report = load_report(path, fields=SUMMARY_FIELDS, as_of=AS_OF, **options)
    return json.loads(json.dumps(summarize(report, as_of=AS_OF)))


#: Log shapes, and how DuckDB reads their dates (``strptime``).
SHAPES = {
    "iso": ({}, "%Y-%m-%d"),
    "day_first": ({"date_format": "%d/%m/%Y"}, "%d/%m/%Y"),
    "month_first": ({"date_format": "%m/%d/%Y"}, "%m/%d/%Y"),
    "dotted": ({"date_format": "%d.%m.%Y"}, "%d.%m.%Y"),
    "named_months": ({"date_format": "%b %d %Y"}, "%b %d %Y"),
    "no_pitch_type": ({"pitch": False}, "%Y-%m-%d"),
    "no_status": ({"status": False}, "%Y-%m-%d"),
    "no_stage_dates_nor_numbers": ({"stage_dates": False, "numbers": False}, "%Y-%m-%d"),
    "blank_channels": ({"blank_channels": True}, "%Y-%m-%d"),
}


# --------------------------------------------------------------------------- fall back


def _fallback_logs(tmp_path: Path) -> dict[str, tuple[Path, dict]]:
    base = make_log(300, seed=11)
    logs: dict[str, tuple[Path, dict]] = {}

    def add(name: str, frame: pd.DataFrame | None = None, text: str | None = None, **kw):
        path = tmp_path / f"{name}.csv"
        if text is not None:
            path.write_bytes(text.encode(kw.pop("encoding", "utf-8")))
        else:
            write(frame, path, **{k: kw.pop(k) for k in ("sep", "quoting") if k in kw})
        logs[name] = (path, kw)

    quoted = base.copy()
    quoted.loc[3, "Notes"] = "asked for rates, sent portfolio"
    add("quoted_cell", quoted, quoting=0)
    body = base.to_csv(index=False, quoting=3)
    add("title_row", text="My job search 2026\n" + body)
    lines = body.splitlines()
    add("blank_line", text="\n".join(lines[:50] + [""] + lines[50:]) + "\n")
    add("blank_row", text="\n".join(lines[:50] + ["," * (len(base.columns) - 1)] + lines[50:]))
    add("long_row", text="\n".join(lines[:50] + [lines[50] + ",extra"] + lines[51:]))
    unknown = base.copy()
    unknown.loc[5, "Status"] = "Maybe later"
    add("unknown_status", unknown)
    add("unknown_status_skipped", unknown, skip_invalid=True)
    no_date = base.copy()
    no_date.loc[7, "Date Sent"] = ""
    add("empty_date", no_date)
    future = base.copy()
    future.loc[9, "Date Sent"] = "2026-12-24"
    add("future_row", future)
    old = base.copy()
    old.loc[9, "Date Sent"] = "1899-12-30"
    add("excel_zero_date", old)
    bad_number = base.copy()
    bad_number.loc[4, "Rate"] = "ask"
    add("bad_number", bad_number)
    before = base.copy()
    before.loc[8, "Response Date"] = "2020-01-01"
    add("reply_before_sent", before)
    flags = base.drop(columns="Response Date").assign(
        Responded=np.where(base.index % 3, "Yes", "No")
    )
    add("boolean_stage_column", flags)
    add("semicolon", base, sep=";")
    add("cp1252", text=body.replace("Client 1,", "Café 1,"), encoding="cp1252")
    add(
        "ambiguous_dates",
        make_log(50, seed=1, date_format="%m/%d/%Y").assign(
            **{"Date Sent": "03/04/2026", "Response Date": ""}
        ),
    )
    add("column_option", base, columns={"date": "Date Sent"})
    return logs


@pytest.mark.parametrize(
    "name", ["unknown_status", "empty_date", "bad_number", "long_row", "quoted_cell"]
)
def test_cli_errors_and_reports_are_the_loaders(tmp_path, name):
    path, _ = _fallback_logs(tmp_path)[name]
    cmd = [sys.executable, "-m", "outreach_analytics", "summary", str(path), "--as-of", AS_OF]
    for extra in ([], ["--skip-invalid"]):
        done = subprocess.run([*cmd, "--json", *extra], capture_output=True, text=True)
        try:
            expected = summary_json(path, skip_invalid=bool(extra))
        except oa.OutreachDataError as err:
            assert done.returncode == 2, (name, extra)
            assert "Traceback" not in done.stderr
            assert err.message.split(". ")[0] in " ".join(done.stderr.split())
            continue
        assert done.returncode == 0, (name, extra, done.stderr)
        assert json.loads(done.stdout) == expected


# --------------------------------------------------------------------------- DuckDB


def _duckdb_counts(path: Path, date_format: str = "%Y-%m-%d") -> tuple[dict, dict]:
    """Overall and per-channel counts of a :func:`make_log` file, in SQL on the raw text."""
    has = set(
        duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{path}', all_varchar = true)").df()[
            "column_name"
        ]
    )
    status = "coalesce(\"Status\", '')" if "Status" in has else "''"
    replied = (
        '"Response Date" IS NOT NULL AND trim("Response Date") <> \'\''
        if "Response Date" in has
        else "false"
    )
    stage_case = " ".join(f"WHEN '{w.lower()}' THEN {s}" for w, (s, _) in WORDS.items() if w)
    open_words = ", ".join(f"'{w.lower()}'" for w, (_, is_open) in WORDS.items() if is_open)
    query = f"""
    WITH raw AS (
        SELECT CAST(strptime("Date Sent", '{date_format}') AS DATE) AS sent,
               lower(regexp_replace(coalesce("Platform", ''), '\\s+', '', 'g')) AS channel,
               lower(trim({status})) AS status,
               {replied} AS replied
        FROM read_csv('{path}', header = true, delim = ',', quote = '', escape = '',
                      all_varchar = true)
    ), staged AS (
        SELECT sent, CASE WHEN channel = '' THEN 'unspecified' ELSE channel END AS channel,
               greatest(CASE status {stage_case} ELSE 0 END, CASE WHEN replied THEN 1 ELSE 0 END)
                   AS stage,
               status IN ({open_words}) AS open_status
        FROM raw
    )
    SELECT channel,
           count(*) AS actions,
           count(*) FILTER (WHERE stage = 0 AND open_status
                            AND sent > DATE '{AS_OF}' - INTERVAL 14 DAY) AS pending,
           count(*) FILTER (WHERE stage >= 1) AS responses,
           count(*) FILTER (WHERE stage >= 2) AS interviews,
           count(*) FILTER (WHERE stage >= 3) AS offers,
           count(*) FILTER (WHERE stage >= 4) AS wins
    FROM staged GROUP BY channel
    """
    rows = duckdb.sql(query).fetchall()
    keys = ["actions", "pending", "responses", "interviews", "offers", "wins"]
    per_channel = {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}
    overall = {k: sum(c[k] for c in per_channel.values()) for k in keys}
    return overall, per_channel


def _assert_counts_equal_duckdb(result: dict, path: Path, date_format: str) -> None:
    overall, per_channel = _duckdb_counts(path, date_format)
    keys = list(overall)
    assert {k: result["overall"][k] for k in keys} == overall
    assert result["overall"]["settled"] == overall["actions"] - overall["pending"]
    mine = {
        "".join(c["channel"].casefold().split()): {k: c[k] for k in keys}
        for c in result["by_channel"]
    }
    assert mine == per_channel


@pytest.mark.parametrize("seed", [1, 2])
def test_counts_equal_duckdb_on_the_raw_file(tmp_path, seed):
    path = write(make_log(5000, seed=seed, blank_channels=True), tmp_path / "log.csv")
    _assert_counts_equal_duckdb(summary_json(path), path, "%Y-%m-%d")


@pytest.mark.parametrize("shape", list(SHAPES))
def test_counts_equal_duckdb_on_logs_of_several_shapes(tmp_path, shape):
    options, date_format = SHAPES[shape]
    path = write(make_log(3000, seed=len(shape), **options), tmp_path / "log.csv")
    result = summary_json(path)
    _assert_counts_equal_duckdb(result, path, date_format)
    # the statistics computed from the rows are there, whatever the shape
    assert set(STAT_KEYS) <= set(result)


def test_cli_summary_json_is_the_librarys(tmp_path):
    path = write(make_log(2000, seed=5), tmp_path / "log.csv")
    cmd = [sys.executable, "-m", "outreach_analytics", "summary", str(path), "--json"]
    done = subprocess.run([*cmd, "--as-of", AS_OF], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == summary_json(path)


# ------------------------------------------------------------- statistics on two threads


def test_two_threads_give_the_same_summary_in_the_same_order(monkeypatch, tmp_path):
    """A large log's statistics run on two threads: the JSON is the same, key for key."""
    from outreach_analytics.analysis import summary as summary_module

    path = tmp_path / "log.csv"
    write_log(path, 3000, seed=11)
    for source in (sample_path(), path):
        report = load_report(source, fields=SUMMARY_FIELDS, as_of=AS_OF)
        monkeypatch.setattr(summary_module, "_PARALLEL_ROWS", 10**12)
        alone = summarize(report, as_of=AS_OF)
        monkeypatch.setattr(summary_module, "_PARALLEL_ROWS", 0)
        paired = summarize(report, as_of=AS_OF)
        assert json.dumps(paired) == json.dumps(alone)
        assert list(paired)[-len(STAT_KEYS) :] == list(STAT_KEYS)


@pytest.mark.parametrize("rows", [0, 10**12])
def test_an_error_while_counting_reaches_the_caller_on_either_path(monkeypatch, rows):
    """The rows are counted first on the first line; the other line's challenge waits for
    the counts, and must fail with them, not wait for ever."""
    from outreach_analytics.analysis import summary as summary_module

    report = load_report(sample_path(), fields=SUMMARY_FIELDS, as_of=AS_OF)

    def broken(*_, **__):
        raise oa.OutreachDataError("counted wrong on purpose")

    monkeypatch.setattr(summary_module, "counts_by", broken)
    monkeypatch.setattr(summary_module, "_PARALLEL_ROWS", rows)
    with pytest.raises(oa.OutreachDataError, match="on purpose"):
        summarize(report, as_of=AS_OF)


def test_an_error_on_either_thread_reaches_the_caller():
    from outreach_analytics.analysis.summary import _statistics

    def boom(*_):
        raise oa.OutreachDataError("broken on purpose")

    def curve():
        return "curve"

    def waits(get):
        return {"curve": get()}

    def fine(_reply):
        return {}

    for parts in ((boom, fine, waits), (curve, boom, waits), (curve, fine, boom)):
        with pytest.raises(oa.OutreachDataError, match="on purpose"):
            _statistics(*parts, parallel=True)
    assert _statistics(curve, lambda r: {"a": r}, waits, parallel=True) == {
        "a": "curve",
        "curve": "curve",
    }


def test_summary_in_process_leaves_the_process_as_it_was():
    """Process settings belong to the program (``main``), not to the command: the command
    group run in-process (as ``CliRunner`` or a notebook runs it) changes nothing."""
    import gc

    from click.testing import CliRunner

    from outreach_analytics.cli import app

    environ, enabled, frozen = dict(os.environ), gc.isenabled(), gc.get_freeze_count()
    done = CliRunner().invoke(app, ["summary", str(sample_path()), "--json", "--as-of", AS_OF])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["rows_read"] == 1000
    assert dict(os.environ) == environ
    assert gc.isenabled() is enabled
    assert gc.get_freeze_count() == frozen


@pytest.mark.parametrize(
    ("argv", "code", "tidied"),
    [
        (["summary", str(sample_path()), "--json", "--as-of", AS_OF], 0, False),
        (["summary", "no-such-log.csv"], 2, True),
        (["--help"], 0, True),
    ],
    ids=["summary", "summary-error", "help"],
)
def test_summary_ends_its_process_quickly_and_nothing_else_does(argv, code, tidied):
    """After a summary the interpreter does not tidy up (an exit handler does not run),
    the output is whole and the exit code 0; errors and other commands exit as usual."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('TIDIED'))\n"
        f"sys.argv = ['outreach-analytics', *{argv!r}]\n"
        "from outreach_analytics.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == code, done.stderr
    assert ("TIDIED" in done.stderr) is tidied
    if code == 0 and "--json" in argv:
        assert json.loads(done.stdout)["rows_read"] == 1000


# ----------------------------------------------------------- the read started before pandas


def test_the_read_ahead_imports_no_pandas():
    """The CLI starts parsing a CSV on a thread, then imports pandas: the parse must not."""
    code = (
        "import sys\n"
        "from outreach_analytics.io.delimited import read_ahead\n"
        "from outreach_analytics.model.mapping import LogMapping, column_selector\n"
        f"parsed = read_ahead({str(sample_path())!r}, column_selector(LogMapping())).result()\n"
        "print(parsed.table.num_rows, 'pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1000", "False"]


@pytest.mark.parametrize("name", ["quoted_cell", "title_row", "long_row", "cp1252", "semicolon"])
def test_a_read_ahead_reads_what_a_read_in_sequence_reads(tmp_path, name):
    """The same reader either way: the RawTable, and the load, are the same."""
    from outreach_analytics.io.delimited import read_ahead, read_csv
    from outreach_analytics.model.mapping import LogMapping, column_selector

    path, _ = _fallback_logs(tmp_path)[name]
    select = column_selector(LogMapping())
    parsed = read_ahead(path, select).result()
    ahead, alone = read_csv(path, select=select, parsed=parsed), read_csv(path, select=select)
    pd.testing.assert_frame_equal(ahead.frame, alone.frame)
    for attr in ("source_rows", "name", "delimiter", "decimal_comma", "notes", "header"):
        assert np.array_equal(getattr(ahead, attr), getattr(alone, attr)), attr
    if alone.bad_rows is not None:
        pd.testing.assert_frame_equal(ahead.bad_rows, alone.bad_rows)


def test_a_read_ahead_raises_where_its_result_is_asked_for(tmp_path):
    from outreach_analytics.io.delimited import read_ahead, read_csv

    path = tmp_path / "empty.csv"
    path.write_text("")
    ahead = read_ahead(path, then=lambda parsed: read_csv(path, parsed=parsed))
    with pytest.raises(oa.OutreachDataError, match="is empty"):
        ahead.result()
    assert read_ahead(tmp_path / "missing.csv") is None
    assert read_ahead(sample_path().with_suffix(".xlsx")) is None


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["summary", "log.csv"], {}, [False, "1"]),
        (["inspect", "log.csv"], {"OPENBLAS_NUM_THREADS": "2"}, [False, "2"]),
        (["report", "log.csv"], {}, [True, None]),
        (["--help"], {}, [True, None]),
    ],
    ids=["summary", "inspect-users-choice", "report", "help"],
)
def test_main_tunes_only_the_runs_that_only_read_and_print(argv, env, expected):
    """The console script pauses the collector and asks OpenBLAS for one thread for
    summary and inspect (the user's OPENBLAS_NUM_THREADS wins); other commands, whose
    processes start kernels or JupyterLab, run as Python runs them."""
    script = (
        "import gc, json, os, sys\n"
        "from outreach_analytics import cli\n"
        f"sys.argv = ['outreach-analytics', *{argv!r}]\n"
        "cli.app = lambda obj: print(json.dumps("
        "[gc.isenabled(), os.environ.get('OPENBLAS_NUM_THREADS')]))\n"
        "cli.main()\n"
    )
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**environ, **env},
    )
    assert json.loads(done.stdout) == expected
