"""Fragments show the data, escape every string, and keep Prometheus templates literal."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oncall_docs.model import Handbook
from oncall_docs.model.types import Practice, Practices
from oncall_docs.render.fragments import Renderer
from oncall_docs.text import page_text
from tests.conftest import fixture_handbook

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def book() -> Handbook:
    """The fixture handbook."""
    return fixture_handbook()


def test_severity_table_shows_each_level(book: Handbook) -> None:
    """Every severity row with its response time."""
    html = Renderer(book).severity_table()
    for level in book.severity.levels:
        assert (
            f'<tr id="severity-{level.id.lower()}"><td><strong>{level.id} - {level.name}</strong></td><td>{level.response_time}</td>'
            in html
        )


def test_checklist_contract(book: Handbook) -> None:
    """data-checklist holds one input[data-item] per item, with a label, in data order."""
    html = Renderer(book).checklist("before-24h")
    assert 'data-checklist="before-24h"' in html
    ids = [item.id for item in book.checklist("before-24h").items]
    positions = [html.index(f'type="checkbox" data-item="{i}"') for i in ids]
    assert positions == sorted(positions)
    assert html.count("<label>") == len(ids)


def test_unknown_checklist_names_the_known_ones(book: Handbook) -> None:
    """A typo in a page's macro call lists the ids that exist."""
    with pytest.raises(KeyError, match="known: before-48h"):
        Renderer(book).checklist("before-49h")


@pytest.mark.parametrize("method", ["practices", "faq", "severity_table", "commands_table"])
def test_strings_are_escaped(book: Handbook, method: str) -> None:
    """HTML in the data shows as text, never as markup."""
    practices = Practices(dos=[Practice(id="x", text=XSS)], donts=[Practice(id="y", text=XSS)])
    faq = book.faq.model_copy(
        update={"questions": [book.faq.questions[0].model_copy(update={"answer": XSS})]}
    )
    levels = [book.severity.levels[0].model_copy(update={"name": XSS})]
    commands = [book.tools.commands[0].model_copy(update={"command": XSS})]
    hostile = replace(
        book,
        practices=practices,
        faq=faq,
        severity=book.severity.model_copy(update={"levels": levels}),
        tools=book.tools.model_copy(update={"commands": commands}),
    )
    html = getattr(Renderer(hostile), method)()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_runbook_keeps_prometheus_templates_literal(book: Handbook) -> None:
    """`{{ $labels.instance }}` in a runbook command is shown as written."""
    text = Renderer(book).runbook("incident-response")
    assert "<pre><code>Node {{ $labels.instance }} has been down" in text
    assert "## Common incidents {#common-incidents}" in text
    assert "### Node down / out of memory {#node-down}" in text


def test_runbook_headings_are_markdown_safe() -> None:
    """Heading text cannot inject markup, emphasis or an attribute list."""
    assert page_text("<b>x</b> *y* {#z}") == "&lt;b&gt;x&lt;/b&gt; \\*y\\* \\{\\#z\\}"


def test_links_use_the_href_resolver(book: Handbook) -> None:
    """Data links are passed through the page-relative resolver."""
    html = Renderer(book, href=lambda url: f"RESOLVED/{url}").checklist("before-48h")
    assert 'href="RESOLVED/preparation.md#required-access"' in html


def test_handoff_template_text(book: Handbook) -> None:
    """The handoff template renders the guide's sections as copyable Markdown."""
    text = Renderer(book).template_text("handoff")
    assert text.startswith(
        "## On-Call Handoff: [Date Range]\n\n### Incidents Summary\n- Total incidents: X\n"
    )
    assert "- Notable incidents:\n  1. [Description, resolution, follow-up needed]\n" in text
    assert text.endswith("- [ ] [Task 2] - Owner: @person - Due: Date\n")
