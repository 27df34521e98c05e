"""Tests of the charts: assertions on ``fig.data`` and ``fig.layout``, never on images.

Expected values are taken from the input frames with plain pandas written here (error bar
lengths, sort orders, conversion texts), so a chart that draws the wrong number, drops a
segment or sorts the wrong way fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from statsmodels.stats.proportion import proportion_confint

import outreach_analytics as oa
from outreach_analytics.analysis import activity
from outreach_analytics.present import charts
from outreach_analytics.present.charts import (
    OKABE_ITO,
    activity_calendar,
    cohort_chart,
    cost_per_win_chart,
    funnel_chart,
    outcome_sankey,
    pitches_per_win_chart,
    rates_chart,
    rejections_chart,
    weekly_goal_chart,
)

AS_OF = "2026-11-15"


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return oa.load(oa.sample_path())


@pytest.fixture(scope="module")
def small_rates() -> pd.DataFrame:
    """Rates for a log where two channels have fewer than 30 settled pitches."""
    rows = []
    for channel, n, answered in (
        ("Upwork", 60, 6),
        ("Email", 40, 12),
        ("Referral", 10, 6),
        ("Forum", 5, 0),
    ):
        for i in range(n):
            rows.append(
                {
                    "Date Sent": "2024-01-02",
                    "Platform": channel,
                    "Status": "Replied" if i < answered else "Ghosted",
                }
            )
    log = oa.normalize(pd.DataFrame(rows))
    return oa.rates(log, by="channel", as_of="2024-03-01")


def _inputs(sample: pd.DataFrame) -> dict:
    return {
        "funnel": (funnel_chart, oa.funnel(sample, as_of=AS_OF)),
        "funnel_by": (funnel_chart, oa.funnel(sample, by="channel", as_of=AS_OF)),
        "rates": (rates_chart, oa.rates(sample, by="channel", as_of=AS_OF)),
        "ppw": (pitches_per_win_chart, oa.pitches_per_win(sample, by="channel", as_of=AS_OF)),
        "calendar": (activity_calendar, activity.daily_activity(sample)),
        "weekly": (weekly_goal_chart, activity.weekly_activity(sample, 15)),
        "nos": (rejections_chart, activity.rejections_over_time(sample, as_of=AS_OF)),
        "sankey": (outcome_sankey, activity.outcome_flows(sample, as_of=AS_OF)),
        "cohort": (cohort_chart, activity.weekly_cohorts(sample, as_of=AS_OF)),
        "cost": (cost_per_win_chart, activity.cost_per_win(sample, as_of=AS_OF)),
    }


CHARTS = [
    "funnel",
    "funnel_by",
    "rates",
    "ppw",
    "calendar",
    "weekly",
    "nos",
    "sankey",
    "cohort",
    "cost",
]


def _trace(fig: go.Figure, name: str):
    found = [t for t in fig.data if t.name == name]
    assert found, f"no trace named {name!r} in {[t.name for t in fig.data]}"
    return found[0]


# ------------------------------------------------------------------ template and common rules


def test_template_is_registered_with_readable_fonts_and_okabe_ito():
    template = pio.templates["outreach"]
    assert template.layout.font.size == 14
    assert template.layout.font.family.startswith("system-ui")
    assert list(template.layout.colorway) == [
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#D55E00",
        "#56B4E9",
        "#CC79A7",
        "#F0E442",
        "#000000",
    ]
    assert set(template.layout.colorway) == set(OKABE_ITO.values())
    assert template.layout.paper_bgcolor == "white"
    assert template.layout.plot_bgcolor == "white"
    # registering it did not make it everyone's default
    assert pio.templates.default != "outreach"


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_uses_the_template_and_has_a_title(sample, name):
    fn, frame = _inputs(sample)[name]
    fig = fn(frame)
    assert isinstance(fig, go.Figure)
    assert fig.layout.template.layout.font.family == pio.templates["outreach"].layout.font.family
    assert fig.layout.template.layout.colorway == pio.templates["outreach"].layout.colorway
    assert fig.layout.title.text and len(fig.layout.title.text) > 15
    assert len(fig.data) >= 1


@pytest.mark.parametrize("name", CHARTS)
def test_every_trace_keeps_plotly_whites_styling(sample, name):
    # the template keeps plotly_white's per-trace defaults only for the types the charts draw
    fn, frame = _inputs(sample)[name]
    white = pio.templates["plotly_white"].to_plotly_json()["data"]
    ours = pio.templates["outreach"].to_plotly_json()["data"]
    for trace in fn(frame).data:
        assert ours.get(trace.type) == white.get(trace.type), trace.type


@pytest.mark.parametrize("name", CHARTS)
def test_charts_do_not_change_their_input(sample, name):
    fn, frame = _inputs(sample)[name]
    before = frame.copy(deep=True)
    fn(frame)
    pd.testing.assert_frame_equal(frame, before)


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _strings(v)


@pytest.mark.parametrize("name", CHARTS)
def test_charts_need_no_mathjax_and_no_external_resource(sample, name):
    fn, frame = _inputs(sample)[name]
    spec = json.loads(fig_json := fn(frame).to_json())
    for text in _strings(spec):
        assert not re.fullmatch(r"\s*\$.*\$\s*", text, flags=re.S), text  # a LaTeX string
    assert "http://" not in fig_json and "https://" not in fig_json
    assert not spec["layout"].get("images")


# ------------------------------------------------------------------ funnel


def test_funnel_chart_overall(sample):
    f = oa.funnel(sample, as_of=AS_OF)
    fig = funnel_chart(f)
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert trace.type == "funnel"
    assert list(trace.y) == ["Sent (settled)", "Responded", "Interview", "Offer", "Won"]
    counts = f["count"].tolist()
    assert list(trace.x) == counts
    expected = ["all settled pitches"] + [
        f"{round(100 * counts[i] / counts[i - 1])}% of previous" for i in range(1, 5)
    ]
    assert list(trace.text) == expected  # the leak is said once, in the annotation
    leak = [a.text for a in fig.layout.annotations if "no offer" in a.text]
    assert leak == [f"Interviews with no offer: {counts[2] - counts[3]} of {counts[2]}"]


def test_funnel_chart_by_channel_has_one_funnel_per_segment(sample):
    f = oa.funnel(sample, by="channel", as_of=AS_OF)
    fig = funnel_chart(f)
    channels = f["channel"].drop_duplicates().tolist()
    assert [t.name for t in fig.data] == channels
    titles = [a.text for a in fig.layout.annotations]
    assert titles == channels  # each panel titled by its segment
    for trace, channel in zip(fig.data, channels, strict=True):
        part = f[f["channel"] == channel]
        assert list(trace.x) == part["count"].tolist()
        c = part["count"].tolist()
        assert trace.text[1] == f"{round(100 * c[1] / c[0])}% of previous"
        assert trace.text[3].endswith(f"interviews with no offer: {c[2] - c[3]}")


def test_funnel_conversion_text_for_an_empty_step():
    shown = [s for s in oa.STAGES if s != "viewed"]
    f = pd.DataFrame(
        {
            # the stages funnel() returns for a log that never records a view
            "stage": pd.Categorical(shown, categories=shown, ordered=True),
            "count": [10, 0, 0, 0, 0],
            "conversion": [np.nan, 0.0, np.nan, np.nan, np.nan],
            "share": [1.0, 0, 0, 0, 0],
            "lost": pd.array([pd.NA, 10, 0, 0, 0], dtype="Int64"),
        }
    )
    fig = funnel_chart(f)
    assert list(fig.data[0].text)[1:3] == ["0% of previous", "n/a of previous"]


# ------------------------------------------------------------------ rates


def _bars(fig: go.Figure) -> list:
    return [t for t in fig.data if t.type == "bar"]


def test_rates_chart_sorted_with_wilson_error_bars(sample):
    r = oa.rates(sample, by="channel", as_of=AS_OF)
    fig = rates_chart(r, by="channel", metric="response")
    resp = r[r["metric"] == "response"]
    by_rate = resp.sort_values("rate")
    expected_order = [
        f"{c} · n={n}" for c, n in zip(by_rate["channel"], by_rate["settled"], strict=True)
    ]
    assert list(fig.layout.yaxis.categoryarray) == expected_order
    assert fig.layout.yaxis.categoryorder == "array"
    assert "highest for Referral" in fig.layout.title.text  # the top of the sorted bars
    seen = 0
    for bar in _bars(fig):
        assert bar.orientation == "h"
        for y, x, plus, minus in zip(
            bar.y, bar.x, bar.error_x.array, bar.error_x.arrayminus, strict=True
        ):
            row = resp[resp["channel"] == y.split(" · ")[0]].iloc[0]
            assert x == pytest.approx(row["rate"])
            assert plus == pytest.approx(row["ci_high"] - row["rate"])
            assert minus == pytest.approx(row["rate"] - row["ci_low"])
            seen += 1
    assert seen == len(resp)
    assert _bars(fig)[0].error_x.symmetric is False
    values = _trace(fig, "values")
    assert sorted(values.text) == sorted(f"  {v:.0%}" for v in resp["rate"])


def test_rates_chart_marks_small_samples(small_rates):
    fig = rates_chart(small_rates, by="channel")
    bars = _bars(fig)
    assert len(bars) == 2
    big, small = bars
    assert set(big.y) == {"Upwork · n=60", "Email · n=40"}
    assert set(small.y) == {"Referral · n=10", "Forum · n=5"}
    assert "fewer than 30" in small.name and "30" in big.name
    assert small.marker.color != big.marker.color
    assert big.marker.color == OKABE_ITO["blue"]

    # lighter: every RGB channel of the small-sample colour is brighter
    def rgb(h):
        return [int(h.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]

    assert all(s > b for s, b in zip(rgb(small.marker.color), rgb(big.marker.color), strict=True))
    assert all(bar.showlegend for bar in bars)
    # sorted by rate, Forum (0%) at the bottom, Referral (60%) at the top
    assert list(fig.layout.yaxis.categoryarray) == [
        "Forum · n=5",
        "Upwork · n=60",
        "Email · n=40",
        "Referral · n=10",
    ]
    assert "fewer than 30" in fig.layout.title.subtitle.text


def test_rates_chart_all_metrics_in_panels(sample):
    r = oa.rates(sample, by="pitch_type", as_of=AS_OF)
    fig = rates_chart(r, by="pitch_type", metric=None)
    panel_titles = [a.text for a in fig.layout.annotations]
    assert panel_titles == ["Response rate", "Interview rate", "Win rate"]
    for axis, metric in (("x", "response"), ("x2", "interview"), ("x3", "win")):
        part = r[r["metric"] == metric].set_index("pitch_type")
        bars = [t for t in _bars(fig) if t.xaxis == axis]
        assert sum(len(b.y) for b in bars) == len(part)
        for bar in bars:
            for y, x, plus in zip(bar.y, bar.x, bar.error_x.array, strict=True):
                row = part.loc[y.split(" · ")[0]]
                assert x == pytest.approx(row["rate"])
                assert plus == pytest.approx(row["ci_high"] - row["rate"])
    resp = r[r["metric"] == "response"].sort_values("rate")
    assert [y.split(" · ")[0] for y in fig.layout.yaxis.categoryarray] == resp[
        "pitch_type"
    ].tolist()
    # one legend entry per kind of bar, not one per panel
    assert sum(bool(t.showlegend) for t in _bars(fig)) == len({t.name for t in _bars(fig)})


def test_rates_chart_errors_name_the_argument(sample):
    r = oa.rates(sample, by="channel", as_of=AS_OF)
    with pytest.raises(ValueError, match=r"'metric'.*\['response', 'interview', 'win'\]"):
        rates_chart(r, metric="hire")
    with pytest.raises(ValueError, match="'rates_df' has no column"):
        rates_chart(r, by="pitch_type")


def test_rates_chart_segment_with_nothing_settled():
    table = pd.DataFrame(
        {
            "channel": ["A", "B"],
            "actions": [40, 3],
            "pending": [0, 3],
            "settled": [40, 0],
            "responses": [10, 0],
            "interviews": [2, 0],
            "offers": [1, 0],
            "wins": [1, 0],
        }
    )
    r = oa.rates_from_counts(table)
    fig = rates_chart(r)
    empty = _trace(fig, "nothing settled yet")
    assert list(empty.y) == ["B · n=0"]
    assert sum(len(b.y) for b in _bars(fig)) == 1


# ------------------------------------------------------------------ pitches per win


def test_pitches_per_win_chart(sample):
    p = oa.pitches_per_win(sample[sample["date"] >= "2026-09-01"], by="channel", as_of=AS_OF)
    assert (p["wins"] == 0).any() and (p["wins"] > 0).any()  # the case this test is about
    fig = pitches_per_win_chart(p, by="channel")
    bar = _trace(fig, "pitches per win")
    won = p[p["wins"] > 0].sort_values("pitches_per_win", ascending=False)
    assert list(bar.y) == won["channel"].tolist()
    np.testing.assert_allclose(bar.x, won["pitches_per_win"])
    np.testing.assert_allclose(bar.error_x.array, won["ci_high"] - won["pitches_per_win"])
    np.testing.assert_allclose(bar.error_x.arrayminus, won["pitches_per_win"] - won["ci_low"])
    none = _trace(fig, "no win yet")
    no_win = p[p["wins"] == 0]
    assert list(none.y) == no_win["channel"].tolist()
    # no win yet: at least L = 1 / (upper bound of the Wilson win-rate interval)
    upper = [proportion_confint(0, n, alpha=0.05, method="wilson")[1] for n in no_win["settled"]]
    assert list(none.text) == [
        f"no win yet: ≥ {1 / u:.0f} ({n} settled)"
        for n, u in zip(no_win["settled"], upper, strict=True)
    ]
    # every segment is on the axis: no-win ones at the bottom, the cheapest win on top
    order = list(fig.layout.yaxis.categoryarray)
    assert sorted(order) == sorted(p["channel"])
    assert order[: len(no_win)] == no_win["channel"].tolist()
    assert order[-1] == won["channel"].iloc[-1]


def test_pitches_per_win_chart_overall(sample):
    p = oa.pitches_per_win(sample, as_of=AS_OF)
    fig = pitches_per_win_chart(p, by=None)
    bar = _trace(fig, "pitches per win")
    assert list(bar.y) == ["All settled pitches"]
    assert bar.x[0] == pytest.approx(p["settled"].iloc[0] / p["wins"].iloc[0])


# ------------------------------------------------------------------ activity


def test_activity_calendar_places_each_day(sample):
    daily = activity.daily_activity(sample)
    fig = activity_calendar(daily)
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert list(heat.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    weeks = [pd.Timestamp(x) for x in heat.x]
    assert all(w.weekday() == 0 for w in weeks)
    assert weeks == sorted(weeks)
    z = np.array(heat.z, dtype=object)
    assert z.shape == (7, len(weeks))
    col = {w.date(): i for i, w in enumerate(weeks)}
    for day, n in zip(daily["date"], daily["actions"], strict=True):
        d = day.date()
        monday = d - dt.timedelta(days=d.weekday())
        assert z[d.weekday(), col[monday]] == n
    filled = [v for v in z.ravel() if v is not None]
    assert len(filled) == len(daily) and sum(filled) == daily["actions"].sum()
    assert fig.layout.yaxis.autorange == "reversed"  # Monday on top


def test_weekly_goal_chart(sample):
    weekly = activity.weekly_activity(sample, goal=15)
    fig = weekly_goal_chart(weekly)
    met, below, goal = (
        _trace(fig, "goal met"),
        _trace(fig, "below goal"),
        _trace(fig, "goal: 15 a week"),
    )
    assert list(met.y) == weekly.loc[weekly["met"], "actions"].tolist()
    assert list(below.y) == weekly.loc[~weekly["met"], "actions"].tolist()
    assert all(v >= 15 for v in met.y) and all(v < 15 for v in below.y)
    assert met.marker.color != below.marker.color
    assert set(goal.y) == {15.0} and len(goal.x) == len(weekly)
    assert "15" in fig.layout.title.text


def test_weekly_goal_chart_without_goal(sample):
    weekly = activity.weekly_activity(sample)
    fig = weekly_goal_chart(weekly)
    assert [t.name for t in fig.data] == ["pitches per week"]
    assert list(fig.data[0].y) == weekly["actions"].tolist()


def test_rejections_chart(sample):
    nos = activity.rejections_over_time(sample, as_of=AS_OF)
    fig = rejections_chart(nos, goal=100)
    line = _trace(fig, "nos collected")
    assert list(line.y) == nos["cumulative"].tolist()
    goal = _trace(fig, "goal: 100 nos")
    assert list(goal.y) == [100, 100]
    assert [pd.Timestamp(x) for x in goal.x] == [nos["date"].iloc[0], nos["date"].iloc[-1]]
    assert f"{nos['cumulative'].iloc[-1]} nos collected of a goal of 100" in fig.layout.title.text
    assert len(rejections_chart(nos, goal=None).data) == 1


# ------------------------------------------------------------------ outcomes


def test_outcome_sankey(sample):
    flows = activity.outcome_flows(sample, as_of=AS_OF)
    fig = outcome_sankey(flows)
    sankey = fig.data[0]
    assert sankey.type == "sankey"
    labels = list(sankey.node.label)
    assert len(labels) == len(set(labels))
    assert set(labels) == set(flows["source"]) | set(flows["target"])
    assert [labels[i] for i in sankey.link.source] == flows["source"].tolist()
    assert [labels[i] for i in sankey.link.target] == flows["target"].tolist()
    assert list(sankey.link.value) == flows["count"].tolist()
    colour = dict(zip(labels, sankey.node.color, strict=True))
    assert colour["Won"] == OKABE_ITO["bluish_green"]
    assert colour["Rejected after interview"] == OKABE_ITO["vermillion"]


def test_cohort_chart(sample):
    cohorts = activity.weekly_cohorts(sample, as_of=AS_OF)
    fig = cohort_chart(cohorts)
    rate = _trace(fig, "response rate")
    np.testing.assert_allclose(np.array(rate.y, dtype=float), cohorts["rate"], equal_nan=True)
    bands = [t for t in fig.data if t.name == "95% interval"]
    covered = {}
    for band in bands:
        x, y = [pd.Timestamp(v) for v in band.x], list(band.y)
        half = len(x) // 2
        if band.fill == "toself":  # upper edge forward, lower edge back
            assert x[half:] == x[:half][::-1]
            for week, high, low in zip(x[:half], y[:half], y[half:][::-1], strict=True):
                covered[week] = (low, high)
        else:  # a lone week's stroke
            covered[x[0]] = (y[0], y[1])
    with_ci = cohorts[cohorts["ci_high"].notna()]
    assert sorted(covered) == with_ci["week"].tolist()
    np.testing.assert_allclose([covered[w][1] for w in with_ci["week"]], with_ci["ci_high"])
    np.testing.assert_allclose([covered[w][0] for w in with_ci["week"]], with_ci["ci_low"])
    pending = _trace(fig, "still has pending pitches")
    expected = cohorts.loc[cohorts["pending"] > 0, "week"]
    assert [pd.Timestamp(x) for x in pending.x] == expected.tolist()
    assert len(expected) >= 1


def test_cohort_chart_without_pending_column(sample):
    cohorts = activity.weekly_cohorts(sample, as_of=AS_OF).drop(columns=["pending"])
    fig = cohort_chart(cohorts)
    assert "still has pending pitches" not in [t.name for t in fig.data]


def test_cost_per_win_chart(sample):
    cost = activity.cost_per_win(sample, as_of=AS_OF)
    fig = cost_per_win_chart(cost)
    bar = _trace(fig, "cost per win")
    has = cost[cost["cost_per_win"].notna()]
    assert list(bar.y) == has["channel"].tolist() == ["Upwork"]
    np.testing.assert_allclose(bar.x, has["cost_per_win"])
    np.testing.assert_allclose(bar.error_x.array, has["ci_high"] - has["cost_per_win"])
    np.testing.assert_allclose(bar.error_x.arrayminus, has["cost_per_win"] - has["ci_low"])
    unlogged = _trace(fig, "no cost logged")
    assert sorted(unlogged.y) == sorted(cost.loc[cost["costed"] == 0, "channel"])


def test_cost_per_win_chart_no_win_yet():
    cost = pd.DataFrame(
        {
            "channel": ["Upwork", "Fiverr", "Email"],
            "settled": [30, 12, 20],
            "wins": [2, 0, 1],
            "costed": [30, 12, 0],
            "cost": [240.0, 60.0, np.nan],
            "cost_per_action": [8.0, 5.0, np.nan],
            "cost_per_win": [120.0, np.nan, np.nan],
            "ci_low": [40.0, np.nan, np.nan],
            "ci_high": [500.0, np.nan, np.nan],
        }
    )
    fig = cost_per_win_chart(cost)
    assert list(_trace(fig, "no win yet").y) == ["Fiverr"]
    assert list(_trace(fig, "no cost logged").y) == ["Email"]
    assert list(fig.layout.yaxis.categoryarray) == ["Email", "Fiverr", "Upwork"]


def test_chart_errors_name_the_frame():
    with pytest.raises(ValueError, match="'daily_df' has no column"):
        activity_calendar(pd.DataFrame({"day": []}))
    with pytest.raises(TypeError, match="'flows_df' must be a pandas DataFrame"):
        outcome_sankey([("Sent", "Won", 1)])


def test_module_exports_every_chart():
    for name in charts.__all__:
        assert hasattr(charts, name)


@pytest.mark.parametrize("rows", [0, 1])
@pytest.mark.parametrize("name", CHARTS + ["rates_all"])
def test_charts_draw_a_log_with_almost_nothing_in_it(sample, name, rows):
    log = sample.iloc[:rows]
    inputs = _inputs(log)
    inputs["rates_all"] = (lambda r: rates_chart(r, metric=None), inputs["rates"][1])
    fn, frame = inputs[name]
    fig = fn(frame)
    assert fig.layout.title.text
    assert fig.layout.template.layout.font.size == 14
    if rows == 0 and name in ("rates", "rates_all", "funnel_by"):
        assert [a.text for a in fig.layout.annotations] == ["No settled pitches yet"]


def test_package_exports_the_charts_without_loading_plotly_up_front():
    import subprocess
    import sys

    for name in oa.__all__:
        assert getattr(oa, name) is not None
    assert oa.rates_chart is charts.rates_chart
    assert oa.outcome_flows is activity.outcome_flows
    code = "import sys, outreach_analytics; print('plotly' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cohort_band_breaks_at_weeks_with_nothing_settled():
    weeks = pd.date_range("2024-01-01", periods=5, freq="7D")
    cohorts = pd.DataFrame(
        {
            "week": weeks,
            "actions": [10, 9, 0, 8, 0],
            "settled": [10, 9, 0, 8, 0],
            "responses": [3, 1, 0, 2, 0],
            "rate": [0.3, 1 / 9, np.nan, 0.25, np.nan],
            "ci_low": [0.1, 0.02, np.nan, 0.07, np.nan],
            "ci_high": [0.6, 0.43, np.nan, 0.59, np.nan],
        }
    )
    fig = charts.cohort_chart(cohorts)
    bands = [t for t in fig.data if t.name == "95% interval"]
    assert len(bands) == 2  # weeks 0-1 as one band, week 3 alone: the gap is not bridged
    assert [pd.Timestamp(x) for x in bands[0].x] == [weeks[0], weeks[1], weeks[1], weeks[0]]
    assert list(bands[0].y) == [0.6, 0.43, 0.02, 0.1] and bands[0].fill == "toself"
    assert [pd.Timestamp(x) for x in bands[1].x] == [weeks[3], weeks[3]]
    assert list(bands[1].y) == [0.07, 0.59]
    assert [b.showlegend for b in bands] == [True, False]
    assert np.isnan(fig.data[-1].y[2])  # the rate line shows the gap


def test_pitches_per_win_chart_uses_a_log_axis_only_when_intervals_spread_wide():
    def frame(high):
        return pd.DataFrame(
            {
                "channel": ["A", "B"],
                "settled": [70, 130],
                "wins": [10, 1],
                "pitches_per_win": [7.0, 130.0],
                "ci_low": [4.0, 23.0],
                "ci_high": [12.0, high],
            }
        )

    wide = pitches_per_win_chart(frame(750.0), by="channel")
    assert wide.layout.xaxis.type == "log"  # 750 > 15 x 7
    narrow = pitches_per_win_chart(frame(100.0), by="channel")  # 100 < 15 x 7
    assert narrow.layout.xaxis.type in (None, "linear", "-")


def test_rates_chart_title_cuts_a_long_segment_name():
    name = "A channel with a name far too long to sit in a chart title"
    r = oa.rates(
        oa.normalize(
            pd.DataFrame(
                {
                    "Date": ["2024-01-02"] * 4,
                    "Channel": [name, name, "Email", "Email"],
                    "Status": ["Replied", "Replied", "Ghosted", "Ghosted"],
                }
            )
        ),
        by="channel",
        as_of="2024-03-01",
    )
    title = rates_chart(r, by="channel", metric="response").layout.title.text
    assert name not in title and name[:29] + "…" in title
