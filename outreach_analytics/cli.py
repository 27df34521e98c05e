"""The ``outreach-analytics`` command line.

Plain click, no typer (issue 7): typer built a pydantic adapter for every parameter on every
run, about a quarter of a second before any work. The options several commands share are
defined once below, each group of them as one decorator.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from .errors import OutreachDataError


class _Argument(click.Argument):
    """A positional argument with a help text, listed under ``Arguments:`` in ``--help``.

    The help is kept here, not handed to click: older clicks take no help for an argument,
    and click 8.5 would list them a second time, in a section of its own.
    """

    def __init__(self, param_decls, help: str | None = None, **attrs):  # noqa: A002
        super().__init__(param_decls, **attrs)
        self.help = help


class _Command(click.Command):
    """A command whose ``--help`` lists its arguments, with their help, before its options."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        rows = [
            (p.human_readable_name, p.help + ("  [required]" if p.required else ""))
            for p in self.get_params(ctx)
            if isinstance(p, _Argument) and p.help
        ]
        if rows:
            with formatter.section("Arguments"):
                formatter.write_dl(rows)
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)


class _Group(click.Group):
    """The commands in the order they are defined here, the order of the README."""

    command_class = _Command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def _options(*decorators: Callable) -> Callable:
    """One decorator applying ``decorators`` so that ``--help`` lists them in this order."""

    def apply(f: Callable) -> Callable:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


# --- what several commands share, each defined once -----------------------------------------

_PATH = click.Path(path_type=Path)
_SOURCE_HELP = "CSV/TSV or .xlsx file, or a Google Sheets URL."

source_argument = click.argument("source", cls=_Argument, help=_SOURCE_HELP)
# report and lab: no SOURCE reads the sample
sample_source_argument = click.argument(
    "source",
    cls=_Argument,
    required=False,
    help="CSV/TSV or .xlsx file, or a Google Sheets URL (default: the sample).",
)
as_of_option = click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    help="Count as of this day, YYYY-MM-DD (default today).",
)
window_option = click.option(
    "--window",
    type=click.IntRange(min=0),
    default=14,
    show_default=True,
    metavar="DAYS",
    help="Days a pitch may wait for an answer before it counts as no response.",
)
column_option = click.option(
    "--column",
    multiple=True,
    metavar="CANONICAL=SOURCE_COLUMN",
    help='CANONICAL=SOURCE_COLUMN, e.g. date="Applied On"; repeatable.',
)
mapping_option = click.option(
    "--mapping",
    type=_PATH,
    metavar="FILE",
    help="TOML file mapping columns and status words.",
)
skip_invalid_option = click.option(
    "--skip-invalid", is_flag=True, help="Use the valid rows and list every skipped one."
)
date_order_option = click.option(
    "--date-order",
    metavar="ORDER",
    help="day-first or month-first, for dates like 03/04/2024.",
)

#: How a log's columns and words are read: summary and report (inspect and log take a part).
read_options = _options(column_option, mapping_option, skip_invalid_option, date_order_option)

# --- Google Sheets options, shared by every command that takes a SOURCE -------------------
worksheet_option = click.option(
    "--worksheet",
    "--sheet",
    "sheet",
    metavar="TAB",
    help="Worksheet (tab) name or 0-based number, Excel or Sheet.",
)
all_tabs_option = click.option(
    "--all-tabs",
    is_flag=True,
    help="Google Sheet: read every tab into one table (a 'tab' column).",
)
credentials_option = click.option(
    "--credentials",
    type=_PATH,
    metavar="FILE",
    help="Service-account JSON key for Google Sheets (default GOOGLE_APPLICATION_CREDENTIALS).",
)
offline_option = click.option(
    "--offline", is_flag=True, help="Google Sheet: read only the local cached copy."
)
retry_seconds_option = click.option(
    "--retry-seconds",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Seconds to keep retrying Google on 429/5xx/timeouts (default 30).",
)

#: Reading a Google Sheet (summary, inspect, report).
sheet_options = _options(
    worksheet_option, all_tabs_option, credentials_option, offline_option, retry_seconds_option
)
#: Writing to one: the sheet is read live and one worksheet only (log).
sheet_write_options = _options(worksheet_option, credentials_option, retry_seconds_option)
#: Signing in to Google only (init-sheet).
google_options = _options(credentials_option, retry_seconds_option)


def _sheet_options(
    sheet: str | None,
    all_tabs: bool,
    credentials: Path | None,
    offline: bool,
    retry_seconds: float | None,
) -> str | None:
    """Apply the Google Sheets options; the ``sheet`` to read (``"*"`` = every tab).

    They are set in the environment so that the report's notebook reads the same way.
    """
    if all_tabs and sheet is not None:
        _fail("--all-tabs reads every tab; it cannot be combined with --worksheet. Fix: drop one.")
    if credentials is not None:
        os.environ["GOOGLE_APPLICATION_CREDENTIALS"] = str(credentials.expanduser().absolute())
    if offline:
        os.environ["OUTREACH_ANALYTICS_OFFLINE"] = "1"
    if retry_seconds is not None:
        os.environ["OUTREACH_ANALYTICS_RETRY_SECONDS"] = str(retry_seconds)
    return "*" if all_tabs else sheet


# ------------------------------------------------------------------------------------------


@click.group("outreach-analytics", cls=_Group, no_args_is_help=True)
def app() -> None:
    """Turn an outreach log (pitches, proposals, applications) into honest numbers."""


def _fail(message: str, failures=None) -> NoReturn:
    from rich.console import Console
    from rich.table import Table

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", markup=True)
    if failures is not None and len(failures):
        table = Table(
            "row", "column", "value", "reason", title="Problems found", title_justify="left"
        )
        for r in failures.head(30).itertuples(index=False):
            tab = getattr(r, "tab", None)  # --all-tabs: the row of which tab
            row = f"{r.row} of '{tab}'" if isinstance(tab, str) else str(r.row)
            table.add_row(row, str(r.column), str(r.value), str(r.reason))
        err.print(table)
        if len(failures) > 30:
            err.print(f"... and {len(failures) - 30} more.")
    raise click.exceptions.Exit(2)


def _parse_columns(items) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        canonical, sep, source = item.partition("=")
        if not sep or not canonical.strip() or not source.strip():
            _fail(
                f"--column '{item}' is not of the form CANONICAL=SOURCE_COLUMN. "
                'Fix: write e.g. --column date="Applied On".'
            )
        out[canonical.strip()] = source.strip()
    return out


def _parse_as_of(as_of: str | None):
    if as_of is None:
        return None
    try:
        return dt.date.fromisoformat(as_of)
    except ValueError:
        _fail(
            f"--as-of '{as_of}' is not a date. Fix: write it as YYYY-MM-DD, e.g. --as-of 2024-03-05."
        )


def _load(
    source, column, mapping, skip_invalid, date_order, sheet, fields=None, as_of=None, parsed=None
):
    from .model.load import load_report

    return load_report(
        source,
        fields=fields,
        as_of=as_of,
        columns=_parse_columns(column),
        mapping=mapping,
        skip_invalid=skip_invalid,
        date_order=date_order,
        sheet=int(sheet) if sheet is not None and sheet.isdigit() else sheet,
        parsed=parsed,
    )


def _load_ahead(source, column, mapping, *options):
    """The mapping read, and the load of a local CSV started on a thread while this one
    imports the statistics (a future of the LoadReport; ``None`` for any other source):
    the file is parsed while pandas loads (the parse needs no pandas), then normalized
    while scipy and the analysis load."""
    from .io.delimited import read_ahead
    from .model.mapping import as_mapping, column_selector

    mapping = as_mapping(mapping)
    select = column_selector(mapping, _parse_columns(column))

    def load(parsed):
        return _load(source, column, mapping, *options, parsed=parsed)

    return mapping, read_ahead(source, select, then=load)


@app.command()
@source_argument
@click.option("--json", "json_out", is_flag=True, help="Print one JSON object.")
@as_of_option
@window_option
@read_options
@sheet_options
def summary(
    source: str,
    json_out: bool,
    as_of: str | None,
    window: int,
    column: tuple[str, ...],
    mapping: Path | None,
    skip_invalid: bool,
    date_order: str | None,
    sheet: str | None,
    all_tabs: bool,
    credentials: Path | None,
    offline: bool,
    retry_seconds: float | None,
) -> None:
    """Print the funnel and the rates of a log, overall and per channel and pitch type."""
    day = _parse_as_of(as_of)
    sheet = _sheet_options(sheet, all_tabs, credentials, offline, retry_seconds)
    try:
        from .model.schema import SUMMARY_FIELDS

        options = (skip_invalid, date_order, sheet, SUMMARY_FIELDS, day)
        mapping, loading = _load_ahead(source, column, mapping, *options)
        from .analysis.summary import summarize

        if loading is not None:
            report = loading.result()
        else:
            report = _load(source, column, mapping, *options)
        result = summarize(report, as_of=day, window=window)
    except OutreachDataError as err:
        _fail(err.message, err.failure_cases)
    if json_out:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        _print_summary(result)
    _program_state(quick_exit=True)  # nothing is left to tidy: see main()


def _fmt_rate(r: dict) -> str:
    if r["value"] is None:
        return "—"
    return f"{r['value'] * 100:.0f} {r['ci_low'] * 100:.0f}–{r['ci_high'] * 100:.0f}"


def _fmt_ppw(r: dict) -> str:
    if r["value"] is None:
        # no win yet: at least 1 / (upper bound of the win rate) pitches per win
        return "—" if r["ci_low"] is None else f"≥ {r['ci_low']:.0f}"
    return f"{r['value']:.0f} {r['ci_low']:.0f}–{r['ci_high']:.0f}"


def _print_summary(s: dict) -> None:
    from functools import partial

    from .analysis.text import plural
    from .present.terminal import Printer

    count = partial(plural, grouped=False)  # as the tables write numbers: 1000

    out = Printer()
    o = s["overall"]
    out.line(
        f"{s['source']}: {count(s['rows_read'], 'row')} read, {s['rows_used']} used, "
        f"{s['rows_skipped']} skipped, {s['rows_blank']} blank; "
        + (
            f"dated {s['first_date']} to {s['last_date']}"
            if s.get("first_date")
            else "no dated row"
        )
        + f" — as of {s['as_of']}, {s['window_days']}-day answer window"
    )
    not_actions = ""
    if o.get("planned") or o.get("future"):
        not_actions = f" Not counted: {o['planned']} planned, {o['future']} dated after as-of."
    if s.get("outcomes_recorded") is False:
        out.line(
            f"{count(o['actions'], 'action')}, {o['pending']} still pending, {o['settled']} "
            f"settled; no outcomes recorded.{not_actions}"
        )
    else:
        out.line(
            f"{count(o['actions'], 'action')}, {o['pending']} still pending, {o['settled']} "
            f"settled: {count(o['responses'], 'response')}, "
            f"{count(o['interviews'], 'interview')}, "
            f"{count(o['offers'], 'offer')}, {count(o['wins'], 'win')}.{not_actions}"
        )
        out.line("Rates in % with their 95% interval; pitches per win likewise.", "dim")
    out.line()
    header = ["sent", "settled", "reply %", "intvw %", "win %", "per win"]
    for key, title in (("by_channel", "channel"), ("by_pitch_type", "pitch_type")):
        if not s[key]:
            continue
        # fits 80 columns: no vertical rules, short headers, rates as "30 25–36"
        rows = [
            [
                str(r[title]),
                str(r["actions"]),
                str(r["settled"]),
                _fmt_rate(r["response_rate"]),
                _fmt_rate(r["interview_rate"]),
                _fmt_rate(r["win_rate"]),
                _fmt_ppw(r["pitches_per_win"]),
            ]
            for r in [dict(o, **{title: "all"}), *s[key]]
        ]
        label = title.replace("_", " ")
        out.table(f"By {label}", [label, *header], rows, bold_rows=[True], max_first=16)
    from .analysis.verdicts import verdict_lines

    lines = verdict_lines(s, width=out.width)
    if lines:
        out.line("What the numbers say", "bold")
        for line in lines:
            out.stream.write(line + "\n")
    if s["skipped"]:
        out.line()
        out.line("Skipped rows", "bold")
        for p in s["skipped"]:
            where = f"row {p['row']}" + (f" of '{p['tab']}'" if "tab" in p else "")
            out.line(f"{where}, {p['column']}: '{p['value']}' — {p['reason']}", indent="  ")
    for note in s["notes"]:
        if s.get("outcomes_recorded") is False and note.startswith("the log records no outcomes"):
            continue  # said above, in the verdicts
        out.line(f"note: {note}", "dim", indent="  ")


@app.command()
@source_argument
@click.option(
    "--write-mapping",
    type=_PATH,
    metavar="FILE",
    help="Write a starter TOML mapping: recognised choices filled in, TODO lines for the rest.",
)
@as_of_option
@_options(column_option, mapping_option, date_order_option)
@sheet_options
def inspect(
    source: str,
    write_mapping: Path | None,
    as_of: str | None,
    column: tuple[str, ...],
    mapping: Path | None,
    date_order: str | None,
    sheet: str | None,
    all_tabs: bool,
    credentials: Path | None,
    offline: bool,
    retry_seconds: float | None,
) -> None:
    """Show how each column, status word and date of a log is read, and every problem."""
    from .model.inspect import inspect as inspect_log

    day = _parse_as_of(as_of)
    sheet = _sheet_options(sheet, all_tabs, credentials, offline, retry_seconds)
    try:
        result = inspect_log(
            source,
            as_of=day,
            mapping=mapping,
            columns=_parse_columns(column),
            date_order=date_order,
            sheet=int(sheet) if sheet is not None and sheet.isdigit() else sheet,
        )
    except OutreachDataError as err:
        _fail(err.message, err.failure_cases)
    sys.stdout.write(result.to_text())
    if write_mapping is not None:
        try:
            path = result.write_mapping(write_mapping)
        except OSError as err:
            _fail(
                f"Could not write '{write_mapping}': {err.strerror or err}. Fix: choose "
                "another --write-mapping path."
            )
        sys.stdout.write(
            f"\nwrote {path}: edit its TODO lines, then run\n"
            f"  outreach-analytics summary {source} --mapping {path}\n"
        )


@app.command()
@sample_source_argument
@click.option(
    "--output",
    "-o",
    type=_PATH,
    default="report.html",
    show_default=True,
    metavar="FILE",
    help="HTML file to write.",
)
@as_of_option
@window_option
@click.option(
    "--goal", type=click.IntRange(min=1), metavar="N", help="Actions per week you aim for."
)
@click.option(
    "--anonymize", is_flag=True, help="Replace client names by Client 001... and drop notes."
)
@read_options
@sheet_options
def report(
    source: str | None,
    output: Path,
    as_of: str | None,
    window: int,
    goal: int | None,
    anonymize: bool,
    column: tuple[str, ...],
    mapping: Path | None,
    skip_invalid: bool,
    date_order: str | None,
    sheet: str | None,
    all_tabs: bool,
    credentials: Path | None,
    offline: bool,
    retry_seconds: float | None,
) -> None:
    """Write a self-contained HTML report (charts, tables, data quality) that opens offline."""
    day = _parse_as_of(as_of)
    sheet = _sheet_options(sheet, all_tabs, credentials, offline, retry_seconds)
    columns = _parse_columns(column)
    if source is None:
        from .sample import sample_path

        source = str(sample_path())
    from .present.report import write_report

    if not sys.stderr.isatty():
        sys.stderr.write(f"rendering the report of {source} (a few seconds)...\n")
    try:
        path = write_report(
            output,
            source,
            as_of=day,
            window=window,
            goal=goal,
            anonymize=anonymize,
            mapping=mapping,
            columns=columns,
            skip_invalid=skip_invalid,
            date_order=date_order,
            sheet=int(sheet) if sheet is not None and sheet.isdigit() else sheet,
            progress=sys.stderr.isatty(),
        )
    except OutreachDataError as err:
        _fail(err.message, err.failure_cases)
    except OSError as err:
        _fail(f"Could not write '{output}': {err.strerror or err}. Fix: choose another -o path.")
    size = path.stat().st_size / 1e6
    sys.stderr.write(f"wrote {path} ({size:.1f} MB)\n")
    sys.stdout.write(f"{path.resolve()}\n")


@app.command()
@click.option("--write", is_flag=True, help="Also allow writing (for log and init-sheet).")
def auth(write: bool) -> None:
    """Sign in to Google once with your own account (a browser opens); gspread keeps the token."""
    from .io.gsheets import READ_SCOPES, WRITE_SCOPES, run_oauth_flow

    try:
        signin = run_oauth_flow(WRITE_SCOPES if write else READ_SCOPES)
    except OutreachDataError as err:
        _fail(err.message)
    sys.stdout.write(f"signed in; the token is stored in {signin.source}\n")


# --- writing back: log, init-log, init-sheet -------------------------------------------


@app.command("log")
@source_argument
@click.option("--channel", help="Where it was sent.")
@click.option("--type", "pitch_type", help="Pitch type: Proposal, Cold pitch, ...")
@click.option("--client", help="Client or company.")
@click.option("--status", help="What happened: replied, rejected, interview, hired...")
@click.option("--date", help="Day sent (with --row: day it happened); default today.")
@click.option("--note", help="A note (kept as text).")
@click.option(
    "--row",
    type=click.IntRange(min=1),
    metavar="N",
    help="Update this row (its number in the sheet).",
)
@_options(column_option, mapping_option)
@sheet_write_options
def log_cmd(
    source: str,
    channel: str | None,
    pitch_type: str | None,
    client: str | None,
    status: str | None,
    date: str | None,
    note: str | None,
    row: int | None,
    column: tuple[str, ...],
    mapping: Path | None,
    sheet: str | None,
    credentials: Path | None,
    retry_seconds: float | None,
) -> None:
    """Append one action to a log (CSV, Excel or Google Sheet), or update --row N."""
    from .model.log_action import log_action

    # writing reads the sheet live: no --offline, and one worksheet, never --all-tabs
    sheet = _sheet_options(sheet, False, credentials, False, retry_seconds)
    try:
        done = log_action(
            source,
            channel=channel,
            pitch_type=pitch_type,
            client=client,
            status=status,
            date=date,
            note=note,
            row=row,
            columns=_parse_columns(column),
            mapping=mapping,
            sheet=int(sheet) if sheet is not None and sheet.isdigit() else sheet,
            credentials=credentials,
        )
    except OutreachDataError as err:
        _fail(err.message, err.failure_cases)
    cells = ", ".join(f"{k}: {v}" for k, v in done.values.items())
    what = "logged as row" if done.appended else "updated row"
    sys.stdout.write(f"{done.source}: {what} {done.row} ({cells})\n")
    for line in done.notes:
        sys.stdout.write(f"note: {line}\n")


@app.command("init-log")
@click.argument("path", cls=_Argument, type=_PATH, help="The new log: FILE.csv or FILE.xlsx.")
def init_log_cmd(path: Path) -> None:
    """Create a new, empty log file with the canonical header (never overwrites)."""
    from .io.init_log import init_log

    try:
        made = init_log(path)
    except OutreachDataError as err:
        _fail(err.message)
    sys.stdout.write(f"{made}\n")


@app.command("init-sheet")
@click.argument(
    "source",
    cls=_Argument,
    required=False,
    help="An empty Google Sheet to set up (its URL), instead of --title.",
)
@click.option("--title", help="Create a new spreadsheet with this title.")
@google_options
def init_sheet_cmd(
    source: str | None,
    title: str | None,
    credentials: Path | None,
    retry_seconds: float | None,
) -> None:
    """Create a ready log in Google Sheets (header, frozen row, drop-downs); prints its URL."""
    from .io.init_log import init_sheet

    _sheet_options(None, False, credentials, False, retry_seconds)

    try:
        url = init_sheet(title, source=source, credentials=credentials)
    except OutreachDataError as err:
        _fail(err.message)
    sys.stdout.write(f"{url}\n")


@app.command()
@sample_source_argument
@click.option(
    "--dir",
    "-d",
    "folder",
    type=_PATH,
    default="outreach-notebooks",
    show_default=True,
    metavar="DIR",
    help="Workspace folder for the notebooks.",
)
@as_of_option
@click.option("--force", is_flag=True, help="Overwrite notebooks you have edited there.")
@click.option("--port", type=int, help="Port for JupyterLab.")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the URL.")
@click.option("--copy-only", is_flag=True, help="Copy the notebooks, do not start JupyterLab.")
def lab(
    source: str | None,
    folder: Path,
    as_of: str | None,
    force: bool,
    port: int | None,
    no_browser: bool,
    copy_only: bool,
) -> None:
    """Copy the article notebooks into a workspace, set to your log, and open JupyterLab there."""
    from .lab import prepare_workspace, start_lab

    day = _parse_as_of(as_of)
    if source is not None and "://" not in source and not Path(source).expanduser().is_file():
        _fail(f"No file '{source}'. Fix: give the path of your log (CSV, TSV, .xlsx) or a URL.")
    try:
        done = prepare_workspace(source, folder, as_of=day, force=force)
    except OSError as err:
        _fail(f"Could not write to '{folder}': {err.strerror or err}. Fix: choose another --dir.")
    for r in done.itertuples(index=False):
        why = " (you edited it; --force replaces it)" if r.action == "kept" else ""
        sys.stderr.write(f"{r.action}: {r.notebook}{why}\n")
    if copy_only:
        return
    try:
        code = start_lab(folder, port=port, open_browser=not no_browser)
    except OutreachDataError as err:
        _fail(err.message)
    raise click.exceptions.Exit(code)


def _program_state(**settings: object) -> None:
    """Tell :func:`main` something about this run, e.g. ``quick_exit=True``: its process
    has nothing left to tidy once the output is flushed.

    Only the console script passes a dict (``app(obj=...)``) to fill in: the command group
    run in-process (click's ``CliRunner``, a notebook) changes nothing of the process.
    """
    ctx = click.get_current_context(silent=True)
    run = ctx.find_root().obj if ctx is not None else None
    if isinstance(run, dict):
        run.update(settings)


#: Commands whose process only reads a log, computes and prints: no subprocess, nothing
#: that outlives the command (see :func:`_settings_of_a_short_run`).
_SHORT_RUNS = ("summary", "inspect")


def _settings_of_a_short_run(argv: list[str]) -> None:
    """The process settings of a ``summary`` or ``inspect`` run, made before it imports.

    - The cyclic garbage collector is paused: pandas, pyarrow and scipy import some
      600,000 objects that live until the process ends, and the collector would walk them
      again and again (sample: 0.40 s instead of 0.43 s, medians of 9); the frames of a
      log make no cycles to collect.
    - OpenBLAS (numpy's and scipy's linear algebra) starts no threads of its own unless
      the user chose a number (``OPENBLAS_NUM_THREADS``): they spin waiting for work these
      commands never give them, on the cores that parse the file and import pandas (1M
      rows: 0.74 s instead of 0.80 s, medians of 7).

    Only the console script makes them (:func:`main`); the command group run in-process
    (``CliRunner``, a notebook) leaves the process as it was.
    """
    if argv[:1] and argv[0] in _SHORT_RUNS:
        gc.disable()
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main() -> None:
    """Entry point of the console script: the process settings of a run live here.

    A ``summary`` or ``inspect`` run is tuned (:func:`_settings_of_a_short_run`); after
    ``summary`` the process ends without the interpreter's tidying up (freeing every
    object of pandas and of the log one by one: 0.05 s for the sample, more for a large
    log), as mypy ends its runs: the output is flushed, nothing else is pending.
    """
    _settings_of_a_short_run(sys.argv[1:])
    run: dict[str, object] = {}
    try:
        app(obj=run)
    except SystemExit as done:
        if not run.get("quick_exit") or done.code not in (0, None):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe: Python's own exit says 120 when its flush fails
            os._exit(120)
        os._exit(0)


if __name__ == "__main__":
    main()
