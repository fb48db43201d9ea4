"""The checklist fragment: the public contract, the data checklist.js needs, and escaping."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from oncall_docs.model import Handbook, load_handbook
from oncall_docs.render.fragments import Renderer
from oncall_docs.rotation import REFERENCE_DATE
from tests.conftest import fixture_handbook


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a fragment."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the tag and its attributes."""
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        """Record the text."""
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        """Attributes of every `tag` whose attributes include `attrs` (`_` for `-`)."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())
        ]


@pytest.fixture(scope="module")
def book() -> Handbook:
    """The fixture handbook's data."""
    return fixture_handbook()


@pytest.fixture(scope="module")
def renderer(book: Handbook) -> Renderer:
    """A renderer over the project's data."""
    return Renderer(book)


def test_checklist_keeps_the_public_contract(book: Handbook, renderer: Renderer) -> None:
    """One data-checklist element holding an input[type=checkbox][data-item] per item, in order."""
    checklist = book.checklist("before-48h")
    tags = Tags(renderer.checklist("before-48h"))
    assert len(tags.find("div", data_checklist="before-48h")) == 1
    boxes = tags.find("input", type="checkbox")
    assert [b["data-item"] for b in boxes] == [item.id for item in checklist.items]


def test_checklist_embeds_the_rotation(book: Handbook, renderer: Renderer) -> None:
    """The handoff weekday, time, zone, shift length and reference date ride along for the JS."""
    (root,) = Tags(renderer.checklist("handoff-meeting")).find(
        "div", data_checklist="handoff-meeting"
    )
    rotation = book.rotation
    assert root["data-zone"] == rotation.time_zone
    assert root["data-handoff-weekday"] == rotation.handoff.weekday
    assert root["data-handoff-time"] == rotation.handoff.time.strftime("%H:%M")
    assert root["data-shift-days"] == str(rotation.shift_length_days)
    assert root["data-reference-date"] == REFERENCE_DATE.isoformat()
    assert root["data-title"] == book.checklist("handoff-meeting").title


@pytest.mark.parametrize(
    ("checklist_id", "period", "offset"),
    [
        pytest.param("before-48h", "shift", "1", id="pre-shift-belongs-to-next-shift"),
        pytest.param("required-access", "shift", "1", id="access-belongs-to-next-shift"),
        pytest.param("handoff-meeting", "shift", "0", id="handoff-meeting-this-shift"),
        pytest.param("end-of-shift", "shift", "0", id="end-of-shift-this-shift"),
        pytest.param("post-incident", "shift", "0", id="post-incident-this-shift"),
        pytest.param("morning-check", "day", "0", id="daily-check-per-day"),
    ],
)
def test_checklist_period(renderer: Renderer, checklist_id: str, period: str, offset: str) -> None:
    """Each checklist says which period its ticks belong to."""
    (root,) = Tags(renderer.checklist(checklist_id)).find("div", data_checklist=checklist_id)
    assert (root["data-period"], root["data-shift-offset"]) == (period, offset)


def test_checklist_items_have_real_labels(renderer: Renderer) -> None:
    """Each checkbox sits inside a <label> with the item's text, so screen readers name it."""
    html = renderer.checklist("handoff-meeting")
    assert html.count('<label><input type="checkbox"') == html.count("data-item=")
    assert "Attend the 15-minute handoff meeting</span></label>" in html


def test_commands_get_a_copy_button(book: Handbook, renderer: Renderer) -> None:
    """An item with a command gets a hidden (until JS runs) copy button carrying the command."""
    tags = Tags(renderer.checklist("morning-check"))
    commands = [i.command for i in book.checklist("morning-check").items if i.command]
    buttons = tags.find("button", **{"class": "oncall-checklist__copy"})
    assert [b["data-copy"] for b in buttons] == commands
    assert all("hidden" in b and b["type"] == "button" for b in buttons)


def test_toolbar_is_hidden_without_javascript(renderer: Renderer) -> None:
    """Progress, copy, reset and print appear only once checklist.js runs."""
    tags = Tags(renderer.checklist("before-24h"))
    (toolbar,) = tags.find("div", **{"class": "oncall-checklist__toolbar"})
    assert "hidden" in toolbar
    actions = {b.get("data-action") for b in tags.find("button")}
    assert actions == {"copy-markdown", "previous", "reset", "print"}


def test_checklist_has_no_inline_script(renderer: Renderer, book: Handbook) -> None:
    """No <script> and no on* handlers, so `script-src 'self'` is enough."""
    for checklist in book.checklists.checklists:
        tags = Tags(renderer.checklist(checklist.id))
        assert not tags.find("script")
        assert not [a for _, a in tags.tags for name in a if name.startswith("on")]


def test_checklist_escapes_data(data_dir: Path) -> None:
    """Titles, texts and commands from YAML reach attributes and text escaped."""
    path = data_dir / "checklists.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    evil = '"><script>alert(1)</script>'
    raw["checklists"][0]["title"] = f"Title {evil}"
    raw["checklists"][0]["items"][0].update(text=f"Text {evil}", command=f"echo {evil}")
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    html = Renderer(load_handbook(data_dir)).checklist(raw["checklists"][0]["id"])
    assert "<script>" not in html
    tags = Tags(html)
    (root,) = tags.find("div", data_checklist=raw["checklists"][0]["id"])
    assert root["data-title"] == f"Title {evil}"
    (button,) = tags.find("button", **{"class": "oncall-checklist__copy"})
    assert button["data-copy"] == f"echo {evil}"
