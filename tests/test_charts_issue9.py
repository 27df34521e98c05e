"""The issue-9 charts: assertions on fig.data and fig.layout."""

from __future__ import annotations

import pandas as pd
import pytest

from outreach_analytics import load, sample_path
from outreach_analytics.analysis.activity import rejections_over_time
from outreach_analytics.analysis.benchmarks import benchmark_check
from outreach_analytics.analysis.challenge import challenge
from outreach_analytics.analysis.compare import compare
from outreach_analytics.analysis.forecast import next_win
from outreach_analytics.present.charts import (
    benchmark_chart,
    challenge_chart,
    comparison_chart,
    next_win_chart,
)

AS_OF = "2026-11-15"


@pytest.fixture(scope="module")
def log():
    return load(sample_path())


def test_comparison_chart(log):
    c = compare(log, "channel", as_of=AS_OF)
    fig = comparison_chart(c.summary)
    shrunk = fig.data[0]
    assert list(shrunk.x) == list(c.summary["shrunk_rate"][::-1])
    assert list(shrunk.y)[-1] == c.summary["name"].iloc[0]  # best on top
    assert list(shrunk.error_x.array) == pytest.approx(
        list((c.summary["cred_high"] - c.summary["shrunk_rate"])[::-1])
    )
    assert "P(best)" in fig.data[2].text[-1]
    assert fig.layout.xaxis.tickformat == ".0%"
    empty = comparison_chart(c.summary.iloc[0:0])
    assert len(empty.data) == 0 and empty.layout.annotations
    with pytest.raises(ValueError, match="has no column"):
        comparison_chart(pd.DataFrame({"x": [1]}))


def test_next_win_chart(log):
    f = next_win(log, as_of=AS_OF)
    fig = next_win_chart(f.curve, f.pitches)
    assert list(fig.data[0].x) == f.curve["pitches"].tolist()
    assert list(fig.data[1].x) == [f.pitches["p50"], f.pitches["p80"], f.pitches["p95"]]
    assert list(fig.data[1].y) == [0.5, 0.8, 0.95]
    assert f"{f.pitches['p80']:,}" in fig.layout.title.text
    # the curve ends at the 95% point: a label to its right would be cut at the plot's edge
    assert f.curve["pitches"].max() == f.pitches["p95"]
    assert fig.data[1].textposition[-1] == "top left"


def test_challenge_chart(log):
    c = challenge(log, as_of=AS_OF)
    nos = rejections_over_time(log, as_of=AS_OF)
    fig = challenge_chart(nos, c.summary)
    assert fig.data[0].y[-1] == c.no_count
    assert list(fig.data[1].y) == c.summary["goal"].tolist()
    assert list(fig.data[2].y) == [c.no_count, c.next_goal]
    assert "next rung 1,000" in fig.layout.title.text
    assert len(fig.layout.shapes) == len(c.summary)


def test_benchmark_chart(log):
    out = benchmark_check(log, as_of=AS_OF)
    fig = benchmark_chart(out)
    assert list(fig.data[0].x) == pytest.approx(out["rate"].tolist())
    assert len(fig.data[1].x) == len(out)
    assert "Lever" in " ".join(str(v) for v in fig.data[1].customdata[:, 0])


def test_comparison_chart_never_claims_certainty_and_its_labels_fit(log):
    """P(best) from a finite sample is "> 99%" / "< 1%", never 1.00 / 0.00; the labels right
    of the intervals are drawn outside the clip (cliponaxis False), on an axis that runs on past
    the widest interval, and the right margin holds the longest label."""
    c = compare(log, "channel", as_of=AS_OF)
    assert c.summary["p_best"].max() > 0.995 and c.summary["p_best"].min() == 0
    fig = comparison_chart(c.summary)
    labels = fig.data[2]
    texts = [t.strip() for t in labels.text]
    assert texts[-1] == "P(best) > 99%" and "P(best) < 1%" in texts
    assert not any(t.endswith(("1.00", "0.00", "100%", " 0%")) for t in texts)
    assert labels.cliponaxis is False and labels.textposition == "middle right"
    assert fig.layout.xaxis.range[1] >= 1.2 * c.summary["cred_high"].max()
    assert fig.layout.margin.r >= 7 * max(len(t) for t in labels.text)
    hover = [row[1] for row in fig.data[0].customdata]
    assert hover[-1] == "> 99%" and "1.00" not in fig.data[0].hovertemplate


def test_comparison_table_never_claims_certainty(log):
    from outreach_analytics.present.tables import comparison_table, fmt_p_best

    c = compare(log, "channel", as_of=AS_OF)
    shown = comparison_table(c.summary, "channel").frame["P(best)"].tolist()
    assert shown[0] == "> 99%" and set(shown[1:]) == {"< 1%"}
    assert [fmt_p_best(p) for p in (0.5, 0.99, 0.994, 0.01, 0.005)] == [
        "50%",
        "99%",
        "> 99%",
        "1%",
        "< 1%",
    ]
    html = comparison_table(c.summary, "channel")._repr_html_()
    assert "&gt; 99%" in html and "100%" not in html
