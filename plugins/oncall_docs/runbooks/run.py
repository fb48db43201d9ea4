"""One runbooks check from end to end: rules (files or API), coverage, reviews, external URLs.

The CLI calls `run_check`; every input arrives as a value or an injectable function. A build
calls only `site_view` (rule files, no network), so the HTTP modules (the link checker's
scheduler and fetch, the Prometheus reader) are imported where a fetch happens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncall_docs.errors import ConfigError
from oncall_docs.findings import codes
from oncall_docs.findings.codes import Code
from oncall_docs.findings.report import Finding
from oncall_docs.linkcheck.check import Site
from oncall_docs.model import Handbook
from oncall_docs.model.load import Positions
from oncall_docs.runbooks.coverage import SiteBase, check_coverage
from oncall_docs.runbooks.review import review_findings
from oncall_docs.runbooks.rules import AlertRule, expand, read_rule_files
from oncall_docs.runbooks.settings import RunbookSettings, SiteConfig
from oncall_docs.runbooks.view import RunbookView

if TYPE_CHECKING:
    from oncall_docs.linkcheck.scheduler import ExternalOptions, Fetch
    from oncall_docs.runbooks.prometheus import ApiOptions, Get


def load_rules(
    patterns: Sequence[str],
    root: Path,
    prometheus_url: str = "",
    *,
    get: Get | None = None,
    api: ApiOptions | None = None,
) -> tuple[list[AlertRule], str]:
    """The alerting rules from files and/or a Prometheus, and what they were read from."""
    if not patterns and not prometheus_url:
        raise ConfigError(
            "no alerting rules: pass --rules or --prometheus-url, or set `runbooks: rules` "
            "in mkdocs.yml"
        )
    rules: list[AlertRule] = []
    origin: list[str] = []
    if patterns:
        from_files, files = rules_from_files(patterns, root)
        rules.extend(from_files)
        origin.extend(f.as_posix() for f in files)
    if prometheus_url:
        from oncall_docs.runbooks.prometheus import ApiOptions, default_get, fetch_rules

        rules.extend(fetch_rules(prometheus_url, get=get or default_get(api or ApiOptions())))
        origin.append(prometheus_url)
    return rules, ", ".join(origin)


def rules_from_files(patterns: Sequence[str], root: Path) -> tuple[list[AlertRule], list[Path]]:
    """The alerting rules of the files `patterns` name under `root`, and those files."""
    files = expand(patterns, root)
    return read_rule_files(files), files


def runbook_positions(book: Handbook) -> dict[str, Positions]:
    """Runbook id -> the line lookup of its data file."""
    return {
        rid: book.positions[f"runbooks/{rid}"]
        for rid in book.runbooks
        if f"runbooks/{rid}" in book.positions
    }


@dataclass(frozen=True)
class Check:
    """What one run checks against: the data, the rules, the built site and today's date."""

    book: Handbook
    rules: list[AlertRule]
    site: Site
    base: SiteBase
    today: date
    review_days: int


def run_check(
    check: Check, *, external: ExternalOptions | None = None, fetch: Fetch | None = None
) -> list[Finding]:
    """Coverage and review findings; with `external`, URLs outside the site are fetched too."""
    where = runbook_positions(check.book)
    findings = check_coverage(check.rules, check.book.runbooks, check.site, check.base, where)
    findings += review_findings(check.book.runbooks, check.today, check.review_days, where)
    if external is not None:
        findings += check_external(findings, external, fetch)
    return findings


def check_external(
    findings: Iterable[Finding], options: ExternalOptions, fetch: Fetch | None = None
) -> list[Finding]:
    """Fetch every runbook URL outside the site once; a broken one is `runbook-page-missing`."""
    outside = [
        f for f in findings if f.code == codes.RUNBOOK_EXTERNAL.slug and f.url and "{{" not in f.url
    ]
    wanted: dict[str, bool] = {}
    for f in outside:
        url, _, fragment = (f.url or "").partition("#")
        wanted[url] = wanted.get(url, False) or (options.check_anchors and bool(fragment))
    from oncall_docs.linkcheck.http import HttpFetch  # only when runbook URLs are fetched
    from oncall_docs.linkcheck.scheduler import ExternalChecker

    outcomes = (
        ExternalChecker(options, fetch=fetch or HttpFetch(options)).check_all(wanted)
        if wanted
        else {}
    )
    problems: list[Finding] = []
    for f in outside:
        url, _, fragment = (f.url or "").partition("#")
        outcome = outcomes[url]
        if outcome.code is not None:
            problems.append(
                _as(f, codes.RUNBOOK_PAGE_MISSING, f"{outcome.code}: {outcome.message}")
            )
        elif fragment and outcome.anchors is not None and fragment not in outcome.anchors:
            problems.append(
                _as(f, codes.RUNBOOK_ANCHOR_MISSING, f"no element with id {fragment!r}")
            )
    return problems


def _as(finding: Finding, code: Code, message: str) -> Finding:
    return replace(finding, code=code.slug, severity=code.severity, message=message)


def warn_only(findings: Iterable[Finding], slugs: Iterable[str]) -> list[Finding]:
    """Errors with these codes become warnings: reported, but they do not fail the check."""
    lowered = set(slugs)
    return [
        replace(f, severity="warning") if f.code in lowered and f.severity == "error" else f
        for f in findings
    ]


@dataclass(frozen=True)
class Sources:
    """Where the rules and the site's base URL come from: the command line over the settings."""

    rules: tuple[str, ...] = ()
    prometheus_url: str | None = None
    base_url: str | None = None


def resolve_sources(cli: Sources, cfg: SiteConfig) -> tuple[Sources, SiteBase, ApiOptions]:
    """Command-line rule sources replace the configured ones; --base-url over base_url over site_url."""
    from oncall_docs.runbooks.prometheus import ApiOptions  # the CLI's: a build reads files only

    given = bool(cli.rules or cli.prometheus_url)
    rules = cli.rules if given else cfg.settings.rules
    url = cli.prometheus_url or ("" if given else cfg.settings.prometheus_url)
    base_url = cli.base_url if cli.base_url is not None else (cfg.settings.base_url or cfg.site_url)
    api = ApiOptions(timeout=cfg.settings.timeout, deadline=cfg.settings.deadline)
    return Sources(rules, url, base_url), SiteBase(base_url, cfg.use_directory_urls), api


def site_view(
    settings: Mapping[str, Any] | None,
    root: Path,
    book: Handbook,
    *,
    site_url: str,
    use_directory_urls: bool,
    today: date,
) -> RunbookView:
    """The Alerts page and runbook headers of one build, from the plugin's `runbooks:` settings.

    Only rule files are read here: a build never waits on a Prometheus.
    """
    cfg = RunbookSettings.from_mapping(settings)
    rules, files = rules_from_files(cfg.rules, root) if cfg.rules else ([], [])
    base = SiteBase(cfg.base_url or site_url, use_directory_urls)
    return RunbookView(
        rules,
        book.runbooks,
        today=today,
        review_days=cfg.review_every,
        base=base,
        rules_from=", ".join(f.as_posix() for f in files),
        rule_files=files,  # watched by `mkdocs serve`
    )
