"""After the pages are written, the plugin lets the handbook go, and `mkdocs serve` still watches data."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.config import load_config

from oncall_docs.mkdocs_plugin.plugin import OncallPlugin
from tests.conftest import copy_project


class Server:
    """A stand-in for MkDocs' LiveReloadServer: records what it is asked to watch."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        """Remember one watched path."""
        self.watched.append(path)


def test_post_build_releases_the_handbook_and_serve_still_watches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """on_post_build drops the parts and renderer (nothing else keeps them); serve watches data and rules."""
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["oncall"]
    assert isinstance(plugin, OncallPlugin)
    plugin.config["cache_dir"] = str(tmp_path / "cache")
    plugin.config["links"] = replace(plugin.config.links, check=False)  # no site: release only
    plugin.on_startup(command="serve", dirty=False)
    config = plugin.on_config(config) or config
    assert plugin.parts is not None
    assert plugin.renderer is not None
    parts = weakref.ref(plugin.parts)
    renderer = weakref.ref(plugin.renderer)
    plugin.on_post_build(config=config)
    gc.collect()
    assert (plugin.parts, plugin.renderer) == (None, None)
    assert (parts(), renderer()) == (None, None)  # freed: no module-level cache holds them
    server = Server()
    plugin.on_serve(server, config, None)  # type: ignore[arg-type]
    assert str(project / "data") in [str(Path(p).resolve()) for p in server.watched]
    rules = project / "monitoring" / "prometheus" / "rules" / "bitcell.rules.yaml"
    assert str(rules) in [str(Path(p).resolve()) for p in server.watched]  # saving it rebuilds
