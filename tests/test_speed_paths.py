"""The paths that make the CLI quick: lazy imports and the short way of reading a summary.

Structural tests, no timing: what ``--help`` and ``summary`` import, and that the short way
(:mod:`outreach_analytics.analysis.fast_counts`) gives the same JSON as the full load on logs
of many shapes, falls back to it on everything it does not read itself, and counts what a
DuckDB query written here counts on the raw file.
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
from outreach_analytics.analysis import fast_read
from outreach_analytics.analysis.fast_counts import summary_report
from outreach_analytics.analysis.summary import SUMMARY_FIELDS, summarize
from outreach_analytics.model import schema as oa_schema
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
#: Keys of ``summary --json`` computed from the rows beyond the counts (issue 9): the
#: fast-equals-full comparisons below must cover them.
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
    ids=["json", "text", "json-the-full-way"],
)
def test_summary_imports_no_scipy_stats(extra):
    # the short way and the full load, JSON and text: no scipy.stats module at all
    modules, out = _modules_after(
        ["summary", str(sample_path()), "--as-of", AS_OF, *extra], full_names=True
    )
    assert not [m for m in modules if m == "scipy.stats" or m.startswith("scipy.stats.")]
    # the tables are drawn with the standard library: rich's console is not imported
    assert "By channel" in out or json.loads(out)
    assert "rich" not in {m.split(".")[0] for m in modules}
    assert not [m for m in modules if m.split(".")[0] in NOT_FOR_THE_CLI]
    assert "outreach_analytics.analysis.distributions" in modules  # issue 9's numbers ran
    if "--json" in extra:
        summary = json.loads(out)
        assert summary["comparison"]["channel"]["test"] == "chi2"
        assert summary["forecast"]["pitches_for_next_win"]["p80"] > 0


def test_cli_summary_of_a_plain_csv_takes_the_short_way(tmp_path):
    # the full load lives in model.load: the short way never imports it
    modules, out = _modules_after(
        ["summary", str(sample_path()), "--json", "--as-of", AS_OF], full_names=True
    )
    assert "outreach_analytics.analysis.fast_counts" in modules
    assert "outreach_analytics.model.load" not in modules
    assert set(STAT_KEYS) <= set(json.loads(out))
    # the control: a --column sends the same log the full way
    modules, _ = _modules_after(
        ["summary", str(sample_path()), "--json", "--as-of", AS_OF, "--column", "date=Date Sent"],
        full_names=True,
    )
    assert "outreach_analytics.model.load" in modules


def test_short_way_frame_holds_what_the_full_load_holds():
    fast = summary_report(sample_path(), fields=SUMMARY_FIELDS, as_of=AS_OF)
    full = load_report(sample_path(), fields=SUMMARY_FIELDS, as_of=AS_OF)
    assert fast is not None
    assert (
        list(fast.data.columns)
        == list(full.data.columns)
        == [c for c in oa_schema.CANONICAL_COLUMNS if c in SUMMARY_FIELDS]
    )
    for c in ("date", *oa_schema.STAGE_DATE_COLUMNS):
        assert c in fast.data
        assert fast.data[c].equals(full.data[c]), c
    assert fast.data["follow_ups"].equals(full.data["follow_ups"])
    # channel, pitch type and client: categoricals here, text in the full load
    for c in ("channel", "pitch_type", "client"):
        assert fast.data[c].astype("str").equals(full.data[c].astype("str")), c
    for c in ("stage", "result"):
        assert fast.data[c].equals(full.data[c]), c


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


def full_json(path: Path, **options) -> str:
    report = load_report(path, fields=SUMMARY_FIELDS, **options)
    return json.dumps(summarize(report, as_of=AS_OF))


def fast_json(path: Path, **options) -> str | None:
    """The short way's JSON, read here and (as the CLI does) on a thread started first:
    both must agree, down to "not the short way"."""
    answers = []
    for ahead in (False, True):
        reading = None
        if ahead:  # as the CLI starts it: on one core until pandas is imported
            keys = ("columns", "mapping")
            with fast_read.one_core():
                reading = fast_read.start(
                    path, fields=SUMMARY_FIELDS, **{k: options[k] for k in keys if k in options}
                )
        report = summary_report(
            path, fields=SUMMARY_FIELDS, as_of=AS_OF, prefetched=reading, **options
        )
        answers.append(None if report is None else json.dumps(summarize(report, as_of=AS_OF)))
    assert answers[0] == answers[1]
    return answers[0]


SHAPES = {
    "iso": {},
    "day_first": {"date_format": "%d/%m/%Y"},
    "month_first": {"date_format": "%m/%d/%Y"},
    "dotted": {"date_format": "%d.%m.%Y"},
    "named_months": {"date_format": "%b %d %Y"},
    "no_pitch_type": {"pitch": False},
    "no_status": {"status": False},
    "no_stage_dates_nor_numbers": {"stage_dates": False, "numbers": False},
    "blank_channels": {"blank_channels": True},
}


def test_sample_fast_equals_full():
    fast = fast_json(sample_path())
    assert fast is not None
    assert fast == full_json(sample_path())
    summary = json.loads(fast)
    # the statistics computed from the rows are in the comparison, and not empty
    assert set(STAT_KEYS) <= set(summary)
    assert summary["follow_up_lift"] is not None  # the sample logs follow-up rows and counts
    assert summary["time_to_response"]["dated"]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_fast_equals_full_on_logs_of_several_shapes(tmp_path, shape):
    path = write(make_log(3000, seed=len(shape), **SHAPES[shape]), tmp_path / "log.csv")
    fast = fast_json(path)
    assert fast is not None, "this shape should be read the short way"
    assert fast == full_json(path)


@pytest.mark.parametrize("late", ["$50", "45/hr", " 16", "45k"])
def test_fast_equals_full_when_numbers_turn_unplain_below_the_first_rows(tmp_path, late):
    """The number columns are read as floats when the first rows hold plain decimals; a
    cell far below that pyarrow does not read as a float makes the short way read them
    again as text, and the answer is still the full load's."""
    log = make_log(3000, seed=4)
    log["Rate"] = np.where(np.arange(len(log)) % 3, "", "80")
    log["Follow-ups"] = (np.arange(len(log)) % 3).astype(str)
    log.loc[2500, "Rate"] = late
    path = write(log, tmp_path / "log.csv")
    fast = fast_json(path)
    assert fast is not None, "read the short way, the second time as text"
    assert fast == full_json(path)
    # a follow-up count the full load would report sends the log the full way
    log.loc[2600, "Follow-ups"] = "1.5"
    path = write(log, tmp_path / "bad_count.csv")
    assert fast_json(path) is None


def test_fast_equals_full_on_tab_separated_and_non_ascii(tmp_path):
    log = make_log(800, seed=3)
    log.loc[::7, "Platform"] = "Café Network"
    log.loc[::11, "Notes"] = "répondu — très bien"
    path = write(log, tmp_path / "log.tsv", sep="\t")
    assert fast_json(path) is not None
    assert fast_json(path) == full_json(path)


def test_fast_equals_full_on_an_excel_csv_export_with_bom_and_crlf(tmp_path):
    # Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CR LF
    path = tmp_path / "export.csv"
    text = make_log(600, seed=9).to_csv(index=False, quoting=3, lineterminator="\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert fast_json(path) is not None
    assert fast_json(path) == full_json(path)


def test_fast_equals_full_on_a_log_whose_only_numeric_dates_follow_another_column(tmp_path):
    # the Response Date values are all ambiguous (day <= 12): they follow Date Sent's order
    log = pd.DataFrame(
        {
            "Date Sent": ["25/03/2024", "02/04/2024", "03/04/2024"],
            "Platform": ["Email", "Email", "Upwork"],
            "Status": ["Replied", "Sent", "Rejected"],
            "Response Date": ["01/04/2024", "", "05/04/2024"],
        }
    )
    path = write(log, tmp_path / "log.csv")
    fast = fast_json(path)
    assert fast is not None
    assert fast == full_json(path)
    assert any("like the log's other date columns" in n for n in json.loads(fast)["notes"])


def test_generated_benchmark_log_fast_equals_full(tmp_path):
    path = tmp_path / "bench.csv"
    write_log(path, 20_000, seed=7)
    assert fast_json(path) is not None
    assert fast_json(path) == full_json(path)


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


def test_everything_the_short_way_does_not_read_goes_the_full_way(tmp_path):
    for name, (path, options) in _fallback_logs(tmp_path).items():
        assert fast_json(path, **options) is None, name


@pytest.mark.parametrize(
    "name", ["unknown_status", "empty_date", "bad_number", "long_row", "quoted_cell"]
)
def test_cli_errors_and_reports_stay_the_full_loads(tmp_path, name):
    path, _ = _fallback_logs(tmp_path)[name]
    cmd = [sys.executable, "-m", "outreach_analytics", "summary", str(path), "--as-of", AS_OF]
    for extra in ([], ["--skip-invalid"]):
        done = subprocess.run([*cmd, "--json", *extra], capture_output=True, text=True)
        try:
            expected = json.loads(full_json(path, skip_invalid=bool(extra)))
        except oa.OutreachDataError as err:
            assert done.returncode == 2, (name, extra)
            assert "Traceback" not in done.stderr
            assert err.message.split(". ")[0] in " ".join(done.stderr.split())
            continue
        assert done.returncode == 0, (name, extra, done.stderr)
        assert json.loads(done.stdout) == expected


def test_cli_summary_json_is_the_same_either_way(tmp_path):
    path = write(make_log(2000, seed=5), tmp_path / "log.csv")
    cmd = [sys.executable, "-m", "outreach_analytics", "summary", str(path), "--json"]
    fast = subprocess.run([*cmd, "--as-of", AS_OF], capture_output=True, text=True, check=True)
    # --column sends the same log the full way: same columns, so the same numbers
    full = subprocess.run(
        [*cmd, "--as-of", AS_OF, "--column", "date=Date Sent"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(fast.stdout) == json.loads(full.stdout)


# --------------------------------------------------------------------------- DuckDB


def _duckdb_counts(path: Path, delim: str = ",") -> tuple[dict, dict]:
    """Overall and per-channel counts of a :func:`make_log` file, in SQL on the raw text."""
    stage_case = " ".join(f"WHEN '{w.lower()}' THEN {s}" for w, (s, _) in WORDS.items() if w)
    open_words = ", ".join(f"'{w.lower()}'" for w, (_, is_open) in WORDS.items() if is_open)
    query = f"""
    WITH raw AS (
        SELECT CAST("Date Sent" AS DATE) AS sent,
               lower(regexp_replace(coalesce("Platform", ''), '\\s+', '', 'g')) AS channel,
               lower(trim(coalesce("Status", ''))) AS status,
               "Response Date" IS NOT NULL AND trim("Response Date") <> '' AS replied
        FROM read_csv('{path}', header = true, delim = '{delim}', quote = '', escape = '',
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


@pytest.mark.parametrize("seed", [1, 2])
def test_short_way_counts_equal_duckdb_on_the_raw_file(tmp_path, seed):
    path = write(make_log(5000, seed=seed, blank_channels=True), tmp_path / "log.csv")
    report = summary_report(path, fields=SUMMARY_FIELDS, as_of=AS_OF)
    assert report is not None
    result = summarize(report, as_of=AS_OF)
    overall, per_channel = _duckdb_counts(path)
    keys = list(overall)
    assert {k: result["overall"][k] for k in keys} == overall
    assert result["overall"]["settled"] == overall["actions"] - overall["pending"]
    mine = {
        "".join(c["channel"].casefold().split()): {k: c[k] for k in keys}
        for c in result["by_channel"]
    }
    assert mine == per_channel


# ------------------------------------------------------------- statistics on two threads


def test_two_threads_give_the_same_summary_in_the_same_order(monkeypatch, tmp_path):
    """A large log's statistics run on two threads: the JSON is the same, key for key."""
    from outreach_analytics.analysis import summary as summary_module

    path = tmp_path / "log.csv"
    write_log(path, 3000, seed=11)
    for source in (sample_path(), path):
        report = summary_report(source, fields=SUMMARY_FIELDS, as_of=AS_OF)
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

    report = summary_report(sample_path(), fields=SUMMARY_FIELDS, as_of=AS_OF)

    def broken(*_, **__):
        raise oa.OutreachDataError("counted wrong on purpose")

    monkeypatch.setattr(report, "counts_by", broken)
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


def test_summary_imports_with_the_collector_paused_then_collects_as_usual():
    """pandas' objects are frozen out of the collector's sight; it runs after the imports."""
    argv = ["summary", str(sample_path()), "--json", "--as-of", AS_OF]
    after = "[gc.isenabled(), gc.get_freeze_count(), 'pandas' in sys.modules]"
    (enabled, frozen, pandas_loaded), out = _after_cli(argv, after)
    assert json.loads(out)["rows_read"] == 1000
    assert enabled and pandas_loaded
    assert frozen > 100_000  # pandas, numpy and pyarrow's module objects among them


# ----------------------------------------------------------- the read started before pandas


def test_the_read_started_before_pandas_imports_no_pandas():
    """The CLI starts the read on a thread, then imports pandas: the thread must not."""
    code = (
        "import sys, pathlib\n"
        "from outreach_analytics.analysis import fast_read\n"
        "from outreach_analytics.model.schema import SUMMARY_FIELDS\n"
        f"got = fast_read.start({str(sample_path())!r}, fields=SUMMARY_FIELDS).result()\n"
        "print(got.rows, sorted(got.codes), 'pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[0] == "1000"
    assert done.stdout.split()[-1] == "False"


def test_a_read_given_both_cores_mid_read_reads_every_cell_as_pandas_does(tmp_path):
    """The CLI reads on one core while pandas loads, then gives pyarrow's pool both cores
    back while the read goes on: a file of several blocks reads cell for cell as pandas
    reads the raw file."""
    import pyarrow as pa

    path = write(make_log(45_000, 5), tmp_path / "log.csv")
    size = path.stat().st_size
    assert size > 2 * fast_read._block_size(size)  # three blocks or more
    cores = pa.cpu_count()
    with fast_read.one_core():
        reading = fast_read.start(path, fields=SUMMARY_FIELDS)
    assert pa.cpu_count() == cores
    got = reading.result()
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert got.rows == len(raw) == 45_000
    assert set(got.codes) == {"date", "channel", "pitch_type", "client", "status"} | {
        "responded_on",
        "value",
    }
    for canonical, (codes, values) in got.codes.items():
        cells = np.array([*values.to_pylist(), ""], dtype=object)[codes]  # -1: empty
        assert cells.tolist() == raw[got.columns[canonical][0]].tolist(), canonical
    counts = got.numbers["follow_ups"].to_numpy(zero_copy_only=False)
    np.testing.assert_array_equal(counts, raw["Follow-ups"].astype(float))


def test_one_core_gives_the_cores_back_when_its_block_fails():
    import pyarrow as pa

    cores = pa.cpu_count()
    with pytest.raises(KeyboardInterrupt), fast_read.one_core():
        assert pa.cpu_count() == 1
        raise KeyboardInterrupt
    assert pa.cpu_count() == cores


def test_dictionary_codes_from_the_buffers_equal_pyarrows_own():
    """Codes with empty cells, over chunks that start inside their buffers (offsets)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(7)
    words = np.array(["Upwork", "Email", "Referral", "LinkedIn"], dtype=object)
    chunks = []
    for size in (0, 1, 9, 1000, 4097):
        values = words[rng.integers(0, 4, size + 5)].copy()
        values[rng.random(size + 5) < 0.3] = None
        chunks.append(pa.array(values, pa.string()).dictionary_encode().slice(3, size))
    chunked = pa.chunked_array(chunks).unify_dictionaries()
    indices = pa.chunked_array([c.indices for c in chunked.chunks], pa.int32())
    expected = pc.fill_null(indices, -1).to_numpy()
    got = fast_read._codes(chunked)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, expected)
    assert (got == -1).sum() == chunked.null_count > 0


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


def test_numbers_checked_on_their_own_thread_give_the_same_answers(monkeypatch, tmp_path):
    """A large log's number columns are checked on a second thread: same JSON, and a bad
    number still sends the log the full way (here every log takes that thread)."""
    from outreach_analytics.analysis import fast_counts

    monkeypatch.setattr(fast_counts, "_SIDE_THREAD_ROWS", 0)
    path = write(make_log(3000, seed=5), tmp_path / "log.csv")
    assert fast_json(path) == full_json(path)
    (tmp_path / "fallback").mkdir()
    for name, (log, options) in _fallback_logs(tmp_path / "fallback").items():
        assert fast_json(log, **options) is None, name


MALLINFO = r"""
import ctypes, json
import numpy as np
from outreach_analytics.cli import _keep_freed_memory

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
_keep_freed_memory()
before = libc.mallinfo2()
small = np.ones(8 << 17)  # 8 MiB
during = libc.mallinfo2()
del small
again = np.ones(8 << 17)
after = libc.mallinfo2()
large = np.empty(64 << 20)  # 512 MiB: more than the heap holds (256 MiB spare)
print(json.dumps({
    "small_mapped": during.hblks - before.hblks,
    "heap_grew": during.arena - before.arena,
    "reused": after.arena == during.arena and after.hblks == during.hblks,
    "large_mapped": libc.mallinfo2().hblks - after.hblks,
}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_summary_keeps_freed_arrays_of_up_to_32_mib_for_reuse():
    """``_keep_freed_memory``: an 8 MiB array comes from the heap, and once freed, the
    next one reuses its pages; an array larger than the heap's room is still mapped on its
    own (glibc's own counters, ``mallinfo2``)."""
    done = subprocess.run(
        [sys.executable, "-c", MALLINFO], capture_output=True, text=True, check=True
    )
    got = json.loads(done.stdout)
    assert got["small_mapped"] == 0
    assert got["heap_grew"] >= 8 << 20
    assert got["reused"] is True
    assert got["large_mapped"] == 1


# the thread count of every OpenBLAS loaded: numpy's, and scipy's (summary imports
# scipy.special); each names its getter its own way
BLAS_THREADS = (
    "[getattr(lib, name)() for lib in map(__import__('ctypes').CDLL, sorted({line.split()[-1]"
    " for line in open('/proc/self/maps') if 'openblas' in line})) for name in"
    " ('scipy_openblas_get_num_threads64_', 'scipy_openblas_get_num_threads')"
    " if hasattr(lib, name)]"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_summary_loads_numpy_with_one_blas_thread_unless_the_user_chose():
    """OpenBLAS's own count of its threads (read from each copy loaded, numpy's and
    scipy's): one after ``summary``; the user's ``OPENBLAS_NUM_THREADS`` is kept."""
    argv = ["summary", str(sample_path()), "--json", "--as-of", AS_OF]
    threads, out = _after_cli(argv, BLAS_THREADS)
    assert json.loads(out)["rows_read"] == 1000
    assert threads == [1, 1]
    chosen = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    control = (  # what OpenBLAS makes of the user's choice on this machine
        f"import json, numpy\nprint(json.dumps(['2', {BLAS_THREADS}]))\n"
    )
    code = (
        "import os, json\n"
        "from outreach_analytics.cli import _one_blas_thread\n"
        "_one_blas_thread()\n"
        "import numpy\n"
        f"print(json.dumps([os.environ['OPENBLAS_NUM_THREADS'], {BLAS_THREADS}]))\n"
    )
    got, expected = (
        json.loads(
            subprocess.run(
                [sys.executable, "-c", c], capture_output=True, text=True, check=True, env=chosen
            ).stdout
        )
        for c in (code, control)
    )
    assert got == expected
