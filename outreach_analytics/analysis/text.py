"""Counts in words: one rule for "1 win" and "2 wins" in every sentence the package writes.

The verdicts (analysis), the report's sections (present) and the CLI's summary (cli) all
say counts through :func:`plural`, so that no sentence reads "1 offers".
"""

from __future__ import annotations

__all__ = ["plural"]


def plural(n: int, word: str, many: str | None = None, *, grouped: bool = True) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1; thousands with a comma.

    Parameters
    ----------
    n : int
        The count.
    word : str
        The singular.
    many : str, optional
        The plural, when it is not ``word + "s"``.
    grouped : bool, default True
        Thousands with a comma; False writes ``1000`` (as the terminal's tables do).

    Examples
    --------
    >>> plural(1, "win"), plural(0, "win"), plural(1200, "pitch", "pitches")
    ('1 win', '0 wins', '1,200 pitches')
    >>> plural(1, "reply", "replies"), plural(3, '"no"'), plural(1000, "row", grouped=False)
    ('1 reply', '3 "no"s', '1000 rows')
    """
    n = int(n)
    return f"{n:{',' if grouped else ''}} {word if n == 1 else (many or word + 's')}"
