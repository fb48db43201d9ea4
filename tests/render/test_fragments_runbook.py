"""A runbook page is one template render, and its Markdown is the same as one render per part."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader, Template

from oncall_docs.model import Handbook
from oncall_docs.model.types import Runbook
from oncall_docs.render.environment import make_environment
from oncall_docs.render.fragments import Renderer
from oncall_docs.text import page_text
from tests.conftest import fixture_handbook

# The templates and the loop the runbook macro used before: one render per section and incident.
_OLD_SECTION = """{% from "_macros.html" import bullets, code with context %}<div class="oncall-runbook-section" data-section="{{ section.id }}">{% if section.alerts %}<p class="oncall-alerts-line"><strong>Alerts:</strong> {% for name in section.alerts %}<code id="{{ name|alert_anchor }}">{{ name }}</code>{% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
{% if section.body %}<p>{{ section.body }}</p>{% endif %}
{% if section.steps %}{{ bullets(section.steps, ordered=True) }}{% endif %}
{% for command in section.commands %}<p>{{ command.description }}</p>
{{ code(command.command) }}
{% endfor %}</div>
"""
_OLD_INCIDENT = """{% from "_macros.html" import bullets, code with context %}<div class="oncall-incident" data-incident="{{ incident.id }}">{% if incident.alerts %}<p class="oncall-alerts-line"><strong>Alerts:</strong> {% for name in incident.alerts %}<code id="{{ name|alert_anchor }}">{{ name }}</code>{% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
<p><strong>Severity:</strong> {{ severity_label }}</p>
<p><strong>Symptoms</strong></p>
{{ bullets(incident.symptoms) }}
<p><strong>Diagnosis</strong></p>
<ol>{% for step in incident.diagnosis %}<li>{{ step.description }}{% if step.command %}{{ code(step.command) }}{% endif %}</li>{% endfor %}</ol>
<p><strong>Mitigation</strong></p>
{{ bullets(incident.mitigation, ordered=True) }}
<p><strong>When to escalate</strong></p>
{{ bullets(incident.escalate_when) }}
</div>
"""


def old_runbook(handbook: Handbook, runbook_id: str) -> str:
    """The runbook macro as it was: a template render per section and per incident."""
    env = make_environment()
    env.loader = ChoiceLoader(
        [
            DictLoader({"old_section.html": _OLD_SECTION, "old_incident.html": _OLD_INCIDENT}),
            env.loader,  # type: ignore[list-item]
        ]
    )
    labels = {s.id: f"{s.id} - {s.name}" for s in handbook.severity.levels}

    def render(name: str, **context: Any) -> str:
        return env.get_template(name).render(href=lambda url: url, **context).strip() + "\n"

    book = handbook.runbook(runbook_id)
    parts = [f"{page_text(book.summary)}\n"]
    for section in book.sections:
        parts.append(f"## {page_text(section.title)} {{#{section.id}}}\n")
        parts.append(render("old_section.html", section=section))
    if book.incidents:
        parts.append(f"## {page_text(book.incidents_title)} {{#{book.incidents_id}}}\n")
        for incident in book.incidents:
            parts.append(f"### {page_text(incident.title)} {{#{incident.id}}}\n")
            severity = labels.get(incident.severity, incident.severity)
            parts.append(render("old_incident.html", incident=incident, severity_label=severity))
    return "\n".join(parts)


def _variant(base: Runbook, case: str) -> Runbook:
    """The fixture runbook changed in one way that touches the page's whitespace or escaping."""
    hostile = " <b>x</b> *y* {#z} `c` & 1. "
    section, incident = base.sections[0], base.incidents[0]
    if case == "no-incidents":
        return base.model_copy(update={"incidents": []})
    if case == "no-sections":
        return base.model_copy(update={"sections": []})
    if case == "empty":
        return base.model_copy(update={"sections": [], "incidents": []})
    if case == "bare-section":  # no alerts, body, steps or commands
        bare = section.model_copy(update={"alerts": [], "body": None, "steps": [], "commands": []})
        return base.model_copy(update={"sections": [bare, *base.sections]})
    if case == "hostile-text":
        return base.model_copy(
            update={
                "summary": f"1. {hostile}\n- line two",
                "incidents_title": hostile,
                "sections": [section.model_copy(update={"title": hostile, "body": hostile})],
                "incidents": [
                    incident.model_copy(
                        update={"title": hostile, "severity": "P9", "symptoms": [hostile]}
                    )
                ],
            }
        )
    raise AssertionError(case)


@pytest.fixture(scope="module")
def book() -> Handbook:
    """The fixture handbook."""
    return fixture_handbook()


@pytest.mark.parametrize("runbook_id", ["incident-response", "deployment-guide"])
def test_runbook_markdown_is_unchanged(book: Handbook, runbook_id: str) -> None:
    """The fixture runbooks come out byte for byte as with one render per section and incident."""
    assert Renderer(book).runbook(runbook_id) == old_runbook(book, runbook_id)


@pytest.mark.parametrize(
    "case", ["no-incidents", "no-sections", "empty", "bare-section", "hostile-text"]
)
def test_runbook_variants_are_unchanged(book: Handbook, case: str) -> None:
    """Edge cases of whitespace and escaping come out byte for byte as before."""
    base = book.runbook("incident-response")
    changed = replace(book, runbooks={**book.runbooks, base.id: _variant(base, case)})
    assert Renderer(changed).runbook(base.id) == old_runbook(changed, base.id)


def test_runbook_is_one_template_render(book: Handbook, monkeypatch: pytest.MonkeyPatch) -> None:
    """However many sections and incidents a runbook has, its page costs one template render."""
    renders: list[str | None] = []
    original = Template.render

    def counting(self: Template, *args: Any, **kwargs: Any) -> str:
        renders.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Template, "render", counting)
    runbook = book.runbook("incident-response")
    assert len(runbook.sections) + len(runbook.incidents) > 2
    Renderer(book).runbook("incident-response")
    assert renders == ["runbook.html"]
