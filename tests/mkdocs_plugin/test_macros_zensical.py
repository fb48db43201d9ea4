"""define_env under Zensical: its page has `path` (no `file`), its plugins are plain mappings."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from oncall_docs.mkdocs_plugin.macros import define_env
from tests.conftest import copy_project
from tests.mkdocs_plugin.test_macros import FakeEnv


@pytest.mark.parametrize(
    ("page", "link"),
    [
        pytest.param(SimpleNamespace(path="runbooks/deployment-guide.md"), "../../", id="zensical"),
        pytest.param(
            SimpleNamespace(file=SimpleNamespace(src_uri="runbooks/deployment-guide.md")),
            "../../",
            id="mkdocs",
        ),
        pytest.param(SimpleNamespace(path="index.md"), "", id="zensical-root"),
    ],
)
def test_links_resolve_from_either_engines_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: object, link: str
) -> None:
    """A data link is relative to the page being rendered, whichever engine's page object it is."""
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    env = FakeEnv(project)
    env.conf["plugins"] = {"oncall": {"config": {"data_dir": "data"}}}  # Zensical's shape
    env.page = page
    define_env(env)
    assert f'href="{link}preparation/#required-access"' in str(
        env.macros["checklist"]("before-48h")
    )
