"""The ``outreach-analytics`` command line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import OutreachDataError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn an outreach log (pitches, proposals, applications) into honest numbers.",
    pretty_exceptions_enable=False,
)

SourceArg = Annotated[str, typer.Argument(help="CSV/TSV or .xlsx file, or a Google Sheets URL.")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Count as of this day, YYYY-MM-DD (default today).")
]
Window = Annotated[
    int,
    typer.Option(
        "--window",
        min=0,
        help="Days a pitch may wait for an answer before it counts as no response.",
    ),
]
Columns = Annotated[
    list[str] | None,
    typer.Option("--column", help='CANONICAL=SOURCE_COLUMN, e.g. date="Applied On"; repeatable.'),
]
MappingOpt = Annotated[
    Path | None, typer.Option("--mapping", help="TOML file mapping columns and status words.")
]
SkipInvalid = Annotated[
    bool, typer.Option("--skip-invalid", help="Use the valid rows and list every skipped one.")
]
DateOrder = Annotated[
    str | None,
    typer.Option("--date-order", help="day-first or month-first, for dates like 03/04/2024."),
]
Sheet = Annotated[str | None, typer.Option("--sheet", help="Worksheet name or 0-based number.")]


@app.callback()
def _root() -> None:
    """Turn an outreach log (pitches, proposals, applications) into honest numbers."""


def _fail(message: str, failures=None) -> None:
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
            table.add_row(str(r.row), str(r.column), str(r.value), str(r.reason))
        err.print(table)
        if len(failures) > 30:
            err.print(f"... and {len(failures) - 30} more.")
    raise typer.Exit(code=2)


def _parse_columns(items: list[str] | None) -> dict[str, str]:
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


def _load(source, column, mapping, skip_invalid, date_order, sheet, fields=None):
    from .model.load import load_report

    return load_report(
        source,
        fields=fields,
        columns=_parse_columns(column),
        mapping=mapping,
        skip_invalid=skip_invalid,
        date_order=date_order,
        sheet=int(sheet) if sheet is not None and sheet.isdigit() else sheet,
    )


@app.command()
def summary(
    source: SourceArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    as_of: AsOf = None,
    window: Window = 14,
    column: Columns = None,
    mapping: MappingOpt = None,
    skip_invalid: SkipInvalid = False,
    date_order: DateOrder = None,
    sheet: Sheet = None,
) -> None:
    """Print the funnel and the rates of a log, overall and per channel and pitch type."""
    day = _parse_as_of(as_of)
    try:
        from .analysis.summary import SUMMARY_FIELDS, summarize

        report = _load(source, column, mapping, skip_invalid, date_order, sheet, SUMMARY_FIELDS)
        result = summarize(report, as_of=day, window=window)
    except OutreachDataError as err:
        _fail(err.message, err.failure_cases)
    if json_out:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    _print_summary(result)


def _fmt_rate(r: dict) -> str:
    if r["value"] is None:
        return "—"
    return f"{r['value']:.0%} [{r['ci_low'] * 100:.0f}–{r['ci_high'] * 100:.0f}]"


def _fmt_ppw(r: dict) -> str:
    if r["value"] is None:
        return "—"
    return f"{r['value']:.0f} [{r['ci_low']:.0f}–{r['ci_high']:.0f}]"


def _print_summary(s: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    o = s["overall"]
    console.print(
        f"[bold]{s['source']}[/]: {s['rows_read']} rows read, {s['rows_used']} used, "
        f"{s['rows_skipped']} skipped, {s['rows_blank']} blank — as of {s['as_of']}, "
        f"{s['window_days']}-day answer window"
    )
    console.print(
        f"{o['actions']} actions, {o['pending']} still pending, {o['settled']} settled: "
        f"{o['responses']} responses, {o['interviews']} interviews, {o['offers']} offers, "
        f"{o['wins']} wins."
    )
    for key, title in (("by_channel", "channel"), ("by_pitch_type", "pitch_type")):
        rows = [dict(o, **{title: "all"})] + s[key]
        if not s[key]:
            continue
        table = Table(
            title.replace("_", " "),
            "actions",
            "settled",
            "responded [95% CI]",
            "interview",
            "won",
            "pitches/win",
            title=f"By {title.replace('_', ' ')}",
            title_justify="left",
        )
        for r in rows:
            table.add_row(
                str(r[title]),
                str(r["actions"]),
                str(r["settled"]),
                _fmt_rate(r["response_rate"]),
                _fmt_rate(r["interview_rate"]),
                _fmt_rate(r["win_rate"]),
                _fmt_ppw(r["pitches_per_win"]),
                style="bold" if r[title] == "all" else None,
            )
        console.print(table)
    if s["skipped"]:
        table = Table(
            "row", "column", "value", "reason", title="Skipped rows", title_justify="left"
        )
        for p in s["skipped"]:
            table.add_row(str(p["row"]), p["column"], p["value"], p["reason"])
        console.print(table)
    for note in s["notes"]:
        console.print(f"[dim]note: {note}[/]")


@app.command()
def report(
    source: Annotated[
        str | None,
        typer.Argument(help="CSV/TSV or .xlsx file, or a Google Sheets URL (default: the sample)."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    as_of: AsOf = None,
    window: Window = 14,
    goal: Annotated[
        int | None, typer.Option("--goal", min=1, help="Actions per week you aim for.")
    ] = None,
    anonymize: Annotated[
        bool,
        typer.Option("--anonymize", help="Replace client names by Client 001... and drop notes."),
    ] = False,
    column: Columns = None,
    mapping: MappingOpt = None,
    skip_invalid: SkipInvalid = False,
    date_order: DateOrder = None,
    sheet: Sheet = None,
) -> None:
    """Write a self-contained HTML report (charts, tables, data quality) that opens offline."""
    day = _parse_as_of(as_of)
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
def lab(
    source: Annotated[
        str | None,
        typer.Argument(help="CSV/TSV or .xlsx file, or a Google Sheets URL (default: the sample)."),
    ] = None,
    folder: Annotated[
        Path, typer.Option("--dir", "-d", help="Workspace folder for the notebooks.")
    ] = Path("outreach-notebooks"),
    as_of: AsOf = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite notebooks you have edited there.")
    ] = False,
    port: Annotated[int | None, typer.Option("--port", help="Port for JupyterLab.")] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser; just print the URL.")
    ] = False,
    copy_only: Annotated[
        bool, typer.Option("--copy-only", help="Copy the notebooks, do not start JupyterLab.")
    ] = False,
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
    raise typer.Exit(code=code)


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
