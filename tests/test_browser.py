"""The report in a real browser: Debian's Chromium, driven by playwright, with no network.

Each page is opened from ``file://`` with every other request blocked and recorded. The
sample report must draw every chart with no error and no request; a log whose clients,
notes and channels hold HTML and ``javascript:`` links must show them as text and run none
of them; an anonymized report must hold no client name or note, even after the charts drew.
A full-page screenshot of the sample report is saved to ``tests/artifacts/report.png``.

Chromium is never downloaded: ``make chromium`` installs Debian's package, and these tests
fail (they do not skip) when it is missing.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from outreach_analytics.present import sections as S
from outreach_analytics.sample import generate_log

pytestmark = pytest.mark.browser

AS_OF = "2026-11-15"
ARTIFACTS = Path(__file__).parent / "artifacts"
PWNED = "window.__pwned=1"
HOSTILE = [
    f"<script>{PWNED}</script>",
    f'<img src=x onerror="{PWNED}">',
    f'<a href="javascript:{PWNED}">click me</a>',
    f"javascript:{PWNED}",
]


# --------------------------------------------------------------------------- reports


def write_hostile_log(path: Path) -> Path:
    """A log whose clients, notes and one channel are HTML, script and javascript: links."""
    log = generate_log(150, seed=11, end=AS_OF).astype({"Date Sent": "str"})
    n = len(HOSTILE)
    due = pd.DataFrame(  # sent 6 to 9 days before AS_OF, no answer, no follow-up
        {
            "Date Sent": [f"2026-11-{6 + i:02d}" for i in range(n)],
            "Platform": ["Email"] * (n - 1) + [HOSTILE[1]],
            "Pitch Type": ["Cold pitch"] * n,
            "Client": HOSTILE,
            "Status": ["Sent"] * n,
            "Follow-ups": [0] * n,
            "Notes": [f"note {h}" for h in reversed(HOSTILE)],
        }
    )
    channel = pd.DataFrame(  # a channel named like markup, settled, so it is charted too
        {
            "Date Sent": ["2026-09-01", "2026-09-02"],
            "Platform": [HOSTILE[1]] * 2,
            "Client": [HOSTILE[0], HOSTILE[2]],
            "Status": ["Replied", "Ghosted"],
            "Response Date": ["2026-09-03", None],
        }
    )
    bad = pd.DataFrame(  # skipped: its date cell is markup, shown in the data-quality table
        {"Date Sent": [HOSTILE[1]], "Platform": ["Email"], "Status": ["Sent"]}
    )
    pd.concat([log, due, channel, bad], ignore_index=True).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def sample_report(render_once) -> Path:
    return render_once(None, as_of=AS_OF)


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory, render_once) -> Path:
    log = write_hostile_log(tmp_path_factory.mktemp("logs") / "hostile.csv")
    return render_once(log, as_of=AS_OF, skip_invalid=True)


@pytest.fixture(scope="session")
def anon_report(render_once, secret_log) -> Path:
    return render_once(secret_log, as_of=AS_OF, anonymize=True, skip_invalid=True)


# --------------------------------------------------------------------------- the browser


class Opened:
    """A page opened from file:// with the requests that tried to leave and the errors."""

    def __init__(self, browser, path: Path, width: int = 1200):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.page.route("**/*", self._route)
        self.figures = path.read_text(encoding="utf-8").count('class="plotly-graph-div"')
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function(
            "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
            arg=self.figures,
            timeout=30_000,
        )

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def drawn(self) -> int:
        """Charts that drew their SVG with at least one trace."""
        return self.page.evaluate(
            """() => Array.from(document.querySelectorAll('.plotly-graph-div')).filter(
                d => d.classList.contains('js-plotly-plot') && d.querySelector('.main-svg')
                     && d._fullData && d._fullData.length > 0).length"""
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="session")
def sample_page(browser, sample_report):
    opened = Opened(browser, sample_report)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def hostile_page(browser, hostile_report):
    opened = Opened(browser, hostile_report)
    yield opened
    opened.close()


# --------------------------------------------------------------------------- tests


def test_sample_report_draws_every_chart_offline(sample_page):
    assert sample_page.figures >= 8
    assert sample_page.drawn() == sample_page.figures
    plots = sample_page.page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".filter(d => d.querySelector('.main-svg')).length"
    )
    assert plots == sample_page.figures
    assert sample_page.errors == []
    assert sample_page.blocked == []


def test_sample_report_screenshot(sample_page):
    page = sample_page.page
    # every section is on the page and has room: nothing collapsed to zero height
    for sid, _ in S.SECTIONS:
        box = page.locator(f"section#{sid}").bounding_box()
        assert box is not None and box["height"] > 40, sid
    # no chart wider than the page (no horizontal scrolling)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_hostile_text_is_shown_and_never_run(hostile_page):
    page = hostile_page.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert hostile_page.drawn() == hostile_page.figures
    assert hostile_page.errors == []
    assert hostile_page.blocked == []
    # none of it became an element
    assert page.locator("main img").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("main script:not([id='plotlyjs'])").count() == hostile_page.figures
    for text in HOSTILE[:3]:  # markup: in the DOM only as escaped text
        src = f"document.body.innerHTML.includes({json.dumps(text)})"
        assert page.evaluate(src) is False, text
    # ...and all of it is visible as text: clients, notes, the channel, the skipped value
    # the follow-up tables: due now, and gone quiet (past the ghosting day; in a <details>)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    waiting = [page.locator(f"#T_table-{t}") for t in ("follow-ups", "gone-quiet")]
    follow_ups = "\n".join(t.inner_text() for t in waiting if t.count())
    channels = page.locator("#T_table-channels").inner_text()
    skipped = page.locator("#T_table-skipped").inner_text()
    for text in HOSTILE:
        assert text in follow_ups, text
        assert f"note {text}" in follow_ups, text
    assert HOSTILE[1] in channels
    assert HOSTILE[1] in skipped
    assert all(t.is_visible() for t in waiting if t.count())


def test_anonymized_report_holds_no_client_or_note(browser, anon_report, secret_log, secrets):
    raw = pd.read_csv(secret_log, dtype=str)
    private = {v.strip() for v in pd.concat([raw["Client"], raw["Notes"]]).dropna()} - {""}
    assert set(secrets["clients"]) <= private
    source = anon_report.read_text(encoding="utf-8")
    opened = Opened(browser, anon_report)
    try:
        assert opened.drawn() == opened.figures and opened.errors == []
        dom = opened.page.content()  # after the charts drew their labels and hover layers
        text = opened.page.inner_text("body")
    finally:
        opened.close()
    for value in private:
        forms = {value, html.escape(value), html.escape(value, quote=False)}
        forms |= {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
        forms.add(value.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
        for form in forms:
            assert form not in source, value
            assert form not in dom, value
        assert value not in text
    assert re.search(r"Client \d{3}", text)  # the pseudonyms are what the page shows


# --------------------------------------------------------------------------- charts at notebook width


def _twelve_channels() -> pd.DataFrame:
    """A log with 12 channels, for the rates chart's height."""
    import outreach_analytics as oa

    log = generate_log(600, seed=5, end=AS_OF)
    names = [f"Channel number {i:02d}" for i in range(12)]
    log["Platform"] = [names[i % 12] for i in range(len(log))]
    return oa.load(log)


@pytest.mark.parametrize("width", [860, 720])  # 720: JupyterLab beside its file browser
def test_charts_fit_at_notebook_width(browser, tmp_path, width):
    from plotly.offline import get_plotlyjs

    import outreach_analytics as oa
    from outreach_analytics.analysis import activity
    from outreach_analytics.analysis.benchmarks import benchmark_check
    from outreach_analytics.analysis.challenge import challenge
    from outreach_analytics.analysis.compare import compare
    from outreach_analytics.analysis.follow_ups import follow_up_lift
    from outreach_analytics.analysis.forecast import next_win
    from outreach_analytics.analysis.survival import time_to_response
    from outreach_analytics.present import charts

    df = oa.load(oa.sample_path())
    twelve = _twelve_channels()
    nw = next_win(df, as_of=AS_OF)
    ttr = time_to_response(df, "channel", as_of=AS_OF)
    figs = {
        "rates12": charts.rates_chart(oa.rates(twelve, by="channel", as_of=AS_OF), by="channel"),
        "rates-all": charts.rates_chart(oa.rates(df, by="channel", as_of=AS_OF), metric=None),
        "ppw": charts.pitches_per_win_chart(oa.pitches_per_win(df, by="channel", as_of=AS_OF)),
        "cohorts": charts.cohort_chart(activity.weekly_cohorts(df, as_of=AS_OF)),
        "weekly": charts.weekly_goal_chart(activity.weekly_activity(df, goal=20)),
        "nos": charts.rejections_chart(activity.rejections_over_time(df, as_of=AS_OF)),
        "funnel": charts.funnel_chart(oa.funnel(df, by="channel", as_of=AS_OF)),
        # issue 9's charts
        "compare": charts.comparison_chart(compare(twelve, "channel", as_of=AS_OF).summary),
        "next-win": charts.next_win_chart(nw.curve, nw.pitches),
        "challenge": charts.challenge_chart(
            activity.rejections_over_time(df, as_of=AS_OF), challenge(df, as_of=AS_OF).summary
        ),
        "benchmarks": charts.benchmark_chart(benchmark_check(df, as_of=AS_OF)),
        "reply": charts.time_to_response_chart(ttr.curves(), ttr.overall.ghosting_day),
        "lift": charts.follow_up_lift_chart(follow_up_lift(df, as_of=AS_OF).table),
    }
    divs = "".join(
        f.to_html(full_html=False, include_plotlyjs=False, div_id=k) for k, f in figs.items()
    )
    page_path = tmp_path / "charts.html"
    page_path.write_text(
        f"<html><head><script>{get_plotlyjs()}</script></head>"
        f'<body style="width:{width}px;margin:0">{divs}</body></html>',
        encoding="utf-8",
    )
    opened = Opened(browser, page_path, width=width)
    try:
        boxes = opened.page.evaluate(
            """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => {
                 const svg = d.querySelector('.main-svg').getBoundingClientRect();
                 const box = s => { const e = d.querySelector(s);
                   if (!e) return null; const r = e.getBoundingClientRect();
                   return r.width ? {l: r.left, r: r.right, t: r.top, b: r.bottom} : null; };
                 return {id: d.id, svg: {l: svg.left, r: svg.right, t: svg.top, b: svg.bottom},
                         title: box('.gtitle'), subtitle: box('.gtitle-subtitle'),
                         legend: box('.legend'), xtitle: box('.xtitle'),
                         yticks: d.querySelectorAll('.yaxislayer-above .ytick').length}; })"""
        )
    finally:
        opened.close()

    def overlap(a, b):
        return (
            a and b and a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]
        )

    by_id = {b["id"]: b for b in boxes}
    assert by_id["rates12"]["yticks"] == 12  # every channel has its label
    for b in boxes:
        svg = b["svg"]
        for part in ("title", "subtitle", "legend", "xtitle"):
            if b[part]:  # inside the figure: not cut
                assert b[part]["l"] >= svg["l"] - 1 and b[part]["r"] <= svg["r"] + 1, (
                    b["id"],
                    part,
                )
                assert b[part]["t"] >= svg["t"] - 1 and b[part]["b"] <= svg["b"] + 1, (
                    b["id"],
                    part,
                )
        for a, c in (("legend", "xtitle"), ("legend", "title"), ("legend", "subtitle")):
            assert not overlap(b[a], b[c]), (b["id"], a, c)
