"""`oncall-docs generate` keeps the fragments' compiled code in the user's cache, as a build does."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.render.environment import ENVIRONMENT


@pytest.mark.parametrize(
    ("switch", "kept"),
    [
        pytest.param("1", True, id="build-cache-on"),
        pytest.param("0", False, id="build-cache-off"),
    ],
)
def test_generate_uses_the_user_cache(
    handbook_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, switch: str, kept: bool
) -> None:
    """With build caches on, generate leaves compiled fragments in the user cache; off: nothing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(handbook_project)
    if ENVIRONMENT.cache is not None:
        ENVIRONMENT.cache.clear()  # as in a new process: earlier tests compiled fragments
    env = {"ONCALL_BUILD_CACHE": switch, "PAGERDUTY_API_TOKEN": None}
    result = CliRunner().invoke(cli, ["generate", str(tmp_path / "out")], env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "docs" / "index.md").is_file()
    assert bool(list((tmp_path / "xdg" / "oncall-docs" / "jinja").glob("*.cache"))) is kept
