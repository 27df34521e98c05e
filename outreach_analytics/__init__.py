"""outreach-analytics: honest numbers from an outreach log.

>>> import outreach_analytics as oa
>>> df = oa.load(oa.sample_path())
>>> oa.funnel(df, as_of="2026-11-15")["stage"].tolist()
['sent', 'responded', 'interview', 'offer', 'won']

The public names are imported on first use (PEP 562), so that ``import outreach_analytics``
and the command line's ``--help`` do not load pandas, scipy or plotly.
"""

import importlib as _importlib

__version__ = "0.1.0"

#: Every public name and the module (relative to this package) that defines it.
#: One line per name: add a name here and it is exported, in ``__all__`` and ``dir()``.
_EXPORTS: dict[str, str] = {
    "CANONICAL_COLUMNS": ".model.schema",
    "RESULTS": ".model.schema",
    "STAGES": ".model.schema",
    "DataQualityWarning": ".errors",
    "LoadReport": ".model.normalize",
    "LogMapping": ".model.mapping",
    "OutreachDataError": ".errors",
    "SmallSampleWarning": ".errors",
    "counts": ".analysis.metrics",
    "funnel": ".analysis.metrics",
    "load": ".model.load",
    "load_report": ".model.load",
    "mark_pending": ".analysis.metrics",
    "normalize": ".model.normalize",
    "pitches_per_win": ".analysis.metrics",
    "rates": ".analysis.metrics",
    "rates_from_counts": ".analysis.metrics",
    "read_mapping": ".model.mapping",
    "sample_path": ".sample",
    "summarize": ".analysis.summary",
    "wilson_interval": ".analysis.stats",
    "Inspection": ".model.inspect",
    "inspect": ".model.inspect",
    "log_action": ".model.log_action",
    # statistics on count tables: comparisons, the next win, the challenge, benchmarks
    "benchmark_check": ".analysis.benchmarks",
    "benchmarks": ".analysis.benchmarks",
    "challenge": ".analysis.challenge",
    "compare": ".analysis.compare",
    "next_win": ".analysis.forecast",
    # time to reply and follow-ups
    "follow_up_lift": ".analysis.follow_ups",
    "headline_rate": ".analysis.survival",
    "time_to_response": ".analysis.survival",
    "time_to_stage": ".analysis.survival",
    # activity
    "cost_per_win": ".analysis.activity",
    "daily_activity": ".analysis.activity",
    "follow_ups_due": ".analysis.activity",
    "outcome_flows": ".analysis.activity",
    "rejections_over_time": ".analysis.activity",
    "streaks": ".analysis.activity",
    "weekly_activity": ".analysis.activity",
    "weekly_cohorts": ".analysis.activity",
    # charts
    "activity_calendar": ".present.charts",
    "cohort_chart": ".present.charts",
    "cost_per_win_chart": ".present.charts",
    "funnel_chart": ".present.charts",
    "outcome_sankey": ".present.charts",
    "pitches_per_win_chart": ".present.charts",
    "rates_chart": ".present.charts",
    "rejections_chart": ".present.charts",
    "weekly_goal_chart": ".present.charts",
    "benchmark_chart": ".present.charts",
    "challenge_chart": ".present.charts",
    "comparison_chart": ".present.charts",
    "next_win_chart": ".present.charts",
    "follow_up_lift_chart": ".present.charts",
    "time_to_response_chart": ".present.charts",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'outreach_analytics' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
