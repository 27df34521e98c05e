"""Simulated logs with known reply and interview rates, to measure the rate estimators.

Each simulated log is a canonical frame (the columns :func:`outreach_analytics.load`
returns that the estimators need) with a ``log`` column naming it, so that all logs are
estimated in one call per estimator (``by="log"``). Generation is vectorized and seeded.

Reply delays are log-normal with a median of 5.5 days and 10% of replies arriving 21 days
or more after the pitch (whole days, rounded down: a median of 5 days). A reply is seen
only when it arrives on or before ``as_of``. Interviews follow a reply with probability
``interview_given_reply``, a log-normal 7 days (median) after it.

Examples
--------
>>> logs = simulate_logs(3, seed=1)
>>> logs.groupby("log").size().tolist()
[300, 300, 300]
>>> round(float(estimator_bias(logs)["bias_pp"].abs().max()), 0) < 30
True
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

from ..model.schema import STAGE_DTYPE
from .metrics import DEFAULT_WINDOW, counts

__all__ = ["simulate_logs", "estimate_rates", "estimator_bias", "AS_OF"]

#: The day every simulated log is estimated on.
AS_OF = pd.Timestamp("2024-07-01")
_MEDIAN = 5.5
_SIGMA = math.log(21 / _MEDIAN) / float(special.ndtri(0.9))  # P(delay >= 21 days) = 10%


def simulate_logs(
    n_logs: int,
    *,
    n_pitches: int = 300,
    reply_rate: float = 0.25,
    interview_given_reply: float = 0.4,
    span_days: int = 180,
    surge_share: float = 0.0,
    surge_days: int = 28,
    seed: int = 0,
) -> pd.DataFrame:
    """``n_logs`` logs of ``n_pitches`` pitches sent over ``span_days`` before :data:`AS_OF`.

    With ``surge_share`` > 0, that share of each log's pitches is sent in the last
    ``surge_days`` days instead (a recent surge). True rates: ``reply_rate`` and
    ``reply_rate * interview_given_reply``.
    """
    rng = np.random.default_rng(seed)
    n = n_logs * n_pitches
    in_surge = rng.random(n) < surge_share
    back = np.where(in_surge, rng.integers(1, surge_days + 1, n), rng.integers(1, span_days + 1, n))
    replies = rng.random(n) < reply_rate
    delay = np.floor(np.exp(math.log(_MEDIAN) + _SIGMA * rng.standard_normal(n)))
    interviews = replies & (rng.random(n) < interview_given_reply)
    gap = 1 + np.floor(np.exp(math.log(7) + 0.6 * rng.standard_normal(n)))
    seen_reply = replies & (delay <= back)
    seen_interview = interviews & (delay + gap <= back)
    day = AS_OF.to_datetime64().astype("datetime64[D]")
    sent = day - back.astype("timedelta64[D]")
    reply_on = np.where(seen_reply, sent + delay.astype("timedelta64[D]"), np.datetime64("NaT"))
    interview_on = np.where(
        seen_interview, sent + (delay + gap).astype("timedelta64[D]"), np.datetime64("NaT")
    )
    stage = np.where(seen_interview, "interview", np.where(seen_reply, "responded", "sent"))
    width = len(str(n_logs))
    return pd.DataFrame(
        {
            "log": pd.Series(np.repeat(np.arange(n_logs), n_pitches)).map(
                lambda i: f"log{i:0{width}d}"
            ),
            "date": sent.astype("datetime64[s]"),
            "channel": "Email",
            "pitch_type": pd.Series([None] * n, dtype="str"),
            "stage": pd.Categorical(stage, dtype=STAGE_DTYPE),
            "result": pd.Categorical(["open"] * n),
            "responded_on": reply_on.astype("datetime64[s]"),
            "interview_on": interview_on.astype("datetime64[s]"),
        }
    )


def estimate_rates(logs: pd.DataFrame, *, window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """Per log and metric: the Kaplan–Meier, window-rule and naive rate estimates.

    ``kaplan_meier`` is the plateau of :func:`~outreach_analytics.analysis.survival.time_to_stage`;
    ``window`` is :func:`~outreach_analytics.analysis.metrics.counts`' reached / settled
    (today's rule); ``naive`` is reached / all pitches.
    """
    from .survival import time_to_stage

    table = counts(logs, "log", as_of=AS_OF, window=window).set_index("log").sort_index()
    parts = []
    for metric, stage, col in (
        ("response", "responded", "responses"),
        ("interview", "interview", "interviews"),
    ):
        km = time_to_stage(logs, stage, by="log", as_of=AS_OF).summary.iloc[1:]
        km = km.set_index("log")["eventual_rate"].reindex(table.index)
        parts.append(
            pd.DataFrame(
                {
                    "log": table.index,
                    "metric": metric,
                    "kaplan_meier": km.to_numpy(),
                    "window": (table[col] / table["settled"]).to_numpy(),
                    "naive": (table[col] / table["actions"]).to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def estimator_bias(
    logs: pd.DataFrame,
    *,
    reply_rate: float = 0.25,
    interview_given_reply: float = 0.4,
    window: int = DEFAULT_WINDOW,
) -> pd.DataFrame:
    """Mean bias (percentage points) of each estimator against the true rates, with its SE.

    Returns one row per metric and estimator: ``metric``, ``estimator``, ``truth``,
    ``mean``, ``bias_pp``, ``se_pp`` (standard error of the mean bias) and
    ``relative_bias`` (bias / truth).
    """
    est = estimate_rates(logs, window=window)
    truth = {"response": reply_rate, "interview": reply_rate * interview_given_reply}
    rows = []
    for metric, part in est.groupby("metric", sort=False):
        for name in ("kaplan_meier", "window", "naive"):
            x = part[name].to_numpy(dtype=float)
            x = x[~np.isnan(x)]
            bias = x.mean() - truth[metric]
            rows.append(
                {
                    "metric": metric,
                    "estimator": name,
                    "truth": truth[metric],
                    "mean": x.mean(),
                    "bias_pp": 100 * bias,
                    "se_pp": 100 * x.std(ddof=1) / math.sqrt(len(x)),
                    "relative_bias": bias / truth[metric],
                }
            )
    return pd.DataFrame(rows)
