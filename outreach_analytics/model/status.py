"""Reading the user's own status words as a stage and a result.

A status is read in two steps. First the whole phrase is looked up in
:data:`STATUS_WORDS` (after lower-casing and turning punctuation into spaces). If it is
not there, it is read as a compound: every known word or stem in it marks a stage
("interview", "offer", "hired") or a result ("rejected", "ghosted", "withdrawn"), and the
row takes the furthest stage and the result its words say. "Interviewed - rejected" is
stage ``interview`` with result ``rejected``; "Ghosted after interview" is ``interview``
with ``no_response``.

Where some words sit on the ladder ``planned < sent < viewed < responded < interview <
offer < won``:

* "Ready to apply", "Wishlist", "Saved", "Bookmarked", "Not applied", "Draft" are
  ``planned``: not an action yet.
* "Acknowledged", "Application received", "Auto-reply" are not a human answer: ``sent``.
* "Viewed", "Viewed by client" are ``viewed`` (Upwork's own funnel).
* "Contacted" is read as *the employer contacted me* (``responded``), the commoner sense
  in a tracker; ``inspect`` flags it because some logs mean the opposite.
* An assessment ("Assessment", "Take-home", "Coding test", "Online test") is an answer
  from the employer and the screening step, which the ladder places at ``interview``.
* "Negotiating" is ``offer``; "On hold" and "Paused" are still open.
* "Scam" is an action whose reply does not count: ``sent``, ``withdrawn``.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

__all__ = [
    "STATUS_WORDS",
    "AMBIGUOUS_WORDS",
    "parse_status",
    "normalize_phrase",
    "suggest_words",
]

Reading = tuple[str, str]  # (stage, result)

#: Whole phrases and what they mean, as (stage, result).
STATUS_WORDS: dict[str, Reading] = {
    # not sent yet
    "planned": ("planned", "open"),
    "ready to apply": ("planned", "open"),
    "to apply": ("planned", "open"),
    "wishlist": ("planned", "open"),
    "wish list": ("planned", "open"),
    "saved": ("planned", "open"),
    "bookmarked": ("planned", "open"),
    "not applied": ("planned", "open"),
    "not applied yet": ("planned", "open"),
    "draft": ("planned", "open"),
    "to do": ("planned", "open"),
    # still open, nothing heard yet
    "": ("sent", "open"),
    "sent": ("sent", "open"),
    "applied": ("sent", "open"),
    "submitted": ("sent", "open"),
    "pitched": ("sent", "open"),
    "proposal sent": ("sent", "open"),
    "pending": ("sent", "open"),
    "waiting": ("sent", "open"),
    "open": ("sent", "open"),
    "to follow up": ("sent", "open"),
    "followed up": ("sent", "open"),
    "follow up sent": ("sent", "open"),
    "reached out": ("sent", "open"),
    "acknowledged": ("sent", "open"),
    "application received": ("sent", "open"),
    "received": ("sent", "open"),
    "auto reply": ("sent", "open"),
    "autoreply": ("sent", "open"),
    "automated reply": ("sent", "open"),
    "on hold": ("sent", "open"),
    "paused": ("sent", "open"),
    "awaiting response": ("sent", "open"),
    "awaiting reply": ("sent", "open"),
    "no response yet": ("sent", "open"),
    "no reply yet": ("sent", "open"),
    "viewed": ("viewed", "open"),
    "viewed by client": ("viewed", "open"),
    "seen": ("viewed", "open"),
    "in review": ("sent", "open"),
    "under review": ("sent", "open"),
    # heard nothing, closed
    "ghosted": ("sent", "no_response"),
    "no reply": ("sent", "no_response"),
    "no response": ("sent", "no_response"),
    "no answer": ("sent", "no_response"),
    "unanswered": ("sent", "no_response"),
    "never heard back": ("sent", "no_response"),
    "no news": ("sent", "no_response"),
    "expired": ("sent", "no_response"),
    "archived": ("sent", "no_response"),
    # an action whose reply does not count
    "scam": ("sent", "withdrawn"),
    # withdrawn by either side before any answer
    "withdrawn": ("sent", "withdrawn"),
    "withdrew": ("sent", "withdrawn"),
    "cancelled": ("sent", "withdrawn"),
    "canceled": ("sent", "withdrawn"),
    "position removed": ("sent", "withdrawn"),
    "job removed": ("sent", "withdrawn"),
    "posting removed": ("sent", "withdrawn"),
    "job closed": ("sent", "withdrawn"),
    "closed": ("sent", "withdrawn"),
    # a reply
    "replied": ("responded", "open"),
    "responded": ("responded", "open"),
    "response": ("responded", "open"),
    "answered": ("responded", "open"),
    "in talks": ("responded", "open"),
    "in discussion": ("responded", "open"),
    "in process": ("responded", "open"),
    "in progress": ("responded", "open"),
    "contacted": ("responded", "open"),
    "shortlisted": ("responded", "open"),
    "interested": ("responded", "open"),
    "positive reply": ("responded", "open"),
    # a "no" is a response
    "rejected": ("responded", "rejected"),
    "rejection": ("responded", "rejected"),
    "declined": ("responded", "rejected"),
    "not selected": ("responded", "rejected"),
    "not a fit": ("responded", "rejected"),
    "not interested": ("responded", "rejected"),
    "turned down": ("responded", "rejected"),
    "turn down": ("responded", "rejected"),
    "unsuccessful": ("responded", "rejected"),
    "refused": ("responded", "rejected"),
    "lost": ("responded", "rejected"),
    "passed": ("responded", "rejected"),
    "no thanks": ("responded", "rejected"),
    "no hire": ("responded", "rejected"),
    "hired someone else": ("responded", "rejected"),
    "position filled": ("responded", "rejected"),
    "closed lost": ("responded", "rejected"),
    # interviews and calls
    "interview": ("interview", "open"),
    "interviewed": ("interview", "open"),
    "interviewing": ("interview", "open"),
    "interview scheduled": ("interview", "open"),
    "call booked": ("interview", "open"),
    "call scheduled": ("interview", "open"),
    "meeting booked": ("interview", "open"),
    "discovery call": ("interview", "open"),
    "phone screen": ("interview", "open"),
    "screening": ("interview", "open"),
    "phone call": ("interview", "open"),
    "call": ("interview", "open"),
    "meeting": ("interview", "open"),
    "no offer": ("interview", "rejected"),
    "final round": ("interview", "open"),
    "onsite": ("interview", "open"),
    "on site": ("interview", "open"),
    "technical interview": ("interview", "open"),
    "second interview": ("interview", "open"),
    # an assessment: an answer, and the screening step (the ladder's interview)
    "assessment": ("interview", "open"),
    "take home": ("interview", "open"),
    "take home test": ("interview", "open"),
    "coding test": ("interview", "open"),
    "online test": ("interview", "open"),
    "technical test": ("interview", "open"),
    # offers
    "offer": ("offer", "open"),
    "offered": ("offer", "open"),
    "offer received": ("offer", "open"),
    "proposition": ("offer", "open"),
    "negotiating": ("offer", "open"),
    "negotiation": ("offer", "open"),
    "offer declined": ("offer", "withdrawn"),
    "declined offer": ("offer", "withdrawn"),
    "offer rejected": ("offer", "withdrawn"),
    "offer withdrawn": ("offer", "rejected"),
    "offer rescinded": ("offer", "rejected"),
    # wins
    "won": ("won", "won"),
    "win": ("won", "won"),
    "hired": ("won", "won"),
    "contract signed": ("won", "won"),
    "signed": ("won", "won"),
    "accepted": ("won", "won"),
    "offer accepted": ("won", "won"),
    "closed won": ("won", "won"),
    "booked": ("won", "won"),
    "started": ("won", "won"),
    "rate increase accepted": ("won", "won"),
}

# Word stems for compound phrases. Each pattern matches at the start of a word.
_STAGE_STEMS: list[tuple[str, str]] = [
    ("won", r"hired|won\b|win\b|signed|contract|accept|booked\b"),
    ("offer", r"offer|proposition"),
    ("interview", r"interv|inter\b|call\b|calls\b|meeting|screen|onsite|assessment|test\b"),
    ("responded", r"repl|respond|response\b|answer|talks?\b|discuss"),
    ("viewed", r"viewed\b"),
]
_RESULT_STEMS: list[tuple[str, str]] = [
    ("no_response", r"ghost|no (?:reply|response|answer|news)|unanswered|never heard|silen"),
    ("withdrawn", r"withdr|cancel|removed"),
    (
        "rejected",
        r"reject|rejec\b|declin|not selected|turn(?:ed)? down|unsuccessful|refus|"
        r"not a fit|no offer|lost\b|no hire",
    ),
]
_STAGE_RE = [(stage, re.compile(r"\b(?:" + pat + ")")) for stage, pat in _STAGE_STEMS]
_RESULT_RE = [(result, re.compile(r"\b(?:" + pat + ")")) for result, pat in _RESULT_STEMS]
#: Words that mean opposite things in different logs: read as shown, flagged by ``inspect``.
AMBIGUOUS_WORDS: dict[str, str] = {
    "contacted": "read as 'the employer contacted me' (responded); if you mean you "
    'contacted them, map it: "Contacted" = "sent"',
}


def normalize_phrase(text: object) -> str:
    """Lower-case a status and turn runs of punctuation and spaces into one space.

    >>> normalize_phrase("  Interviewed -- REJECTED! ")
    'interviewed rejected'
    >>> normalize_phrase(None)
    ''
    """
    if text is None or text != text:  # None or NaN
        return ""
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).replace("_", " ").split())


def _parse_compound(phrase: str) -> Reading | None:
    stage = None
    # "no offer" names the offer that did not come: it says interview, not offer
    staged = re.sub(r"\bno offers?\b", " interview ", phrase)
    for name, rx in _STAGE_RE:
        if rx.search(staged):
            stage = name
            break
    result = None
    for name, rx in _RESULT_RE:
        if rx.search(phrase):
            result = name
            break
    if stage is None and result is None:
        return None
    if stage == "won":
        if result in ("rejected", "withdrawn", "no_response"):
            # "contract declined", "signed then cancelled": never reached the win
            return ("offer", result)
        return ("won", "won")
    if result == "rejected" and stage == "offer" and re.search(r"declin|turn", phrase):
        # "Offer declined" / "turned down the offer": the freelancer said no.
        return ("offer", "withdrawn")
    if stage in (None, "viewed") and result == "rejected":
        stage = "responded"  # a "no" is an answer
    stage = stage or "sent"
    return (stage, result or "open")


@lru_cache(maxsize=4096)
def _parse_cached(phrase: str) -> Reading | None:
    if phrase in STATUS_WORDS:
        return STATUS_WORDS[phrase]
    return _parse_compound(phrase)


def parse_status(text: object, extra: dict[str, Reading] | None = None) -> Reading | None:
    """Read one status as ``(stage, result)``, or ``None`` when it is not understood.

    Parameters
    ----------
    text : object
        The user's status, e.g. ``"Rejected after interview"``.
    extra : dict, optional
        The user's own words (already passed through :func:`normalize_phrase`), which
        win over the built-in vocabulary.

    Examples
    --------
    >>> parse_status("Rejected")
    ('responded', 'rejected')
    >>> parse_status("Rejected after interview")
    ('interview', 'rejected')
    >>> parse_status("Ghosted after interview")
    ('interview', 'no_response')
    >>> parse_status("Offer declined")
    ('offer', 'withdrawn')
    >>> parse_status("Interviewed - no offer")
    ('interview', 'rejected')
    >>> parse_status("Inter + Rejec")
    ('interview', 'rejected')
    >>> parse_status("Contract signed!")
    ('won', 'won')
    >>> parse_status("Ready to Apply"), parse_status("Applied-Interview")
    (('planned', 'open'), ('interview', 'open'))
    >>> parse_status("Rejected-Interview"), parse_status("Viewed by client")
    (('interview', 'rejected'), ('viewed', 'open'))
    >>> parse_status("maybe later") is None
    True
    >>> parse_status("???") is None, parse_status("-")
    (True, ('sent', 'open'))
    """
    phrase = normalize_phrase(text)
    if extra and phrase in extra:
        return extra[phrase]
    if not phrase and text is not None and text == text and str(text).strip(" -–—"):
        return None  # "???" says something, but nothing we can read
    return _parse_cached(phrase)


def suggest_words(text: object, n: int = 3) -> list[str]:
    """Known status words closest to an unknown one, for error messages.

    >>> suggest_words("Rejectd")
    ['rejected', 'rejection', 'offer rejected']
    """
    phrase = normalize_phrase(text)
    known = [w for w in STATUS_WORDS if w]
    return difflib.get_close_matches(phrase, known, n=n, cutoff=0.5)
