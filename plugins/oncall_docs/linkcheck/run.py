"""One link check from end to end: internal links, then (optionally) external URLs via the cache.

The CLI and the MkDocs plugin both call `run_check`; neither knows how the checks work.
The external check's modules (scheduler, HTTP, cache, outcomes) are imported when it runs, so
a build that checks internal links only never loads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oncall_docs.findings.report import Finding
from oncall_docs.linkcheck.check import Occurrence, Site, check_site, fragment_of
from oncall_docs.linkcheck.collect import paused_gc
from oncall_docs.linkcheck.rules import LinkRules

if TYPE_CHECKING:
    from oncall_docs.linkcheck.cache import LinkCache
    from oncall_docs.linkcheck.outcome import Outcome
    from oncall_docs.linkcheck.scheduler import ExternalOptions, Fetch


@dataclass
class Report:
    """Findings plus the figures a summary shows."""

    findings: list[Finding]
    pages: list[str]
    external_urls: int = 0
    cached: int = 0
    requests: int = 0
    external: bool = False

    def counts(self) -> dict[str, int]:
        """Extra summary fields for the reports: pages, and what the external check cost."""
        if not self.external:
            return {"pages": len(self.pages)}
        return {
            "pages": len(self.pages),
            "external_urls": self.external_urls,
            "cached": self.cached,
            "requests": self.requests,
        }


def run_check(
    site: Site,
    *,
    rules: LinkRules,
    sources: Mapping[str, str] | None = None,
    external: ExternalOptions | None = None,
    cache: LinkCache | None = None,
    fetch: Fetch | None = None,
    progress: Callable[[int, int], None] | None = None,
    report_redirects: bool = False,
) -> Report:
    """Check the site's internal links always, and its external URLs when `external` is set."""
    with paused_gc():
        findings, urls = check_site(site, rules=rules, sources=sources)
    report = Report(findings, sorted(site.pages))
    if external is None:
        return report
    from oncall_docs.linkcheck.outcome import findings_for_url  # only for an external check

    outcomes = _external_outcomes(urls, external, cache, fetch, progress, report)
    for url in sorted(urls):
        report.findings.extend(
            findings_for_url(
                url,
                urls[url],
                outcomes[url],
                rules,
                check_anchors=external.check_anchors,
                report_redirects=report_redirects,
            )
        )
    return report


def _external_outcomes(
    urls: dict[str, list[Occurrence]],
    options: ExternalOptions,
    cache: LinkCache | None,
    fetch: Fetch | None,
    progress: Callable[[int, int], None] | None,
    report: Report,
) -> dict[str, Outcome]:
    """Cached outcomes where fresh, the network for the rest; the cache learns the new ones."""
    wanted = {
        url: options.check_anchors and any(fragment_of(o.url) for o in occs)
        for url, occs in urls.items()
    }
    outcomes: dict[str, Outcome] = {}
    for url, want_anchors in wanted.items():
        if cache is not None and (hit := cache.get(url, want_anchors=want_anchors)) is not None:
            outcomes[url] = hit
    todo = {url: want for url, want in wanted.items() if url not in outcomes}
    fresh = {}
    if todo:
        from oncall_docs.linkcheck.http import HttpFetch  # only when a URL needs the network
        from oncall_docs.linkcheck.scheduler import ExternalChecker

        checker = ExternalChecker(options, fetch=fetch or HttpFetch(options))
        fresh = checker.check_all(todo, progress)
    if cache is not None:
        for url, outcome in fresh.items():
            if outcome.cacheable:
                cache.put(url, outcome)
        cache.save()
    report.external = True
    report.external_urls = len(urls)
    report.cached = len(outcomes)
    report.requests = sum(o.requests for o in fresh.values())
    return {**outcomes, **fresh}
