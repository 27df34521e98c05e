"""Loading a log from wherever it lives, with the user's mapping applied."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..io.delimited import Parsed
from ..io.sources import read_source
from .columns import canonical_names
from .mapping import LogMapping, as_mapping, column_selector
from .normalize import LoadReport, normalize_table

__all__ = ["load", "load_report"]


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
    parsed: Parsed | None = None,
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
        A TOML mapping file: its columns, words, values, date formats and placeholders
        (``[dates]``), rows left out (``[exclude]``) and options (:func:`read_mapping`).
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
    parsed : Parsed, optional
        The file's :func:`~outreach_analytics.io.delimited.parse_delimited` with
        ``column_selector(mapping, columns, ignore)``, made earlier (the command line
        parses a CSV on a thread while pandas is imported): it is not parsed again.

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
    raw = read_source(
        source,
        sheet=sheet if sheet is not None else m.sheet,
        client=client,
        select=column_selector(m, columns, ignore),
        parsed=parsed,
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
        dates=m.dates,
        exclude=m.exclude,
        undated=m.undated,
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
