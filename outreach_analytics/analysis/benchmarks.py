"""Published benchmarks, and whether the user's rate is consistent with them.

``data/benchmarks.csv`` holds only figures from published sources, each with its URL and
the figure quoted as the source words it: cold e-mail reply rates, Upwork response rates,
job-board interview rates, hire rates by source. Their denominators differ from a
freelancer's log (candidates an employer considered, e-mails a campaign sent), so every
comparison names the source and its denominator.

The check is an exact two-sided binomial test (as ``scipy.stats.binomtest``) of the user's
successes out of their settled actions against the benchmark's rate; for a benchmark
given as a range, against the end of the range nearest to the user's rate (a rate inside
the range is consistent with it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .metrics import DEFAULT_WINDOW, counts

__all__ = [
    "BENCHMARK_COLUMNS",
    "benchmarks_path",
    "benchmarks",
    "check_rate",
    "check_benchmarks",
    "benchmark_check",
]

BENCHMARK_COLUMNS = [
    "metric",
    "channel",
    "value_low",
    "value_high",
    "denominator",
    "population",
    "year",
    "source",
    "source_url",
    "quote",
]
_RATE_COLUMNS = {"response": "responses", "interview": "interviews", "win": "wins"}
#: Words in a user's channel name that match a benchmark's channel.
CHANNEL_WORDS = {
    "upwork": ("upwork",),
    "cold_email": ("email", "e-mail", "cold"),
    "referral": ("referral", "referred"),
    "job_board": ("job board", "jobboard", "indeed", "careers site", "job posting", "glassdoor"),
}


def benchmarks_path() -> Path:
    """The bundled ``benchmarks.csv`` (``_data/`` in a wheel, ``data/`` in the source tree).

    >>> benchmarks_path().name
    'benchmarks.csv'
    """
    here = Path(__file__).resolve()
    for candidate in (
        here.parents[1] / "_data" / "benchmarks.csv",
        here.parents[2] / "data" / "benchmarks.csv",
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("The bundled benchmarks.csv is missing from _data/ and data/.")


def benchmarks() -> pd.DataFrame:
    """The published benchmarks, one row per figure, with source URL and quote.

    >>> b = benchmarks()
    >>> bool(b["source_url"].str.startswith("https://").all())
    True
    """
    return pd.read_csv(benchmarks_path(), dtype={"year": "int64"})[BENCHMARK_COLUMNS]


def check_rate(successes: int, trials: int, low: float, high: float | None = None) -> dict:
    """Is ``successes`` out of ``trials`` consistent with a rate in [low, high]?

    Returns ``rate``, ``p_value`` (two-sided exact binomial test against the nearest
    rate of the range) and ``verdict`` (``"consistent"``, ``"below"`` or ``"above"`` at
    the 5% level; ``"no data"`` without trials).

    >>> r = check_rate(2, 100, 0.1)
    >>> r["verdict"], round(r["p_value"], 4)
    ('below', 0.0039)
    """
    from scipy.stats import binomtest  # 0.5 s to import: only where a check runs

    high = low if high is None else high
    if trials <= 0:
        return {"rate": np.nan, "p_value": np.nan, "verdict": "no data"}
    rate = successes / trials
    nearest = min(max(rate, low), high)
    p = float(binomtest(int(successes), int(trials), nearest).pvalue)
    verdict = "consistent" if p >= 0.05 else "below" if rate < low else "above"
    return {"rate": rate, "p_value": p, "verdict": verdict}


def check_benchmarks(
    successes: int, trials: int, metric: str, channel: str | None = None
) -> pd.DataFrame:
    """The user's rate against every benchmark of ``metric`` (and ``channel``).

    Returns one row per benchmark: ``metric``, ``channel``, ``benchmark`` (as text),
    ``denominator``, ``source``, ``year``, ``source_url``, ``successes``, ``settled``,
    ``rate``, ``p_value``, ``verdict`` and ``sentence``.

    >>> out = check_benchmarks(3, 60, "win", "referral")
    >>> out["sentence"].iloc[0]
    '5.0% (3 of 60) is consistent with 6.2% of referred candidates considered (Lever..., 2016)'
    """
    if metric not in _RATE_COLUMNS:
        raise ValueError(f"metric must be one of {list(_RATE_COLUMNS)}; got {metric!r}.")
    table = benchmarks()
    rows = table[table["metric"] == metric]
    if channel is not None:
        rows = rows[rows["channel"] == channel]
    out = []
    for r in rows.itertuples(index=False):
        res = check_rate(successes, trials, r.value_low, r.value_high)
        bench = (
            f"{r.value_low:.1%}"
            if r.value_low == r.value_high
            else f"{r.value_low:.1%}–{r.value_high:.1%}"
        )
        words = {"consistent": "is consistent with", "below": "is below", "above": "is above"}
        sentence = (
            "no settled actions to compare"
            if res["verdict"] == "no data"
            else f"{res['rate']:.1%} ({successes} of {trials}) {words[res['verdict']]} "
            f"{bench} of {r.denominator} ({r.source.split(':')[0]}, {r.year})"
        )
        out.append(
            {
                "metric": r.metric,
                "channel": r.channel,
                "benchmark": bench,
                "denominator": r.denominator,
                "source": r.source,
                "year": int(r.year),
                "source_url": r.source_url,
                "successes": int(successes),
                "settled": int(trials),
                **res,
                "sentence": sentence,
            }
        )
    return pd.DataFrame(out)


def _benchmark_channel(name: str) -> str | None:
    low = name.lower()
    for channel, words in CHANNEL_WORDS.items():
        if any(w in low for w in words):
            return channel
    return None


def benchmark_check(
    df: pd.DataFrame, by: str = "channel", *, as_of=None, window: int = DEFAULT_WINDOW
) -> pd.DataFrame:
    """The log's rates against the published benchmarks that match them.

    The whole log is checked against the ``any`` benchmarks; each segment of ``by``
    whose name matches a benchmark channel (:data:`CHANNEL_WORDS`: "Upwork", "Cold
    email", "Referral", "Indeed"...) against that channel's benchmarks. Counts come
    from :func:`~outreach_analytics.counts`.

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> out = benchmark_check(load(sample_path()), as_of="2026-11-15")
    >>> sorted(set(out["segment"]))
    ['Email', 'Referral', 'Upwork', 'all']
    """
    overall = counts(df, as_of=as_of, window=window).iloc[0]
    parts = []
    for metric, col in _RATE_COLUMNS.items():
        part = check_benchmarks(int(overall[col]), int(overall["settled"]), metric, "any")
        parts.append(part.assign(segment="all"))
    if by in df.columns:
        for r in counts(df, by, as_of=as_of, window=window).itertuples(index=False):
            name = str(getattr(r, by))
            channel = _benchmark_channel(name)
            if channel is None:
                continue
            for metric, col in _RATE_COLUMNS.items():
                part = check_benchmarks(int(getattr(r, col)), int(r.settled), metric, channel)
                parts.append(part.assign(segment=name))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    return out[["segment", *[c for c in out.columns if c != "segment"]]]
