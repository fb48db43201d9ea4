"""Reports stay valid and one value a line whatever a URL or a name carries; one exit policy."""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.findings import codes
from oncall_docs.findings.report import FORMATS, Finding, exit_status, render
from oncall_docs.mkdocs_plugin.plugin import OncallPlugin
from oncall_docs.text import one_line

HOSTILE = "a\x00b\x08c\x0cd\x1b[31me\rf\ng\x7fh\x9bi\u2028j"
FORGED = "nothing%0A::error%20file=README.md,line=1::forged"


def hostile_findings() -> list[Finding]:
    """A page finding with a hostile URL and a user finding with a hostile roster name."""
    return [
        Finding.of(
            codes.BROKEN_LINK, "page", "p/index.html", f"{HOSTILE} is not in the site", url=HOSTILE
        ),
        Finding.of(
            codes.MISSING_ACCESS,
            "user",
            f"Eve {HOSTILE}",
            "needs VPN",
            file="data/roster.yaml",
            line=3,
        ),
    ]


def controls(text: str) -> set[str]:
    """The control characters in `text`, line feeds aside."""
    return {ch for ch in text if (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F) and ch != "\n"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_carries_control_characters(fmt: str) -> None:
    """Every format is free of control characters and valid as what it claims to be."""
    out = render(hostile_findings(), fmt, suite="links", checked=["p/index.html", f"Eve {HOSTILE}"])
    assert controls(out) == set()
    assert "\u2028" not in out
    if fmt == "junit":
        root = ET.fromstring(out)  # noqa: S314 - our own output
        assert f"Eve {one_line(HOSTILE)}" in {case.get("name") for case in root.iter("testcase")}
        assert len(list(root.iter("failure"))) == 2
    if fmt == "json":
        assert len(json.loads(out)["findings"]) == 2
    if fmt == "github":
        assert len(out.splitlines()) == 2
    if fmt == "text":
        assert len(out.splitlines()) == 2 * 2 + 1  # a heading and a finding per subject, a summary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "plain https://x.example/a%20b", "plain https://x.example/a%20b", id="unchanged"
        ),
        pytest.param("a\nb", "a%0Ab", id="lf"),
        pytest.param("a\r\nb", "a%0D%0Ab", id="crlf"),
        pytest.param("a\x1b[31m", "a%1B[31m", id="escape"),
        pytest.param("a\x00\x08\x0c", "a%00%08%0C", id="c0"),
        pytest.param("a\x9b", "a%C2%9B", id="c1"),
        pytest.param("a\u2028b", "a%E2%80%A8b", id="line-separator"),
    ],
)
def test_one_line(text: str, expected: str) -> None:
    """Line breaks and control characters are percent-encoded; everything else is left alone."""
    assert one_line(text) == expected


def forged_site(tmp_path: Path) -> Path:
    """A built site whose page links to a URL that decodes to a workflow command."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f'<a href="{FORGED}">x</a><a href="esc\x1b[2J\x08/">y</a>', encoding="utf-8"
    )
    return site


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_output_has_no_forged_workflow_command(tmp_path: Path, fmt: str) -> None:
    """A link that decodes to a line break and `::error` never starts a line of any format."""
    result = CliRunner().invoke(
        cli, ["check", "links", str(forged_site(tmp_path)), "--format", fmt]
    )
    assert result.exit_code == 1, result.output
    assert controls(result.output) == set()
    lines = result.output.splitlines()
    assert not any(line.lstrip().startswith("::error file=README.md") for line in lines)
    if fmt == "github":
        assert len(lines) == 2
    if fmt == "junit":
        ET.fromstring(result.output)  # noqa: S314 - our own output


def test_build_log_line_has_no_forged_workflow_command(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Inside `mkdocs build` each link finding is one log line, control characters encoded."""
    plugin = OncallPlugin()
    errors, _ = plugin.load_config({})
    assert errors == []
    plugin.on_startup(command="build", dirty=False)
    config = SimpleNamespace(
        site_dir=str(forged_site(tmp_path)), config_file_path=str(tmp_path / "m.yml")
    )
    with caplog.at_level(logging.WARNING):
        plugin.on_post_build(config=config)  # type: ignore[arg-type]
    messages = [r.getMessage() for r in caplog.records if "[broken-link]" in r.getMessage()]
    assert len(messages) == 2
    assert all("\n" not in m and controls(m) == set() for m in messages)


@pytest.mark.parametrize(
    ("severities", "warn_only", "status"),
    [
        pytest.param([], (), 0, id="clean"),
        pytest.param(["info"], (), 0, id="info-never-fails"),
        pytest.param(["error"], (), 1, id="error"),
        pytest.param(["warning"], (), 1, id="warning"),
        pytest.param(["warning"], ("broken-link",), 0, id="lowered-warning"),
        pytest.param(["error"], ("broken-link",), 1, id="warn-only-does-not-hide-errors"),
    ],
)
def test_exit_policy(severities: list[str], warn_only: tuple[str, ...], status: int) -> None:
    """One policy for every check: errors and warnings fail, info and lowered warnings do not."""
    findings = [Finding("broken-link", s, "page", "p", "m") for s in severities]  # type: ignore[arg-type]
    assert exit_status(findings, warn_only=warn_only) == status
