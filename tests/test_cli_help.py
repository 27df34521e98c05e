"""The command line's ``--help`` and its usage errors, command by command (plain click).

Every command's help is read back and compared with the arguments and options written out
here by hand, in order, with their metavars; every command refuses an unknown option with a
usage error, exit code 2. In process with click's ``CliRunner``: no subprocess needed.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from outreach_analytics.cli import app

#: The commands in the order the group's help lists them (the README's order).
COMMANDS = ["summary", "inspect", "report", "auth", "log", "init-log", "init-sheet", "lab"]
READ_SHEET = [
    "--worksheet, --sheet TAB",
    "--all-tabs",
    "--credentials FILE",
    "--offline",
    "--retry-seconds SECONDS",
]
#: command -> (its arguments as the help names them, its options as the help lists them)
HELP = {
    "summary": (
        ["SOURCE"],
        [
            "--json",
            "--as-of YYYY-MM-DD",
            "--window DAYS",
            "--column CANONICAL=SOURCE_COLUMN",
            "--mapping FILE",
            "--skip-invalid",
            "--date-order ORDER",
            *READ_SHEET,
        ],
    ),
    "inspect": (
        ["SOURCE"],
        [
            "--write-mapping FILE",
            "--as-of YYYY-MM-DD",
            "--column CANONICAL=SOURCE_COLUMN",
            "--mapping FILE",
            "--date-order ORDER",
            *READ_SHEET,
        ],
    ),
    "report": (
        ["SOURCE"],
        [
            "-o, --output FILE",
            "--as-of YYYY-MM-DD",
            "--window DAYS",
            "--goal N",
            "--anonymize",
            "--column CANONICAL=SOURCE_COLUMN",
            "--mapping FILE",
            "--skip-invalid",
            "--date-order ORDER",
            *READ_SHEET,
        ],
    ),
    "auth": ([], ["--write"]),
    "log": (
        ["SOURCE"],
        [
            "--channel TEXT",
            "--type TEXT",
            "--client TEXT",
            "--status TEXT",
            "--date TEXT",
            "--note TEXT",
            "--row N",
            "--column CANONICAL=SOURCE_COLUMN",
            "--mapping FILE",
            "--worksheet, --sheet TAB",
            "--credentials FILE",
            "--retry-seconds SECONDS",
        ],
    ),
    "init-log": (["PATH"], []),
    "init-sheet": (["SOURCE"], ["--title TEXT", "--credentials FILE", "--retry-seconds SECONDS"]),
    "lab": (
        ["SOURCE"],
        [
            "-d, --dir DIR",
            "--as-of YYYY-MM-DD",
            "--force",
            "--port INTEGER",
            "--no-browser",
            "--copy-only",
        ],
    ),
}
#: command -> its parameters the function receives as a :class:`pathlib.Path`
PATH_PARAMS = {
    "summary": {"mapping", "credentials"},
    "inspect": {"write_mapping", "mapping", "credentials"},
    "report": {"output", "mapping", "credentials"},
    "auth": set(),
    "log": {"mapping", "credentials"},
    "init-log": {"path"},
    "init-sheet": {"credentials"},
    "lab": {"folder"},
}


def _invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})


def _section(text: str, title: str) -> list[str]:
    """The terms of one section of a help (``Options:``, ``Arguments:``), in order."""
    lines = text.split(f"\n{title}:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    # a term starts two spaces in; its help follows after two spaces more, or on the next
    # lines, further in
    return [line.strip().split("  ")[0] for line in lines if not line.startswith("   ")]


def test_the_group_lists_every_command_in_order():
    res = _invoke("--help")
    assert res.exit_code == 0, res.output
    assert _section(res.output, "Commands") == COMMANDS
    assert res.output.startswith("Usage: outreach-analytics [OPTIONS] COMMAND [ARGS]...")
    # no shell-completion options
    assert _section(res.output, "Options") == ["--help"]
    # no arguments at all: the help, as a usage error
    bare = _invoke()
    assert bare.exit_code == 2
    assert _section(bare.output, "Commands") == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_help_lists_every_option_with_its_metavar(command):
    arguments, options = HELP[command]
    res = _invoke(command, "--help")
    assert res.exit_code == 0, res.output
    text = res.output
    assert _section(text, "Options") == [*options, "--help"]
    if arguments:
        assert _section(text, "Arguments") == arguments
    else:
        assert "\nArguments:\n" not in text
    # typer's metavars are gone: no <str>, <list[str]>, <path>, <int range>
    assert "<" not in text and ">" not in text.replace("x>=", "")
    usage = text.splitlines()[0]
    assert usage.startswith(f"Usage: outreach-analytics {command} [OPTIONS]")
    for name in arguments:
        required = command in ("summary", "inspect", "log", "init-log")
        assert usage.endswith(f" {name}" if required else f" [{name}]")
        row = text.split("\nArguments:\n", 1)[1].split("\n\n", 1)[0]
        assert ("[required]" in row) is required


def test_help_keeps_the_defaults_ranges_and_help_texts():
    summary = " ".join(_invoke("summary", "--help").output.split())
    assert "[default: 14; x>=0]" in summary
    assert "Seconds to keep retrying Google on 429/5xx/timeouts (default 30). [x>=0]" in summary
    assert 'CANONICAL=SOURCE_COLUMN, e.g. date="Applied On"; repeatable.' in summary
    assert "SOURCE CSV/TSV or .xlsx file, or a Google Sheets URL. [required]" in summary
    report = " ".join(_invoke("report", "--help").output.split())
    assert "HTML file to write. [default: report.html]" in report
    assert "Actions per week you aim for. [x>=1]" in report
    assert "(default: the sample)." in report
    lab = " ".join(_invoke("lab", "--help").output.split())
    assert "[default: outreach- notebooks]" in lab  # click wraps after the hyphen
    log = " ".join(_invoke("log", "--help").output.split())
    assert "Update this row (its number in the sheet). [x>=1]" in log


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_an_unknown_option_is_a_usage_error(command):
    res = _invoke(*([command] if command else []), "--no-such-option")
    assert res.exit_code == 2, res.output
    assert "No such option" in res.output and "--no-such-option" in res.output
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["summary", "log.csv", "--window", "-1"], "--window"),
        (["summary", "log.csv", "--retry-seconds", "-0.5"], "--retry-seconds"),
        (["report", "--goal", "0"], "--goal"),
        (["log", "log.csv", "--row", "0"], "--row"),
        (["lab", "--port", "eighty"], "--port"),
        (["inspect"], "SOURCE"),
        (["nope"], "nope"),
    ],
)
def test_a_bad_value_or_a_missing_argument_is_a_usage_error(args, option):
    res = _invoke(*args)
    assert res.exit_code == 2, res.output
    assert option in res.output and "Error:" in res.output
    assert "Traceback" not in res.output


def test_the_sheet_alias_and_the_repeated_column_reach_the_command(tmp_path):
    # --sheet is --worksheet; --column repeats; both checked before anything is read
    res = _invoke("summary", "log.csv", "--sheet", "Feb", "--all-tabs")
    assert res.exit_code == 2
    assert "--all-tabs reads every tab" in " ".join(res.output.split())
    res = _invoke("summary", "log.csv", "--column", "date=Sent", "--column", "channel")
    assert res.exit_code == 2
    assert "--column 'channel' is not of the form CANONICAL=SOURCE_COLUMN" in " ".join(
        res.output.split()
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_path_options_reach_the_function_as_pathlib_paths(command):
    cmd = app.commands[command]
    ctx = click.Context(cmd)
    paths = {p.name for p in cmd.params if isinstance(p.type, click.Path)}
    assert paths == PATH_PARAMS[command]
    for p in cmd.params:
        if p.name in paths:
            assert isinstance(p.type_cast_value(ctx, "some/file.x"), Path), p.name
