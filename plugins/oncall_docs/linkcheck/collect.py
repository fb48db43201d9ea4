"""Built HTML -> the links a reader can follow and the anchors they can land on.

We read the HTML the reader gets, not the Markdown, so anchors that extensions emit as raw
HTML count, and links that templates add (navigation, assets) are checked too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

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
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """One link as written in a page: the URL, what points at it, and where."""

    url: str
    kind: str  # "page" or "asset"
    tag: str
    line: int


@dataclass
class PageLinks:
    """What one built page offers (anchors) and what it points at (links)."""

    path: str
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


class LinkCollector(HTMLParser):
    """Keeps only what the checks need, so a huge page costs little more than its parse."""

    def __init__(self, page: PageLinks, *, want_links: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.want_links = want_links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if anchor := values.get("id"):
            self.page.anchors.add(anchor)
        if tag == "a" and (name := values.get("name")):
            self.page.anchors.add(name)
        if self.want_links:
            self._add_links(tag, values)

    handle_startendtag = handle_starttag

    def _add_links(self, tag: str, values: dict[str, str]) -> None:
        if tag == "link" and HINT_RELS & set(values.get("rel", "").lower().split()):
            return
        line = self.getpos()[0]
        for (link_tag, attr), kind in LINK_ATTRS.items():
            if link_tag == tag and (url := values.get(attr, "").strip()):
                self.page.links.append(Link(url, kind, tag, line))
        if tag in SRCSET_TAGS and (srcset := values.get("srcset")):
            for candidate in srcset.split(","):
                if url := candidate.strip().split(" ")[0]:
                    self.page.links.append(Link(url, "asset", tag, line))


def decode_html(data: bytes, *, charset: str | None = None) -> str:
    """Bytes -> text: the declared charset if Python knows it, else UTF-8; bad bytes never raise."""
    if charset is None and (match := _META_CHARSET.search(data[:4096])):
        charset = match.group(1).decode("ascii")
    try:
        return data.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def collect(html: str | bytes, path: str, *, want_links: bool = True) -> PageLinks:
    """Parse one page. Malformed HTML never raises: html.parser recovers as browsers do."""
    text = decode_html(html) if isinstance(html, bytes) else html
    page = PageLinks(path)
    parser = LinkCollector(page, want_links=want_links)
    parser.feed(text)
    parser.close()
    return page


def anchors_of(html: str | bytes) -> set[str]:
    """Only the ids and names of a page (for fragments of external pages)."""
    return collect(html, "", want_links=False).anchors
