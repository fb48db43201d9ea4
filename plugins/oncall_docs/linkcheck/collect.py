"""Built HTML -> the links a reader can follow and the anchors they can land on.

We read the HTML the reader gets, not the Markdown, so anchors that extensions emit as raw
HTML count, and links that templates add (navigation, assets) are checked too.
"""

from __future__ import annotations

import gc
import html
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# (tag, attribute) pairs that point somewhere; `kind` says what a missing target is.
LINK_ATTRS: dict[tuple[str, str], str] = {
    ("a", "href"): "page",
    ("area", "href"): "page",
    ("link", "href"): "asset",
    ("img", "src"): "asset",
    ("script", "src"): "asset",
    ("iframe", "src"): "page",
    ("source", "src"): "asset",
    ("video", "src"): "asset",
    ("audio", "src"): "asset",
    ("track", "src"): "asset",
    ("embed", "src"): "asset",
    ("video", "poster"): "asset",
}
SRCSET_TAGS = ("img", "source")
# <link rel=...> values that are hints to the browser, not documents a reader fetches.
HINT_RELS = {"preconnect", "dns-prefetch", "canonical", "alternate", "search"}
TAG_ATTRS: dict[str, tuple[str, ...]] = {}  # tag -> its link attributes, for quick lookup
for _tag, _attr in LINK_ATTRS:
    TAG_ATTRS[_tag] = (*TAG_ATTRS.get(_tag, ()), _attr)
MAX_CARRY = 1 << 20  # an unfinished tail longer than this is junk, not a tag
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_RAW_TEXT = re.compile(
    r"(<(script|style)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>).*?</\2\s*>", re.DOTALL | re.I
)
# A start tag: name, then attribute text in which quoted values may hold `>`. The attribute
# text can be split into runs and quoted values in one way only, so matching it possessively
# (Python 3.11+) finds the same tags as the plain pattern, in about half the time.
_TAG_PLAIN = r"<([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
_TAG_POSSESSIVE = r"<([a-zA-Z][^\s/>]*)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"
_TAG = re.compile(_TAG_POSSESSIVE if sys.version_info >= (3, 11) else _TAG_PLAIN)
# `<script` and `<style` (and their closing tags) in any letter case, as `text.lower().find`
# finds them: no other character lower-cases to these ASCII letters (checked in the tests),
# and lowering a whole page that is not ASCII costs more than the rest of its scan.
_RAW_OPEN = re.compile(r"<(?:([Ss][Cc][Rr][Ii][Pp][Tt])|[Ss][Tt][Yy][Ll][Ee])")
_RAW_CLOSE = {
    "script": re.compile(r"</[Ss][Cc][Rr][Ii][Pp][Tt]"),
    "style": re.compile(r"</[Ss][Tt][Yy][Ll][Ee]"),
}
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written in a page: the URL, and the tag that points at it."""

    url: str
    kind: str  # "page" or "asset"
    tag: str


@dataclass(slots=True)
class PageLinks:
    """What one built page offers (anchors) and what it points at (links)."""

    path: str
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


Found = tuple[tuple[str, ...], tuple[Link, ...]]  # what one start tag gives: anchors, links
MAX_TAGS = 200_000  # distinct start tags remembered; past this the memo starts afresh
_NOTHING: Found = ((), ())  # a tag with no anchor and no link (most of them: div, span, ...)


class Interner:
    """What the pages of one site share: one Link object per distinct link, one string per anchor.

    Navigation, headers and footers repeat the same start tags on every page; each distinct
    tag is parsed once and every page that has it points at the same Link objects, so the
    index grows with the distinct links of the site, not with pages x links.
    """

    def __init__(self) -> None:
        self.tags: dict[str, Found] = {}
        self.links: dict[Link, Link] = {}
        self.strings: dict[str, str] = {}

    def link(self, link: Link) -> Link:
        """The one shared Link equal to `link`."""
        return self.links.setdefault(link, link)

    def text(self, value: str) -> str:
        """The one shared string equal to `value`."""
        return self.strings.setdefault(value, value)

    def adopt(self, page: PageLinks) -> PageLinks:
        """Make a page parsed elsewhere (another process) share this site's objects."""
        page.links = [self.link(link) for link in page.links]
        page.anchors = {self.text(anchor) for anchor in page.anchors}
        return page

    def adopt_all(self, pages: list[PageLinks]) -> list[PageLinks]:
        """`adopt` every page of one answer from another process.

        The pages of one answer already share their Link objects (unpickling keeps identity),
        so each object is hashed once and found by identity afterwards, not hashed again for
        every page that has it. The memo keeps the objects alive, so no identity is reused.
        """
        seen: dict[int, tuple[Link, Link]] = {}  # id(object) -> (the object, the shared one)
        for page in pages:
            links = []
            for link in page.links:
                known = seen.get(id(link))
                if known is None:
                    known = seen[id(link)] = (link, self.link(link))
                links.append(known[1])
            page.links = links
            page.anchors = {self.text(anchor) for anchor in page.anchors}
        return pages


class LinkCollector:
    """A streaming scanner of start tags: only what the checks need, in C-speed regexes.

    html.parser spent a quarter of a 1,000-page build here; start tags are all we need, so
    comments and the bodies of <script>/<style> are dropped and each tag is matched whole.
    `feed` keeps an unfinished tail (a tag, comment or script cut by the chunk) for the next call.
    """

    def __init__(
        self, page: PageLinks, *, want_links: bool, shared: Interner | None = None
    ) -> None:
        self.page = page
        self.want_links = want_links
        self.carry = ""
        self.shared = shared or Interner()

    def feed(self, text: str) -> None:
        """Scan what is complete in `carry + text`; keep the rest (at most MAX_CARRY)."""
        buffer = self.carry + text
        cut = _safe_end(buffer)
        self._scan(buffer[:cut])
        self.carry = buffer[cut:] if len(buffer) - cut <= MAX_CARRY else ""

    def close(self) -> None:
        """Scan whatever is left, finished or not."""
        self._scan(self.carry)
        self.carry = ""

    def _scan(self, text: str) -> None:
        text = _RAW_TEXT.sub(r"\1", _COMMENT.sub("", text))
        memo = self.shared.tags
        anchors, links = self.page.anchors, self.page.links
        for match in _TAG.finditer(text):
            whole = match.group(0)
            found = memo.get(whole)
            if found is None:  # a tag not seen yet: parse it (or note that it says nothing)
                attrs = match.group(2)
                found = (
                    self._parse_tag(match.group(1).lower(), _attributes(attrs))
                    if attrs and _wanted(attrs)
                    else _NOTHING
                )
                if len(memo) >= MAX_TAGS:
                    memo.clear()
                memo[whole] = found
            if found is _NOTHING:
                continue
            if found[0]:
                anchors.update(found[0])
            if found[1] and self.want_links:
                links.extend(found[1])

    def _parse_tag(self, tag: str, values: dict[str, str]) -> Found:
        """The anchors and links of one start tag, as shared objects."""
        anchors: list[str] = []
        if anchor := values.get("id"):
            anchors.append(self.shared.text(anchor))
        if tag == "a" and (name := values.get("name")):
            anchors.append(self.shared.text(name))
        return tuple(anchors), tuple(self.shared.link(link) for link in _links_of(tag, values))


def _links_of(tag: str, values: dict[str, str]) -> list[Link]:
    """The links one start tag points at (none for browser hints such as preconnect)."""
    if tag == "link" and HINT_RELS & set(values.get("rel", "").lower().split()):
        return []
    links = [
        Link(url, LINK_ATTRS[tag, attr], tag)
        for attr in TAG_ATTRS.get(tag, ())
        if (url := values.get(attr, "").strip())
    ]
    if tag in SRCSET_TAGS and (srcset := values.get("srcset")):
        for candidate in srcset.split(","):
            if url := candidate.strip().split(" ")[0]:
                links.append(Link(url, "asset", tag))
    return links


def _wanted(attrs: str) -> bool:
    """A quick test (substrings, no regex) that a tag may carry an id, a name or a link."""
    low = attrs if attrs.islower() else attrs.lower()
    return "id" in low or "href" in low or "src" in low or "name" in low or "poster" in low


def _attributes(text: str) -> dict[str, str]:
    """`a="1" B='2' c=3 d` -> {"a": "1", "b": "2", "c": "3"}; entities decoded as browsers do."""
    values: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        value = match.group(2)
        if value is None:
            continue
        if value[:1] in ('"', "'"):
            value = value[1:-1]
        name = match.group(1).lower()
        if name not in values:  # the first of duplicate attributes wins, as in browsers
            values[name] = html.unescape(value) if "&" in value else value
    return values


def _safe_end(text: str) -> int:
    """Where `text` may be cut: before a tag, comment or script/style that is not finished."""
    cut = text.rfind("<")
    if cut == -1:
        return len(text)
    if text.find(">", cut) != -1:
        cut = len(text)
    comment = text.rfind("<!--")
    if comment != -1 and text.find("-->", comment) == -1:
        cut = min(cut, comment)
    start = max(len(text) - MAX_CARRY, 0)
    if "\u0130" in text[start:]:  # İ lower-cases to two characters: keep lower()'s offsets
        lowered = text[-MAX_CARRY:].lower()
        offset = len(text) - len(lowered)
        for name in ("script", "style"):
            opened = lowered.rfind(f"<{name}")
            if opened != -1 and lowered.find(f"</{name}", opened) == -1:
                cut = min(cut, offset + opened)
        return cut
    last: dict[str, int] = {}  # the last `<script` / `<style` in any case, without lower()
    for match in _RAW_OPEN.finditer(text, start):
        last["script" if match.group(1) else "style"] = match.start()
    for name, opened in last.items():
        if _RAW_CLOSE[name].search(text, opened) is None:
            cut = min(cut, opened)
    return cut


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC while we build many small acyclic objects.

    Inside `mkdocs build` the heap holds every page, and each GC pass walks all of it: that
    was a fifth of the link check's time on 1,000 pages.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decode_html(data: bytes, *, charset: str | None = None) -> str:
    """Bytes -> text: the declared charset if Python knows it, else UTF-8; bad bytes never raise."""
    if charset is None and (match := _META_CHARSET.search(data[:4096])):
        charset = match.group(1).decode("ascii")
    try:
        return data.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def collect(
    html: str | bytes, path: str, *, want_links: bool = True, shared: Interner | None = None
) -> PageLinks:
    """Scan one page. Malformed HTML never raises: what is not a start tag is skipped."""
    text = decode_html(html) if isinstance(html, bytes) else html
    page = PageLinks(path)
    parser = LinkCollector(page, want_links=want_links, shared=shared)
    parser.feed(text)
    parser.close()
    return page


def anchors_of(html: str | bytes) -> set[str]:
    """Only the ids and names of a page (for fragments of external pages)."""
    return collect(html, "", want_links=False).anchors
