"""The MkDocs glue in-process: each hook hands the SiteParts to MkDocs and mkdocs-macros."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from oncall_docs.mkdocs_plugin.plugin import OncallPlugin
from tests.conftest import copy_project, with_macros_plugin


@pytest.fixture
def configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[MkDocsConfig, OncallPlugin]:
    """The project's mkdocs.yml plus mkdocs-macros, loaded, with on_config run (offline, private cache)."""
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    project = with_macros_plugin(copy_project(tmp_path / "project"))
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"))
    for name in ("_add_macros", "_add_variables", "_add_filters"):  # class-level in mkdocs-macros
        monkeypatch.setattr(type(config.plugins["macros"]), name, {})
    plugin = config.plugins["oncall"]
    assert isinstance(plugin, OncallPlugin)
    plugin.config["cache_dir"] = str(tmp_path / "cache")
    plugin.on_startup(command="build", dirty=False)
    config = plugin.on_config(config) or config
    config.plugins._current_plugin = "oncall"  # what MkDocs sets while a plugin's hook runs
    return config, plugin


def page(src_uri: str, url: str, config: MkDocsConfig) -> Any:
    """A stand-in for a MkDocs Page: only what our hooks read."""
    file = File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls)
    return SimpleNamespace(file=file, url=url)


def test_on_config_registers_macros_variables_filters_and_assets(
    configured: tuple[MkDocsConfig, OncallPlugin],
) -> None:
    """mkdocs-macros receives every macro, `oncall` and `code` (and renders alone); CSS and JS linked."""
    config, plugin = configured
    macros = config.plugins["macros"]
    registered = {**getattr(macros, "_add_macros", {}), **getattr(macros, "macros", {})}
    assert {"severity_table", "oncall_table", "access_readiness", "handoff_draft"} <= set(
        registered
    )
    assert "oncall" in {**getattr(macros, "_add_variables", {}), **getattr(macros, "variables", {})}
    assert "code" in {**getattr(macros, "_add_filters", {}), **getattr(macros, "filters", {})}
    assert "assets/oncall/checklist.js" in [str(s) for s in config.extra_javascript]
    assert "assets/oncall/oncall.css" in [str(s) for s in config.extra_css]
    assert plugin.parts is not None
    assert plugin.renderer is None  # mkdocs-macros renders the pages: never twice


def test_on_files_adds_feeds_assets_and_missing_runbook_pages(
    configured: tuple[MkDocsConfig, OncallPlugin],
) -> None:
    """oncall.json, oncall.ics, assets, and a runbook page only where docs/ has none."""
    config, plugin = configured
    files = plugin.on_files(Files([]), config)
    uris = {f.src_uri for f in files}
    assert {"oncall.json", "oncall.ics", "assets/oncall/copy-block.js"} <= uris
    assert "runbooks/deployment-guide.md" in uris
    docs_page = File("runbooks/deployment-guide.md", config.docs_dir, config.site_dir, True)
    again = plugin.on_files(Files([docs_page]), config)
    assert [f for f in again if f.src_uri == "runbooks/deployment-guide.md"] == [docs_page]


def test_page_hooks_banner_and_macro_errors(configured: tuple[MkDocsConfig, OncallPlugin]) -> None:
    """The banner links back to the schedule; a wrong macro argument fails the page in one line."""
    config, plugin = configured
    assert plugin.parts is not None
    current = page("severity.md", "severity/", config)
    context = plugin.on_page_context({}, page=current, config=config, nav=None)
    assert 'href="../schedule/#who-is-on-call"' in context["oncall_banner"]
    env = plugin.on_env(SimpleNamespace(globals={}), config=config, files=Files([]))
    assert "data-oncall-footer" in env.globals["oncall_footer"]
    plugin.on_pre_page(current, config=config, files=Files([]))
    assert plugin.parts.channel.current() == "severity.md"
    plugin.parts.macros["checklist"]("nope")
    with pytest.raises(PluginError, match=r"severity\.md: no checklist with id 'nope'") as caught:
        plugin.on_page_markdown("", page=current, config=config, files=Files([]))
    assert "\n" not in str(caught.value)
    plugin.on_pre_page(page("faq.md", "faq/", config), config=config, files=Files([]))
    assert plugin.on_page_markdown("x", page=current, config=config, files=Files([])) == "x"


def test_bad_data_is_one_plugin_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken data file stops on_config with one line naming the file."""
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    project = copy_project(tmp_path / "project")
    (project / "data" / "faq.yaml").write_text("questions: 3\n", encoding="utf-8")
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"faq\.yaml") as caught:
        config.plugins["oncall"].on_config(config)
    assert "\n" not in str(caught.value)


def test_disabled_plugin_adds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """enabled: false -> no data is loaded and no file is added."""
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["oncall"]
    plugin.config["enabled"] = False
    config.plugins._current_plugin = "oncall"
    assert plugin.on_config(config) is None
    assert list(plugin.on_files(Files([]), config)) == []
