"""environment.yml (conda) asks for what pyproject.toml asks for, with the same bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI's
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _split(requirement: str) -> tuple[str, str]:
    name, bounds = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?\s*(.*)", requirement).groups()
    return name.lower(), bounds.replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *sum(project["optional-dependencies"].values(), [])]
    pypi = {
        CONDA_NAMES.get(n, n): b
        for n, b in map(_split, wanted)
        if n != project["name"]  # the test extra asks for the lab extra of the package itself
    }
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    lines = text.split("\ndependencies:\n", 1)[1].splitlines()
    conda = dict(
        _split(m.group(1))
        for line in lines
        if (m := re.fullmatch(r"  - ([A-Za-z][^:#]*?)\s*", line)) and not line.endswith("pip")
    )
    conda.pop("python")
    assert conda == pypi
