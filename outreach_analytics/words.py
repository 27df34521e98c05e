"""The words a log is recognised by: each input column's header aliases, and how
headers are compared.

This module sits at the bottom of the package, with :mod:`.errors`, and imports nothing
of it: the readers (:mod:`.io.sniff`) look for these words to find the header row, and the
model (:mod:`.model.columns`) to tell which header holds which column.
:mod:`.model.schema` re-exports both names.
"""

from __future__ import annotations

__all__ = ["COLUMN_ALIASES", "header_key"]

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
    # the day a row ended, whatever the outcome: never read as a reply
    "closed_on": (
        "closed",
        "closed on",
        "date closed",
        "close date",
        "decision date",
        "date of decision",
        "decided on",
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


def header_key(name: object) -> str:
    """Reduce a header to the form aliases are compared in.

    >>> header_key("  Date  Sent ")
    'datesent'
    >>> header_key("Response?")
    'response'
    """
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())
