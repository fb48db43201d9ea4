r"""User rules for the link check: URLs to skip, statuses and redirects to accept.

Rules are regular expressions searched in the URL as written in the page, so one rule such as
`^http://localhost(:\d+)?/` covers every dashboard of the guide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from oncall_docs.errors import ConfigError


@dataclass(frozen=True)
class LinkRules:
    """Compiled rules; the empty default checks everything and accepts only 2xx."""

    ignore: tuple[re.Pattern[str], ...] = ()
    allow_status: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = ()
    allow_redirect: tuple[re.Pattern[str], ...] = ()

    def ignored(self, url: str) -> bool:
        """True when a rule says not to check `url` (reported as skipped, never as broken)."""
        return any(rule.search(url) for rule in self.ignore)

    def accepted_statuses(self, url: str) -> frozenset[int]:
        """Non-2xx statuses that count as fine for `url` (e.g. 999 for a site that blocks bots)."""
        codes: set[int] = set()
        for rule, allowed in self.allow_status:
            if rule.search(url):
                codes |= allowed
        return frozenset(codes)

    def redirect_allowed(self, url: str) -> bool:
        """True when a permanent redirect of `url` is expected and need not be reported."""
        return any(rule.search(url) for rule in self.allow_redirect)


def _compile(pattern: str, setting: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ConfigError(
            f"{setting}: {pattern!r} is not a valid regular expression: {error}"
        ) from None


def compile_rules(
    ignore: Iterable[str] = (),
    allow_status: Mapping[str, Iterable[int]] | None = None,
    allow_redirect: Iterable[str] = (),
) -> LinkRules:
    """Compile the settings; a bad pattern or status raises ConfigError naming the setting."""
    statuses = []
    for pattern, codes in (allow_status or {}).items():
        try:
            allowed = frozenset(int(code) for code in codes)
        except (TypeError, ValueError):
            raise ConfigError(f"allow_status: {pattern!r}: statuses must be integers") from None
        statuses.append((_compile(pattern, "allow_status"), allowed))
    return LinkRules(
        ignore=tuple(_compile(p, "ignore") for p in ignore),
        allow_status=tuple(statuses),
        allow_redirect=tuple(_compile(p, "allow_redirect") for p in allow_redirect),
    )
