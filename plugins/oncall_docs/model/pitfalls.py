"""Two YAML pitfalls that lose prose without any error, caught while loading.

- `- Post in the #incidents channel`: an unquoted ` #` starts a comment, so the text ends at
  "Post in the" and the rest vanishes.
- `items: [Focus on systems, not people]`: a flow list splits at every comma, so one item
  becomes two.

The rule, kept simple so that a data author can predict it: in a *free-text* field (a string
with no fixed pattern, format or choice list: `Text`, links, notes), a plain (unquoted) value
may not be followed by a comment on its line, and a list of free text may not be written as a
flow list (`[...]`) with unquoted prose (an item with a space) in it. Comments on their own
line, and after ids, severities, channel names, numbers, times and dates, stay allowed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel

Loc = tuple[str | int, ...]
STR_TAG = "tag:yaml.org,2002:str"
_COMMENT_AFTER = re.compile(r"[ \t]+#")
SPACE = re.compile(r"\s")  # what str.isspace() calls a space (both use Py_UNICODE_ISSPACE)
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class Pitfall:
    """A spot that reads differently from how it looks; an error only in a free-text field."""

    kind: Literal["comment", "flow"]
    loc: Loc
    line: int
    column: int
    kept: str = ""  # comment: the text YAML kept
    intended: str | None = None  # comment: the whole value as written, when it is one line
    items: tuple[str, ...] = ()  # flow: the items YAML read


def comment_lines(text: str) -> set[int]:
    """The lines (0-based, as PyYAML counts them) holding a `#`: the only ones a comment can cut."""
    if "#" not in text:
        return set()
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
    return {number for number, line in enumerate(lines) if "#" in line}


def find_pitfalls(node: yaml.Node, text: str) -> list[Pitfall]:
    """Every plain value followed by a comment, and every flow list holding unquoted prose."""
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))  # as PyYAML counts lines and columns
    found: list[Pitfall] = []
    seen: set[int] = set()  # an alias repeats a node; one look at it is enough

    def walk(node: yaml.Node, loc: Loc) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    walk(value_node, (*loc, key_node.value))
        elif isinstance(node, yaml.SequenceNode):
            prose = node.flow_style and [  # only a [...] list splits at commas
                item.value for item in node.value if _plain_text(item) and SPACE.search(item.value)
            ]
            if prose:
                found.append(
                    Pitfall(
                        "flow",
                        loc,
                        node.start_mark.line + 1,
                        node.start_mark.column + 1,
                        items=tuple(str(getattr(item, "value", "")) for item in node.value),
                    )
                )
            for i, item in enumerate(node.value):
                walk(item, (*loc, i))
        elif _plain_text(node):
            _check_comment(node, loc, lines, found)

    walk(node, ())
    return found


def _plain_text(node: yaml.Node) -> bool:
    """A plain (unquoted) string: style None from PyYAML's composer, "" from libyaml's."""
    return isinstance(node, yaml.ScalarNode) and not node.style and node.tag == STR_TAG


def _check_comment(node: yaml.Node, loc: Loc, lines: list[str], found: list[Pitfall]) -> None:
    end = node.end_mark
    if end.line >= len(lines) or "#" not in lines[end.line]:
        return  # most lines: no comment at all
    if not _COMMENT_AFTER.match(lines[end.line][end.column :]):
        return
    start = node.start_mark
    intended = lines[start.line][start.column :].rstrip() if start.line == end.line else None
    found.append(Pitfall("comment", loc, end.line + 1, start.column + 1, str(node.value), intended))


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`s and unwrap `X | None`."""
    while True:
        if "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
            continue
        branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
        if len(branches) == 1:
            node = branches[0]
            continue
        return node


def field_schema(model: type[BaseModel], loc: Loc) -> dict[str, Any] | None:
    """The JSON Schema of the field at `loc`, or None where the model has no such field."""
    root = _schema(model)
    defs = root.get("$defs", {})
    node: Any = root
    for part in loc:
        node = _resolve(node, defs)
        if isinstance(part, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(part, node.get("additionalProperties"))
        if not isinstance(node, dict):
            return None
    return _resolve(node, defs)


def is_free_text(schema: dict[str, Any] | None) -> bool:
    """A string with no pattern, format or fixed choices: where prose goes."""
    return (
        schema is not None
        and schema.get("type") == "string"
        and not {"pattern", "format", "enum", "const"} & schema.keys()
    )


def first_pitfall(pitfalls: list[Pitfall], model: type[BaseModel]) -> tuple[Pitfall, str] | None:
    """The first pitfall that lands in free text of `model`, with a message saying how to quote."""
    for pit in pitfalls:
        schema = field_schema(model, pit.loc)
        if pit.kind == "comment" and is_free_text(schema):
            return pit, _comment_message(pit)
        if pit.kind == "flow" and schema is not None and is_free_text(schema.get("items")):
            return pit, _flow_message(pit)
    return None


def _comment_message(pit: Pitfall) -> str:
    fix = (
        f"quote the whole text: {json.dumps(pit.intended, ensure_ascii=False)}"
        if pit.intended
        else "quote the whole text"
    )
    return (
        f'an unquoted " #" starts a YAML comment, so this text ends at {pit.kept!r}; '
        f"{fix} (a comment goes on a line of its own)"
    )


def _flow_message(pit: Pitfall) -> str:
    shown = ", ".join(repr(item) for item in pit.items[:3]) + (
        ", ..." if len(pit.items) > 3 else ""
    )
    return (
        f"a [...] list of unquoted prose splits at every comma (YAML reads {len(pit.items)} "
        f'items here: {shown}); write one "- item" per line, or quote every item'
    )
