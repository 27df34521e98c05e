"""The one error type for a user's log, and the project's warning classes.

Every problem found in a log is collected before anything is raised, so one run tells
the user everything that is wrong, as pandera's lazy validation does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported only when a table of failures is built
    import pandas as pd

__all__ = ["OutreachDataError", "SmallSampleWarning", "DataQualityWarning"]

FAILURE_COLUMNS = ["row", "column", "value", "reason"]


class OutreachDataError(ValueError):
    """A log (or an option describing it) that cannot be used as it is.

    Parameters
    ----------
    message : str
        One paragraph that says what is wrong and how to fix it.
    failure_cases : pandas.DataFrame, optional
        One row per problem with the columns ``row`` (the row number as the user
        sees it in the sheet, header = 1), ``column``, ``value`` and ``reason``.

    Examples
    --------
    >>> err = OutreachDataError("Column 'date' is missing. Fix: pass --column date=YOUR_COLUMN.")
    >>> err.failure_cases.columns.tolist()
    ['row', 'column', 'value', 'reason']
    """

    def __init__(self, message: str, failure_cases: pd.DataFrame | None = None):
        super().__init__(message)
        self.message = message
        if failure_cases is None:
            import pandas as pd

            failure_cases = pd.DataFrame({c: [] for c in FAILURE_COLUMNS})
        self.failure_cases = failure_cases.reset_index(drop=True)

    def __str__(self) -> str:
        return self.message


class SmallSampleWarning(UserWarning):
    """An estimate rests on so few settled actions that its interval is very wide."""


class DataQualityWarning(UserWarning):
    """Something in the log was read with a guess the user may want to confirm."""
