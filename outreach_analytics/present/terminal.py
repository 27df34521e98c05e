"""Plain text for the terminal: wrapped lines and aligned tables, bold and dim on a tty.

``summary`` prints a few lines and two small tables. Drawing them here, with the standard
library only, spares every run the import and layout work of a rich console (about 80 ms
of a command that must start in little more time than ``import pandas`` takes).
The layout follows rich's ``SIMPLE_HEAD`` tables: a title, a header, a rule, the rows.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import TextIO

__all__ = ["Printer", "table_lines", "display_width", "fit_distinct"]

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _wants_colour(stream: TextIO) -> bool:
    """Colour as rich decides it: a tty, no ``NO_COLOR``, not a dumb terminal."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: 2 for wide and full-width characters (CJK,
    ``unicodedata.east_asian_width`` W or F), 0 for combining marks, 1 for the rest.

    >>> display_width("Email"), display_width("领英"), display_width("é")
    (5, 4, 1)
    """
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, the cut marked with an ellipsis."""
    if display_width(text) <= width:
        return text
    kept, used = [], 1  # the ellipsis takes one column
    for c in text:
        used += display_width(c)
        if used > width:
            break
        kept.append(c)
    return "".join(kept) + "…"


def _keep_the_end(texts: Sequence[str], width: int) -> list[str] | None:
    """Texts that share a long start, each cut in the middle so that the words where
    they differ show: "Rate-incr…past clients". None when those words do not fit."""
    common = os.path.commonprefix(list(texts))
    start = common.rfind(" ") + 1  # back to the start of the word where they part
    out = []
    for text in texts:
        tail = text[start:]
        room = width - display_width(tail)
        if start == 0 or room < 4:
            return None
        out.append(_cut(text[:start], room) + tail)
    return out


def fit_distinct(texts: Sequence[str], width: int) -> list[str]:
    """Each text cut to ``width`` columns, and two different texts never cut to the same.

    Texts whose cuts collide keep their differing words, cut in the middle; failing
    that they are cut longer, together, until they differ (at worst shown whole).

    >>> fit_distinct(["Rate-increase ask to past clients", "Rate-increase ask to new leads",
    ...               "Upwork"], 20)
    ['Rate-in…past clients', 'Rate-incre…new leads', 'Upwork']
    >>> fit_distinct(["Rate-increase ask A1", "Rate-increase ask A2"], 10)
    ['Rate-in…A1', 'Rate-in…A2']
    >>> fit_distinct(["Referral-ask-01", "Referral-ask-02"], 10)  # no word to keep: wider
    ['Referral-ask-01', 'Referral-ask-02']
    """
    cut = [_cut(t, width) for t in texts]
    for _ in range(2):  # first the middle cuts, then wider cuts for what still clashes
        groups: dict[str, list[str]] = {}
        for text, shown in zip(texts, cut, strict=True):
            if text not in groups.setdefault(shown, []):
                groups[shown].append(text)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            return cut
        for group in clashes:
            middle = _keep_the_end(group, width)
            if middle is None or len(set(middle)) < len(group):
                longest = max(display_width(t) for t in group)
                for wider in range(width + 1, longest + 1):
                    middle = [_cut(t, wider) for t in group]
                    if len(set(middle)) == len(group):
                        break
                else:
                    middle = list(group)
            shown_as = dict(zip(group, middle, strict=True))
            cut = [shown_as.get(t, c) for t, c in zip(texts, cut, strict=True)]
    return cut


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(width - display_width(text), 0)
    return space + text if right else text + space


def table_lines(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool] | None = None,
    max_first: int | None = None,
    width: int | None = None,
) -> list[str]:
    """Rows aligned under a header and a rule: one space before, two between columns.

    Widths are display widths (:func:`display_width`): a Chinese name takes two columns a
    character, and the columns still line up.

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequences of str
        Each as long as ``header``.
    right : sequence of bool, optional
        Which columns are right-aligned (numbers); the default aligns all but the first.
    max_first : int, optional
        The first column's widest text; longer names end in "…" (two names are never
        cut to the same text: see :func:`fit_distinct`).
    width : int, optional
        The widest line: the first column may then grow past ``max_first`` into the
        room the other columns leave.

    Examples
    --------
    >>> for line in table_lines(["channel", "sent"], [["Upwork", "12"], ["Referral", "3"]]):
    ...     print(line)
     channel   sent
     ──────────────
     Upwork      12
     Referral     3
    """
    right = list(right) if right is not None else [False] + [True] * (len(header) - 1)
    cells = [list(header), *[list(r) for r in rows]]
    if max_first is not None:
        if width is not None:
            rest = sum(max(display_width(r[i]) for r in cells) + 2 for i in range(1, len(header)))
            max_first = max(max_first, width - 1 - rest)
        for r, shown in zip(cells, fit_distinct([r[0] for r in cells], max_first), strict=True):
            r[0] = shown
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(header))]

    def line(r: Sequence[str]) -> str:
        parts = [_pad(c, w, rj) for c, w, rj in zip(r, widths, right, strict=True)]
        return " " + "  ".join(parts).rstrip()

    rule = " " + "─" * (sum(widths) + 2 * (len(widths) - 1))
    return [line(cells[0]), rule, *(line(r) for r in cells[1:])]


class Printer:
    """Writes wrapped lines to a stream, bold or dim where the stream is a terminal.

    The width is the terminal's (``COLUMNS`` first), 80 when the output is not one.

    >>> import io
    >>> out = io.StringIO()
    >>> Printer(out, width=20).line("a sentence that is longer than twenty")
    >>> print(out.getvalue(), end="")
    a sentence that is
    longer than twenty
    """

    def __init__(self, stream: TextIO | None = None, *, width: int | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.width = width or shutil.get_terminal_size((80, 24)).columns
        self.colour = _wants_colour(self.stream)

    def _styled(self, text: str, style: str | None) -> str:
        if not style or not self.colour:
            return text
        return {"bold": _BOLD, "dim": _DIM}[style] + text + _RESET

    def line(self, text: str = "", style: str | None = None, *, indent: str = "") -> None:
        """Print ``text`` wrapped to the width; later lines start with ``indent``."""
        wrapped = textwrap.wrap(text, self.width, subsequent_indent=indent) or [""]
        for piece in wrapped:
            self.stream.write(self._styled(piece, style) + "\n")

    def table(
        self,
        title: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        bold_rows: Sequence[bool] = (),
        **layout,
    ) -> None:
        """A titled table (see :func:`table_lines`), then a blank line."""
        self.line(title, "bold")
        layout.setdefault("width", self.width)
        head, rule, *body = table_lines(header, rows, **layout)
        self.stream.write(self._styled(head, "bold") + "\n" + rule + "\n")
        for i, text in enumerate(body):
            self.stream.write(
                self._styled(text, "bold" if i < len(bold_rows) and bold_rows[i] else None) + "\n"
            )
        self.stream.write("\n")
