"""The package's layers point one way (issue 17): errors/words -> io -> model -> analysis ->
present -> cli.

Every module of the package is parsed (nothing is imported), and every import is counted:
at module level or inside a function, absolute or relative, under ``if TYPE_CHECKING`` too.
A module may import its own layer or a lower one, never a higher one; no two modules may
import each other, directly or round a longer cycle; and a name with a leading underscore
stays in the module that defines it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

PACKAGE = "outreach_analytics"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

#: The rank of each top-level module or subpackage: a module imports only ranks <= its own.
RANKS = {
    "errors": 0,
    "words": 0,
    "io": 1,
    # sample.py imports nothing of the package, so any rank would pass today. It makes raw
    # logs, the files io reads: rank 1 lets io and everything above use it, and keeps the
    # generator of test data from ever importing the model it is meant to test.
    "sample": 1,
    "model": 2,
    "analysis": 3,
    "present": 4,
    "cli": 5,
    "lab": 5,
    "__main__": 5,
    "": 5,  # the package's __init__
}


class Import(NamedTuple):
    source: str  # the importing module
    target: str  # the module imported from (or the module imported)
    name: str | None  # the name taken from it (None: the module itself)
    line: int


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _short(module: str) -> str:
    return module.removeprefix(PACKAGE + ".") if module != PACKAGE else f"{PACKAGE}/__init__"


def _rank(module: str) -> int | None:
    parts = module.split(".")
    return RANKS.get(parts[1] if len(parts) > 1 else "")


def _from_base(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _scan(module: str) -> tuple[list[Import], list[tuple[str, str, int]]]:
    """The module's imports of the package, and its ``alias._name`` uses of a package module."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"), str(MODULES[module]))
    imports: list[Import] = []
    bound: dict[str, str] = {}  # a name bound to a module of the package -> that module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != PACKAGE:
                    continue
                imports.append(Import(module, alias.name, None, node.lineno))
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:  # `import a.b.c` binds `a`
                    bound[PACKAGE] = PACKAGE
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(module, node)
            if base.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:  # `from . import cache`: the module itself
                    imports.append(Import(module, full, None, node.lineno))
                    bound[alias.asname or alias.name] = full
                else:
                    imports.append(Import(module, base, alias.name, node.lineno))
    private = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            owner = _dotted(node.value)
            if owner is None:
                continue
            head, _, rest = owner.partition(".")
            if head not in bound:
                continue
            target = ".".join(filter(None, (bound[head], rest)))
            if target in MODULES and target != module:
                private.append((target, node.attr, node.lineno))
    return imports, private


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        owner = _dotted(node.value)
        return None if owner is None else f"{owner}.{node.attr}"
    return None


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


SCANS = {m: _scan(m) for m in MODULES}
IMPORTS = [i for imports, _ in SCANS.values() for i in imports if i.target != i.source]


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for i in IMPORTS:
        if i.target in MODULES:
            edges[i.source].add(i.target)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_scan_sees_lazy_relative_and_module_imports():
    """A check that finds nothing because it read nothing would pass: it reads these."""
    seen = {(i.source, i.target, i.name) for i in IMPORTS}
    # inside a function, relative
    assert (f"{PACKAGE}.cli", f"{PACKAGE}.model.load", "load_report") in seen
    # `from . import cache`: the module itself
    assert (f"{PACKAGE}.io.gsheets", f"{PACKAGE}.io.cache", None) in seen
    # two levels up
    assert (f"{PACKAGE}.model.normalize", f"{PACKAGE}.errors", "OutreachDataError") in seen
    # a cycle round three modules, one module outside it, and a cycle of two
    edges = {"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert _cycles(edges) == [["d", "e"], ["a", "b", "c"]]


def test_every_module_has_a_layer():
    unranked = sorted(_short(m) for m in MODULES if _rank(m) is None)
    assert not unranked, f"modules with no layer (give them a rank in RANKS): {unranked}"


def test_no_module_imports_from_a_higher_layer():
    upward = sorted(
        {
            f"{_short(i.source)} (layer {_rank(i.source)}) imports {_short(i.target)} "
            f"(layer {_rank(i.target)}), line {i.line}"
            for i in IMPORTS
            if _rank(i.target) is not None
            and _rank(i.source) is not None
            and _rank(i.target) > _rank(i.source)
        }
    )
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def test_no_import_cycles_between_modules():
    edges = _graph()
    cycles = _cycles(edges)
    lines = []
    for component in cycles:
        members = set(component)
        links = [
            f"{_short(a)} -> {_short(b)}"
            for a in component
            for b in sorted(edges.get(a, ()))
            if b in members
        ]
        lines.append(f"{[_short(m) for m in component]}: {', '.join(links)}")
    assert not cycles, "modules that import each other:\n" + "\n".join(lines)


def test_no_private_name_is_used_across_modules():
    """``from .x import _y`` and ``x._y`` reach into another module: make the name public
    (or move it to the module that uses it)."""
    offenders = sorted(
        f"{_short(i.source)} imports {i.name} from {_short(i.target)}, line {i.line}"
        for i in IMPORTS
        if i.name is not None and _is_private(i.name)
    )
    offenders += sorted(
        f"{_short(m)} uses {_short(target)}.{attr}, line {line}"
        for m, (_, private) in SCANS.items()
        for target, attr, line in private
    )
    assert not offenders, "private names used across modules:\n" + "\n".join(offenders)
