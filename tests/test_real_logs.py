"""The real logs in data/real/ load, and their counts match counts made here by hand.

The expected numbers are computed in this file with plain pandas on the raw CSV, with our
own reading of each log's status words and stage columns, never taken from the loader.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from outreach_analytics import counts, load_report, summarize

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


def _jas_stage(raw: pd.DataFrame) -> pd.Series:
    status = raw["Response?"].str.strip()
    assert set(status) <= set(JAS_STATUS), "a status word this test does not read"
    stage = status.map(lambda s: STAGE[JAS_STATUS[s][0]])
    stage = np.maximum(stage, np.where(raw["Date of 1st Response"] != "", 1, 0))
    stage = np.maximum(stage, np.where(raw["Date Interview"] != "", 2, 0))
    stage = np.maximum(stage, np.where(raw["Job Offer"].str.casefold() == "yes", 3, 0))
    return pd.Series(stage, index=raw.index)


def test_jas_counts_match_the_raw_file(jas_raw, jas_report):
    status = jas_raw["Response?"].str.strip()
    stage = _jas_stage(jas_raw)
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
    # every count of every site (the notebook's table), from our own reading of the stages
    stage = _jas_stage(jas_raw)
    by = counts(jas_report.data, "channel", as_of="2023-03-13").set_index("channel")
    for name, row in by.iterrows():
        mine = stage[_key(site) == _key(pd.Series([name])).iloc[0]]
        assert {k: int(row[k]) for k in _expected_counts(mine)} == _expected_counts(mine), name
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
    # the applicant's no (mapped in jsa.toml): the log keeps "Rejected" for the employer's,
    # and 3 of the 5 rows have a Proposition date; the built-in reading of "Turn down" is
    # the employer's no, which counted these 5 rows as rejections (issue 19)
    "Turn down": ("responded", "withdrawn"),
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


def test_jsa_rows_and_the_undated_one(jsa_raw, jsa_report):
    # Issue 7: a row with an outcome (here a status word) but no date at all is an action
    # of unknown date: used, counted in rates and the funnel, listed in data quality.
    rep = jsa_report
    no_date = _jsa_date_text(jsa_raw) == ""
    has_status = jsa_raw["Status"].str.strip() != ""
    assert has_status.all()  # every row says something: none is blank or skipped
    assert rep.rows_read == len(jsa_raw) == 447
    assert (rep.rows_used, rep.rows_skipped, rep.rows_blank) == (len(jsa_raw), 0, 0)
    assert rep.undated_rows == jsa_raw.index[no_date & has_status].tolist()
    assert int(no_date.sum()) == 1  # sheet row 35: "Applied" at Vertbaudet, no date anywhere
    assert len(rep.skipped) == 0
    assert set(rep.data["source_row"]) == set(jsa_raw.index)
    assert rep.data.set_index("source_row")["date"].loc[jsa_raw.index[no_date]].isna().all()


def test_jsa_dates_are_day_first(jsa_raw, jsa_report):
    dated = jsa_raw[_jsa_date_text(jsa_raw) != ""]
    text = _jsa_date_text(dated).str.slice(0, 10)
    expected = pd.to_datetime(text, format="%d/%m/%Y")
    got = jsa_report.data.set_index("source_row")["date"]
    assert (got.reindex(dated.index) == expected).all()


def test_jsa_counts_match_the_raw_file(jsa_raw, jsa_report):
    # every row is an action, the undated one included
    status = jsa_raw["Status"].str.strip()
    assert set(status) <= set(JSA_STATUS), "a status word this test does not read"
    stage = status.map(lambda s: STAGE[JSA_STATUS[s][0]]).to_numpy()
    stage = np.maximum(stage, np.where(jsa_raw["Phone call"] != "", 1, 0))
    interviewed = (jsa_raw[INTERVIEWS] != "").any(axis=1).to_numpy()
    stage = np.maximum(stage, np.where(interviewed, 2, 0))
    stage = np.maximum(stage, np.where(jsa_raw["Proposition"] != "", 3, 0))
    assert _loader_counts(jsa_report, "2023-11-30") == _expected_counts(pd.Series(stage))
    result = jsa_report.data["result"].astype(str)
    expected_result = status.map(lambda s: JSA_STATUS[s][1])
    assert (result == "rejected").sum() == (expected_result == "rejected").sum()
    assert (result == "won").sum() == (expected_result == "won").sum() == 1
    assert (result == "withdrawn").sum() == (expected_result == "withdrawn").sum() == 5


def test_jsa_channels(jsa_raw, jsa_report):
    source = _key(jsa_raw["Source"]).replace("", "unspecified")
    assert _channel_actions(jsa_report, "2023-11-30") == source.value_counts().to_dict()
    assert "unspecified" in set(jsa_report.data["channel"])  # one row has no source


# ---------------------------------------------------------------- rikunert Berlin 2017
# Tab-separated export of an R data frame (and the same table as a workbook, with a row of
# column numbers above the header): one DD.MM.YYYY date column per stage, "NA" where the
# stage was not reached, no status column. "NA" in a date column is an empty cell; in a list
# of date columns ("first non-empty wins") it must not hide a date in a later column: the
# loader once took the "NA" of reaction_1 as the reply and read 8 replies, not 18.

BERLIN_TSV = REAL / "job_applications_2017_berlin.tsv"
BERLIN_XLSX = REAL / "job_applications_2017_berlin.xlsx"
BERLIN_MAPPING = REAL / "berlin_2017.toml"
BERLIN_AS_OF = "2017-12-31"
# our reading of the columns: any reaction, a take-home task or a rejection is a reply
BERLIN_REPLIES = ["reaction_1", "reaction_2", "reaction_3", "reaction_4", "task_received"]
BERLIN_REPLIES += ["rejection"]
BERLIN_INTERVIEWS = ["interview_1", "interview_2"]


@pytest.fixture(scope="module")
def berlin_raw() -> pd.DataFrame:
    with open(BERLIN_TSV, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    raw = pd.DataFrame(rows[1:], columns=rows[0])
    return raw.replace("NA", "")


def _berlin_stage(raw: pd.DataFrame) -> pd.Series:
    reached = lambda cols: (raw[cols] != "").any(axis=1).to_numpy()  # noqa: E731
    stage = np.where(reached(BERLIN_REPLIES), 1, 0)
    stage = np.maximum(stage, np.where(reached(BERLIN_INTERVIEWS), 2, 0))
    stage = np.maximum(stage, np.where(raw["job_offer"] != "", 3, 0))
    return pd.Series(stage)


@pytest.mark.parametrize("path", [BERLIN_TSV, BERLIN_XLSX], ids=["tsv", "xlsx"])
def test_berlin_loads_with_its_mapping_and_loses_nothing(berlin_raw, path):
    rep = load_report(path, mapping=BERLIN_MAPPING)
    assert rep.rows_read == len(berlin_raw) == 25
    assert (rep.rows_used, rep.rows_skipped, rep.rows_blank) == (25, 0, 0)
    assert rep.rows_read == rep.rows_used + rep.rows_skipped + rep.rows_blank
    expected = pd.to_datetime(berlin_raw["application_start"], format="%d.%m.%Y")
    assert rep.data["date"].tolist() == expected.tolist()


@pytest.mark.parametrize("path", [BERLIN_TSV, BERLIN_XLSX], ids=["tsv", "xlsx"])
def test_berlin_counts_match_the_raw_file(berlin_raw, path):
    rep = load_report(path, mapping=BERLIN_MAPPING)
    expected = _expected_counts(_berlin_stage(berlin_raw))
    assert expected == {"actions": 25, "responses": 18, "interviews": 7, "offers": 1, "wins": 0}
    assert _loader_counts(rep, BERLIN_AS_OF) == expected
    channel = berlin_raw["application_type"]
    assert _channel_actions(rep, BERLIN_AS_OF) == _key(channel).value_counts().to_dict()
    summary = summarize(rep, as_of=BERLIN_AS_OF)
    assert summary["overall"]["offers"] == int((berlin_raw["job_offer"] != "").sum())
    by_type = {r["channel"]: r["interviews"] for r in summary["by_channel"]}
    stage = _berlin_stage(berlin_raw).to_numpy()
    for kind in ("vacancy", "initiative", "recruiter"):
        assert by_type[kind] == int((stage[channel.to_numpy() == kind] >= 2).sum()), kind


@pytest.mark.parametrize("path", [BERLIN_TSV, BERLIN_XLSX], ids=["tsv", "xlsx"])
def test_berlin_without_a_mapping_reads_only_the_columns_it_recognises(berlin_raw, path):
    # With no mapping the loader recognises application_start, reaction_1, interview_1 and
    # job_offer (a column of dates); replies seen only in task_received or rejection are
    # not read, so the mapping is still needed for the true counts above.
    rep = load_report(path)
    assert (rep.rows_read, rep.rows_used, rep.rows_skipped, rep.rows_blank) == (25, 25, 0, 0)
    expected = pd.to_datetime(berlin_raw["application_start"], format="%d.%m.%Y")
    assert rep.data["date"].tolist() == expected.tolist()
    recognised = berlin_raw.copy()
    for col in BERLIN_REPLIES[1:] + BERLIN_INTERVIEWS[1:]:
        recognised[col] = ""
    seen = _expected_counts(_berlin_stage(recognised))
    assert _loader_counts(rep, BERLIN_AS_OF) == seen
    assert seen["responses"] == int((berlin_raw["reaction_1"] != "").sum()) == 8
    true = _expected_counts(_berlin_stage(berlin_raw))
    assert seen["responses"] < true["responses"]
    assert (seen["interviews"], seen["offers"]) == (true["interviews"], true["offers"])


# ---------------------------------------------------------------- ai-job-search tracker 2026
# A tracker kept by an application agent for one person (MIT, see README): ISO dates,
# lowercase status words with underscores, the ATS in `channel`, the posting URL host in
# `source`. Five rows were never sent (held for a referral, blocked, "needs manual"): they
# are planned. The last ten lines end in CRLF, the others in LF. Waits for issue 7:
# the `planned` state and `ignore` under [options].

AIJS = REAL / "ai_job_search_tracker_2026.csv"
AIJS_MAPPING = REAL / "ai_job_search.toml"
AIJS_AS_OF = "2026-08-31"
AIJS_STATUS = {  # our reading of each status word
    "applied": "sent",
    "referral_pending": "planned",  # held back until a referral comes through
    "needs_manual": "planned",  # the agent could not submit it
    "filled_needs_manual_submit": "planned",
    "blocked": "planned",
}


@pytest.fixture(scope="module")
def aijs_raw() -> pd.DataFrame:
    with open(AIJS, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return pd.DataFrame(rows)


def test_aijs_file_is_as_published(aijs_raw):
    data = AIJS.read_bytes()
    assert len(data) == 8619
    assert data.count(b"\r\n") == 10 and data.count(b"\n") == 37
    assert len(aijs_raw) == 36 and set(aijs_raw["status"]) == set(AIJS_STATUS)


def test_aijs_loads_with_its_mapping_and_loses_nothing(aijs_raw):
    rep = load_report(AIJS, mapping=AIJS_MAPPING)
    assert rep.rows_read == len(aijs_raw) == 36
    assert (rep.rows_used, rep.rows_skipped, rep.rows_blank) == (36, 0, 0)
    assert rep.data["date"].tolist() == pd.to_datetime(aijs_raw["date"]).tolist()


def test_aijs_planned_rows_are_kept_but_are_not_actions(aijs_raw):
    rep = load_report(AIJS, mapping=AIJS_MAPPING)
    state = aijs_raw["status"].map(AIJS_STATUS)
    sent = state == "sent"
    assert (int(sent.sum()), int((~sent).sum())) == (31, 5)
    # nobody has answered yet: every count past `sent` is zero
    expected = {"actions": int(sent.sum()), "responses": 0, "interviews": 0, "offers": 0}
    expected["wins"] = 0
    assert _loader_counts(rep, AIJS_AS_OF) == expected
    summary = summarize(rep, as_of=AIJS_AS_OF)
    assert summary["overall"]["planned"] == int((~sent).sum())
    assert summary["overall"]["actions"] == int(sent.sum())
    got = {r["channel"].casefold(): (r["actions"], r["planned"]) for r in summary["by_channel"]}
    channels = aijs_raw["channel"]
    assert set(got) == set(channels.str.casefold())
    for name in channels.unique():
        mine = channels == name
        expected = (int((mine & sent).sum()), int((mine & ~sent).sum()))
        assert got[name.casefold()] == expected, name
    assert sum(a for a, _ in got.values()) == int(sent.sum())


# ---------------------------------------------------------------- jeanneferrer Calgary 2025

CALGARY = REAL / "job_applications_2025_calgary.csv"
CALGARY_STATUS = {  # our reading of each status word (the log's README explains none)
    "Applied": ("sent", "open"),
    "Ghosted": ("sent", "no_response"),
    "Rejected (App)": ("responded", "rejected"),  # rejected after the application
    "Rejected (Interview)": ("interview", "rejected"),  # rejected after an interview
    "Not Interested Anymore": ("sent", "withdrawn"),  # the applicant lost interest
    "OFFER!!!!": ("offer", "open"),
}


@pytest.fixture(scope="module")
def calgary_raw() -> pd.DataFrame:
    with open(CALGARY, newline="", encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def test_calgary_loads_with_no_mapping_and_no_dates(calgary_raw):
    """No date column at all: every row an action of unknown date, none lost."""
    rep = load_report(CALGARY)
    assert rep.rows_read == len(calgary_raw) == 159
    assert (rep.rows_used, rep.rows_skipped, rep.rows_blank) == (159, 0, 0)
    assert rep.columns == {"client": ["company"], "channel": ["platform"], "status": ["status"]}
    assert rep.data["date"].isna().all() and rep.undated_rows == list(range(2, 161))
    assert set(calgary_raw["status"]) == set(CALGARY_STATUS)


def test_calgary_counts_match_the_raw_file(calgary_raw):
    rep = load_report(CALGARY)
    reading = calgary_raw["status"].map(CALGARY_STATUS)
    stage = reading.str[0].map(STAGE)
    assert _loader_counts(rep, "2025-12-31") == _expected_counts(stage)
    by_channel = counts(rep.data, "channel", as_of="2025-12-31").set_index("channel")
    for name, rows in calgary_raw.groupby("platform"):
        got = by_channel.loc[name]
        expected = _expected_counts(stage[rows.index])
        assert {k: int(got[k]) for k in expected} == expected, name
    # both offers came from cold e-mails (25 of them)
    assert int(by_channel.loc["Cold Email", "offers"]) == 2


# ---------------------------------------------------------------- every log in data/real


def test_every_real_log_has_a_short_mapping_and_a_licence_notice():
    """Issue 7: each real log loads with at most 10 lines of mapping; MIT logs keep their notice."""
    mappings = sorted(REAL.glob("*.toml"))
    assert {m.name for m in mappings} == {"jsa.toml", "berlin_2017.toml", "ai_job_search.toml"}
    for m in mappings:
        assert len(m.read_text(encoding="utf-8").splitlines()) <= 10, m.name
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    logs = sorted(p.name for p in REAL.iterdir() if p.suffix in {".csv", ".tsv", ".xlsx"})
    assert len(logs) == 6
    for name in logs:
        assert name in readme or name.replace(".xlsx", ".tsv") in readme, name
    for notice in (
        "rikunert-job_applications",
        "TimHanneman-Job-Application-Statistics",
        "MadsLorentzen-ai-job-search",
        "jeanneferrer-job-application-data-analysis",
    ):
        text = (REAL / f"LICENSE-{notice}.txt").read_text(encoding="utf-8")
        assert text.startswith("MIT License"), notice
