"""What every benchmark shares: its header, its children's environment, a baseline, a build's CPU."""

from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def print_command() -> None:
    """Print the command that reproduces the figures, with the machine's cores and load."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"# command: {' '.join([Path(sys.executable).name, *sys.argv])}  "
        f"(machine: {os.cpu_count()} cores, load average {load})",
        flush=True,
    )


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a timed child process: this one's, plus `extra`, quiet MkDocs.

    Without PYTHONDONTWRITEBYTECODE: a child writes and reuses `.pyc` files as Python does on
    a user's machine. With it set (some shells and containers do), every child would compile
    each module edited since the last `.pyc` again, and a baseline tree, which has none, on
    every run: import times that no user sees.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore", **extra}


def export_plugins(ref: str, dest: Path) -> Path:
    """plugins/ of git ref `ref`, extracted under `dest` (put it first on PYTHONPATH to run it)."""
    dest.mkdir(parents=True, exist_ok=True)
    git = shutil.which("git") or "git"
    archive = subprocess.run(
        [git, "-C", str(ROOT), "archive", ref, "plugins"], capture_output=True, check=True
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "plugins"


def build_cpu(config: Path, site: Path, env: dict[str, str]) -> float:
    """CPU seconds (user + system) of one `mkdocs build -q` of `config` into `site`, unprofiled.

    CPU rather than wall time: other load on a shared 2-core machine stretches the wall clock
    of whichever build it happens to overlap, but not the build's own CPU time. The build runs
    from the config's folder, as `make build` does.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=env,
        check=True,
        capture_output=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
