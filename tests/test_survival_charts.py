"""The time-to-reply and follow-up charts: asserted on fig.data and fig.layout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outreach_analytics import load, normalize, sample_path
from outreach_analytics.analysis.follow_ups import follow_up_lift
from outreach_analytics.analysis.survival import time_to_response
from outreach_analytics.present.charts import follow_up_lift_chart, time_to_response_chart

AS_OF = "2026-11-15"


@pytest.fixture(scope="module")
def sample_df():
    return load(sample_path())


def test_time_to_response_chart_draws_each_curve_and_the_ghosting_day(sample_df):
    t = time_to_response(sample_df, by="channel", as_of=AS_OF)
    curves = t.curves()
    fig = time_to_response_chart(curves, t.overall.ghosting_day)
    names = [tr.name for tr in fig.data]
    assert names == ["95% band", "all", *t.groups]
    overall = fig.data[1]
    want = curves[curves["group"] == "all"]
    # the step line ends flat at the right edge of the plot
    np.testing.assert_allclose(overall.y[:-1], want["reached"])
    assert overall.y[-1] == want["reached"].iloc[-1]
    assert overall.x[-1] == curves["day"].max()
    assert overall.line.shape == "hv" and overall.line.width > fig.data[2].line.width
    assert fig.data[0].fill == "toself"
    (line,) = fig.layout.shapes
    assert line.x0 == line.x1 == t.overall.ghosting_day
    assert "silence means no" in fig.layout.annotations[0].text
    assert fig.layout.yaxis.tickformat == ".0%"
    assert fig.layout.title.text == "Time to first reply"


def test_time_to_response_chart_without_replies():
    log = normalize(pd.DataFrame({"Date": ["2024-01-01"] * 3, "Status": ["Sent"] * 3}))
    t = time_to_response(log, as_of="2024-02-01")
    fig = time_to_response_chart(t.curves().iloc[0:0])
    assert fig.layout.annotations[0].text == "No reply yet"
    with pytest.raises(ValueError, match="curves_df"):
        time_to_response_chart(pd.DataFrame({"day": [1]}))


def test_follow_up_lift_chart_bars_are_the_lifts(sample_df):
    f = follow_up_lift(sample_df, as_of=AS_OF)
    fig = follow_up_lift_chart(f.table)
    t = f.table[f.table["follow_ups"] >= 1]
    got = {}
    for tr in fig.data:
        for x, y, up, down in zip(tr.x, tr.y, tr.error_y.array, tr.error_y.arrayminus, strict=True):
            got[x] = (y, y + up, y - down, tr.name)
    for r in t.itertuples():
        y, high, low, name = got[f"follow-up {r.follow_ups}"]
        assert y == pytest.approx(r.lift * 100)
        assert high == pytest.approx(r.lift_high * 100) and low == pytest.approx(r.lift_low * 100)
        assert name == ("pays" if r.pays else "does not pay")
    (line,) = fig.layout.shapes
    assert line.y0 == line.y1 == pytest.approx(2.0)
    assert list(fig.layout.xaxis.categoryarray) == [f"follow-up {k}" for k in t["follow_ups"]]


def test_follow_up_lift_chart_without_follow_ups():
    log = normalize(pd.DataFrame({"Date": ["2024-01-01"] * 3, "Status": ["Sent"] * 3}))
    fig = follow_up_lift_chart(follow_up_lift(log, as_of="2024-06-01").table)
    assert fig.layout.annotations[0].text == "No follow-ups logged yet"
