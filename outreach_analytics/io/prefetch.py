"""Reading a plain CSV file in a thread while the rest of the program is still importing.

``summary`` of a big CSV spends its first half second importing pandas, which holds the
interpreter; pyarrow parses a CSV without it. :func:`prefetch_csv` starts that parse in a
thread *before* pandas is imported, on a first guess of the delimiter, and the reader that
needs the table (:mod:`outreach_analytics.analysis.fast_counts`) takes it only if the full
reader's own header and delimiter detection agree with the guess. This module imports
neither pandas nor numpy.
"""

from __future__ import annotations

import mmap
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["Prefetch", "prefetch_csv"]

_SUFFIXES = (".csv", ".tsv", ".txt")


class Prefetch:
    """A CSV being read by pyarrow in a thread: every column, dictionary-encoded.

    Attributes
    ----------
    path : Path
        The file.
    delimiter : str
        The delimiter guessed from the first line.
    width : int
        The number of cells of the first line (the header).
    """

    def __init__(self, path: Path, delimiter: str, width: int):
        self.path = path
        self.delimiter = delimiter
        self.width = width
        self._table: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="csv-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with (
                open(self.path, "rb") as fh,
                mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm,
            ):
                if mm.find(b'"') != -1:
                    raise ValueError("quoted cells")  # the full reader's business
            import pyarrow as pa
            import pyarrow.csv as pacsv

            names = [f"c{i}" for i in range(self.width)]
            self._table = pacsv.read_csv(
                self.path,
                read_options=pacsv.ReadOptions(
                    encoding="utf8", skip_rows=1, column_names=names, block_size=16 << 20
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter, ignore_empty_lines=False, newlines_in_values=False
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.dictionary(pa.int32(), pa.string()) for n in names},
                    strings_can_be_null=True,
                    null_values=[""],
                ),
            )
        except BaseException as err:  # noqa: BLE001 - handed to whoever asks for the table
            self._error = err

    def table(self, delimiter: str, width: int) -> Any:
        """The pyarrow table, if it was read with ``delimiter`` and ``width``; else ``None``.

        ``None`` too when the read failed (a quote in the file, a row of another width, a
        cell that is not UTF-8...): the caller then reads the file its own way.
        """
        self._thread.join()
        if self._error is not None or (delimiter, width) != (self.delimiter, self.width):
            return None
        return self._table


def prefetch_csv(source: Any) -> Prefetch | None:
    """Start reading ``source`` in a thread when it is a plain CSV/TSV file, else ``None``.

    Examples
    --------
    >>> from outreach_analytics.sample import sample_path
    >>> ahead = prefetch_csv(sample_path())
    >>> ahead.delimiter, ahead.table(",", 11).num_rows
    (',', 1000)
    >>> prefetch_csv("https://docs.google.com/spreadsheets/d/KEY") is None
    True
    """
    if not isinstance(source, (str, os.PathLike)):
        return None
    path = Path(source)
    try:
        if path.suffix.casefold() not in _SUFFIXES or not path.is_file():
            return None
        with open(path, "rb") as fh:
            first = fh.readline(1 << 16)
    except OSError:
        return None
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0 or '"' in line:
        return None
    return Prefetch(path, delimiter, counts[delimiter] + 1)
