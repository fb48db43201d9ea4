"""Benchmark: a BitCell `mkdocs build` with nothing cached, as a fresh clone, and warm.

    .venv/bin/python benchmarks/cache_states.py [--runs 3]

CPU seconds (user + system) of `mkdocs build` of a copy of the handbook in three states,
one run of each in turn, median of `--runs`, named as in build_share.py: "first", nothing
cached (no `.cache/`, no user cache of compiled fragments: a new machine, CI); "cold", a
fresh clone (no `.cache/`, the user cache kept: the package's fragments load compiled);
"warm", both kept. Without a profiler, so quicker than build_share.py. The user cache is a
temporary XDG_CACHE_HOME, not the home's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from build_share import make_handbook
from common import build_cpu, child_env, print_command

ROOT = Path(__file__).resolve().parents[1]
STATES = ("first", "cold", "warm")  # build_share.py's names: nothing cached, fresh clone


def main() -> None:
    """Print the median CPU time of each state, with the command that reproduces it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print_command()
    tmp = Path(tempfile.mkdtemp(prefix="cache-states-"))
    user_cache = tmp / "user-cache"
    env = child_env(PAGERDUTY_API_TOKEN="", XDG_CACHE_HOME=str(user_cache))
    try:
        config = make_handbook(tmp / "bitcell", 0)
        project, site = config.parent, config.parent / "site"
        build_cpu(config, site, env)  # the OS's file cache, the interpreter's .pyc
        times: dict[str, list[float]] = {state: [] for state in STATES}
        for _ in range(args.runs):
            for state in STATES:
                if state != "warm":
                    shutil.rmtree(project / ".cache", ignore_errors=True)
                if state == "first":
                    shutil.rmtree(user_cache, ignore_errors=True)
                times[state].append(build_cpu(config, site, env))
        for state, values in times.items():
            runs = " ".join(f"{v:.3f}" for v in values)
            print(f"BitCell site  {state:5} CPU median {statistics.median(values):.3f} s  ({runs})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
