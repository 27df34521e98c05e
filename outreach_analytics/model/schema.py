"""The canonical schema every log is normalized to.

Stages are ordered ``sent < viewed < responded < interview < offer < won``; each row holds
the furthest stage it reached and a ``result`` saying how it ended (or that it is open).
A row may also be ``planned`` (a job saved but not applied to yet): it is kept in the
frame but is not an action, so no count, rate, funnel or activity includes it.
``viewed`` (Upwork's "viewed by client") sits between sent and responded and shows in the
funnel only where a log uses it. ``closed_on`` is the day a row ended, whatever the outcome:
it is kept, but no stage is read from it and no time to reply is made from it.
"""

from __future__ import annotations

from typing import Any

# the header vocabulary sits below io and model alike (the readers look for it too); the
# schema re-exports it
from ..words import header_key

__all__ = [
    "PLANNED",
    "CLOSE_DATE_COLUMN",
    "STAGES",
    "RESULTS",
    "CANONICAL_COLUMNS",
    "STAGE_DATE_COLUMNS",
    "COLUMN_ALIASES",  # noqa: F822 (every language's: read on first use, __getattr__)
    "header_key",
    "STAGE_DTYPE",  # noqa: F822 (built on first use: __getattr__)
    "RESULT_DTYPE",  # noqa: F822
]

#: The stage of a row that is not an action yet (saved, wishlist, ready to apply).
PLANNED = "planned"
#: The stages an action goes through, in order (``planned`` comes before all of them).
STAGES: tuple[str, ...] = ("sent", "viewed", "responded", "interview", "offer", "won")
RESULTS: tuple[str, ...] = ("open", "won", "rejected", "no_response", "withdrawn")

# STAGE_DTYPE and RESULT_DTYPE, the pandas dtypes of ``stage`` and ``result``, are built on
# first use (see __getattr__): the schema is read before pandas is imported (the command
# line chooses a CSV's columns and starts parsing it while pandas loads, see
# io.delimited.read_ahead).

#: Date columns that record the day a row reached a stage, in stage order.
STAGE_DATE_COLUMNS: dict[str, str] = {
    "responded_on": "responded",
    "interview_on": "interview",
    "offer_on": "offer",
    "won_on": "won",
}

#: The day a row ended, whatever the outcome (a rejection, an offer declined, a role
#: closed): kept in the frame, never read as a reply, so no time to reply is made from it.
CLOSE_DATE_COLUMN = "closed_on"

CANONICAL_COLUMNS: tuple[str, ...] = (
    "date",
    "channel",
    "pitch_type",
    "client",
    "stage",
    "result",
    "responded_on",
    "interview_on",
    "offer_on",
    "won_on",
    "closed_on",
    "follow_ups",
    "value",
    "cost",
    "notes",
    "source_row",
)

#: Columns a source may map onto, beyond the canonical ones: ``status`` is the user's
#: outcome words; the boolean ones are "did this row reach the stage?" columns.
INPUT_COLUMNS: tuple[str, ...] = (
    "date",
    "channel",
    "pitch_type",
    "client",
    "status",
    "responded_on",
    "interview_on",
    "offer_on",
    "won_on",
    "closed_on",
    "responded",
    "interviewed",
    "offered",
    "won",
    "follow_ups",
    "value",
    "cost",
    "notes",
)


#: The canonical columns a summary needs (``load_report(..., fields=SUMMARY_FIELDS)``;
#: :mod:`outreach_analytics.analysis.summary` exports it).
SUMMARY_FIELDS = (
    "date",
    "channel",
    "pitch_type",
    "stage",
    "result",
    # issue 9: reply and stage dates for the censoring-aware rates, follow-ups
    "client",
    "responded_on",
    "interview_on",
    "offer_on",
    "won_on",
    "follow_ups",
)


def __getattr__(name: str) -> Any:
    """``STAGE_DTYPE`` (ordered ``planned < sent < … < won``) and ``RESULT_DTYPE``,
    built once, when first asked for.

    >>> from outreach_analytics.model.schema import STAGE_DTYPE
    >>> list(STAGE_DTYPE.categories)[:3], STAGE_DTYPE.ordered
    (['planned', 'sent', 'viewed'], True)
    """
    if name == "COLUMN_ALIASES":  # every language's header names: read on first use
        from ..words import column_aliases

        return column_aliases()
    if name not in ("STAGE_DTYPE", "RESULT_DTYPE"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import pandas as pd

    built = {
        "STAGE_DTYPE": pd.CategoricalDtype([PLANNED, *STAGES], ordered=True),
        "RESULT_DTYPE": pd.CategoricalDtype(list(RESULTS)),
    }
    globals().update(built)  # the same object from now on: dtypes are compared with `is`
    return built[name]
