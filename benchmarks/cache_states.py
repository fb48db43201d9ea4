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
import resource
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from build_share import make_handbook
from common import child_env, print_command

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
STATES = ("first", "cold", "warm")  # build_share.py's names: nothing cached, fresh clone


def cpu_build(project: Path, env: dict[str, str]) -> float:
    """CPU seconds of one `mkdocs build -q` of `project` (its finished child process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [str(MKDOCS), "build", "-q", "-d", str(project / "site")],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
        project = make_handbook(tmp / "bitcell", 0).parent
        cpu_build(project, env)  # the OS's file cache, the interpreter's .pyc
        times: dict[str, list[float]] = {state: [] for state in STATES}
        for _ in range(args.runs):
            for state in STATES:
                if state != "warm":
                    shutil.rmtree(project / ".cache", ignore_errors=True)
                if state == "first":
                    shutil.rmtree(user_cache, ignore_errors=True)
                times[state].append(cpu_build(project, env))
        for state, values in times.items():
            runs = " ".join(f"{v:.3f}" for v in values)
            print(f"BitCell site  {state:5} CPU median {statistics.median(values):.3f} s  ({runs})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
