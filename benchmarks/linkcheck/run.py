"""Benchmark: `oncall-docs check links --external` against linkchecker and mkdocs-htmlproofer-plugin.

    make bench-linkcheck                     # or:
    .venv/bin/python benchmarks/linkcheck/run.py [--sizes 50 1000] [--no-others]
    .venv/bin/python benchmarks/linkcheck/run.py --sizes 1000 10000 --no-others --no-build-overhead
    .venv/bin/python benchmarks/linkcheck/run.py --sizes 1000 --no-others --full-nav

A site of N generated pages (sitegen.py) links to a fake web (tests/fakes/web.py) on 20
loopback hosts (127.0.0.2-21; mkdocs-htmlproofer-plugin skips 127.0.0.1 itself) that adds 20 ms
to every answer. For each checker it prints wall time, peak memory, requests sent, and the
precision and recall of the broken links it reports against the ground truth. The others run
from .venv-bench (created by `make bench-linkcheck`), never from the project's venv.

Peak MB is the largest resident set of the checker's process tree (getrusage of the waited-for
children: the largest one, not a sum). "Requests per unique URL" counts, per kind of URL,
the most requests the fake web saw for the first hop of one unique URL on the cold run: 1
everywhere except where a second request is the point (a 429 retried, a HEAD refused then a
GET). `--full-nav` puts every page in the navigation, so each built page links to all the
others (~240 KB a page at 1,000 pages): the heavy-HTML case of issue 14.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import child_env  # noqa: E402
from sitegen import IGNORED, Project, generate, mkdocs_yml  # noqa: E402
from tests.fakes.web import FakeWeb  # noqa: E402

LATENCY = 0.02
TIMEOUT = 3  # seconds per request, for every checker that lets us set it
PER_HOST = 4
HOSTS = [f"127.0.0.{i}" for i in range(2, 22)]
VENV = ROOT / ".venv" / "bin"
BENCH = ROOT / ".venv-bench" / "bin"
ENV = child_env()


@dataclass
class Run:
    """One checker's figures."""

    name: str
    seconds: float
    peak_mb: float
    requests: int
    reported: set[tuple[str, str]]
    note: str = ""


def timed(cmd: list[str], cwd: Path, cap: float) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the command's process tree, and its output."""
    wrapper = (
        "import resource,subprocess,sys;p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "sys.stdout.write(p.stdout+p.stderr);"
        "print('\\nPEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", wrapper, *cmd],
            cwd=cwd,
            env=ENV,
            text=True,
            capture_output=True,
            timeout=cap,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return cap, 0.0, "TIMED OUT"
    seconds = time.monotonic() - start
    peak = re.search(r"PEAK_KB (\d+)", proc.stdout)
    return seconds, int(peak.group(1)) / 1024 if peak else 0.0, proc.stdout


def page_of(path: str) -> str:
    """A built page or a file URL -> the Markdown page it came from (p00012/index.html -> p00012.md)."""
    path = path.split("#", 1)[0].split("/site/", 1)[-1]
    return (
        path.removesuffix("index.html").rstrip("/") + ".md" if path.endswith("index.html") else path
    )


def key_of(url: str, page: str) -> str:
    """A reported URL -> the form the truth uses (`../p00012/#x` -> `p00012.md#x`)."""
    if url.startswith(("http:", "https:")):
        return url
    path, _, fragment = url.partition("#")
    path = path.removeprefix("../").rstrip("/")
    if path in ("", "."):
        path = page
    path = path if path.endswith(".md") else f"{path}.md"
    return f"{path}#{fragment}" if fragment else path


def score(reported: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float]:
    """Precision and recall of the reported broken occurrences."""
    hits = len(reported & truth)
    return (hits / len(reported) if reported else 1.0), (hits / len(truth) if truth else 1.0)


def ours(site: Path, config: Path, web: list[FakeWeb], cap: float) -> Run:
    """`oncall-docs check links --external --anchors` (cold or warm, by the cache on disk)."""
    reset(web)
    cmd = [
        str(VENV / "oncall-docs"),
        "check",
        "links",
        str(site),
        "--external",
        "--anchors",
        "--format",
        "json",
        "--config-file",
        str(config),
        "--timeout",
        str(TIMEOUT),
    ]
    seconds, peak, out = timed(cmd, config.parent, cap)
    data = json.loads(out[: out.rindex("PEAK_KB")])
    reported = {
        (page_of(f["page"]), key_of(f["url"], page_of(f["page"])))
        for f in data["findings"]
        if f["severity"] != "info"
    }
    return Run("oncall-docs", seconds, peak, sent(web), reported)


def linkchecker(site: Path, pages: list[str], web: list[FakeWeb], cap: float) -> Run:
    """Linkchecker 10 over every built page, external URLs and anchors on."""
    reset(web)
    rc = site.parent / "linkcheckerrc"
    rc.write_text("[AnchorCheck]\n")
    targets = [str(site / p.removesuffix(".md") / "index.html") for p in pages]
    cmd = [
        str(BENCH / "linkchecker"),
        "-f",
        str(rc),
        "--check-extern",
        "--no-robots",
        "--no-status",
        "--timeout",
        str(TIMEOUT),
        "--ignore-url",
        "^http://localhost",
        "-o",
        "csv",
        *targets,
    ]
    seconds, peak, out = timed(cmd, site.parent, cap)
    reported = set()
    rows = [line for line in out.splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        warning = row.get("warningstring") or ""
        bad = row.get("valid") == "False" or bool(re.search(r"Anchor `.*' .*not found", warning))
        if bad and row.get("parentname"):
            page = page_of(row["parentname"])
            reported.add((page, key_of(row["urlname"], page)))
    return Run(
        "linkchecker", seconds, peak, sent(web), reported, "TIMED OUT" if out == "TIMED OUT" else ""
    )


def htmlproofer(project: Path, web: list[FakeWeb], cap: float) -> Run:
    """A `mkdocs build` with mkdocs-htmlproofer-plugin checking external URLs."""
    reset(web)
    config = mkdocs_yml(
        project,
        plugins=(
            "  - htmlproofer:\n      validate_external_urls: true\n"
            f"      ignore_urls: ['{IGNORED}*']\n"
        ),
    )
    cmd = [str(BENCH / "mkdocs"), "build", "-f", str(config), "-d", str(project / "site-hp")]
    seconds, peak, out = timed(cmd, project, cap)
    reported = {
        (m.group(2), key_of(m.group(1), m.group(2)))
        for m in re.finditer(r"invalid url - (\S+) \[[^\]]*\] \[([^\]]+)\]", out)
    }
    return Run(
        "htmlproofer (build incl.)",
        seconds,
        peak,
        sent(web),
        reported,
        "TIMED OUT" if out == "TIMED OUT" else "",
    )


def start_web() -> list[FakeWeb]:
    """One fake web per loopback host, each adding LATENCY to every answer."""
    servers = [FakeWeb((host, 0), latency=LATENCY) for host in HOSTS]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return servers


def repeats(web: list[FakeWeb], project: Project) -> str:
    """Per kind of URL: the most first-hop requests one unique URL got (since the last reset)."""
    hits: Counter[str] = Counter()
    for server in web:
        hits.update(server.hits)
    by_kind: dict[str, int] = defaultdict(int)
    for url, kind in project.kinds.items():
        if kind != "ignored":
            by_kind[kind] = max(by_kind[kind], hits.get(urlsplit(url).path, 0))
    return ", ".join(f"{kind} {most}" for kind, most in sorted(by_kind.items()))


def reset(web: list[FakeWeb]) -> None:
    """Forget what the servers saw (requests, and the 429s already answered)."""
    for server in web:
        server.reset()


def sent(web: list[FakeWeb]) -> int:
    """Requests the servers received since the last reset."""
    return sum(len(server.seen) for server in web)


def ideal_seconds(project: Project) -> float:
    """A checker that asks each unique URL once (GET straight away), PER_HOST at a time per host.

    It waits out a Retry-After for that URL alone and a timeout like ours, so its time is the
    busiest host's: its URLs' service time over PER_HOST, or its slowest URL.
    """
    cost = {"moved": 2, "found": 2, "loop/a": 2}
    extra = {"retry/1": 1 + LATENCY, "slow/300": 0.3, "hang": TIMEOUT - LATENCY}
    per_host: dict[str, list[float]] = {}
    for url, kind in project.kinds.items():
        if kind != "ignored":
            t = LATENCY * cost.get(kind, 1) + extra.get(kind, 0)
            per_host.setdefault(urlsplit(url).netloc, []).append(t)
    return max(max(sum(times) / PER_HOST, max(times)) for times in per_host.values())


def build(project: Path, plugins: str, site: str, *, full_nav: bool = False) -> tuple[float, str]:
    """A plain `mkdocs build` with the project's venv; seconds and output."""
    config = mkdocs_yml(project, plugins=plugins, full_nav=full_nav)
    start = time.monotonic()
    proc = subprocess.run(
        [str(VENV / "mkdocs"), "build", "-f", str(config), "-d", str(project / site)],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.monotonic() - start, proc.stdout + proc.stderr


def build_overhead(project: Path) -> str:
    """Share of a `mkdocs build` (with our plugin) spent in the internal link check."""
    shutil.copytree(ROOT / "data", project / "data", dirs_exist_ok=True)
    plugins = "  - macros\n  - oncall:\n      links: {check: true}\n"
    total, out = build(project, plugins, "site-oncall")
    check = re.search(r"link check: .* in ([\d.]+) s", out)
    if not check:
        return f"no link check line in the build output:\n{out[-2000:]}"
    seconds = float(check.group(1))
    return (
        f"mkdocs build with the oncall plugin: {total:.1f} s, of which the internal link check "
        f"{seconds:.2f} s = {100 * seconds / (total - seconds):.1f} % added"
    )


def report(
    n: int, project: Project, runs: list[Run], ideal: float, internal: float, details: bool = False
) -> None:
    """Print one size's figures: precision/recall per occurrence (page, URL), then per unique URL."""
    broken = len(project.truth)
    print(
        f"\n## N = {n} pages: {project.occurrences} link occurrences, "
        f"{len(project.unique_external)} unique external URLs, {broken} broken occurrences"
    )
    print(
        f"{'checker':28} {'wall s':>8} {'peak MB':>8} {'requests':>9} {'precision':>9} {'recall':>7}"
        f" {'(per URL:':>10} {'P':>5} {'R)':>6}"
    )
    urls = {url for _, url in project.truth}
    for run in runs:
        precision, recall = score(run.reported, project.truth)
        url_p, url_r = score({url for _, url in run.reported}, urls)
        print(
            f"{run.name:28} {run.seconds:8.1f} {run.peak_mb:8.0f} {run.requests:9d} "
            f"{precision:9.3f} {recall:7.3f} {'':>10} {url_p:5.3f} {url_r:5.3f}  {run.note}"
        )
        if details:
            print("    false alarms:", sorted(run.reported - project.truth)[:6])
            print("    missed:", sorted(project.truth - run.reported)[:6])
    print(
        f"{'ideal (computed)':28} {ideal + internal:8.1f}   (each unique URL once, {PER_HOST} at a time per host, "
        f"+ our internal pass {internal:.1f} s)"
    )


def run_size(
    n: int,
    web: list[FakeWeb],
    others: bool,
    cap: float,
    details: bool,
    *,
    full_nav: bool = False,
    overhead: bool = True,
) -> float:
    """Generate, build and check one site size with every checker; our cold run's peak MB."""
    tmp = Path(tempfile.mkdtemp(prefix=f"linkbench-{n}-"))
    tmp.chmod(0o755)  # linkchecker run as root drops to `nobody`, who must read the site
    try:
        project = generate(tmp / "project", n, [s.base for s in web])
        build_s, _ = build(project.root, "", "site", full_nav=full_nav)
        html_mb = sum(f.stat().st_size for f in (project.root / "site").rglob("*.html")) / 1e6
        site = project.root / "site"
        config = project.root / "linkcheck.yml"
        config.write_text(
            "plugins:\n  - oncall:\n      links:\n"
            f"        ignore: ['^{IGNORED}']\n        workers: {len(HOSTS) * PER_HOST}\n"
            f"        per_host: {PER_HOST}\n        cache_dir: .cache\n"
        )
        start = time.monotonic()
        subprocess.run(
            [str(VENV / "oncall-docs"), "check", "links", str(site), "--config-file", str(config)],
            capture_output=True,
            env=ENV,
            check=False,
        )
        internal = time.monotonic() - start
        cold = ours(site, config, web, cap)
        per_url = repeats(web, project)
        warm = ours(site, config, web, cap)
        warm.name, warm.note = "oncall-docs, warm cache", "(second run, results within the TTL)"
        runs = [cold, warm]
        if others:
            runs.append(linkchecker(site, project.pages, web, cap))
            proofer = htmlproofer(project.root, web, cap)
            proofer.note = f"(its check alone ~ {proofer.seconds - build_s:.1f} s: minus a {build_s:.1f} s build)"
            runs.append(proofer)
        ideal = ideal_seconds(project) + internal
        report(n, project, runs, ideal - internal, internal, details)
        print(f"built HTML: {html_mb:.0f} MB{' (every page in the nav)' if full_nav else ''}")
        print(f"internal links only (oncall-docs check links, no --external): {internal:.2f} s")
        print(
            f"ours / ideal (cold) = {cold.seconds / ideal:.2f} (target <= 1.5); "
            f"peak {cold.peak_mb:.0f} MB cold, {warm.peak_mb:.0f} MB warm (target <= 200); "
            f"warm-cache run {warm.seconds:.1f} s with {warm.requests} requests"
        )
        print(f"requests per unique URL (most for one URL, by kind, cold run): {per_url}")
        if overhead:
            print(build_overhead(project.root))
        return cold.peak_mb
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    """Run the sizes asked for and print the figures with the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 1000])
    parser.add_argument("--no-others", action="store_true", help="only our checker")
    parser.add_argument("--details", action="store_true", help="show some false alarms and misses")
    parser.add_argument(
        "--cap", type=float, default=900, help="seconds before a checker run is stopped"
    )
    parser.add_argument(
        "--full-nav", action="store_true", help="every page in the nav (heavy HTML)"
    )
    parser.add_argument(
        "--no-build-overhead", action="store_true", help="skip the build with our plugin"
    )
    args = parser.parse_args()
    others = not args.no_others and (BENCH / "linkchecker").exists()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"# command: {' '.join([Path(sys.executable).name, *sys.argv])}  "
        f"(machine: {os.cpu_count()} cores, load average {load})"
    )
    if not others and not args.no_others:
        print("# .venv-bench is missing: run `make bench-linkcheck` to compare with the others")
    web = start_web()
    try:
        peaks = {
            n: run_size(
                n,
                web,
                others,
                args.cap,
                args.details,
                full_nav=args.full_nav,
                overhead=not args.no_build_overhead,
            )
            for n in args.sizes
        }
        if len(peaks) > 1:
            low, high = min(peaks), max(peaks)
            print(
                f"\nmemory vs pages: {peaks[low]:.0f} MB at {low}, {peaks[high]:.0f} MB at {high}: "
                f"x{peaks[high] / max(peaks[low], 1):.1f} for x{high / low:.0f} pages"
            )
    finally:
        for server in web:
            server.shutdown()


if __name__ == "__main__":
    main()
