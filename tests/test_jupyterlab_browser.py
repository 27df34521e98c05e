"""The notebooks in the real thing: JupyterLab, headless, in Debian's Chromium.

A JupyterLab server is started on 127.0.0.1 (a port the OS picked, a token, its own settings
with autosave off) on a temporary copy of ``notebooks/``. Each notebook is opened in Chromium
through playwright, all its cells are run, and the page is checked: no cell ended in an
error, every plotly figure drew an SVG of non-zero size inside ``.js-plotly-plot``, every
HTML table output is drawn as an HTML ``<table>`` (and every notebook shows at least
one), the check cells ran without output and with their code folded, no plain-text output
repeats a drawn table (its caption or its header row), and the browser asked nothing of any host but 127.0.0.1. The notebooks are never
saved: the copies are byte for byte the same afterwards. Screenshots and the run times go
to ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from processes import stop

from outreach_analytics.lab import lab_command

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))
ARTIFACTS = Path(__file__).parent / "artifacts"
LOCAL = {"127.0.0.1"}


def _host(url: str) -> str | None:
    """The host a request goes to; a ``blob:`` URL belongs to the page that made it, a
    ``data:`` URL goes nowhere."""
    if url.startswith("data:"):
        return "127.0.0.1"
    return urlparse(url.removeprefix("blob:")).hostname


def _shut_down_kernels(url: str, token: str) -> None:
    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=30) as r:
        sessions = json.load(r)
    for s in sessions:
        req = urllib.request.Request(f"{url}/api/sessions/{s['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(req, timeout=60).close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab on a copy of the notebooks: (base URL, token, folder)."""
    base = tmp_path_factory.mktemp("lab")
    work = base / "notebooks"
    work.mkdir()
    for name in NOTEBOOKS:
        shutil.copy2(ROOT / "notebooks" / name, work / name)
    settings = base / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    # every cell in the page (no windowing), so every figure can be found drawn
    tracker = base / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = base / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    token, port = secrets.token_hex(16), _free_port()
    env = dict(
        os.environ, JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_RUNTIME_DIR=str(base / "rt")
    )
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    cmd = lab_command(
        work,
        port=port,
        open_browser=False,
        extra=[
            f"--IdentityProvider.token={token}",
            "--ServerApp.port_retries=0",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={base / 'settings'}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
        ],
    )
    log = open(base / "lab.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=base)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"JupyterLab did not start:\n{(base / 'lab.log').read_text()[-3000:]}")
        time.sleep(0.5)
    before = {n: (work / n).read_bytes() for n in NOTEBOOKS}
    yield url, token, work
    stop(proc)
    log.close()
    for n in NOTEBOOKS:  # nothing was saved
        assert (work / n).read_bytes() == before[n], f"{n} was saved"


_DONE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.sessionContext || !w.sessionContext.session) return false;
  const k = w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  return w.content.widgets.every(
    c => c.model.type !== 'code' || (c.model.executionCount !== null && !c.promptNode?.textContent?.includes('*')));
}"""

_STATE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const outputs = [];
  for (const c of w.content.widgets) {
    if (c.model.type !== 'code') continue;
    for (let i = 0; i < c.model.outputs.length; i++) outputs.push(c.model.outputs.get(i).toJSON());
  }
  const errors = outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue);
  const plotly = outputs.filter(o => o.data && o.data['application/vnd.plotly.v1+json']).length;
  const html = outputs.filter(o => o.data && (o.data['text/html'] || '').includes('<table')).length;
  const svgs = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .js-plotly-plot'))
    .map(d => d.querySelector('svg.main-svg'))
    .filter(s => s && s.getBoundingClientRect().width > 0 && s.getBoundingClientRect().height > 0).length;
  const tables = document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output table').length;
  const texts = Array.from(document.querySelectorAll('.jp-OutputArea-output pre'))
    .map(p => p.textContent).filter(t => t.includes('DisplayTable') || t.includes('Styler object'));
  // the check cells (tagged "check") assert in silence: no output, and their code folded away
  const tags = c => (c.model.getMetadata ? c.model.getMetadata('tags') : c.model.metadata.get('tags')) || [];
  const checks = w.content.widgets.filter(c => c.model.type === 'code' && tags(c).includes('check'));
  const loudChecks = checks.filter(c => c.model.outputs.length > 0 || !c.inputHidden).length;
  // no table printed twice: no plain-text output repeats a drawn table's caption or header row
  const panel = '.jp-NotebookPanel:not(.lm-mod-hidden) ';
  const pres = Array.from(document.querySelectorAll(panel + '.jp-OutputArea-output pre'))
    .map(p => p.textContent);
  const twice = Array.from(document.querySelectorAll(panel + '.jp-OutputArea-output table'))
    .filter(t => {
      const cap = t.caption ? t.caption.textContent.trim() : '';
      const heads = Array.from(t.querySelectorAll('thead th')).map(h => h.textContent.trim())
        .filter(Boolean);
      return pres.some(p => (cap && p.includes(cap)) || (heads.length > 1 && p.split('\\n').some(
        line => heads.every(h => line.includes(h)))));
    })
    .map(t => t.caption ? t.caption.textContent.trim() : t.id);
  return {errors, plotly, html, svgs, tables, texts, checks: checks.length, loudChecks, twice,
          cells: w.content.widgets.length};
}"""


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(lab, browser, name):
    url, token, work = lab
    hosts: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.on("request", lambda r: hosts.append(_host(r.url)))
    page.on("websocket", lambda ws: hosts.append(_host(ws.url)))
    try:
        # a workspace of its own, reset: only this notebook opens
        page.goto(
            f"{url}/lab/workspaces/t-{name[:2]}/tree/{name}?reset&token={token}",
            wait_until="domcontentloaded",
        )
        page.wait_for_function(
            """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                 return w && w.sessionContext && w.sessionContext.session
                        && w.sessionContext.session.kernel
                        && w.sessionContext.session.kernel.status === 'idle'; }""",
            timeout=120_000,
        )
        start = time.monotonic()
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_timeout(1000)
        page.wait_for_function(_DONE, timeout=300_000, polling=500)
        seconds = time.monotonic() - start
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
            ".js-plotly-plot svg.main-svg').length >= n",
            arg=page.evaluate(_STATE)["plotly"],
            timeout=120_000,
        )
        state = page.evaluate(_STATE)
        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.widgets[0].node.scrollIntoView()"
        )
        stem = name.removesuffix(".ipynb")
        page.screenshot(path=str(ARTIFACTS / f"lab-{stem}.png"))
        if state["plotly"]:
            page.evaluate(
                "() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) "
                ".js-plotly-plot').closest('.jp-Cell').scrollIntoView()"
            )
            page.screenshot(path=str(ARTIFACTS / f"lab-{stem}-chart.png"))
        with open(ARTIFACTS / "lab-timings.txt", "a", encoding="utf-8") as f:
            f.write(f"{name}\t{seconds:.1f} s\t{state}\n")
    finally:
        context.close()
        _shut_down_kernels(url, token)
    assert not state["errors"], state["errors"]
    assert state["svgs"] >= state["plotly"] > 0, state
    assert state["tables"] >= state["html"], state
    assert state["html"] >= 1, state  # every notebook shows at least one rich table
    assert not state["texts"], state["texts"]
    # the article only: check cells run silently, folded, and no table is printed a second time
    assert state["checks"] >= 1 and state["loudChecks"] == 0, state
    assert not state["twice"], state["twice"]
    assert set(hosts) <= LOCAL, sorted(set(hosts) - LOCAL)
