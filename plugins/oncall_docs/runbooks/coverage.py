"""Alerting rules x runbooks x the built site -> findings. Pure: no file, no network.

A `runbook_url` under the site's base URL (or relative, read from the site root) is
resolved the way a static server serves it, against the same page and anchor index the
link checker uses; the page it lands on must be the runbook that lists the alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from oncall_docs.findings import codes
from oncall_docs.findings.codes import Code
from oncall_docs.findings.report import Finding
from oncall_docs.linkcheck.check import Site, resolve_path, served_file
from oncall_docs.model.load import Loc, Positions
from oncall_docs.model.types import Runbook, alert_anchor
from oncall_docs.render.links import page_url
from oncall_docs.runbooks.rules import AlertRule


@dataclass(frozen=True)
class SiteBase:
    """Where the site lives: `url` is site_url (or --base-url), '' when only relative URLs are ours."""

    url: str = ""
    use_directory_urls: bool = True

    @property
    def path(self) -> str:
        """The path part of the base URL, with a trailing slash: `/handbook/`."""
        path = urlsplit(self.url).path if self.url else "/"
        return path if path.endswith("/") else path + "/"


def runbook_page(runbook_id: str, use_directory_urls: bool) -> str:
    """The site path of a runbook's page: `runbooks/<id>/` or `runbooks/<id>.html`."""
    return page_url(f"runbooks/{runbook_id}.md", use_directory_urls=use_directory_urls)


def runbook_url(runbook_id: str, name: str, base: SiteBase) -> str:
    """The `runbook_url` an alert should have: its procedure's anchor on its runbook page."""
    page = runbook_page(runbook_id, base.use_directory_urls)
    prefix = base.url.rstrip("/") + "/" if base.url else ""
    return f"{prefix}{page}#{alert_anchor(name)}"


def locate(url: str, base: SiteBase) -> tuple[str, str] | None:
    """(site path, fragment) that `url` points at, or None when it is outside the site."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc:
        if not base.url:
            return None
        home = urlsplit(base.url)
        same_host = (parts.scheme, parts.netloc.lower()) == (home.scheme, home.netloc.lower())
        if not same_host or not (path + "/").startswith(base.path):
            return None
        path = path[len(base.path) :] if len(path) >= len(base.path) else ""
    elif path.startswith("/"):
        path = path[len(base.path) :] if path.startswith(base.path) else path.lstrip("/")
    return path, unquote(parts.fragment)


def owner_of(name: str, runbooks: Mapping[str, Runbook]) -> str | None:
    """The first runbook (by id) that lists the alert."""
    return next((rid for rid in sorted(runbooks) if name in runbooks[rid].covered_alerts()), None)


def suggest(
    rules: Iterable[AlertRule], runbooks: Mapping[str, Runbook], base: SiteBase
) -> dict[str, str | None]:
    """Alert -> the right `runbook_url` (None when no runbook lists it), for rule generators."""
    names = {rule.name for rule in rules}
    names.update(name for book in runbooks.values() for name in book.covered_alerts())
    out: dict[str, str | None] = {}
    for name in sorted(names):
        rid = owner_of(name, runbooks)
        out[name] = runbook_url(rid, name, base) if rid else None
    return out


def _alert(rule: AlertRule, code: Code, message: str, url: str | None = None) -> Finding:
    return Finding.of(code, "alert", rule.name, message, url=url, file=rule.source, line=rule.line)


def runbook_finding(
    runbook_id: str, code: Code, message: str, where: Positions | None, loc: Loc = ()
) -> Finding:
    """A finding about a runbook, pointing at its data file and the line of `loc`."""
    return Finding.of(
        code,
        "runbook",
        runbook_id,
        message,
        file=where.path.as_posix() if where else None,
        line=where.at(loc)[0] if where else None,
    )


def runbook_pages(runbooks: Iterable[str], site: Site) -> dict[str, str]:
    """Built file -> runbook id, whichever of the two URL styles the site was built with."""
    pages: dict[str, str] = {}
    for rid in runbooks:
        for directory_urls in (True, False):
            served = served_file(runbook_page(rid, directory_urls), site.files)
            if served is not None:
                pages.setdefault(served, rid)
    return pages


def check_rule(
    rule: AlertRule,
    runbooks: Mapping[str, Runbook],
    site: Site,
    base: SiteBase,
    pages: Mapping[str, str],
) -> Finding | None:
    """The one problem (or none) with one rule's `runbook_url`."""
    url = rule.runbook_url
    if url is None:
        rid = owner_of(rule.name, runbooks)
        hint = f" (runbook {rid!r} lists it: {runbook_url(rid, rule.name, base)})" if rid else ""
        return _alert(rule, codes.NO_RUNBOOK_URL, f"no runbook_url annotation{hint}")
    if "{{" in url:
        return _alert(rule, codes.RUNBOOK_EXTERNAL, "a template expression: not checked", url)
    located = locate(url, base)
    if located is None:
        return _alert(
            rule, codes.RUNBOOK_EXTERNAL, "outside the site (checked with --external)", url
        )
    path, fragment = located
    target = resolve_path("", path)
    served = None if target is None else served_file(target, site.files)
    if served is None:
        return _alert(
            rule, codes.RUNBOOK_PAGE_MISSING, f"{target or path or '/'} is not in the site", url
        )
    page = site.pages.get(served)
    if fragment and fragment != "top" and page is not None and fragment not in page.anchors:
        return _alert(
            rule, codes.RUNBOOK_ANCHOR_MISSING, f"no element with id {fragment!r} in {served}", url
        )
    rid = pages.get(served)
    if rid is None:
        return _alert(rule, codes.ALERT_NOT_COVERED, f"{served} is not a runbook page", url)
    covered = runbooks[rid].covered_alerts()
    if rule.name not in covered:
        return _alert(
            rule, codes.ALERT_NOT_COVERED, f"runbook {rid!r} does not list this alert", url
        )
    part = covered[rule.name]
    if fragment and part and fragment not in ("top", part, alert_anchor(rule.name)):
        return _alert(
            rule,
            codes.ALERT_NOT_COVERED,
            f"points at #{fragment}, but runbook {rid!r} lists the alert under "
            f"#{alert_anchor(rule.name)}",
            url,
        )
    return None


def alert_locations(book: Runbook) -> dict[str, Loc]:
    """Alert -> where the runbook lists it, for findings that name the line."""
    out: dict[str, Loc] = {name: ("alerts", i) for i, name in enumerate(book.alerts)}
    sections = len(book.sections)
    for p, part in enumerate(book.parts()):
        loc: Loc = ("sections", p) if p < sections else ("incidents", p - sections)
        for i, name in enumerate(part.alerts):
            out.setdefault(name, (*loc, "alerts", i))
    return out


def check_coverage(
    rules: Iterable[AlertRule],
    runbooks: Mapping[str, Runbook],
    site: Site,
    base: SiteBase,
    positions: Mapping[str, Positions] | None = None,
) -> list[Finding]:
    """Every rule's runbook_url against the site, then every runbook's alerts against the rules."""
    rules = list(rules)
    pages = runbook_pages(runbooks, site)
    findings = [
        found
        for rule in rules
        if (found := check_rule(rule, runbooks, site, base, pages)) is not None
    ]
    defined = {rule.name for rule in rules}
    for rid in sorted(runbooks):
        where = (positions or {}).get(rid)
        for name, loc in alert_locations(runbooks[rid]).items():
            if name not in defined:
                findings.append(
                    runbook_finding(
                        rid,
                        codes.RUNBOOK_ORPHAN,
                        f"lists alert {name!r}, which no rule defines",
                        where,
                        loc,
                    )
                )
    return findings
