"""JupyterLab on your own log: copy the article notebooks into a workspace and open them.

:func:`prepare_workspace` copies the article notebooks (01–04) into a folder with ``SOURCE``
and ``AS_OF`` set in each one's ``parameters`` cell. A copy the user has edited since it was
written is never overwritten unless ``force=True``: each copy records a fingerprint of the
cells it was written with, and a copy whose cells no longer match is the user's. Running a
notebook (outputs) does not count as an edit. :func:`start_lab` starts JupyterLab in a
folder with this environment's Python as the kernel; JupyterLab prints the URL to open.

``python -m outreach_analytics.lab FOLDER`` starts JupyterLab on a folder as it is (that is
what ``make lab`` does for ``notebooks/``).

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     first = prepare_workspace("my_log.csv", d, as_of="2024-06-30")
...     again = prepare_workspace("my_log.csv", d, as_of="2024-06-30")
>>> first["action"].unique().tolist(), again["action"].unique().tolist()
(['written'], ['unchanged'])
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

__all__ = [
    "ARTICLES",
    "DEFAULT_FOLDER",
    "article_folder",
    "prepare_workspace",
    "set_parameters",
    "start_lab",
]

#: The notebooks copied into a workspace: the short articles that run on any log.
ARTICLES = (
    "01_quickstart.ipynb",
    "02_which_pitches_convert.ipynb",
    "03_pitches_per_win.ipynb",
    "04_rejection_challenge.ipynb",
)
#: Where ``outreach-analytics lab`` puts the copies, relative to the working directory.
DEFAULT_FOLDER = "outreach-notebooks"

_HERE = Path(__file__).resolve().parent
_META = "outreach_analytics"


def article_folder() -> Path:
    """The folder holding the article notebooks: the copy in an installed wheel, else the
    source tree's ``notebooks/``.

    Examples
    --------
    >>> (article_folder() / ARTICLES[0]).is_file()
    True
    """
    for folder in (_HERE / "_notebooks", _HERE.parent / "notebooks"):
        if (folder / ARTICLES[0]).is_file():
            return folder
    raise FileNotFoundError(
        "The article notebooks are missing from the installation. Fix: reinstall "
        "outreach-analytics."
    )


def _source_text(source: str | os.PathLike | None) -> str | None:
    if source is None:
        return None
    text = os.fspath(source)
    if "://" in text or text.startswith("gsheet:"):
        return text
    return str(Path(text).expanduser().resolve())


def set_parameters(nb, source: str | os.PathLike | None, as_of) -> None:
    """Set ``SOURCE`` and ``AS_OF`` in the notebook's ``parameters`` cell (in place).

    ``source`` None keeps the bundled sample; ``as_of`` None means today when it runs.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> cell = nbformat.v4.new_code_cell('SOURCE = oa.sample_path()  # or a file\\nAS_OF = "x"')
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nb.cells = [cell]
    >>> set_parameters(nb, "https://docs.google.com/spreadsheets/d/K", "2024-06-30")
    >>> print(nb.cells[0].source)
    SOURCE = 'https://docs.google.com/spreadsheets/d/K'
    AS_OF = '2024-06-30'
    """
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise ValueError("The notebook has no cell tagged 'parameters'.")
    day = None if as_of is None else pd.Timestamp(as_of).date().isoformat()
    values = {"AS_OF": repr(day)}
    if source is not None:
        values["SOURCE"] = repr(_source_text(source))
    lines = []
    for line in cells[0].source.splitlines():
        name = line.split("=", 1)[0].strip()
        lines.append(f"{name} = {values[name]}" if "=" in line and name in values else line)
    cells[0].source = "\n".join(lines)


def _fingerprint(nb) -> str:
    text = "\x00".join(f"{c.cell_type}\x01{c.source}" for c in nb.cells)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def prepare_workspace(
    source: str | os.PathLike | None = None,
    folder: str | os.PathLike = DEFAULT_FOLDER,
    *,
    as_of=None,
    force: bool = False,
) -> pd.DataFrame:
    """Copy the article notebooks into ``folder`` with ``SOURCE`` and ``AS_OF`` set.

    Parameters
    ----------
    source : str or path, optional
        The log (file or Google Sheets URL); None keeps the bundled sample.
    folder : str or path, default "outreach-notebooks"
        The workspace; created if missing.
    as_of : date-like, optional
        Count as of this day; None means "today" whenever the notebook runs.
    force : bool, default False
        Overwrite copies the user has edited.

    Returns
    -------
    pandas.DataFrame
        One row per notebook: ``notebook`` (its path) and ``action``: ``written``,
        ``unchanged``, ``updated`` (not edited, new parameters), ``kept`` (edited by the
        user, left as it was) or ``overwritten`` (edited, replaced because of ``force``).
    """
    import nbformat

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in ARTICLES:
        nb = nbformat.read(article_folder() / name, as_version=4)
        set_parameters(nb, source, as_of)
        nb.metadata[_META] = {"fingerprint": _fingerprint(nb)}
        target = out / name
        action = "written"
        if target.exists():
            old = nbformat.read(target, as_version=4)
            written = old.metadata.get(_META, {}).get("fingerprint")
            if _fingerprint(old) == nb.metadata[_META]["fingerprint"]:
                action = "unchanged"
            elif written == _fingerprint(old):
                action = "updated"
            else:
                action = "overwritten" if force else "kept"
        if action in ("written", "updated", "overwritten"):
            nbformat.write(nb, target)
        rows.append({"notebook": str(target), "action": action})
    return pd.DataFrame(rows)


def lab_command(
    folder: str | os.PathLike,
    *,
    port: int | None = None,
    open_browser: bool = True,
    extra: list[str] | None = None,
) -> list[str]:
    """The command that starts JupyterLab on ``folder`` with this Python.

    Examples
    --------
    >>> lab_command("nb", port=8899, open_browser=False)[1:3]
    ['-m', 'jupyterlab']
    """
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={Path(folder).resolve()}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.open_browser={open_browser}",
        # nothing fetched from the internet behind the user's back
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # e.g. in a container
        cmd.append("--ServerApp.allow_root=True")
    if port is not None:
        cmd.append(f"--ServerApp.port={port}")
    return cmd + list(extra or [])


def start_lab(
    folder: str | os.PathLike, *, port: int | None = None, open_browser: bool = True
) -> int:
    """Start JupyterLab on ``folder``: on POSIX this process becomes JupyterLab; elsewhere it
    waits until JupyterLab stops and returns its exit code.

    The kernel is this environment's Python (its ``bin`` folder first on ``PATH``), so the
    notebooks import this installation of outreach-analytics. JupyterLab prints the URL
    (with its token) to open.
    """
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        from .errors import OutreachDataError

        raise OutreachDataError(
            "JupyterLab is not installed in this environment. Fix: pip install "
            "'outreach-analytics[lab]' (or run `make lab` in a clone of the project)."
        ) from None
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    sys.stderr.write(
        f"Starting JupyterLab in {Path(folder).resolve()} — open the http://127.0.0.1 URL it "
        "prints below; Ctrl-C stops it.\n"
    )
    sys.stderr.flush()
    cmd = lab_command(folder, port=port, open_browser=open_browser)
    if os.name == "posix":  # become JupyterLab: Ctrl-C and signals reach it, nothing is left over
        os.execve(cmd[0], cmd, env)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":  # pragma: no cover - `make lab`
    raise SystemExit(start_lab(sys.argv[1] if len(sys.argv) > 1 else "notebooks"))
