"""The `links:` settings of the `oncall` plugin, shared by `mkdocs build` and the CLI.

Read through oncall_docs.settings (the one reader of the `oncall:` settings), so
`oncall-docs check links` in CI applies the same ignore rules as the build. The external
check's cache and scheduler are imported by `cache()` and `options()`, when an external check
runs: a build that checks internal links only never loads them.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncall_docs.errors import ConfigError
from oncall_docs.linkcheck.rules import LinkRules, compile_rules

if TYPE_CHECKING:
    from oncall_docs.linkcheck.cache import LinkCache
    from oncall_docs.linkcheck.scheduler import ExternalOptions


@dataclass(frozen=True)
class LinkSettings:
    """Everything under `plugins: - oncall: links:`; defaults check internal links only."""

    check: bool = True  # internal links and anchors inside `mkdocs build`
    external: bool = False  # external URLs inside `mkdocs build` (never under `mkdocs serve`)
    ignore: tuple[str, ...] = ()
    allow_status: Mapping[str, list[int]] = field(default_factory=dict)
    allow_redirect: tuple[str, ...] = ()
    report_redirects: bool = False
    check_anchors: bool = False  # fetch external HTML pages to check their #fragments
    cache_dir: str = ".cache/linkcheck"
    cache_ttl: int = 86400
    timeout: float = 10.0
    total_timeout: float = 300.0
    workers: int = 32
    per_host: int = 4

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> LinkSettings:
        """Validate the mapping; an unknown key or a wrong type raises ConfigError naming it."""
        values: dict[str, Any] = {}
        defaults = {f.name: f for f in dataclasses.fields(cls)}
        for key, value in (data or {}).items():
            if key not in defaults:
                raise ConfigError(f"links: unknown setting {key!r} (known: {', '.join(defaults)})")
            values[key] = _coerce(key, value, getattr(cls(), key))
        return cls(**values)

    def rules(self, extra_ignore: Iterable[str] = ()) -> LinkRules:
        """The compiled ignore/allow rules, plus any given on the command line."""
        return compile_rules([*self.ignore, *extra_ignore], self.allow_status, self.allow_redirect)

    def cache(self, root: Path, now: float) -> LinkCache:
        """The external-URL cache file under `root` (the folder of mkdocs.yml)."""
        from oncall_docs.linkcheck.cache import LinkCache  # only when external URLs are checked

        return LinkCache(root / self.cache_dir / "external.json", ttl=self.cache_ttl, now=now)

    def options(self) -> ExternalOptions:
        """How the external check runs."""
        from oncall_docs.linkcheck.scheduler import ExternalOptions  # only for an external check

        return ExternalOptions(
            workers=self.workers,
            per_host=self.per_host,
            timeout=self.timeout,
            total_timeout=self.total_timeout,
            check_anchors=self.check_anchors,
        )


def _coerce(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"links: {key}: expected true or false, got {value!r}")
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"links: {key}: expected a number >= 0, got {value!r}")
        return type(default)(value)
    if isinstance(default, tuple):
        if isinstance(value, str) or not isinstance(value, list):
            raise ConfigError(f"links: {key}: expected a list of regular expressions")
        return tuple(str(item) for item in value)
    if isinstance(default, Mapping):
        if not isinstance(value, Mapping):
            raise ConfigError(f"links: {key}: expected a mapping of regular expression -> statuses")
        return {str(k): list(v) if isinstance(v, list) else [v] for k, v in value.items()}
    return str(value)


def guess_sources(pages: Iterable[str], docs_dir: Path, shown_as: str) -> dict[str, str]:
    """Built page -> Markdown file that MkDocs made it from, where such a file exists."""
    found: dict[str, str] = {}
    for page in pages:
        stem = page[: -len("index.html")].rstrip("/") if page.endswith("index.html") else page
        stem = posixpath.splitext(stem)[0] if stem.endswith((".html", ".htm")) else stem
        candidates = (
            [f"{stem}/index.md", f"{stem}/README.md"] if stem else ["index.md", "README.md"]
        )
        if stem and page.endswith("index.html"):
            candidates.insert(0, f"{stem}.md")
        elif stem:
            candidates = [f"{stem}.md"]
        for candidate in candidates:
            if (docs_dir / candidate).is_file():
                found[page] = posixpath.join(shown_as, candidate)
                break
    return found
