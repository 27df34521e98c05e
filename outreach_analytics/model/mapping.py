"""A mapping file: the user's names for columns, status words and yes/no values.

The standard library only: a program can read the mapping, and choose the columns worth
reading, before pandas is imported (see :func:`~outreach_analytics.io.delimited.read_ahead`).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import OutreachDataError
from .columns import canonical_names, resolve_columns, status_candidates
from .schema import header_key

__all__ = [
    "LogMapping",
    "read_mapping",
    "as_mapping",
    "column_selector",
    "check_statuses",
    "check_dates",
    "check_exclude",
    "check_undated",
]


#: How a row with no date is read (``undated`` under [options]).
UNDATED = ("auto", "planned", "error")
#: The key of [statuses] whose table makes words depend on another column.
WHEN = "when"
#: The key of [dates] listing cells that mean "no date yet".
PLACEHOLDERS = "placeholders"


@dataclass(frozen=True)
class LogMapping:
    """What a mapping file says: column names, status words, yes/no values, date formats,
    rows left out and options (the tables of :func:`read_mapping`, as read)."""

    columns: dict[str, str | list[str]] = field(default_factory=dict)
    statuses: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    date_order: str | None = None
    sheet: str | int | None = None
    ignore: tuple[str, ...] = ()
    dates: dict[str, Any] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    undated: str | None = None


_TABLES = ("columns", "statuses", "values", "dates", "exclude", "options")
_OPTIONS = ("date_order", "sheet", "ignore", "undated")


def read_mapping(path: str | os.PathLike) -> LogMapping:
    """Read a TOML mapping file.

    The file has up to six tables::

        [columns]            # canonical name = the column in your sheet (or a list)
        status = "Stage"     # `outcome` is accepted as an alias of `status`
        date = ["Applied on", "Date"]             # dates/text: first non-empty wins
        interviewed = ["First", "Tech", "Final"]  # yes/no columns: reached if ANY says yes
        closed_on = "Decision date"  # the day it ended, whatever the outcome (not a reply)

        [statuses]           # your word = a known word, "planned", or "STAGE/RESULT"
        "Ready to Apply" = "planned"
        "No project for now" = "rejected"
        "Turn down" = "offer/withdrawn"

        [statuses.when]      # words whose meaning depends on another column
        column = "Type"      # ... this one; then one table per value of that column
        Application = { "Active" = "sent" }
        Networking = { "Active" = "responded" }

        [values]             # cells of yes/no stage columns: "yes", "no" or "unknown"
        "TBD" = "unknown"    # every yes/no column
        [values."selected for interview?"]   # one column (its header) overrides
        "Skip" = "no"

        [dates]              # a column's date format (strptime codes), read with it alone
        "Application Date" = "%m/%d/%y, %I:%M %p"   # LinkedIn's 11/23/24, 11:39 PM
        placeholders = ["01/01/1900", "TBD", "?"]   # cells meaning "no date" (any date column)

        [exclude]            # rows left out (and listed): a column = its value(s)
        client = "Musterfirma GmbH"         # a canonical name or a header
        "Type" = ["Test", "Demo"]

        [options]
        date_order = "day-first"   # or "month-first"
        sheet = "2024"             # Excel or Google Sheets worksheet
        ignore = ["Salary"]        # columns never used, even if recognised
        undated = "auto"           # a row with no date: "auto", "planned" or "error"

    A word under ``[statuses.when]`` wins, in the rows whose ``column`` holds that value
    (case and spaces ignored), over the same word under ``[statuses]``, which still reads
    it everywhere else.

    ``undated`` says what a row with no date is. ``"auto"`` (the default): planned (kept,
    counted as planned, not an action) when nothing in it says it was sent (no status, or
    "Open"), an action of unknown date when it has an outcome ("Applied", "Rejected", a
    reply date...); ``"planned"``: every row with no date is planned; ``"error"``: every row
    with no date that its status word does not make planned is a bad row.

    Rows left out by ``[exclude]`` are not used and not errors: each is listed in the load
    report (its row, the column, the value and "left out by the mapping").

    Raises
    ------
    OutreachDataError
        For a file that is missing or not TOML, and for any table, option or entry the
        toolkit does not read, naming it and the fix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "map.toml"
    >>> _ = p.write_text('[columns]\\ndate = "Applied On"\\n[statuses]\\n"Nope" = "rejected"\\n')
    >>> read_mapping(p).columns
    {'date': 'Applied On'}
    >>> _ = p.write_text('''
    ... [dates]
    ... "Applied On" = "%d %b %Y"
    ... placeholders = ["TBD"]
    ... [exclude]
    ... client = "Musterfirma GmbH"
    ... [statuses.when]
    ... column = "Type"
    ... Networking = { "Active" = "responded" }
    ... [options]
    ... undated = "planned"
    ... ''')
    >>> m = read_mapping(p)
    >>> m.dates, m.exclude, m.undated
    ({'Applied On': '%d %b %Y', 'placeholders': ['TBD']}, {'client': ('Musterfirma GmbH',)}, 'planned')
    >>> m.statuses["when"]
    {'column': 'Type', 'Networking': {'Active': 'responded'}}
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise OutreachDataError(
            f"No mapping file at '{path}'. Fix: check the --mapping path."
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise OutreachDataError(
            f"Mapping file '{path.name}' is not valid TOML ({err}). Fix: write it as in the "
            'README, e.g. [columns] then date = "Date Sent" (quote names with spaces).'
        ) from None
    where = f"Mapping file '{path.name}'"
    unknown = set(data) - set(_TABLES)
    if unknown:
        raise OutreachDataError(
            f"{where} has table(s) {sorted(unknown)} the toolkit does not read. Fix: use "
            "only [columns], [statuses], [values], [dates], [exclude] and [options]."
        )
    opts = data.get("options", {})
    bad_opts = set(opts) - set(_OPTIONS)
    if bad_opts:
        raise OutreachDataError(
            f"{where} has option(s) {sorted(bad_opts)} under [options]. "
            "Fix: the options are date_order, sheet, ignore and undated (rows to leave out "
            "go in an [exclude] table, date formats in [dates])."
        )
    ignore = opts.get("ignore", [])
    return LogMapping(
        columns=dict(data.get("columns", {})),
        statuses=check_statuses(data.get("statuses", {}), where),
        values=dict(data.get("values", {})),
        date_order=opts.get("date_order"),
        sheet=opts.get("sheet"),
        ignore=(ignore,) if isinstance(ignore, str) else tuple(str(c) for c in ignore),
        dates=check_dates(data.get("dates", {}), where),
        exclude=check_exclude(data.get("exclude", {}), where),
        undated=check_undated(opts.get("undated"), where),
    )


def check_statuses(statuses: Mapping[str, Any] | None, where: str = "The mapping") -> dict:
    """``[statuses]`` as given, its words as text; a ``when`` table checked for shape.

    >>> check_statuses({"when": {"column": "Type", "Referral": {"Active": "sent"}}})
    {'when': {'column': 'Type', 'Referral': {'Active': 'sent'}}}
    >>> check_statuses({"when": {"Referral": {"Active": "sent"}}})
    Traceback (most recent call last):
    ...
    outreach_analytics.errors.OutreachDataError: The mapping has [statuses.when] without column = "...". Fix: name the column the words depend on, e.g. column = "Type", then one table per value of it: Networking = { "Active" = "responded" }.
    """
    out: dict[str, Any] = {}
    for word, meaning in (statuses or {}).items():
        if word == WHEN and isinstance(meaning, Mapping):
            out[WHEN] = _check_when(meaning, where)
        elif isinstance(meaning, Mapping):
            raise OutreachDataError(
                f"{where} has a table [statuses.{_key(word)}]. Fix: write each word as "
                f'"{word}" = "rejected" under [statuses]; words that depend on another column '
                'go under [statuses.when] (column = "Type", then a table per value).'
            )
        else:
            out[str(word)] = str(meaning)
    return out


def _check_when(when: Mapping[str, Any], where: str) -> dict[str, Any]:
    column = when.get("column")
    if not isinstance(column, str) or not column.strip():
        raise OutreachDataError(
            f'{where} has [statuses.when] without column = "...". Fix: name the column the '
            'words depend on, e.g. column = "Type", then one table per value of it: '
            'Networking = { "Active" = "responded" }.'
        )
    out: dict[str, Any] = {"column": column}
    for value, table in when.items():
        if value == "column":
            continue
        if not isinstance(table, Mapping) or not all(isinstance(m, str) for m in table.values()):
            raise OutreachDataError(
                f"{where} has [statuses.when] {_key(value)} = {table!r}, which is not a table "
                f'of words. Fix: under [statuses.when] (column = "{column}"), write each value '
                f'of that column as a table of words: {_key(value)} = {{ "Active" = "sent" }}.'
            )
        out[str(value)] = {str(w): m for w, m in table.items()}
    if len(out) == 1:
        raise OutreachDataError(
            f'{where} has [statuses.when] with column = "{column}" but no value of it. Fix: '
            'add one table per value, e.g. Networking = { "Active" = "responded" }.'
        )
    return out


def check_dates(dates: Mapping[str, Any] | None, where: str = "The mapping") -> dict[str, Any]:
    """``[dates]`` checked: each column's format a strptime pattern, ``placeholders`` a list.

    >>> check_dates({"Applied": "%d %b %Y", "placeholders": "TBD"})
    {'Applied': '%d %b %Y', 'placeholders': ['TBD']}
    """
    out: dict[str, Any] = {}
    for column, fmt in (dates or {}).items():
        if column == PLACEHOLDERS:
            cells = [fmt] if isinstance(fmt, str | int | float) else fmt
            if not isinstance(cells, list) or isinstance(fmt, bool):
                raise OutreachDataError(
                    f"{where} has [dates] placeholders = {fmt!r}. Fix: list the cells that "
                    'mean "no date yet", e.g. placeholders = ["01/01/1900", "TBD", "?"].'
                )
            out[PLACEHOLDERS] = [str(c) for c in cells]
            continue
        ok = isinstance(fmt, str) and "%" in fmt
        if ok:
            try:
                datetime(2024, 11, 23, 23, 39).strftime(fmt)
            except ValueError:
                ok = False
        if not ok:
            raise OutreachDataError(
                f"{where} has [dates] {_key(column)} = {fmt!r}, which is not a date format. "
                f"Fix: write the column's format with strptime codes, e.g. {_key(column)} = "
                '"%m/%d/%y, %I:%M %p" for 11/23/24, 11:39 PM or "%d %b %Y" for 14 Jan 2026 '
                "(placeholders = [...] lists the cells meaning no date)."
            )
        out[str(column)] = fmt
    return out


def check_exclude(
    exclude: Mapping[str, Any] | None, where: str = "The mapping"
) -> dict[str, tuple[str, ...]]:
    """``[exclude]`` as ``{column: (value, ...)}``.

    >>> check_exclude({"client": "Musterfirma GmbH", "Type": ["Test", "Demo"]})
    {'client': ('Musterfirma GmbH',), 'Type': ('Test', 'Demo')}
    """
    out: dict[str, tuple[str, ...]] = {}
    for column, value in (exclude or {}).items():
        cells = [value] if isinstance(value, str | int | float) else value
        if (
            isinstance(value, bool)
            or not isinstance(cells, list | tuple)
            or not cells
            or not all(isinstance(c, str | int | float) and not isinstance(c, bool) for c in cells)
        ):
            raise OutreachDataError(
                f"{where} has [exclude] {_key(column)} = {value!r}. Fix: give the value(s) "
                f'whose rows to leave out, e.g. {_key(column)} = "Musterfirma GmbH" or '
                f'{_key(column)} = ["Test", "Demo"].'
            )
        out[str(column)] = tuple(str(c) for c in cells)
    return out


def check_undated(undated: Any, where: str = "The mapping") -> str | None:
    """``undated`` under [options]: one of :data:`UNDATED`, or ``None``."""
    if undated is None or undated in UNDATED:
        return undated
    raise OutreachDataError(
        f'{where} has undated = {undated!r} under [options]. Fix: write undated = "auto" '
        '(no status or "Open": planned; an outcome: an action of unknown date), "planned" '
        '(every row with no date is planned) or "error" (a row with no date is a bad row).'
    )


def _key(name: object) -> str:
    """A TOML key as written: bare when it can be, else quoted."""
    text = str(name)
    return text if text.replace("_", "").replace("-", "").isalnum() else json.dumps(text)


def as_mapping(mapping: LogMapping | str | os.PathLike | None) -> LogMapping:
    """A mapping as given: a :class:`LogMapping` as is, a path read, ``None`` the empty one.

    >>> as_mapping(None) == LogMapping()
    True
    """
    if isinstance(mapping, LogMapping):
        return mapping
    return read_mapping(mapping) if mapping else LogMapping()


def column_selector(
    mapping: LogMapping,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    ignore: Sequence[str] | None = None,
) -> Callable[[list[str]], list[str]]:
    """Given a header, the columns worth reading: those the mapping, ``columns`` or the
    recognised headers give a canonical column (``ignore`` and the mapping's ignored
    columns left out).

    >>> select = column_selector(LogMapping(columns={"date": "Applied On"}))
    >>> select(["Applied On", "Company", "Status", "Favourite colour"])
    ['Applied On', 'Company', 'Status']
    """
    wanted = {**canonical_names(mapping.columns), **canonical_names(columns)}
    skip = [*mapping.ignore, *(ignore or ())]
    when = mapping.statuses.get(WHEN, {}).get("column")
    # the columns [exclude] and [statuses.when] read, by header (a canonical name is mapped)
    extra = [c for c in [*mapping.exclude, *([when] if when else [])] if c not in wanted]

    def select(header: list[str]) -> list[str]:
        chosen = resolve_columns(header, wanted, skip)
        if "date" not in chosen:  # no header names the date: every column, to look for one
            return list(header)
        cols = [c for cs in chosen.values() for c in cs]
        if "status" not in wanted:  # every status candidate: the values choose among them
            cols += status_candidates(header, set(cols) | set(skip))
        keys = {header_key(c) for c in extra}
        cols += [h for h in header if header_key(h) in keys]
        return list(dict.fromkeys(cols))

    return select
