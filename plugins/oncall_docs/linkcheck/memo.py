"""[I/O] What each built page offers and points at, kept across builds by the page's bytes.

A rebuild of unchanged sources writes most pages byte for byte as before, and scanning them
again was most of the link check's time. One JSON file (`<cache_dir>/links.json`) maps the
SHA-256 of a page's bytes to its links and anchors, so a page seen before is not scanned.

Decoding must cost less than the scan it saves, so the file is compact: one table of the
distinct links (url, kind, tag) and anchors of the whole site, under the entry `table`, and
per page one short text of indices into it, `"0 1 2 1|0 5"` (links in page order, then
anchors). The links come back as the table's shared objects (`collect.Interner`), as a scan
gives them, so the index costs the same memory as without the memo.

Everything else that could change what a scan finds is in the memo's `version`: the source
of the collector (collect.py), of the page reader (site.py) and of this module, and Python's
version (regex and html.unescape). Missing, damaged or of another version: ignored and
rebuilt; one that cannot be written is left as it was. Neither ever fails a build
(filestore.TextMemo, shared with the data and calendar memos).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from oncall_docs.filestore import TextMemo, code_version
from oncall_docs.linkcheck.collect import Interner, Link, PageLinks

CACHE_NAME = "links.json"
TABLE = "table"  # the entry holding the shared table; page entries are 64 hex digits
KINDS = {"page": "page", "asset": "asset"}
_READ = 1 << 20


@cache
def version() -> str:
    """What a page's links depend on besides its bytes (computed once per process)."""
    here = Path(__file__).parent
    return code_version((sys.version,), [here / "collect.py", here / "site.py", Path(__file__)])


def page_key(path: str | Path) -> str:
    """The SHA-256 of a page's bytes, read in chunks (a huge page is never whole in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # a str: cheaper than a Path
        while chunk := handle.read(_READ):
            digest.update(chunk)
    return digest.hexdigest()


class LinkMemo(TextMemo):
    """The links and anchors of this build's pages, by the digest of each page's bytes.

    `recall` a page during the scan (None: scan it, then `learn` it); `save` afterwards
    writes the pages of this build (a deleted page drops out), and only when a page was
    scanned or one dropped out.
    """

    FIELD = "pages"
    NAME = CACHE_NAME

    @staticmethod
    def current_version() -> str:
        """This module's `version()`, looked up when a memo is opened."""
        return version()

    def __init__(
        self, path: Path, version: str, entries: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(path, version, entries)
        self._pages: dict[str, PageLinks] = {}  # this build's pages by key: recalled, learned
        self._learned = False
        self._table: tuple[list[Link], list[str]] | None = None

    def recall(self, key: str, path: str, shared: Interner) -> PageLinks | None:
        """The page stored under `key`, its links `shared`'s objects; None when not stored."""
        text = self._old.get(key) if key != TABLE else None
        if not isinstance(text, str) or "-" in text:  # no negative index: it would still read
            return None
        links, anchors = self._decoded(shared)
        ids, _, anchor_ids = text.partition("|")
        try:
            page = PageLinks(
                path,
                list(map(links.__getitem__, map(int, ids.split()))),
                set(map(anchors.__getitem__, map(int, anchor_ids.split()))),
            )
        except (ValueError, IndexError):
            return None
        self._pages[key] = page
        return page

    def learn(self, key: str, page: PageLinks) -> None:
        """Keep a page scanned in this build for `save`."""
        self._pages[key] = page
        self._learned = True

    def save(self) -> None:
        """Write this build's pages if they differ from the stored ones; never raises."""
        stored = self._old.keys() - {TABLE}
        if not self._learned and stored == self._pages.keys():
            return
        link_ids: dict[int, int] = {}  # id(Link) -> index: the pages share their Link objects
        links: list[list[str]] = []
        anchor_ids: dict[str, int] = {}
        entries: dict[str, str] = {}
        for key, page in self._pages.items():
            if key in entries:
                continue
            unique = dict(zip(map(id, page.links), page.links, strict=True))  # in C
            if not unique.keys() <= link_ids.keys():
                for ident, link in unique.items():
                    if ident not in link_ids:
                        link_ids[ident] = len(links)
                        links.append([link.url, link.kind, link.tag])
            for anchor in page.anchors.difference(anchor_ids):
                anchor_ids[anchor] = len(anchor_ids)
            entries[key] = "|".join(
                (
                    " ".join(map(str, map(link_ids.__getitem__, map(id, page.links)))),
                    " ".join(map(str, sorted(map(anchor_ids.__getitem__, page.anchors)))),
                )
            )
        table = {"links": links, "anchors": list(anchor_ids)}
        entries[TABLE] = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
        self._used = entries
        super().save()

    def _decoded(self, shared: Interner) -> tuple[list[Link], list[str]]:
        """The stored table as `shared`'s objects (decoded once); empty when it is damaged."""
        if self._table is None:
            self._table = [], []
            try:
                table = json.loads(self._old.get(TABLE, ""))
                rows, anchors = table["links"], table["anchors"]
                if not isinstance(rows, list) or not isinstance(anchors, list):
                    return self._table
                tags: dict[str, str] = {}
                links = [
                    shared.link(Link(url, KINDS[kind], tags.setdefault(tag, tag)))
                    for url, kind, tag in rows
                    if type(url) is str and type(tag) is str
                ]
                if len(links) == len(rows) and all(type(a) is str for a in anchors):
                    self._table = links, [shared.text(anchor) for anchor in anchors]
            except (ValueError, TypeError, KeyError, RecursionError):
                pass  # damaged: every page is scanned, and the table is written afresh
        return self._table
