"""define_env: an engine that only runs mkdocs-macros' module hook still gets every macro."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from oncall_docs.errors import OncallDocsError
from oncall_docs.mkdocs_plugin.macros import define_env
from tests.conftest import copy_project


class FakeEnv:
    """The parts of mkdocs-macros' env that define_env uses."""

    def __init__(self, project: Path) -> None:
        self.conf: dict[str, Any] = {
            "config_file_path": str(project / "mkdocs.yml"),
            "plugins": {},
            "use_directory_urls": True,
        }
        self.project_dir = str(project)
        self.page = SimpleNamespace(file=SimpleNamespace(src_uri="severity.md"))
        self.macros: dict[str, Any] = {}
        self.filters: dict[str, Any] = {}
        self.variables: dict[str, Any] = {}

    def macro(self, fn: Any, name: str) -> None:
        """Register a macro."""
        self.macros[name] = fn

    def filter(self, fn: Any, name: str) -> None:
        """Register a filter."""
        self.filters[name] = fn


def test_define_env_registers_everything_from_prepare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data, on-call and handoff macros, the `oncall` variable and the `code` filter; errors raise."""
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    env = FakeEnv(project)
    define_env(env)
    assert {"severity_table", "oncall_table", "handoff_draft", "access_readiness"} <= set(
        env.macros
    )
    assert "code" in env.filters
    assert str(env.variables["oncall"].rotation.team) == "BitCell Platform Team"
    with pytest.raises(OncallDocsError, match="no checklist with id 'nope'"):
        env.macros["checklist"]("nope")
