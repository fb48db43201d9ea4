"""Generate a MkDocs project of N pages with a realistic mix of links, and the ground truth.

Each page has about 20 links: 4 external URLs of its own (so there are 4*N unique ones), 8
popular external URLs shared by many pages, and 8 internal links. The external URLs point at
the fake web (tests/fakes/web.py) on loopback hosts; what each path does decides whether the
link is broken. The truth is a set of (page, url as written) that a perfect checker reports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

# (weight, path kind, broken?) -- what the fake web does with /<kind>/... (see tests/fakes/web.py)
MIX = [
    (62, "ok", False),
    (5, "status/404", True),
    (2, "status/410", True),
    (2, "status/500", True),
    (5, "moved", False),
    (3, "found", False),
    (2, "loop/a", True),
    (2, "retry/1", False),
    (2, "slow/300", False),
    (2, "drop", True),
    (4, "nohead", False),
    (1, "file", True),
    (4, "frag-ok", False),
    (4, "frag-missing", True),
    (2, "ignored", False),
]
HANG_EVERY = 400  # one URL in 400 never answers (a timeout for every checker)
IGNORED = "http://localhost:3000/d/"


@dataclass
class Project:
    """The generated project and what a perfect checker reports."""

    root: Path
    pages: list[str]  # Markdown paths relative to docs/
    truth: set[tuple[str, str]] = field(default_factory=set)  # (markdown page, url as written)
    occurrences: int = 0
    unique_external: set[str] = field(default_factory=set)
    kinds: dict[str, str] = field(default_factory=dict)  # external URL -> kind


def _external_url(index: int, hosts: list[str], rng: random.Random) -> tuple[str, str, bool]:
    """The index-th unique external URL: (url as written, kind, broken)."""
    base = hosts[index % len(hosts)]
    if index % HANG_EVERY == HANG_EVERY - 1:  # spread over the hosts, as real outages are
        return f"{hosts[(index // HANG_EVERY) % len(hosts)]}/hang/{index}", "hang", True
    weights = [w for w, _, _ in MIX]
    _, kind, broken = rng.choices(MIX, weights=weights)[0]
    if kind == "frag-ok":
        return f"{base}/ok/{index}#intro", kind, False
    if kind == "frag-missing":
        return f"{base}/ok/{index}#no-such-part", kind, True
    if kind == "ignored":
        return f"{IGNORED}{index}", kind, False
    return f"{base}/{kind}/{index}", kind, broken


def _page_name(i: int) -> str:
    return f"p{i:05d}.md"


def _internal_link(i: int, n: int, rng: random.Random) -> tuple[str, bool]:
    """A link from page i to another page: fine, a missing page, or a missing anchor."""
    target = rng.randrange(n)
    roll = rng.random()
    if roll < 0.03:
        return f"missing-{target}.md", True
    if roll < 0.06:
        return f"{_page_name(target)}#no-such-heading", True
    if roll < 0.5:
        return f"{_page_name(target)}#section-{rng.randrange(3)}", False
    return _page_name(target), False


def generate(root: Path, n: int, hosts: list[str], seed: int = 5) -> Project:
    """Write mkdocs.yml and docs/ under `root` for n pages; return the truth."""
    rng = random.Random(seed)
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    externals = [_external_url(i, hosts, rng) for i in range(4 * n)]
    popular = externals[: max(8, n // 5)]
    project = Project(root, [_page_name(i) for i in range(n)])
    for i, name in enumerate(project.pages):
        chosen = externals[4 * i : 4 * i + 4] + rng.sample(popular, 8)
        lines = [f"# Page {i}", ""]
        for url, kind, broken in chosen:
            lines.append(f"- [{kind}]({url})")
            project.unique_external.add(url.split("#")[0])
            project.kinds[url.split("#")[0]] = kind
            if broken:
                project.truth.add((name, url))
        for _ in range(8):
            href, broken = _internal_link(i, n, rng)
            lines.append(f"- [internal]({href})")
            if broken:
                project.truth.add((name, href))
        for s in range(3):
            lines += ["", f"## Section {s}", "", "Some text. " * 20]
        project.occurrences += len(chosen) + 8
        (docs / name).write_text("\n".join(lines) + "\n")
    (docs / "index.md").write_text(
        "# Benchmark\n\n" + "".join(f"[{p}]({p}) " for p in project.pages[:20])
    )
    return project


def mkdocs_yml(root: Path, *, plugins: str, full_nav: bool = False) -> Path:
    """A Material config without external theme links (no Google fonts, no generator notice).

    `full_nav`: every page in the navigation, so each built page carries links to all the
    others (as a handbook's runbook section does); 1,000 pages are then ~160 MB of HTML.
    """
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: Link benchmark\n"
        "theme: {name: material, font: false}\n"
        "extra: {generator: false}\n"
        + ("" if full_nav else "nav: [index.md]\n")
        + "validation: {nav: {omitted_files: ignore}, links: {not_found: ignore, anchors: ignore}}\n"
        "markdown_extensions: [toc]\n"
        f"plugins:\n  - search\n{plugins}"
    )
    return config
