"""[I/O, read-only] A built site on disk -> the in-memory index the checks work on.

Pages are parsed in chunks, so a huge page costs its links and anchors, not its size.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from oncall_docs.errors import ConfigError
from oncall_docs.linkcheck.check import Site
from oncall_docs.linkcheck.collect import LinkCollector, PageLinks, collect

HTML_SUFFIXES = (".html", ".htm")
CHUNK = 1 << 20


def parse_file(path: Path, rel: str) -> PageLinks:
    """Parse one HTML file incrementally; bytes that are not UTF-8 become U+FFFD."""
    page = PageLinks(rel)
    parser = LinkCollector(page, want_links=True)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            parser.feed(decoder.decode(chunk))
    parser.feed(decoder.decode(b"", final=True))
    parser.close()
    return page


def scan_site(site_dir: Path) -> Site:
    """Every file under `site_dir` and the links and anchors of every HTML page."""
    if not site_dir.is_dir():
        raise ConfigError(f"{site_dir}: no such site folder (build the site first: make build)")
    files: set[str] = set()
    pages: dict[str, PageLinks] = {}
    for folder, _dirs, names in os.walk(site_dir):
        base = Path(folder)
        for name in names:
            rel = (base / name).relative_to(site_dir).as_posix()
            files.add(rel)
            if name.endswith(HTML_SUFFIXES):
                pages[rel] = parse_file(base / name, rel)
    return Site(files, pages)


def site_from_pages(html: dict[str, str], files: set[str]) -> Site:
    """The index from pages already in memory (inside `mkdocs build`, no re-reading)."""
    pages = {path: collect(text, path) for path, text in html.items()}
    return Site(files | set(html), pages)
