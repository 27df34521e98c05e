"""Turning a log as the user keeps it into the canonical schema.

The work is done once per distinct value of a column, not once per row, so a log of
millions of rows with a few hundred distinct dates and statuses normalizes quickly.
Every problem is collected before anything is raised: a user sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .dates import DATE_ORDERS, parse_dates
from .errors import FAILURE_COLUMNS, OutreachDataError
from .schema import (
    CANONICAL_COLUMNS,
    COLUMN_ALIASES,
    INPUT_COLUMNS,
    RESULT_DTYPE,
    RESULTS,
    STAGE_DATE_COLUMNS,
    STAGE_DTYPE,
    STAGES,
    header_key,
)
from .sources import RawTable, read_source
from .status import normalize_phrase, parse_status, suggest_words

__all__ = ["LoadReport", "normalize", "normalize_table"]

_DATE_INPUTS = ("date", *STAGE_DATE_COLUMNS)
_BOOL_INPUTS = {"responded": "responded", "interviewed": "interview", "offered": "offer", "won": "won"}
_TRUE = {"true", "yes", "y", "x", "1", "✓", "✔", "checked", "done", "oui", "si", "ja"}
_FALSE = {"false", "no", "n", "0", "", "-", "non", "nein", "unchecked"}
_PLACEHOLDERS = {"false", "n/a", "na", "#n/a", "none", "null", "-", "—", "–", "nan", "#ref!", "#value!"}
_STAGE_CODE = {s: i for i, s in enumerate(STAGES)}
_SHOWN_PROBLEMS = 8


@dataclass
class LoadReport:
    """A normalized log and the account of every row read.

    Attributes
    ----------
    data : pandas.DataFrame
        The canonical log, one row per action used.
    skipped : pandas.DataFrame
        One row per problem in a skipped row: ``row`` (as in the sheet), ``column``,
        ``value`` and ``reason``. A row with two problems appears twice.
    blank_rows : list of int
        Sheet rows that held nothing (or only a placeholder such as ``FALSE`` or a number).
    rows_read : int
        Data rows below the header: always ``rows_used + rows_skipped + rows_blank``.
    source : str
        What was read.
    columns : dict
        Which source column(s) each input column was read from.
    notes : list of str
        Guesses the reader made that the user may want to confirm.
    """

    data: pd.DataFrame
    skipped: pd.DataFrame
    blank_rows: list[int]
    rows_read: int
    source: str = ""
    columns: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_used(self) -> int:
        return len(self.data)

    @property
    def rows_skipped(self) -> int:
        return int(self.skipped["row"].nunique()) if len(self.skipped) else 0

    @property
    def rows_blank(self) -> int:
        return len(self.blank_rows)


# ------------------------------------------------------------------ helpers


def _by_unique(values: pd.Series, fn: Callable[[pd.Series], np.ndarray], fill: Any) -> np.ndarray:
    """Apply ``fn`` to the distinct non-missing values and spread the answer to every row."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    res = np.asarray(fn(pd.Series(uniques, dtype=object)))
    out = np.empty(len(codes), dtype=res.dtype if len(res) else object)
    if len(res):
        out[:] = res[np.maximum(codes, 0)]
    missing = codes < 0
    if missing.any():
        if out.dtype.kind in "biu" and not isinstance(fill, int | np.integer):
            out = out.astype(object)
        out[missing] = fill
    return out


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text, empty cells as NA."""
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        values = values.astype("str")
    s = values.astype("str").str.strip()
    return s.where(s != "")


def _resolve_columns(
    headers: Sequence[str], explicit: Mapping[str, str | Sequence[str]] | None
) -> dict[str, list[str]]:
    by_key: dict[str, str] = {}
    for h in headers:
        by_key.setdefault(header_key(h), h)
    chosen: dict[str, list[str]] = {}
    used: set[str] = set()
    for canonical, source in (explicit or {}).items():
        if canonical not in INPUT_COLUMNS and canonical not in ("stage", "result", "source_row"):
            raise OutreachDataError(
                f"'{canonical}' is not a column the toolkit reads. Fix: map one of "
                f"{list(INPUT_COLUMNS)}, e.g. --column date=\"Date Sent\"."
            )
        names = [source] if isinstance(source, str) else list(source)
        found = []
        for name in names:
            real = by_key.get(header_key(name))
            if real is None:
                raise OutreachDataError(
                    f"Column '{name}' (given for '{canonical}') is not in the log. Columns in "
                    f"the log: {list(headers)}. Fix: use one of those names, e.g. "
                    f"--column {canonical}=\"{headers[0] if headers else '...'}\"."
                )
            found.append(real)
        chosen[canonical] = found
        used.update(found)
    keys = {header_key(h): h for h in reversed(list(headers))}
    # a frame that is already canonical keeps its stage/result columns as they are
    if {"stage", "result"} <= set(keys) and "stage" not in chosen and "status" not in chosen:
        for c in ("stage", "result", "source_row"):
            if c in keys and keys[c] not in used:
                chosen[c] = [keys[c]]
                used.add(keys[c])
    for canonical in INPUT_COLUMNS:
        if canonical in chosen:
            continue
        for alias in COLUMN_ALIASES.get(canonical, ()):
            real = keys.get(header_key(alias))
            if real is not None and real not in used:
                chosen[canonical] = [real]
                used.add(real)
                break
    return chosen


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows holding nothing but empty cells, placeholders and at most one bare number."""
    n = len(frame)
    if n == 0 or frame.shape[1] == 0:
        return np.zeros(n, dtype=bool)
    empty_like = np.ones(n, dtype=bool)
    numbers = np.zeros(n, dtype=np.int8)

    def kind(u: pd.Series) -> np.ndarray:
        s = u.astype(str).str.strip()
        low = s.str.casefold()
        is_empty = (s == "") | low.isin(_PLACEHOLDERS)
        is_num = s.str.fullmatch(r"-?\d+(?:[.,]\d+)?").fillna(False).astype(bool)
        return np.where(is_empty, 0, np.where(is_num, 1, 2)).astype(np.int8)

    for col in frame.columns:
        k = _by_unique(frame[col], kind, np.int8(0)).astype(np.int8)
        empty_like &= k < 2
        numbers += k == 1
        if not empty_like.any():
            break
    return empty_like & (numbers <= 1)


def _parse_number(u: pd.Series, decimal_comma: bool) -> np.ndarray:
    s = u.astype(str).str.strip()
    s = s.str.replace(r"[\s$€£¥₹]|USD|EUR|GBP|/h(?:ou)?r?$|per hour$|k$", "", regex=True)
    if decimal_comma:
        s = s.str.replace(r"\.(?=\d{3}(?:\D|$))", "", regex=True).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(r",(?=\d{3}(?:\D|$))", "", regex=True)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)


def _group_labels(values: pd.Series) -> pd.Series:
    """Group spellings case- and space-insensitively; show each group's commonest spelling."""
    s = _text(values)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if not len(uniques):
        return s
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    keys = pd.Series(uniques, dtype="str").str.casefold().str.split().str.join(" ")
    table = pd.DataFrame({"key": keys, "spelling": pd.Series(uniques, dtype="str"), "n": counts})
    table["order"] = np.arange(len(table))
    best = table.sort_values(["n", "order"], ascending=[False, True]).drop_duplicates("key")
    label = table["key"].map(best.set_index("key")["spelling"]).to_numpy(dtype=object)
    out = np.where(codes >= 0, label[np.maximum(codes, 0)], None)
    return pd.Series(out, index=values.index, dtype="str")


class _Problems:
    """Collects (row position, column, value, reason) for every bad cell."""

    def __init__(self, rows: np.ndarray):
        self.rows = rows
        self.parts: list[pd.DataFrame] = []
        self.bad = np.zeros(len(rows), dtype=bool)

    def add(self, mask: np.ndarray, column: str, values: pd.Series, reason: str | np.ndarray) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        self.bad |= mask
        vals = values.to_numpy(dtype=object)[mask]
        reasons = reason[mask] if isinstance(reason, np.ndarray) else reason
        self.parts.append(
            pd.DataFrame(
                {
                    "pos": np.flatnonzero(mask),
                    "column": column,
                    "value": ["" if v is None or v != v else str(v) for v in vals],
                    "reason": reasons,
                }
            )
        )

    def table(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series([], dtype="int64" if c == "row" else "str")
                                 for c in FAILURE_COLUMNS})
        t = pd.concat(self.parts, ignore_index=True).sort_values("pos", kind="stable")
        t.insert(0, "row", self.rows[t["pos"].to_numpy()].astype("int64"))
        return t.drop(columns="pos").astype({"column": "str", "value": "str", "reason": "str"}) \
            .reset_index(drop=True)


# ------------------------------------------------------------------ main work


def normalize_table(
    raw: RawTable,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    statuses: Mapping[str, str] | None = None,
    date_order: str | None = None,
    skip_invalid: bool = False,
) -> LoadReport:
    """Normalize a :class:`~outreach_analytics.sources.RawTable` and account for every row.

    Parameters
    ----------
    raw : RawTable
        The log as read from its source.
    columns : mapping, optional
        ``{canonical: source column or list of columns}``; overrides the automatic
        mapping. A list is read as "the first non-empty of these".
    statuses : mapping, optional
        The user's own status words, each mapped to a phrase the built-in vocabulary
        knows (``{"No project for now": "rejected"}``).
    date_order : {"day-first", "month-first"}, optional
        Decides numeric dates like ``03/04/2024`` in columns whose values don't.
    skip_invalid : bool, default False
        Use the valid rows and report the others instead of raising.

    Raises
    ------
    OutreachDataError
        When a needed column is missing, dates are ambiguous, or (without
        ``skip_invalid``) any row has a problem; ``failure_cases`` lists them all.
    """
    if date_order is not None and date_order not in DATE_ORDERS:
        raise OutreachDataError(
            f"date_order '{date_order}' is not one of {list(DATE_ORDERS)}. "
            "Fix: pass --date-order day-first or --date-order month-first."
        )
    frame = raw.frame
    n = len(frame)
    rows = np.asarray(raw.source_rows)
    extra = _user_statuses(statuses)
    colmap = _resolve_columns(list(frame.columns), columns)
    if "date" not in colmap:
        raise OutreachDataError(
            f"No column in '{raw.name}' holds the date each action was sent. Columns in the "
            f"log: {list(frame.columns)}. Fix: name it, e.g. --column date=\"Date Sent\" "
            "(or date = \"...\" under [columns] in a mapping file)."
        )
    blank = _blank_rows(frame)
    problems = _Problems(rows)
    notes = list(raw.notes)

    def src(name: str) -> pd.Series:
        """The input column, coalescing several source columns left to right."""
        cols = colmap[name]
        s = frame[cols[0]]
        for c in cols[1:]:
            s = s.where(s.notna() & (s.astype("str").str.strip() != ""), frame[c])
        return s

    def label(name: str) -> str:
        return " / ".join(colmap[name])

    # ---- dates: decide the day/month order from every date column together
    raw_dates = {c: src(c) for c in _DATE_INPUTS if c in colmap}
    first_pass = {c: parse_dates(v, date_order) for c, v in raw_dates.items()}
    decided = [p.order for c, p in first_pass.items() if p.decided]
    log_order = date_order or (decided[0] if decided else None)
    dates: dict[str, pd.Series] = {}
    for c, values in raw_dates.items():
        parsed = first_pass[c]
        if parsed.ambiguous and log_order is not None and date_order is None:
            parsed = parse_dates(values, log_order)
            notes.append(f"'{label(c)}' read {log_order} like the log's other date columns")
        if parsed.ambiguous and log_order is None:
            sample = values[(~parsed.invalid) & parsed.values.isna() & values.notna()]
            example = sample.iloc[0] if len(sample) else values.dropna().iloc[0]
            raise OutreachDataError(
                f"Column '{label(c)}' has dates such as '{example}' that read as either "
                "day-first or month-first, and no value in the log decides which. Fix: pass "
                "--date-order day-first or --date-order month-first (or date_order under "
                "[options] in a mapping file)."
            )
        if parsed.decided and parsed.order:
            notes.append(f"'{label(c)}' read as {parsed.order} dates")
        order_hint = f" in {parsed.order} order" if parsed.order else ""
        problems.add(
            parsed.invalid.to_numpy() & ~blank,
            label(c),
            values,
            f"is not a date{order_hint} (write dates like 2024-03-05)",
        )
        dates[c] = parsed.values
    problems.add(
        (raw_dates["date"].isna() | (_text(raw_dates["date"]).isna())).to_numpy() & ~blank,
        label("date"),
        raw_dates["date"],
        "is empty, but every action needs the day it was sent",
    )

    # ---- stage and result
    stage_code = np.zeros(n, dtype=np.int8)
    result = np.full(n, "open", dtype=object)
    result_known = np.zeros(n, dtype=bool)
    if "stage" in colmap and "result" in colmap:
        st, rs = _text(src("stage")), _text(src("result"))
        codes = st.map(_STAGE_CODE)
        bad = st.notna() & codes.isna()
        problems.add(bad.to_numpy() & ~blank, label("stage"), st, f"is not a stage ({', '.join(STAGES)})")
        stage_code = np.maximum(stage_code, codes.fillna(0).to_numpy(dtype=np.int8))
        bad_r = rs.notna() & ~rs.isin(RESULTS)
        problems.add(bad_r.to_numpy() & ~blank, label("result"), rs, f"is not a result ({', '.join(RESULTS)})")
        ok = rs.isin(RESULTS).to_numpy()
        result[ok] = rs.to_numpy(dtype=object)[ok]
        result_known |= ok
    if "status" in colmap:
        status = src("status")

        def read(u: pd.Series) -> np.ndarray:
            out = np.empty(len(u), dtype=object)
            for i, v in enumerate(u):
                out[i] = parse_status(v, extra)
            return out

        readings = _by_unique(status, read, ("sent", "open"))
        unknown = np.fromiter((r is None for r in readings), dtype=bool, count=n)
        problems.add(unknown & ~blank, label("status"), status, "is an unknown status word")
        known_readings = np.where(unknown, None, readings)
        st = np.fromiter(
            (_STAGE_CODE[r[0]] if r else 0 for r in known_readings), dtype=np.int8, count=n
        )
        rs = np.fromiter((r[1] if r else "open" for r in known_readings), dtype=object, count=n)
        stage_code = np.maximum(stage_code, st)
        result = np.where(result_known, result, rs)
        result_known |= rs != "open"
    for c, stage in STAGE_DATE_COLUMNS.items():
        if c in dates:
            reached = dates[c].notna().to_numpy()
            stage_code = np.where(reached, np.maximum(stage_code, _STAGE_CODE[stage]), stage_code)
            before = reached & dates["date"].notna().to_numpy() & (
                dates[c] < dates["date"]
            ).fillna(False).to_numpy()
            problems.add(before & ~blank, label(c), raw_dates[c],
                         f"is before the date sent ({label('date')})")
    for c, stage in _BOOL_INPUTS.items():
        if c in colmap:
            values = src(c)
            flags = _by_unique(values, _read_flags, np.int8(0)).astype(np.int8)
            problems.add((flags < 0) & ~blank, label(c), values,
                         "is not a yes/no value (use TRUE/FALSE or Yes/No)")
            stage_code = np.where(flags == 1, np.maximum(stage_code, _STAGE_CODE[stage]), stage_code)
    won = stage_code == _STAGE_CODE["won"]
    result = np.where(won, "won", result)
    result = np.where(~won & (result == "won"), "open", result)

    # ---- numbers
    numbers: dict[str, np.ndarray] = {}
    for c, what in (("follow_ups", "a count"), ("value", "a number"), ("cost", "a number")):
        if c not in colmap:
            continue
        values = src(c)
        parsed = _by_unique(values, lambda u: _parse_number(u, raw.decimal_comma), np.nan)
        parsed = parsed.astype(float)
        bad = values.notna().to_numpy() & np.isnan(parsed) & (_text(values).notna().to_numpy())
        if c == "follow_ups":
            bad |= ~np.isnan(parsed) & ((parsed < 0) | (parsed != np.floor(parsed)))
        problems.add(bad & ~blank, label(c), values, f"is not {what}")
        numbers[c] = np.where(bad, np.nan, parsed)

    # ---- unknown-status and bad-row reporting
    failures = problems.table()
    if len(failures) and not skip_invalid:
        raise OutreachDataError(_failure_message(raw.name, failures, extra), failures)
    keep = ~(blank | problems.bad)

    out = pd.DataFrame(index=pd.RangeIndex(int(keep.sum())))
    out["date"] = dates["date"].to_numpy()[keep]
    if "channel" in colmap:
        out["channel"] = _group_labels(src("channel")[keep].reset_index(drop=True)).fillna(
            "unspecified"
        )
    else:
        out["channel"] = pd.Series("unspecified", index=out.index, dtype="str")
    for c in ("pitch_type", "client"):
        if c in colmap:
            values = src(c)[keep].reset_index(drop=True)
            out[c] = _group_labels(values) if c == "pitch_type" else _text(values)
        else:
            out[c] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["stage"] = pd.Categorical.from_codes(stage_code[keep], dtype=STAGE_DTYPE)
    out["result"] = pd.Categorical(result[keep], dtype=RESULT_DTYPE)
    for c in STAGE_DATE_COLUMNS:
        out[c] = dates[c].to_numpy()[keep] if c in dates else np.array(
            [np.datetime64("NaT")] * len(out), dtype="datetime64[s]")
    out["follow_ups"] = pd.array(
        numbers["follow_ups"][keep] if "follow_ups" in numbers else np.full(len(out), np.nan),
        dtype="float64",
    ).astype("Int64") if len(out) else pd.array([], dtype="Int64")
    for c in ("value", "cost"):
        out[c] = numbers[c][keep] if c in numbers else np.full(len(out), np.nan)
    out["notes"] = (_text(src("notes")[keep].reset_index(drop=True)) if "notes" in colmap
                    else pd.Series(pd.NA, index=out.index, dtype="str"))
    if "source_row" in colmap:
        out["source_row"] = pd.to_numeric(src("source_row")[keep].reset_index(drop=True)).astype("int64")
    else:
        out["source_row"] = rows[keep].astype("int64")
    out = out[list(CANONICAL_COLUMNS)]
    if skip_invalid and len(failures):
        notes.append(f"{failures['row'].nunique()} row(s) skipped")
    return LoadReport(
        data=out,
        skipped=failures,
        blank_rows=rows[blank].astype(int).tolist(),
        rows_read=n,
        source=raw.name,
        columns=colmap,
        notes=notes,
    )


def _read_flags(u: pd.Series) -> np.ndarray:
    low = u.astype(str).str.strip().str.casefold()
    return np.where(low.isin(_TRUE), 1, np.where(low.isin(_FALSE), 0, -1)).astype(np.int8)


def _user_statuses(statuses: Mapping[str, str] | None) -> dict[str, tuple[str, str]]:
    extra: dict[str, tuple[str, str]] = {}
    for word, meaning in (statuses or {}).items():
        if isinstance(meaning, str) and "/" in meaning:
            stage, _, res = (p.strip() for p in meaning.partition("/"))
            reading = (stage, res) if stage in STAGES and res in RESULTS else None
        else:
            reading = parse_status(meaning)
        if reading is None:
            raise OutreachDataError(
                f"The status mapping '{word}' = '{meaning}' maps to a word the toolkit does not "
                f"know either. Fix: map it to a known status such as 'rejected', 'ghosted', "
                f"'interview', 'offer declined', 'hired', or to 'STAGE/RESULT' with a stage in "
                f"{list(STAGES)} and a result in {list(RESULTS)}."
            )
        extra[normalize_phrase(word)] = reading
    return extra


def _failure_message(name: str, failures: pd.DataFrame, extra: Mapping) -> str:
    n_rows = failures["row"].nunique()
    parts = []
    unknown = failures[failures["reason"] == "is an unknown status word"]
    other = failures[failures["reason"] != "is an unknown status word"]
    if len(unknown):
        col = unknown["column"].iloc[0]
        words = []
        for value, grp in unknown.groupby("value", sort=False):
            first = ", ".join(str(r) for r in grp["row"].head(3))
            near = suggest_words(value)
            hint = f"; nearest known: {', '.join(repr(w) for w in near)}" if near else ""
            words.append(f"'{value}' ({len(grp)} row{'s' if len(grp) > 1 else ''}, first at "
                         f"row {first}{hint})")
        example = unknown["value"].iloc[0]
        parts.append(
            f"column '{col}' has {len(words)} status word(s) the toolkit does not know: "
            + "; ".join(words)
            + f". Map each to a known status in a mapping file ([statuses] \"{example}\" = "
            "\"rejected\") and pass --mapping FILE"
        )
    if len(other):
        groups = []
        for (column, reason), grp in other.groupby(["column", "reason"], sort=False):
            cells = ", ".join(
                f"{r.row}" + (f" ('{r.value}')" if r.value else "")
                for r in grp.head(_SHOWN_PROBLEMS).itertuples()
            )
            more = f" and {len(grp) - _SHOWN_PROBLEMS} more" if len(grp) > _SHOWN_PROBLEMS else ""
            groups.append(f"column '{column}', row {cells}{more}: {reason}")
        parts.append("; ".join(groups) + ". Correct these cells in the sheet")
    return (
        f"{n_rows} row(s) of '{name}' cannot be used: " + ". Also, ".join(parts)
        + ". Or pass --skip-invalid to use the other rows and list every skipped one."
    )


def normalize(
    df: pd.DataFrame,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    statuses: Mapping[str, str] | None = None,
    date_order: str | None = None,
    skip_invalid: bool = False,
) -> pd.DataFrame:
    """Normalize a log held in a DataFrame to the canonical schema.

    The frame is not modified. Its first row is taken to be row 2 of the sheet (the
    header being row 1) unless it has a ``source_row`` column. A frame that is
    already canonical comes back unchanged, so ``normalize`` can be applied twice.

    Parameters
    ----------
    df : pandas.DataFrame
        The log, one row per action, with the user's own column names.
    columns, statuses, date_order, skip_invalid
        As for :func:`normalize_table`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~outreach_analytics.schema.CANONICAL_COLUMNS`.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "Date Sent": ["2024-03-01", "2024-03-02", "2024-03-04"],
    ...     "Platform": ["Upwork", "LinkedIn", "linkedin "],
    ...     "Status": ["Ghosted", "Rejected after interview", "Hired"],
    ... })
    >>> out = normalize(log)
    >>> out[["channel", "stage", "result", "source_row"]]
        channel      stage    result  source_row
    0    Upwork       sent  no_response           2
    1  LinkedIn  interview     rejected           3
    2  LinkedIn        won          won           4
    >>> normalize(out).equals(out)
    True
    """
    return normalize_table(
        read_source(df),
        columns=columns,
        statuses=statuses,
        date_order=date_order,
        skip_invalid=skip_invalid,
    ).data
