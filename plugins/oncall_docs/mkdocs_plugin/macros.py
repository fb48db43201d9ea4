"""mkdocs-macros module hook: `define_env(env)` for engines that only run that hook.

With `macros: modules: [oncall_docs.mkdocs_plugin.macros]` a site gets every macro, the
`oncall` variable and the `code` filter from the same site.prepare() as the plugin, even
where the `oncall` plugin's own hooks never run. Without the plugin's per-page hooks, a
wrong macro argument raises (mkdocs-macros reports it) instead of waiting for the page's end.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from oncall_docs.settings import Settings, read_settings
from oncall_docs.site import PageChannel, prepare


def _settings(env: Any) -> Settings:
    """The oncall plugin's validated config when it is loaded, else mkdocs.yml read directly."""
    config_file = Path(env.conf.get("config_file_path") or Path(env.project_dir) / "mkdocs.yml")
    plugin: Any = (env.conf.get("plugins") or {}).get("oncall")
    if plugin is not None and hasattr(
        plugin, "config"
    ):  # MkDocs or ProperDocs with our plugin loaded
        return Settings.from_mapping(dict(plugin.config), config_file.resolve().parent)
    return read_settings(config_file)  # Zensical runs no third-party plugin: read mkdocs.yml


def _page_src(page: Any) -> str:
    """The page's path inside docs/: MkDocs' `page.file.src_uri`, Zensical's `page.path`."""
    file = getattr(page, "file", None)
    return str(getattr(file, "src_uri", None) or getattr(page, "path", "") or "")


def define_env(env: Any) -> None:
    """Register the site's macros, variables and filters with mkdocs-macros."""
    settings = _settings(env)
    channel = PageChannel(strict=True)
    channel.follow(lambda: _page_src(env.page))  # Zensical calls define_env once per page
    parts = prepare(
        settings,
        settings.root,
        datetime.now(timezone.utc),
        use_directory_urls=bool(env.conf.get("use_directory_urls", True)),
        site_url=str(env.conf.get("site_url") or ""),
        channel=channel,
    )
    for name, fn in parts.macros.items():
        env.macro(fn, name)
    for name, fn in parts.filters.items():
        env.filter(fn, name)
    env.variables.update(parts.variables)
