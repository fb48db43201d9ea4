"""Compare two built sites page for page: `python benchmarks/compare_sites.py OLD NEW`.

Prints every HTML page that differs (or exists on one side only) with its first differing
line, and exits 1 on any difference. Build-time values are masked first: `generated_at`,
`captured`/`data-oncall-now` stamps taken at build time, and the sitemap's dates (the sitemap
is not an HTML page, so it is not compared at all).
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

# Values that change with the clock of the build, not with the code.
_VOLATILE = [
    re.compile(r'("generated_at":\s*)"[^"]*"'),
    re.compile(r"(<lastmod>)[^<]*"),
    re.compile(r'(data-oncall-now=")[^"]*'),
    re.compile(r'(data-generated=")[^"]*'),
    # The timeline ends 8 weeks after the build's "now": its last gap ends at a build-time minute.
    re.compile(
        r"(nobody scheduled, [^<]* to )[A-Z][a-z]{2} \d\d [A-Z][a-z]{2} \d\d:\d\d [A-Z]+(?=</title>)"
    ),
]


def normalise(text: str) -> str:
    """The page with build-time values masked."""
    for pattern in _VOLATILE:
        text = pattern.sub(r"\1<masked>", text)
    return text


def pages(site: Path) -> dict[str, Path]:
    """Site-relative path -> file, for every HTML page."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


def compare(old: Path, new: Path) -> list[str]:
    """One line per differing page: `path: first difference`."""
    before, after = pages(old), pages(new)
    problems = [f"{name}: only in {old}" for name in sorted(before.keys() - after.keys())]
    problems += [f"{name}: only in {new}" for name in sorted(after.keys() - before.keys())]
    for name in sorted(before.keys() & after.keys()):
        a = normalise(before[name].read_text(encoding="utf-8")).splitlines()
        b = normalise(after[name].read_text(encoding="utf-8")).splitlines()
        if a != b:
            diff = [
                line
                for line in difflib.unified_diff(a, b, lineterm="", n=0)
                if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
            ]
            problems.append(f"{name}: {len(diff)} changed line(s); first: {diff[0][:200]}")
    return problems


def main(argv: list[str]) -> int:
    """Exit 0 when every page matches, 1 when any differs, 2 on bad usage."""
    if len(argv) != 2:
        print("usage: compare_sites.py OLD_SITE NEW_SITE", file=sys.stderr)
        return 2
    old, new = Path(argv[0]), Path(argv[1])
    problems = compare(old, new)
    for line in problems:
        print(line)
    print(f"{len(pages(old))} pages compared, {len(problems)} differ", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
