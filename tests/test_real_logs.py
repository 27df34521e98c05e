"""The two real logs in data/real/ load, and their counts match counts made here by hand.

The expected numbers are computed in this file with plain pandas on the raw CSV, with our
own reading of each log's status words and stage columns, never taken from the loader.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outreach_analytics import counts, load_report

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
STAGE = {"sent": 0, "responded": 1, "interview": 2, "offer": 3, "won": 4}


def _loader_counts(rep, as_of: str) -> dict[str, int]:
    c = counts(rep.data, as_of=as_of).iloc[0]
    return {k: int(c[k]) for k in ("actions", "responses", "interviews", "offers", "wins")}


def _expected_counts(stage: pd.Series) -> dict[str, int]:
    return {
        "actions": len(stage),
        "responses": int((stage >= 1).sum()),
        "interviews": int((stage >= 2).sum()),
        "offers": int((stage >= 3).sum()),
        "wins": int((stage >= 4).sum()),
    }


def _key(names: pd.Series) -> pd.Series:
    """Spellings of one name compared without case and spaces ("Otter Jobs" = "OtterJobs")."""
    return names.str.casefold().str.replace(r"\s+", "", regex=True)


def _channel_actions(rep, as_of: str) -> dict[str, int]:
    by = counts(rep.data, "channel", as_of=as_of)
    return dict(zip(_key(by["channel"]), by["actions"].astype(int), strict=True))


# ---------------------------------------------------------------- TimHanneman 2021-2023

JAS = REAL / "job_application_statistics_2021_2023.csv"
# Response? word -> (stage, result), read by us from the log's own README-less columns
JAS_STATUS = {
    "Ghosted": ("sent", "no_response"),
    "Rejected": ("responded", "rejected"),
    "Interview": ("interview", "open"),
    "Inter + Rejec": ("interview", "rejected"),
    "Position Removed": ("sent", "withdrawn"),
    "Offer": ("offer", "open"),
}


@pytest.fixture(scope="module")
def jas_raw() -> pd.DataFrame:
    return pd.read_csv(JAS, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def jas_report():
    return load_report(JAS)


def test_jas_loads_without_a_mapping(jas_raw, jas_report):
    rep = jas_report
    assert rep.rows_read == len(jas_raw) == 177
    assert (rep.rows_used, rep.rows_skipped, rep.rows_blank) == (len(jas_raw), 0, 0)
    # M/D/YYYY: 11/14/2021 is the 14th of November
    first = jas_raw["Date sent"].iloc[0]
    month, day, year = (int(x) for x in first.split("/"))
    assert rep.data["date"].iloc[0] == pd.Timestamp(year, month, day)


def test_jas_counts_match_the_raw_file(jas_raw, jas_report):
    status = jas_raw["Response?"].str.strip()
    assert set(status) <= set(JAS_STATUS), "a status word this test does not read"
    stage = status.map(lambda s: STAGE[JAS_STATUS[s][0]])
    stage = np.maximum(stage, np.where(jas_raw["Date of 1st Response"] != "", 1, 0))
    stage = np.maximum(stage, np.where(jas_raw["Date Interview"] != "", 2, 0))
    stage = np.maximum(stage, np.where(jas_raw["Job Offer"].str.casefold() == "yes", 3, 0))
    stage = pd.Series(stage)
    assert _loader_counts(jas_report, "2023-03-13") == _expected_counts(stage)
    result = jas_report.data["result"].astype(str).value_counts()
    expected = status.map(lambda s: JAS_STATUS[s][1]).value_counts()
    for name in ("rejected", "no_response", "withdrawn", "open"):
        assert int(result.get(name, 0)) == int(expected.get(name, 0)), name
    assert (
        int(result.get("rejected", 0))
        == (status == "Rejected").sum() + (status == "Inter + Rejec").sum()
    )


def test_jas_channels_group_spellings(jas_raw, jas_report):
    site = jas_raw["Application site"].str.strip()
    assert {"Linkedin", "LinkedIn"} <= set(site)  # both spellings are in the file
    expected = _key(site).value_counts().to_dict()
    got = _channel_actions(jas_report, "2023-03-13")
    assert got == expected
    linkedin = [c for c in jas_report.data["channel"].unique() if c.casefold() == "linkedin"]
    assert len(linkedin) == 1
    # shown as the commonest spelling
    assert linkedin[0] == site[site.str.casefold() == "linkedin"].value_counts().index[0]


# ---------------------------------------------------------------- Luunynliny/jsa 2023

JSA = REAL / "jsa_2023_job_search_fr.csv"
JSA_MAPPING = REAL / "jsa.toml"
JSA_STATUS = {
    "Applied": ("sent", "open"),
    "Rejected": ("responded", "rejected"),
    "No project for now": ("responded", "rejected"),  # mapped in jsa.toml
    "Turn down": ("responded", "rejected"),
    "In process": ("responded", "open"),
    "Accepted": ("won", "won"),
}
INTERVIEWS = ["1st interview", "2nd interview", "3rd interview"]


@pytest.fixture(scope="module")
def jsa_raw() -> pd.DataFrame:
    raw = pd.read_csv(JSA, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.index = raw.index + 2  # sheet rows: the header is row 1
    return raw


@pytest.fixture(scope="module")
def jsa_report():
    return load_report(JSA, mapping=JSA_MAPPING, skip_invalid=True)


def _jsa_date_text(raw: pd.DataFrame) -> pd.Series:
    """The day the action started: application, else first call, else first interview."""
    date = raw["Application"]
    for fallback in ("Phone call", "1st interview"):
        date = date.where(date != "", raw[fallback])
    return date


def test_jsa_rows_and_the_skipped_one(jsa_raw, jsa_report):
    rep = jsa_report
    no_date = _jsa_date_text(jsa_raw) == ""
    assert rep.rows_read == len(jsa_raw) == 447
    assert rep.rows_skipped == int(no_date.sum()) == 1
    assert rep.rows_used == len(jsa_raw) - int(no_date.sum())
    assert rep.rows_blank == 0
    assert rep.skipped["row"].tolist() == jsa_raw.index[no_date].tolist()
    assert rep.skipped["value"].tolist() == [""]
    assert set(rep.data["source_row"]) == set(jsa_raw.index[~no_date])


def test_jsa_dates_are_day_first(jsa_raw, jsa_report):
    used = jsa_raw[_jsa_date_text(jsa_raw) != ""]
    text = _jsa_date_text(used).str.slice(0, 10)
    expected = pd.to_datetime(text, format="%d/%m/%Y")
    got = jsa_report.data.set_index("source_row")["date"]
    assert (got.reindex(used.index) == expected).all()


def test_jsa_counts_match_the_raw_file(jsa_raw, jsa_report):
    used = jsa_raw[_jsa_date_text(jsa_raw) != ""]
    status = used["Status"].str.strip()
    assert set(status) <= set(JSA_STATUS), "a status word this test does not read"
    stage = status.map(lambda s: STAGE[JSA_STATUS[s][0]]).to_numpy()
    stage = np.maximum(stage, np.where(used["Phone call"] != "", 1, 0))
    interviewed = (used[INTERVIEWS] != "").any(axis=1).to_numpy()
    stage = np.maximum(stage, np.where(interviewed, 2, 0))
    stage = np.maximum(stage, np.where(used["Proposition"] != "", 3, 0))
    assert _loader_counts(jsa_report, "2023-11-30") == _expected_counts(pd.Series(stage))
    result = jsa_report.data["result"].astype(str)
    expected_result = status.map(lambda s: JSA_STATUS[s][1])
    assert (result == "rejected").sum() == (expected_result == "rejected").sum()
    assert (result == "won").sum() == (expected_result == "won").sum() == 1


def test_jsa_channels(jsa_raw, jsa_report):
    used = jsa_raw[_jsa_date_text(jsa_raw) != ""]
    source = _key(used["Source"]).replace("", "unspecified")
    assert _channel_actions(jsa_report, "2023-11-30") == source.value_counts().to_dict()
    assert "unspecified" in set(jsa_report.data["channel"])  # one row has no source
