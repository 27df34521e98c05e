"""The canonical schema every log is normalized to.

Stages are ordered ``sent < viewed < responded < interview < offer < won``; each row holds
the furthest stage it reached and a ``result`` saying how it ended (or that it is open).
A row may also be ``planned`` (a job saved but not applied to yet): it is kept in the
frame but is not an action, so no count, rate, funnel or activity includes it.
``viewed`` (Upwork's "viewed by client") sits between sent and responded and shows in the
funnel only where a log uses it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PLANNED",
    "STAGES",
    "RESULTS",
    "CANONICAL_COLUMNS",
    "STAGE_DATE_COLUMNS",
    "COLUMN_ALIASES",
    "STAGE_DTYPE",  # noqa: F822 (built on first use: __getattr__)
    "RESULT_DTYPE",  # noqa: F822
]

#: The stage of a row that is not an action yet (saved, wishlist, ready to apply).
PLANNED = "planned"
#: The stages an action goes through, in order (``planned`` comes before all of them).
STAGES: tuple[str, ...] = ("sent", "viewed", "responded", "interview", "offer", "won")
RESULTS: tuple[str, ...] = ("open", "won", "rejected", "no_response", "withdrawn")

# STAGE_DTYPE and RESULT_DTYPE, the pandas dtypes of ``stage`` and ``result``, are built on
# first use (see __getattr__): the schema is read before pandas is imported (the header
# of a log is recognised while pandas loads, see analysis.fast_read).

#: Date columns that record the day a row reached a stage, in stage order.
STAGE_DATE_COLUMNS: dict[str, str] = {
    "responded_on": "responded",
    "interview_on": "interview",
    "offer_on": "offer",
    "won_on": "won",
}

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
    "responded",
    "interviewed",
    "offered",
    "won",
    "follow_ups",
    "value",
    "cost",
    "notes",
)

#: Header names recognised for each input column, compared after lower-casing and
#: dropping everything but letters and digits ("Date Sent" == "date_sent" == "datesent").
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "date sent",
        "sent on",
        "sent",
        "sent date",
        "applied",
        "applied on",
        "application date",
        "date applied",
        "application",
        "pitch date",
        "submitted",
        "submitted on",
        "date of application",
        "applied date",
        "application start",
        "application started",
        "date submitted",
        "submission date",
        "day",
    ),
    "channel": (
        "channel",
        "platform",
        "source",
        "application site",
        "job source",
        "via",
        "site",
        "job board",
        "medium",
        "application method",
        "source of lead",
        "lead source",
        "applied via",
        "applied through",
    ),
    "pitch_type": (
        "pitch type",
        "type",
        "application type",
        "action",
        "template",
        "pitch",
        "kind",
        "action type",
    ),
    "status": (
        "status",
        "outcome",
        "result",
        "response",
        "response?",
        "state",
        "stage",
    ),
    "client": (
        "client",
        "company",
        "prospect",
        "publication",
        "employer",
        "organisation",
        "organization",
        "lead",
        "contact",
    ),
    "responded_on": (
        "response date",
        "responded on",
        "date responded",
        "reply date",
        "replied on",
        "date of 1st response",
        "date of first response",
        "first response",
        "reaction 1",
        "first reaction",
        "reaction date",
    ),
    "interview_on": (
        "interview date",
        "date interview",
        "interview on",
        "interviewed on",
        "date of interview",
        "1st interview",
        "interview 1",
        "first interview",
    ),
    "offer_on": ("offer date", "offer on", "date offer", "offered on", "date of offer"),
    "won_on": (
        "hired date",
        "won date",
        "won on",
        "hired on",
        "date hired",
        "contract date",
        "signed on",
        "start date",
    ),
    "responded": ("responded", "replied", "got reply", "got response", "response received"),
    "interviewed": (
        "interviewed",
        "interview",
        "got interview",
        "interview?",
        "selected for interview",
        "invited to interview",
    ),
    "offered": ("offered", "offer", "got offer", "offer?", "job offer"),
    "won": ("won", "hired", "got the job", "contract signed", "hired?"),
    "follow_ups": ("follow ups", "follow-ups", "followups", "follow up count", "follow ups sent"),
    "value": ("rate", "budget", "value", "hourly rate", "price", "fee", "amount", "salary"),
    "cost": ("connects", "cost", "connects spent", "bid cost"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
}


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


def header_key(name: object) -> str:
    """Reduce a header to the form aliases are compared in.

    >>> header_key("  Date  Sent ")
    'datesent'
    >>> header_key("Response?")
    'response'
    """
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())


def __getattr__(name: str) -> Any:
    """``STAGE_DTYPE`` (ordered ``planned < sent < … < won``) and ``RESULT_DTYPE``,
    built once, when first asked for.

    >>> from outreach_analytics.model.schema import STAGE_DTYPE
    >>> list(STAGE_DTYPE.categories)[:3], STAGE_DTYPE.ordered
    (['planned', 'sent', 'viewed'], True)
    """
    if name not in ("STAGE_DTYPE", "RESULT_DTYPE"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import pandas as pd

    built = {
        "STAGE_DTYPE": pd.CategoricalDtype([PLANNED, *STAGES], ordered=True),
        "RESULT_DTYPE": pd.CategoricalDtype(list(RESULTS)),
    }
    globals().update(built)  # the same object from now on: dtypes are compared with `is`
    return built[name]
