"""Benchmark: loading the data files of the handbook with N generated runbooks, cold and warm (issue 14).

    .venv/bin/python benchmarks/load_data.py [--runbooks 1000] [--runs 3] [--baseline REF]

Generates the handbook of `build_share.py` (the checked-in one plus N realistic runbooks),
then times `load_handbook` in CPU seconds of this process, best of `--runs`: cold (no data
cache: every file parsed), warm (the cache of a first load: unchanged files are not parsed,
only validated), and cold with an empty cache (every file parsed, the cache written). With `--baseline REF`, plugins/ of that git ref load the same tree
in a fresh interpreter (cold only, as it has no cache), side by side.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_share import make_handbook
from common import child_env, export_plugins, print_command

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
CHILD = """
import json, sys, time
from pathlib import Path
from oncall_docs.model import load_handbook
data, runs = Path(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(runs):
    start = time.process_time()
    load_handbook(data)
    times.append(time.process_time() - start)
print(json.dumps(times))
"""


def best_of(runs: int, load: Callable[[], object]) -> float:
    """The least CPU time of `runs` calls (the one least disturbed by other load on the machine)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        load()
        times.append(time.process_time() - start)
    return min(times)


def baseline_seconds(ref: str, data: Path, runs: int, tmp: Path) -> float:
    """Best cold load of `data` with plugins/ of git ref `ref`, in a fresh interpreter."""
    package = export_plugins(ref, tmp / "baseline")
    out = subprocess.run(
        [str(PYTHON), "-c", CHILD, str(data), str(runs)],
        env=child_env(PYTHONPATH=str(package)),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return min(json.loads(out))


def main() -> None:
    """Print cold and warm load times side by side, with the command that produced them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runbooks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", metavar="REF", help="also load with plugins/ of this git ref")
    args = parser.parse_args()
    from oncall_docs.model import load_handbook

    print_command()
    tmp = Path(tempfile.mkdtemp(prefix="load-data-"))
    try:
        make_handbook(tmp / "site", args.runbooks)
        data, cache = tmp / "site" / "data", tmp / "cache" / "data.json"
        files = len(list(data.rglob("*.yaml")))
        size = sum(p.stat().st_size for p in data.rglob("*.yaml")) / 1e6
        cold = best_of(args.runs, lambda: load_handbook(data))

        def first() -> None:  # cold, and writes the cache
            cache.unlink(missing_ok=True)
            load_handbook(data, cache=cache)

        filling = best_of(args.runs, first)
        warm = best_of(args.runs, lambda: load_handbook(data, cache=cache))
        print(
            f"load_handbook, {files} files ({size:.1f} MB of YAML), CPU seconds, best of {args.runs}:"
        )
        if args.baseline:
            base = baseline_seconds(args.baseline, data, args.runs, tmp)
            print(f"  base {args.baseline:12} cold {base:6.3f} s")
        print(
            f"  this tree          cold {cold:6.3f} s   warm {warm:6.3f} s   "
            f"cold writing the cache {filling:6.3f} s (cache {cache.stat().st_size / 1e6:.1f} MB)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
