"""The one reader of the `oncall:` settings, for the MkDocs plugin and the CLI alike.

The plugin hands in its validated config; the CLI reads mkdocs.yml with a loader that reads
MkDocs' `!ENV` and `!!python/name:` tags as null (the commands only need our own plain
settings). Either way the result is one frozen `Settings`, with paths resolved against the
folder of mkdocs.yml. The PagerDuty token is never a setting: it comes from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from oncall_docs.errors import ConfigError
from oncall_docs.linkcheck.settings import LinkSettings
from oncall_docs.pagerduty_api.client import (
    DEFAULT_API_URL,
    MAX_RESPONSE_BYTES,
    PagerDutySettings,
    RetryPolicy,
)
from oncall_docs.sources import POLICY_ENV

URL_ENV = "PAGERDUTY_API_URL"
BUILD_CACHE_ENV = "ONCALL_BUILD_CACHE"  # "0", "false", "no" or "off" turn the build caches off
_OFF = frozenset({"0", "false", "no", "off"})
OFFLINE_SNAPSHOT = "data/oncall-snapshot.json"  # checked in; used without a token
OFFLINE_INCIDENTS = "data/offline-incidents.json"  # a sample week for the handoff draft


class _AnyTagLoader(yaml.SafeLoader):
    """A SafeLoader that reads every unknown tag as null instead of failing."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    """The whole mkdocs.yml as plain data; a missing or unreadable file is a ConfigError."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)  # noqa: S506
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


def shown_path(path: Path) -> Path:
    """A path as the user typed it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return Path(relative) if not relative.startswith("..") else path


@dataclass(frozen=True)
class Settings:
    """Every option of `plugins: - oncall:`, typed; paths are absolute (under `root`)."""

    root: Path
    enabled: bool = True
    data_dir: Path = Path("data")
    links: LinkSettings = field(default_factory=LinkSettings)
    offline_snapshot: Path = Path(OFFLINE_SNAPSHOT)
    cache_dir: Path = Path(".cache/oncall")
    snapshot_ttl: int = 900  # seconds
    pagerduty_api_url: str = DEFAULT_API_URL
    escalation_policy_id: str = ""
    fetch_timeout: float = 10.0  # seconds per request
    fetch_deadline: float = 60.0  # seconds for the whole fetch
    fetch_attempts: int = 4  # tries per request (429, 5xx, network errors)
    fetch_max_bytes: int = MAX_RESPONSE_BYTES  # decoded size cap of each response
    redact: tuple[str, ...] = ()
    offline_incidents: Path = Path(OFFLINE_INCIDENTS)
    runbooks: Mapping[str, Any] = field(default_factory=dict)  # alert rules, review_every, base_url
    pager_setup: bool = False  # My shift: read pager setup from PagerDuty (1 + 2n requests)
    build_cache: bool = (
        True  # compiled templates kept in cache_dir/jinja (ONCALL_BUILD_CACHE=0: off)
    )
    docs_dir: Path = Path("docs")

    @classmethod
    def from_mapping(
        cls, values: Mapping[str, Any], root: Path, *, docs_dir: str = "docs"
    ) -> Settings:
        """Settings from the plugin's config or the raw `oncall:` mapping; a wrong type names its key."""
        known = {name for name in cls.__dataclass_fields__ if name not in ("root", "docs_dir")}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"oncall: unknown setting {unknown[0]!r}")
        base = Path(root).resolve()
        links = values.get("links")
        return cls(
            root=base,
            enabled=_typed(values, "enabled", bool, True),
            data_dir=base / _typed(values, "data_dir", str, "data"),
            links=links if isinstance(links, LinkSettings) else LinkSettings.from_mapping(links),
            offline_snapshot=base / _typed(values, "offline_snapshot", str, OFFLINE_SNAPSHOT),
            cache_dir=base / _typed(values, "cache_dir", str, ".cache/oncall"),
            snapshot_ttl=_typed(values, "snapshot_ttl", int, 900),
            pagerduty_api_url=_typed(values, "pagerduty_api_url", str, DEFAULT_API_URL),
            escalation_policy_id=_typed(values, "escalation_policy_id", str, ""),
            fetch_timeout=float(_typed(values, "fetch_timeout", (int, float), 10.0)),
            fetch_deadline=float(_typed(values, "fetch_deadline", (int, float), 60.0)),
            fetch_attempts=_typed(values, "fetch_attempts", int, 4),
            fetch_max_bytes=_typed(values, "fetch_max_bytes", int, MAX_RESPONSE_BYTES),
            redact=tuple(str(p) for p in _typed(values, "redact", (list, tuple), ())),
            offline_incidents=base / _typed(values, "offline_incidents", str, OFFLINE_INCIDENTS),
            runbooks=dict(_typed(values, "runbooks", dict, {})),
            pager_setup=_typed(values, "pager_setup", bool, False),
            build_cache=_typed(values, "build_cache", bool, True),
            docs_dir=base / docs_dir,
        )

    @property
    def retry(self) -> RetryPolicy:
        """Limits for every PagerDuty fetch of the build."""
        return RetryPolicy(
            attempts=self.fetch_attempts,
            timeout=self.fetch_timeout,
            deadline=self.fetch_deadline,
            max_response_bytes=self.fetch_max_bytes,
        )


def _typed(values: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = values.get(key)
    if value is None:
        return default
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise ConfigError(f"oncall: {key}: wrong type {type(value).__name__} ({value!r})")
    return value


def read_settings(config_file: Path) -> Settings:
    """Settings from a mkdocs.yml; defaults under the working directory when there is no file."""
    if not config_file.is_file():
        return Settings.from_mapping({}, Path.cwd())
    config = read_config(config_file)
    return Settings.from_mapping(
        oncall_settings(config),
        config_file.resolve().parent,
        docs_dir=str(config.get("docs_dir") or "docs"),
    )


def build_cache_dir(settings: Settings, environ: Mapping[str, str] | None = None) -> Path | None:
    """The folder of the build caches (parsed data files, compiled templates), or None when off.

    Off where mkdocs.yml says `build_cache: false` or the environment ONCALL_BUILD_CACHE=0.
    """
    env = os.environ if environ is None else environ
    if not settings.build_cache or env.get(BUILD_CACHE_ENV, "").strip().lower() in _OFF:
        return None
    return settings.cache_dir


def pagerduty_settings(
    settings: Settings | None = None,
    *,
    api_url: str | None = None,
    escalation_policy_id: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> PagerDutySettings:
    """Where to ask PagerDuty: a CLI flag wins over the environment, which wins over mkdocs.yml."""
    env = os.environ if environ is None else environ
    url = (
        api_url
        or env.get(URL_ENV)
        or (settings.pagerduty_api_url if settings else "")
        or DEFAULT_API_URL
    )
    policy = (
        escalation_policy_id
        or env.get(POLICY_ENV)
        or (settings.escalation_policy_id if settings else "")
    )
    return PagerDutySettings(api_url=url.rstrip("/"), escalation_policy_id=policy)
