"""The runbooks package is core: no MkDocs, click or HTTP client gets imported with it."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "oncall_docs.runbooks.codes",
    "oncall_docs.runbooks.rules",
    "oncall_docs.runbooks.coverage",
    "oncall_docs.runbooks.review",
    "oncall_docs.runbooks.view",
    "oncall_docs.runbooks.run",
]
BANNED = ["mkdocs", "material", "mkdocs_macros", "click", "pagerduty", "requests", "httpx"]


@pytest.mark.parametrize("module", MODULES)
def test_runbooks_module_imports_nothing_of_the_glue(module: str) -> None:
    """Importing the module in a fresh interpreter loads none of the banned packages."""
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        f"print(','.join(sorted(m for m in {BANNED!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"


def test_codes_are_unique_and_documented() -> None:
    """Every code of the check has one slug, a severity and a description, and the README lists it."""
    from pathlib import Path

    from oncall_docs.runbooks.codes import CODES

    slugs = [slug for slug, _, _ in CODES]
    assert len(set(slugs)) == len(slugs) == 8
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert all(f"`{slug}`" in readme for slug in slugs)
