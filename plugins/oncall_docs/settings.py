"""Read mkdocs.yml without MkDocs, for the CLI commands that share the plugin's settings.

mkdocs.yml may hold `!ENV` and `!!python/name:` tags that only MkDocs can resolve; here they
read as null, since the commands only need our own plain settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from oncall_docs.errors import ConfigError


class _AnyTagLoader(yaml.SafeLoader):
    """A SafeLoader that reads every unknown tag as null instead of failing."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    """The whole mkdocs.yml as plain data; a missing or unreadable file is a ConfigError."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    return config if isinstance(config, dict) else {}


def oncall_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The `oncall` plugin's settings, whether `plugins:` is a list or a mapping ({} if absent)."""
    plugins = config.get("plugins") or []
    entries = [plugins] if isinstance(plugins, dict) else plugins
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("oncall"), dict):
            return dict(entry["oncall"])
    return {}
