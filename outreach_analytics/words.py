"""The words a log is recognised by: each input column's header aliases, and how
headers are compared.

English is written here. Other languages (German, French, Spanish, Portuguese, Turkish,
Chinese) live in data files, ``outreach_analytics/languages/*.toml``, each citing where its
words come from; :func:`languages` reads them once, on first use, so that importing this
module stays cheap. Their headers join :data:`COLUMN_ALIASES` after the English ones;
their status words and stems are read by :mod:`.model.status`, their yes/no words by
:mod:`.model.normalize`.

This module sits at the bottom of the package, with :mod:`.errors`, and imports nothing
of it: the readers (:mod:`.io.sniff`) look for these words to find the header row, and the
model (:mod:`.model.columns`) to tell which header holds which column.
:mod:`.model.schema` re-exports both names.
"""

from __future__ import annotations

import os

# COLUMN_ALIASES and OTHER_HEADERS are built on first use, by the module's __getattr__
__all__ = [  # noqa: F822
    "COLUMN_ALIASES",
    "OTHER_HEADERS",
    "column_aliases",
    "other_headers",
    "header_key",
    "languages",
    "yes_no_words",
    "test_row_names",
    "month_number",
    "without_accents",
]

# os.path, not pathlib (nor typing, nor functools): importing this module stays cheap
_LANGUAGES = os.path.join(os.path.dirname(__file__), "languages")

#: Header names recognised for each input column, compared after lower-casing and
#: dropping everything but letters and digits ("Date Sent" == "date_sent" == "datesent").
#: The English names; ``COLUMN_ALIASES`` adds the other languages' (built on first use).
_ENGLISH_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "date sent",
        "sent on",
        "sent",
        "sent date",
        "sent at",
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
        "company name",
        "prospect",
        "publication",
        "employer",
        "organisation",
        "organization",
        "lead",
        "contact",
        # a mail tool's sent log names the recipient, the client of a cold e-mail
        "to",
        "recipient",
        "recipient email",
        "to email",
        "to address",
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

    Letters of any script are kept; Turkish dotless "ı" is compared as "i" ("TARIH",
    "Tarih" and "TARİH" are one header).

    >>> header_key("  Date  Sent ")
    'datesent'
    >>> header_key("Response?")
    'response'
    >>> header_key("Başvuru Tarihi"), header_key("TARİH"), header_key("公司 名称")
    ('başvurutarihi', 'tarih', '公司名称')
    """
    return "".join(ch for ch in str(name).casefold().replace("ı", "i") if ch.isalnum())


_MEMO: dict[tuple, object] = {}


def _once(fn):
    """``functools.cache`` without importing functools (and collections)."""

    def cached(*args):
        key = (fn.__name__, *args)
        if key not in _MEMO:
            _MEMO[key] = fn(*args)
        return _MEMO[key]

    cached.__name__, cached.__doc__, cached.__wrapped__ = fn.__name__, fn.__doc__, fn
    return cached


@_once
def languages() -> dict[str, dict[str, object]]:
    """The word lists of other languages, by code (``"de"``...), as their files say.

    Each is a dict with ``language``, ``name``, ``sources``, ``headers``, ``yes_no``,
    ``statuses`` and ``stems``: see ``outreach_analytics/languages/README.md``.

    >>> sorted(languages())
    ['de', 'es', 'fr', 'pt', 'tr', 'zh']
    >>> languages()["de"]["statuses"]["Absage"]
    'responded/rejected'
    """
    import tomllib  # only when a log is read: importing this module stays cheap

    out = {}
    for name in sorted(os.listdir(_LANGUAGES)):
        if not name.endswith(".toml"):
            continue
        with open(os.path.join(_LANGUAGES, name), "rb") as fh:
            data = tomllib.load(fh)
        out[data["language"]] = data
    return out


@_once
def yes_no_words(kind: str) -> frozenset[str]:
    """The other languages' ``"yes"`` or ``"no"`` cells of yes/no columns, casefolded.

    >>> sorted(yes_no_words("no"))[:4]
    ['h', 'hayir', 'hayır', 'nao']
    """
    return frozenset(
        str(w).casefold() for data in languages().values() for w in data["yes_no"][kind]
    )


@_once
def _column_aliases() -> dict[str, tuple[str, ...]]:
    out = {c: list(names) for c, names in _ENGLISH_ALIASES.items()}
    for data in languages().values():
        for column, names in data.get("headers", {}).items():
            if column in out:
                out[column] += [n for n in names if n not in out[column]]
    return {c: tuple(names) for c, names in out.items()}


@_once
def _other_headers() -> tuple[str, ...]:
    return tuple(
        n for data in languages().values() for n in data.get("headers", {}).get("position", ())
    )


@_once
def _english_keys() -> frozenset[str]:
    return frozenset(header_key(a) for aliases in _ENGLISH_ALIASES.values() for a in aliases)


def column_aliases(headers=None) -> dict[str, tuple[str, ...]]:
    """Each input column's header names: the English ones, then every other language's.

    Given a header row whose every name English knows, the English names alone: the
    other languages' files are then not read (an English log never pays for them).

    >>> column_aliases(["Date", "Status"])["status"][:2]
    ('status', 'outcome')
    >>> "Durum" in column_aliases(["Tarih", "Durum"])["status"]
    True
    """
    return _ENGLISH_ALIASES if _all_english(headers) else _column_aliases()


def _all_english(headers) -> bool:
    """Whether a header row is given and English knows every name in it: then the other
    languages' files need not be read."""
    if headers is None:
        return False
    return all(header_key(h) in _english_keys() for h in headers if str(h).strip())


#: Client names of an example or test row a template or its owner left in the log; other
#: languages' are their files' ``test_names``. A cell is compared whole, case ignored.
_ENGLISH_TEST_NAMES = (
    "test",
    "test company",
    "testing",
    "example",
    "example company",
    "example corp",
    "example inc",
    "sample",
    "sample company",
    "dummy",
    "placeholder",
    "lorem ipsum",
    "company name",
    "your company",
    "xyz company",
    "abc company",
    "company x",
    "john doe",
    "jane doe",
)


@_once
def _test_names(every_language: bool) -> frozenset[str]:
    names = list(_ENGLISH_TEST_NAMES)
    if every_language:
        names += [n for data in languages().values() for n in data.get("test_names", ())]
    return frozenset(str(n).lower() for n in names)


def test_row_names(headers=None) -> frozenset[str]:
    """Client names that mark an example or test row, lower-cased (a cell is compared
    whole, case ignored): English's, and every language's unless the header row is all
    English (as :func:`column_aliases`).

    >>> "musterfirma gmbh" in test_row_names(["Datum", "Firma"])
    True
    >>> "test company" in test_row_names(["Date", "Company"])
    True
    """
    return _test_names(not _all_english(headers))


def without_accents(text: str) -> str:
    """``text`` without accents ("réponse" -> "reponse"); other scripts unchanged.

    >>> without_accents("Févr. Şubat 面试")
    'Fevr. Subat 面试'
    """
    import unicodedata  # only when a word is compared: importing this module stays cheap

    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def _fold(word: str) -> str:
    """A month word compared without case, accents or a trailing dot ("Févr." = "fevr")."""
    return without_accents(header_key(word))


@_once
def _month_numbers() -> dict[str, int]:
    out: dict[str, int] = {}
    for data in languages().values():
        for number, names in enumerate(data.get("dates", {}).get("months", ()), start=1):
            for name in names:
                out[_fold(name)] = number
    return out


def month_number(word: object) -> int | None:
    """The month (1-12) another language's month name or abbreviation stands for, from the
    language files' ``months``; None for a word none of them knows. English's are read by
    the date formats themselves.

    >>> month_number("Januar"), month_number("févr."), month_number("ŞUBAT"), month_number("Mayis")
    (1, 2, 2, 5)
    >>> month_number("Smarch") is None
    True
    """
    return _month_numbers().get(_fold(str(word)))


def other_headers() -> tuple[str, ...]:
    """Headers that name no input column (the job's title) but mark a header row."""
    return _other_headers()


def __getattr__(name: str) -> object:
    # COLUMN_ALIASES and OTHER_HEADERS (every language's) are built on first use (PEP 562)
    if name == "COLUMN_ALIASES":
        return _column_aliases()
    if name == "OTHER_HEADERS":
        return _other_headers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
