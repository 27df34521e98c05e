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
from collections.abc import Sequence
from typing import TextIO

__all__ = ["Printer", "table_lines"]

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _wants_colour(stream: TextIO) -> bool:
    """Colour as rich decides it: a tty, no ``NO_COLOR``, not a dumb terminal."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked with an ellipsis."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def table_lines(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool] | None = None,
    max_first: int | None = None,
) -> list[str]:
    """Rows aligned under a header and a rule: one space before, two between columns.

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequences of str
        Each as long as ``header``.
    right : sequence of bool, optional
        Which columns are right-aligned (numbers); the default aligns all but the first.
    max_first : int, optional
        The first column's widest text; longer names end in "…".

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
        for r in cells:
            r[0] = _fit(r[0], max_first)
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(r: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if rj else c.ljust(w) for c, w, rj in zip(r, widths, right, strict=True)
        ]
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
        head, rule, *body = table_lines(header, rows, **layout)
        self.stream.write(self._styled(head, "bold") + "\n" + rule + "\n")
        for i, text in enumerate(body):
            self.stream.write(
                self._styled(text, "bold" if i < len(bold_rows) and bold_rows[i] else None) + "\n"
            )
        self.stream.write("\n")
