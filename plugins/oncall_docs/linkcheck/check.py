"""Internal links and anchors -> Findings, over an in-memory index of the built site.

Links resolve the way a static server serves them: `dir/` is `dir/index.html`, and `dir`
without the slash works when `dir/index.html` exists (servers redirect it).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import unquote

from oncall_docs.findings import codes
from oncall_docs.findings.codes import Code
from oncall_docs.findings.report import Finding
from oncall_docs.linkcheck.collect import Link, PageLinks
from oncall_docs.linkcheck.rules import LinkRules

EXTERNAL_SCHEMES = ("http", "https")
# mailto: one or more addr-specs (local@domain), comma-separated, then an optional query.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")  # as urlsplit reads it, without its cost


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One use of an external URL: in which page (and source), as written."""

    page: str
    url: str
    source: str | None


@dataclass
class Site:
    """The built site: every file (site-relative, `/`-separated) and every parsed HTML page."""

    files: set[str]
    pages: dict[str, PageLinks]


def finding(code: Code, occ: Occurrence, message: str) -> Finding:
    """A link finding about one occurrence, in the JSON shape of DESIGN.md."""
    return Finding.of(code, "page", occ.page, message, url=occ.url, file=occ.source)


def resolve_path(page: str, path: str) -> str | None:
    """The site-relative path `path` points at from `page`; None when it climbs out of the site."""
    base = [] if path.startswith("/") else posixpath.dirname(page).split("/")
    parts = [p for p in base if p]
    segments = path.split("/")
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    joined = "/".join(parts)
    if segments[-1] in ("", ".", "..") and joined:
        joined += "/"
    return joined


def served_file(target: str, files: set[str]) -> str | None:
    """The file a static server answers with for `target`, or None when it would 404."""
    if target == "" or target.endswith("/"):
        index = f"{target}index.html"
        return index if index in files else None
    if target in files:
        return target
    index = f"{target}/index.html"
    return index if index in files else None


def _check_fragment(occ: Occurrence, fragment: str, target: str, site: Site) -> Finding | None:
    if fragment in ("", "top") or not target.endswith((".html", ".htm")):
        return None
    page = site.pages.get(target)
    if page is None or fragment in page.anchors:
        return None
    return finding(codes.MISSING_ANCHOR, occ, f"no element with id {fragment!r} in {target}")


def check_internal_link(occ: Occurrence, link: Link, site: Site) -> Finding | None:
    """Check one relative or root-relative link; None when it resolves, anchor included."""
    before, _, fragment = link.url.partition("#")  # urlsplit's work, at a fraction of its cost
    path, fragment = unquote(before.partition("?")[0]), unquote(fragment)
    if not path:
        return _check_fragment(occ, fragment, occ.page, site)
    target = resolve_path(occ.page, path)
    if target is None:
        return finding(codes.ESCAPES_SITE, occ, "climbs out of the site root")
    served = served_file(target, site.files)
    if served is None:
        code = codes.MISSING_FILE if link.kind == "asset" else codes.BROKEN_LINK
        return finding(code, occ, f"{target or '/'} is not in the site")
    return _check_fragment(occ, fragment, served, site)


def check_mailto(occ: Occurrence) -> Finding | None:
    """Syntax only: every address of a `mailto:` link looks like local@domain."""
    addresses = unquote(occ.url.split(":", 1)[1].split("?", 1)[0])
    bad = [a for a in addresses.split(",") if a.strip() and not _ADDRESS.match(a.strip())]
    if bad or not addresses.strip():
        return finding(
            codes.BAD_MAILTO, occ, f"not an e-mail address: {', '.join(bad) or '(empty)'}"
        )
    return None


def scheme_of(url: str) -> str:
    """The scheme as a browser reads it (invisible characters removed), lower case."""
    if _INVISIBLE.search(url):
        url = _INVISIBLE.sub("", url)
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def check_site(
    site: Site, *, rules: LinkRules, sources: Mapping[str, str] | None = None
) -> tuple[list[Finding], dict[str, list[Occurrence]]]:
    """Check every internal link, anchor and mailto; return the findings and the external URLs.

    External URLs come back grouped by URL without its fragment, so each is fetched once. A
    link resolves the same from every page that shares its scope (`_scope`: navigation repeats
    on every page), so each (scope, URL) is checked once and its verdict reused.
    """
    sources = sources or {}
    findings: list[Finding] = []
    external: dict[str, list[Occurrence]] = {}
    verdicts: dict[tuple[str, str, str], Finding | str | None] = {}
    for path in sorted(site.pages):
        folder = posixpath.dirname(path)
        source = sources.get(path)
        scope = _PageScopes(path, folder)
        for link in site.pages[path].links:
            key = (scope.of(link.url), link.url, link.kind)
            try:
                verdict = verdicts[key]
            except KeyError:
                occ = Occurrence(path, link.url, source)
                verdict = verdicts[key] = _verdict(occ, link, site, rules)
            if verdict is None:  # most links: fine, and no Occurrence made for them
                continue
            if isinstance(verdict, str):
                external.setdefault(verdict, []).append(Occurrence(path, link.url, source))
            else:
                findings.append(replace(verdict, subject=path, file=source))
    return findings, external


def _scope(path: str, folder: str, url: str) -> str:
    """What a link's verdict depends on besides its URL: its page, its folder, or less.

    `#x` and `?q` depend on the page; `http(s)://` URLs on nothing. `../../x` depends only on
    the folder two levels up, so the navigation that every page of a section repeats (`../p2/`
    from `p1/index.html`) is resolved once for all of them. The rest depends on the folder.
    """
    if url.startswith(("#", "?")):
        return path
    if url.startswith(("http://", "https://")):
        return ""
    if not url.startswith("../"):
        return folder
    climbs = 1
    while url.startswith("../", 3 * climbs):
        climbs += 1
    parts = folder.split("/") if folder else []
    if climbs > len(parts):
        return f"\x00{folder}"  # climbs out of the site: keep it apart from a real folder
    return "/".join(parts[: len(parts) - climbs])


class _PageScopes:
    """`_scope` for the links of one page, with the page's ancestors worked out once.

    A page has some eighty links (navigation, table of contents, assets); splitting its folder
    again for each `../` link cost a tenth of the internal check of 1,000 pages.
    """

    __slots__ = ("ancestors", "folder", "outside", "path")

    def __init__(self, path: str, folder: str) -> None:
        self.path, self.folder, self.outside = path, folder, f"\x00{folder}"
        parts = folder.split("/") if folder else []
        self.ancestors = ["/".join(parts[: len(parts) - up]) for up in range(len(parts) + 1)]

    def of(self, url: str) -> str:
        """What the verdict on `url` from this page depends on besides the URL (`_scope`)."""
        if url.startswith(("#", "?")):
            return self.path
        if url.startswith(("http://", "https://")):
            return ""
        if not url.startswith("../"):
            return self.folder
        climbs = 1
        while url.startswith("../", 3 * climbs):
            climbs += 1
        return self.ancestors[climbs] if climbs < len(self.ancestors) else self.outside


def _verdict(occ: Occurrence, link: Link, site: Site, rules: LinkRules) -> Finding | str | None:
    """A finding, None when fine, or the URL to fetch (without fragment) when external."""
    if rules.ignored(link.url):
        return finding(codes.SKIPPED, occ, "ignored by a rule")
    return _classify(occ, link, site)


def _classify(occ: Occurrence, link: Link, site: Site) -> Finding | str | None:
    scheme = scheme_of(link.url)
    if scheme in EXTERNAL_SCHEMES or (not scheme and link.url.startswith("//")):
        absolute = link.url if scheme else f"https:{link.url}"
        return absolute.split("#", 1)[0]
    if scheme == "mailto":
        return check_mailto(occ)
    if scheme == "data" and link.kind == "asset":
        return None
    if scheme:
        return finding(
            codes.BAD_SCHEME, occ, f"scheme {scheme!r} is not allowed (http, https, mailto)"
        )
    return check_internal_link(occ, link, site)


def fragment_of(url: str) -> str:
    """The decoded fragment of a URL as written ('' when there is none)."""
    return unquote(url.partition("#")[2])


def checked_pages(site: Site) -> Iterable[str]:
    """Every page that was checked, for reports that list clean pages too (JUnit)."""
    return sorted(site.pages)
