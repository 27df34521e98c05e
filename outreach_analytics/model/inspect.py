"""What the toolkit makes of a log, column by column, before any number is computed.

:func:`inspect` reads a log the way :func:`~outreach_analytics.load` does and says, for
each column, what it was recognised as and why; for each status-like column, its distinct
values with their counts and how each is read; for each date column, the order inferred
and the share of cells that parse; and every problem with its row as the sheet shows it.
:meth:`Inspection.mapping_toml` turns that into a starter mapping file: every recognised
choice filled in, every unknown value a commented ``TODO`` line.
"""

from __future__ import annotations

import json
import os
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OutreachDataError
from ..io.raw import RawTable
from ..io.sources import read_source
from ..words import column_aliases, other_headers
from .columns import canonical_names, resolve_columns
from .dates import parse_unique_dates, parse_with_format
from .mapping import PLACEHOLDERS, WHEN, LogMapping, as_mapping
from .normalize import (
    BOOL_INPUTS,
    DATE_INPUTS,
    normalize_table,
    prose_column,
    read_flags,
    user_statuses,
    user_values,
)
from .schema import header_key
from .status import (
    AMBIGUOUS_WORDS,
    explain_status,
    normalize_phrase,
    parse_status,
    status_language,
    suggest_words,
)

__all__ = ["Inspection", "inspect"]

WIDTH = 80
_SHOWN_VALUES = 25
_SHOWN_PROBLEMS = 15


@dataclass
class Inspection:
    """How a log is read. Each frame is tidy; ``str()`` is the 80-column report.

    Attributes
    ----------
    source : str
        What was read.
    columns : pandas.DataFrame
        ``column`` (the header), ``used_as`` (an input column, or ``"not used"``), ``why``.
    values : pandas.DataFrame
        Distinct values of status-like and yes/no columns: ``column``, ``value``, ``rows``,
        ``reading`` (``"stage / result"``, ``"yes"``, ``"no"``, ``"unknown"``, or ``None``
        when not understood), ``flag`` (why to look twice, else empty) and ``language``
        (the language whose word list a whole phrase was read from, "de", "es/pt"...;
        empty for English and for your own words).
    dates : pandas.DataFrame
        ``column``, ``cells`` (non-empty), ``parsed``, ``share`` and ``order``.
    problems : pandas.DataFrame
        ``row``, ``column``, ``value``, ``reason``, as :class:`~outreach_analytics.LoadReport`.
    counts : dict
        ``rows_read``, ``rows_used``, ``rows_skipped``, ``rows_blank``, ``planned``, ``undated``.
    notes : list of str
        What the reader guessed, and a load error if the log cannot be read as it is.
    """

    source: str
    columns: pd.DataFrame
    values: pd.DataFrame
    dates: pd.DataFrame
    problems: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    date_order: str | None = None
    sheet: str | int | None = None
    ignored: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- text

    def to_text(self, width: int = WIDTH) -> str:
        """The report as plain text, no line longer than ``width``."""
        out: list[str] = []
        c = self.counts
        head = f"{self.source}: {c.get('rows_read', 0)} rows read"
        if "rows_used" in c:
            head += (
                f", {c['rows_used']} used ({c.get('planned', 0)} planned, "
                f"{c.get('undated', 0)} undated), {c['rows_skipped']} with problems, "
                f"{c['rows_blank']} blank"
            )
        out += textwrap.wrap(head, width)
        out += ["", "Columns (header -> read as: why)"]
        name_w = min(24, max([len(str(x)) for x in self.columns["column"]] + [6]))
        for r in self.columns.itertuples(index=False):
            first = f"  {_cut(r.column, name_w):<{name_w}}  {r.used_as:<12}  "
            out += _hang(first, r.why, width)
        for column, grp in self.values.groupby("column", sort=False):
            out += ["", f"Values of '{column}' (rows, how each is read)"]
            val_w = min(28, max(len(str(v)) for v in grp["value"]))
            for r in grp.head(_SHOWN_VALUES).itertuples(index=False):
                reading = "NOT UNDERSTOOD: map it (TODO)" if pd.isna(r.reading) else r.reading
                if r.language:
                    reading += f" (from: {r.language})"
                first = f"  {_cut(r.value, val_w):<{val_w}} {r.rows:>5}  "
                out += _hang(first, reading + (f" - {r.flag}" if r.flag else ""), width)
            if len(grp) > _SHOWN_VALUES:
                out.append(f"  ... and {len(grp) - _SHOWN_VALUES} more values")
        if len(self.dates):
            out += ["", "Dates"]
            for r in self.dates.itertuples(index=False):
                order = f", {r.order}" if r.order else ""
                text = (
                    f"'{r.column}': {r.parsed} of {r.cells} cells read as dates "
                    f"({r.share:.0%}{order})"
                )
                out += _hang("  ", text, width)
        if len(self.problems):
            out += [
                "",
                f"Problems ({self.problems['row'].nunique()} rows, as numbered in the sheet)",
            ]
            for r in self.problems.head(_SHOWN_PROBLEMS).itertuples(index=False):
                where = f"row {r.row}" + (f" '{_cut(r.column, 18)}'" if r.column else "")
                value = f" '{_cut(r.value, 20)}'" if r.value else ""
                out += _hang("  ", f"{where}{value}: {r.reason}", width)
            if len(self.problems) > _SHOWN_PROBLEMS:
                out.append(f"  ... and {len(self.problems) - _SHOWN_PROBLEMS} more")
        if self.notes:
            out += ["", "Notes"]
            for note in self.notes:
                out += _hang("  - ", note, width)
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    # ---------------------------------------------------------------- mapping

    def mapping_toml(self) -> str:
        """A starter mapping file: recognised choices filled in, unknown values as TODOs.

        The file loads as it is (every TODO is a comment); uncomment and complete the
        TODO lines to read the values the toolkit did not understand.
        """
        lines = [
            f"# Mapping for {self.source}, written by `outreach-analytics inspect`.",
            "# Check the choices, complete the TODO lines, then run:",
            "#   outreach-analytics summary YOUR_LOG --mapping THIS_FILE",
            "",
            "[columns]",
        ]
        used: dict[str, list[str]] = {}
        for r in self.columns.itertuples(index=False):
            if r.used_as != "not used":
                used.setdefault(r.used_as, []).append(r.column)
        for canonical, cols in used.items():
            value = _toml(cols[0]) if len(cols) == 1 else "[" + ", ".join(map(_toml, cols)) + "]"
            lines.append(f"{canonical} = {value}")
        unused = [r.column for r in self.columns.itertuples(index=False) if r.used_as == "not used"]
        if unused:
            lines += textwrap.wrap(
                ", ".join(unused), WIDTH, initial_indent="# not used: ", subsequent_indent="#   "
            )
        lines += ["", '[statuses]   # your word = a known word, "planned" or "STAGE/RESULT"']
        status_cols = set(used.get("status", []))
        vals = self.values[self.values["column"].isin(status_cols)]
        for r in vals.itertuples(index=False):
            if pd.isna(r.reading):
                near = suggest_words(r.value)
                hint = f"; nearest known: {', '.join(near)}" if near else ""
                hint = f"; {r.flag}" if r.flag else hint
                lines.append(f'# TODO {_toml(r.value)} = ""   # {_rows(r.rows)}{hint}')
            elif r.flag:
                reading = r.reading.replace(" / ", "/")
                lines.append(f"{_toml(r.value)} = {_toml(reading)}   # {r.flag}")
        flag_vals = self.values[~self.values["column"].isin(status_cols)]
        lines += ["", '[values]     # cells of yes/no columns: "yes", "no" or "unknown"']
        for column, grp in flag_vals.groupby("column", sort=False):
            todo = grp[grp["reading"].isna()]
            if len(todo):
                lines.append(f"# [values.{_toml(column)}]")
                for r in todo.itertuples(index=False):
                    lines.append(f'# TODO {_toml(r.value)} = ""   # {_rows(r.rows)}')
        lines += ["", "[options]"]
        if self.date_order:
            lines.append(f"date_order = {_toml(self.date_order)}")
        else:
            lines.append('# date_order = "day-first"   # or "month-first", if dates are ambiguous')
        if self.sheet is not None:
            lines.append(f"sheet = {_toml(str(self.sheet))}")
        if self.ignored:
            lines.append("ignore = [" + ", ".join(map(_toml, self.ignored)) + "]")
        return "\n".join(lines) + "\n"

    def write_mapping(self, path: str | os.PathLike) -> Path:
        """Write :meth:`mapping_toml` to ``path`` and return it."""
        path = Path(path)
        path.write_text(self.mapping_toml(), encoding="utf-8")
        return path


def _toml(text: object) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(text), ensure_ascii=False)


def _rows(n: int) -> str:
    """``"1 row"``, ``"3 rows"``."""
    return f"{n} row" if n == 1 else f"{n} rows"


def _cut(text: object, width: int) -> str:
    text = str(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _hang(first: str, text: str, width: int) -> list[str]:
    """``first`` then ``text`` wrapped to ``width``, continuation lines under the text."""
    indent = " " * min(len(first), width // 2)
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=True,
        drop_whitespace=True,
    ) or [first.rstrip()]


# -------------------------------------------------------------------- the work


def inspect(
    source: str | os.PathLike | pd.DataFrame,
    *,
    mapping: str | os.PathLike | LogMapping | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    date_order: str | None = None,
    sheet: str | int | None = None,
    client: Any = None,
    as_of: Any = None,
) -> Inspection:
    """Say how a log is read, column by column, and list every problem.

    Takes the loading options of :func:`~outreach_analytics.load_report`; never raises
    for a problem in the log (it is what ``inspect`` is for), only for a source that
    cannot be read at all.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"Applied on": ["2024-03-01", "2024-03-02", "2024-03-04"],
    ...                     "Stage": ["Applied", "Contacted", "Ready to Apply"],
    ...                     "URL": ["a", "b", "c"]})
    >>> ins = inspect(log)
    >>> ins.columns[["column", "used_as"]].values.tolist()
    [['Applied on', 'date'], ['Stage', 'status'], ['URL', 'not used']]
    >>> ins.values[["value", "reading"]].values.tolist()
    [['Applied', 'sent / open'], ['Contacted', 'responded / open'], ['Ready to Apply', 'planned / open']]
    >>> print(ins.mapping_toml().split("[statuses]")[0].strip().splitlines()[-3:])
    ['date = "Applied on"', 'status = "Stage"', '# not used: URL']
    """
    m = as_mapping(mapping)
    explicit = {**canonical_names(m.columns), **canonical_names(columns)}
    sheet = sheet if sheet is not None else m.sheet
    raw = read_source(source, sheet=sheet, client=client)
    headers = list(raw.frame.columns)
    colmap = resolve_columns(
        headers, explicit, m.ignore, is_prose=lambda h: prose_column(raw.frame[h])
    )
    statuses = user_statuses({k: v for k, v in m.statuses.items() if k != WHEN})
    notes: list[str] = []
    counts: dict[str, int] = {"rows_read": len(raw.frame)}
    problems = pd.DataFrame({"row": [], "column": [], "value": [], "reason": []})
    order = date_order or m.date_order
    ignored: list[str] = []
    try:
        with warnings.catch_warnings():  # what a warning says is in the notes
            warnings.simplefilter("ignore")
            rep = normalize_table(
                raw,
                columns=explicit,
                statuses=m.statuses,
                values=m.values,
                date_order=order,
                skip_invalid=True,
                ignore=m.ignore,
                as_of=as_of,
                dates=m.dates,
                exclude=m.exclude,
                undated=m.undated,
            )
    except OutreachDataError as err:
        notes += raw.notes  # what the reader chose (the sheet, the table), said all the same
        notes.append(f"The log cannot be loaded as it is: {err.message}")
        flags = {}
    else:
        counts = {
            "rows_read": rep.rows_read,
            "rows_used": rep.rows_used,
            "rows_skipped": rep.rows_skipped,
            "rows_blank": rep.rows_blank,
            "planned": int((rep.data["stage"] == "planned").sum()),
            "undated": len(rep.undated_rows),
        }
        problems = rep.skipped
        notes += rep.notes
        ignored = [
            c for cols in colmap.values() for c in cols if c not in sum(rep.columns.values(), [])
        ]
        colmap = rep.columns
        flags = user_values(m.values, colmap)
    prose = [h for h in headers if h in colmap.get("status", []) or _status_like(h, colmap)]
    prose = [h for h in prose if prose_column(raw.frame[h])]
    col_table = _columns_table(headers, colmap, explicit, m.ignore, ignored, prose)
    values = _values_table(raw, colmap, statuses, flags, prose, m.statuses.get(WHEN))
    formats = {k: v for k, v in m.dates.items() if k != PLACEHOLDERS}
    dates, inferred = _dates_table(raw, colmap, order, formats)
    return Inspection(
        source=raw.name,
        columns=col_table,
        values=values,
        dates=dates,
        problems=problems.reset_index(drop=True),
        counts=counts,
        notes=notes,
        date_order=order or inferred,
        sheet=sheet,
        ignored=[*m.ignore, *ignored],
    )


def _status_like(header: str, colmap: dict[str, list[str]]) -> bool:
    """A header that could hold status words but is not read (another column is)."""
    from .columns import status_candidates

    used = {c for cols in colmap.values() for c in cols}
    return header not in used and header in status_candidates([header])


def _columns_table(
    headers: list[str],
    colmap: dict[str, list[str]],
    explicit: Mapping[str, Any],
    ignore: Sequence[str],
    set_aside: list[str],
    prose: Sequence[str] = (),
) -> pd.DataFrame:
    used = {c: canonical for canonical, cols in colmap.items() for c in cols}
    skip = {header_key(c) for c in ignore}
    rows = []
    for h in headers:
        if h in set_aside:
            rows.append((h, "not used", "recognised, but its cells could not be read: set aside"))
        elif header_key(h) in skip:
            rows.append((h, "not used", "ignored by the mapping"))
        elif h in used:
            canonical = used[h]
            if canonical in explicit:
                why = "named in the mapping"
            elif canonical == "status" and header_key(h) not in map(
                header_key, column_aliases()["status"]
            ):
                why = "the header says status (a column of short words wins over free text)"
            else:
                why = f"the header is a known name for {canonical}"
            if h in prose:
                why += " (free text: its values are listed as TODO, not guessed)"
            if canonical in BOOL_INPUTS:
                why += " (yes/no column)"
            rows.append((h, canonical, why))
        else:
            near = [
                c
                for c, aliases in column_aliases().items()
                if header_key(h) in map(header_key, aliases)
            ]
            why = f"(another column is read as {near[0]})" if near else ""
            if not near and header_key(h) in map(header_key, other_headers()):
                why = "the job's title: a known header, not read"
            if h in prose:
                why = "free text (long sentences): another column holds the status words"
            rows.append((h, "not used", why))
    return pd.DataFrame(rows, columns=["column", "used_as", "why"]).astype("str")


def _values_table(
    raw: RawTable,
    colmap: dict[str, list[str]],
    statuses: dict[str, tuple[str, str]],
    flags: dict[str, dict[str, int]],
    prose: Sequence[str] = (),
    when: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    rows = []
    by_value = {  # [statuses.when]: the words each value of its column reads differently
        v: {normalize_phrase(w) for w in table}
        for v, table in (when or {}).items()
        if v != "column"
    }
    for col in colmap.get("status", []):
        if col in prose:  # sentences: a word in them ("offer") is no reading of the row
            for value, n in _distinct(raw.frame[col]):
                rows.append((col, value, n, None, "free text: map what it means (TODO)", ""))
            continue
        for value, n in _distinct(raw.frame[col]):
            reading = parse_status(value, statuses)
            flag = ""
            phrase = normalize_phrase(value)
            if phrase in AMBIGUOUS_WORDS and phrase not in statuses:
                flag = AMBIGUOUS_WORDS[phrase]
            where = [v for v, words in by_value.items() if phrase in words]
            if where:
                flag = f"where {when['column']} is {', '.join(where)}: as [statuses.when] says"
            elif phrase not in statuses and not flag:
                flag = explain_status(value)  # a guess from the words in it, or prose
            language = "" if phrase in statuses else status_language(value)
            shown = f"{reading[0]} / {reading[1]}" if reading else None
            rows.append((col, value, n, shown, flag, language))
    names = {1: "yes", 0: "no or not known yet", -1: None}
    for canonical in BOOL_INPUTS:
        for col in colmap.get(canonical, []):
            distinct = _distinct(raw.frame[col])
            if not distinct:
                continue
            codes = read_flags(pd.Series([v for v, _ in distinct]), flags.get(col, {}))
            for (value, n), code in zip(distinct, codes, strict=True):
                rows.append((col, value, n, names[int(code)], "", ""))
    columns = ["column", "value", "rows", "reading", "flag", "language"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"column": "str", "value": "str", "rows": "int64", "flag": "str", "language": "str"}
    )


def _distinct(values: pd.Series) -> list[tuple[str, int]]:
    s = values.astype("str").str.strip()
    s = s[s.notna() & (s != "")]
    counted = s.value_counts(sort=True)
    return [(str(v), int(n)) for v, n in counted.items()]


def _dates_table(
    raw: RawTable,
    colmap: dict[str, list[str]],
    order: str | None,
    formats: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, str | None]:
    rows = []
    inferred = None
    for canonical in DATE_INPUTS:
        for col in colmap.get(canonical, []):
            s = raw.frame[col]
            if pd.api.types.is_datetime64_any_dtype(s):
                cells = int(s.notna().sum())
                rows.append((col, cells, cells, 1.0 if cells else 0.0, "typed dates"))
                continue
            text = s.astype("str").str.strip()
            text = text[text.notna() & (text != "")]
            codes, uniques = pd.factorize(text)
            fmt = {header_key(k): v for k, v in (formats or {}).items()}.get(header_key(col))
            if fmt is not None:
                days, _ = parse_with_format(pd.Series(uniques), fmt)
                parsed = int((~np.isnat(days[codes])).sum()) if len(codes) else 0
                cells = len(text)
                share = parsed / cells if cells else 0.0
                rows.append((col, cells, parsed, share, f"format '{fmt}'"))
                continue
            days, _, found, decided, ambiguous = parse_unique_dates(pd.Series(uniques), order)
            parsed = int((~np.isnat(days[codes])).sum()) if len(codes) else 0
            if decided and inferred is None:
                inferred = found
            label = found or ("ambiguous: set date_order" if ambiguous else "")
            cells = len(text)
            rows.append((col, cells, parsed, parsed / cells if cells else 0.0, label))
    frame = pd.DataFrame(rows, columns=["column", "cells", "parsed", "share", "order"])
    return frame.astype({"column": "str", "order": "str"}), inferred
