"""Time to a reply (or an interview, or a win), censoring-aware, with Kaplan–Meier.

A pitch sent last week that has no reply yet is not a "no": it is *censored* — we know
only that no reply came in its first days. The Kaplan–Meier estimate uses exactly that,
so the share of pitches that eventually get a reply (the curve's plateau) is unbiased
even when many pitches are recent, where a fixed answer window is not (see
``benchmarks/bench_survival.py``).

How each row enters the curve of a stage (``responded``, ``interview``, ``offer`` or
``won``):

* **event**: the row reached the stage; its day is the earliest date the log records for
  that stage or a later one (``responded_on``, ``interview_on``, ``offer_on``,
  ``won_on``), counted in days after ``date`` (a date before ``date`` counts as day 0). A
  date after ``as_of`` is not known yet: the row is censored at ``as_of``.
* **undated event**: the row reached the stage but the log gives no date for it (a
  "Rejected" with no response date). Its day is taken as the median delay of the dated
  events, or its age if that is shorter. Such rows are counted in ``undated``; when more
  than :data:`MIN_DATED_SHARE` of a stage's events are undated the log "has no dates" for
  that stage and :func:`headline_rate` keeps the window rule.
* **closed without reaching it** (result ``no_response``, ``rejected``, ``withdrawn`` or
  ``won`` below the stage — "Ghosted", "Rejected" with no reply): the log says it will not
  reach the stage, so it stays at risk to the end of the longest follow-up in the log
  (censored there). It counts as a "no", as in the window rule.
* **open**: still waiting; censored at its age on ``as_of``.

Planned rows and rows dated after ``as_of`` are not actions and are left out.

From the curve: the **eventual rate** (its plateau, the share reached at the last event
day, with a Greenwood log-log interval), the **median days** to the stage among rows that
eventually reach it (the first day the curve passes half its plateau, with an interval by
inverting Greenwood z-tests, as statsmodels' ``quantile_ci`` does for one curve; widened
to contain the estimate, which it is alone where no day passes, as when every event fell on
one day) and the
**ghosting day** (the first day the curve passes 95% of its plateau: after it, silence
means no).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from ..model.schema import STAGE_DATE_COLUMNS, STAGES
from ._arrays import (
    codes_of,
    dated_action_rows,
    days_from_seconds,
    first_seconds,
    float_days,
    seconds,
    stage_codes,
    take,
    word_mask,
)
from .metrics import DEFAULT_WINDOW, resolve_as_of
from .stats import FEW_SUCCESSES, SMALL_SAMPLE, wilson_interval

__all__ = [
    "MIN_DATED_SHARE",
    "GHOSTING_SHARE",
    "StageTimes",
    "KaplanMeier",
    "stage_times",
    "kaplan_meier",
    "time_to_stage",
    "time_to_response",
    "headline_rate",
    "curve_verdict_lines",
    "curve_record",
    "summary_lines",
    "headline_record",
]

#: A stage is estimated from its dates when at least this share of its events is dated.
MIN_DATED_SHARE = 0.8
#: The ghosting day is the day by which this share of the eventual events has happened.
GHOSTING_SHARE = 0.95

_CLOSED = ("no_response", "rejected", "withdrawn", "won")
_STAGE_OF_COLUMN = STAGE_DATE_COLUMNS  # column -> stage


def _labels(values: pd.Series, keep: np.ndarray) -> pd.Categorical:
    """Segment names of the kept rows (missing: ``"unspecified"``), as cheap codes."""
    codes, uniques = pd.factorize(values)
    names = [str(u) for u in uniques]
    if "unspecified" not in names:
        names.append("unspecified")
    codes = np.where(codes < 0, names.index("unspecified"), codes)[keep]
    return pd.Categorical.from_codes(codes, categories=names)


#: How the ``summary`` frames of the result objects below show their numbers.
_SUMMARY_FORMATS = {
    "eventual_rate": "{:.1%}",
    "ci_low": "{:.1%}",
    "ci_high": "{:.1%}",
    "median_days": "{:g}",
    "median_ci_low": "{:g}",
    "median_ci_high": "{:g}",
    "ghosting_day": "{:g}",
}


def _summary_html(summary: pd.DataFrame, caption: str) -> str:
    """A result's ``summary`` frame as an HTML table (an already escaped caption)."""
    return summary.style.hide(axis="index").format(_SUMMARY_FORMATS).set_caption(caption).to_html()


@dataclass(frozen=True)
class StageTimes:
    """Per-row time to a stage: the input of the Kaplan–Meier fit (see :func:`stage_times`)."""

    frame: pd.DataFrame
    stage: str
    dated: bool
    events: int
    undated: int


def stage_times(
    df: pd.DataFrame, stage: str = "responded", *, as_of=None, by: str | None = None
) -> StageTimes:
    """Days from sending to ``stage`` for every action, with censoring (the heavy step).

    Returns a :class:`StageTimes` whose ``frame`` has ``duration`` (days), ``event``
    (bool), ``undated`` (bool: an event whose day was imputed) and the ``by`` column.

    Examples
    --------
    >>> from outreach_analytics import normalize
    >>> log = normalize(pd.DataFrame({
    ...     "Date Sent": ["2024-03-01", "2024-03-01", "2024-03-10", "2024-03-02"],
    ...     "Status": ["Replied", "Ghosted", "Sent", "Sent"],
    ...     "Response Date": ["2024-03-04", None, None, None],
    ... }))
    >>> t = stage_times(log, as_of="2024-03-20")
    >>> t.frame[["duration", "event"]]
       duration  event
    0       3.0   True
    1      19.0  False
    2      10.0  False
    3      18.0  False
    """
    as_of = resolve_as_of(as_of)
    t = _times(df, stage, as_of)
    frame = pd.DataFrame({"duration": t.duration, "event": t.event, "undated": t.undated})
    if by is not None:
        frame.insert(0, by, _labels(df[by], t.keep))
    return StageTimes(frame, stage, t.dated, t.events, int(t.undated.sum()))


@dataclass(frozen=True)
class _Times:
    """:func:`stage_times` as arrays over the kept rows (``keep``: the action mask)."""

    keep: np.ndarray
    every: bool
    duration: np.ndarray
    event: np.ndarray
    undated: np.ndarray
    dated: bool
    events: int


def _times(df: pd.DataFrame, stage: str, as_of: pd.Timestamp) -> _Times:
    """The rules of :func:`stage_times` on arrays (see the module docstring)."""
    if stage not in STAGES[1:]:
        raise ValueError(f"stage must be one of {list(STAGES[1:])}, not {stage!r}")
    keep = dated_action_rows(df, as_of)
    every = bool(keep.all())
    today = as_of.value / 86400e9
    level = STAGES.index(stage)
    reached = take(stage_codes(df["stage"]), keep, every) >= level
    sent = take(float_days(df["date"]), keep, every)
    age = today - sent
    cols = [c for c, st in _STAGE_OF_COLUMN.items() if STAGES.index(st) >= level and c in df]
    # the earliest date of the stage or a later one, in days (NaN: none)
    first_on = first_seconds(take(seconds(df[c]), keep, every) for c in cols)
    first = np.full(len(age), np.nan) if first_on is None else days_from_seconds(first_on)
    del first_on
    later = first > today  # a date after as_of: not known yet, censored at as_of
    first[later] = np.nan
    delay = np.subtract(first, sent, out=first)
    del sent
    np.maximum(delay, 0.0, out=delay)  # NaN stays NaN
    has_date = ~np.isnan(delay)
    event = reached & ~(later & ~has_date)
    del reached, later
    undated = event & ~has_date
    dated_event = event & has_date
    dated_events = int(dated_event.sum())
    n_events = int(event.sum())
    dated = dated_events > 0 and dated_events >= MIN_DATED_SHARE * n_events
    fill = float(np.median(delay[dated_event])) if dated_events else 0.0
    closed = take(word_mask(df["result"], _CLOSED), keep, every) & ~event
    horizon = float(age.max()) if len(age) else 0.0
    # duration: open, the age; closed without reaching the stage, the horizon; an event,
    # its delay, or where undated min(age, fill)
    duration = age
    np.copyto(duration, horizon, where=closed)
    np.minimum(duration, fill, out=duration, where=undated)
    np.copyto(duration, delay, where=dated_event)
    return _Times(keep, every, duration, event, undated, dated, n_events)


def _num(x) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


@dataclass(frozen=True)
class KaplanMeier:
    """One Kaplan–Meier curve of the time to a stage, and what it says.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per distinct event day: ``day``, ``at_risk``, ``events``, ``reached``
        (share of pitches that reached the stage by that day, 1 - S), ``ci_low``,
        ``ci_high`` (95% Greenwood log-log band) and ``greenwood`` (the Greenwood sum).
    n, events, undated : int
        Rows in the curve, rows that reached the stage, and those with an imputed day.
    eventual_rate, eventual_ci : float, (float, float)
        The plateau (share reached at the last event day) and its interval.
    median_days, median_ci : float, (float, float)
        Days to the stage among rows that reach it; ``inf`` for an open upper limit.
    ghosting_day : float
        The first day by which 95% of the eventual events have happened.
    """

    stage: str
    n: int
    events: int
    undated: int
    table: pd.DataFrame
    eventual_rate: float
    eventual_ci: tuple[float, float]
    median_days: float
    median_ci: tuple[float, float]
    ghosting_day: float
    group: str | None = None
    alpha: float = 0.05
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def small_sample(self) -> bool:
        """Fewer than 30 rows or fewer than 5 events."""
        return self.n < SMALL_SAMPLE or self.events < FEW_SUCCESSES

    def quantile(self, share: float) -> float:
        """The first day by which ``share`` of the eventual events have happened."""
        return _conditional_quantile(self.table, self.eventual_rate, share)

    @property
    def summary(self) -> pd.DataFrame:
        """One row: n, events, eventual rate and interval, median days and interval, ghosting day."""
        return pd.DataFrame(
            {
                "group": [self.group if self.group is not None else "all"],
                "stage": [self.stage],
                "n": [self.n],
                "events": [self.events],
                "undated": [self.undated],
                "eventual_rate": [self.eventual_rate],
                "ci_low": [self.eventual_ci[0]],
                "ci_high": [self.eventual_ci[1]],
                "median_days": [self.median_days],
                "median_ci_low": [self.median_ci[0]],
                "median_ci_high": [self.median_ci[1]],
                "ghosting_day": [self.ghosting_day],
                "small_sample": [self.small_sample],
            }
        )

    def curve(self) -> list[list[float]]:
        """``[day, reached]`` pairs from day 0 to the last event day (for JSON)."""
        t = _from_day_zero(self.table)
        return [[float(d), round(float(p), 6)] for d, p in zip(t["day"], t["reached"], strict=True)]

    def __repr__(self) -> str:
        who = f" ({self.group})" if self.group is not None else ""
        lo, hi = self.eventual_ci
        mlo, mhi = self.median_ci
        small = "  [small sample]" if self.small_sample else ""
        return (
            f"<KaplanMeier time to {self.stage}{who}: n={self.n}, events={self.events}"
            f"{small}\n"
            f"  eventual rate {self.eventual_rate:.1%} [{lo:.1%}, {hi:.1%}]\n"
            f"  median {self.median_days:g} days [{mlo:g}, {mhi:g}], "
            f"ghosting day {self.ghosting_day:g}>"
        )

    def _repr_html_(self) -> str:
        cap = html.escape(f"Time to {self.stage}" + (f" — {self.group}" if self.group else ""))
        return _summary_html(self.summary, cap)


#: Whole-day durations up to this many days are counted per day (no sort).
_MAX_COUNTED_DAY = 1_000_000


def _whole_days(duration: np.ndarray) -> np.ndarray | None:
    """The durations as integers when all are whole days from 0 to ``_MAX_COUNTED_DAY``."""
    if not len(duration):
        return None
    low, high = duration.min(), duration.max()  # NaN in either: not whole days
    if not (low >= 0 and high <= _MAX_COUNTED_DAY):
        return None
    days = duration.astype(np.int64)
    return days if np.array_equal(days, duration) else None


def _counts_per_day(duration: np.ndarray, event: np.ndarray, group=None, groups: int = 1):
    """Rows and events per (group, day) when every duration is a whole day (else None).

    ``group`` (codes ``0..groups-1``, or None: one group) splits the rows; one
    ``bincount`` each, no sort. Returns two arrays of shape (groups, last day + 1).
    """
    whole = _whole_days(duration)
    if whole is None:
        return None
    width = int(whole.max()) + 1
    key = whole if group is None else group * width + whole
    rows = np.bincount(key, minlength=groups * width).reshape(groups, width)
    events = np.bincount(key[event], minlength=groups * width).reshape(groups, width)
    return rows, events


def _risk_from_counts(rows: np.ndarray, events: np.ndarray):
    """Distinct event days (floats), rows at risk there and events there, from the rows
    and events per day."""
    days = np.flatnonzero(events)
    at_risk = rows[::-1].cumsum()[::-1]  # rows whose duration is the day or more
    return days.astype(float), at_risk[days].astype(np.int64), events[days].astype(np.int64)


def _risk_sorted(duration: np.ndarray, event: np.ndarray):
    """As :func:`_risk_from_counts`, for any durations (by sorting)."""
    days, d = np.unique(duration[event], return_counts=True)
    at_risk = len(duration) - np.searchsorted(np.sort(duration), days, side="left")
    return days, at_risk.astype(np.int64), d.astype(np.int64)


def _greenwood(at_risk: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The Greenwood sum at each event day."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(at_risk > d, d / (at_risk * (at_risk - d)), np.inf)
    return np.cumsum(terms)


def _log_log_band(surv: np.ndarray, green: np.ndarray, z: float):
    """Greenwood log-log (Kalbfleisch–Prentice) band of the survival curve, inside [0, 1].

    Where the curve is 1 or 0 the band collapses onto it."""
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(green) / np.abs(np.log(surv))
        low = surv ** np.exp(z * se)
        high = surv ** np.exp(-z * se)
    ok = (surv > 0) & (surv < 1) & np.isfinite(se)
    return np.where(ok, low, surv), np.where(ok, high, surv)


def _conditional_quantile(table: pd.DataFrame, plateau: float, share: float) -> float:
    reached = table["reached"].to_numpy()
    ii = np.flatnonzero(reached > share * plateau + 1e-12)
    return float(table["day"].iloc[ii[0]]) if len(ii) and plateau > 0 else math.nan


def _conditional_quantile_ci(table: pd.DataFrame, share: float, z: float) -> tuple[float, float]:
    """Test inversion: days whose share reached is not significantly different from
    ``share`` times the plateau (Greenwood covariance of the curve at t and at the end)."""
    if table.empty:
        return math.nan, math.nan
    s = 1 - table["reached"].to_numpy()
    v = table["greenwood"].to_numpy()
    s_end, v_end = s[-1], v[-1]
    g = (1 - s) - share * (1 - s_end)
    with np.errstate(invalid="ignore"):
        var = s * s * v
        if s_end > 0:  # at S(end) = 0 (everyone reached the stage) the end terms vanish
            var = var + share * share * s_end * s_end * v_end - 2 * share * s * s_end * v
        r = g / np.sqrt(np.maximum(var, 0.0))
    ii = np.flatnonzero(np.abs(r) <= z)
    if len(ii) == 0:
        return math.nan, math.nan
    days = table["day"].to_numpy(dtype=float)
    low = days[ii[0]]
    high = math.inf if ii[-1] == len(days) - 1 else days[ii[-1] + 1]
    return float(low), float(high)


def kaplan_meier(
    duration, event, *, stage: str = "responded", alpha: float = 0.05, group=None, undated=0
) -> KaplanMeier:
    """Fit the Kaplan–Meier curve of the time to a stage (the light step).

    The curve is the product-limit estimate, computed here in numpy as
    :func:`scipy.stats.ecdf` computes it on :class:`scipy.stats.CensoredData` (the tests
    check both, and statsmodels' ``SurvfuncRight``, to 1e-9): importing ``scipy.stats``
    would double the start-up time of ``outreach-analytics summary``.

    Parameters
    ----------
    duration : array_like
        Days from sending to the event, or to censoring.
    event : array_like of bool
        True where the stage was reached at ``duration``.

    Examples
    --------
    >>> km = kaplan_meier([1, 2, 2, 5, 8, 3, 4, 30, 30, 30], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    >>> round(km.eventual_rate, 2), km.median_days, km.ghosting_day
    (0.58, 2.0, 8.0)
    """
    t = np.asarray(duration, dtype=float)
    e = np.asarray(event, dtype=bool)
    n, k = len(t), int(e.sum())
    risk = None
    if k:
        counts = _counts_per_day(t, e)
        risk = _risk_sorted(t, e) if counts is None else _risk_from_counts(*(c[0] for c in counts))
    return _fit(risk, n, k, stage=stage, alpha=alpha, group=group, undated=undated)


def _fit(risk, n: int, k: int, *, stage: str, alpha: float, group, undated) -> KaplanMeier:
    """:func:`kaplan_meier` from the risk table (``days, at_risk, events``) of n rows."""
    z = float(special.ndtri(1 - alpha / 2))
    notes: list[str] = []
    if k == 0:
        # no event: the plateau is 0; Greenwood gives no width, so use Wilson on k of n
        low, high = wilson_interval(0, n, alpha)
        empty = pd.DataFrame(
            {c: [] for c in ("day", "at_risk", "events", "reached", "ci_low", "ci_high")}
        )
        notes.append("no event yet: the interval is Wilson's for 0 of n")
        return KaplanMeier(
            stage, n, 0, int(undated), empty, 0.0, (_f(low), _f(high)), math.nan,
            (math.nan, math.nan), math.nan, group, alpha, tuple(notes),
        )  # fmt: skip
    day, at_risk, d = risk
    green = _greenwood(at_risk, d)
    surv = np.cumprod(1 - d / at_risk)  # the product-limit estimate, as scipy.stats.ecdf
    low_s, high_s = _log_log_band(surv, green, z)
    table = pd.DataFrame(
        {
            "day": day,
            "at_risk": at_risk,
            "events": d,
            "reached": 1 - surv,
            "ci_low": 1 - high_s,
            "ci_high": 1 - low_s,
            "greenwood": green,
        }
    )
    plateau = float(table["reached"].iloc[-1])
    eventual_ci = (float(table["ci_low"].iloc[-1]), float(table["ci_high"].iloc[-1]))
    median = _conditional_quantile(table, plateau, 0.5)
    median_ci = _conditional_quantile_ci(table, 0.5, z)
    if not all(math.isfinite(x) or math.isinf(x) for x in median_ci):
        median_ci = (median, median)  # no day is compatible but the estimate: few event days
    median_ci = (min(median_ci[0], median), max(median_ci[1], median))
    ghost = _conditional_quantile(table, plateau, GHOSTING_SHARE)
    return KaplanMeier(
        stage, n, k, int(undated), table, plateau, eventual_ci, median, median_ci, ghost,
        group, alpha, tuple(notes),
    )  # fmt: skip


def _from_day_zero(table: pd.DataFrame) -> pd.DataFrame:
    """The curve's table with a point at day 0 (nothing reached yet, unless on day 0)."""
    if len(table) and table["day"].iloc[0] == 0:
        return table.reset_index(drop=True)
    start = pd.DataFrame({"day": [0.0], "reached": [0.0], "ci_low": [0.0], "ci_high": [0.0]})
    return pd.concat([start, table], ignore_index=True)


def _f(x) -> float:
    return float(np.asarray(x))


@dataclass(frozen=True)
class TimeToStage:
    """Kaplan–Meier curves of one stage, overall and per segment (lifelines-style result).

    ``overall`` is a :class:`KaplanMeier`; ``groups`` maps each segment to its own;
    ``dated`` says whether the log has enough dates for the stage (else the curves are
    shown but the headline keeps the window rule).
    """

    stage: str
    overall: KaplanMeier
    groups: dict[str, KaplanMeier]
    by: str | None
    dated: bool
    as_of: pd.Timestamp

    @property
    def summary(self) -> pd.DataFrame:
        """One row per curve (``all`` first), the columns of :attr:`KaplanMeier.summary`."""
        parts = [self.overall.summary] + [km.summary for km in self.groups.values()]
        out = pd.concat(parts, ignore_index=True)
        if self.by is not None:
            out = out.rename(columns={"group": self.by})
        return out

    def curves(self) -> pd.DataFrame:
        """Tidy curves for charts: ``group``, ``day``, ``reached``, ``ci_low``, ``ci_high``,
        with a day-0 point for each curve."""
        parts = []
        for name, km in [("all", self.overall), *self.groups.items()]:
            part = _from_day_zero(km.table)[["day", "reached", "ci_low", "ci_high"]]
            part.insert(0, "group", name)
            parts.append(part)
        out = pd.concat(parts, ignore_index=True)
        out["group"] = out["group"].astype("str")
        return out

    def __repr__(self) -> str:
        head = (
            f"<TimeToStage {self.stage}, as of {self.as_of.date()}"
            f"{', by ' + self.by if self.by else ''}"
            f"{'' if self.dated else ' (too few dates: headline keeps the window rule)'}>"
        )
        cols = ["n", "events", "eventual_rate", "ci_low", "ci_high", "median_days",
                "ghosting_day"]  # fmt: skip
        key = self.by or "group"
        table = self.summary.set_index(key)[cols].round(3).to_string()
        return head + "\n" + table

    def _repr_html_(self) -> str:
        cap = html.escape(f"Time to {self.stage}, as of {self.as_of.date()}")
        return _summary_html(self.summary, cap)


def time_to_stage(
    df: pd.DataFrame,
    stage: str = "responded",
    by: str | None = None,
    *,
    as_of=None,
    alpha: float = 0.05,
) -> TimeToStage:
    """Kaplan–Meier curve of the days from sending to ``stage``, overall and per ``by``.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> t = time_to_stage(load(sample_path()), "responded", by="channel", as_of="2026-11-15")
    >>> t.dated, t.overall.median_days <= t.overall.ghosting_day
    (True, True)
    >>> 0 < t.overall.eventual_rate < 1
    True
    """
    as_of = resolve_as_of(as_of)
    t = _times(df, stage, as_of)
    fit = {"stage": stage, "alpha": alpha}
    if by is None:
        overall = kaplan_meier(t.duration, t.event, **fit, undated=int(t.undated.sum()))
        return TimeToStage(stage, overall, {}, by, t.dated, as_of)
    codes, names = codes_of(df[by], "unspecified")
    codes = take(codes, t.keep, t.every).astype(np.intp)
    size = np.bincount(codes, minlength=len(names))
    events = np.bincount(codes[t.event], minlength=len(names))
    undated = np.bincount(codes[t.undated], minlength=len(names))
    counts = _counts_per_day(t.duration, t.event, codes, len(names))

    def risk(g: int | None):
        """The risk table of group ``g`` (None: every row)."""
        if counts is not None:
            return _risk_from_counts(*(c.sum(axis=0) if g is None else c[g] for c in counts))
        if g is None:
            return _risk_sorted(t.duration, t.event)
        mine = codes == g
        return _risk_sorted(t.duration[mine], t.event[mine])

    n_events = int(events.sum())
    overall = _fit(risk(None) if n_events else None, len(codes), n_events, **fit,
                   group=None, undated=int(undated.sum()))  # fmt: skip
    groups: dict[str, KaplanMeier] = {}
    for g in sorted(np.flatnonzero(size), key=lambda g: (-size[g], names[g])):
        groups[names[g]] = _fit(risk(g) if events[g] else None, int(size[g]), int(events[g]),
                                **fit, group=names[g], undated=int(undated[g]))  # fmt: skip
    return TimeToStage(stage, overall, groups, by, t.dated, as_of)


def time_to_response(df: pd.DataFrame, by: str | None = None, *, as_of=None, alpha=0.05):
    """:func:`time_to_stage` for the first reply (``responded`` or any later stage).

    >>> from outreach_analytics import load, sample_path
    >>> t = time_to_response(load(sample_path()), as_of="2026-11-15")
    >>> t.stage
    'responded'
    """
    return time_to_stage(df, "responded", by, as_of=as_of, alpha=alpha)


_RATE_STAGE = {"response": "responded", "interview": "interview", "win": "won"}


def headline_rate(
    df: pd.DataFrame,
    metric: str = "response",
    by: str | None = None,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The headline rate of a metric: censoring-aware where the log has the stage's dates.

    Where at least 80% of the rows that reached the stage carry a date for it, the rate is
    the Kaplan–Meier plateau (``method`` ``"kaplan-meier"``): unbiased when many pitches
    are recent. Otherwise it is the window rule of
    :func:`~outreach_analytics.analysis.metrics.rates` (``method`` ``"window-14d"``: a
    ``sent`` pitch younger than ``window`` days is left out), named as such.

    Returns
    -------
    pandas.DataFrame
        The ``by`` column (or ``group`` = ``"all"``), ``metric``, ``method``, ``rate``,
        ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> h = headline_rate(load(sample_path()), "response", as_of="2026-11-15")
    >>> h[["metric", "method"]].iloc[0].tolist()
    ['response', 'kaplan-meier']
    """
    from .metrics import rates

    stage = _RATE_STAGE[metric]
    key = by or "group"
    t = time_to_stage(df, stage, by, as_of=as_of, alpha=alpha)
    if t.dated:
        s = t.summary if by else t.summary.iloc[:1]
        if by:
            s = s.iloc[1:]
        out = pd.DataFrame(
            {
                key: s[key].to_numpy(),
                "metric": metric,
                "method": "kaplan-meier",
                "rate": s["eventual_rate"].to_numpy(),
                "ci_low": s["ci_low"].to_numpy(),
                "ci_high": s["ci_high"].to_numpy(),
            }
        )
        return out
    r = rates(df, by, as_of=as_of, window=window, alpha=alpha)
    r = r[r["metric"] == metric]
    return pd.DataFrame(
        {
            key: r[by].to_numpy() if by else ["all"] * len(r),
            "metric": metric,
            "method": f"window-{int(window)}d",
            "rate": r["rate"].to_numpy(),
            "ci_low": r["ci_low"].to_numpy(),
            "ci_high": r["ci_high"].to_numpy(),
        }
    )


def _days(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:g}"


def _days_word(x: float) -> str:
    """``x`` days in words: "1 day", "2.5 days", "∞ days"."""
    return f"{_days(x)} {'day' if x == 1 else 'days'}"


_NOUNS = {"responded": "Replies", "interview": "Interviews", "offer": "Offers", "won": "Wins"}


def _record_lines(rec: dict) -> list[str]:
    """Verdict sentences from a :func:`curve_record` object."""
    noun = _NOUNS[rec["stage"]]
    if not rec["dated"]:
        return [f"Too few {noun.lower()} have a date: no waiting time to learn from yet."]
    if rec["events"] == 0:
        return [f"No {noun.lower()} yet: nothing to learn the waiting time from."]
    lo, hi = (math.inf if x is None else x for x in rec["median_ci"])
    ev = rec["eventual_rate"]
    one = {"Replies": "a reply", "Interviews": "an interview"}.get(noun, f"a {noun[:-1].lower()}")
    lines = [
        f"{noun} arrive in a median of {_days_word(rec['median_days'])} "
        f"({_days(lo)}–{_days(hi)}); silence after {_days_word(rec['ghosting_day'])} means no.",
        f"Eventually {ev['value']:.0%} of pitches get {one} "
        f"({ev['ci_low']:.0%}–{ev['ci_high']:.0%}), counting recent pitches fairly.",
    ]
    if rec["small_sample"]:
        lines.append(f"Few {noun.lower()} so far ({rec['events']}): take these as rough.")
    return lines


def _wrap(lines: list[str], width: int) -> list[str]:
    import textwrap

    return [w for line in lines for w in textwrap.wrap(line, width, subsequent_indent="  ")]


def curve_verdict_lines(t: TimeToStage, width: int = 80) -> list[str]:
    """The plain-language verdict of a time-to-stage estimate, as lines of at most ``width``.

    >>> from outreach_analytics import load, sample_path
    >>> t = time_to_response(load(sample_path()), as_of="2026-11-15")
    >>> lines = curve_verdict_lines(t)
    >>> lines[0].startswith("Replies arrive in a median of")
    True
    """
    return _wrap(_record_lines(curve_record(t)), width)


def summary_lines(s: dict, width: int = 80) -> list[str]:
    """Issue 9's verdict lines for the CLI summary block, from the ``summary --json`` object.

    The time to a reply, the eventual reply rate (or which rule the rates use) and what
    following up brought; each line at most ``width`` columns.

    >>> from outreach_analytics import load_report, sample_path, summarize
    >>> lines = summary_lines(summarize(load_report(sample_path()), as_of="2026-11-15"))
    >>> lines[0][:29], max(map(len, lines)) <= 80
    ('Replies arrive in a median of', True)
    """
    lines: list[str] = []
    ttr = s.get("time_to_response")
    if ttr and ttr["dated"]:
        lines += _record_lines(ttr)
    else:
        lines.append(
            "The log has no reply dates: rates count a pitch as unanswered after "
            f"{s['window_days']} days (the window rule), so recent pitches can skew them."
        )
    fu = s.get("follow_up_lift")
    if fu:
        lines.append(fu["verdict"])
    return _wrap(lines, width)


def curve_record(t: TimeToStage) -> dict:
    """The ``time_to_response`` object of ``summary --json`` from a :class:`TimeToStage`.

    Where the log has too few dates for the stage, every estimate is ``None`` and
    ``dated`` is false (the rates keep the window rule).

    >>> from outreach_analytics import load, sample_path
    >>> rec = curve_record(time_to_response(load(sample_path()), as_of="2026-11-15"))
    >>> sorted(rec)[:4]
    ['by_segment', 'curve', 'dated', 'events']
    """
    out = {"stage": t.stage, "method": "kaplan-meier", "dated": bool(t.dated)}
    out.update(_km_record(t.overall, t.dated))
    out["curve"] = t.overall.curve() if t.dated else []
    out["by_segment"] = [
        {"segment_by": t.by, "name": name, **_km_record(km, t.dated)}
        for name, km in t.groups.items()
    ]
    return out


def _km_record(km: KaplanMeier, dated: bool) -> dict:
    ok = dated and km.events > 0
    lo, hi = km.eventual_ci

    def num(x):
        return _num(x) if ok else None

    return {
        "n": km.n,
        "events": km.events,
        "undated": km.undated,
        "median_days": num(km.median_days),
        "median_ci": [num(km.median_ci[0]), num(km.median_ci[1])],
        "eventual_rate": {
            "value": _num(km.eventual_rate) if dated else None,
            "ci_low": _num(lo) if dated else None,
            "ci_high": _num(hi) if dated else None,
        },
        "ghosting_day": num(km.ghosting_day),
        "small_sample": bool(km.small_sample),
    }


def _has_dates(df: pd.DataFrame, stage: str) -> bool:
    """Whether any row has a date for ``stage`` or a later one (a cheap first look)."""
    level = STAGES.index(stage)
    cols = [c for c, st in _STAGE_OF_COLUMN.items() if STAGES.index(st) >= level and c in df]
    return any(bool(df[c].notna().any()) for c in cols)


def headline_record(
    df: pd.DataFrame,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    alpha: float = 0.05,
    response: TimeToStage | None = None,
    window_record: dict | None = None,
) -> dict:
    """The ``headline`` object of ``summary --json``: response, interview and win rates.

    Each is ``{value, ci_low, ci_high, method}``: ``method`` is ``"kaplan-meier"`` where
    the log has the stage's dates (censoring-aware: recent pitches neither inflate nor
    deflate the rate) and ``"window-14d"`` (the window rule of ``overall``) where not.

    >>> from outreach_analytics import load, sample_path
    >>> h = headline_record(load(sample_path()), as_of="2026-11-15")
    >>> h["response_rate"]["method"], h["win_rate"]["method"]
    ('kaplan-meier', 'window-14d')

    ``response`` may pass the :func:`time_to_response` fit already made for the same
    ``df`` and ``as_of``, and ``window_record`` the ``overall`` record of
    :func:`~outreach_analytics.analysis.summary.metrics_record` (window-rule rates), to
    save passes over the rows.
    """
    out = {}
    for metric in _RATE_STAGE:
        t = response if metric == "response" and response is not None else None
        if t is None and _has_dates(df, _RATE_STAGE[metric]):
            t = time_to_stage(df, _RATE_STAGE[metric], as_of=as_of, alpha=alpha)
        if t is not None and t.dated:
            km = t.overall
            r = {"rate": km.eventual_rate, "ci_low": km.eventual_ci[0]}
            r |= {"ci_high": km.eventual_ci[1], "method": "kaplan-meier"}
        elif window_record is not None:  # the window-rule rate the caller already has
            w = window_record[f"{metric}_rate"]
            r = {"rate": w["value"], "ci_low": w["ci_low"], "ci_high": w["ci_high"]}
            r["method"] = f"window-{int(window)}d"
        else:
            r = headline_rate(df, metric, as_of=as_of, window=window, alpha=alpha).iloc[0]
        out[f"{metric}_rate"] = {
            "value": _num(r["rate"]),
            "ci_low": _num(r["ci_low"]),
            "ci_high": _num(r["ci_high"]),
            "method": str(r["method"]),
        }
    return out
