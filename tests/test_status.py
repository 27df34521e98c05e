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
