"""The rejection challenge as a journey: a ladder of goals, not one fixed 100.

The "no"s are those of :func:`~outreach_analytics.analysis.activity.rejections_over_time`:
rejections, and silences (pitches marked ghosted or no reply, and pitches left unanswered
past the answer window). Silence counts as a no; the verdict and ``to_dict`` say how many
of each, so that the count matches the words. The ladder is 100,
250, 500 and 1,000 "no"s, then every further 1,000. For each rung: the day it was reached
and the wins collected by then; for the next rung: the day it will be reached at the
recent pace ("no"s per week over the last 8 weeks) and the wins expected on the way
(the recent pace of actions times the posterior mean win rate, Jeffreys prior, from
:func:`~outreach_analytics.analysis.forecast.wins_in`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._arrays import NO_DATE, days_of_seconds, seconds, word_mask
from .activity import rejections_over_time
from .forecast import recent_pace, wins_in
from .metrics import DEFAULT_WINDOW, counts, resolve_as_of
from .text import plural

__all__ = ["LADDER", "Challenge", "ladder_goals", "next_goal", "challenge"]

#: The rungs of the rejection challenge; past the last, every further 1,000.
LADDER = (100, 250, 500, 1000)
_NO = '"no"'
_PACE_WEEKS = 8


def ladder_goals(no_count: int, ladder: Sequence[int] = LADDER) -> list[int]:
    """The rungs up to and including the next one above ``no_count``.

    >>> ladder_goals(864)
    [100, 250, 500, 1000]
    >>> ladder_goals(120)
    [100, 250]
    >>> ladder_goals(1000)
    [100, 250, 500, 1000, 2000]
    """
    goals = list(ladder)
    while goals[-1] <= no_count:
        goals.append(goals[-1] + 1000)
    reached = [g for g in goals if g <= no_count]
    return [*reached, goals[len(reached)]]


def next_goal(no_count: int, ladder: Sequence[int] = LADDER) -> int:
    """The next rung of the ladder: the first goal above ``no_count``.

    >>> next_goal(0), next_goal(100), next_goal(864), next_goal(2500)
    (100, 250, 1000, 3000)
    """
    return ladder_goals(no_count, ladder)[-1]


@dataclass(frozen=True)
class Challenge:
    """Where the user stands on the rejection-challenge ladder.

    Attributes
    ----------
    no_count : int
        The "no"s collected up to ``as_of``: ``rejections`` + ``silences``.
    next_goal : int
        The next rung.
    nos_per_week : float
        "No"s per week over the last 8 weeks.
    projected_date : pandas.Timestamp or None
        When the next rung is reached at that pace (None without a recent "no").
    wins_so_far : int
        Wins in the log.
    summary : pandas.DataFrame
        One row per rung: ``goal``, ``reached`` (bool), ``date`` (the day it was reached,
        or the projected day of the next rung; NaT beyond), ``wins`` (wins by then; for
        the next rung the wins so far plus those expected on the way) and ``projected``.
    rejections, silences : int
        The "no"s that were rejections, and those that were silence (ghosted, no reply,
        or no answer within the answer window).
    outcomes : bool
        False for a log that records no outcomes: its wins are unknown, not 0, and none
        is expected on the way (``wins`` is NaN, ``to_dict`` gives None).
    """

    no_count: int
    next_goal: int
    nos_per_week: float
    projected_date: pd.Timestamp | None
    wins_so_far: int
    expected_wins_on_the_way: float
    summary: pd.DataFrame = field(repr=False)
    as_of: pd.Timestamp | None = None
    rejections: int = 0
    silences: int = 0
    outcomes: bool = True

    @property
    def verdict(self) -> str:
        """The challenge in one sentence: the "no"s, what they are, the next goal.

        >>> c = Challenge(37, 100, 2.0, None, 1, 0.0, pd.DataFrame(), None, 12, 25)
        >>> c.verdict
        '37 "no"s (12 rejections + 25 silences); next goal 100 (no recent no to date it)'
        """
        head = (
            f"{plural(self.no_count, _NO)} ({plural(self.rejections, 'rejection')} + "
            f"{plural(self.silences, 'silence')}); next goal {self.next_goal:,}"
        )
        if self.projected_date is None:
            return head + " (no recent no to date it)"
        if not self.outcomes:
            return head + f", about {self.projected_date.date().isoformat()} at the recent pace"
        wins = f"{self.expected_wins_on_the_way:.1f}"
        return (
            head + f", about {self.projected_date.date().isoformat()} at the recent pace "
            f"(~{wins} {'win' if wins == '1.0' else 'wins'} on the way)"
        )

    def to_dict(self) -> dict:
        """The ``challenge`` entry of ``summary --json``.

        ``no_count`` is ``rejections`` + ``silences``; ``counts_silence`` says that silence
        (ghosted, no reply, no answer within the answer window) is counted as a no.
        """
        return {
            "no_count": int(self.no_count),
            "rejections": int(self.rejections),
            "silences": int(self.silences),
            "counts_silence": True,
            "next_goal": int(self.next_goal),
            "ladder": [int(g) for g in self.summary["goal"]],
            "nos_per_week": float(self.nos_per_week),
            "projected_date": None
            if self.projected_date is None
            else self.projected_date.date().isoformat(),
            "wins_so_far": int(self.wins_so_far) if self.outcomes else None,
            "expected_wins_on_the_way": float(self.expected_wins_on_the_way)
            if self.outcomes
            else None,
            "verdict": self.verdict,
        }

    def __repr__(self) -> str:
        body = self.summary.to_string(index=False)
        return (
            f"<Challenge: {plural(self.no_count, 'no')}, next goal {self.next_goal}>\n{body}\n"
            f"{self.verdict}"
        )

    def _repr_html_(self) -> str:
        table = (
            self.summary.style.format(precision=1, na_rep="—")
            .hide(axis="index")
            .set_caption("The rejection challenge, rung by rung")
            .to_html()
        )
        return f"{table}<p>{html.escape(self.verdict)}</p>"


def _win_days(df: pd.DataFrame) -> np.ndarray:
    """The days of the wins (``won_on``, else the day sent) as sorted day numbers."""
    won = np.flatnonzero(word_mask(df["stage"], "won"))  # the wins, then their days
    day = days_of_seconds(seconds(df["date"])[won])
    if "won_on" in df.columns:
        on = days_of_seconds(seconds(df["won_on"])[won])
        day = np.where(on != NO_DATE, on, day)
    return np.sort(day[day != NO_DATE])


def challenge(
    df: pd.DataFrame,
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    ladder: Sequence[int] = LADDER,
    tally: tuple[int, int] | None = None,
    pace: float | None = None,
    outcomes: bool = True,
) -> Challenge:
    """The rejection challenge: rungs reached, the next goal and when it will be reached.

    ``tally`` (wins, settled) and ``pace`` (actions per week) may be passed when they are
    already known, so that the rows are not counted again. ``outcomes`` is false for a
    log that records no outcomes
    (:attr:`~outreach_analytics.model.normalize.LoadReport.records_outcomes`): its
    silences still count, but no win is claimed or expected.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> c = challenge(load(sample_path()), as_of="2026-11-15")
    >>> c.no_count > 250, c.next_goal
    (True, 1000)
    """
    day = resolve_as_of(as_of)
    nos = rejections_over_time(df, as_of=day, window=window)
    total = int(nos["cumulative"].iloc[-1]) if len(nos) else 0
    goals = ladder_goals(total, ladder)
    start = day - pd.Timedelta(days=7 * _PACE_WEEKS - 1)
    pace_nos = float(nos.loc[nos["date"] >= start, "nos"].sum()) / _PACE_WEEKS if len(nos) else 0.0
    if tally is None:
        total_row = counts(df, as_of=day, window=window).iloc[0]
        tally = (int(total_row["wins"]), int(total_row["settled"]))
    wins, settled = tally
    if pace is None:
        pace = recent_pace(df, as_of=day)
    # the rungs reached: the first day the running total reaches each, and the wins by
    # then (both sorted: one search for all rungs)
    reached = np.array(goals[:-1], dtype=np.int64)
    at = np.searchsorted(nos["cumulative"].to_numpy(), reached, side="left")
    reached_on = nos["date"].to_numpy(dtype="datetime64[s]")[at]
    won = np.searchsorted(_win_days(df), days_of_seconds(reached_on.view(np.int64)), "right")
    # the next rung, at the recent pace
    projected = None
    on_the_way = 0.0
    if pace_nos > 0:
        weeks = (goals[-1] - total) / pace_nos
        projected = day + pd.Timedelta(days=math.ceil(weeks * 7))
        pitches = int(round(pace * weeks))
        on_the_way = wins_in(pitches, wins, settled)[0] if outcomes else np.nan
    projected_wins = wins + on_the_way if projected is not None else np.nan
    if not outcomes:
        won = np.full(len(reached), np.nan)
    next_on = np.datetime64("NaT") if projected is None else np.datetime64(projected.date())
    summary = pd.DataFrame(
        {
            "goal": np.append(reached, goals[-1]),
            "reached": np.arange(len(goals)) < len(reached),
            "date": np.append(reached_on, next_on).astype("datetime64[s]"),
            "wins": np.append(won, projected_wins).astype(float),
            "projected": np.arange(len(goals)) == len(reached),
        }
    )
    return Challenge(
        no_count=total,
        next_goal=goals[-1],
        nos_per_week=pace_nos,
        projected_date=projected,
        wins_so_far=wins,
        expected_wins_on_the_way=float(on_the_way),
        summary=summary,
        as_of=day,
        rejections=int(nos["rejections"].sum()) if len(nos) else 0,
        silences=int(nos["no_responses"].sum()) if len(nos) else 0,
        outcomes=outcomes,
    )
