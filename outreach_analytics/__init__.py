"""outreach-analytics: honest numbers from an outreach log.

>>> import outreach_analytics as oa
>>> df = oa.load(oa.sample_path())
>>> oa.funnel(df, as_of="2026-11-15")["stage"].tolist()
['sent', 'responded', 'interview', 'offer', 'won']
"""

from .analysis.activity import (
    cost_per_win,
    daily_activity,
    follow_ups_due,
    outcome_flows,
    rejections_over_time,
    streaks,
    weekly_activity,
    weekly_cohorts,
)
from .analysis.follow_ups import follow_up_lift  # issue 9
from .analysis.metrics import (
    counts,
    funnel,
    mark_pending,
    pitches_per_win,
    rates,
    rates_from_counts,
)
from .analysis.stats import wilson_interval
from .analysis.summary import summarize
from .analysis.survival import headline_rate, time_to_response, time_to_stage  # issue 9
from .errors import DataQualityWarning, OutreachDataError, SmallSampleWarning
from .model.load import LogMapping, load, load_report, read_mapping
from .model.normalize import LoadReport, normalize
from .model.schema import CANONICAL_COLUMNS, RESULTS, STAGES
from .sample import sample_path

_CHARTS = (
    "activity_calendar",
    "cohort_chart",
    "cost_per_win_chart",
    "follow_up_lift_chart",
    "funnel_chart",
    "outcome_sankey",
    "pitches_per_win_chart",
    "rates_chart",
    "rejections_chart",
    "time_to_response_chart",
    "weekly_goal_chart",
)

__all__ = [
    "CANONICAL_COLUMNS",
    "RESULTS",
    "STAGES",
    "DataQualityWarning",
    "LoadReport",
    "LogMapping",
    "OutreachDataError",
    "SmallSampleWarning",
    "counts",
    "funnel",
    "load",
    "load_report",
    "mark_pending",
    "normalize",
    "pitches_per_win",
    "rates",
    "rates_from_counts",
    "read_mapping",
    "sample_path",
    "summarize",
    "wilson_interval",
    # activity
    "cost_per_win",
    "daily_activity",
    "follow_ups_due",
    "outcome_flows",
    "rejections_over_time",
    "streaks",
    "weekly_activity",
    "weekly_cohorts",
    # issue 9: time to reply, censoring-aware rates, follow-ups
    "follow_up_lift",
    "headline_rate",
    "time_to_response",
    "time_to_stage",
    # charts (imported on first use, so that the CLI does not load plotly to print numbers)
    *_CHARTS,
]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _CHARTS:
        from .present import charts

        return getattr(charts, name)
    raise AttributeError(f"module 'outreach_analytics' has no attribute {name!r}")
