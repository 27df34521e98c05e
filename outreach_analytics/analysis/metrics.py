"""Counting a canonical log: pending and settled actions, the funnel, rates, cost of a win.

A row is **pending** when it is still at stage ``sent`` with result ``open`` and was sent
less than ``window`` days before ``as_of``: it may still get an answer. Every other row is
**settled**, and rates are taken over settled rows only, so that last week's pitches do
not read as silence. An older ``sent`` row with nothing recorded counts as no response.

Only **actions** are counted: a ``planned`` row (saved, not applied to yet) and a row
dated after ``as_of`` (``future``) are kept in the log but are in no count, rate or funnel
stage; :func:`counts` reports how many there are in its ``planned`` and ``future`` columns.
A row of unknown date (an outcome but no date) is an action, settled.

Every function takes the canonical frame first and returns a new tidy frame; the heavy
step (:func:`counts`) is separate from the estimates made from its small table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..model.schema import PLANNED, STAGE_DTYPE, STAGES
from ._arrays import action_rows
from .stats import is_small_sample, pitches_per_win_interval, wilson_interval

__all__ = [
    "DEFAULT_WINDOW",
    "COUNT_COLUMNS",
    "resolve_as_of",
    "mark_pending",
    "counts",
    "counts_by",
    "funnel",
    "rates",
    "rates_from_counts",
    "pitches_per_win",
]

DEFAULT_WINDOW = 14
COUNT_COLUMNS = [
    "actions",
    "pending",
    "settled",
    "responses",
    "interviews",
    "offers",
    "wins",
    "planned",
    "future",
]
_REACHED = {
    "views": "viewed",
    "responses": "responded",
    "interviews": "interview",
    "offers": "offer",
    "wins": "won",
}
_STAGE_CODE = {s: i for i, s in enumerate(STAGE_DTYPE.categories)}
_RATES = {"response": "responses", "interview": "interviews", "win": "wins"}
_UNSPECIFIED = "unspecified"


def resolve_as_of(as_of: str | dt.date | pd.Timestamp | None = None) -> pd.Timestamp:
    """The day metrics are computed for (today when not given).

    >>> resolve_as_of("2024-03-05")
    Timestamp('2024-03-05 00:00:00')
    """
    if as_of is None:
        return pd.Timestamp(dt.date.today())
    return pd.Timestamp(as_of).normalize()


def _stage_codes(df: pd.DataFrame) -> np.ndarray:
    """Codes of ``stage`` in :data:`~outreach_analytics.model.schema.STAGE_DTYPE` order."""
    stage = df["stage"]
    if isinstance(stage.dtype, pd.CategoricalDtype) and list(stage.cat.categories) == list(
        STAGE_DTYPE.categories
    ):
        return stage.cat.codes.to_numpy()
    return pd.Categorical(stage, categories=list(STAGE_DTYPE.categories), ordered=True).codes


def _pending_mask(df: pd.DataFrame, as_of: pd.Timestamp, window: int) -> np.ndarray:
    cutoff = as_of - pd.Timedelta(days=window)
    return (
        (df["stage"] == "sent").to_numpy()
        & (df["result"] == "open").to_numpy()
        & (df["date"] > cutoff).to_numpy()
        & (df["date"] <= as_of).to_numpy()
    )


def mark_pending(df: pd.DataFrame, *, as_of=None, window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """Add a boolean ``pending`` column (a new frame; ``df`` is not changed).

    Planned rows and rows dated after ``as_of`` are not actions: never pending.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> out = load(sample_path()).pipe(mark_pending, as_of="2026-11-15")
    >>> out["pending"].dtype
    dtype('bool')
    """
    return df.assign(pending=_pending_mask(df, resolve_as_of(as_of), window))


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def counts(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
) -> pd.DataFrame:
    """Count actions, pending and settled rows, and rows reaching each stage.

    ``responses``, ``interviews``, ``offers`` and ``wins`` count rows whose stage is at
    least that stage. ``planned`` and ``future`` count the rows that are not actions (not
    applied to yet; dated after ``as_of``). Segments with a missing key are counted as
    ``"unspecified"``, so the segments always add up to the whole log. Segments come
    largest first.

    Parameters
    ----------
    df : pandas.DataFrame
        A canonical log (see :func:`outreach_analytics.load`).
    by : str or list of str, optional
        Column(s) to segment by, e.g. ``"channel"``.
    as_of : date-like, optional
        The day to count for; default today.
    window : int, default 14
        Days a ``sent`` row may wait for an answer before it counts as no response.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-03-01"]),
    ...     "channel": ["Email", "Email", "Upwork"],
    ...     "stage": pd.Categorical(["sent", "interview", "sent"], categories=STAGES, ordered=True),
    ...     "result": ["open", "rejected", "open"],
    ... })
    >>> counts(log, "channel", as_of="2024-03-05").iloc[:, :8]
      channel  actions  pending  settled  responses  interviews  offers  wins
    0   Email        2        0        2          1           1       0     0
    1  Upwork        1        1        0          0           0       0     0
    """
    return _count(_kinds(df, resolve_as_of(as_of), window), df, _by_list(by))


#: Each row is counted as one of a few kinds: its stage code (``STAGE_DTYPE`` order, then
#: one more for no stage), whether it is an action, whether it is pending.
_NO_STAGE = len(STAGE_DTYPE.categories)
_KINDS = (_NO_STAGE + 1) * 4


def _kind_table() -> dict[str, np.ndarray]:
    """For every count column, whether a row of each kind counts in it (0/1 per kind)."""
    kind = np.arange(_KINDS)
    stage, action, pending = kind // 4, (kind // 2) % 2 == 1, kind % 2 == 1
    has_stage = stage != _NO_STAGE
    table = {"actions": action, "pending": pending & action, "settled": action & ~pending}
    for name, st in _REACHED.items():
        table[name] = has_stage & (stage >= _STAGE_CODE[st]) & action
    table["planned"] = stage == _STAGE_CODE[PLANNED]
    table["future"] = ~table["planned"] & ~action
    return {k: v.astype(np.int64) for k, v in table.items()}


_KIND_TABLE = _kind_table()


def _kinds(df: pd.DataFrame, as_of: pd.Timestamp, window: int) -> np.ndarray:
    """The kind of every row (see :data:`_KINDS`): the per-row work behind :func:`counts`."""
    stage = _stage_codes(df).astype(np.int16)
    stage[stage < 0] = _NO_STAGE
    action = action_rows(df, as_of)
    pending = _pending_mask(df, as_of, window) & action
    return stage * 4 + action * 2 + pending


def _count(
    kinds: np.ndarray,
    df: pd.DataFrame,
    keys: list[str],
    columns: Sequence[str] = tuple(COUNT_COLUMNS),
) -> pd.DataFrame:
    """The count columns per combination of ``keys``: one ``bincount`` of (group, kind)."""
    columns = list(columns)
    per_kind = np.stack([_KIND_TABLE[c] for c in columns], axis=1)  # kinds x columns
    if not keys:
        sums = np.bincount(kinds, minlength=_KINDS) @ per_kind
        return pd.DataFrame(sums[None, :], columns=columns)
    # group through integer codes, a missing key as "unspecified"
    group = np.zeros(len(df), dtype=np.int64)
    labels = []
    for k in keys:
        codes, uniques = pd.factorize(df[k], use_na_sentinel=True)
        names = pd.Series(uniques, dtype="str").to_numpy(dtype=object)
        labels.append(np.append(names, _UNSPECIFIED))
        codes = np.where(codes < 0, len(names), codes)
        group = group * (len(names) + 1) + codes
    size = int(np.prod([len(lab) for lab in labels], dtype=np.float64))
    if size * _KINDS <= 4 * len(df) + 4096:
        rows = np.bincount(group * _KINDS + kinds, minlength=size * _KINDS)
        rows = rows.reshape(size, _KINDS)
        ids = np.flatnonzero(rows.any(axis=1))
        rows = rows[ids]
    else:  # too many combinations to lay out: number only those that occur
        ids, inverse = np.unique(group, return_inverse=True)
        rows = np.bincount(inverse * _KINDS + kinds, minlength=len(ids) * _KINDS)
        rows = rows.reshape(len(ids), _KINDS)
    small = {}
    rest = ids
    for i, k in reversed(list(enumerate(keys))):
        n_labels = len(labels[i])
        small[k] = labels[i][rest % n_labels]
        rest = rest // n_labels
    small = {k: small[k] for k in keys} | dict(zip(columns, (rows @ per_kind).T, strict=True))
    out = pd.DataFrame(small).groupby(keys, sort=False)[columns].sum().reset_index()
    out = out.sort_values(
        ["actions", *keys], ascending=[False] + [True] * len(keys), kind="stable"
    ).reset_index(drop=True)
    for k in keys:
        out[k] = out[k].astype("str")
    for c in columns:
        out[c] = out[c].astype("int64")
    return out[[*keys, *columns]]


def counts_by(
    df: pd.DataFrame,
    segments: Sequence[str | Sequence[str] | None],
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
) -> list[pd.DataFrame]:
    """:func:`counts` for several segmentations at once, doing the per-row work once.

    >>> from outreach_analytics import load, sample_path
    >>> overall, by_channel = counts_by(load(sample_path()), [None, "channel"], as_of="2026-11-15")
    >>> int(by_channel["actions"].sum()) == int(overall["actions"].iloc[0])
    True
    """
    kinds = _kinds(df, resolve_as_of(as_of), window)
    return [_count(kinds, df, _by_list(by)) for by in segments]


def rates_from_counts(table: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """Response, interview and win rates with Wilson intervals, from a :func:`counts` table.

    Returns one row per segment and metric (tidy): the key columns, ``metric``,
    ``successes``, ``settled``, ``rate``, ``ci_low``, ``ci_high`` and ``small_sample``
    (fewer than 30 settled actions, or fewer than 5 successes or 5 failures: see
    :func:`~outreach_analytics.analysis.stats.is_small_sample`).
    Rates are NaN where nothing is settled.
    """
    keys = [c for c in table.columns if c not in COUNT_COLUMNS]
    parts = []
    for metric, col in _RATES.items():
        k = table[col].to_numpy()
        n = table["settled"].to_numpy()
        low, high = wilson_interval(k, n, alpha)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(n > 0, k / np.maximum(n, 1), np.nan)
        part = table[keys].copy()
        part["metric"] = metric
        part["successes"] = k
        part["settled"] = n
        part["rate"] = rate
        part["ci_low"] = low
        part["ci_high"] = high
        part["small_sample"] = is_small_sample(k, n)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["metric"] = pd.Categorical(out["metric"], categories=list(_RATES), ordered=True)
    return out.sort_values("metric", kind="stable").reset_index(drop=True)


def rates(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = "channel",
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Response, interview and win rates per segment, with 95% Wilson intervals.

    Rates are over settled actions: response rate = rows that reached ``responded`` or
    beyond / settled rows; interview and win rates likewise.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> r = load(sample_path()).pipe(rates, by="channel", as_of="2026-11-15")
    >>> r.columns.tolist()[:4]
    ['channel', 'metric', 'successes', 'settled']
    >>> bool(((r["ci_low"] <= r["rate"]) & (r["rate"] <= r["ci_high"])).all())
    True
    """
    return rates_from_counts(counts(df, by, as_of=as_of, window=window), alpha=alpha)


def funnel(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
) -> pd.DataFrame:
    """Settled actions reaching each stage, with the conversion from the stage before.

    Pending actions are left out: they have not had the chance to move on yet; planned
    and future rows are not actions. The ``viewed`` stage is shown only where some
    action stopped at it (a log that records views).

    Returns
    -------
    pandas.DataFrame
        Key columns, ``stage`` (ordered), ``count``, ``conversion`` (count / count of
        the previous stage; NaN for ``sent`` and where the previous count is 0),
        ``share`` (count / settled) and ``lost`` (previous count - count).

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> f = load(sample_path()).pipe(funnel, as_of="2026-11-15")
    >>> f["stage"].tolist()
    ['sent', 'responded', 'interview', 'offer', 'won']
    >>> bool(f["count"].is_monotonic_decreasing)
    True
    """
    as_of = resolve_as_of(as_of)
    kinds = _kinds(df, as_of, window)
    stage_cols = ["settled", "views", "responses", "interviews", "offers", "wins"]
    names = dict(zip(stage_cols, STAGES, strict=True))
    stopped_at_viewed = _KIND_TABLE["views"] > _KIND_TABLE["responses"]
    if not np.bincount(kinds, minlength=_KINDS)[stopped_at_viewed].any():
        stage_cols.remove("views")  # the viewed stage only where the log uses it
    table = _count(kinds, df, _by_list(by), ["actions", *stage_cols])
    keys = _by_list(by)
    shown = [names[c] for c in stage_cols]
    # reaching a stage and being settled: only pending rows are unsettled and they are "sent"
    long = table.melt(id_vars=keys, value_vars=stage_cols, var_name="stage", value_name="count")
    long["stage"] = pd.Categorical(long["stage"].map(names), categories=shown, ordered=True)
    long = long.sort_values([*keys, "stage"], kind="stable").reset_index(drop=True)
    if keys:
        order = {tuple(r): i for i, r in enumerate(table[keys].itertuples(index=False))}
        long["_o"] = [order[tuple(r)] for r in long[keys].itertuples(index=False)]
        long = long.sort_values(["_o", "stage"], kind="stable").drop(columns="_o")
        prev = long.groupby(keys, sort=False, observed=True)["count"].shift(1)
        first = long.groupby(keys, sort=False, observed=True)["count"].transform("first")
    else:
        prev = long["count"].shift(1)
        first = pd.Series(long["count"].iloc[0], index=long.index)
    long["count"] = long["count"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        long["conversion"] = np.where(prev > 0, long["count"] / prev, np.nan)
        long["share"] = np.where(first > 0, long["count"] / first, np.nan)
    long["lost"] = (prev - long["count"]).astype("Int64")
    return long.reset_index(drop=True)


def pitches_per_win(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """How many settled pitches a win costs, with the win-rate interval inverted.

    ``pitches_per_win`` = settled / wins; ``ci_low`` = 1 / upper win rate and
    ``ci_high`` = 1 / lower win rate. With no win yet ``pitches_per_win`` and ``ci_high``
    are NaN and ``ci_low`` is still 1 / upper win rate: at least that many pitches a win.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> p = load(sample_path()).pipe(pitches_per_win, as_of="2026-11-15")
    >>> p.columns.tolist()
    ['settled', 'wins', 'pitches_per_win', 'ci_low', 'ci_high']
    """
    table = counts(df, by, as_of=as_of, window=window)
    keys = [c for c in table.columns if c not in COUNT_COLUMNS]
    est, low, high = pitches_per_win_interval(table["wins"], table["settled"], alpha)
    out = table[[*keys, "settled", "wins"]].copy()
    out["pitches_per_win"] = est
    out["ci_low"] = low
    out["ci_high"] = high
    return out
