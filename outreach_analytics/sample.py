"""A seeded generator of realistic outreach logs, and the bundled sample.

:func:`generate_log` makes a log in the raw form people keep in a spreadsheet: everyday
column names (``Date Sent``, ``Platform``, ``Status``...) and everyday status words
("Applied", "Ghosted", "Call booked", "Hired"...), a few platform names spelt carelessly
("Linkedin", "upwork ") and cells left empty. :func:`write_log` writes the same log as CSV,
in chunks, so that 10 million rows take little memory. Both are fully vectorized with numpy
and pyarrow.

The probabilities the generator draws from are public: :data:`TRUE_RATES` (per channel) and
:func:`true_rates` (per channel, per pitch type, per cell or overall). A row's *eventual*
outcome is drawn from them; the log then shows what was known on ``end``: a reply, call or
decision that would come after ``end`` is not in the log yet. Every delay is bounded (reply
within 30 days of sending, interview within 30 days of the reply, decision within 40 days of
the interview, won or declined within 21 days of the offer), so rows sent at least
:data:`SETTLED_AFTER_DAYS` days before ``end`` show their eventual outcome and their rates
estimate the true ones without bias.

The status words and what they are meant to say (stage, result):

================================================  ==============  ===============
words                                              stage           result
================================================  ==============  ===============
"Sent", "Applied", "" (empty cell)                 sent            open
"No reply", "Ghosted"                              sent            no_response
"Withdrawn"                                        sent            withdrawn
"Replied", "In talks"                              responded       open
"Declined", "Rejected", "Not a fit"                responded       rejected
"Interview", "Call booked"                         interview       open
"Rejected after interview",
"Interviewed - no offer"                           interview       rejected
"Offer"                                            offer           open
"Offer declined" (the freelancer said no)          offer           withdrawn
"Hired", "Won", "Contract signed"                  won             won
================================================  ==============  ===============

The bundled sample ``data/sample_outreach.csv`` is ``write_log`` with its defaults (1000 rows,
seed 2026, ending 2026-11-15); regenerate it with
``python -c 'from outreach_analytics.sample import write_log; write_log("data/sample_outreach.csv")'``.

Examples
--------
>>> from outreach_analytics.sample import generate_log, true_rates
>>> log = generate_log(200, seed=7)
>>> log.shape
(200, 11)
>>> log["Date Sent"].is_monotonic_increasing
True
>>> round(float(true_rates(None)["win_rate"].iloc[0]), 3)
0.028
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "PITCH_TYPES",
    "SETTLED_AFTER_DAYS",
    "STATUS_MEANING",
    "TRUE_RATES",
    "generate_log",
    "sample_path",
    "true_rates",
    "write_log",
]

#: The headers of the raw log, in order.
COLUMNS: tuple[str, ...] = (
    "Date Sent",
    "Platform",
    "Pitch Type",
    "Client",
    "Status",
    "Response Date",
    "Interview Date",
    "Follow-ups",
    "Rate",
    "Connects",
    "Notes",
)

#: The channels (the ``Platform`` column, in their canonical spelling).
CHANNELS: tuple[str, ...] = ("Upwork", "LinkedIn", "Email", "Facebook Groups", "Referral")

#: The pitch types (the ``Pitch Type`` column).
PITCH_TYPES: tuple[str, ...] = (
    "Cold pitch",
    "Proposal",
    "Follow-up",
    "Rate-increase ask",
    "Referral ask",
)

#: Every status word the generator writes, and the (stage, result) it is meant to say.
STATUS_MEANING: dict[str, tuple[str, str]] = {
    "": ("sent", "open"),
    "Sent": ("sent", "open"),
    "Applied": ("sent", "open"),
    "No reply": ("sent", "no_response"),
    "Ghosted": ("sent", "no_response"),
    "Withdrawn": ("sent", "withdrawn"),
    "Replied": ("responded", "open"),
    "In talks": ("responded", "open"),
    "Declined": ("responded", "rejected"),
    "Rejected": ("responded", "rejected"),
    "Not a fit": ("responded", "rejected"),
    "Interview": ("interview", "open"),
    "Call booked": ("interview", "open"),
    "Rejected after interview": ("interview", "rejected"),
    "Interviewed - no offer": ("interview", "rejected"),
    "Offer": ("offer", "open"),
    "Offer declined": ("offer", "withdrawn"),
    "Hired": ("won", "won"),
    "Won": ("won", "won"),
    "Contract signed": ("won", "won"),
}

#: Rows sent at least this many days before ``end`` show their eventual outcome.
SETTLED_AFTER_DAYS = 30 + 30 + 40 + 21

_DEFAULT_END = date(2026, 11, 15)
_CHUNK_ROWS = 1_000_000  # rows per chunk; part of the output's definition, do not change
_PENDING_DAYS = 14  # rows younger than this are mostly still open

# --------------------------------------------------------------------------------------
# The model: who is pitched where, and how likely each step is.
# --------------------------------------------------------------------------------------

_CHANNEL_SHARE = np.array([0.40, 0.22, 0.18, 0.13, 0.07])
# P(pitch type | channel); rows: CHANNELS, columns: PITCH_TYPES.
_PITCH_GIVEN_CHANNEL = np.array(
    [
        [0.02, 0.86, 0.08, 0.02, 0.02],  # Upwork: proposals to job posts
        [0.55, 0.10, 0.24, 0.03, 0.08],  # LinkedIn: cold messages and follow-ups
        [0.47, 0.12, 0.32, 0.06, 0.03],  # Email: cold pitches and follow-ups
        [0.35, 0.52, 0.10, 0.01, 0.02],  # Facebook Groups: replies to posts
        [0.05, 0.20, 0.06, 0.04, 0.65],  # Referral: asks to a referred contact
    ]
)
# Each step's probability is logistic(logit(channel base) + pitch-type offset).
_STEP_BASE = {
    "p_response": np.array([0.12, 0.20, 0.17, 0.22, 0.52]),
    "p_interview_given_response": np.array([0.45, 0.40, 0.35, 0.33, 0.55]),
    "p_offer_given_interview": np.array([0.40, 0.35, 0.35, 0.30, 0.55]),
    "p_won_given_offer": np.array([0.75, 0.70, 0.70, 0.65, 0.80]),
}
_STEP_OFFSET = {  # Cold pitch, Proposal, Follow-up, Rate-increase ask, Referral ask
    "p_response": np.array([-0.30, 0.0, 0.25, 1.60, 0.15]),
    "p_interview_given_response": np.array([-0.20, 0.10, 0.0, -0.40, 0.30]),
    "p_offer_given_interview": np.array([-0.10, 0.0, 0.0, 1.20, 0.20]),
    "p_won_given_offer": np.array([0.0, 0.0, 0.0, 0.60, 0.20]),
}


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1.0 - p))


# Flattened over cells: cell = channel * len(PITCH_TYPES) + pitch type.
_CELL_SHARE = (_CHANNEL_SHARE[:, None] * _PITCH_GIVEN_CHANNEL).ravel()
_CELL_CUM = np.cumsum(_CELL_SHARE)
_CELL_CUM[-1] = 1.0
_CELL_P = {
    step: _logistic(_logit(base)[:, None] + _STEP_OFFSET[step][None, :]).ravel()
    for step, base in _STEP_BASE.items()
}

_CONDITIONAL = (
    "p_response",
    "p_interview_given_response",
    "p_offer_given_interview",
    "p_won_given_offer",
)
_MARGINAL = ("response_rate", "interview_rate", "offer_rate", "win_rate")


def _cell_rates() -> pd.DataFrame:
    """Every (channel, pitch type) cell with its share of rows and its true rates."""
    cells = pd.MultiIndex.from_product([CHANNELS, PITCH_TYPES], names=["channel", "pitch_type"])
    frame = pd.DataFrame({"share": _CELL_SHARE}, index=cells)
    marginal = np.ones_like(_CELL_SHARE)
    for step, rate in zip(_CONDITIONAL, _MARGINAL, strict=True):
        marginal = marginal * _CELL_P[step]
        frame[rate] = marginal
    return frame


def true_rates(by: str | list[str] | None = "channel") -> pd.DataFrame:
    """Return the true probabilities the generator draws outcomes from.

    Parameters
    ----------
    by : {"channel", "pitch_type"}, list of both, or None, default "channel"
        How to group: per channel, per pitch type, per (channel, pitch type) cell, or one
        overall row (``None``, index ``"all"``). Groups mix their cells by their share of
        rows.

    Returns
    -------
    pandas.DataFrame
        One row per group with columns ``share`` (the expected fraction of all rows), the
        step probabilities ``p_response``, ``p_interview_given_response``,
        ``p_offer_given_interview``, ``p_won_given_offer``, and the marginal rates per row
        sent ``response_rate``, ``interview_rate``, ``offer_rate``, ``win_rate``. These are
        eventual outcomes; see the module notes on rows sent shortly before ``end``.

    Examples
    --------
    >>> rates = true_rates()
    >>> list(rates.index)
    ['Upwork', 'LinkedIn', 'Email', 'Facebook Groups', 'Referral']
    >>> print(rates[["share", "response_rate", "win_rate"]].round(3).to_string())
                     share  response_rate  win_rate
    channel
    Upwork            0.40          0.128     0.019
    LinkedIn          0.22          0.199     0.020
    Email             0.18          0.185     0.017
    Facebook Groups   0.13          0.212     0.014
    Referral          0.07          0.557     0.162
    >>> round(float(true_rates(["channel", "pitch_type"]).loc[("Upwork", "Proposal"), "p_response"]), 2)
    0.12
    """
    cells = _cell_rates()
    if by is None:
        keys = np.zeros(len(cells), dtype=int)
        names = ["all"]
    else:
        levels = [by] if isinstance(by, str) else list(by)
        unknown = [level for level in levels if level not in cells.index.names]
        if unknown or not levels:
            raise ValueError(
                f"Value of 'by' must be 'channel', 'pitch_type', a list of both or None; "
                f"received: {by!r}"
            )
        if len(levels) == 2:
            order = [CHANNELS, PITCH_TYPES] if levels[0] == "channel" else [PITCH_TYPES, CHANNELS]
            product = pd.MultiIndex.from_product(order, names=levels)
            return _with_conditionals(cells.reorder_levels(levels).reindex(product))
        keys = cells.index.get_level_values(levels[0])
        names = None
    weighted = cells[list(_MARGINAL)].mul(cells["share"], axis=0)
    weighted["share"] = cells["share"]
    grouped = weighted.groupby(keys, sort=False).sum()
    grouped[list(_MARGINAL)] = grouped[list(_MARGINAL)].div(grouped["share"], axis=0)
    if names is not None:
        grouped.index = pd.Index(names, name="group")
    else:
        grouped.index.name = by if isinstance(by, str) else by[0]
    return _with_conditionals(grouped[["share", *_MARGINAL]])


def _with_conditionals(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["share"]].copy()
    previous = pd.Series(1.0, index=frame.index)
    for step, rate in zip(_CONDITIONAL, _MARGINAL, strict=True):
        out[step] = frame[rate] / previous
        previous = frame[rate]
    for rate in _MARGINAL:
        out[rate] = frame[rate]
    return out


#: The true per-channel rates, ``true_rates("channel")``; built on first access.
TRUE_RATES: pd.DataFrame  # provided by __getattr__ below


def __getattr__(name: str):
    # TRUE_RATES, the true per-channel rates (``true_rates("channel")``), is built on
    # first use so that importing the package (and starting the CLI) stays quick.
    if name == "TRUE_RATES":
        return true_rates("channel")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------------------
# Words the log is written in.
# --------------------------------------------------------------------------------------

_PLATFORM_VARIANTS = (
    ("upwork", "Upwork ", "UPWORK"),
    ("Linkedin", "LinkedIn ", "linkedin"),
    ("email", "Email ", " Email"),
    ("Facebook groups", "facebook groups", "Facebook Groups "),
    ("referral", "Referral ", "REFERRAL"),
)
_PLATFORM_WORDS = list(CHANNELS) + [v for variants in _PLATFORM_VARIANTS for v in variants]
_VARIANT_SHARE = 0.02

_STATUS_WORDS = list(STATUS_MEANING)
_S = {word: code for code, word in enumerate(_STATUS_WORDS)}

_CLIENT_FIRST = (
    "Northwind", "Bluebird", "Acme", "Brightline", "Cedar", "Copperleaf", "Driftwood", "Ember",
    "Foxglove", "Granite", "Harbor", "Ironbark", "Juniper", "Kestrel", "Lumen", "Maple",
    "Nimbus", "Oakridge", "Pinecone", "Quartz", "Redwood", "Saltwater", "Tidewater", "Umber",
    "Vantage", "Willow", "Yellowtail", "Zephyr", "Silverline", "Golden Hour", "Blue Fern",
    "Little Owl", "Summit", "Polar", "Meadow", "Orchard", "Lighthouse", "Riverbend",
    "Starling", "Hollow Oak",
)  # fmt: skip
_CLIENT_SECOND = (
    "Labs", "Studio", "Media", "Digital", "Partners", "Consulting", "Co", "Collective",
    "Agency", "Health", "Foods", "Analytics", "Software", "Creative", "Ventures", "Group",
    "Works", "Design", "Apparel", "Coffee", "Fitness", "Realty", "Learning", "Travel",
    "Logistics",
)  # fmt: skip
_PAST_CLIENTS = 25  # rate-increase asks go to the most frequent clients

# Notes, by what happened to the row (the status group below).
_NOTE_WORDS: tuple[tuple[str, ...], ...] = (
    # 0: nothing heard yet or ever
    ("follow up next week", "sent portfolio link", "no budget listed", "found via job post",
     "pinged again", "invite only", "asked a friend for an intro", "long shot"),
    # 1: replied, still talking
    ("asked for portfolio", "asked for my rate", "wants samples first", "sent case study",
     "waiting on their budget"),
    # 2: said no after a reply
    ("budget too low", "went with an agency", "timeline too short", "not hiring right now",
     "wanted someone local"),
    # 3: interview, no decision yet
    ("good call", "waiting on feedback", "second call next week", "they loved the case study"),
    # 4: interview, no offer
    ("went with someone cheaper", "chose an in-house hire", "good interview then silence",
     "felt like a great fit", "asked for a test task"),
    # 5: offer, not decided
    ("offer in writing", "thinking it over", "negotiating scope"),
    # 6: offer declined by me
    ("rate too low for me", "took another project", "scope creep risk"),
    # 7: won
    ("start next month", "long-term retainer", "negotiated rate up", "small paid trial first",
     "3 month contract", "repeat client"),
    # 8: withdrawn
    ("job closed", "client unresponsive", "found a better lead", "posting removed"),
)  # fmt: skip
_NOTE_FLAT = [note for group in _NOTE_WORDS for note in group]
_NOTE_START = np.cumsum([0] + [len(group) for group in _NOTE_WORDS])[:-1]
_NOTE_SIZE = np.array([len(group) for group in _NOTE_WORDS])
_NOTE_P = np.array([0.14, 0.35, 0.30, 0.40, 0.45, 0.40, 0.50, 0.45, 0.35])

_CONNECTS = np.array([6, 8, 12, 16])
_CONNECTS_P = np.array([0.25, 0.35, 0.25, 0.15])


# --------------------------------------------------------------------------------------
# Generation.
# --------------------------------------------------------------------------------------


def _check_args(n_rows: int, seed: int, end, days: int) -> np.datetime64:
    if isinstance(n_rows, bool) or not isinstance(n_rows, int | np.integer) or n_rows < 0:
        raise ValueError(f"Value of 'n_rows' must be a non-negative integer; received: {n_rows!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"Value of 'seed' must be a non-negative integer; received: {seed!r}")
    if isinstance(days, bool) or not isinstance(days, int | np.integer) or days < 1:
        raise ValueError(f"Value of 'days' must be a positive integer; received: {days!r}")
    try:
        return np.datetime64(pd.Timestamp(end).date(), "D")
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Value of 'end' must be a date such as date(2026, 11, 15) or '2026-11-15'; "
            f"received: {end!r}"
        ) from error


def _draw(rng: np.random.Generator, cumulative: np.ndarray, size: int) -> np.ndarray:
    """Draw ``size`` category codes from cumulative probabilities (last one must be 1)."""
    codes = np.searchsorted(cumulative, rng.random(size), side="right")
    return np.minimum(codes, len(cumulative) - 1)


def _cum(p) -> np.ndarray:
    cumulative = np.cumsum(np.asarray(p, dtype=float))
    cumulative /= cumulative[-1]
    return cumulative


def _day_counts(n_rows: int, days: int, end_day: int, rng: np.random.Generator) -> np.ndarray:
    """How many pitches go out on each day: busy weekdays, quiet weekends, bursts, vacations."""
    day = end_day - (days - 1) + np.arange(days)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    week = (day + 3) // 7
    week -= week[0]
    n_weeks = int(week[-1]) + 1
    week_factor = rng.lognormal(0.0, 0.3, n_weeks)
    if n_weeks >= 10:
        # one two-week vacation and one quiet week, none in the last month
        candidates = np.arange(1, n_weeks - 5)
        vacation = rng.choice(candidates)
        week_factor[vacation : vacation + 2] *= 0.03
        week_factor[rng.choice(candidates)] *= 0.2
        # a few bursts (a new niche, a slow month at work)
        week_factor[rng.choice(n_weeks, size=max(1, n_weeks // 12), replace=False)] *= 2.2
    weekday_factor = np.array([1.0, 1.1, 1.05, 1.0, 0.8, 0.12, 0.08])
    weight = weekday_factor[weekday] * week_factor[week]
    return rng.multinomial(n_rows, weight / weight.sum())


def _lognormal_days(rng, median: float, sigma: float, low: int, high: int, n: int) -> np.ndarray:
    delay = np.floor(rng.lognormal(np.log(median), sigma, n))
    return np.clip(delay, low, high).astype(np.int32)


def _pick(rng, out: np.ndarray, mask: np.ndarray, words: list[str], p: list[float]) -> None:
    """Set ``out[mask]`` to status codes of ``words`` drawn with probabilities ``p``."""
    where = np.flatnonzero(mask)
    codes = np.array([_S[word] for word in words], dtype=out.dtype)
    out[where] = codes[_draw(rng, _cum(p), where.size)]


def _chunk_table(
    offsets: np.ndarray, first_day: int, end_day: int, clients: np.ndarray, client_cum, rng
) -> pa.Table:
    """Generate the rows sent on day ``first_day + offsets`` (sorted) as an Arrow table."""
    n = offsets.size
    sent = first_day + offsets.astype(np.int32)
    age = end_day - sent

    cell = _draw(rng, _CELL_CUM, n).astype(np.int8)
    n_pitch = len(PITCH_TYPES)
    channel, pitch = np.divmod(cell, n_pitch)
    upwork = channel == CHANNELS.index("Upwork")

    # Eventual outcomes, step by step.
    u = rng.random((4, n))
    responded = u[0] < _CELL_P["p_response"][cell]
    interviewed = responded & (u[1] < _CELL_P["p_interview_given_response"][cell])
    offered = interviewed & (u[2] < _CELL_P["p_offer_given_interview"][cell])
    won = offered & (u[3] < _CELL_P["p_won_given_offer"][cell])
    del u

    # When each step would happen; bounded so that SETTLED_AFTER_DAYS holds.
    reply_delay = _lognormal_days(rng, 2.5, 0.8, 0, 30, n)
    reply_day = sent + reply_delay
    interview_day = reply_day + _lognormal_days(rng, 5.0, 0.6, 1, 30, n)
    decision_day = interview_day + _lognormal_days(rng, 6.0, 0.6, 1, 40, n)
    close_day = decision_day + _lognormal_days(rng, 3.0, 0.7, 0, 21, n)

    # What is known on `end`.
    seen_reply = responded & (reply_day <= end_day)
    seen_interview = interviewed & (interview_day <= end_day)
    seen_decision = interviewed & (decision_day <= end_day)
    seen_close = offered & (close_day <= end_day)

    status = np.zeros(n, dtype=np.int8)
    group = np.zeros(n, dtype=np.int8)  # which notes fit the row
    silent = ~seen_reply
    recent = age < _PENDING_DAYS
    _pick(rng, status, silent & recent, ["Sent", "", "No reply"], [0.75, 0.22, 0.03])
    _pick(
        rng,
        status,
        silent & ~recent,
        ["No reply", "Ghosted", "Sent", ""],
        [0.35, 0.20, 0.28, 0.17],
    )
    # Upwork people write "Applied" where others write "Sent".
    applied = (status == _S["Sent"]) & (rng.random(n) < np.where(upwork, 0.85, 0.05))
    status[applied] = _S["Applied"]
    withdrawn = silent & (age >= 2) & (rng.random(n) < 0.014)
    status[withdrawn] = _S["Withdrawn"]
    group[withdrawn] = 8

    talking = seen_reply & ~seen_interview
    _pick(rng, status, talking & interviewed, ["Replied", "In talks"], [0.5, 0.5])
    _pick(
        rng,
        status,
        talking & ~interviewed,
        ["Declined", "Rejected", "Not a fit", "Replied", "In talks"],
        [0.22, 0.20, 0.13, 0.25, 0.20],
    )
    group[talking] = 1
    said_no = np.isin(status, [_S["Declined"], _S["Rejected"], _S["Not a fit"]])
    group[said_no] = 2

    waiting = seen_interview & ~seen_decision
    _pick(rng, status, waiting, ["Interview", "Call booked"], [0.6, 0.4])
    group[waiting] = 3
    no_offer = seen_decision & ~offered  # the "good interview, no offer" leak
    _pick(
        rng,
        status,
        no_offer,
        ["Rejected after interview", "Interviewed - no offer", "Interview", "Call booked"],
        [0.45, 0.35, 0.12, 0.08],
    )
    group[no_offer] = 4
    pending_offer = seen_decision & offered & ~seen_close
    status[pending_offer] = _S["Offer"]
    group[pending_offer] = 5
    declined = seen_close & ~won
    _pick(rng, status, declined, ["Offer declined", "Offer"], [0.85, 0.15])
    group[declined] = 6
    hired = seen_close & won
    _pick(rng, status, hired, ["Hired", "Won", "Contract signed"], [0.45, 0.25, 0.30])
    group[hired] = 7

    # Platform, with a few careless spellings.
    platform = channel.astype(np.int16)
    variant = rng.random(n) < _VARIANT_SHARE
    platform[variant] = (
        len(CHANNELS) + channel[variant] * 3 + rng.integers(0, 3, int(variant.sum()))
    ).astype(np.int16)

    # Clients: a skewed pool, so the same names come back; rate-increase asks go to the
    # most frequent (past) clients.
    client = np.searchsorted(client_cum, rng.random(n), side="right").astype(np.int16)
    client = np.minimum(client, len(client_cum) - 1)
    rate_ask = pitch == PITCH_TYPES.index("Rate-increase ask")
    client[rate_ask] = rng.integers(0, _PAST_CLIENTS, int(rate_ask.sum()))

    # Follow-ups: more when nobody answered; roughly one every 3 days at most.
    follow_ups = np.where(
        seen_reply,
        _draw(rng, _cum([0.55, 0.30, 0.10, 0.05]), n),
        _draw(rng, _cum([0.20, 0.35, 0.30, 0.15]), n),
    )
    follow_ups = np.minimum(follow_ups, np.where(seen_reply, reply_delay, age) // 3)

    # Rate: hourly, mostly round numbers; rate-increase asks higher; some left empty.
    rate = np.where(
        rng.random(n) < 0.75, rng.integers(9, 25, n) * 5, rng.integers(45, 121, n)
    ) + np.where(rate_ask, 15, 0)
    no_rate = rng.random(n) < 0.15

    connects = _CONNECTS[_draw(rng, _cum(_CONNECTS_P), n)]
    no_connects = ~upwork | (rng.random(n) < 0.02)

    has_note = rng.random(n) < _NOTE_P[group]
    note = _NOTE_START[group] + np.floor(rng.random(n) * _NOTE_SIZE[group]).astype(np.int64)
    note[~has_note] = -1

    status_code = status.astype(np.int16)
    status_code[status == _S[""]] = -1  # the empty word is an empty cell

    columns = {
        "Date Sent": _dates(sent),
        "Platform": _words(_PLATFORM_WORDS, platform),
        "Pitch Type": _words(PITCH_TYPES, pitch),
        "Client": _words(clients, client),
        "Status": _words(_STATUS_WORDS, status_code),
        "Response Date": _dates(reply_day, ~seen_reply),
        "Interview Date": _dates(interview_day, ~seen_interview),
        "Follow-ups": pa.array(follow_ups.astype(np.int64)),
        "Rate": pa.array(rate.astype(np.int64), mask=no_rate),
        "Connects": pa.array(connects.astype(np.int64), mask=no_connects),
        "Notes": _words(_NOTE_FLAT, note),
    }
    return pa.table(columns)


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=missing)


def _words(words, codes: np.ndarray) -> pa.Array:
    """Look up ``codes`` in ``words``; a negative code is an empty cell."""
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.array(list(words), type=pa.string()).take(indices)


def _client_pool(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    names = np.array([f"{a} {b}" for a in _CLIENT_FIRST for b in _CLIENT_SECOND])
    names = names[rng.permutation(names.size)]
    weight = 1.0 / (np.arange(names.size) + 8.0) ** 0.8
    return names, _cum(weight)


def _tables(n_rows: int, seed: int, end, days: int) -> Iterator[pa.Table]:
    """Yield the log as Arrow tables of at most ``_CHUNK_ROWS`` rows, in date order."""
    end_day = int(_check_args(n_rows, seed, end, days).astype(np.int64))
    n_chunks = max(1, -(-n_rows // _CHUNK_ROWS))
    streams = np.random.SeedSequence(seed).spawn(1 + n_chunks)
    rng = np.random.default_rng(streams[0])
    counts = _day_counts(n_rows, days, end_day, rng)
    offsets = np.repeat(np.arange(days, dtype=np.int16 if days < 2**15 else np.int32), counts)
    clients, client_cum = _client_pool(rng)
    first_day = end_day - (days - 1)
    for k in range(n_chunks):
        part = offsets[k * _CHUNK_ROWS : (k + 1) * _CHUNK_ROWS]
        chunk_rng = np.random.default_rng(streams[1 + k])
        yield _chunk_table(part, first_day, end_day, clients, client_cum, chunk_rng)


def _to_frame(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas(
        date_as_object=False,
        types_mapper={
            pa.int64(): pd.Int64Dtype(),
            pa.string(): pd.StringDtype(na_value=np.nan),
        }.get,
    )
    for column in ("Date Sent", "Response Date", "Interview Date"):
        frame[column] = frame[column].astype("datetime64[s]")
    return frame


def generate_log(
    n_rows: int = 1000, *, seed: int = 2026, end: date | str = _DEFAULT_END, days: int = 365
) -> pd.DataFrame:
    """Generate a realistic raw outreach log, the way a freelancer keeps it.

    Parameters
    ----------
    n_rows : int, default 1000
        Number of pitches (rows).
    seed : int, default 2026
        Seed; the same arguments always give the same log.
    end : datetime.date or str, default date(2026, 11, 15)
        The last day of the log, the day it is looked at: nothing in it is later.
    days : int, default 365
        Number of days covered, ending on ``end``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS` in order, one row per pitch sorted by ``Date Sent``. Dates
        are ``datetime64[s]`` (``NaT`` when empty), ``Follow-ups``, ``Rate`` and ``Connects``
        are nullable ``Int64``, the rest ``str`` (``NaN`` when empty). Reading the CSV from
        :func:`write_log` gives the same values.

    See Also
    --------
    write_log : the same log as a CSV file.
    true_rates : the probabilities the outcomes are drawn from.

    Notes
    -----
    Weekdays are much busier than weekends; some weeks are bursts and there is a two-week
    vacation. About 2% of platform names are spelt carelessly ("Linkedin", "upwork "). Rows
    sent in the last 14 days are mostly still open ("Sent", "Applied" or empty); older rows
    that got no answer are a mix of "No reply", "Ghosted", "Sent"/"Applied" and empty
    cells, as people forget to update. ``Connects`` is only filled for Upwork.

    Examples
    --------
    >>> log = generate_log(1000)
    >>> list(log.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['Date Sent', 'Platform', 'Pitch Type', 'Client', 'Status', 'Response Date',
     'Interview Date', 'Follow-ups', 'Rate', 'Connects', 'Notes']
    >>> bool(log["Date Sent"].between("2025-11-16", "2026-11-15").all())
    True
    >>> log["Date Sent"].is_monotonic_increasing
    True
    >>> log["Platform"].str.strip().str.casefold().value_counts().index[0]
    'upwork'
    >>> generate_log(1000).equals(log)
    True
    """
    tables = list(_tables(n_rows, seed, end, days))
    return _to_frame(pa.concat_tables(tables) if len(tables) > 1 else tables[0])


def write_log(
    path: str | os.PathLike[str],
    n_rows: int = 1000,
    *,
    seed: int = 2026,
    end: date | str = _DEFAULT_END,
    days: int = 365,
) -> Path:
    """Write :func:`generate_log`'s log as a CSV file.

    The file is UTF-8, comma-separated, with the header row first, dates as ``YYYY-MM-DD``
    and empty cells for missing values. It is written one chunk of a million rows at a
    time, so 10 million rows need only a few hundred MB of memory.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write; an existing file is replaced.
    n_rows, seed, end, days
        As for :func:`generate_log`; the file holds exactly that log.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_log(Path(folder) / "log.csv", 3, seed=1)
    ...     print(written.read_text(encoding="utf-8").splitlines()[0])
    Date Sent,Platform,Pitch Type,Client,Status,Response Date,Interview Date,Follow-ups,Rate,Connects,Notes
    """
    path = Path(path)
    tables = _tables(n_rows, seed, end, days)  # checks the arguments before opening the file
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with path.open("wb") as handle:
        handle.write((",".join(COLUMNS) + "\n").encode("utf-8"))
        for table in tables:
            pacsv.write_csv(table, handle, write_options=options)
    return path


def sample_path() -> Path:
    """Return the path of the bundled sample log ``sample_outreach.csv``.

    The sample is ``write_log`` with its defaults: 1000 rows, seed 2026, ending 2026-11-15.

    Returns
    -------
    pathlib.Path
        ``outreach_analytics/_data/sample_outreach.csv`` in an installed wheel, else
        ``data/sample_outreach.csv`` in the source tree.

    Raises
    ------
    FileNotFoundError
        If neither exists.

    Examples
    --------
    >>> import pandas as pd
    >>> path = sample_path()
    >>> path.name
    'sample_outreach.csv'
    >>> pd.read_csv(path).shape
    (1000, 11)
    """
    here = Path(__file__).resolve()
    candidates = (
        here.parent / "_data" / "sample_outreach.csv",
        here.parents[1] / "data" / "sample_outreach.csv",
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "The bundled sample log is missing; looked for "
        + " and ".join(str(c) for c in candidates)
        + ". Regenerate it with: python -c 'from outreach_analytics.sample import write_log; "
        'write_log("data/sample_outreach.csv")\''
    )
