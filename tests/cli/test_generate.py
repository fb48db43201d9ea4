"""`oncall-docs generate`: plain Markdown that MkDocs builds into the whole handbook without our plugin.

One generate and one plain `mkdocs build --strict` per session; the unit tests below use the
core functions on small inputs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.errors import ConfigError, OncallDocsError
from oncall_docs.generate import (
    MARKER,
    Tagged,
    dump_config,
    load_config,
    render_pages,
    write_tree,
)
from oncall_docs.settings import read_settings
from oncall_docs.site import prepare
from tests.conftest import BuildResult, copy_project
from tests.test_publish import differences


@dataclass
class Generated:
    """A project copy, the tree `generate` wrote from it, and the plain build of that tree."""

    project: Path
    out: Path
    site: Path
    output: str
    build_output: str

    def page(self, path: str) -> str:
        """The HTML of a built page, e.g. `severity/index.html`."""
        return (self.site / path).read_text(encoding="utf-8")


def invoke(*args: str) -> Any:
    """Run `oncall-docs` in-process, without PagerDuty settings from the environment."""
    env = {k: None for k in ("PAGERDUTY_API_TOKEN", "PAGERDUTY_ESCALATION_POLICY_ID")}
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """generate, then `mkdocs build --strict` of the result, in a folder without our plugin."""
    root = tmp_path_factory.mktemp("generate")
    project = copy_project(root / "project")
    out = root / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)  # as a user runs it, so paths shown on pages are project-relative
        result = invoke("generate", str(out), "--config-file", "mkdocs.yml")
    assert result.exit_code == 0, result.output
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site"],
        cwd=out,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root)},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return Generated(project, out, out / "site", result.output, proc.stdout + proc.stderr)


def test_the_tree_needs_neither_our_plugin_nor_macros(generated: Generated) -> None:
    """The written mkdocs.yml lists neither plugin, and the build did not load them."""
    config = load_config((generated.out / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "oncall" not in names
    assert "macros" not in names
    assert "[macros]" not in generated.build_output
    assert "oncall_docs" not in generated.build_output


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param("severity/index.html", "P0 - Critical", id="severity-table"),
        pytest.param(
            "preparation/index.html", 'data-checklist="before-48h"', id="checklist-before-48h"
        ),
        pytest.param(
            "preparation/index.html", 'data-item="refresh-offline-copy"', id="checklist-item"
        ),
        pytest.param(
            "runbooks/incident-response/index.html", 'id="common-incidents"', id="runbook-page"
        ),
        pytest.param("schedule/index.html", "oncall-timeline", id="timeline"),
        pytest.param("index.html", "data-oncall-banner", id="banner"),
        pytest.param("index.html", "assets/oncall/checklist.js", id="assets-linked"),
    ],
)
def test_plain_build_has_the_handbook(generated: Generated, page: str, expected: str) -> None:
    """The severity table, the checklists, the runbook pages, timeline, banner and scripts are there."""
    assert expected in generated.page(page)


def test_static_files_are_published(generated: Generated) -> None:
    """oncall.json, oncall.ics and our assets are in the built site."""
    for path in (
        "oncall.json",
        "oncall.ics",
        "assets/oncall/checklist.js",
        "assets/oncall/oncall.css",
    ):
        assert (generated.site / path).is_file(), path


def test_no_macro_is_left_in_any_page(generated: Generated, parts: Any) -> None:
    """No call of our macros, no `oncall.` variable and no `{%` left in any page, Markdown or HTML.

    Prometheus templates (`{{ $labels.instance }}`) are content and stay.
    """
    names = "|".join(sorted([*parts.macros, *parts.variables]))
    left_over = re.compile(rf"\{{\{{-?\s*(?:{names})\b|\{{%")
    assert left_over.search('{{ checklist("before-48h") }}')  # the pattern does match a call
    texts = [*(generated.out / "docs").rglob("*.md"), *generated.site.rglob("*.html")]
    assert len(texts) > 40
    assert [str(p) for p in texts if left_over.search(p.read_text("utf-8"))] == []


def test_banner_links_to_the_schedule_from_every_depth(generated: Generated) -> None:
    """The banner's schedule link is made relative to each page by the theme partial."""
    assert 'href="schedule/#who-is-on-call"' in generated.page("index.html")
    assert 'href="../../schedule/#who-is-on-call"' in generated.page(
        "runbooks/incident-response/index.html"
    )


def test_rerun_replaces_its_own_folder_only(generated: Generated, tmp_path: Path) -> None:
    """A second run replaces an earlier tree; a folder someone else filled is refused (exit 2)."""
    config = str(generated.project / "mkdocs.yml")
    out = tmp_path / "out"
    assert invoke("generate", str(out), "-f", config).exit_code == 0
    (out / "stale.md").write_text("old", encoding="utf-8")
    assert invoke("generate", str(out), "-f", config).exit_code == 0
    assert not (out / "stale.md").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    result = invoke("generate", str(foreign), "-f", config)
    assert result.exit_code == 2
    assert "not written by `oncall-docs generate`" in result.output
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep"


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """SiteParts of the project's own data, offline."""
    project = copy_project(tmp_path_factory.mktemp("parts") / "project")
    settings = read_settings(project / "mkdocs.yml")
    return prepare(settings, settings.root, datetime(2026, 11, 28, tzinfo=timezone.utc))


@pytest.mark.parametrize(
    ("config", "page", "expected"),
    [
        pytest.param({}, "{{ severity_table() }}", "P0 - Critical", id="macro"),
        pytest.param({}, "Team: {{ oncall.rotation.team }}", "Team: ", id="variable"),
        pytest.param(
            {}, "---\nrender_macros: false\n---\n{{ x }}\n", "{{ x }}", id="render-macros-false"
        ),
        pytest.param(
            {
                "plugins": [
                    {"macros": {"j2_variable_start_string": "[[", "j2_variable_end_string": "]]"}}
                ]
            },
            "[[ oncall.rotation.shift_length_days ]] days {{ kept }}",
            "7 days {{ kept }}",
            id="custom-delimiters",
        ),
        pytest.param(
            {"extra": {"owner": "platform"}}, "{{ owner }}", "platform", id="extra-variable"
        ),
    ],
)
def test_pages_render_as_mkdocs_macros_would(
    parts: Any, config: dict[str, Any], page: str, expected: str
) -> None:
    """Macros, the data, front matter, delimiters and `extra:` variables as mkdocs-macros has them."""
    assert expected in render_pages(parts, config, {"page.md": page})["page.md"]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param('{{ checklist("nope") }}', r"^bad\.md: .*nope", id="unknown-checklist"),
        pytest.param(
            "{{ missing_macro() }}",
            r"^bad\.md(:\d+)?: 'missing_macro' is undefined",
            id="undefined-strict",
        ),
    ],
)
def test_a_bad_page_names_itself(parts: Any, page: str, message: str) -> None:
    """A wrong macro argument or an undefined name stops with one line naming the page."""
    config = {"plugins": [{"macros": {"on_undefined": "strict"}}]}
    with pytest.raises(OncallDocsError, match=message):
        render_pages(parts, config, {"bad.md": page})


def test_config_keeps_mkdocs_tags() -> None:
    """`!ENV [OFFLINE, false]` survives the copy, so the offline build works from the tree too."""
    config = load_config("plugins:\n  - offline:\n      enabled: !ENV [OFFLINE, false]\n")
    value = config["plugins"][0]["offline"]["enabled"]
    assert value == Tagged("!ENV", "sequence", ["OFFLINE", False])
    assert "enabled: !ENV [OFFLINE, false]" in dump_config(config)


def test_write_tree_refuses_a_file(tmp_path: Path) -> None:
    """OUT_DIR that is a file is refused; nothing is written beside it."""
    target = tmp_path / "out"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="not written by"):
        write_tree(target, {MARKER: ""})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.integration
def test_plain_build_matches_the_plugin_build(
    generated: Generated, built_site: BuildResult
) -> None:
    """Built without plugin or macros, the tree gives the plugin's site file for file."""
    assert differences(built_site.site, generated.site) == []
