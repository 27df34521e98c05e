"""The local copy of every Google Sheet read, for ``--offline`` and for outages.

Each tab read is stored as a parquet file of its cells (text as the sheet shows them) under
the user's cache folder (``platformdirs``; on Linux ``~/.cache/outreach-analytics``), one
folder per spreadsheet key, one file per tab (named by the tab's gid), with the tab's title
and the time it was read in the file's metadata. A read that names no tab (no worksheet,
no ``#gid=``) also records which tab it read and why (``default.json``): the reader chose
it by its cells, so ``--offline`` without a tab gives that tab again, never another one
(a folder cached before that record existed gives nothing for such a read, unless the
sheet has a single tab). Files are written atomically with mode
0600 (folders 0700): a log holds client names. Only cell values are stored: never a token
or a credential.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "store_tabs", "load_tabs", "describe_age", "CachedTab", "FIRST_TAB"]

#: The file name used for "the first tab" of a sheet read through its export without a gid.
FIRST_TAB = -1
_META = b"outreach_analytics"
_SAFE = re.compile(r"[^\w-]")


def cache_dir() -> Path:
    """The folder holding cached sheets (``platformdirs.user_cache_dir``).

    >>> cache_dir().name
    'sheets'
    """
    import platformdirs

    return Path(platformdirs.user_cache_dir("outreach-analytics", appauthor=False)) / "sheets"


def _book_dir(key: str) -> Path:
    return cache_dir() / _SAFE.sub("_", key)


@dataclass(frozen=True)
class CachedTab:
    """One tab as cached: its id, title, position and cells."""

    gid: int
    title: str
    index: int
    grid: list[list[str]]


def _private_write(path: Path, write: Any) -> None:
    """Write through ``write(file)`` to a 0600 temporary file, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)  # no fsync: a copy cut short by a crash is only a cache miss
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store_tabs(
    key: str,
    book: str | None,
    tabs: list[tuple[int, str, int]] | None,
    read: list[tuple[Any, list[list[Any]]]],
    read_at: dt.datetime,
    *,
    default: tuple[int, str | None] | None = None,
) -> None:
    """Cache the tabs just read; ``tabs`` (gid, title, index) lists every tab of the sheet.

    ``default`` is ``(gid, note)`` for a read that named no tab: the tab read, and the
    reader's note saying why; a later :func:`load_tabs` naming no tab gives that tab.
    A cache that cannot be written (read-only home, full disk) never fails a read.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = _book_dir(key)
    try:
        for tab, grid in read:
            width = max((len(r) for r in grid), default=0) or 1
            cols = {
                f"c{j}": [str(r[j]) if j < len(r) else None for r in grid] for j in range(width)
            }
            meta = {"gid": tab.gid, "title": tab.title, "index": tab.index, "book": book}
            meta["read_at"] = read_at.isoformat()
            table = pa.table(
                {k: pa.array(v, pa.string()) for k, v in cols.items()},
            ).replace_schema_metadata({_META: json.dumps(meta)})
            _private_write(folder / f"{tab.gid}.parquet", lambda fh, t=table: pq.write_table(t, fh))
        if tabs is not None:
            index = {"book": book, "read_at": read_at.isoformat(), "tabs": tabs}
            data = json.dumps(index).encode()
            _private_write(folder / "tabs.json", lambda fh: fh.write(data))
        if default is not None:
            chosen = json.dumps({"gid": default[0], "note": default[1]}).encode()
            _private_write(folder / "default.json", lambda fh: fh.write(chosen))
    except OSError:
        pass


def _read_tab(path: Path) -> tuple[CachedTab, dict] | None:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError):
        return None
    meta = json.loads((table.schema.metadata or {}).get(_META, b"{}"))
    cols = [table.column(i).to_pylist() for i in range(table.num_columns)]
    grid = [[c if c is not None else "" for c in row] for row in zip(*cols, strict=True)]
    grid = [r[: max((i + 1 for i, c in enumerate(r) if c), default=0)] for r in grid]
    return CachedTab(int(meta["gid"]), meta["title"], int(meta["index"]), grid), meta


def load_tabs(
    key: str, *, sheet: Any = None, gid: int | None = None, all_tabs: bool = False
) -> tuple[str | None, list[CachedTab], dt.datetime, str | None] | None:
    """The cached tabs a read asks for, the sheet's title, when they were read (oldest) and,
    for a read naming no tab, the note of the read that chose it.

    With no ``sheet``, ``gid`` nor ``all_tabs``: the tab the last read naming no tab read
    (see :func:`store_tabs`), else the only tab of a one-tab sheet. ``None`` when the
    cache does not hold what is asked for.
    """
    folder = _book_dir(key)
    if not folder.is_dir():
        return None
    found, note = {}, None
    for p in folder.glob("*.parquet"):
        got = _read_tab(p)
        if got is not None:
            found[got[0].gid] = got
    if not found:
        return None
    try:
        index = json.loads((folder / "tabs.json").read_text(encoding="utf-8"))
        order = [int(t[0]) for t in index["tabs"]]
    except (OSError, ValueError, KeyError):
        index, order = {}, sorted(g for g in found if g != FIRST_TAB)
    if all_tabs:
        chosen = [found[g] for g in order if g in found]
    elif sheet is not None:
        chosen = [v for v in found.values() if v[0].title == str(sheet)]
        if not chosen and str(sheet).isdigit() and int(sheet) < len(order):
            chosen = [found[order[int(sheet)]]] if order[int(sheet)] in found else []
    elif gid is not None:
        chosen = [found[gid]] if gid in found else []
    else:
        try:
            default = json.loads((folder / "default.json").read_text(encoding="utf-8"))
            picked, note = int(default["gid"]), default.get("note")
        except (OSError, ValueError, KeyError, TypeError):
            # no record of a choice: only a sheet of one tab (or its export) is unambiguous
            picked = order[0] if index and len(order) == 1 else FIRST_TAB
        chosen = [found[picked]] if picked in found else []
    if not chosen:
        return None
    read_at = min(dt.datetime.fromisoformat(m["read_at"]) for _, m in chosen)
    book = index.get("book") or chosen[0][1].get("book")
    return book, [t for t, _ in chosen], read_at, note


def describe_age(read_at: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long ago, in words, with the time read.

    >>> t = dt.datetime(2026, 11, 29, 2, 0, tzinfo=dt.UTC)
    >>> describe_age(t, now=t + dt.timedelta(hours=3, minutes=5))
    '3 h 5 min ago (read 2026-11-29 02:00 UTC)'
    >>> describe_age(t, now=t + dt.timedelta(days=2, hours=1))
    '2 days ago (read 2026-11-29 02:00 UTC)'
    """
    now = now or dt.datetime.now(dt.UTC)
    secs = max(0, int((now - read_at).total_seconds()))
    if secs < 60:
        ago = "less than a minute ago"
    elif secs < 3600:
        ago = f"{secs // 60} min ago"
    elif secs < 86400:
        ago = f"{secs // 3600} h {secs % 3600 // 60} min ago"
    else:
        ago = f"{secs // 86400} day{'s' if secs >= 172800 else ''} ago"
    return f"{ago} (read {read_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC)"
