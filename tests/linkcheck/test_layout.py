"""The link checker's HTTP pool is one module; the per-host scheduler imports no HTTP at all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LINKCHECK = Path(__file__).resolve().parents[2] / "plugins" / "oncall_docs" / "linkcheck"
HTTP = {"http", "http.client", "urllib.request", "requests", "httpx", "httpx2", "socket", "ssl"}


def imported(path: Path) -> set[str]:
    """Modules a file imports at run time (imports under `if TYPE_CHECKING:` are types only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(LINKCHECK.glob("*.py")), ids=lambda p: p.name)
def test_only_http_py_speaks_http(path: Path) -> None:
    """http.py imports the HTTP and socket modules; no other linkcheck module does."""
    speaks = bool(imported(path) & HTTP)
    assert speaks is (path.name == "http.py")
