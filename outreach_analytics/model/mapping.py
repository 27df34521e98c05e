"""A mapping file: the user's names for columns, status words and yes/no values.

The standard library only: a program can read the mapping, and choose the columns worth
reading, before pandas is imported (see :func:`~outreach_analytics.io.delimited.read_ahead`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutreachDataError
from .columns import canonical_names, resolve_columns

__all__ = ["LogMapping", "read_mapping", "as_mapping", "column_selector"]


@dataclass(frozen=True)
class LogMapping:
    """What a mapping file says: column names, status words, yes/no values and options."""

    columns: dict[str, str | list[str]] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    date_order: str | None = None
    sheet: str | int | None = None
    ignore: tuple[str, ...] = ()


def read_mapping(path: str | os.PathLike) -> LogMapping:
    """Read a TOML mapping file.

    The file has up to four tables::

        [columns]            # canonical name = the column in your sheet (or a list)
        status = "Stage"     # `outcome` is accepted as an alias of `status`
        date = ["Applied on", "Date"]             # dates/text: first non-empty wins
        interviewed = ["First", "Tech", "Final"]  # yes/no columns: reached if ANY says yes

        [statuses]           # your word = a known word, "planned", or "STAGE/RESULT"
        "Ready to Apply" = "planned"
        "No project for now" = "rejected"
        "Turn down" = "offer/withdrawn"

        [values]             # cells of yes/no stage columns: "yes", "no" or "unknown"
        "TBD" = "unknown"    # every yes/no column
        [values."selected for interview?"]   # one column (its header) overrides
        "Skip" = "no"

        [options]
        date_order = "day-first"   # or "month-first"
        sheet = "2024"             # Excel or Google Sheets worksheet
        ignore = ["Salary"]        # columns never used, even if recognised

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "map.toml"
    >>> _ = p.write_text('[columns]\\ndate = "Applied On"\\n[statuses]\\n"Nope" = "rejected"\\n')
    >>> read_mapping(p).columns
    {'date': 'Applied On'}
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
    unknown = set(data) - {"columns", "statuses", "values", "options"}
    if unknown:
        raise OutreachDataError(
            f"Mapping file '{path.name}' has table(s) {sorted(unknown)} the toolkit does not "
            "read. Fix: use only [columns], [statuses], [values] and [options]."
        )
    opts = data.get("options", {})
    bad_opts = set(opts) - {"date_order", "sheet", "ignore"}
    if bad_opts:
        raise OutreachDataError(
            f"Mapping file '{path.name}' has option(s) {sorted(bad_opts)} under [options]. "
            "Fix: the options are date_order, sheet and ignore."
        )
    ignore = opts.get("ignore", [])
    return LogMapping(
        columns=dict(data.get("columns", {})),
        statuses={str(k): str(v) for k, v in data.get("statuses", {}).items()},
        values=dict(data.get("values", {})),
        date_order=opts.get("date_order"),
        sheet=opts.get("sheet"),
        ignore=(ignore,) if isinstance(ignore, str) else tuple(str(c) for c in ignore),
    )


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

    def select(header: list[str]) -> list[str]:
        return [c for cols in resolve_columns(header, wanted, skip).values() for c in cols]

    return select
