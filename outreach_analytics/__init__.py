"""outreach-analytics: honest numbers from an outreach log.

>>> import outreach_analytics as oa
>>> df = oa.load(oa.sample_path())
>>> oa.funnel(df, as_of="2026-11-15")["stage"].tolist()
['sent', 'responded', 'interview', 'offer', 'won']
"""

from .errors import DataQualityWarning, OutreachDataError, SmallSampleWarning
from .load import LogMapping, load, load_report, read_mapping
from .metrics import counts, funnel, mark_pending, pitches_per_win, rates, rates_from_counts
from .normalize import LoadReport, normalize
from .sample import sample_path
from .schema import CANONICAL_COLUMNS, RESULTS, STAGES
from .stats import wilson_interval
from .summary import summarize

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
]
__version__ = "0.1.0"
