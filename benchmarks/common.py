"""What every benchmark script shares: its header line, its children's environment, a baseline."""

from __future__ import annotations

import io
import os
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
