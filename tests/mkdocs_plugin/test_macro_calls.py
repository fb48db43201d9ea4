"""The macros the oncall plugin registers: each renders HTML from the fixture handbook; a wrong id is one line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from tests.conftest import copy_handbook, with_macros_plugin

# Every macro the plugin registers, with the arguments of one call against the fixture handbook.
CASES: dict[str, tuple[Any, ...]] = {
    "severity_table": (),
    "escalation_table": (),
    "contacts_table": (),
    "channels_table": (),
    "commands_table": (),
    "dashboards": (),
    "rotation_table": (),
    "war_room_roles": (),
    "communication_tips": (),
    "guidance": ("long-incidents",),
    "alert_steps": (),
    "incident_phases": (),
    "practices": (),
    "handoff_agenda": (),
    "after_handoff": (),
    "faq": (),
    "checklist": ("before-48h",),
    "incident_log": (),
    "template": ("handoff",),
    "runbook": ("incident-response",),
    "runbook_links": (),
    "access_systems": (),
    "useful_links": (),
    "schedule_links": (),
    "swap_steps": (),
    "war_room_setup": (),
    "war_room_practices": (),
    "protocol_steps": (),
    "status_update_fields": (),
    "status_update_example": (),
    "daily_commands": ("morning",),
    "oncall_table": (),
    "oncall_handoffs": (),
    "oncall_timeline": (),
    "oncall_status": (),
    "access_readiness": (4,),
    "handoff_draft": (),
    "alerts_table": (),
    "runbook_header": ("incident-response",),
    "my_shift": ("personal",),
}


class Registered:
    """The macros the oncall plugin handed to mkdocs-macros in one `on_config`, and the plugin."""

    def __init__(self, project: Path) -> None:
        self.config = load_config(str(project / "mkdocs.yml"))
        self.macros: dict[str, Callable[..., Any]] = {}
        macros_plugin = self.config.plugins["macros"]
        register = macros_plugin.register_macros  # type: ignore[attr-defined]

        def record(items: dict[str, Callable[..., Any]]) -> None:
            self.macros.update(items)
            register(items)

        macros_plugin.register_macros = record  # type: ignore[attr-defined]
        self.config = self.config.plugins.on_config(self.config)
        self.plugin: Any = self.config.plugins["oncall"]

    def on_page(self, src_uri: str) -> SimpleNamespace:
        """Start rendering a page, as MkDocs would; returns the page."""
        page = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))
        self.plugin.on_pre_page(page, config=self.config, files=None)
        return page


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registered]:
    """The fixture handbook's config with mkdocs-macros, its plugins' `on_config` run once (offline)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("PAGERDUTY_API_TOKEN", "PAGERDUTY_API_URL", "PAGERDUTY_ESCALATION_POLICY_ID"):
            patch.delenv(name, raising=False)
        project = copy_handbook(tmp_path_factory.mktemp("macros") / "handbook")
        yield Registered(with_macros_plugin(project))


def test_every_registered_macro_has_a_case(registered: Registered) -> None:
    """The table covers exactly the macros the plugin registers, so a new macro needs a test."""
    assert set(registered.macros) == set(CASES)


@pytest.mark.parametrize(("name", "args"), CASES.items(), ids=list(CASES))
def test_macro_renders_html(registered: Registered, name: str, args: tuple[Any, ...]) -> None:
    """Called as a page would call it, the macro returns HTML (Markdown around it for a runbook), no error."""
    registered.on_page("reference.md")
    html = str(registered.macros[name](*args)).strip()
    assert re.search(r"<(p|ul|ol|dl|table|div|section|figure|pre|time|a|span)\b", html), html[:200]
    assert registered.plugin.parts.channel.errors == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            ("checklist", "before-49h"), "no checklist with id 'before-49h'", id="checklist"
        ),
        pytest.param(("guidance", "nope"), "nope", id="guidance"),
        pytest.param(("template", "nope"), "nope", id="template"),
        pytest.param(("runbook", "nope"), "nope", id="runbook"),
        pytest.param(
            ("daily_commands", "noon"), "no daily check with id 'noon'", id="daily-commands"
        ),
    ],
)
def test_unknown_id_is_one_line_naming_the_page(
    registered: Registered, call: tuple[str, str], message: str
) -> None:
    """A wrong id renders nothing and stops the page with one line naming the page and the id."""
    page = registered.on_page("faq.md")
    name, argument = call
    assert str(registered.macros[name](argument)) == ""
    with pytest.raises(PluginError) as caught:
        registered.plugin.on_page_markdown("", page=page, config=registered.config, files=None)
    text = str(caught.value)
    assert text.startswith(str(Path("docs") / "faq.md")) or "/docs/faq.md: " in text, text
    assert message in text
    assert "\n" not in text
