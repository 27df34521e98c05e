"""Which source column each canonical column is read from: the user's mapping, then the
headers recognised by their aliases."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..errors import OutreachDataError
from ..words import column_aliases
from .schema import INPUT_COLUMNS, header_key


def canonical_names(
    columns: Mapping[str, str | Sequence[str]] | None,
) -> dict[str, str | Sequence[str]]:
    """The user's column mapping with ``outcome`` read as ``status``."""
    out: dict[str, str | Sequence[str]] = {}
    for canonical, source in (columns or {}).items():
        out["status" if canonical == "outcome" else canonical] = source
    return out


#: Words in a header saying "status" that make it something else: "Status date".
_NOT_STATUS = ("date", "updated", "changed", "since")


def status_candidates(headers: Sequence[str], taken: set[str] | None = None) -> list[str]:
    """Headers that may hold the status words, best first: the known names of ``status``
    in their order, then any other header saying "status" ("current_status", "Application
    Status"); ``taken`` ones left out.

    >>> status_candidates(["Response", "current_status", "Notes"])
    ['Response', 'current_status']
    """
    taken = taken or set()
    keys: dict[str, str] = {}
    for h in reversed(list(headers)):
        keys[header_key(h)] = h
    aliases = column_aliases(headers)["status"]
    out = [keys[header_key(a)] for a in aliases if header_key(a) in keys]
    out += [
        h
        for h in headers
        if "status" in header_key(h) and not any(w in header_key(h) for w in _NOT_STATUS)
    ]
    return [h for h in dict.fromkeys(out) if h not in taken]


def resolve_columns(
    headers: Sequence[str],
    explicit: Mapping[str, str | Sequence[str]] | None,
    ignore: Sequence[str] | None = None,
    is_prose: Callable[[str], bool] | None = None,
) -> dict[str, list[str]]:
    """Which source column(s) each input column is read from: the user's mapping first,
    then the headers recognised (never those in ``ignore``).

    The status column, when not named, is the first of :func:`status_candidates` that
    ``is_prose`` (given a header) does not call free text: a column of short repeated
    words ("current_status") wins over one of sentences ("Response").

    >>> resolve_columns(["Date", "Response", "current_status"], None,
    ...                 is_prose=lambda h: h == "Response")["status"]
    ['current_status']
    """
    by_key: dict[str, str] = {}
    for h in headers:
        by_key.setdefault(header_key(h), h)
    chosen: dict[str, list[str]] = {}
    used: set[str] = {by_key[header_key(c)] for c in ignore or () if header_key(c) in by_key}
    for canonical, source in canonical_names(explicit).items():
        if canonical not in INPUT_COLUMNS and canonical not in ("stage", "result", "source_row"):
            raise OutreachDataError(
                f"'{canonical}' is not a column the toolkit reads. Fix: map one of "
                f'{list(INPUT_COLUMNS)}, e.g. --column date="Date Sent".'
            )
        names = [source] if isinstance(source, str) else list(source)
        found = []
        for name in names:
            real = by_key.get(header_key(name))
            if real is None:
                raise OutreachDataError(
                    f"Column '{name}' (given for '{canonical}') is not in the log. Columns in "
                    f"the log: {list(headers)}. Fix: use one of those names, e.g. "
                    f'--column {canonical}="{headers[0] if headers else "..."}".'
                )
            found.append(real)
        chosen[canonical] = found
        used.update(found)
    keys = {header_key(h): h for h in reversed(list(headers))}
    # a frame that is already canonical keeps its stage/result columns as they are
    if {"stage", "result"} <= set(keys) and "stage" not in chosen and "status" not in chosen:
        for c in ("stage", "result", "source_row"):
            real = keys.get(header_key(c))  # keys are header_key()s: "source_row" -> "sourcerow"
            if real is not None and real not in used:
                chosen[c] = [real]
                used.add(real)
    aliases = column_aliases(headers)
    for canonical in INPUT_COLUMNS:
        if canonical in chosen:
            continue
        if canonical == "status":
            found = status_candidates(headers, used)
            if is_prose is not None and len(found) > 1:  # values read only to choose
                found = sorted(found, key=is_prose)  # stable: the order kept among equals
            if found:
                chosen["status"] = [found[0]]
                used.add(found[0])
            continue
        for alias in aliases.get(canonical, ()):
            real = keys.get(header_key(alias))
            if real is not None and real not in used:
                chosen[canonical] = [real]
                used.add(real)
                break
    return chosen
