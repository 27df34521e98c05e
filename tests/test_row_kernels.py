"""The per-row kernels of the analyses (numpy arrays, bincount, one sort) against plain
pandas and plain Python written here, on random small logs (hypothesis).

The logs hold what real ones hold: rows without a date, planned rows (in ``stage`` or in
``result``), rows and stage dates after ``as_of``, missing channels and clients, follow-up
rows, follow-up counts with gaps; the text columns as categoricals (as ``summarize`` groups
them) or as plain strings (as ``load`` returns them); empty logs and one-row logs.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from outreach_analytics.analysis import _arrays
from outreach_analytics.analysis.activity import rejections_over_time
from outreach_analytics.analysis.challenge import challenge
from outreach_analytics.analysis.follow_ups import MAX_GAP_DAYS, follow_up_counts
from outreach_analytics.analysis.forecast import recent_pace
from outreach_analytics.analysis.survival import kaplan_meier, stage_times, time_to_stage
from outreach_analytics.model.schema import RESULTS, STAGE_DATE_COLUMNS, STAGES

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = pd.Timestamp("2024-01-01")
DAY = pd.Timedelta(days=1)
_FOLLOW_UP = re.compile(r"follow[\s_-]*up|\bnudge|\breminder|\bbump\b", re.IGNORECASE)


@st.composite
def logs(draw, times: bool | None = False):
    """A canonical log of 0 to 30 rows; ``times``: dates may carry a time of day (None:
    drawn)."""
    if times is None:
        times = draw(st.booleans())
    n = draw(st.integers(0, 30))
    day = st.one_of(st.none(), st.integers(0, 80))
    hour = st.integers(0, 23) if times else st.just(0)

    def when(d, h):
        return pd.NaT if d is None else BASE + d * DAY + pd.Timedelta(hours=h)

    rows = []
    for _ in range(n):
        stage = draw(st.sampled_from(("planned", *STAGES)))
        result = (
            "won"
            if stage == "won"
            else draw(st.sampled_from(("planned", *RESULTS[:1], *RESULTS[2:])))
        )
        sent = draw(day)
        row = {
            "date": when(sent, draw(hour)),
            "channel": draw(st.sampled_from(["Upwork", "Email", "LinkedIn", None])),
            "pitch_type": draw(st.sampled_from(["Proposal", "Follow-up", "nudge", None])),
            "client": draw(st.sampled_from(["Acme", "Birch", "Cedar", None])),
            "stage": stage,
            "result": result,
            "follow_ups": draw(st.one_of(st.none(), st.integers(0, 3))),
        }
        for col in STAGE_DATE_COLUMNS:
            gap = draw(st.one_of(st.none(), st.integers(0, 40)))
            row[col] = pd.NaT if gap is None or sent is None else when(sent + gap, draw(hour))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["date", "channel", "pitch_type", "client", "stage",
                                        "result", *STAGE_DATE_COLUMNS, "follow_ups"])  # fmt: skip
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(frame["date"]).astype("datetime64[s]"),
            **{c: frame[c].astype("str") for c in ("channel", "pitch_type", "client")},
            "stage": pd.Categorical(frame["stage"], categories=["planned", *STAGES], ordered=True),
            "result": pd.Categorical(frame["result"], categories=["planned", *RESULTS]),
            **{c: pd.to_datetime(frame[c]).astype("datetime64[s]") for c in STAGE_DATE_COLUMNS},
            "follow_ups": pd.array(frame["follow_ups"].tolist(), dtype="Int64"),
        }
    )
    if draw(st.booleans()):  # as summarize counts: text as categoricals
        for c in ("channel", "pitch_type", "client"):
            out[c] = out[c].astype("category")
    return out


AS_OF = st.integers(0, 120).map(lambda d: BASE + d * DAY)


def _word(value) -> str | None:
    return None if pd.isna(value) else str(value)


def _actions(df: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Rows that are actions for survival and follow-ups: dated, not after as_of, not planned."""
    keep = [
        pd.notna(d) and d <= as_of and _word(s) != "planned" and _word(r) != "planned"
        for d, s, r in zip(df["date"], df["stage"], df["result"], strict=True)
    ]
    return df[np.array(keep, dtype=bool)].reset_index(drop=True)


def _level(stage) -> int:
    word = _word(stage)
    return STAGES.index(word) if word in STAGES else -1


# ------------------------------------------------------------------ survival


def _stage_times_by_hand(df: pd.DataFrame, stage: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The rules of the survival module's docstring, row by row."""
    level = STAGES.index(stage)
    d = _actions(df, as_of)
    cols = [c for c, st_ in STAGE_DATE_COLUMNS.items() if STAGES.index(st_) >= level]
    rows = []
    for _, r in d.iterrows():
        dates = [r[c] for c in cols if pd.notna(r[c])]
        first = min(dates) if dates else pd.NaT
        later = pd.notna(first) and first > as_of
        first = pd.NaT if later else first
        delay = None if pd.isna(first) else max((first - r["date"]) / DAY, 0.0)
        event = _level(r["stage"]) >= level and not (later and delay is None)
        closed = _word(r["result"]) in ("no_response", "rejected", "withdrawn", "won")
        rows.append((delay, event, closed and not event, (as_of - r["date"]) / DAY))
    delay, event, closed, age = (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 4
    delay = np.array([np.nan if x is None else x for x in delay], dtype=float)
    event, closed, age = np.array(event, bool), np.array(closed, bool), np.array(age, float)
    dated = event & ~np.isnan(delay)
    fill = float(np.median(delay[dated])) if dated.any() else 0.0
    horizon = float(age.max()) if len(age) else 0.0
    duration = [
        (dl if not np.isnan(dl) else min(a, fill)) if e else (horizon if c else a)
        for dl, e, c, a in zip(delay, event, closed, age, strict=True)
    ]
    return pd.DataFrame(
        {
            "duration": np.array(duration, dtype=float),
            "event": event,
            "undated": event & np.isnan(delay),
            "channel": d["channel"].map(lambda v: _word(v) or "unspecified").to_numpy(),
        }
    )


@SETTINGS
@given(logs(times=True), AS_OF, st.sampled_from(STAGES[1:]))
def test_stage_times_follow_the_rules_row_by_row(df, as_of, stage):
    got = stage_times(df, stage, as_of=as_of, by="channel").frame
    want = _stage_times_by_hand(df, stage, as_of)
    assert len(got) == len(want)
    assert_allclose(got["duration"], want["duration"], rtol=1e-12, atol=1e-9)
    assert got["event"].tolist() == want["event"].tolist()
    assert got["undated"].tolist() == want["undated"].tolist()
    assert got["channel"].astype("str").tolist() == want["channel"].tolist()


def _same_curve(got, want) -> None:
    assert (got.n, got.events, got.undated) == (want.n, want.events, want.undated)
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
    for a, b in ((got.eventual_rate, want.eventual_rate), (got.median_days, want.median_days)):
        assert a == b or (np.isnan(a) and np.isnan(b))


@SETTINGS
@given(logs(times=None), AS_OF, st.sampled_from(STAGES[1:]))
def test_segment_curves_are_the_curves_of_each_segment_alone(df, as_of, stage):
    """One bincount over (segment, day) gives what a groupby and one fit per group give."""
    t = time_to_stage(df, stage, by="channel", as_of=as_of)
    frame = stage_times(df, stage, as_of=as_of, by="channel").frame
    _same_curve(
        t.overall,
        kaplan_meier(frame["duration"], frame["event"], stage=stage,
                     undated=int(frame["undated"].sum())),
    )  # fmt: skip
    parts = {str(k): g for k, g in frame.groupby("channel", observed=True)}
    assert list(t.groups) == sorted(parts, key=lambda k: (-len(parts[k]), k))
    for name, part in parts.items():
        _same_curve(
            t.groups[name],
            kaplan_meier(part["duration"].to_numpy(), part["event"].to_numpy(), stage=stage,
                         group=name, undated=int(part["undated"].sum())),
        )  # fmt: skip


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 60), st.booleans()), max_size=40),
    st.sampled_from([1.0, 0.5, 1.25]),
)
def test_risk_table_counted_per_day_equals_the_sorted_one(pairs, scale):
    """Whole days are counted with bincount, other durations sorted: the same table."""
    duration = np.array([d * scale for d, _ in pairs], dtype=float)
    event = np.array([e for _, e in pairs], dtype=bool)
    km = kaplan_meier(duration, event)
    if not event.any():
        assert km.table.empty
        return
    days, d = np.unique(duration[event], return_counts=True)
    at_risk = [(duration >= day).sum() for day in days]
    assert km.table["day"].tolist() == days.tolist()
    assert km.table["events"].tolist() == d.tolist()
    assert km.table["at_risk"].tolist() == at_risk


# ------------------------------------------------------------------ follow-ups


def _follow_up_counts_by_hand(df: pd.DataFrame, as_of: pd.Timestamp):
    """Each follow-up row to the latest earlier pitch to its client (at most 60 days
    before; of pitches sent the same day, the last in the log), in a plain loop."""
    d = _actions(df, as_of)
    is_fu = [bool(v) and bool(_FOLLOW_UP.search(v)) for v in map(_word, d["pitch_type"])]
    pitches = [i for i, f in enumerate(is_fu) if not f]
    count = {
        i: (np.nan if pd.isna(d["follow_ups"][i]) else float(d["follow_ups"][i])) for i in pitches
    }
    replied = {i: _level(d["stage"][i]) >= STAGES.index("responded") for i in pitches}
    unmatched, any_client_fu = 0, False
    for j in (j for j, f in enumerate(is_fu) if f):
        client = _word(d["client"][j])
        any_client_fu |= client is not None
        best = None
        for i in pitches:
            gap = d["date"][j] - d["date"][i]
            same = client is not None and _word(d["client"][i]) == client
            if same and DAY * 0 <= gap <= MAX_GAP_DAYS * DAY:
                best = i if best is None or d["date"][i] >= d["date"][best] else best
        if best is None:
            unmatched += 1
            continue
        count[best] = (0.0 if np.isnan(count[best]) else count[best]) + 1
        replied[best] |= _level(d["stage"][j]) >= STAGES.index("responded")
    if any_client_fu and all(pd.isna(v) for v in d["follow_ups"]):
        count = {i: 0.0 if np.isnan(v) else v for i, v in count.items()}
    return (
        [d["date"][i] for i in pitches],
        [count[i] for i in pitches],
        [replied[i] for i in pitches],
        unmatched,
    )


@SETTINGS
@given(logs(times=None), AS_OF)
def test_follow_up_rows_are_matched_as_a_plain_loop_matches_them(df, as_of):
    _assert_follow_ups_as_by_hand(df, as_of)


def _assert_follow_ups_as_by_hand(df: pd.DataFrame, as_of: pd.Timestamp) -> None:
    got, unmatched = follow_up_counts(df, as_of=as_of)
    dates, count, replied, want_unmatched = _follow_up_counts_by_hand(df, as_of)
    assert unmatched == want_unmatched
    assert got["date"].tolist() == dates
    assert_allclose(got["follow_ups"].to_numpy(float), np.array(count, dtype=float))
    assert got["replied"].tolist() == replied
    assert got["logged"].tolist() == [not np.isnan(c) for c in count]


def test_follow_up_rows_in_an_unsorted_log_with_same_day_ties():
    """A log out of date order takes the full sort; of same-day pitches the last wins."""
    rows = [
        ("2024-01-05", "Acme", "Follow-up", "responded"),
        ("2024-01-03", "Acme", "Proposal", "sent"),  # row 1: same day as row 2
        ("2024-01-03", "Acme", "Proposal", "sent"),  # row 2: the last in the log
        ("2024-01-01", "Birch", "Proposal", "sent"),
        ("2024-01-01", "Birch", "Follow-up", "sent"),  # same day as its pitch, above it
        ("2023-09-01", "Cedar", "Proposal", "sent"),
        ("2024-01-02", "Cedar", "Follow-up", "sent"),  # more than 60 days later: unmatched
    ]
    df = pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]).astype("datetime64[s]"),
            "client": [r[1] for r in rows],
            "pitch_type": [r[2] for r in rows],
            "stage": pd.Categorical([r[3] for r in rows], categories=STAGES, ordered=True),
            "result": pd.Categorical(["open"] * len(rows), categories=RESULTS),
        }
    )
    got, unmatched = follow_up_counts(df, as_of="2024-02-01")
    assert unmatched == 1
    assert got["follow_ups"].tolist() == [0.0, 1.0, 1.0, 0.0]
    assert got["replied"].tolist() == [False, True, False, False]


# ------------------------------------------------------------------ the "no"s, pace, challenge


def _nos_by_hand(df: pd.DataFrame, as_of: pd.Timestamp, window: int) -> pd.DataFrame:
    """rejections_over_time's rules, row by row, with a Counter and a date range."""
    gap = window * DAY
    sent_days, events = [], {"rejections": [], "no_responses": []}
    for _, r in df.iterrows():
        stage, result = _word(r["stage"]), _word(r["result"])
        if stage in (None, "planned") or (pd.notna(r["date"]) and r["date"] > as_of):
            continue
        sent = r["date"].normalize() if pd.notna(r["date"]) else pd.NaT
        if pd.notna(sent):
            sent_days.append(sent)
        known = [r[c].normalize() for c in ("date", "responded_on", "interview_on", "offer_on")
                 if pd.notna(r[c])]  # fmt: skip
        if not known:
            continue
        if result == "rejected":
            events["rejections"].append(min(max(known), as_of))
        silent = result == "no_response" or (
            stage == "sent" and result == "open" and pd.notna(sent) and sent <= as_of - gap
        )
        if silent:
            events["no_responses"].append(min(max(known) + gap, as_of))
    starts = sent_days + events["rejections"] + events["no_responses"]
    if not starts:
        return None
    span = pd.date_range(min(starts), as_of, freq="D")
    out = pd.DataFrame({"date": span})
    for kind, days in events.items():
        out[kind] = [sum(1 for x in days if x == d) for d in span]
    out["nos"] = out["rejections"] + out["no_responses"]
    out["cumulative"] = out["nos"].cumsum()
    return out


@SETTINGS
@given(logs(), AS_OF, st.integers(1, 30))
def test_nos_per_day_as_counted_row_by_row(df, as_of, window):
    got = rejections_over_time(df, as_of=as_of, window=window)
    want = _nos_by_hand(df, as_of, window)
    if want is None:
        assert got.empty and got["date"].dtype == "datetime64[s]"
        return
    assert got["date"].dtype == "datetime64[s]"
    assert got["date"].tolist() == want["date"].tolist()
    for c in ("rejections", "no_responses", "nos", "cumulative"):
        assert got[c].dtype == "int64"
        assert got[c].tolist() == want[c].tolist(), c


@SETTINGS
@given(logs(times=None), AS_OF, st.integers(1, 10))
def test_recent_pace_counts_the_actions_of_the_last_weeks(df, as_of, weeks):
    start = as_of - (7 * weeks - 1) * DAY
    n = sum(
        1
        for d, s in zip(df["date"], df["stage"], strict=True)
        if _word(s) not in (None, "planned") and pd.notna(d) and start <= d.normalize() <= as_of
    )
    assert recent_pace(df, as_of=as_of, weeks=weeks) == n / weeks


@SETTINGS
@given(logs(), AS_OF, st.sampled_from([(1, 2), (2, 5), (3, 10)]))
def test_challenge_rungs_as_a_loop_finds_them(df, as_of, ladder):
    c = challenge(df, as_of=as_of, ladder=ladder, tally=(0, 10), pace=1.0)
    nos = _nos_by_hand(df, as_of, 14)
    won = [
        (r["won_on"] if pd.notna(r["won_on"]) else r["date"]).normalize()
        for _, r in df.iterrows()
        if _word(r["stage"]) == "won" and (pd.notna(r["won_on"]) or pd.notna(r["date"]))
    ]
    rungs = c.summary[c.summary["reached"]]
    for goal, day, wins in zip(rungs["goal"], rungs["date"], rungs["wins"], strict=True):
        first = nos["date"][nos["cumulative"] >= goal].iloc[0]
        assert day == first
        assert wins == sum(1 for w in won if w <= first)
    assert c.summary["projected"].tolist() == [False] * len(rungs) + [True]
    assert c.summary["date"].dtype == "datetime64[s]"


# ------------------------------------------------------------------ the array helpers


@SETTINGS
@given(logs(times=True), st.booleans())
def test_array_helpers_equal_pandas(df, categorical):
    channel = df["channel"].astype("category" if categorical else "str")
    for words in (["Email"], ["Email", "Upwork"], ["nowhere"]):
        assert _arrays.word_mask(channel, words).tolist() == channel.isin(words).tolist()
    codes, names = _arrays.codes_of(channel, "unspecified")
    labels = [names[c] for c in codes]
    assert labels == [_word(v) or "unspecified" for v in channel]
    stage = df["stage"].astype("category" if categorical else "object")
    assert _arrays.stage_codes(stage).tolist() == [_level(s) for s in stage]
    cols = list(STAGE_DATE_COLUMNS)
    sec = [_arrays.seconds(df[c]) for c in cols]
    first, last = _arrays.first_seconds(sec), _arrays.last_seconds(sec)
    want_first = df[cols].min(axis=1)
    want_last = df[cols].max(axis=1)
    assert [None if s == _arrays.NO_DATE else s for s in first.tolist()] == [
        None if pd.isna(x) else int(x.timestamp()) for x in want_first
    ]
    assert [None if s == _arrays.NO_DATE else s for s in last.tolist()] == [
        None if pd.isna(x) else int(x.timestamp()) for x in want_last
    ]
    days = _arrays.day_numbers(df["date"])
    assert [None if d == _arrays.NO_DATE else d for d in days.tolist()] == [
        None if pd.isna(x) else (x.normalize() - pd.Timestamp(0)).days for x in df["date"]
    ]
    assert _arrays.action_rows(df, BASE + 40 * DAY).tolist() == [
        _word(s) not in (None, "planned") and not (pd.notna(d) and d > BASE + 40 * DAY)
        for d, s in zip(df["date"], df["stage"], strict=True)
    ]


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_one_row_logs(n):
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-02"][:n]).astype("datetime64[s]"),
            "channel": pd.Series(["Email"][:n], dtype="str"),
            "pitch_type": pd.Series(["Follow-up"][:n], dtype="str"),
            "client": pd.Series(["Acme"][:n], dtype="str"),
            "stage": pd.Categorical(["responded"][:n], categories=STAGES, ordered=True),
            "result": pd.Categorical(["rejected"][:n], categories=RESULTS),
            "responded_on": pd.to_datetime(["2024-01-04"][:n]).astype("datetime64[s]"),
            "follow_ups": pd.array([None][:n], dtype="Int64"),
        }
    )
    as_of = pd.Timestamp("2024-02-01")
    t = time_to_stage(df, by="channel", as_of=as_of)
    assert t.overall.n == n and t.overall.events == n
    assert list(t.groups) == (["Email"] if n else [])
    pitches, unmatched = follow_up_counts(df, as_of=as_of)
    assert (len(pitches), unmatched) == (0, n)  # a follow-up row with no pitch to follow
    nos = rejections_over_time(df, as_of=as_of)
    assert nos["cumulative"].iloc[-1] == 1 if n else nos.empty
    assert recent_pace(df, as_of=as_of) == n / 8


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 90), st.booleans()), min_size=1, max_size=30
    )
)
def test_follow_up_matching_with_keys_too_large_for_seconds(rows):
    """Client codes so large that (client, seconds) would overflow: the dates are ranked."""
    from outreach_analytics.analysis.follow_ups import _match

    client = np.array([c for c, _, _ in rows], dtype=np.int64)
    sent = np.array([d * 86_400 for _, d, _ in rows], dtype=np.int64)
    is_fu = np.array([f for _, _, f in rows], dtype=bool)
    small = _match(sent, client, is_fu)
    large = _match(sent, client * 2**50, is_fu)
    assert sorted(zip(*small, strict=True)) == sorted(zip(*large, strict=True))


@SETTINGS
@given(logs(times=None), AS_OF)
def test_follow_up_rows_of_a_log_in_date_order_are_matched_as_a_plain_loop_matches_them(df, as_of):
    """A log kept in date order takes the (date, client) table, not the sort."""
    _assert_follow_ups_as_by_hand(
        df.sort_values("date", kind="stable").reset_index(drop=True), as_of
    )


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 90), st.booleans()), min_size=1, max_size=40
    )
)
def test_follow_up_matching_in_date_order_equals_the_sort(rows):
    """The (date, client) table of a log in date order gives the pairs the sort gives
    (client codes too large for the table take the sort)."""
    from outreach_analytics.analysis.follow_ups import _match, _match_in_date_order

    rows = sorted(rows, key=lambda r: r[1])
    client = np.array([c for c, _, _ in rows], dtype=np.int64)
    sent = np.array([d * 86_400 for _, d, _ in rows], dtype=np.int64)
    is_fu = np.array([f for _, _, f in rows], dtype=bool)
    big = (client + 1) * 2**40  # too many clients for the table: the sort
    assert _match_in_date_order(big, sent, is_fu) is None
    by_table = _match(sent, client, is_fu)
    by_sort = _match(sent, big, is_fu)
    assert sorted(zip(*by_table, strict=True)) == sorted(zip(*by_sort, strict=True))
