"""Which channel or pitch type converts best, and how sure that is.

Everything here works on a small table of counts (what
:func:`~outreach_analytics.analysis.metrics.counts` returns for one segmentation); the
heavy step, reading and counting rows, stays in :mod:`~outreach_analytics.analysis.metrics`
so that planned and future rows never reach a comparison.

For one segmentation and one rate (response, interview or win) a comparison gives

* a test that every segment converts alike: Fisher's exact test on a 2×2 table, or on a
  k×2 table when an expected count is below 5 (its p-value then by seeded Monte Carlo,
  20,000 multivariate hypergeometric tables, the definition of
  :func:`scipy.stats.fisher_exact` for tables larger than 2×2, within Monte Carlo error
  of its value); Pearson's chi-square test otherwise. The name of the test used is kept;
* every pair of segments: Fisher's exact test, with Holm-adjusted p-values over all
  pairs, and about how many settled pitches in each would tell them apart (power 80% at
  the 5% level, two-proportion test on Cohen's arcsine effect size h of the shrunk
  rates, as ``statsmodels.stats.power.NormalIndPower``);
* a Beta-Binomial model with empirical-Bayes shrinkage: the prior is a Beta whose mean
  is the overall rate (pooled over segments, Jeffreys-smoothed: (k + 0.5) / (n + 1)) and
  whose concentration a + b is fitted by maximum marginal likelihood, bounded so that
  neither a nor b is below 0.5 (never a prior weaker than Jeffreys) and a + b is at most
  the settled actions of all segments together (the overall rate is itself known from
  no more pitches than that) and 10,000. Each segment gets its posterior mean (the shrunk rate), an equal-tailed 95%
  credible interval and the posterior probability of being the best (seeded Monte Carlo,
  20,000 draws by default);
* a verdict in plain words.

Segments under 20 settled actions keep their small-sample mark.

The special functions come from :mod:`scipy.special`. Fisher's and Pearson's tests, which
scipy has only in :mod:`scipy.stats` (whose import alone would double the time of
``summary``), and the bounded search of the prior's concentration, which it has only in
:mod:`scipy.optimize` (a quarter of ``summary`` of a small log), come from
:mod:`~outreach_analytics.analysis.distributions`.
"""

from __future__ import annotations

import html
import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from . import distributions as dist
from .metrics import COUNT_COLUMNS, DEFAULT_WINDOW, counts

__all__ = [
    "COMPARE_SMALL",
    "Comparison",
    "holm",
    "fit_beta_prior",
    "n_to_tell_apart",
    "compare_counts",
    "compare",
]

#: Segments with fewer settled actions than this are marked as small samples.
COMPARE_SMALL = 20
_DRAWS = 20_000
_SEED = 2026
_MAX_CONCENTRATION = 1e4
_RATE_COLUMNS = {"response": "responses", "interview": "interviews", "win": "wins"}
_VERBS = {
    "response": "gets replies",
    "interview": "leads to interviews",
    "win": "wins work",
}
_PLURAL = {"channel": "channels", "pitch_type": "pitch types"}


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment of p-values (family-wise error rate).

    Equal to ``statsmodels.stats.multitest.multipletests(p, method="holm")[1]``.

    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    stepped = (m - np.arange(m)) * p[order]
    adjusted = np.minimum(np.maximum.accumulate(stepped), 1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out


def _marginal_loglik(a: float, b: float, k: np.ndarray, n: np.ndarray) -> float:
    """Beta-binomial log marginal likelihood (binomial coefficients dropped)."""
    return float(np.sum(special.betaln(a + k, b + n - k) - special.betaln(a, b)))


def fit_beta_prior(successes, trials) -> tuple[float, float]:
    """Empirical-Bayes Beta prior for the segments' rates: ``(a, b)``.

    The mean a / (a + b) is the pooled rate, Jeffreys-smoothed: (Σk + 0.5) / (Σn + 1).
    The concentration a + b maximises the Beta-Binomial marginal likelihood of the
    segments' counts, within bounds that keep a and b at least 0.5 and a + b at most
    Σn and 10,000 (segments that vary no more than chance share the overall rate, with
    no more weight than the whole log carries).

    >>> a, b = fit_beta_prior([30, 10], [100, 100])
    >>> round(float(a / (a + b)), 4)
    0.2015
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    mean = (k.sum() + 0.5) / (n.sum() + 1.0)
    low = 0.5 / min(mean, 1.0 - mean)
    high = max(min(_MAX_CONCENTRATION, n.sum()), low)

    def neg(log_c: float) -> float:
        c = math.exp(log_c)
        return -_marginal_loglik(c * mean, c * (1.0 - mean), k, n)

    # Brent's bounded search on log(a + b), to 1e-6
    bounds = (math.log(low), math.log(high))
    c = math.exp(dist.minimize_bounded(neg, *bounds, xatol=1e-6))
    # the bounded search never lands exactly on a bound: take the bound when it is better
    for edge in (low, high):
        if neg(math.log(edge)) < neg(math.log(c)):
            c = edge
    return c * mean, c * (1.0 - mean)


def n_to_tell_apart(rate_a: float, rate_b: float, *, alpha: float = 0.05, power: float = 0.8):
    """Settled pitches needed in EACH of two segments to tell their rates apart.

    The two-sided two-proportion z test on Cohen's arcsine effect size
    h = 2·asin(√a) − 2·asin(√b), with equal group sizes: the n at which
    ``statsmodels.stats.power.NormalIndPower().power(h, n, alpha)`` equals ``power``.
    NaN where the rates are equal.

    >>> round(n_to_tell_apart(0.3, 0.2), 1)
    291.7
    """
    h = abs(2 * math.asin(math.sqrt(rate_a)) - 2 * math.asin(math.sqrt(rate_b)))
    if not h > 1e-12:
        return float("nan")
    crit = float(special.ndtri(1 - alpha / 2))
    # the power at d = h·√(n/2) is Φ(d − crit) + Φ(−d − crit): solved for d as a fixed
    # point of d = crit + Φ⁻¹(power − Φ(−d − crit)); the far tail moves d by less than
    # 1e-5, so it settles in a few steps
    d = crit + float(special.ndtri(power))
    for _ in range(50):
        tail = float(special.ndtr(-d - crit))
        if not tail < power:
            return float("inf")
        step = crit + float(special.ndtri(power - tail))
        if step == d:
            break
        d = step
    return 2.0 * (d / h) ** 2


def _overall_test(k: np.ndarray, n: np.ndarray, seed: int) -> tuple[str, float]:
    table = np.column_stack([k, n - k]).astype(np.int64)
    if table.shape[0] < 2 or table.sum(axis=0).min() == 0:
        return "none (every segment alike: no success or no failure)", float("nan")
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if table.shape[0] == 2:
        return "fisher_exact", dist.fisher_exact_2x2(table)
    if expected.min() < 5:
        p = dist.fisher_monte_carlo(table, _DRAWS, np.random.default_rng(seed))
        return "fisher_exact_monte_carlo", p
    return "chi2", dist.chi2_independence(table)[2]


def _p_best(a: np.ndarray, b: np.ndarray, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sample = dist.beta_draws(rng, a, b, draws)
    best = np.argmax(sample, axis=0)
    return np.bincount(best, minlength=a.size) / draws


@dataclass(frozen=True)
class Comparison:
    """How the segments of one segmentation compare on one rate.

    Attributes
    ----------
    by : str
        The segmentation (``"channel"``, ``"pitch_type"``...).
    metric : str
        ``"response"``, ``"interview"`` or ``"win"``.
    test, p_value :
        The test that every segment converts alike, and its p-value (NaN when no test
        applies: fewer than 2 segments, or no success or no failure at all).
    prior : tuple of float
        The fitted Beta prior ``(a, b)``.
    summary : pandas.DataFrame
        One row per segment, best first: ``name``, ``successes``, ``settled``, ``rate``,
        ``shrunk_rate``, ``cred_low``, ``cred_high``, ``p_best``, ``holm_p_vs_best``
        (the Holm-adjusted pairwise p-value against the best segment; NaN for the best)
        and ``small_sample``.
    pairs : pandas.DataFrame
        One row per pair: ``a``, ``b``, ``shrunk_a``, ``shrunk_b``, ``p_value``,
        ``holm_p``, ``n_each`` (settled pitches needed in each), ``more_a``, ``more_b``.
    verdict : str
        One sentence in plain words.
    """

    by: str
    metric: str
    test: str
    p_value: float
    prior: tuple[float, float]
    summary: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    verdict: str = ""
    draws: int = _DRAWS

    def to_dict(self) -> dict:
        """The ``comparison`` entry of ``summary --json`` for this segmentation."""

        def num(x):
            return None if x is None or pd.isna(x) else float(x)

        return {
            "metric": self.metric,
            "test": self.test,
            "p_value": num(self.p_value),
            "verdict": self.verdict,
            "segments": [
                {
                    "name": str(r.name),
                    "settled": int(r.settled),
                    "successes": int(r.successes),
                    "shrunk_rate": num(r.shrunk_rate),
                    "cred_low": num(r.cred_low),
                    "cred_high": num(r.cred_high),
                    "p_best": num(r.p_best),
                    "holm_p_vs_best": num(r.holm_p_vs_best),
                    "small_sample": bool(r.small_sample),
                }
                for r in self.summary.itertuples(index=False)
            ],
        }

    def __repr__(self) -> str:
        head = (
            f"<Comparison of {self.metric} rate by {self.by}: {self.test}, "
            f"p = {self.p_value:.3g}; prior Beta({self.prior[0]:.3g}, {self.prior[1]:.3g})>"
        )
        cols = ["name", "settled", "rate", "shrunk_rate", "cred_low", "cred_high", "p_best"]
        body = self.summary[cols].to_string(index=False, float_format=lambda x: f"{x:.3f}")
        return f"{head}\n{body}\n{self.verdict}"

    def _repr_html_(self) -> str:
        cols = [
            "name",
            "settled",
            "rate",
            "shrunk_rate",
            "cred_low",
            "cred_high",
            "p_best",
            "holm_p_vs_best",
        ]
        table = (
            self.summary[cols]
            .style.format(precision=3, na_rep="—")
            .hide(axis="index")
            .set_caption(
                f"{self.metric.capitalize()} rate by {self.by.replace('_', ' ')} — "
                f"{self.test}, p = {self.p_value:.3g}"
            )
            .to_html()
        )
        return f"{table}<p>{html.escape(self.verdict)}</p>"


def _p_text(p: float) -> str:
    """P(best) as the verdict writes it: never "1.00" for a Monte Carlo estimate."""
    if p >= 0.995:
        return "P > 0.99"
    if p < 0.005:
        return "P < 0.01"
    return f"P = {p:.2f}"


def _verdict(summary: pd.DataFrame, by: str, metric: str, p_value: float, sure: float) -> str:
    things = _PLURAL.get(by, f"{by.replace('_', ' ')} segments")
    verb = _VERBS[metric]
    if len(summary) < 2:
        return f"not enough data to compare {things} yet"
    top = summary.iloc[0]
    if top["p_best"] >= sure:
        others = summary["name"].iloc[1:].tolist()
        than = others[0] if len(others) == 1 else f"the other {things}"
        return f"{top['name']} {verb} more often than {than} ({_p_text(top['p_best'])})"
    if p_value < 0.05:
        return (
            f"{things} differ, but none is clearly best "
            f"(most likely {top['name']}, {_p_text(top['p_best'])})"
        )
    return (
        f"not enough data to tell {things} apart "
        f"(best guess {top['name']}, {_p_text(top['p_best'])})"
    )


def compare_counts(
    table: pd.DataFrame,
    by: str,
    metric: str = "response",
    *,
    draws: int = _DRAWS,
    seed: int = _SEED,
    sure: float = 0.9,
    alpha: float = 0.05,
) -> Comparison:
    """Compare the segments of a :func:`~outreach_analytics.counts` table on one rate.

    Segments with no settled action are left out (there is nothing to compare).

    Parameters
    ----------
    table : pandas.DataFrame
        ``counts(df, by)``: the key column ``by`` and the count columns.
    by : str
        The key column.
    metric : {"response", "interview", "win"}
    draws : int, default 20,000
        Monte Carlo draws for P(best).
    seed : int
        Seed of the draws (the same counts always give the same numbers).
    sure : float, default 0.9
        P(best) from which the verdict names a winner.
    alpha : float, default 0.05
        1 - credible level of the intervals; level of the power calculation.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["Referral", "Cold email"], "actions": [40, 120],
    ...                   "pending": [0, 0], "settled": [40, 120], "responses": [18, 24],
    ...                   "interviews": [6, 6], "offers": [2, 2], "wins": [1, 2]})
    >>> c = compare_counts(t, "channel")
    >>> c.test, round(c.p_value, 4)
    ('fisher_exact', 0.0033)
    >>> c.verdict
    'Referral gets replies more often than Cold email (P > 0.99)'
    """
    if metric not in _RATE_COLUMNS:
        raise ValueError(f"metric must be one of {list(_RATE_COLUMNS)}; got {metric!r}.")
    missing = [c for c in [by, "settled", _RATE_COLUMNS[metric]] if c not in table.columns]
    if missing:
        raise ValueError(
            f"the counts table has no column(s) {missing}; pass counts(df, {by!r}) "
            f"(columns {[by, *COUNT_COLUMNS]})."
        )
    used = table[table["settled"] > 0]
    names = used[by].astype("str").to_numpy()
    k = used[_RATE_COLUMNS[metric]].to_numpy(dtype=np.int64)
    n = used["settled"].to_numpy(dtype=np.int64)
    m = len(used)
    if m == 0:
        a0 = b0 = 0.5
    else:
        a0, b0 = fit_beta_prior(k, n)
    a_post, b_post = a0 + k, b0 + n - k
    shrunk = a_post / (a_post + b_post)
    low = special.betaincinv(a_post, b_post, alpha / 2)
    high = special.betaincinv(a_post, b_post, 1 - alpha / 2)
    p_best = _p_best(a_post, b_post, draws, seed) if m else np.array([])
    test, p_value = (
        _overall_test(k, n, seed) if m >= 2 else ("none (fewer than 2 segments)", float("nan"))
    )

    pair_rows = []
    for i, j in itertools.combinations(range(m), 2):
        p_pair = dist.fisher_exact_2x2([[k[i], n[i] - k[i]], [k[j], n[j] - k[j]]])
        need = n_to_tell_apart(shrunk[i], shrunk[j], alpha=alpha)
        pair_rows.append((names[i], names[j], shrunk[i], shrunk[j], float(p_pair), need, i, j))
    pairs = pd.DataFrame(
        pair_rows, columns=["a", "b", "shrunk_a", "shrunk_b", "p_value", "n_each", "_i", "_j"]
    )
    pairs.insert(5, "holm_p", holm(pairs["p_value"].to_numpy()))
    with np.errstate(invalid="ignore"):
        need = np.ceil(pairs["n_each"].to_numpy(dtype=float))
        pairs["more_a"] = np.maximum(need - n[pairs["_i"].to_numpy(dtype=int)], 0)
        pairs["more_b"] = np.maximum(need - n[pairs["_j"].to_numpy(dtype=int)], 0)

    summary = pd.DataFrame(
        {
            "name": pd.Series(names, dtype="str"),
            "successes": k,
            "settled": n,
            "rate": k / np.maximum(n, 1),
            "shrunk_rate": shrunk,
            "cred_low": low,
            "cred_high": high,
            "p_best": p_best,
        }
    )
    best = int(np.argmax(p_best)) if m else -1
    vs_best = np.full(m, np.nan)
    for i, j, p_adj in zip(pairs["_i"], pairs["_j"], pairs["holm_p"], strict=True):
        if best in (i, j):
            vs_best[j if i == best else i] = p_adj
    summary["holm_p_vs_best"] = vs_best
    summary["small_sample"] = n < COMPARE_SMALL
    summary = summary.sort_values(
        ["p_best", "shrunk_rate"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    pairs = pairs.drop(columns=["_i", "_j"])
    verdict = _verdict(summary, by, metric, p_value, sure)
    return Comparison(
        by=by,
        metric=metric,
        test=test,
        p_value=float(p_value),
        prior=(float(a0), float(b0)),
        summary=summary,
        pairs=pairs,
        verdict=verdict,
        draws=draws,
    )


def compare(
    df: pd.DataFrame,
    by: str = "channel",
    metric: str = "response",
    *,
    as_of=None,
    window: int = DEFAULT_WINDOW,
    **options,
) -> Comparison:
    """Compare the channels (or pitch types...) of a log on one rate.

    Counts the log with :func:`~outreach_analytics.counts`, then
    :func:`compare_counts` (whose options it takes).

    Examples
    --------
    >>> from outreach_analytics import load, sample_path
    >>> c = compare(load(sample_path()), "channel", as_of="2026-11-15")
    >>> round(float(c.summary["p_best"].sum()), 6)
    1.0
    """
    return compare_counts(counts(df, by, as_of=as_of, window=window), by, metric, **options)
