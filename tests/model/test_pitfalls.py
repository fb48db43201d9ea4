"""The loader's YAML pitfalls: a ` #` that cuts text short and a [flow, list] that splits prose."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.errors import DataError
from oncall_docs.model import load_handbook
from oncall_docs.model.load import validate_file
from oncall_docs.model.types import Faq, Guidance

ROOT = Path(__file__).resolve().parents[2]
HEAD = "lists:\n  - id: principles\n    title: Principles\n"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        pytest.param(
            HEAD + "    items:\n      - Post in the #incidents Slack channel\n",
            "guidance.yaml:5: lists[0].items[0]",
            "text ends at 'Post in the'; quote the whole text: \"Post in the #incidents Slack channel\"",
            id="comment-after-list-item",
        ),
        pytest.param(
            (HEAD + "    items:\n      - Post in #incidents\n").replace("\n", "\r\n"),
            "guidance.yaml:5: lists[0].items[0]",
            "text ends at 'Post in'; quote the whole text: \"Post in #incidents\"",
            id="comment-after-text-crlf",
        ),
        pytest.param(
            HEAD + "    items:\n      - Join #oncall-primary\n",
            "guidance.yaml:5: lists[0].items[0]",
            "text ends at 'Join'",
            id="comment-after-one-word",
        ),
        pytest.param(
            HEAD.replace("Principles", "Principles  # of post-mortems") + "    items: [a]\n",
            "guidance.yaml:3: lists[0].title",
            '" #" starts a YAML comment',
            id="comment-after-mapping-value",
        ),
        pytest.param(
            HEAD + "    items:\n      - Focus on systems\n        and people # not blame\n",
            "guidance.yaml:6: lists[0].items[0]",
            "text ends at 'Focus on systems and people'; quote the whole text (a comment",
            id="comment-after-multi-line-text",
        ),
        pytest.param(
            HEAD + "    items: [Focus on systems, not people, Assume good intentions]\n",
            "guidance.yaml:4: lists[0].items",
            "YAML reads 3 items here: 'Focus on systems', 'not people', 'Assume good intentions'",
            id="flow-list-of-prose",
        ),
        pytest.param(
            HEAD + '    items: ["Focus on systems, not people", Assume good intentions]\n',
            "guidance.yaml:4: lists[0].items",
            'write one "- item" per line, or quote every item',
            id="flow-list-partly-quoted",
        ),
    ],
)
def test_pitfall_is_an_error_naming_the_place(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    """Each pitfall fails the load with file:line:field and how to write it instead."""
    path = tmp_path / "guidance.yaml"
    path.write_text(text)
    with pytest.raises(DataError) as caught:
        validate_file(path, Guidance)
    assert str(caught.value).startswith(f"{tmp_path / where}: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            HEAD
            + "    # a comment on its own line\n    items:\n      - Seek to understand, not judge\n",
            id="comment-line-and-commas-in-block-list",
        ),
        pytest.param(
            HEAD.replace("principles", "principles  # the id stays") + "    items: [a]\n",
            id="comment-after-an-id",
        ),
        pytest.param(
            HEAD + "    ordered: true  # numbered\n    items: [Shadow, Practice]\n",
            id="comment-after-a-boolean-and-flow-list-of-words",
        ),
        pytest.param(
            HEAD
            + '    items:\n      - "Post in #incidents"  # quoted: kept whole\n      - C# and F#\n',
            id="quoted-text-and-hash-without-space",
        ),
        pytest.param(
            HEAD + '    items: ["Focus on systems, not people", "Assume good intentions"]\n',
            id="flow-list-fully-quoted",
        ),
    ],
)
def test_legitimate_yaml_still_loads(tmp_path: Path, text: str) -> None:
    """Comments on their own line or after ids and flags, and quoted text, are not pitfalls."""
    path = tmp_path / "guidance.yaml"
    path.write_text(text)
    parsed, _ = validate_file(path, Guidance)
    assert parsed.lists[0].items


def test_pitfall_in_a_nested_model_field(tmp_path: Path) -> None:
    """A free-text field of a nested model (an FAQ answer) is checked like any other."""
    path = tmp_path / "faq.yaml"
    path.write_text(
        "questions:\n  - id: q\n    question: Where?\n    answer: Ask in #platform-team\n"
    )
    with pytest.raises(DataError, match=r"faq\.yaml:4: questions\[0\]\.answer: an unquoted"):
        validate_file(path, Faq)


def test_check_data_reports_the_original_pitfall(data_dir: Path) -> None:
    """The line that once rendered as "Post in the" now fails `check data`, exit 1, one line."""
    path = data_dir / "communication.yaml"
    quoted = '- "Post in the #incidents Slack channel"'
    text = path.read_text()
    line = text[: text.index(quoted)].count("\n") + 1
    path.write_text(text.replace(quoted, "- Post in the #incidents Slack channel"))
    result = CliRunner().invoke(cli, ["check", "data", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert f"{path}:{line}: protocol.steps[0]: an unquoted" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        pytest.param(
            lambda b: b.communication.protocol.steps[0],
            "Post in the #incidents Slack channel",
            id="incidents-channel",
        ),
        pytest.param(
            lambda b: b.template("handoff").purpose,
            "Filled in by the outgoing on-call before the Monday handoff and posted in #oncall-handoff.",
            id="handoff-channel",
        ),
        pytest.param(
            lambda b: b.guidance_list("postmortem-principles").items[0],
            "Focus on systems, not people",
            id="one-principle",
        ),
    ],
)
def test_shipped_data_says_it_whole(read: object, expected: str) -> None:
    """The three texts the pitfalls had cut or split read whole in the shipped data."""
    book = load_handbook(ROOT / "data")
    assert read(book) == expected  # type: ignore[operator]
