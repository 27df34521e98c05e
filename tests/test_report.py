"""Tests of the HTML report: what the file holds, the headline's numbers, anonymizing, the CLI.

Each report is rendered once per session and cached under pytest's base temp directory (keyed
by the log's bytes and the options), so test_browser.py reuses the same files. The headline's
numbers are checked against ``summarize()`` and its response-rate interval against statsmodels.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from click.testing import CliRunner
from statsmodels.stats.proportion import proportion_confint

from outreach_analytics import OutreachDataError, load_report, sample_path, summarize
from outreach_analytics.cli import app
from outreach_analytics.present import report as R
from outreach_analytics.present import sections as S
from outreach_analytics.present import tables as T

AS_OF = "2026-11-15"


# --------------------------------------------------------------------------- fixtures


def private_values(path: Path) -> set[str]:
    raw = pd.read_csv(path, dtype=str)
    values = set(raw["Client"].dropna()) | set(raw["Notes"].dropna())
    return {v.strip() for v in values if v.strip()}


def encodings(value: str) -> set[str]:
    """The ways a string could be written in the page: as is, HTML-escaped, in JSON."""
    return {
        value,
        html.escape(value),
        html.escape(value, quote=False),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        value.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"),
    }


@pytest.fixture(scope="session")
def sample_html(render_once) -> str:
    return render_once(None, as_of=AS_OF).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def anon_html(render_once, secret_log) -> str:
    return render_once(secret_log, as_of=AS_OF, anonymize=True, skip_invalid=True).read_text(
        encoding="utf-8"
    )


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


class _Table(HTMLParser):
    """The header and body cells of the table with a given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_id, self.inside, self.cell = table_id, False, None
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        # display tables are pandas Stylers whose element id is "T_" + their fixed uuid
        if tag == "table" and dict(attrs).get("id") == f"T_{self.table_id}":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(page: str, table_id: str) -> pd.DataFrame:
    p = _Table(table_id)
    p.feed(page)
    assert p.rows, f"no table {table_id}"
    return pd.DataFrame(p.rows[1:], columns=p.rows[0])


def parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    return p


def without_plotlyjs(page: str) -> str:
    start = page.index('id="plotlyjs"')
    return page[:start] + page[page.index("</script>", start) :]


def kpi(page: str, key: str) -> tuple[str, dict[str, str]]:
    m = re.search(
        rf'<div class="kpi[^"]*" id="kpi-{key}">.*?<div class="kpi-value"([^>]*)>'
        r"([^<]*)</div>",
        page,
        re.S,
    )
    assert m, f"no kpi-{key} in the report"
    attrs = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', m.group(1)))
    return html.unescape(m.group(2)), attrs


# --------------------------------------------------------------------------- the page


def test_plotlyjs_embedded_exactly_once(sample_html):
    # the bundle's banner ("/**\n* plotly.js v4.x.y") is in the bundle once
    assert sample_html.count("* plotly.js v") == 1
    assert sample_html.count("Copyright 2012-") == 1
    assert len(re.findall(r'<script[^>]*id="plotlyjs"', sample_html)) == 1
    figures = sample_html.count('class="plotly-graph-div"')
    assert figures >= 8
    assert sample_html.count("Plotly.newPlot(") == figures


def test_nothing_is_fetched_from_the_network(sample_html):
    tags = parse(sample_html)
    for tag, attrs in tags.tags:
        assert not (tag == "script" and "src" in attrs), f"external script {attrs}"
        assert tag != "link", f"<link> tag {attrs}"
        assert tag not in ("iframe", "embed", "object"), tag
        for name in ("src", "href", "srcset", "data", "action"):
            value = (attrs.get(name) or "").strip().lower()
            if tag == "a" and name == "href":
                # a benchmark's source link: followed only on a click, plain https only
                assert value.startswith("https://"), f"a href={value}"
                continue
            assert not value.startswith(("http:", "https:", "//")), f"{tag} {name}={value}"
    for css in tags.styles:
        assert "@import" not in css and "url(" not in css
    # source links (checked above: https, followed only on a click) are not fetches
    rest = re.sub(r'<a href="https://[^"]*"', "<a", without_plotlyjs(sample_html))
    # plotly's base64 arrays ("bdata") can spell any short word by chance
    rest = re.sub(r'"bdata":"[^"]*"', '"bdata":""', rest).lower()
    for word in (
        "require.js",
        "requirejs",
        "require.config",
        "mathjax",
        "cdn",
        "http://",
        "https://",
        "@font-face",
        "fonts.googleapis",
    ):
        assert word not in rest, word


def test_every_section_is_there_in_order(sample_html):
    where = []
    for sid, title in S.SECTIONS:
        assert f'<section class="report-section" id="{sid}">' in sample_html or (
            f'<section id="{sid}" class="report-section">' in sample_html
        ), sid
        assert html.escape(title, quote=False) in sample_html, title
        where.append(sample_html.index(f'id="{sid}"'))
    assert where == sorted(where)
    # one sentence on what to look for in each section
    assert sample_html.count('<p class="lead">') == len(S.SECTIONS)


def test_code_cells_and_prompts_are_hidden(sample_html):
    nb = nbformat.read(R.notebook_path(), as_version=4)
    lines = [ln.strip() for c in nb.cells for ln in c.source.splitlines()]
    code = [ln for ln in lines if len(ln) >= 10 and not ln.startswith("#")]
    assert len(code) > 10
    for line in code:
        assert line not in sample_html, line
    for marker in (
        "In&nbsp;[",
        "Out[",
        'class="input_area"',
        'class="prompt',
        'class="highlight',
        "injected-parameters",
        "Traceback",
    ):
        assert marker not in without_plotlyjs(sample_html), marker


def test_headline_numbers_equal_summarize(sample_html):
    s = summarize(load_report(sample_path()), as_of=AS_OF)
    o = s["overall"]
    shown, attrs = kpi(sample_html, "actions")
    assert int(attrs["data-value"]) == o["actions"] == 1000
    assert shown == f"{o['actions']:,}"
    shown, attrs = kpi(sample_html, "wins")
    assert int(attrs["data-value"]) == o["wins"] and shown == str(o["wins"])

    # the headline response rate is summarize's censoring-aware one, its method named
    shown, attrs = kpi(sample_html, "response-rate")
    rr = s["headline"]["response_rate"]
    assert rr["method"] == "kaplan-meier"
    assert float(attrs["data-value"]) == pytest.approx(rr["value"], rel=1e-12)
    assert shown == f"{round(rr['value'] * 100)}%"
    assert float(attrs["data-low"]) == pytest.approx(rr["ci_low"], rel=1e-12)
    assert float(attrs["data-high"]) == pytest.approx(rr["ci_high"], rel=1e-12)
    assert rr["ci_low"] < rr["value"] < rr["ci_high"]
    assert "Kaplan–Meier over 1,000 actions" in sample_html
    # the window rule's Wilson rate stays close (few pitches are recent in the sample)
    low, high = proportion_confint(o["responses"], o["settled"], alpha=0.05, method="wilson")
    assert low < rr["value"] < high

    shown, attrs = kpi(sample_html, "pitches-per-win")
    ppw = o["pitches_per_win"]
    assert float(attrs["data-value"]) == pytest.approx(o["settled"] / o["wins"])
    assert shown == f"{round(ppw['value'])}"
    wl, wh = proportion_confint(o["wins"], o["settled"], alpha=0.05, method="wilson")
    assert float(attrs["data-low"]) == pytest.approx(1 / wh, rel=1e-9)
    assert float(attrs["data-high"]) == pytest.approx(1 / wl, rel=1e-9)


def test_channel_table_matches_the_counts(sample_html):
    raw = pd.read_csv(sample_path())
    shown = table(sample_html, "table-channels")
    got = dict(zip(shown["channel"].str.rstrip(" †"), shown["actions"], strict=True))
    want = raw["Platform"].str.strip().str.casefold().value_counts()
    assert {k.casefold(): int(v.replace(",", "")) for k, v in got.items()} == want.to_dict()


def test_element_ids_are_fixed(sample_html):
    ids = re.findall(
        r'<div class="plotly-graph-div" id="([^"]+)"|<div id="([^"]+)" '
        r'class="plotly-graph-div"',
        sample_html,
    )
    names = [a or b for a, b in ids]
    assert names and all(n.startswith("chart-") for n in names)
    assert len(set(names)) == len(names)
    assert "chart-funnel" in names and "chart-calendar" in names


# --------------------------------------------------------------------------- anonymizing


def test_pseudonyms_stable_and_in_order_of_appearance():
    names = pd.Series(["Birch", "Acme", None, "Birch", " Acme ", "Cedar", ""])
    got = R.pseudonyms(names)
    assert got == {"Birch": "Client 001", "Acme": "Client 002", "Cedar": "Client 003"}
    assert R.pseudonyms(pd.Series([f"c{i}" for i in range(1200)]))["c1199"] == "Client 1200"


def test_anonymize_replaces_clients_and_drops_notes(secret_log, secrets):
    rep = load_report(secret_log, skip_invalid=True)
    anon = R.anonymize(rep)
    assert anon.data["notes"].isna().all()
    assert rep.data["notes"].notna().any()
    before, after = rep.data["client"].str.strip(), anon.data["client"]
    # one pseudonym per name and one name per pseudonym, the same rows missing
    pairs = pd.DataFrame({"b": before, "a": after}).dropna().drop_duplicates()
    assert pairs["b"].is_unique and pairs["a"].is_unique
    assert (before.isna() == after.isna()).all()
    assert after.dropna().str.fullmatch(r"Client \d{3}").all()
    assert len(anon.skipped) and (anon.skipped["value"] == "(hidden)").all()
    assert secrets["clients"][0] in set(rep.data["client"])  # the input is left as it was


def test_anonymized_report_holds_no_client_or_note(anon_html, secret_log):
    for value in private_values(secret_log):
        for form in encodings(value):
            assert form not in anon_html, value


def test_anonymized_pseudonyms_are_stable_in_the_page(anon_html, secret_log, secrets):
    rep = load_report(secret_log, skip_invalid=True)
    names = R.pseudonyms(rep.data["client"])
    shown = table(anon_html, "table-follow-ups")
    by_row = dict(zip(shown["row in sheet"].astype(int), shown["client"], strict=True))
    raw = pd.read_csv(secret_log, dtype=str)
    for row, pseudonym in by_row.items():
        original = raw.loc[row - 2, "Client"].strip()  # sheet row 2 is the first data row
        assert pseudonym == names[original]
    zeb = [by_row[r] for r in by_row if raw.loc[r - 2, "Client"] == secrets["clients"][0]]
    assert len(zeb) == 2 and zeb[0] == zeb[1]
    assert "notes" not in shown.columns


# --------------------------------------------------------------------------- the command


def test_cli_writes_the_same_report_and_prints_its_path(tmp_path, secret_log, anon_html):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(
        app,
        [
            "report",
            str(secret_log),
            "-o",
            str(out),
            "--as-of",
            AS_OF,
            "--anonymize",
            "--skip-invalid",
        ],
    )
    assert res.exit_code == 0, res.output
    assert str(out.resolve()) in res.stdout.splitlines()
    assert out.read_text(encoding="utf-8") == anon_html  # reproducible: same input, same file


@pytest.mark.parametrize(
    "args",
    [
        ["report", "/no/such/log.csv"],
        ["report", "--mapping", "/no/such/mapping.toml"],
        ["report", "--as-of", "15/11/2026"],
        ["report", "--column", "nonsense"],
    ],
)
def test_cli_user_errors_exit_2_without_traceback(tmp_path, args):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, [*args, "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "error:" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_cli_invalid_rows_exit_2_with_the_rows(tmp_path):
    log = tmp_path / "bad.csv"
    log.write_text(
        "Date Sent,Platform,Status\n2026-11-01,Email,Sent\nnot a date,Email,Sent\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(app, ["report", str(log), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2, res.output
    assert "not a date" in res.output and "Traceback" not in res.output


def test_cli_log_without_known_columns_exits_2(tmp_path):
    log = tmp_path / "odd.csv"
    log.write_text("a,b\n1,2\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["report", str(log), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2, res.output
    assert "--column date=" in res.output and "Traceback" not in res.output


# --------------------------------------------------------------------------- the kernel


def test_kernel_is_this_python_even_with_another_python_on_path(tmp_path, monkeypatch):
    decoy = tmp_path / "bin"
    decoy.mkdir()
    for name in ("python", "python3", f"python3.{sys.version_info[1]}"):
        (decoy / name).write_text("#!/bin/sh\necho decoy >&2\nexit 3\n")
        (decoy / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{decoy}{os.pathsep}{os.environ.get('PATH', '')}")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import sys; print(sys.executable, x)")]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    out = R._execute({"x": 2}, notebook=path)
    assert out.cells[-1].outputs[0]["text"].strip() == f"{sys.executable} 2"


def _probe(tmp_path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_outreach_data_error_in_the_kernel_is_the_same_user_error(tmp_path):
    path = _probe(
        tmp_path,
        "from outreach_analytics import OutreachDataError\n"
        "raise OutreachDataError(f'column date, row {x}: not a date. Fix: write YYYY-MM-DD.')",
    )
    with pytest.raises(OutreachDataError, match=r"row 7: not a date\. Fix"):
        R._execute({"x": 7}, notebook=path)


def test_a_failing_warm_up_is_ignored_and_a_failing_cell_raises(tmp_path):
    from nbclient.exceptions import CellExecutionError

    from outreach_analytics.present.kernel import Kernel

    nb = nbformat.read(_probe(tmp_path, "print(x + 1)"), as_version=4)
    with Kernel("import no_such_module_anywhere") as kernel:
        out = kernel.execute(nb).result()
    assert out.cells[-1].outputs[0]["text"] == "2\n"
    nb = nbformat.read(_probe(tmp_path, "1 / 0"), as_version=4)
    with Kernel() as kernel, pytest.raises(CellExecutionError) as err:
        kernel.execute(nb).result()
    assert err.value.ename == "ZeroDivisionError"


def test_leaving_the_block_on_an_error_stops_the_notebook(tmp_path):
    import time

    from outreach_analytics.present.kernel import Kernel

    nb = nbformat.read(_probe(tmp_path, "import time; time.sleep(300)"), as_version=4)
    start = time.monotonic()
    with pytest.raises(KeyError), Kernel() as kernel:
        running = kernel.execute(nb)
        time.sleep(0.5)
        raise KeyError("the caller failed")
    assert time.monotonic() - start < 120 and running.done()


def test_the_warm_up_imports_what_the_report_notebook_uses(tmp_path):
    # run the warm-up, then the report notebook's cells (with their displays) in one fresh
    # interpreter: the cells must not import any module of ours or scipy's the warm-up missed
    snap = R.write_snapshot(R.load_for_report(), tmp_path / "snap")
    script = f"""
import sys
exec({R._WARM_UP!r}, {{}})
import nbformat
nb = nbformat.read({str(R.notebook_path())!r}, as_version=4)
before, ns = set(sys.modules), {{}}
for cell in nb.cells:
    if cell.cell_type != "code":
        continue
    try:
        code = compile(cell.source, "cell", "eval")
    except SyntaxError:
        exec(cell.source, ns)
    else:
        eval(code, ns)._repr_html_()
    if "parameters" in cell.metadata.get("tags", []):
        ns.update(snapshot={str(snap)!r}, as_of={AS_OF!r})
new = sorted(m for m in set(sys.modules) - before if m.split(".")[0] in ("outreach_analytics", "scipy"))
print("new:", new)
"""
    import subprocess

    res = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert res.stdout.strip().splitlines()[-1] == "new: []", res.stdout + res.stderr


def test_render_reports_default_window_is_the_metrics_default():
    import inspect

    from outreach_analytics.analysis.metrics import DEFAULT_WINDOW

    assert inspect.signature(R.render_report).parameters["window"].default == DEFAULT_WINDOW


# --------------------------------------------------------------------------- tables


def test_segment_table_intervals_match_statsmodels():
    df = load_report(sample_path()).data
    from outreach_analytics import counts, pitches_per_win, rates

    t = T.segment_table(
        counts(df, by="channel", as_of=AS_OF),
        rates(df, by="channel", as_of=AS_OF),
        pitches_per_win(df, by="channel", as_of=AS_OF),
        by="channel",
    )
    raw = pd.read_csv(sample_path())
    assert len(t.frame) == raw["Platform"].str.strip().str.casefold().nunique()
    for _, row in t.frame.iterrows():
        n = int(row["settled"].replace(",", ""))
        m = re.fullmatch(r"(\d+)% \((\d+)–(\d+)\)", row["response rate (95% CI)"])
        assert m, row["response rate (95% CI)"]
        # successes: the one count whose rate rounds to the shown percentage
        shown = int(m.group(1))
        k = [k for k in range(n + 1) if round(100 * k / n) == shown]
        lows = {round(100 * proportion_confint(x, n, method="wilson")[0]) for x in k}
        highs = {round(100 * proportion_confint(x, n, method="wilson")[1]) for x in k}
        assert int(m.group(2)) in lows and int(m.group(3)) in highs
        assert row["channel"].endswith(T.SMALL_MARK) == (n < 30)


def test_interval_format_against_a_hand_calculation():
    # 22 of 100: Wilson 95% interval by hand, z = 1.959964
    z, n, p = 1.959964, 100, 0.22
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    assert T.fmt_interval(p, centre - half, centre + half) == "22% (15–31)"
    assert T.fmt_interval(50.0, 20.4, 110.6, pct=False) == "50 (20–111)"


def test_display_table_escapes_cells_headers_and_caption():
    hostile = '<img src=x onerror="alert(1)">'
    t = T.display_table(
        pd.DataFrame({hostile: [hostile, "<script>x</script>"], "n": [1, 2]}),
        "hostile",
        caption=hostile,
        numeric=["n"],
        note=hostile,
    )
    page = t.to_html()
    assert "<img" not in page and "<script>" not in page
    assert page.count("&lt;img src=x onerror=") == 4  # header, cell, caption, note
    assert 'id="T_hostile"' in page
    assert t.to_html() == page  # fixed ids: the same table, the same markup
    assert hostile in repr(t)  # the plain text is the text itself


def test_section_escapes_its_texts():
    s = S.Section("x", "<b>t</b>", "<i>lead</i>", [S.note("<script>1</script>")])
    assert "<b>t</b>" not in s.html and "&lt;script&gt;" in s.html


# --------------------------------------------------------------------------- read once


def test_snapshot_round_trips_the_loaded_log(tmp_path, secret_log):
    rep = load_report(secret_log, skip_invalid=True)
    again = R.read_snapshot(R.write_snapshot(rep, tmp_path / "snap"))
    pd.testing.assert_frame_equal(again.data, rep.data)
    pd.testing.assert_frame_equal(again.skipped, rep.skipped)
    assert (again.rows_read, again.blank_rows, again.notes, again.source) == (
        rep.rows_read,
        rep.blank_rows,
        rep.notes,
        rep.source,
    )


def test_report_notebook_runs_on_the_snapshot_alone(tmp_path):
    # the log file is gone when the notebook runs: it can only have used the snapshot
    log = tmp_path / "gone.csv"
    log.write_text(
        "Date Sent,Platform,Status\n2026-10-01,Quillmail,Replied\n2026-10-02,Quillmail,Ghosted\n",
        encoding="utf-8",
    )
    snap = R.write_snapshot(load_report(log), tmp_path / "snap")
    log.unlink()
    nb = R._execute({"snapshot": str(snap), "source": str(log), "as_of": AS_OF})
    shown = "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
    )
    assert "Quillmail" in shown and 'id="T_table-channels"' in shown


# --------------------------------------------------------------------------- issue 9's sections


def test_report_stays_small(sample_html):
    assert len(sample_html.encode("utf-8")) < 5.5e6


def test_issue_9_charts_are_in_the_report(sample_html):
    for name in (
        "channel-comparison",
        "pitch-type-comparison",
        "next-win",
        "time-to-reply",
        "follow-up-lift",
        "benchmarks",
        "nos",
    ):
        assert f'id="chart-{name}"' in sample_html, name
    assert "REJECTION_GOAL" not in dir(S)


def _no_win_log():
    raw = pd.read_csv(sample_path())
    return raw[~raw["Status"].isin(["Won", "Hired", "Contract signed"])]


def test_zero_wins_show_at_least_the_lower_bound():
    from scipy.stats import beta

    report = load_report(_no_win_log())
    s = summarize(report, as_of=AS_OF)
    o = s["overall"]
    assert o["wins"] == 0 and o["pitches_per_win"]["value"] is None
    # independent: the Wilson upper bound of 0 wins in n is z² / (n + z²); L = 1 / that
    n, z2 = o["settled"], 1.959963984540054**2
    lower = (n + z2) / z2
    assert o["pitches_per_win"]["ci_low"] == pytest.approx(lower, rel=1e-9)
    page = S.headline_section(s).html
    assert f"≥ {lower:,.0f}" in page
    t = T.pitches_per_win_table(
        __import__("outreach_analytics").pitches_per_win(report.data, as_of=AS_OF)
    )
    assert t.frame["pitches per win"].iloc[0] == f"≥ {lower:,.0f}"
    # issue 19: no forecast below 3 wins (its tail rests on the prior), the floor instead
    nw_section = S.next_win_section(report.data, as_of=AS_OF)
    assert 'id="chart-next-win"' not in nw_section.html
    assert "% chance within" not in nw_section.html
    assert f"at least {lower:,.0f} pitches per win" in nw_section.html
    assert f"≥ {lower:,.0f}" in nw_section.html
    del beta


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://example.org/a?b=1&c=2", True),
        ("javascript:alert(1)", False),
        ("http://example.org", False),
        ("data:text/html,<script>1</script>", False),
        (" https:/no-host", False),
    ],
)
def test_benchmark_links_are_plain_https(url, kept):
    assert (S._https(url) is not None) is kept
    block = {"kind": "sources", "items": [{"text": "<b>x</b>", "url": S._https(url)}]}
    page = S.Section("benchmarks", "t", "l", [block]).html
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert ("href=" in page) is kept
    if kept:
        assert 'href="https://example.org/a?b=1&amp;c=2"' in page


def test_follow_ups_go_quiet_on_the_learned_ghosting_day():
    from outreach_analytics.analysis.survival import time_to_response

    log = load_report(sample_path())
    df, as_of = log.data, pd.Timestamp("2026-11-15")
    ghost = time_to_response(df, as_of=as_of).overall.ghosting_day  # checked vs statsmodels
    section = S.follow_ups_section(df, as_of=as_of, window=14)
    # the rule, written here: open "sent" rows never followed up, 5+ days old; due until
    # the ghosting day, gone quiet from it on
    age = (as_of - df["date"]).dt.days
    follow = pd.to_numeric(df["follow_ups"], errors="coerce").fillna(0)
    waiting = (
        (df["stage"].astype(str) == "sent")
        & (df["result"].astype(str) == "open")
        & (follow == 0)
        & (age >= 5)
    )
    quiet = int(-(-ghost // 1))
    due_rows = set(df.loc[waiting & (age < quiet), "source_row"])
    quiet_rows = set(df.loc[waiting & (age >= quiet), "source_row"])
    assert due_rows and quiet_rows and quiet < 14  # the sample learns a day before the window
    tables_ = [b["table"] for b in section.blocks if b["kind"] == "table"]
    assert set(tables_[0].frame["row in sheet"].str.replace(",", "").astype(int)) == due_rows
    details = next(b for b in section.blocks if b["kind"] == "details")
    assert f"{len(quiet_rows):,} pitches past day {quiet}," in details["summary"]
    quiet_table = details["blocks"][0]["table"].frame
    assert set(quiet_table["row in sheet"].str.replace(",", "").astype(int)) == quiet_rows
