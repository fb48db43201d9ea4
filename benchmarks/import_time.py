"""Benchmark: what `import oncall_docs.mkdocs_plugin.plugin` costs, by `python -X importtime`.

    .venv/bin/python benchmarks/import_time.py [--runs 5] [--baseline main]

Each run imports the plugin in a fresh interpreter and sums the report: the plugin module in
all (cumulative), our own modules (self time), the pydantic models (`oncall_docs.model`,
pydantic included; `model.types` alone), the PagerDuty client and httpx2, icalendar, and
how many templates `render` compiled at import. With --baseline REF the same import of
plugins/ from git REF runs alternately, so both see the same load on the machine.
Figures are medians in milliseconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import child_env, export_plugins, print_command

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
PROBE = (
    "import oncall_docs.mkdocs_plugin.plugin\n"
    "import sys\n"
    "envs = [getattr(m, n) for m in list(sys.modules.values()) if (m.__name__ or '').startswith('oncall_docs.')"
    " for n in ('ENVIRONMENT', '_ENV') if hasattr(m, n)]\n"
    "print('TEMPLATES', sum(len(e.cache or {}) for e in {id(e): e for e in envs}.values()))\n"
    "print('LOADED', ','.join(m for m in ('pagerduty', 'httpx2', 'icalendar') if m in sys.modules))\n"
)
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
GROUPS = {
    "plugin import (total)": ("cumulative", ("oncall_docs.mkdocs_plugin.plugin",)),
    "our modules (self)": ("self", ("oncall_docs",)),
    "pydantic models": ("cumulative", ("oncall_docs.model",)),
    "  model.types alone": ("self", ("oncall_docs.model.types",)),
    "pagerduty + httpx2": ("cumulative", ("pagerduty", "httpx2")),
    "icalendar": ("cumulative", ("icalendar",)),
}


def one_run(package: Path | None) -> tuple[dict[str, float], str]:
    """Milliseconds per group of one fresh import, and what heavy libraries it loaded."""
    env = child_env(PYTHONPATH=str(package)) if package else child_env()
    proc = subprocess.run(
        [str(PYTHON), "-X", "importtime", "-c", PROBE],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
    )
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    rows = [(int(m.group(1)), int(m.group(2)), m.group(4)) for m in LINE.finditer(proc.stderr)]
    figures: dict[str, float] = {}
    for label, (kind, names) in GROUPS.items():
        total = 0
        for own, cumulative, module in rows:
            if kind == "self" and (
                module in names or module.startswith(tuple(f"{n}." for n in names))
            ):
                total += own
            elif kind == "cumulative" and module in names:
                total += cumulative  # each module appears once: where it was first imported
        figures[label] = total / 1000
    templates = re.search(r"TEMPLATES (\d+)", proc.stdout)
    figures["templates compiled at import"] = float(templates.group(1)) if templates else -1
    loaded = re.search(r"LOADED (.*)", proc.stdout)
    return figures, loaded.group(1) if loaded else "?"


def main() -> None:
    """Print median figures for this tree (and the baseline), with the command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", metavar="REF", help="also import plugins/ of this git ref")
    args = parser.parse_args()
    print_command()
    tmp = Path(tempfile.mkdtemp(prefix="import-time-"))
    try:
        variants: dict[str, Path | None] = {"this tree": None}
        if args.baseline:
            variants[f"base {args.baseline}"] = export_plugins(args.baseline, tmp)
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in variants}
        loaded: dict[str, str] = {}
        for _ in range(args.runs):
            for label, package in variants.items():
                figures, libs = one_run(package)
                runs[label].append(figures)
                loaded[label] = libs
        print(
            f"{'median ms of ' + str(args.runs) + ' runs':32}"
            + "".join(f"{v:>14}" for v in variants)
        )
        for key in runs["this tree"][0]:
            cells = "".join(
                f"{statistics.median(r[key] for r in runs[label]):14.1f}" for label in variants
            )
            print(f"{key:32}{cells}")
        print(
            f"{'heavy libraries loaded':32}" + "".join(f"{loaded[v] or '-':>14}" for v in variants)
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
