"""Which tests are `browser`, `notebooks` or `slow` (registered in pyproject.toml).

`make check` runs everything else (``-m "not browser and not notebooks and not slow"``);
`make test` runs the lot. A test module marked as a whole says so itself (``pytestmark``);
this file marks the rest. It sits at the root so that it sees every item collected: the
notebook cells nbval collects under notebooks/ and outreach_analytics/, the doctests, and
the tests under tests/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# A fixture that starts Chromium, or that renders the report by executing its notebook: a
# test using it, however indirectly, gets the mark.
FIXTURE_MARKS = {"browser": "browser", "render_once": "notebooks"}

# Tests marked by name (node ids without the parameters: every case is marked).
NAMED_MARKS = {
    "notebooks": [
        # a notebook executed through nbclient, outside nbval
        "outreach_analytics/present/kernel.py::outreach_analytics.present.kernel",
        "tests/test_lab.py::test_copied_quickstart_runs_on_the_users_log",
        "tests/test_report.py::test_cli_writes_the_same_report_and_prints_its_path",
        "tests/test_report.py::test_kernel_is_this_python_even_with_another_python_on_path",
        "tests/test_report.py::test_outreach_data_error_in_the_kernel_is_the_same_user_error",
        "tests/test_report.py::test_a_failing_warm_up_is_ignored_and_a_failing_cell_raises",
        "tests/test_report.py::test_leaving_the_block_on_an_error_stops_the_notebook",
        "tests/test_report.py::test_the_warm_up_imports_what_the_report_notebook_uses",
        "tests/test_report.py::test_report_notebook_runs_on_the_snapshot_alone",
        "tests/test_exports.py::test_the_rendered_report_of_a_sent_log_shows_no_rate",
    ],
    "slow": [
        # over 2 s on a 2-core machine, all its cases together (`pytest --durations=40`);
        # test_gsheets_cli.py and test_gsheets_write_cli.py are slow as a whole
        "tests/test_distributions.py::test_betabinom_ppf_against_the_exact_tails_and_scipy",
        "tests/test_distributions.py::test_fisher_2x2_against_scipy_on_every_small_table",
        "tests/test_distributions.py::test_log_comb_against_exact_binomials",
        "tests/test_gsheets.py::test_unknown_key",
        "tests/test_lab.py::test_jupyterlab_starts_and_prints_its_url",
        "tests/test_speed_paths.py::test_cli_errors_and_reports_are_the_loaders",
        "tests/test_write.py::test_cli_log_csv_and_excel_then_summary",
    ],
}


def _name(item: pytest.Item) -> str:
    return item.nodeid.split("[", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    by_name = {name: mark for mark, names in NAMED_MARKS.items() for name in names}
    for item in items:
        if item.path.suffix == ".ipynb":  # nbval's cells: notebooks/*.ipynb, the report's
            item.add_marker("notebooks")
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)
        if _name(item) in by_name:
            item.add_marker(by_name[_name(item)])
    # On a run of the whole suite (no paths given), a name in a collected file that no
    # longer matches a test there (renamed, moved) is an error rather than a slow test
    # creeping into `make check`.
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS:
        collected = {_name(item) for item in items}
        files = {name.split("::", 1)[0] for name in collected}
        stale = [n for n in by_name if n not in collected and n.split("::", 1)[0] in files]
        if stale:
            raise pytest.UsageError(
                f"{Path(__file__).name} marks tests that are not collected: "
                + ", ".join(sorted(stale))
            )
