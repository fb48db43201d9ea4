"""Benchmark: our share of a `mkdocs build`, by cProfile (issue 14).

    .venv/bin/python benchmarks/build_share.py [--runs 3] [--runbooks 1000] [--big-runs 1]

Each build runs `mkdocs build` in a fresh interpreter under cProfile, timed in CPU seconds
of the process so that other load on the machine does not skew it (offline snapshot, no
token). "Ours" is the cumulative time inside the event handlers of our plugin and of
mkdocs-macros (which calls our macros) when mkdocs.yml lists it; without it, our plugin
expands the pages' macros inside its own `on_page_markdown`, which counts. The share is ours / total and the factor
total / (total - ours): what the build costs against the same build without them. Two sites:
the BitCell handbook as checked in, and the same handbook with N generated runbooks
(realistic runbook YAML, 8-15 sections, commands, common incidents, a page per runbook
that links to other runbooks). The generated runbooks are not in the nav (as a section
of 1,000 nav entries would multiply the theme's own time and shrink our share).

When `oncall-docs generate` exists, it also prints `mkdocs build` with our plugin against
a plain Material build of the generated Markdown, side by side.

Every figure of this tree is printed in three states. "first": the first build on a machine
(CI): no cache at all. "cold": a fresh clone on a machine that has built before: no `.cache/`
folder beside mkdocs.yml, but the per-user cache of the installed package's compiled
templates (`$XDG_CACHE_HOME/oncall-docs/`, as Python keeps a package's `.pyc`) is there.
"warm": a build that follows another build of the same files (`make build` again, every
`mkdocs serve` rebuild), so it finds the caches that build wrote under `.cache/oncall/`.
The baseline tree has no per-user cache: "cold" and "warm" only. The builds here use a
temporary XDG_CACHE_HOME, never the real one. The plain Material build has no such cache.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import build_cpu, child_env, export_plugins, print_command

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
ENV = child_env(
    PAGERDUTY_API_TOKEN="", XDG_CACHE_HOME=tempfile.mkdtemp(prefix="build-share-user-cache-")
)
OURS = ("oncall_docs/mkdocs_plugin/plugin.py", "mkdocs_macros/plugin.py")
CHILD = """
import cProfile, functools, json, resource, sys, time
from mkdocs.__main__ import cli
def cpu():  # this process and its finished children (the link check's worker processes)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
config, site, out, mode = sys.argv[1:5]
spent = {}
if mode == "timers":
    from oncall_docs.mkdocs_plugin.plugin import OncallPlugin
    owners = [("oncall", OncallPlugin)]
    if "- macros" in open(config).read():  # else the build never imports it: neither do we
        from mkdocs_macros.plugin import MacrosPlugin
        owners.append(("macros", MacrosPlugin))
    def timed(label, method):
        @functools.wraps(method)
        def run(*args, **kwargs):
            start = cpu()
            try:
                return method(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + cpu() - start
        return run
    for owner, cls in owners:
        for name, method in list(vars(cls).items()):
            if name.startswith("on_") and callable(method):
                setattr(cls, name, timed(f"{owner}.{name}", method))
prof = cProfile.Profile(time.process_time) if mode == "cprofile" else None
started = 0.0  # process CPU time from the start: imports count, as under cProfile
if prof: prof.enable()
try:
    cli(["build", "-q", "-f", config, "-d", site], standalone_mode=False)
finally:
    if prof:
        prof.disable()
        prof.dump_stats(out)
    else:
        json.dump({"total": cpu() - started, "per": spent}, open(out, "w"))
"""
VERBS = ["Check", "Restart", "Drain", "Scale", "Inspect", "Roll back", "Rotate", "Flush"]
THINGS = ["the node", "the validator set", "the mempool", "the RPC gateway", "the indexer", "peers"]
SERVICES = ["node-us-east-1", "indexer", "gateway", "validator-eu-2", "explorer-api", "relayer"]


def handler_seconds(stats_file: Path) -> tuple[float, float, dict[str, float]]:
    """Total profiled seconds, seconds inside our and mkdocs-macros' on_* handlers, and per handler."""
    stats = pstats.Stats(str(stats_file))
    per: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.replace(os.sep, "/")
        if name.startswith("on_") and where.endswith(OURS):
            owner = "oncall" if "oncall_docs" in where else "macros"
            per[f"{owner}.{name}"] = per.get(f"{owner}.{name}", 0.0) + ct
    return stats.total_tt, sum(per.values()), per  # type: ignore[attr-defined]


def profiled_build(
    config: Path, out: Path, package: Path | None = None, mode: str = "cprofile"
) -> tuple[float, float, dict[str, float]]:
    """One `mkdocs build` in a fresh interpreter (with `package` first on the path).

    mode "cprofile": cProfile on CPU time, as the issue measured; "timers": no profiler, only
    a CPU-time stopwatch around each of our and mkdocs-macros' handlers (no profiler overhead,
    which inflates code that makes many small calls, such as Jinja's). The stopwatch counts
    the CPU of finished child processes too (the link check parses a big site in worker
    processes, which cProfile, in the main process only, does not see).
    """
    prof = out.with_suffix(f".{mode}")
    proc = subprocess.run(
        [str(PYTHON), "-c", CHILD, str(config), str(out), str(prof), mode],
        cwd=config.parent,
        env={**ENV, "PYTHONPATH": str(package)} if package else ENV,
        check=False,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        sys.exit(f"mkdocs build failed: {config}\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    if mode == "timers":
        data = json.loads(prof.read_text())
        return data["total"], sum(data["per"].values()), data["per"]
    return handler_seconds(prof)


def _runbook(i: int, n: int, rng: random.Random) -> str:
    """One realistic runbook file: 8-15 sections with steps and commands, 1-3 incidents."""
    lines = [
        f"id: rb-{i:04d}",
        f"title: Runbook {i}, {rng.choice(THINGS)} on {rng.choice(SERVICES)}",
        "owner: Platform team",
        "reviewed: 2026-11-30",
        "summary: >-",
        "  What to do when this part of the platform misbehaves: the checks that confirm it,",
        "  the way out, and when to call for help.",
        "sections:",
    ]
    for s in range(rng.randint(8, 15)):
        service = rng.choice(SERVICES)
        lines += [
            f"  - id: section-{s}",
            f"    title: {rng.choice(VERBS)} {rng.choice(THINGS)}",
            "    body: >-",
            f"      Runbook {i}, step group {s}: read the dashboard first, then act on {service}",
            "      one region at a time and write down what you changed in the incident channel.",
            "    steps:",
        ]
        lines += [
            f"      - {rng.choice(VERBS)} {rng.choice(THINGS)} ({service})"
            for _ in range(rng.randint(2, 5))
        ]
        lines.append("    commands:")
        for c in range(rng.randint(1, 3)):
            lines += [
                f"      - id: cmd-{s}-{c}",
                f"        description: {rng.choice(VERBS)} {service}",
                f'        command: "docker-compose logs --tail={rng.randint(50, 500)} {service} | grep -i error"',
            ]
    lines.append("incidents:")
    for k in range(rng.randint(1, 3)):
        lines += [
            f"  - id: incident-{k}",
            f"    title: {rng.choice(THINGS).capitalize()} degraded",
            f"    severity: P{rng.randint(1, 3)}",
            "    symptoms:",
            "      - Alerts firing for one instance",
            "      - Error rate above 1%",
            "    diagnosis:",
            f"      - {{description: Check the container, command: docker-compose ps {rng.choice(SERVICES)}}}",
            "      - {description: Read the dashboard}",
            "    mitigation:",
            "      - Restart the instance",
            f"      - Follow runbook {rng.randrange(n)} if it comes back degraded",
            "    escalate_when:",
            "      - Not resolved within 30 minutes",
        ]
    return "\n".join(lines) + "\n"


def make_handbook(dest: Path, n: int, seed: int = 14) -> Path:
    """The checked-in handbook plus n generated runbooks, each with a page linking to others."""
    for name in ("docs", "data", "overrides", "monitoring"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    rng = random.Random(seed)
    pages = dest / "docs" / "runbooks"
    pages.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (dest / "data" / "runbooks" / f"rb-{i:04d}.yaml").write_text(_runbook(i, n, rng))
        related = "".join(
            f"- [Runbook {j}](rb-{j:04d}.md#section-{rng.randrange(8)})\n"
            for j in rng.sample(range(n), 3)
        )
        (pages / f"rb-{i:04d}.md").write_text(
            f"# Runbook {i}\n\n{{{{ runbook('rb-{i:04d}') }}}}\n\n## Related runbooks\n\n{related}"
        )
    config = dest / "mkdocs.yml"
    text = config.read_text().replace("omitted_files: warn", "omitted_files: ignore")
    config.write_text(text)
    return config


def clear_cache(config: Path, state: str = "cold") -> None:
    """Start the next build cold (no `.cache/` beside mkdocs.yml) or "first" (no user cache either)."""
    shutil.rmtree(config.parent / ".cache", ignore_errors=True)
    if state == "first":
        shutil.rmtree(Path(ENV["XDG_CACHE_HOME"]) / "oncall-docs", ignore_errors=True)


def with_macros_plugin(config: Path) -> Path:
    """A copy of mkdocs.yml that lists mkdocs-macros before oncall, as trees before issue 14 need.

    Until this issue's work, the oncall plugin required mkdocs-macros to expand the pages; a
    baseline tree (`--baseline REF`) builds the same site with it listed.
    """
    copy = config.with_name("mkdocs-baseline.yml")
    if not copy.exists():
        text = config.read_text(encoding="utf-8")
        if "- macros" not in text:
            text = text.replace(
                "  - oncall:",
                "  - macros:\n      on_error_fail: true\n      on_undefined: strict\n  - oncall:",
                1,
            )
        copy.write_text(text, encoding="utf-8")
    return copy


def measure(name: str, config: Path, runs: int, tmp: Path, baseline: Path | None) -> None:
    """Print the share and factor of `runs` profiled builds of one site, cold and warm.

    Each run builds cold (cache cleared), then warm (the cold build's cache in place), in
    every variant (this tree and the baseline, cProfile and timers), alternately.
    """
    variants = {
        f"{tree} {mode} {state}": (package, mode, state)
        for mode in ("cprofile", "timers")
        for tree, package in (("this tree", None), (f"base {BASELINE_REF}", baseline))
        if package or tree == "this tree"
        for state in (("cold", "warm") if package else ("first", "cold", "warm"))
    }
    factors: dict[str, list[float]] = {label: [] for label in variants}
    for run in range(runs):
        for label, (package, mode, state) in variants.items():
            if state != "warm":
                clear_cache(config, state)
            site_config = with_macros_plugin(config) if package else config
            total, ours, per = profiled_build(site_config, tmp / f"site-{run}", package, mode)
            factors[label].append(total / (total - ours))
            top = ", ".join(
                f"{k} {v:.2f}" for k, v in sorted(per.items(), key=lambda kv: -kv[1])[:4]
            )
            print(
                f"{name:18} {label:27} run {run + 1}: total {total:6.2f} s, ours {ours:5.2f} s = "
                f"{100 * ours / total:4.1f} %, factor {total / (total - ours):.3f}  ({top})",
                flush=True,
            )
    for label, values in factors.items():
        values.sort()
        print(f"{name:18} {label:27} factor median {values[len(values) // 2]:.3f} (target <= 1.10)")


BASELINE_REF = ""


def generator_exists() -> bool:
    """`oncall-docs generate` is there (the publishing issue)."""
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "oncall-docs"), "generate", "--help"],
        capture_output=True,
        env=ENV,
        check=False,
    )
    return proc.returncode == 0


def against_plain(name: str, config: Path, runs: int, tmp: Path) -> None:
    """`mkdocs build` with our plugin against a plain Material build of `oncall-docs generate`'s Markdown."""
    out = tmp / f"generated-{name}"
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "oncall-docs"), "generate", str(out), "-f", str(config)],
        cwd=config.parent,
        env=ENV,
        check=True,
        capture_output=True,
    )
    plain = out / "mkdocs.yml"
    if not plain.exists():
        print(f"{name}: `oncall-docs generate` wrote no mkdocs.yml; skipped")
        return
    target = "1.10" if "runbooks" in name else "1.25"
    seen: dict[str, list[float]] = {"first": [], "cold": [], "warm": [], "plain": []}
    for run in range(runs):
        clear_cache(config, "first")
        first = build_cpu(config, tmp / f"ours-{name}-{run}", ENV)
        base = build_cpu(plain, tmp / f"plain-{name}-{run}", ENV)
        clear_cache(config, "cold")
        cold = build_cpu(config, tmp / f"ours-{name}-{run}", ENV)
        warm = build_cpu(config, tmp / f"ours-{name}-{run}", ENV)
        for state, seconds in zip(seen, (first, cold, warm, base), strict=True):
            seen[state].append(seconds)
        print(
            f"{name:28} run {run + 1}: CPU s with our plugin {first:6.2f} first, {cold:6.2f} cold, "
            f"{warm:6.2f} warm; plain Material of the generated Markdown {base:6.2f}; ratio "
            f"{first / base:.3f} first, {cold / base:.3f} cold, {warm / base:.3f} warm (target <= "
            f"{target})",
            flush=True,
        )
    # One build's CPU time varies by several percent from run to run on a shared machine:
    # the medians of each state, and their ratios, are steadier than any single run's.
    mid = {state: statistics.median(values) for state, values in seen.items()}
    print(
        f"{name:28} medians of {runs}: {mid['first']:6.2f} first, {mid['cold']:6.2f} cold, "
        f"{mid['warm']:6.2f} warm; plain {mid['plain']:6.2f}; ratio of medians "
        f"{mid['first'] / mid['plain']:.3f} first, {mid['cold'] / mid['plain']:.3f} cold, "
        f"{mid['warm'] / mid['plain']:.3f} warm (target <= {target})",
        flush=True,
    )


def main() -> None:
    """Measure both sites and print the figures with the command that reproduces them."""
    global BASELINE_REF  # a label for the printout
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="profiled builds of the BitCell site")
    parser.add_argument("--runbooks", type=int, default=1000)
    parser.add_argument("--big-runs", type=int, default=1, help="profiled builds of the big site")
    parser.add_argument(
        "--baseline", metavar="REF", help="also build with plugins/ of this git ref, alternately"
    )
    parser.add_argument(
        "--plain-only", action="store_true", help="only the comparison with plain Material"
    )
    args = parser.parse_args()
    if args.plain_only:
        args.baseline = None
    BASELINE_REF = args.baseline or ""
    print_command()
    tmp = Path(tempfile.mkdtemp(prefix="build-share-"))
    try:
        baseline = export_plugins(args.baseline, tmp / "baseline") if args.baseline else None
        site = tmp / "bitcell"
        make_handbook(site, 0)
        if args.runs and not args.plain_only:
            measure("BitCell site", site / "mkdocs.yml", args.runs, tmp, baseline)
        big = make_handbook(tmp / "big", args.runbooks)
        if args.big_runs and not args.plain_only:
            measure(f"+{args.runbooks} runbooks", big, args.big_runs, tmp, baseline)
        if generator_exists():
            against_plain("BitCell site", site / "mkdocs.yml", args.runs, tmp)
            against_plain(f"+{args.runbooks} runbooks", big, args.big_runs, tmp)
        else:
            print("# `oncall-docs generate` is not in this tree: no plain-Material comparison")
        print(json.dumps({"load_average_after": os.getloadavg()}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(ENV["XDG_CACHE_HOME"], ignore_errors=True)


if __name__ == "__main__":
    main()
