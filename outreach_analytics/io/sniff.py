"""Where a CSV's header is and how it is written: encoding, delimiter, header row."""

from __future__ import annotations

import csv
from typing import NamedTuple

import numpy as np

from ..words import column_aliases, header_key, other_headers

HEAD_BYTES = 256 * 1024  # what is read of a file to find its encoding, delimiter, header
_DELIMITERS = (",", ";", "\t")


def _known_headers(every_language: bool) -> set[str]:
    """The header names a header row is recognised by: English's, or every language's."""
    aliases = column_aliases(None if every_language else [])
    known = {header_key(a) for names in aliases.values() for a in names}
    return known | {header_key(a) for a in other_headers()} if every_language else known


def _date_headers(every_language: bool) -> set[str]:
    """The header names of the column of the day each action was sent."""
    return {header_key(a) for a in column_aliases(None if every_language else [])["date"]}


class HeaderRow(NamedTuple):
    """Where a header row is, and how well it is recognised."""

    index: int  #: its position among the rows
    known: int  #: how many of its cells are known header names (0: found by its width)
    dated: bool  #: whether one of them names the date column


def read_head(path) -> bytes:
    """The first bytes of a file, from which its layout is found."""
    with open(path, "rb") as fh:
        return fh.read(HEAD_BYTES)


def first_lines(head: bytes, encoding: str) -> list[str]:
    """The first 50 lines of ``head`` (the last dropped where the head cut it short)."""
    lines = head.decode(encoding, errors="replace").splitlines()[:50]
    if len(head) == HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]
    return lines


def detect_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        # a multi-byte character cut at the end of the head is not a real error
        if err.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


def sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1.0
    for delim in _DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not widths:
            continue
        values, counts = np.unique(widths, return_counts=True)
        mode = values[np.argmax(counts)]
        if mode < 2:
            continue
        score = counts.max() + 0.001 * mode
        if score > best_score:
            best, best_score = delim, score
    return best


def find_header(rows: list[list[str]]) -> int:
    """Index of the header row among the first rows (title rows above it are skipped)."""
    return locate_header(rows).index


def locate_header(rows: list[list[str]]) -> HeaderRow:
    """The header row among the first rows, and how many of its cells are known names.

    A row with at least two known names (English first, then every language's) is the
    header; else the first row about as wide as the widest, which recognises no name.

    >>> locate_header([["Pitches 2024"], ["Date", "Client", "Status", "Mood"], ["x", "y"]])
    HeaderRow(index=1, known=3, dated=True)
    >>> locate_header([["a", "b"], ["1", "2"]])
    HeaderRow(index=0, known=0, dated=False)
    """
    widths = [sum(1 for c in r if c.strip()) for r in rows]
    if not widths:
        return HeaderRow(0, 0, False)
    for every_language in (False, True):  # English first: its logs read no language file
        known = _known_headers(every_language)
        for i, r in enumerate(rows[:10]):
            keys = [header_key(c) for c in r if c.strip()]
            found = sum(k in known for k in keys)
            if found >= 2:
                return HeaderRow(i, found, not _date_headers(every_language).isdisjoint(keys))
    full = max(widths)
    for i, w in enumerate(widths[:10]):
        if w >= max(2, full // 2):
            return HeaderRow(i, 0, False)
    return HeaderRow(0, 0, False)
