"""The runbooks package is core: no MkDocs, click or HTTP client gets imported with it."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
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


def test_runbooks_codes_are_registered() -> None:
    """`check runbooks` emits from the registry: the eight codes of the issue, one of them info."""
    from oncall_docs.findings.codes import BY_CHECK

    group = BY_CHECK["runbooks"]
    assert {c.slug for c in group} == {
        "no-runbook-url",
        "runbook-page-missing",
        "runbook-anchor-missing",
        "alert-not-covered",
        "runbook-orphan",
        "review-overdue",
        "no-owner",
        "runbook-external",
    }
    assert [c.slug for c in group if c.severity == "info"] == ["runbook-external"]
