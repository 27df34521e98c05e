"""The verdicts of a summary in a few short lines, for the terminal and the report.

One function builds the block from the plain ``summary --json`` object, so the CLI, the
report and a notebook say the same thing. Each finding adds its sentence here.
"""

from __future__ import annotations

import textwrap

__all__ = ["verdict_lines"]

_WIDTH = 80


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent="- ", subsequent_indent="  ")


def _challenge(summary: dict, width: int) -> list[str]:
    """The challenge's line; none for a log with no dated row (its "no"s are counted over
    time, and a count of 0 beside its rejections would read as none)."""
    if "challenge" not in summary or ("first_date" in summary and not summary["first_date"]):
        return []
    return _wrap(f"Rejection challenge: {summary['challenge']['verdict']}", width)


def verdict_lines(summary: dict, width: int = _WIDTH) -> list[str]:
    """What the numbers say, as lines of at most ``width`` characters.

    Parameters
    ----------
    summary : dict
        What :func:`~outreach_analytics.summarize` returns.

    Examples
    --------
    >>> from outreach_analytics import load_report, sample_path, summarize
    >>> lines = verdict_lines(summarize(load_report(sample_path()), as_of="2026-11-15"))
    >>> lines[0]
    '- Referral gets replies more often than the other channels (P > 0.99)'
    >>> max(len(line) for line in lines) <= 80
    True
    """
    lines: list[str] = []
    if summary.get("outcomes_recorded") is False:
        # counts and the challenge hold; every rate, comparison and forecast would be 0
        from .summary import NO_OUTCOMES

        lines += _wrap(NO_OUTCOMES[:1].upper() + NO_OUTCOMES[1:], width)
        return lines + _challenge(summary, width)
    for block in summary.get("comparison", {}).values():
        text = block["verdict"]
        lines += _wrap(text[:1].upper() + text[1:], width)
    if "forecast" in summary:
        lines += _wrap(summary["forecast"]["verdict"], width)
    lines += _challenge(summary, width)
    if "time_to_response" in summary:
        from .survival import summary_lines

        for sentence in summary_lines(summary, width=10_000):  # one sentence a line
            lines += _wrap(sentence, width)
    return lines
