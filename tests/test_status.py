"""The status vocabulary: the user's words read as (stage, result)."""

from __future__ import annotations

import pandas as pd
import pytest

from outreach_analytics import OutreachDataError, normalize
from outreach_analytics.model.schema import RESULTS, STAGES
from outreach_analytics.model.status import STATUS_WORDS, normalize_phrase, parse_status

CONTRACT_EXAMPLES = [
    ("Rejected", ("responded", "rejected")),
    ("Rejected after interview", ("interview", "rejected")),
    ("Ghosted", ("sent", "no_response")),
    ("No reply", ("sent", "no_response")),
    ("Hired", ("won", "won")),
    ("Won", ("won", "won")),
    ("Contract signed", ("won", "won")),
    # compound phrases
    ("Interviewed - rejected", ("interview", "rejected")),
    ("Offer declined", ("offer", "withdrawn")),
    ("Ghosted after interview", ("interview", "no_response")),
    ("Inter + Rejec", ("interview", "rejected")),
    # open rows
    ("Applied", ("sent", "open")),
    ("Sent", ("sent", "open")),
    ("", ("sent", "open")),
    (None, ("sent", "open")),
]


@pytest.mark.parametrize(("word", "reading"), CONTRACT_EXAMPLES)
def test_contract_examples(word, reading):
    assert parse_status(word) == reading


@pytest.mark.parametrize(
    ("variant", "word"),
    [
        ("REJECTED", "Rejected"),
        ("  rejected  ", "Rejected"),
        ("Rejected!", "Rejected"),
        ("rejected.", "Rejected"),
        ("no-reply", "No reply"),
        ("No_Reply", "No reply"),
        ("NO   REPLY", "No reply"),
        ("contract-signed!!", "Contract signed"),
        ("Interviewed -- REJECTED", "Interviewed - rejected"),
        ("offer, declined", "Offer declined"),
        ("GHOSTED (after interview)", "Ghosted after interview"),
    ],
)
def test_case_and_punctuation_do_not_matter(variant, word):
    assert parse_status(variant) == parse_status(word)
    assert parse_status(variant) is not None


@pytest.mark.parametrize("word", ["maybe later", "blorp", "Rejeted", "42", "see notes"])
def test_unknown_words_are_none(word):
    assert parse_status(word) is None


def test_every_builtin_reading_is_a_stage_and_a_result():
    for phrase, (stage, result) in STATUS_WORDS.items():
        assert stage in ("planned", *STAGES), phrase
        assert result in RESULTS, phrase
        # a win is always a won result and a won result is always a win
        assert (stage == "won") == (result == "won"), phrase
        # the phrase is stored in the form it is looked up in
        assert normalize_phrase(phrase) == phrase


def test_user_words_win_over_builtins_in_parse_status():
    assert parse_status("Rejected") == ("responded", "rejected")
    mine = {"rejected": ("interview", "rejected"), "maybe later": ("responded", "open")}
    assert parse_status("Rejected", mine) == ("interview", "rejected")
    assert parse_status("MAYBE LATER!", mine) == ("responded", "open")
    assert parse_status("Hired", mine) == ("won", "won")  # others keep their meaning


def _log(statuses):
    return pd.DataFrame(
        {"Date": [f"2024-01-0{i + 1}" for i in range(len(statuses))], "Status": statuses}
    )


def test_statuses_option_maps_words_and_wins_over_builtins():
    log = _log(["Rejected", "No project for now", "Turn down", "Ghosted"])
    out = normalize(
        log,
        statuses={
            "Rejected": "interview/rejected",  # a STAGE/RESULT pair beats the built-in word
            "No project for now": "rejected",  # a known word
            "Turn down": "offer declined",  # a known compound phrase
        },
    )
    readings = list(zip(out["stage"].astype(str), out["result"].astype(str), strict=True))
    assert readings == [
        ("interview", "rejected"),
        ("responded", "rejected"),
        ("offer", "withdrawn"),
        ("sent", "no_response"),
    ]


def test_statuses_option_is_case_and_punctuation_insensitive():
    out = normalize(_log(["no project, for now!"]), statuses={"No project for now": "rejected"})
    assert out["result"].astype(str).tolist() == ["rejected"]


@pytest.mark.parametrize("meaning", ["frobnicated", "offer/vanished", "nowhere/rejected"])
def test_statuses_option_to_an_unknown_meaning_is_an_error(meaning):
    with pytest.raises(OutreachDataError) as info:
        normalize(_log(["Nope"]), statuses={"Nope": meaning})
    message = str(info.value)
    assert "'Nope'" in message and f"'{meaning}'" in message
    assert "Fix:" in message and "STAGE/RESULT" in message


# ------------------------------------------------ issue 19: no silent misreads

_RANK = {"planned": -1, "sent": 0, "viewed": 1, "responded": 2, "interview": 3, "offer": 4}
_RANK["won"] = 5
_NEGATORS = ("not", "no", "never", "didn't get", "did not get", "without")
_POSITIVE = {
    w: r
    for w, r in STATUS_WORDS.items()
    if _RANK[r[0]] > _RANK["sent"]
    and r[1] in ("open", "won")
    and not w.startswith(("no ", "not ", "never "))
}


def _positive_at(reading, stage):
    """The reading says ``stage`` (or further) was reached and nothing went wrong."""
    return (
        reading is not None and reading[1] in ("open", "won") and _RANK[reading[0]] >= _RANK[stage]
    )


@pytest.mark.parametrize("word", sorted(_POSITIVE))
def test_audit_a_negated_positive_word_is_never_read_as_reached(word):
    stage = _POSITIVE[word][0]
    for neg in _NEGATORS:
        phrase = f"{neg} {word}"
        reading = parse_status(phrase)
        assert not _positive_at(reading, stage), (phrase, reading)
        if reading is not None:
            assert _RANK[reading[0]] < _RANK[stage] or reading[1] != _POSITIVE[word][1], phrase


@pytest.mark.parametrize(
    "word",
    sorted(
        w for w, r in _POSITIVE.items() if r[0] in ("viewed", "responded", "interview", "offer")
    ),
)
def test_audit_rejected_after_a_stage_word_reaches_that_stage(word):
    stage = _POSITIVE[word][0]
    forms = [f"rejected after {word}", f"rejected at {word}"]
    if stage != "offer":  # "offer rejected" is the owner's no, as "offer declined"
        forms.append(f"{word} rejected")
    for form in forms:
        reading = parse_status(form)
        if reading is None:
            continue
        assert reading[1] == "rejected", (form, reading)
        assert _RANK[reading[0]] >= _RANK[stage], (form, reading)


# the issue's phrases, read by hand: (stage, result), or None for "left unread"
HAND_READINGS = [
    # negation
    ("Not hired", ("responded", "rejected")),
    ("Not selected", ("responded", "rejected")),
    ("No offer", ("interview", "rejected")),
    ("Interviewed, no offer", ("interview", "rejected")),
    ("Interviewed - not hired", ("interview", "rejected")),
    ("Didn't get an interview", None),
    ("Never interviewed", None),
    ("Not offered an interview", None),
    ("No call booked", None),
    ("Rejected before interview", ("responded", "rejected")),
    ("Interview, not rejected yet", ("interview", "open")),
    ("Not moving forward", ("responded", "rejected")),
    ("Won't proceed", None),
    # the owner declining
    ("Declined the interview since I've already accepted another position", None),  # prose
    ("Declined interview - accepted another offer", ("responded", "withdrawn")),
    ("Turned down interview", ("responded", "withdrawn")),
    ("Turned down the interview", ("responded", "withdrawn")),
    ("Turned down offer", ("offer", "withdrawn")),
    ("I declined", ("sent", "withdrawn")),
    ("Withdrew after interview", ("interview", "withdrawn")),
    ("Accepted another offer", ("sent", "withdrawn")),
    ("Interview declined", None),  # by whom?
    ("Declined", ("responded", "rejected")),  # the employer's no, flagged by inspect
    # someone else got it
    ("Hired someone else", ("responded", "rejected")),
    ("They hired someone else", ("responded", "rejected")),
    ("Interviewed, hired another candidate", ("interview", "rejected")),
    # a rejection at a named stage
    ("Rejected at final stage", ("interview", "rejected")),
    ("Rejected after final stage", ("interview", "rejected")),
    ("Rejected after interview", ("interview", "rejected")),
    ("Rejected after onsite", ("interview", "rejected")),
    ("Rejected after technical", ("interview", "rejected")),
    ("Rejected after the second round", ("interview", "rejected")),
    ("Rejected after assessment", ("interview", "rejected")),
    ("Rejected after CV screening", ("responded", "rejected")),
    ("Rejected at first stage", ("responded", "rejected")),
    # prose
    ("Ola Larsson confirmed they went with another candidate", None),
    ("Rejected. Will try again next year", None),
    # the employer closed the role: one reading
    ("Position filled", ("sent", "withdrawn")),
    ("Position removed", ("sent", "withdrawn")),
    ("Job closed", ("sent", "withdrawn")),
    ("Posting removed", ("sent", "withdrawn")),
    ("Role cancelled", ("sent", "withdrawn")),
    ("Position was filled", ("sent", "withdrawn")),
    # unchanged
    ("Offer declined", ("offer", "withdrawn")),
    ("Rejected-Interview", ("interview", "rejected")),
    ("Call booked", ("interview", "open")),
    ("Hired", ("won", "won")),
]


@pytest.mark.parametrize(("word", "reading"), HAND_READINGS)
def test_issue_19_phrases_read_as_a_person_reads_them(word, reading):
    assert parse_status(word) == reading


# A tracker shaped like a Notion export, invented for this test: the issue's phrases in
# "Status" beside dates and companies. Sheet rows are numbered from 2 (row 1 is the header).
NOTION_EXPORT = """\
Company,Role,Status,Date Applied,Tags
Northwind,Data Analyst,Applied,2024-03-01,remote
Contoso,Analyst,Not hired,2024-03-02,
Fabrikam,Engineer,Rejected at final stage,2024-03-03,onsite
Initech,Data Scientist,Turned down interview,2024-03-04,
Globex,BI Developer,Declined the interview since I've already accepted another position,\
2024-03-05,
Umbrella,Analyst,Ola Larsson confirmed they went with another candidate,2024-03-06,
Hooli,Data Engineer,Position filled,2024-03-07,
Vandelay,Analyst,Position removed,2024-03-08,
Stark,ML Engineer,"Interviewed, no offer",2024-03-09,
Wayne,Analyst,Interview declined,2024-03-10,
Acme,Data Analyst,Offer declined,2024-03-11,
Soylent,Analyst,Hired,2024-03-12,
"""
# rows left unread, as numbered in the sheet: the two sentences and "Interview declined"
NOTION_UNREAD = [6, 7, 11]


def test_a_tracker_reports_unread_phrases_and_counts_the_read_ones(tmp_path):
    from outreach_analytics import counts, inspect, load_report

    path = tmp_path / "notion_export.csv"
    path.write_text(NOTION_EXPORT, encoding="utf-8")
    rep = load_report(path, skip_invalid=True)
    assert rep.rows_read == 12 and rep.rows_skipped == 3
    skipped = rep.skipped
    assert sorted(skipped["row"]) == NOTION_UNREAD
    assert (skipped["column"] == "Status").all()
    assert skipped["reason"].str.contains("unknown status word").all()
    # by hand, over the 9 read rows: Applied, Not hired (a reply, rejected), final stage
    # (interview), Turned down interview (a reply), Position filled and removed (sent),
    # Interviewed no offer (interview), Offer declined (offer), Hired (won)
    c = counts(rep.data, as_of="2024-06-30").iloc[0]
    got = {k: int(c[k]) for k in ("actions", "responses", "interviews", "offers", "wins")}
    assert got == {"actions": 9, "responses": 6, "interviews": 4, "offers": 2, "wins": 1}
    readings = dict(
        zip(
            rep.data["source_row"],
            zip(rep.data["stage"].astype(str), rep.data["result"].astype(str), strict=True),
            strict=True,
        )
    )
    assert readings[3] == ("responded", "rejected")  # "Not hired" was read as won
    assert readings[4] == ("interview", "rejected")  # "Rejected at final stage"
    assert readings[5] == ("responded", "withdrawn")  # "Turned down interview"
    assert readings[8] == readings[9] == ("sent", "withdrawn")  # filled = removed

    ins = inspect(path)
    values = ins.values.set_index("value")
    prose = "Ola Larsson confirmed they went with another candidate"
    declined = "Declined the interview since I've already accepted another position"
    unread = [prose, "Interview declined", declined]
    assert values.loc[unread, "reading"].isna().all()
    toml = ins.mapping_toml()
    assert f'# TODO "{prose}" = ""' in toml and '# TODO "Interview declined" = ""' in toml
    assert "a sentence, not a status word" in values.loc[prose, "flag"]
    # a reading made from the words in a phrase says which words
    assert values.loc["Interviewed, no offer", "flag"].startswith("read from the words")
