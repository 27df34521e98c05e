"""The shareable HTML report: the log loaded once, a notebook executed, exported with code hidden.

:func:`render_report` starts a kernel of this very Python first (:mod:`.kernel`; it imports
what the notebook needs meanwhile), loads the log (a log that cannot be used raises, and the
kernel is stopped before it saw any of it), writes what was loaded to a parquet snapshot,
runs the report notebook (``templates/report.ipynb``, package data, parameterized by
papermill) on that snapshot in the kernel, then exports it with nbconvert and the
``templates/report.html.j2`` page: code cells and prompts hidden, plotly.js embedded once in
the page head, and nothing fetched from the network, so the file opens offline.
:func:`write_report` writes that string to a file.

What each section shows is in :mod:`outreach_analytics.present.sections` (laid out by
``templates/section.html.j2``) and its tables in :mod:`outreach_analytics.present.tables`;
this module only orchestrates.

Examples
--------
>>> rep = load_for_report()
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     again = read_snapshot(write_snapshot(rep, d))
>>> again.rows_used == rep.rows_used and again.data.equals(rep.data)
True
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutreachDataError
from .kernel import Kernel

# pandas and the analysis modules are imported where they are used: render_report starts
# the report's kernel first, and the kernel boots while this process imports them
if TYPE_CHECKING:
    import pandas as pd

    from ..model.normalize import LoadReport

__all__ = [
    "anonymize",
    "load_for_report",
    "notebook_path",
    "pseudonyms",
    "read_snapshot",
    "render_report",
    "write_report",
    "write_snapshot",
]

_TEMPLATE_NAME = "report.html.j2"
TEMPLATES = Path(__file__).resolve().parent / "templates"  # as sections.TEMPLATES


def notebook_path() -> Path:
    """The report notebook, package data next to the page templates.

    Examples
    --------
    >>> notebook_path().name
    'report.ipynb'
    """
    path = TEMPLATES / "report.ipynb"
    if not path.is_file():
        raise FileNotFoundError(
            f"The report notebook is missing ({path}). Fix: reinstall outreach-analytics."
        )
    return path


# --------------------------------------------------------------------------- anonymizing


def pseudonyms(clients: pd.Series) -> dict[str, str]:
    """Stable pseudonyms for client names: ``Client 001``, ``Client 002``… by first appearance.

    The same name always gets the same pseudonym within a log; names are compared as
    written, after stripping surrounding spaces.

    Examples
    --------
    >>> import pandas as pd
    >>> pseudonyms(pd.Series(["Acme", "Birch", "Acme", None, " Birch"]))
    {'Acme': 'Client 001', 'Birch': 'Client 002'}
    """
    import pandas as pd

    names = clients.dropna().astype("str").str.strip()
    names = names[names != ""]
    width = max(3, len(str(names.nunique())))
    return {name: f"Client {i:0{width}d}" for i, name in enumerate(pd.unique(names), start=1)}


def anonymize(report: LoadReport) -> LoadReport:
    """A copy of a loaded log with client names replaced by pseudonyms and notes dropped.

    Skipped values that are a client name or a note (or sit in the client or notes
    column) are replaced too, and client names quoted in the loader's notes.

    Examples
    --------
    >>> import outreach_analytics as oa
    >>> rep = anonymize(oa.load_report(oa.sample_path()))
    >>> rep.data["client"].str.match(r"Client \\d{3}$").all(), rep.data["notes"].isna().all()
    (np.True_, np.True_)
    """
    import pandas as pd

    df = report.data
    names = pseudonyms(df["client"]) if "client" in df.columns else {}
    data = df.copy()
    if "client" in data.columns:
        data["client"] = data["client"].astype("str").str.strip().map(names).astype("str")
        data.loc[df["client"].isna().to_numpy(), "client"] = pd.NA
    if "notes" in data.columns:
        data["notes"] = pd.Series(pd.NA, index=data.index, dtype="str")
    secret = set(names)
    if "notes" in df.columns:
        secret |= set(df["notes"].dropna().astype("str").str.strip())
    secret.discard("")
    private_cols = {"client", "notes"}
    for key in ("client", "notes"):
        private_cols.update(report.columns.get(key, []))
    skipped = report.skipped.copy()
    if len(skipped):
        hide = skipped["column"].isin(private_cols) | skipped["value"].astype(
            "str"
        ).str.strip().isin(secret)
        skipped["value"] = skipped["value"].astype("str").where(~hide, "(hidden)")
    notes = list(report.notes)
    for name in sorted(names, key=len, reverse=True):
        notes = [n.replace(name, names[name]) for n in notes]
    return dataclasses.replace(report, data=data, skipped=skipped, notes=notes)


def load_for_report(
    source: str | os.PathLike | None = None,
    *,
    mapping: str | os.PathLike | None = None,
    columns: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    anonymize: bool = False,
    date_order: str | None = None,
    sheet: str | int | None = None,
) -> LoadReport:
    """Load a log as the report does: the bundled sample when no source is given.

    Examples
    --------
    >>> rep = load_for_report(anonymize=True)
    >>> rep.rows_used
    1000
    """
    from ..model.load import load_report

    if source is None:
        from ..sample import sample_path

        source = sample_path()
    rep = load_report(
        source,
        mapping=mapping,
        columns=dict(columns or {}),
        skip_invalid=skip_invalid,
        date_order=date_order,
        sheet=sheet,
    )
    return _anonymize(rep) if anonymize else rep


_anonymize = anonymize


# --------------------------------------------------------------------------- the snapshot


def write_snapshot(report: LoadReport, folder: str | os.PathLike) -> Path:
    """Write a loaded log to ``folder`` (its frames as parquet, the rest as JSON).

    The report notebook reads it back with :func:`read_snapshot` instead of reading the
    source a second time (a Google Sheet is fetched once per report).

    Returns
    -------
    pathlib.Path
        The snapshot's folder.
    """
    import pandas as pd

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {"_datetimes": {}}
    for f in dataclasses.fields(report):
        value = getattr(report, f.name)
        if isinstance(value, pd.DataFrame):
            value.to_parquet(out / f"{f.name}.parquet")
            # parquet has no second resolution: the unit is restored on reading
            meta["_datetimes"][f.name] = {
                c: str(t) for c, t in value.dtypes.items() if str(t).startswith("datetime64")
            }
        else:
            meta[f.name] = value
    (out / "meta.json").write_text(json.dumps(meta, default=str), encoding="utf-8")
    return out


def read_snapshot(folder: str | os.PathLike) -> LoadReport:
    """The :class:`~outreach_analytics.LoadReport` that :func:`write_snapshot` wrote."""
    import pandas as pd

    from ..model.normalize import LoadReport

    path = Path(folder)
    values = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    datetimes = values.pop("_datetimes", {})
    for frame in path.glob("*.parquet"):
        values[frame.stem] = pd.read_parquet(frame).astype(datetimes.get(frame.stem, {}))
    return LoadReport(**values)


# --------------------------------------------------------------------------- rendering

#: What the report's kernel runs while this process reads the log: the imports of
#: ``report.ipynb`` and of the modules its sections import lazily.
_WARM_UP = """\
import outreach_analytics.analysis.summary
from outreach_analytics.present import report, sections
sections.preload()
"""


def _parameterized(parameters: Mapping[str, Any], notebook=None):
    """The report notebook with papermill's ``injected-parameters`` cell after its parameters."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook or notebook_path()))
    if parameters:
        nb = parameterize_notebook(nb, dict(parameters), kernel_name="python3", language="python")
    return nb


def _result(running):
    """The executed notebook; an OutreachDataError raised in the kernel re-raised as is."""
    from nbclient.exceptions import CellExecutionError

    try:
        return running.result()
    except CellExecutionError as err:
        if err.ename == "OutreachDataError":
            raise OutreachDataError(str(err.evalue)) from None
        raise


def _execute(parameters: Mapping[str, Any], *, progress: bool = False, notebook=None):
    """Run the report notebook (or ``notebook``) with ``parameters`` in a kernel of this Python."""
    with Kernel() as kernel:
        return _result(kernel.execute(_parameterized(parameters, notebook), progress=progress))


def _exporter():
    """nbconvert's HTML exporter with the report's template: code and prompts hidden.

    It exports a one-cell notebook once, so that its templates are compiled while the
    report's notebook still runs.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="classic",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[jinja2.FileSystemLoader(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    html = nbformat.v4.new_output("display_data", data={"text/html": "<p>warm-up</p>"})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[html])])
    exporter.from_notebook_node(nb, resources=_resources("", plotlyjs=""))
    return exporter


def _resources(title: str, *, plotlyjs: str | None = None) -> dict:
    """What the page template needs besides the notebook: title, CSS, plotly.js."""
    if plotlyjs is None:
        from plotly.offline import get_plotlyjs

        plotlyjs = get_plotlyjs()
    return {
        "report_title": title,
        "report_css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
        "report_plotlyjs": plotlyjs,
        "metadata": {"name": title},
    }


def _export(nb, title: str, exporter=None) -> str:
    """The executed notebook as one self-contained HTML page, plotly.js in its head."""
    shown = nb.copy()
    # cells without output (parameters, loading) would leave empty divs, and papermill's
    # injected cell a random id: keep only the cells that show something
    shown.cells = [c for c in nb.cells if c.get("outputs")]
    body, _ = (exporter or _exporter()).from_notebook_node(shown, resources=_resources(title))
    return body


def render_report(
    source: str | os.PathLike | None = None,
    *,
    as_of=None,
    window: int = 14,  # analysis.metrics.DEFAULT_WINDOW, not imported before the kernel starts
    goal: float | None = None,
    anonymize: bool = False,
    mapping: str | os.PathLike | None = None,
    columns: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    date_order: str | None = None,
    sheet: str | int | None = None,
    progress: bool = False,
) -> str:
    """Render the HTML report of a log and return it as a string.

    The report's kernel is started first and imports what the notebook needs while the
    log is read, once, here: a log that cannot be used raises
    :class:`~outreach_analytics.errors.OutreachDataError` (with its table of failures) and
    the kernel is stopped before it ran anything of the log; the log is anonymized here when
    asked, so client names never reach the kernel. ``report.ipynb`` then runs on a parquet
    snapshot of it and is exported with code hidden while the kernel shuts down.

    Parameters
    ----------
    source : str or path, optional
        A CSV/TSV or ``.xlsx`` file or a Google Sheets URL; default the bundled sample.
    as_of : date-like, optional
        Count as of this day; default today.
    window : int, default 14
        Days a pitch may wait for an answer before it counts as no response.
    goal : float, optional
        Actions per week the user aims for.
    anonymize : bool, default False
        Replace client names by pseudonyms (``Client 001``…) and drop notes.
    mapping, columns, skip_invalid, date_order, sheet
        As for :func:`outreach_analytics.load_report`.
    progress : bool, default False
        Show a progress bar of the notebook's cells on stderr.

    Returns
    -------
    str
        A complete HTML document that needs no network.
    """
    if goal is not None and not goal > 0:
        raise OutreachDataError(
            f"--goal must be a positive number of actions per week; got {goal}."
        )
    with Kernel(_WARM_UP) as kernel:
        from ..analysis.metrics import resolve_as_of

        day = resolve_as_of(as_of)
        loader = {
            "mapping": mapping,
            "columns": columns,
            "skip_invalid": skip_invalid,
            "date_order": date_order,
            "sheet": sheet,
        }
        log = load_for_report(source, anonymize=anonymize, **loader)  # the one read of the log
        params = {
            "source": log.source,
            "as_of": day.date().isoformat(),
            "window": int(window),
            "goal": goal,
        }
        with tempfile.TemporaryDirectory(prefix="outreach-report-") as tmp:
            params["snapshot"] = str(write_snapshot(log, Path(tmp) / "log"))
            running = kernel.execute(_parameterized(params), progress=progress)
            exporter = _exporter()  # import nbconvert while the notebook runs
            nb = _result(running)
        return _export(nb, f"Outreach report, as of {day.date().isoformat()}", exporter)


def write_report(
    path: str | os.PathLike, source: str | os.PathLike | None = None, **options: Any
) -> Path:
    """Render the report (see :func:`render_report`) and write it to ``path`` as UTF-8.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    out = Path(path)
    text = render_report(source, **options)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
