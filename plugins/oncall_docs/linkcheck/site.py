"""[I/O, read-only] A built site on disk -> the in-memory index the checks work on.

Pages are parsed in chunks, so a huge page costs its links and anchors, not its size; its text
is dropped chunk by chunk. Pages share their link objects and anchor strings (`Interner`), so
the index of a site whose every page repeats the navigation grows with its distinct links.
With a memo (`linkcheck.memo`, the build cache), a page whose bytes were scanned before is
not scanned again.
"""

from __future__ import annotations

import codecs
import os
import posixpath
from functools import lru_cache
from pathlib import Path

from oncall_docs.errors import ConfigError
from oncall_docs.linkcheck.check import Site
from oncall_docs.linkcheck.collect import Interner, LinkCollector, PageLinks, collect, paused_gc
from oncall_docs.linkcheck.memo import LinkMemo, page_key

HTML_SUFFIXES = (".html", ".htm")
CHUNK = 1 << 20
PARALLEL_FROM = 300  # pages; below this, starting processes costs more than it saves


def parse_file(path: Path, rel: str, shared: Interner | None = None) -> PageLinks:
    """Parse one HTML file incrementally; bytes that are not UTF-8 become U+FFFD."""
    page = PageLinks(rel)
    parser = LinkCollector(page, want_links=True, shared=shared)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            parser.feed(decoder.decode(chunk))
    parser.feed(decoder.decode(b"", final=True))
    parser.close()
    return page


def _parse_many(site_dir: Path, rels: list[str], shared: Interner | None = None) -> list[PageLinks]:
    shared = shared or Interner()
    return [parse_file(site_dir / rel, rel, shared) for rel in rels]


def _parse_all(
    site_dir: Path, rels: list[str], parallel: bool, shared: Interner | None = None
) -> list[PageLinks]:
    """Parse the pages, on every core when there are enough of them to pay for the processes."""
    workers = min(os.cpu_count() or 1, 4)
    shared = shared or Interner()
    if not parallel or workers < 2 or len(rels) < PARALLEL_FROM:
        return _parse_many(site_dir, rels, shared)
    import multiprocessing as mp  # only for a site big enough to parse in parallel
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in mp.get_all_start_methods():
        return _parse_many(site_dir, rels, shared)
    chunks = [rels[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return [  # one object per distinct link across the workers' answers
            page
            for part in pool.map(_parse_many, [site_dir] * workers, chunks)
            for page in shared.adopt_all(part)
        ]


def _parse_remembered(
    site_dir: Path, rels: list[str], parallel: bool, memo_file: Path
) -> list[PageLinks]:
    """Pages whose bytes the memo knows from it, the others parsed; the memo learns them."""
    memo = LinkMemo.open(memo_file)
    shared = Interner()  # the memo's links and the parsed pages' are the same objects
    keys = {rel: page_key(os.path.join(site_dir, rel)) for rel in rels}
    known: dict[str, PageLinks] = {}
    for rel in rels:
        if (page := memo.recall(keys[rel], rel, shared)) is not None:
            known[rel] = page
    parsed = _parse_all(site_dir, [rel for rel in rels if rel not in known], parallel, shared)
    for page in parsed:
        memo.learn(keys[page.path], page)
    memo.save()
    pages = {**known, **{page.path: page for page in parsed}}
    return [pages[rel] for rel in rels]


def scan_site(site_dir: Path, *, parallel: bool = True, memo: Path | None = None) -> Site:
    """Every file under `site_dir` and the links and anchors of every HTML page.

    `parallel=False` where other threads run (`mkdocs serve`): forking them is not safe.
    `memo`: the link memo's file (`LinkMemo.file_in`); pages it knows are not parsed again.
    """
    if not site_dir.is_dir():
        raise ConfigError(f"{site_dir}: no such site folder (build the site first: make build)")
    files: set[str] = set()
    for folder, _dirs, names in os.walk(site_dir):
        base = Path(folder).relative_to(site_dir).as_posix()
        files.update(name if base == "." else f"{base}/{name}" for name in names)
    rels = sorted(rel for rel in files if rel.endswith(HTML_SUFFIXES))
    with paused_gc():
        pages = (
            _parse_all(site_dir, rels, parallel)
            if memo is None
            else _parse_remembered(site_dir, rels, parallel, memo)
        )
        return Site(files, {page.path: page for page in pages})


def site_from_pages(html: dict[str, str], files: set[str]) -> Site:
    """The index from pages already in memory (inside `mkdocs build`, no re-reading)."""
    shared = Interner()
    pages = {path: collect(text, path, shared=shared) for path, text in html.items()}
    return Site(files | set(html), pages)


def page_source(docs_dir: str, src_uri: str) -> str:
    """The Markdown file of a page as findings name it (as `settings.shown_path` shows it).

    Relative to the working directory when inside it, else absolute. Called for every built
    page, so the folder's part is worked out once per folder and the page's part is joined
    as a string.
    """
    prefix = _shown_folder(docs_dir, os.getcwd())
    if prefix is None or src_uri.startswith("..") or posixpath.normpath(src_uri) != src_uri:
        path = Path(docs_dir) / src_uri  # the general case, as shown_path does it
        relative = os.path.relpath(path)
        return (Path(relative) if not relative.startswith("..") else path).as_posix()
    return src_uri if prefix == "." else f"{prefix}/{src_uri}"


@lru_cache(maxsize=16)
def _shown_folder(docs_dir: str, cwd: str) -> str | None:
    """`docs_dir` relative to `cwd`, or None when it is outside (then paths stay absolute)."""
    relative = os.path.relpath(docs_dir, cwd)
    return None if relative.startswith("..") else Path(relative).as_posix()
