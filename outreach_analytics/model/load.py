"""Loading a log from wherever it lives, with the user's mapping applied."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import OutreachDataError
from ..io.sources import read_source
from .columns import canonical_names, resolve_columns
from .normalize import LoadReport, normalize_table

__all__ = ["LogMapping", "read_mapping", "as_mapping", "load", "load_report"]


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


def load_report(
    source: str | os.PathLike | pd.DataFrame,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    statuses: Mapping[str, str] | None = None,
    mapping: str | os.PathLike | LogMapping | None = None,
    date_order: str | None = None,
    sheet: str | int | None = None,
    skip_invalid: bool = False,
    client: Any = None,
    fields: Sequence[str] | None = None,
    values: Mapping[str, Any] | None = None,
    ignore: Sequence[str] | None = None,
    as_of: Any = None,
) -> LoadReport:
    """Load a log and return it with the account of every row read.

    Parameters
    ----------
    source : str, path or DataFrame
        A CSV/TSV or ``.xlsx`` file, a Google Sheets URL (or ``gsheet:KEY``), or a frame.
    columns : mapping, optional
        ``{canonical: source column}``; wins over the mapping file and the automatic guess.
    statuses : mapping, optional
        The user's own status words (see :func:`read_mapping`).
    mapping : path or LogMapping, optional
        A TOML mapping file.
    date_order : {"day-first", "month-first"}, optional
        For numeric dates that the log's values leave ambiguous.
    sheet : str or int, optional
        Worksheet of an Excel workbook or a Google Sheet.
    skip_invalid : bool, default False
        Use the valid rows and report the rest instead of raising.
    client : gspread.Client, optional
        For Google Sheets.
    fields : sequence of str, optional
        Canonical columns to build (default all); every mapped column is checked anyway.
    values : mapping, optional
        What cells of yes/no stage columns mean (see :func:`read_mapping`).
    ignore : sequence of str, optional
        Columns never used, even when their header is recognised.
    as_of : date-like, optional
        Dates more than a year after this day (default today) are reported as impossible.

    Returns
    -------
    LoadReport

    Examples
    --------
    >>> from outreach_analytics.sample import sample_path
    >>> rep = load_report(sample_path())
    >>> rep.rows_read == rep.rows_used + rep.rows_skipped + rep.rows_blank
    True
    """
    m = as_mapping(mapping)
    wanted = {**canonical_names(m.columns), **canonical_names(columns)}
    skip = [*m.ignore, *(ignore or ())]

    def select(header: list[str]) -> list[str]:
        return [c for cols in resolve_columns(header, wanted, skip).values() for c in cols]

    raw = read_source(
        source, sheet=sheet if sheet is not None else m.sheet, client=client, select=select
    )
    return normalize_table(
        raw,
        columns=wanted,
        statuses={**m.statuses, **(statuses or {})},
        values={**m.values, **(values or {})},
        date_order=date_order or m.date_order,
        skip_invalid=skip_invalid,
        fields=fields,
        ignore=skip,
        as_of=as_of,
    )


def load(source: str | os.PathLike | pd.DataFrame, **options: Any) -> pd.DataFrame:
    """Load a log into the canonical schema.

    Takes the same options as :func:`load_report`; rows with problems raise
    :class:`~outreach_analytics.errors.OutreachDataError` unless ``skip_invalid=True``.

    Examples
    --------
    >>> from outreach_analytics.sample import sample_path
    >>> df = load(sample_path())
    >>> list(df.columns[:6])
    ['date', 'channel', 'pitch_type', 'client', 'stage', 'result']
    """
    return load_report(source, **options).data
