"""summary --json gains comparison, forecast and challenge; the CLI prints the verdicts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from outreach_analytics import load_report, sample_path, summarize
from outreach_analytics.analysis.verdicts import verdict_lines

OLD_KEYS = {
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
    "blank_rows",
    "source",
    "notes",
}


def test_summary_gains_the_new_keys_without_changing_old_ones():
    s = summarize(load_report(sample_path()), as_of="2026-11-15")
    assert set(s) >= OLD_KEYS
    comp = s["comparison"]
    assert set(comp) == {"channel", "pitch_type"}
    for block in comp.values():
        assert {"test", "p_value", "segments"} <= set(block)
        assert abs(sum(seg["p_best"] for seg in block["segments"]) - 1) < 1e-9
        for seg in block["segments"]:
            assert {
                "name",
                "shrunk_rate",
                "cred_low",
                "cred_high",
                "p_best",
                "holm_p_vs_best",
            } <= set(seg)
            assert seg["cred_low"] <= seg["shrunk_rate"] <= seg["cred_high"]
    f = s["forecast"]
    assert set(f["pitches_for_next_win"]) == {"p50", "p80", "p95"}
    assert set(f["expected_wins_4w"]) == {"value", "ci_low", "ci_high"}
    assert "next_win_date_80" in f
    assert {"no_count", "next_goal", "projected_date"} <= set(s["challenge"])
    json.dumps(s)  # all plain JSON


def test_verdict_lines_fit_80_columns():
    s = summarize(load_report(sample_path()), as_of="2026-11-15")
    lines = verdict_lines(s)
    assert len(lines) >= 4
    assert all(len(line) <= 80 for line in lines)
    assert verdict_lines({}) == []


def test_cli_prints_the_verdicts_and_the_json_keys():
    env = {**os.environ, "COLUMNS": "80"}
    args = [
        sys.executable,
        "-m",
        "outreach_analytics",
        "summary",
        str(sample_path()),
        "--as-of",
        "2026-11-15",
    ]
    text = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert text.returncode == 0, text.stderr
    assert "What the numbers say" in text.stdout
    assert "Referral gets replies more often than the other channels" in text.stdout
    as_json = subprocess.run(
        [*args, "--json"], capture_output=True, text=True, env=env, timeout=300
    )
    s = json.loads(as_json.stdout)
    assert s["challenge"]["next_goal"] == 1000
    assert s["comparison"]["channel"]["segments"][0]["name"] == "Referral"
