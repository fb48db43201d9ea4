"""The `runbooks:` settings of the `oncall` plugin, shared by `mkdocs build` and the CLI."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncall_docs.errors import ConfigError
from oncall_docs.runbooks.review import DEFAULT_REVIEW_DAYS
from oncall_docs.settings import oncall_settings, read_config


@dataclass(frozen=True)
class RunbookSettings:
    """Everything under `plugins: - oncall: runbooks:`. Paths are relative to mkdocs.yml."""

    rules: tuple[str, ...] = ()  # Prometheus rule files: paths or globs
    prometheus_url: str = ""  # or a running Prometheus's /api/v1/rules
    base_url: str = ""  # where runbook_url links point; default: mkdocs.yml's site_url
    review_every: int = DEFAULT_REVIEW_DAYS  # days, for runbooks without their own
    timeout: float = 10.0  # seconds per wait on the Prometheus API
    deadline: float = 30.0  # seconds for the whole API answer

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RunbookSettings:
        """Validate the mapping; an unknown key or a wrong type raises ConfigError naming it."""
        if data is not None and not isinstance(data, Mapping):
            raise ConfigError("runbooks: expected a mapping of settings")
        known = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in (data or {}).items():
            if key not in known:
                raise ConfigError(f"runbooks: unknown setting {key!r} (known: {', '.join(known)})")
            values[key] = _coerce(key, value, getattr(cls(), key))
        return cls(**values)


def _coerce(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"runbooks: {key}: expected a path or a list of paths and globs")
        return tuple(items)
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"runbooks: {key}: expected a number > 0, got {value!r}")
        return type(default)(value)
    if not isinstance(value, str):
        raise ConfigError(f"runbooks: {key}: expected text, got {value!r}")
    return value


@dataclass(frozen=True)
class SiteConfig:
    """What the runbooks check needs from mkdocs.yml."""

    settings: RunbookSettings
    site_url: str
    use_directory_urls: bool
    root: Path


def read_site_config(config_file: Path | None) -> SiteConfig:
    """The `runbooks:` settings, site_url and use_directory_urls of a mkdocs.yml (defaults without one)."""
    if config_file is None:
        return SiteConfig(RunbookSettings(), "", True, Path())
    config = read_config(config_file)
    return SiteConfig(
        RunbookSettings.from_mapping(oncall_settings(config).get("runbooks")),
        str(config.get("site_url") or ""),
        config.get("use_directory_urls") is not False,
        config_file.parent,
    )
