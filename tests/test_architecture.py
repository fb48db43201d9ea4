"""The package's import rules, found by walking the package: glue and I/O stay at the edge.

One table (`ALLOWED`) says which part of `oncall_docs` may import which outside package. It is
checked against ruff's banned-api and per-file-ignores in pyproject.toml, so the two cannot
drift. Every module of the package (found with `pkgutil.walk_packages`, never listed by hand)
is then checked two ways:

- its source: every `import` anywhere in it, at module level or inside a function, obeys the
  table;
- its side effects: importing a pure-core module (not glue, not I/O) in a fresh interpreter
  loads none of the banned third-party packages.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import oncall_docs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
GLUE = ("oncall_docs.mkdocs_plugin", "oncall_docs.cli")
HTTP_MODULES = (
    "oncall_docs.pagerduty_api",
    "oncall_docs.linkcheck.http",
    "oncall_docs.linkcheck.external",  # until it becomes linkcheck/http.py
)
# The one table: outside package -> the parts of oncall_docs that may import it.
ALLOWED: dict[str, tuple[str, ...]] = {
    "mkdocs": ("oncall_docs.mkdocs_plugin",),
    "material": ("oncall_docs.mkdocs_plugin",),
    "mkdocs_macros": ("oncall_docs.mkdocs_plugin",),
    "click": ("oncall_docs.cli",),
    "pagerduty": ("oncall_docs.pagerduty_api",),
    "httpx": HTTP_MODULES,
    "httpx2": HTTP_MODULES,
    "requests": HTTP_MODULES,
    "http.client": HTTP_MODULES,
    "urllib.request": HTTP_MODULES,
}
# Adapters that wire an I/O module into a feature (DESIGN.md: each feature's `source`).
ADAPTERS = ("oncall_docs.*.source", "oncall_docs.*.sources")
# The standard library's own `xml.sax.saxutils` imports urllib.request, so the fresh-interpreter
# check covers the third-party packages; the source check covers the standard-library ones.
STDLIB = {"http.client", "urllib.request"}


def _under(module: str, area: str) -> bool:
    return module == area or module.startswith(area + ".")


def _lint_config() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        lint: dict[str, Any] = tomllib.load(f)["tool"]["ruff"]["lint"]
    return lint


def _module_of(path_glob: str) -> str | None:
    """`plugins/oncall_docs/cli/*` -> `oncall_docs.cli`; None for paths outside the package."""
    if not path_glob.startswith("plugins/"):
        return None
    dotted = path_glob.removeprefix("plugins/").removesuffix("/*").removesuffix(".py")
    return dotted.replace("/", ".")


@dataclass(frozen=True)
class Module:
    """One module of the package and its source file."""

    name: str
    path: Path

    def __str__(self) -> str:
        return self.name


def package_modules() -> Iterator[Module]:
    """Every module of `oncall_docs`, the package itself included, found by inspection."""
    names = [oncall_docs.__name__]
    names += [m.name for m in pkgutil.walk_packages(oncall_docs.__path__, "oncall_docs.")]
    for name in sorted(names):
        spec = importlib.util.find_spec(name)
        assert spec is not None, name
        assert spec.origin is not None, name
        yield Module(name, Path(spec.origin))


MODULES = list(package_modules())


def is_edge(module: str) -> bool:
    """Glue, I/O or an adapter: allowed to load a banned package when imported."""
    areas = (*GLUE, *HTTP_MODULES)
    return any(_under(module, a) for a in areas) or any(
        fnmatch.fnmatchcase(module, p) for p in ADAPTERS
    )


PURE = [m for m in MODULES if not is_edge(m.name)]


def imported_names(module: Module) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every import in the module, at any depth (functions too)."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
    package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def test_table_matches_ruffs_banned_api() -> None:
    """The table bans exactly what ruff's banned-api bans, and each message names an allowed place."""
    banned = _lint_config()["flake8-tidy-imports"]["banned-api"]
    assert set(ALLOWED) == set(banned)
    for name, rule in banned.items():
        for named in re.findall(r"oncall_docs(?:\.\w+)+", rule["msg"]):
            assert named in ALLOWED[name], f"pyproject's message for {name} names {named}"


def test_table_matches_ruffs_per_file_ignores() -> None:
    """The package paths exempt from TID251 in pyproject are exactly the table's allowed places."""
    ignores = _lint_config()["per-file-ignores"]
    exempt = {m for glob, codes in ignores.items() if "TID251" in codes if (m := _module_of(glob))}
    allowed = {area for areas in ALLOWED.values() for area in areas}
    existing = {area for area in allowed if any(_under(m.name, area) for m in MODULES)}
    assert exempt <= allowed, f"pyproject exempts more than the table allows: {exempt - allowed}"
    assert existing <= exempt, f"pyproject does not exempt {existing - exempt}"


def test_the_walk_finds_the_whole_package() -> None:
    """The walk finds every .py file of the package, so no module escapes the rules."""
    files = {p.resolve() for p in Path(oncall_docs.__path__[0]).rglob("*.py")}
    assert {m.path.resolve() for m in MODULES} == files
    assert {"oncall_docs.mkdocs_plugin", "oncall_docs.cli", "oncall_docs.model"} <= {
        m.name for m in MODULES
    }


@pytest.mark.parametrize("module", MODULES, ids=str)
def test_imports_obey_the_table(module: Module) -> None:
    """Every import in the module, module-level or inside a function, is allowed for it."""
    broken = [
        f"{module.path.name}:{line}: imports {name}, which only {' / '.join(ALLOWED[b])} may"
        for line, name in imported_names(module)
        for b in ALLOWED
        if _under(name, b) and not any(_under(module.name, a) for a in ALLOWED[b])
    ]
    assert broken == []


@pytest.fixture(scope="module")
def loaded_by_import() -> dict[str, list[str]]:
    """Pure module -> banned third-party packages its import loaded, from one fresh interpreter.

    The modules are imported one after another; whatever a module loads that was not loaded
    before is its doing. Imports are deterministic, so this equals one interpreter per module
    for every module up to the first one that loads a banned package.
    """
    third_party = sorted(set(ALLOWED) - STDLIB)
    code = (
        "import importlib, json, sys\n"
        f"banned = {third_party!r}\n"
        "seen, out = set(), {}\n"
        f"for name in {[m.name for m in PURE]!r}:\n"
        "    importlib.import_module(name)\n"
        "    now = {b for b in banned if b in sys.modules}\n"
        "    out[name] = sorted(now - seen)\n"
        "    seen |= now\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    loaded: dict[str, list[str]] = json.loads(proc.stdout)
    return loaded


@pytest.mark.parametrize("module", PURE, ids=str)
def test_pure_core_loads_no_glue_or_http(
    module: Module, loaded_by_import: dict[str, list[str]]
) -> None:
    """Importing a pure-core module in a fresh interpreter loads no MkDocs, click or HTTP client."""
    assert loaded_by_import[module.name] == [], f"importing {module} loads them"


def test_the_pure_core_is_most_of_the_package() -> None:
    """The edge stays small: the glue, the I/O modules and the adapters only."""
    edge = {m.name for m in MODULES} - {m.name for m in PURE}
    assert "oncall_docs.model.load" not in edge
    assert "oncall_docs.rotation" not in edge
    assert len(PURE) > len(edge)
