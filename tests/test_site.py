"""site.prepare(): every macro, generated page and file, the banner and the log lines, in-process."""

from __future__ import annotations

import subprocess
import sys
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import AfterValidator, BaseModel, StringConstraints

from oncall_docs.errors import OncallDocsError
from oncall_docs.model import Handbook
from oncall_docs.model.types import Runbook
from oncall_docs.settings import Settings, read_settings
from oncall_docs.site import PageChannel, SiteParts, prepare
from tests.conftest import ROOT, copy_project, run_mkdocs_build

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
PAYLOAD = "<script>alert(1)</script>`**pwned**`"


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> SiteParts:
    """The project's site parts, offline (no token), with a private cache folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("PAGERDUTY_API_TOKEN", raising=False)
        base = read_settings(ROOT / "mkdocs.yml")
        cache = tmp_path_factory.mktemp("cache")
        settings = Settings(**{**base.__dict__, "cache_dir": cache})
        return prepare(settings, ROOT, NOW, use_directory_urls=True)


def test_every_macro_is_there(parts: SiteParts) -> None:
    """Data, on-call, access and handoff macros all come from one call."""
    expected = {"severity_table", "checklist", "runbook", "oncall_table", "oncall_timeline"}
    expected |= {"oncall_status", "access_readiness", "handoff_draft", "daily_commands"}
    assert expected <= set(parts.macros)
    assert 'data-checklist="before-48h"' in parts.macros["checklist"]("before-48h")
    assert "offline" in parts.macros["handoff_draft"]()


def test_generated_pages_and_files(parts: SiteParts) -> None:
    """A page per runbook, the on-call feeds and our assets, with the assets linked."""
    assert parts.pages["runbooks/incident-response.md"].endswith(
        "{{ runbook('incident-response') }}\n"
    )
    assert {"oncall.json", "oncall.ics", "assets/oncall/checklist.js"} <= set(parts.files)
    assert '"source": "offline"' in str(parts.files["oncall.json"])
    assert "assets/oncall/oncall.css" in parts.stylesheets
    assert "assets/oncall/checklist.js" in parts.scripts
    assert "data-oncall-footer" in parts.footer


@pytest.mark.parametrize(
    ("page_url", "href"),
    [
        pytest.param("", "schedule/#who-is-on-call", id="home"),
        pytest.param("severity/", "../schedule/#who-is-on-call", id="page"),
        pytest.param("runbooks/deployment-guide/", "../../schedule/#who-is-on-call", id="nested"),
    ],
)
def test_banner_links_to_the_schedule_from_every_page(
    parts: SiteParts, page_url: str, href: str
) -> None:
    """The banner's link is relative to the page it is shown on."""
    assert f'href="{href}"' in parts.banner(page_url)


def test_log_lines(parts: SiteParts) -> None:
    """Offline: no warning (a strict build passes), and info lines saying where data came from."""
    assert parts.warnings == []
    assert any(line.startswith("on-call snapshot: offline") for line in parts.info)
    assert any(line.startswith("handoff draft: offline data") for line in parts.info)


def test_macro_errors_go_to_the_page_channel(parts: SiteParts) -> None:
    """A wrong argument is one line on the channel, forgotten when the next page begins."""
    parts.channel.begin("preparation.md")
    assert parts.macros["checklist"]("no-such-list") == ""
    assert "no checklist with id 'no-such-list'" in parts.channel.errors[0]
    parts.channel.begin("faq.md")
    assert parts.channel.errors == []


def test_strict_channel_raises() -> None:
    """Engines without a per-page hook get the error raised at the call."""
    channel = PageChannel(strict=True)
    with pytest.raises(OncallDocsError, match="boom"):
        channel.report("boom")


def test_page_variable_escapes_every_string(parts: SiteParts) -> None:
    """`oncall` gives escaped strings, keeps numbers, calls methods, and `code` renders <code>."""
    oncall = parts.variables["oncall"]
    assert oncall.rotation.time_zone == r"America/New\_York"
    assert oncall.handoff.meeting_minutes == 15
    assert parts.filters["code"](oncall.handoff.channel) == "<code>#oncall-handoff</code>"
    assert oncall.rotation.handoff.time.strftime("%H:%M") == "09:00"
    assert str(oncall.guidance_list("postmortem-meeting").title)


def test_site_imports_no_generator() -> None:
    """site.py is generator-neutral: importing it loads neither MkDocs nor mkdocs-macros nor click."""
    code = (
        "import sys, oncall_docs.site; "
        "print(','.join(m for m in ('mkdocs', 'material', 'mkdocs_macros', 'click') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# ------------------------------------------------------------ hostile data, one real build


def _is_free_text(annotation: Any, metadata: list[Any]) -> bool:
    """A plain or length-constrained str: no pattern (ids, severities) and no validator (links, zones)."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata = [*metadata, *extra]
    if annotation is not str:
        return False
    return not any(
        isinstance(m, AfterValidator) or (isinstance(m, StringConstraints) and m.pattern)
        for m in metadata
    )


def _poison(raw: Any, annotation: Any, metadata: list[Any]) -> Any:
    """Append the payload to every free-text string of `raw`, following the model's fields."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        if raw is None:
            return raw
        for option in args:
            if option is not type(None):
                return _poison(raw, option, metadata)
    if isinstance(raw, str):
        return f"{raw} {PAYLOAD}" if _is_free_text(annotation, metadata) else raw
    if origin is typing.Annotated:
        return _poison(raw, args[0], [*metadata, *args[1:]])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(raw, dict):
        fields = annotation.model_fields
        return {
            key: _poison(value, fields[key].annotation, list(fields[key].metadata))
            if key in fields
            else value
            for key, value in raw.items()
        }
    if origin is list and isinstance(raw, list):
        return [_poison(item, args[0], []) for item in raw]
    if origin is dict and isinstance(raw, dict):
        return {key: _poison(value, args[1], []) for key, value in raw.items()}
    return raw


def poison_data(data_dir: Path) -> int:
    """Rewrite every data file with the payload in every free-text field; returns the file count."""
    hints = typing.get_type_hints(Handbook)
    files = {
        data_dir / f"{name.replace('_', '-')}.yaml": model
        for name, model in hints.items()
        if isinstance(model, type) and issubclass(model, BaseModel)
    }
    files |= {path: Runbook for path in (data_dir / "runbooks").glob("*.yaml")}
    for path, model in files.items():
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(raw, model, [])), encoding="utf-8")
    return len(files)


@pytest.mark.integration
def test_hostile_text_in_every_field_never_reaches_a_page_live(tmp_path: Path) -> None:
    """`<script>` and backtick payloads in every text field of every data file: no page runs or bolds them."""
    project = copy_project(tmp_path / "project")
    assert poison_data(project / "data") >= 20
    assert PAYLOAD in (project / "data" / "rotation.yaml").read_text(encoding="utf-8")
    result = run_mkdocs_build(project)
    assert result.returncode == 0, result.output
    pages = sorted(result.site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html, page
        assert "<strong>pwned</strong>" not in html, page
    home = result.page("index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home  # the team name, shown as text
