"""A default build imports only what it uses; the rest loads where it runs.

The external link check, the Prometheus reader, MkDocs' dev server and the process pool are
never loaded by importing the plugin, nor by an offline build with internal links checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Loaded only by what needs them: an external link check (`links: external`, `check links
# --external`), `check runbooks --prometheus-url`, a PagerDuty fetch (a token), `mkdocs serve`,
# a site of 300+ pages.
LAZY = [
    "oncall_docs.linkcheck.cache",
    "oncall_docs.linkcheck.http",
    "oncall_docs.linkcheck.outcome",
    "oncall_docs.linkcheck.scheduler",
    "oncall_docs.runbooks.prometheus",
    "oncall_docs.oncall.build",
    "oncall_docs.oncall.build_v3",
    "oncall_docs.pagerduty_api.escalation_policies",
    "oncall_docs.pagerduty_api.incidents",
    "oncall_docs.pagerduty_api.oncalls",
    "oncall_docs.pagerduty_api.schedules",
    "oncall_docs.pagerduty_api.schedules_v3",
    "oncall_docs.pagerduty_api.users",
    "mkdocs.livereload",
    "watchdog",
    "multiprocessing",
    "concurrent.futures.process",
    "pagerduty",
    "httpx2",
]
BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
"""
PROBE = "\nimport json, sys\nprint(json.dumps(sorted(m for m in {lazy!r} if m in sys.modules)))\n"


def loaded(code: str, *args: str, cache_home: Path | None = None) -> list[str]:
    """The LAZY modules that `code` left in sys.modules, run in a fresh interpreter without a token."""
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    if cache_home is not None:  # a build's user-level caches go there, never into the real home
        env["XDG_CACHE_HOME"] = str(cache_home)
    proc = subprocess.run(
        [sys.executable, "-c", code + PROBE.format(lazy=LAZY), *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: list[str] = json.loads(proc.stdout.splitlines()[-1])
    return result


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import oncall_docs.mkdocs_plugin.plugin", id="import-the-plugin"),
        pytest.param("import oncall_docs.site", id="import-site"),
        pytest.param("import oncall_docs.settings", id="import-settings"),
        pytest.param("import oncall_docs.linkcheck.run", id="import-link-check"),
        pytest.param("import oncall_docs.runbooks.run", id="import-runbooks-check"),
    ],
)
def test_import_loads_no_lazy_module(code: str) -> None:
    """Importing the plugin or the core it builds with loads none of the lazily imported modules."""
    assert loaded(code) == []


def test_default_build_loads_no_lazy_module(handbook_project: Path, tmp_path: Path) -> None:
    """A whole offline build of the fixture handbook (internal link check included) loads none of them."""
    site = tmp_path / "site"
    config = str(handbook_project / "mkdocs.yml")
    assert loaded(BUILD, config, str(site), cache_home=tmp_path / "user-cache") == []
    assert (site / "index.html").is_file()


@pytest.mark.parametrize(
    ("code", "wanted"),
    [
        pytest.param(
            "from oncall_docs.linkcheck.settings import LinkSettings\nLinkSettings().options()",
            ["oncall_docs.linkcheck.outcome", "oncall_docs.linkcheck.scheduler"],
            id="external-options",
        ),
        pytest.param(
            "from pathlib import Path\n"
            "from oncall_docs.linkcheck.settings import LinkSettings\n"
            "LinkSettings().cache(Path('/nonexistent'), 0.0)",
            ["oncall_docs.linkcheck.cache", "oncall_docs.linkcheck.outcome"],
            id="external-cache",
        ),
        pytest.param(
            "from oncall_docs.linkcheck.check import Site\n"
            "from oncall_docs.linkcheck.rules import compile_rules\n"
            "from oncall_docs.linkcheck.run import run_check\n"
            "from oncall_docs.linkcheck.settings import LinkSettings\n"
            "run_check(Site(set(), {}), rules=compile_rules([], {}, []),"
            " external=LinkSettings().options())",
            ["oncall_docs.linkcheck.outcome", "oncall_docs.linkcheck.scheduler"],
            id="external-check-with-nothing-to-fetch",
        ),
        pytest.param(
            "from oncall_docs.runbooks.run import check_external\n"
            "from oncall_docs.linkcheck.scheduler import ExternalOptions\n"
            "check_external([], ExternalOptions())",
            [
                "oncall_docs.linkcheck.http",
                "oncall_docs.linkcheck.outcome",
                "oncall_docs.linkcheck.scheduler",
            ],
            id="runbook-url-check",
        ),
    ],
)
def test_lazy_modules_load_where_they_run(code: str, wanted: list[str]) -> None:
    """The code that needs a lazily imported module still gets it (and nothing more of the list)."""
    assert loaded(code) == sorted(wanted)
