"""Benchmark: where a warm build's CPU goes outside our handlers: the cycle collector and the exit.

    .venv/bin/python benchmarks/exit_gc.py [--runbooks 1000] [--runs 3]

Builds the handbook with N generated runbooks (build_share.py's generator) with our plugin,
warm, and a plain Material build of `oncall-docs generate`'s Markdown of it, alternately, each
in a fresh interpreter that reports, from an `atexit` handler, its own CPU so far, the CPU of
its finished children, the time spent in the cycle collector (`gc.callbacks`) and how many
objects the collector still tracks. The parent measures the whole process, so the difference
is the interpreter's exit (module teardown and the final collection). Medians of `--runs`.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build_share import make_handbook
from common import child_env, print_command

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
# Runs in the build's interpreter: `mkdocs build -q -f CONFIG -d SITE`, then one report line.
PROBE = """
import atexit, gc, resource, sys, time
spent = [0.0, 0.0]
def collector(phase, info):
    if phase == "start":
        spent[1] = time.process_time()
    else:
        spent[0] += time.process_time() - spent[1]
gc.callbacks.append(collector)
def report():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("PROBE", me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, spent[0],
          len(gc.get_objects()), file=sys.stderr)
atexit.register(report)
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "-q", "-f", sys.argv[1], "-d", sys.argv[2]]
cli()
"""
FIELDS = ("total", "in-process", "children", "exit", "collector", "tracked objects")


def probed_build(config: Path, site: Path, env: dict[str, str]) -> dict[str, float]:
    """One build's figures: whole-process CPU, and what the probe saw before the exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [str(PYTHON), "-c", PROBE, str(config), str(site)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = next(x for x in proc.stderr.splitlines() if x.startswith("PROBE "))
    inside, children, collector, tracked = (float(x) for x in line.split()[1:])
    return dict(
        zip(
            FIELDS,
            (total, inside, children, total - inside - children, collector, tracked),
            strict=True,
        )
    )


def main() -> None:
    """Print each build's figures and the medians, with the command that reproduces them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runbooks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print_command()
    tmp = Path(tempfile.mkdtemp(prefix="exit-gc-"))
    env = child_env(PAGERDUTY_API_TOKEN="", XDG_CACHE_HOME=str(tmp / "user-cache"))
    try:
        ours = make_handbook(tmp / "handbook", args.runbooks)
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "oncall-docs"),
                "generate",
                str(tmp / "plain"),
                "-f",
                str(ours),
            ],
            cwd=ours.parent,
            env=env,
            check=True,
            capture_output=True,
        )
        builds = {"ours, warm": ours, "plain Material": tmp / "plain" / "mkdocs.yml"}
        probed_build(ours, tmp / "site-ours", env)  # the caches a warm build finds
        seen: dict[str, list[dict[str, float]]] = {name: [] for name in builds}
        for run in range(args.runs):
            for name, config in builds.items():
                figures = probed_build(config, tmp / f"site-{name[:5]}", env)
                seen[name].append(figures)
                shown = ", ".join(f"{k} {v:.2f}" for k, v in figures.items() if k in FIELDS[:5])
                print(
                    f"+{args.runbooks} runbooks, {name:15} run {run + 1}: CPU s: {shown}; "
                    f"tracked objects at exit {figures['tracked objects']:.0f}",
                    flush=True,
                )
        for name, runs in seen.items():
            mid = {k: statistics.median(r[k] for r in runs) for k in FIELDS}
            print(
                f"+{args.runbooks} runbooks, {name:15} medians of {args.runs}: "
                + ", ".join(f"{k} {v:.2f}" for k, v in mid.items() if k in FIELDS[:5])
                + f"; tracked objects at exit {mid['tracked objects']:.0f}"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
