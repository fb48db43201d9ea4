"""Publishing: the same site from ProperDocs as from MkDocs, the engine pins, the offline zip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from importlib.metadata import requires
from pathlib import Path

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.version import Version

from oncall_docs.cli import cli
from oncall_docs.errors import OncallDocsError
from oncall_docs.offline import pack
from tests.conftest import MACROS_PLUGIN, BuildResult, copy_project, with_macros_plugin

# What legitimately differs between two builds of the same sources: the generator's name and
# what is worked out from the build's clock: the data's age ("3 days 2 h ago"), the end of
# the timeline, 8 weeks after the build (its last gap ends at a build-time minute), and the
# timeline's geometry, which starts at the build's "now" (bars move by a pixel in minutes).
VOLATILE = [
    (re.compile(r'\b(x1?|x2|width)="\d+(?:\.\d+)?"'), r'\1="…"'),
    (re.compile(r'<meta name="generator" content="[^"]*">'), '<meta name="generator">'),
    (re.compile(r"\(\d+ (?:days?|h|min)(?: \d+ (?:h|min))? ago\)"), "(… ago)"),
    (
        re.compile(
            r"(nobody scheduled, [^<\"]*? to )[A-Z][a-z]{2} \d\d [A-Z][a-z]{2} \d\d:\d\d [A-Z]+"
        ),
        r"\1…",
    ),
]


def normalized(text: str) -> str:
    """A built file with the build-time parts blanked out."""
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def site_files(site: Path) -> dict[str, Path]:
    """Every file of a built site by its path inside the site, sitemap.xml.gz left out."""
    return {
        p.relative_to(site).as_posix(): p
        for p in site.rglob("*")
        if p.is_file() and p.name != "sitemap.xml.gz"
    }


def differences(one: Path, other: Path) -> list[str]:
    """Paths present in one site only, or whose normalized content differs."""
    a, b = site_files(one), site_files(other)
    found = [f"only in one build: {path}" for path in sorted(a.keys() ^ b.keys())]
    for path in sorted(a.keys() & b.keys()):
        x, y = a[path].read_bytes(), b[path].read_bytes()
        if x == y:
            continue
        if path.endswith((".html", ".xml", ".json", ".js")):
            x_text, y_text = x.decode("utf-8"), y.decode("utf-8")
            if normalized(x_text) == normalized(y_text):
                continue
        found.append(f"differs: {path}")
    return found


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The project built once per session by `properdocs build --strict`, in a subprocess."""
    project = copy_project(tmp_path_factory.mktemp("properdocs") / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGERDUTY_")}
    proc = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "--site-dir", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
        check=False,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, project / "site")


@pytest.mark.integration
def test_properdocs_builds_the_same_site_as_mkdocs(
    properdocs_site: BuildResult, built_site: BuildResult
) -> None:
    """`properdocs build --strict` succeeds and writes the same files, page for page."""
    assert properdocs_site.returncode == 0, properdocs_site.output
    assert "ProperDocs" in properdocs_site.page("index.html")  # really the other engine
    assert differences(properdocs_site.site, built_site.site) == []


def test_comparer_sees_a_changed_page(tmp_path: Path) -> None:
    """The comparison is not vacuous: a changed word or a missing file is reported."""
    for name, text in [("one", "<p>P0 15 min</p>"), ("two", "<p>P0 30 min</p>")]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text, encoding="utf-8")
    (tmp_path / "two" / "extra.html").write_text("", encoding="utf-8")
    assert differences(tmp_path / "one", tmp_path / "two") == [
        "only in one build: extra.html",
        "differs: index.html",
    ]


@pytest.mark.parametrize(
    ("name", "allowed", "refused"),
    [
        pytest.param("mkdocs", "1.6.1", "2.0.0", id="mkdocs-1x"),
        pytest.param("mkdocs-material", "9.7.7", "10.0.0", id="material-9x"),
    ],
)
def test_engine_pins_stay_on_the_1x_line(name: str, allowed: str, refused: str) -> None:
    """The package pins MkDocs below 2 (no plugin API) and Material below 10."""
    requirements = [Requirement(r) for r in requires("oncall-docs") or []]
    spec = next(r.specifier for r in requirements if r.name == name)
    assert spec.contains(Version(allowed))
    assert not spec.contains(Version(refused))


def test_pack_writes_a_dated_zip_with_one_folder(tmp_path: Path) -> None:
    """The zip is named by the day and holds the site under a folder of the same name."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Handbook</h1>", encoding="utf-8")
    (site / "search" / "search_index.js").write_text("var __index = {}", encoding="utf-8")
    archive = pack(site, tmp_path / "out", date(2027, 1, 4))
    assert archive.name == "oncall-handbook-2027-01-04.zip"
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == [
            "oncall-handbook-2027-01-04/index.html",
            "oncall-handbook-2027-01-04/search/search_index.js",
        ]
    assert [p.name for p in (tmp_path / "out").iterdir()] == [archive.name]  # no temp left


def test_pack_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    """A failed build (no index.html) never becomes a zip that looks good."""
    with pytest.raises(OncallDocsError, match=r"not a built site"):
        pack(tmp_path, tmp_path / "out", date(2027, 1, 4))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def zensical() -> str:
    """The zensical command: $ZENSICAL, else on PATH; its Python must have oncall_docs installed."""
    found = os.environ.get("ZENSICAL") or shutil.which("zensical")
    if not found:
        pytest.skip(
            "zensical is not installed (about 90 MB, and 0.1.x needs zensical-ui, which the "
            "registry does not serve): see README 'Publishing' to run these tests"
        )
    return found


def run_zensical(folder: Path) -> subprocess.CompletedProcess[str]:
    """`zensical build` in `folder` (reads its mkdocs.yml), without PagerDuty settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGERDUTY_")}
    return subprocess.run(
        [zensical(), "build"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.mark.integration
def test_zensical_renders_our_tables_through_define_env(tmp_path: Path) -> None:
    """Zensical runs no third-party plugin, but the macros module hook renders tables and checklists."""
    project = copy_project(tmp_path / "project")
    modules = "      modules: [oncall_docs.mkdocs_plugin.macros]\n"
    with_macros_plugin(project, MACROS_PLUGIN.replace("  - macros:\n", "  - macros:\n" + modules))
    proc = run_zensical(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = project / "site"
    assert "P0 - Critical" in (site / "severity" / "index.html").read_text(encoding="utf-8")
    preparation = (site / "preparation" / "index.html").read_text(encoding="utf-8")
    assert 'data-checklist="before-48h"' in preparation
    assert "{{" not in preparation


@pytest.mark.integration
def test_zensical_builds_the_generated_tree_whole(tmp_path: Path) -> None:
    """From `oncall-docs generate`, Zensical builds everything: runbook pages, feeds, banner, scripts."""
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        for key in ("PAGERDUTY_API_TOKEN", "PAGERDUTY_ESCALATION_POLICY_ID"):
            mp.delenv(key, raising=False)
        result = CliRunner().invoke(cli, ["generate", str(out)])
    assert result.exit_code == 0, result.output
    proc = run_zensical(out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = out / "site"
    for path in ("runbooks/incident-response/index.html", "oncall.json", "oncall.ics"):
        assert (site / path).is_file(), path
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "data-oncall-banner" in index
    assert "assets/oncall/checklist.js" in index
