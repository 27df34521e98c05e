"""Reading the user's own status words as a stage and a result.

A status is read in three steps. First the whole phrase is looked up in
:data:`STATUS_WORDS` (after lower-casing and turning punctuation into spaces). If it is
not there and it is prose (more than six words, or a full stop, "!", "?" or ";" between
words, as in "Ola Larsson confirmed. They went with another candidate"), it is left
unread: ``None``, which the loader reports as an unknown status word and ``inspect``
lists as a TODO. Otherwise it is read as a compound: every known word or stem in it marks
a stage ("interview", "offer", "hired", "final stage", "onsite", "second round") or a
result ("rejected", "ghosted", "withdrawn"), and the row takes the furthest stage and the
result its words say. "Interviewed - rejected" is stage ``interview`` with result
``rejected``; "Ghosted after interview" and "Rejected at final stage" reach ``interview``.
``inspect`` shows a compound reading with the words it was read from.

Before single words count, the compound reader reads who did what:

* A negation ("not", "no", "never", "didn't", "did not", "wasn't", "without", "won't",
  ...) before a stage word, with at most three words such as "get an" between, means the
  stage was not reached: "Not hired" is a rejection (``responded``), "Interviewed, no
  offer" is ``interview`` / ``rejected``; a negated interview or reply implies nothing
  ("Never interviewed" is unread). A negated result word ("not rejected yet") is not said.
  "Before"/"prior to" a stage also means it was not reached.
* The owner declining is ``withdrawn``: "I declined", "declined the interview", "turned
  down the offer", "accepted another position". Declining an invitation (interview, call,
  test) is ``responded`` / ``withdrawn``: the employer answered, but no interview was held;
  declining an offer is ``offer`` / ``withdrawn``, as "Offer declined".
* "Declined" and "Turned down" alone are read as the employer's no (``rejected``) and
  flagged by ``inspect``; "Interview declined" (by whom?) is left unread.
* Someone else got it ("hired someone else", "another candidate"): ``rejected``, and the
  "hired" or "offer" in the phrase is not the owner's.
* The employer closing the role ("Position filled", "Position removed", "Job closed",
  "Posting removed", "Role cancelled", "Hiring freeze") is ``sent`` / ``withdrawn``, one
  reading for all: closing a role is no answer to the application and no judgement of it
  (the owner usually learns it from the posting), so it is not counted as a reply; a
  reply date column, if there is one, still raises the stage.
* "Offered an interview" is an interview; a "CV screening" is not.

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

Other languages (German, French, Spanish, Portuguese, Turkish, Chinese) are read on the
same ladder from the data files in ``outreach_analytics/languages/`` (see
:func:`~outreach_analytics.words.languages`): their whole phrases after the English ones
(accents optional: "Candidature envoyee" is "Candidature envoyée"), and their stems,
negations ("nicht", "pas", "no", "não"; Turkish "değil" after the word, Chinese 未/没有
glued to it) and "before"/"after" words in compounds, by the rules above: "Absage nach
Vorstellungsgespräch" is ``interview`` / ``rejected``, "Keine Zusage" a rejection.
:func:`status_language` says which language's list a whole phrase came from.
"""

from __future__ import annotations

import difflib
import re
from functools import cache, lru_cache
from types import SimpleNamespace

from ..words import languages, without_accents

__all__ = [
    "STATUS_WORDS",
    "AMBIGUOUS_WORDS",
    "parse_status",
    "explain_status",
    "normalize_phrase",
    "suggest_words",
    "status_language",
]

Reading = tuple[str, str]  # (stage, result)
#: A phrase of more words than this that is not a known whole phrase is prose: unread.
_MAX_WORDS = 6

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
    "i withdrew": ("sent", "withdrawn"),
    # the applicant lost interest ("not interested" alone is the employer's no)
    "not interested anymore": ("sent", "withdrawn"),
    "not interested any more": ("sent", "withdrawn"),
    "no longer interested": ("sent", "withdrawn"),
    "lost interest": ("sent", "withdrawn"),
    "i declined": ("sent", "withdrawn"),
    "cancelled": ("sent", "withdrawn"),
    "canceled": ("sent", "withdrawn"),
    "closed": ("sent", "withdrawn"),
    # the employer closed the role (filled, removed or cancelled): not an answer to me
    "position removed": ("sent", "withdrawn"),
    "position filled": ("sent", "withdrawn"),
    "position closed": ("sent", "withdrawn"),
    "position cancelled": ("sent", "withdrawn"),
    "role filled": ("sent", "withdrawn"),
    "role closed": ("sent", "withdrawn"),
    "role cancelled": ("sent", "withdrawn"),
    "role removed": ("sent", "withdrawn"),
    "job removed": ("sent", "withdrawn"),
    "job filled": ("sent", "withdrawn"),
    "job closed": ("sent", "withdrawn"),
    "job cancelled": ("sent", "withdrawn"),
    "posting removed": ("sent", "withdrawn"),
    "posting closed": ("sent", "withdrawn"),
    "no longer available": ("sent", "withdrawn"),
    "hiring freeze": ("sent", "withdrawn"),
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
    "went with another candidate": ("responded", "rejected"),
    "not hired": ("responded", "rejected"),
    "not moving forward": ("responded", "rejected"),
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
    "rejected after interview": ("interview", "rejected"),
    "rejected at final stage": ("interview", "rejected"),
    "rejected after final round": ("interview", "rejected"),
    # the owner declined the invitation: the employer answered, no interview was held
    "declined interview": ("responded", "withdrawn"),
    "turned down interview": ("responded", "withdrawn"),
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
    "turned down offer": ("offer", "withdrawn"),
    "accepted another offer": ("sent", "withdrawn"),
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
    ("offer", r"offer|proposition|negotiat"),
    (
        "interview",
        r"interv|inter\b|call\b|calls\b|meeting|screen|onsite|on site\b|assessment|test\b|"
        r"take home|technical\b|panel\b|rounds?\b|"
        r"(?:final|last|later|late|second|2nd|third|3rd|fourth|4th) stage",
    ),
    ("responded", r"repl|respond|response\b|answer|talks?\b|discuss"),
    ("viewed", r"viewed\b"),
]
_RESULT_STEMS: list[tuple[str, str]] = [
    ("no_response", r"ghost|unanswered|silen"),
    ("withdrawn", r"withdr|cancel|removed"),
    ("rejected", r"reject|rejec\b|declin|turn(?:ed)? down|unsuccessful|refus|lost\b"),
]


def _lang_words(key: str, *, word_start: bool = True) -> list[str]:
    """Every language's ``[stems] key`` (regex fragments), with their accent-free forms."""
    out: list[str] = []
    for data in languages().values():
        if data.get("word_start", True) != word_start:
            continue
        for w in data.get("stems", {}).get(key, ()):
            w = w.casefold().replace("ı", "i")
            out += [w] if without_accents(w) == w else [w, without_accents(w)]
    return list(dict.fromkeys(out))


def _stem_re(english: str, key: str) -> re.Pattern:
    pat = r"\b(?:" + "|".join([english, *_lang_words(key)]) + ")"
    anywhere = _lang_words(key, word_start=False)  # scripts without spaces (Chinese)
    return re.compile(pat + ("|(?:" + "|".join(anywhere) + ")" if anywhere else ""))


_RANK = {"sent": 0, "viewed": 1, "responded": 2, "interview": 3, "offer": 4, "won": 5}

# Phrases that say who did what, read (and blanked) before any single word is.
_OBJECT = (
    r"(?:the |an |a |their |this |that |his |her |its |)"
    r"(?P<obj>interv\w*|invit\w*|call|meeting|screen\w*|assessment|test|take home|"
    r"offer\w*|contract|proposal|proposition|role|position|job|opportunity)\b"
)
_SPECIAL: list[tuple[str, str | None, str]] = [
    # the owner took something else: "accepted another position", "offer elsewhere"
    (
        "withdrawn",
        None,
        r"\b(?:accept\w*|took|tak\w*|sign\w*|chose|went with) (?:an? |the )?"
        r"(?:other|another|different|better|new) (?:offer|position|job|role|opportunity|contract)s?\b"
        r"|\b(?:offer|job|position|role)s? elsewhere\b|\bwent elsewhere\b",
    ),
    # the owner declined the thing named after the verb: "declined the interview"
    (
        "withdrawn",
        "object",
        r"\b(?:declin(?:e|ed|ing)|turn(?:ed|ing)? down|refus(?:e|ed)|pass(?:ed)? on) " + _OBJECT,
    ),
    # the owner is the subject: "I declined", "we withdrew"
    (
        "withdrawn",
        None,
        r"\b(?:i|we)(?: (?:have|had|ve|d))? (?:declin\w*|turn\w* down|reject\w*|withdr\w*|"
        r"pass(?:ed)?(?: on)?|refus\w*|said no|backed out|pulled out)\b",
    ),
    # someone else got it: the hire and the offer were not the owner's
    (
        "rejected",
        "other",
        r"\b(?:someone|somebody) else\b|\b(?:another|other|different|internal|stronger|"
        r"better|more experienced|senior) (?:candidate|applicant|person|profile|hire)s?\b"
        r"|\binternal hire\b",
    ),
    # the employer closed the role: read as the existing "position removed"
    (
        "withdrawn",
        None,
        r"\b(?:position|role|job|vacancy|posting|post|listing|opening|req|requisition|ad)s? "
        r"(?:was |has been |is |got |been |now )?(?:filled|closed|removed|cancell?ed|pulled|"
        r"taken down|deleted|no longer available)\b|\bno longer (?:available|open|hiring)\b"
        r"|\bhiring freeze\b",
    ),
    # "interview declined": by whom? Left unread (the "offer declined" convention aside)
    (
        "unread",
        None,
        r"\b(?:interv\w*|invit\w*|call|meeting|screen\w*|assessment|test|role|position|job)"
        r" (?:was |got |been )?(?:declined|turned down)\b",
    ),
    # results that begin with a negation: read whole, before "no"/"not" negate a word
    (
        "no_response",
        None,
        r"\b(?:no (?:reply|replies|response|answer|news)|never (?:heard|replied|responded)|"
        r"(?:didn t|did not|haven t|have not|hasn t|has not|not) (?:hear\w*|repl\w*|respond\w*|"
        r"answer\w*|get back)(?: back)?)\b(?! yet)",
    ),
    (
        "rejected",
        None,
        r"\b(?:not selected|not a (?:good )?fit|no hire|not successful|not (?:moving|move|"
        r"going|proceeding|progressing|advancing|continuing)(?: forward| ahead)?)\b",
    ),
]
_NEGATORS = (
    r"not|no|never|without|didn t|did not|wasn t|was not|weren t|were not|hasn t|has not|"
    r"haven t|have not|hadn t|don t|doesn t|won t|isn t|aren t|couldn t"
)
# "offered an interview" invites to an interview; "CV screening" is no interview
_REWRITES = [
    (re.compile(r"\boffer(?:ed|s)? (?:an? |the |)(interv\w*|call|meeting|screen\w*)"), r"\1"),
    # a call or a meeting "booked" is an interview, not a booked job
    (re.compile(r"\b(call|calls|meeting|interv\w*|screen\w*) (?:booked|signed)\b"), r"\1"),
    (re.compile(r"\b(?:cv|resume|résumé|application|profile|portfolio) (?:screen|review)\w*"), ""),
]


@cache
def _rules() -> SimpleNamespace:
    """The compound reading's patterns, English and every language's stems together: built
    on the first compound reading, so that a log of known whole phrases never reads the
    language files."""
    special = list(_SPECIAL)
    # other languages' "no reply" ("pas de réponse", "sin respuesta"): read whole, as above
    special.append(("no_response", None, r"\b(?:" + "|".join(_lang_words("no_response")) + ")"))
    if _lang_words("no_response", word_start=False):
        special.append(
            ("no_response", None, "|".join(_lang_words("no_response", word_start=False)))
        )
    negators = "|".join([_NEGATORS, *_lang_words("negations")])
    #: "Before" a stage: not reached, but no "no" either.
    before = ("before", "prior to", *_lang_words("before"))
    rewrites = list(_REWRITES)
    # negations glued before (Chinese 未录用) or written after (Turkish "mülakat değil") a
    # stage word of won, offer or interview become a "not" before it, which the rules read
    stage_words = "|".join(
        _lang_words(k) and "|".join(_lang_words(k)) or "(?!)" for k in ("won", "offer", "interview")
    )
    glued = "|".join(
        _lang_words("negation_prefixes", word_start=False) + _lang_words("negation_prefixes")
    )
    after = "|".join(
        _lang_words("negations_after") + _lang_words("negations_after", word_start=False)
    )
    anywhere = "|".join(
        w for k in ("won", "offer", "interview") for w in _lang_words(k, word_start=False)
    )
    if glued and anywhere:
        rewrites.append((re.compile(rf"(?:{glued})(?=(?:{anywhere}))"), " not "))
    if after:
        rewrites.append((re.compile(rf"\b((?:{stage_words})\w*) (?:{after})\b"), r"not \1"))
    return SimpleNamespace(
        stage_re=[(stage, _stem_re(pat, stage)) for stage, pat in _STAGE_STEMS],
        result_re=[(result, _stem_re(pat, result)) for result, pat in _RESULT_STEMS],
        special_re=[(r, how, re.compile(pat)) for r, how, pat in special],
        before=before,
        neg_re=re.compile(rf"\b(?P<neg>{negators}|{'|'.join(before)}) "),
        #: where a negation's reach ends: "not hired after interview" still had the interview
        scope_end_re=re.compile(
            r"\b(?:after|but|then|and|before|following|post|since|because|so|yet|once|when|at"
            + "".join("|" + w for w in _lang_words("scope_ends"))
            + r")\b"
        ),
        rewrites=rewrites,
    )


#: Words that mean opposite things in different logs: read as shown, flagged by ``inspect``.
AMBIGUOUS_WORDS: dict[str, str] = {
    "contacted": "read as 'the employer contacted me' (responded); if you mean you "
    'contacted them, map it: "Contacted" = "sent"',
    "declined": "read as 'the employer declined me' (rejected); if you declined, map it: "
    '"Declined" = "responded/withdrawn"',
    "turned down": "read as 'the employer turned me down' (rejected); if you turned them "
    'down, map it: "Turned down" = "responded/withdrawn"',
    "turn down": "read as 'the employer turned me down' (rejected); if you turned them "
    'down, map it: "Turn down" = "responded/withdrawn"',
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
    text = str(text).casefold().replace("ı", "i")  # Turkish dotless i, as header_key
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def _blank(text: str, m: re.Match) -> str:
    return text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]


def _word_at(text: str, m: re.Match) -> str:
    """The words a stem match stands in: "interv" in "interviewed" is "interviewed"."""
    end = text.find(" ", m.end())
    return text[m.start() : len(text) if end < 0 else end]


@lru_cache(maxsize=4096)
def _read_compound(phrase: str) -> tuple[Reading | None, tuple[str, ...]]:
    """The compound reading of a phrase and the words it was read from."""
    text = phrase
    for rx, to in _rules().rewrites:
        text = rx.sub(to, text)
    said: list[str] = []  # the words the reading rests on, for inspect
    told: str | None = None  # a result a whole sub-phrase says
    floor = "sent"  # the stage a sub-phrase implies
    drop: set[str] = set()  # stages whose words do not count
    for result, how, rx in _rules().special_re:
        m = rx.search(text)
        if m and result == "unread":
            return None, ()
        while m:
            told = told or result
            said.append(m.group(0).strip())
            if how == "object":
                obj = m.group("obj")
                at = "offer" if re.match(r"offer|contract|propos", obj) else "responded"
                floor = max(floor, at, key=_RANK.__getitem__)
            elif how == "other":
                drop |= {"won", "offer"}
            text = _blank(text, m)
            m = rx.search(text)
    # a negated stage is not reached; a negated result word is not said
    cap = "won"
    implied = None
    for m in list(_rules().neg_re.finditer(text)):
        found = None if text[m.start()] == " " else _negated(text, m.end())
        if found is None:
            continue
        end, stage = found
        # the negation holds to the next "after", "but", "then"...: "no call booked"
        stop = _rules().scope_end_re.search(text, end)
        scope = text[end : stop.start() if stop else len(text)]
        for name, rx in _rules().stage_re:
            if rx.search(scope):
                drop.add(name)
                stage = stage or name
        end += len(scope.rstrip())
        said.append(text[m.start() : end])
        text = text[: m.start()] + " " * (end - m.start()) + text[end:]
        if stage is None:
            continue
        drop.add(stage)
        cap = min(cap, stage, key=_RANK.__getitem__)
        if m.group("neg") not in _rules().before and stage in ("offer", "won"):
            # "not hired", "no offer": a no; an offer comes after the interviews
            implied = "rejected"
            if stage == "offer":
                floor = max(floor, "interview", key=_RANK.__getitem__)
    stage = None
    for name, rx in _rules().stage_re:
        m = rx.search(text)
        if m and name not in drop and _RANK[name] < _RANK[cap]:
            stage = name
            said.append(_word_at(text, m))
            break
    result = told
    if result is None:
        for name, rx in _rules().result_re:
            m = rx.search(text)
            if m:
                result = name
                said.append(_word_at(text, m))
                break
    result = result or implied
    if stage is None and result is None:
        return None, ()
    if floor != "sent" and (stage is None or _RANK[floor] > _RANK[stage]):
        stage = floor
    evidence = tuple(dict.fromkeys(w.strip() for w in said if w.strip()))
    if stage == "won":
        if result in ("rejected", "withdrawn", "no_response"):
            # "contract declined", "signed then cancelled": never reached the win
            return ("offer", result), evidence
        return ("won", "won"), evidence
    if result == "rejected" and stage == "offer" and re.search(r"\b(?:declin|turn)", text):
        # "Offer declined" / "turned down the offer": the freelancer said no.
        return ("offer", "withdrawn"), evidence
    if stage in (None, "viewed") and result == "rejected":
        stage = "responded"  # a "no" is an answer
    return (stage or "sent", result or "open"), evidence


def _negated(text: str, at: int) -> tuple[int, str | None] | None:
    """The stage (or ``None`` for a result word) negated by words from ``at``, and its end.

    The word may stand up to three words after the negation ("didn't get an interview",
    "not in talks", "no phone screen"), but not past "after", "but", "then"...
    ``None`` when no stage or result word is negated.
    """
    for _ in range(4):
        while at < len(text) and text[at] == " ":
            at += 1
        rest = text[at:]
        if not rest or _rules().scope_end_re.match(rest):
            return None
        for name, rx in [*_rules().stage_re, *((None, rx) for _, rx in _rules().result_re)]:
            m = rx.match(rest)
            if m:
                end = text.find(" ", at + m.end())
                return (len(text) if end < 0 else end), name
        skip = rest.find(" ")
        if skip < 0:
            return None
        at += skip
    return None


def _is_prose(text: object, phrase: str) -> bool:
    """More than six words, or a sentence stop between words: prose, not a status."""
    if len(phrase.split()) > _MAX_WORDS:
        return True
    return bool(re.search(r"\w[.!?;]+\s+\w", str(text)))


def _read(text: object, extra: dict[str, Reading] | None) -> tuple[Reading | None, str]:
    """The reading and how it was made: "yours", "known", "prose", "words" or "none"."""
    phrase = normalize_phrase(text)
    if extra and phrase in extra:
        return extra[phrase], "yours"
    if not phrase and text is not None and text == text and str(text).strip(" -–—"):
        return None, "none"  # "???" says something, but nothing we can read
    if phrase in STATUS_WORDS:
        return STATUS_WORDS[phrase], "known"
    foreign = _foreign_words().get(phrase) or _foreign_words().get(without_accents(phrase))
    if foreign:
        return foreign[0], "known"
    if _is_prose(text, phrase):
        return None, "prose"
    reading, _ = _read_compound(phrase)
    return reading, "words" if reading else "none"


@cache
def _foreign_words() -> dict[str, tuple[Reading, str]]:
    """Other languages' whole phrases: phrase -> (reading, language codes "es/pt")."""
    out: dict[str, tuple[Reading, str]] = {}
    for code, data in languages().items():
        for phrase, reading in data.get("statuses", {}).items():
            stage, _, result = reading.partition("/")
            key = normalize_phrase(phrase)
            for k in dict.fromkeys((key, without_accents(key))):
                if k in STATUS_WORDS:
                    continue  # English wins: "Test", "Interview"
                if k in out and out[k][0] == (stage, result):
                    out[k] = (out[k][0], f"{out[k][1]}/{code}")
                else:
                    out.setdefault(k, ((stage, result), code))
    return out


def status_language(text: object) -> str:
    """The language whose list a whole phrase was read from ("de", "es/pt"), else ``""``.

    English words, the user's own words and phrases read from their words give ``""``.

    >>> status_language("Vorstellungsgespräch"), status_language("Enviado")
    ('de', 'es/pt')
    >>> status_language("Rejected"), status_language("Absage nach Gespräch")
    ('', '')
    """
    phrase = normalize_phrase(text)
    if phrase in STATUS_WORDS:
        return ""
    hit = _foreign_words().get(phrase) or _foreign_words().get(without_accents(phrase))
    return hit[1] if hit else ""


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
    >>> parse_status("Not hired"), parse_status("Turned down the interview")
    (('responded', 'rejected'), ('responded', 'withdrawn'))
    >>> parse_status("Rejected at final stage")
    ('interview', 'rejected')
    >>> parse_status("Ola Larsson confirmed they went with another candidate") is None
    True
    >>> parse_status("maybe later") is None
    True
    >>> parse_status("???") is None, parse_status("-")
    (True, ('sent', 'open'))
    """
    return _read(text, extra)[0]


def explain_status(text: object, extra: dict[str, Reading] | None = None) -> str:
    """Why a status is read as it is, when the reading is a guess or there is none.

    Empty for the user's own words and for a whole known phrase; for a phrase read from
    the words in it, the words; for prose and unknown words, why it is left unread.

    Examples
    --------
    >>> explain_status("Rejected")
    ''
    >>> explain_status("Rejected after 2nd round")
    "read from the words 'round', 'rejected': map it if it means otherwise"
    >>> explain_status("Ola Larsson confirmed they went with another candidate")
    'a sentence, not a status word (more than 6 words, or a full stop)'
    """
    reading, how = _read(text, extra)
    if how == "words":
        words = ", ".join(f"'{w}'" for w in _read_compound(normalize_phrase(text))[1])
        return f"read from the words {words}: map it if it means otherwise"
    if how == "prose":
        return f"a sentence, not a status word (more than {_MAX_WORDS} words, or a full stop)"
    return ""


def suggest_words(text: object, n: int = 3) -> list[str]:
    """Known status words closest to an unknown one, for error messages.

    >>> suggest_words("Rejectd")
    ['rejected', 'rejection', 'offer rejected']
    """
    phrase = normalize_phrase(text)
    known = [w for w in STATUS_WORDS if w]
    return difflib.get_close_matches(phrase, known, n=n, cutoff=0.5)
