"""The summary's plain-text layer: widths, cut names, colour only on a terminal."""

from __future__ import annotations

import io

from outreach_analytics.present.terminal import Printer, table_lines


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_table_columns_line_up_and_long_names_are_cut():
    lines = table_lines(
        ["name", "sent", "rate"],
        [["Rate-increase asks by email", "27", "58 39–74"], ["Upwork", "403", "16 12–20"]],
        max_first=16,
    )
    head, rule, first, second = lines
    assert first.split("  ")[0] == " Rate-increase a…"
    assert len(first) == len(second) == len(head) == len(rule)  # right-aligned numbers
    assert set(rule.strip()) == {"─"}
    # every column starts where its header does (left) or ends where it does (right)
    assert head.index("sent") + 4 == first.index("27") + 2 == second.index("403") + 3


def test_lines_wrap_to_the_width_with_the_indent():
    out = io.StringIO()
    Printer(out, width=30).line("note: " + "word " * 20, indent="  ")
    lines = out.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= 30 for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    plain, tty = io.StringIO(), _Tty()
    for stream in (plain, tty):
        Printer(stream, width=80).table(
            "By channel", ["channel", "sent"], [["all", "3"]], bold_rows=[True]
        )
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[1m all" in tty.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    quiet = _Tty()
    Printer(quiet, width=80).line("x", "bold")
    assert quiet.getvalue() == "x\n"
