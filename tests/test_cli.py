"""The command line, run as a user runs it: ``python -m outreach_analytics summary ...``.

Every invocation is started at once by one module fixture and the tests read their
results, so the suite waits for the slowest process only, not for the sum of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from processes import run_cli
from statsmodels.stats.proportion import proportion_confint

from outreach_analytics import load_report, sample_path, summarize

AS_OF = "2026-11-15"
COUNT_KEYS = ["actions", "pending", "settled", "responses", "interviews", "offers", "wins"]
RATE_KEYS = ["response_rate", "interview_rate", "win_rate", "pitches_per_win"]
TOP_KEYS = {
    "rows_read",
    "rows_used",
    "rows_skipped",
    "rows_blank",
    "skipped",
    "as_of",
    "window_days",
    "overall",
    "by_channel",
    "by_pitch_type",
}

HAND_LOG = (
    "When,Where,What,Kind\n"
    "2024-03-01,Upwork,Nope,Proposal\n"  # row 2: "Nope" = rejected (mapping file)
    "2024-03-02,upwork ,Ghosted,Proposal\n"  # row 3
    "2024-03-03,Email,Hired,Cold pitch\n"  # row 4
    "soon,Email,Ghosted,Cold pitch\n"  # row 5: bad date, skipped
    "2024-03-05,Email,,Cold pitch\n"  # row 6: open; pending with a 14-day window
)
HAND_MAPPING = '[columns]\nstatus = "What"\n\n[statuses]\n"Nope" = "rejected"\n'
HAND_ARGS = [
    "--column",
    "date=When",
    "--column",
    "channel=Where",
    "--mapping",
    "map.toml",
    "--skip-invalid",
    "--as-of",
    "2024-03-15",
]


@dataclass
class Run:
    args: list[str]
    code: int
    out: str
    err: str

    def json(self) -> dict:
        assert self.code == 0, self.err
        return json.loads(self.out)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "hand.csv").write_text(HAND_LOG, encoding="utf-8")
    (folder / "map.toml").write_text(HAND_MAPPING, encoding="utf-8")
    (folder / "bad.toml").write_text("[columns\ndate = 'x'\n", encoding="utf-8")
    (folder / "plain.csv").write_text(
        "Date,Platform,Status\n2024-01-01,Upwork,Rejected\n2024-01-02,,Ghosted\n", encoding="utf-8"
    )
    (folder / "unknown.csv").write_text(
        "Date,Status\n2024-01-01,Sent\n2024-01-02,Rejeted\n2024-01-03,Rejeted\n", encoding="utf-8"
    )
    sample = str(sample_path())
    commands = {
        "sample_json": [sample, "--json", "--as-of", AS_OF],
        "sample_rich": [sample, "--as-of", AS_OF],
        "hand_json": ["hand.csv", "--json", *HAND_ARGS],
        "hand_window": ["hand.csv", "--json", *HAND_ARGS, "--window", "3"],
        "hand_rich": ["hand.csv", *HAND_ARGS],
        "plain_json": ["plain.csv", "--json", "--as-of", "2024-06-01"],
        "err_unknown_status": ["unknown.csv", "--json"],
        "err_missing_file": ["nowhere.csv", "--json"],
        "err_column_form": ["plain.csv", "--json", "--column", "date"],
        "err_column_missing": ["plain.csv", "--json", "--column", "date=Sent On"],
        "err_as_of": ["plain.csv", "--json", "--as-of", "15/11/2026"],
        "err_as_of_before_log": ["plain.csv", "--json", "--as-of", "2020-01-01"],
        "err_mapping": ["plain.csv", "--json", "--mapping", "bad.toml"],
        "err_window": ["plain.csv", "--json", "--window", "-1"],
    }
    done = run_cli({name: ["summary", *args] for name, args in commands.items()}, folder, 120)
    return {name: Run(commands[name], r.returncode, r.stdout, r.stderr) for name, r in done.items()}


# ------------------------------------------------------------------ the JSON contract


def _check_metrics(rec: dict) -> None:
    for key in COUNT_KEYS:
        assert type(rec[key]) is int, key
    assert rec["pending"] + rec["settled"] == rec["actions"]
    for key in RATE_KEYS:
        value = rec[key]
        assert set(value) == {"value", "ci_low", "ci_high"}, key
        if value["value"] is None and key == "pitches_per_win":
            # no win yet: at least ci_low pitches per win (null with nothing settled)
            assert value["ci_high"] is None
            assert (value["ci_low"] is None) == (rec["settled"] == 0)
        elif value["value"] is None:
            assert value["ci_low"] is None and value["ci_high"] is None
        else:
            assert all(isinstance(value[k], float) for k in value), key
            assert value["ci_low"] <= value["value"] <= value["ci_high"]


def _check_contract(s: dict) -> None:
    assert set(s) >= TOP_KEYS
    for key in ("rows_read", "rows_used", "rows_skipped", "rows_blank", "window_days"):
        assert type(s[key]) is int, key
    assert s["rows_read"] == s["rows_used"] + s["rows_skipped"] + s["rows_blank"]
    for problem in s["skipped"]:
        assert {"row", "column", "value", "reason"} <= set(problem)
        assert type(problem["row"]) is int
    _check_metrics(s["overall"])
    for key, label in (("by_channel", "channel"), ("by_pitch_type", "pitch_type")):
        assert isinstance(s[key], list)
        for seg in s[key]:
            assert isinstance(seg[label], str)
            _check_metrics(seg)
        if s[key]:
            for c in COUNT_KEYS:
                assert sum(seg[c] for seg in s[key]) == s["overall"][c]


def test_sample_json_is_the_contract_object(runs):
    run = runs["sample_json"]
    assert run.err == ""
    s = run.json()
    _check_contract(s)
    assert s["as_of"] == AS_OF and s["window_days"] == 14
    assert s["rows_read"] == 1000
    assert len(s["by_channel"]) == 5 and len(s["by_pitch_type"]) == 5


def test_sample_json_equals_summarize(runs):
    expected = summarize(load_report(sample_path()), as_of=AS_OF)
    got = runs["sample_json"].json()
    for key in TOP_KEYS:
        assert got[key] == expected[key], key  # JSON floats round-trip exactly


def test_options_column_mapping_skip_invalid_and_as_of(runs):
    s = runs["hand_json"].json()
    _check_contract(s)
    assert (s["rows_read"], s["rows_used"], s["rows_skipped"], s["rows_blank"]) == (5, 4, 1, 0)
    assert len(s["skipped"]) == 1
    skipped = s["skipped"][0]
    assert (skipped["row"], skipped["column"], skipped["value"]) == (5, "When", "soon")
    assert "not a date" in skipped["reason"]
    assert s["as_of"] == "2024-03-15" and s["window_days"] == 14
    o = s["overall"]
    # rows 2 (rejected), 3 (ghosted), 4 (hired), 6 (open, 10 days old: pending)
    assert [o[k] for k in COUNT_KEYS] == [4, 1, 3, 2, 1, 1, 1]
    low, high = proportion_confint(2, 3, alpha=0.05, method="wilson")
    assert o["response_rate"]["value"] == pytest.approx(2 / 3)
    assert o["response_rate"]["ci_low"] == pytest.approx(low, rel=1e-10)
    assert o["response_rate"]["ci_high"] == pytest.approx(high, rel=1e-10)
    assert o["pitches_per_win"]["value"] == pytest.approx(3.0)
    low, high = proportion_confint(1, 3, alpha=0.05, method="wilson")
    assert o["pitches_per_win"]["ci_low"] == pytest.approx(1 / high, rel=1e-10)
    assert o["pitches_per_win"]["ci_high"] == pytest.approx(1 / low, rel=1e-10)
    channels = {seg["channel"]: seg["actions"] for seg in s["by_channel"]}
    assert channels == {"Upwork": 2, "Email": 2}
    types = {seg["pitch_type"]: seg["actions"] for seg in s["by_pitch_type"]}
    assert types == {"Proposal": 2, "Cold pitch": 2}


def test_window_option(runs):
    s = runs["hand_window"].json()
    assert s["window_days"] == 3
    # cutoff 2024-03-12: the open row of 2024-03-05 has waited long enough
    assert (s["overall"]["pending"], s["overall"]["settled"]) == (0, 4)


def test_log_without_pitch_type_has_an_empty_list(runs):
    s = runs["plain_json"].json()
    _check_contract(s)
    assert s["by_pitch_type"] == []
    assert {seg["channel"] for seg in s["by_channel"]} == {"Upwork", "unspecified"}
    o = s["overall"]
    assert (o["wins"], o["win_rate"]["value"]) == (0, 0.0)
    # no win yet: at least 1 / (upper bound of the win-rate interval) pitches per win
    _, high = proportion_confint(0, o["settled"], alpha=0.05, method="wilson")
    assert o["pitches_per_win"]["value"] is None and o["pitches_per_win"]["ci_high"] is None
    assert o["pitches_per_win"]["ci_low"] == pytest.approx(1 / float(high), rel=1e-10)


def test_rich_output_prints(runs):
    for name in ("sample_rich", "hand_rich"):
        run = runs[name]
        assert run.code == 0, run.err
        assert "Traceback" not in run.err
        assert "By channel" in run.out and "By pitch type" in run.out
    assert "Upwork" in runs["sample_rich"].out
    assert "1000 rows read" in runs["sample_rich"].out
    assert "Skipped rows" in runs["hand_rich"].out and "soon" in runs["hand_rich"].out


# ------------------------------------------------------------------ user errors


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("err_unknown_status", "--mapping"),
        ("err_missing_file", "Check the path"),
        ("err_column_form", "Fix:"),
        ("err_column_missing", "Fix:"),
        ("err_as_of", "Fix:"),
        ("err_as_of_before_log", "Fix:"),
        ("err_mapping", "Fix:"),
    ],
)
def test_user_errors_exit_2_with_a_message_and_no_traceback(runs, name, fix):
    run = runs[name]
    assert run.code == 2, (run.out, run.err)
    assert run.out == ""
    assert "Traceback" not in run.err
    paragraph = run.err.strip().split("\n\n")[0].splitlines()[0]
    assert paragraph.startswith("error: ")
    assert fix in paragraph


def test_user_error_messages_name_what_is_wrong(runs):
    assert "'Rejeted'" in runs["err_unknown_status"].err
    assert "first at row 3" in runs["err_unknown_status"].err
    assert "nowhere.csv" in runs["err_missing_file"].err
    assert "CANONICAL=SOURCE_COLUMN" in runs["err_column_form"].err
    assert "'Sent On'" in runs["err_column_missing"].err
    assert "15/11/2026" in runs["err_as_of"].err and "YYYY-MM-DD" in runs["err_as_of"].err
    assert "bad.toml" in runs["err_mapping"].err and "TOML" in runs["err_mapping"].err


def test_as_of_before_the_log_is_one_error_naming_it(runs):
    """Not "impossible date" for every row: one message names --as-of and the first date."""
    err = runs["err_as_of_before_log"].err
    assert "--as-of 2020-01-01 is before the log's first date (2024-01-01)" in err
    assert "more than a year in the future" in err and "--as-of 2024-01-01" in err
    assert "not a possible date" not in err and err.count("error:") == 1


def test_bad_option_value_is_a_usage_error(runs):
    run = runs["err_window"]
    assert run.code == 2
    assert "Traceback" not in run.err
    assert "--window" in run.err
