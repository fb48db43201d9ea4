"""The core stays free of MkDocs, click and HTTP clients, so another generator can use it."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "oncall_docs.errors",
    "oncall_docs.findings.report",
    "oncall_docs.model",
    "oncall_docs.model.schema",
    "oncall_docs.render.links",
    "oncall_docs.render.fragments",
    "oncall_docs.rotation",
    "oncall_docs.oncall.model",
    "oncall_docs.oncall.build",
    "oncall_docs.oncall.ics",
    "oncall_docs.oncall.timeline",
    "oncall_docs.sources",
    "oncall_docs.timeutil",
    "oncall_docs.oncall.view",
    "oncall_docs.access.check",
    "oncall_docs.access.window",
    "oncall_docs.settings",
    "oncall_docs.text",
    "oncall_docs.render.environment",
    "oncall_docs.render.page_data",
    "oncall_docs.render.macros",
    "oncall_docs.handoff.window",
    "oncall_docs.handoff.view",
    "oncall_docs.linkcheck.collect",
    "oncall_docs.linkcheck.check",
    "oncall_docs.linkcheck.run",
]
BANNED = [
    "mkdocs",
    "material",
    "mkdocs_macros",
    "click",
    "pagerduty",
    "requests",
    "httpx",
    "httpx2",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_nothing_of_the_glue(module: str) -> None:
    """Importing a core module in a fresh interpreter loads none of the banned packages."""
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        f"print(','.join(sorted(m for m in {BANNED!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"
