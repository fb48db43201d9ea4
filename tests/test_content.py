"""The built site says each fact once, keeps the guide's labels and footer, and its runbook commands do what they say."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from oncall_docs.errors import DataError
from oncall_docs.model import Handbook, load_handbook
from oncall_docs.render.fragments import Renderer
from tests.conftest import ROOT, BuildResult

SKIPPED = {"pre", "table", "script", "style", "svg", "button", "template"}
BLOCKS = {
    *("p", "li", "ul", "ol", "dt", "dd", "div", "details", "summary", "blockquote"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "br"),
}


class _Prose(HTMLParser):
    """The prose of a page's <article>, one block per line: no code, tables, buttons or permalinks."""

    def __init__(self) -> None:
        super().__init__()
        self.article = 0
        self.skip: tuple[str, int] | None = None  # (tag, nesting) of the element being skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.article += 1
        if not self.article:
            return
        if self.skip:
            if tag == self.skip[0]:
                self.skip = (tag, self.skip[1] + 1)
            return
        if tag in SKIPPED or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "")):
            self.skip = (tag, 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip and tag == self.skip[0]:
            self.skip = (tag, self.skip[1] - 1) if self.skip[1] > 1 else None
        elif tag == "article":
            self.article -= 1
        elif self.article and tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.article and not self.skip:
            self.parts.append(data)


def prose(html: str) -> str:
    """A page's main text, a line per block."""
    parser = _Prose()
    parser.feed(html)
    return "".join(parser.parts)


def sentences(text: str) -> list[str]:
    """Sentences, normalised (case, punctuation and spacing do not make a sentence new)."""
    found = []
    for block in text.splitlines():
        for sentence in re.split(r"(?<=[.!?:])\s+", block):
            words = re.sub(r"[^\w\s#%-]", " ", sentence.casefold()).split()
            if words:
                found.append(" ".join(words))
    return found


def pages(site: BuildResult) -> list[Path]:
    """Every HTML page of the built site."""
    return sorted(site.site.rglob("*.html"))


def test_no_page_says_a_sentence_twice(built_site: BuildResult) -> None:
    """No sentence of six words or more appears twice in one page's prose."""
    repeated = {}
    for path in pages(built_site):
        counts = Counter(s for s in sentences(prose(path.read_text())) if len(s.split()) >= 6)
        twice = sorted(s for s, n in counts.items() if n > 1)
        if twice:
            repeated[str(path.relative_to(built_site.site))] = twice
    assert repeated == {}


@pytest.mark.parametrize(
    ("page", "fact", "pattern"),
    [
        pytest.param(
            "escalation/index.html",
            "an unacknowledged page escalates",
            r"unacknowledged page",
            id="automatic-escalation",
        ),
        pytest.param(
            "war-room/index.html",
            "the commander is usually the primary",
            r"usually the primary on-call",
            id="war-room-commander",
        ),
        pytest.param(
            "war-room/index.html",
            "the 10-minute update cycle",
            r"\b10\b[- ]minute|every 10 minutes",
            id="war-room-update-cycle",
        ),
        pytest.param(
            "handoff/index.html",
            "what the outgoing on-call prepares",
            r"summary document of the week",
            id="outgoing-prepares",
        ),
        pytest.param(
            "alert-handling/index.html",
            "the incident channel",
            r"#incidents",
            id="incident-channel",
        ),
        pytest.param(
            "alert-handling/index.html",
            "how often to update",
            r"every 30 minutes",
            id="update-interval",
        ),
        pytest.param(
            "handoff/index.html",
            "where the handoff is posted",
            r"\bpost(ed)? (it )?in #oncall-handoff",
            id="handoff-channel",
        ),
    ],
)
def test_each_fact_is_said_once(
    built_site: BuildResult, page: str, fact: str, pattern: str
) -> None:
    """Facts the pages used to repeat in other words now appear exactly once."""
    text = " ".join(prose(built_site.page(page)).split())
    assert len(re.findall(pattern, text, flags=re.IGNORECASE)) == 1, fact


def test_recommended_learning_label(built_site: BuildResult) -> None:
    """The guide's "Recommended learning" label heads the training list again."""
    lines = [line.strip() for line in prose(built_site.page("improvement/index.html")).splitlines()]
    lines = [line for line in lines if line]
    assert "Recommended learning" in lines
    assert (
        lines[lines.index("Recommended learning") + 1] == "Shadow an experienced on-call engineer"
    )


def test_protocol_steps_agree_with_its_fields() -> None:
    """The communication steps name the protocol's channel and its update interval."""
    protocol = load_handbook(ROOT / "data").communication.protocol
    steps = " ".join(protocol.steps)
    assert protocol.channel in steps
    assert f"every {protocol.update_every_minutes} minutes" in steps


# ---------------------------------------------------------------- the footer


def test_footer_on_every_page(built_site: BuildResult) -> None:
    """Every page, 404 included, ends with last updated, maintained by and where to ask."""
    footer = re.compile(
        r'<div class="oncall-footer" data-oncall-footer>\s*'
        r'<span>Last updated: <time datetime="2024-12-09">2024-12-09</time></span>\s*'
        r"<span>Maintained by: Platform Team</span>\s*"
        r"<span>Questions: <code>#platform-team</code> on Slack</span>"
    )
    missing = [p.name for p in pages(built_site) if len(footer.findall(p.read_text())) != 1]
    assert pages(built_site)
    assert missing == []


def _book_with_about(
    data_dir: Path, maintained_by: str, channel: str = "#platform-team"
) -> Handbook:
    (data_dir / "about.yaml").write_text(
        f"last_updated: 2024-12-09\nmaintained_by: {maintained_by}\nquestions_channel: {channel!r}\n"
    )
    return load_handbook(data_dir)


def test_footer_escapes_data(data_dir: Path) -> None:
    """Markup in about.yaml reaches the page as text."""
    html = Renderer(_book_with_about(data_dir, "'<script>alert(1)</script> & Co'")).footer()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_footer_channel_must_be_listed(data_dir: Path) -> None:
    """The questions channel is one of contacts.yaml's channels; a typo names the file and line."""
    with pytest.raises(DataError, match=r"about\.yaml:3: questions_channel: unknown channel"):
        _book_with_about(data_dir, "Platform Team", "#platform-teem")


# ---------------------------------------------------------------- runbook commands


@pytest.fixture(scope="module")
def book() -> Handbook:
    """The shipped data."""
    return load_handbook(ROOT / "data")


def runbook_commands(book: Handbook) -> list[tuple[str, str, str]]:
    """(runbook id, description, command) of every command in every runbook."""
    found = []
    for runbook_id, runbook in book.runbooks.items():
        for section in runbook.sections:
            found += [(runbook_id, c.description, c.command) for c in section.commands]
        for incident in runbook.incidents:
            found += [
                (runbook_id, d.description, d.command) for d in incident.diagnosis if d.command
            ]
    return found


def test_one_command_one_purpose(book: Handbook) -> None:
    """Within a runbook, one command line never stands for two different actions."""
    purposes: dict[tuple[str, str], set[str]] = {}
    for runbook_id, description, command in runbook_commands(book):
        purposes.setdefault((runbook_id, command), set()).add(description.casefold())
    assert {k: v for k, v in purposes.items() if len(v) > 1} == {}


@pytest.mark.parametrize(
    ("description", "must", "must_not"),
    [
        pytest.param("previous image tag", r"<previous-tag>", r"<new-tag>", id="rollback"),
        pytest.param("to the new image", r"<new-tag>", r"<previous-tag>", id="deploy"),
        pytest.param("preserve the evidence", r"logs .*>", r"backup", id="evidence"),
        pytest.param("count the nodes", r"grep -c|wc -l", r"^docker-compose ps$", id="count"),
        pytest.param("cpu and memory", r"docker stats", r"^open ", id="resources"),
        pytest.param("which instances are down", r"^curl .*/api/v1/query", r"^up\{", id="promql"),
        pytest.param("save the health", r"\btee\b", r"^curl http\S+$", id="record-health"),
    ],
)
def test_command_does_what_it_says(
    book: Handbook, description: str, must: str, must_not: str
) -> None:
    """The command under a description does that, not something next to it."""
    (command,) = [c for _, d, c in runbook_commands(book) if description in d.casefold()]
    assert re.search(must, command)
    assert not re.search(must_not, command)


def test_raised_memory_limit_is_applied(book: Handbook) -> None:
    """After raising a memory limit the node is recreated: a restart would keep the old limit."""
    (node_down,) = [i for i in book.runbook("incident-response").incidents if i.id == "node-down"]
    recreate = [step for step in node_down.mitigation if "new limit" in step]
    assert recreate
    assert "up -d" in recreate[0]
    assert not any("docker-compose restart" in step for step in node_down.mitigation)
