"""The lean walk (one pass, positions on demand) gives the values, errors, pitfalls and lines of the exact walk."""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, StringConstraints

from oncall_docs.errors import DataError
from oncall_docs.model import access, incidents, load, types
from oncall_docs.model.load import read_yaml, validate_file
from oncall_docs.model.types import Checklists, Guidance, Runbook

ROOT = Path(__file__).resolve().parents[2]
LOADERS = [
    pytest.param(load.FAST_LOADER, id="libyaml", marks=pytest.mark.skipif(load.FAST_LOADER is None, reason="no libyaml")),
    pytest.param(load._Loader, id="pure-python"),
]  # fmt: skip
GOOD = [
    pytest.param("a: 1\nb: [x, 2.5, true, null, ~]\n", id="scalars"),
    pytest.param("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  z: 3\n", id="merge-key"),
    pytest.param("1: one\n2: {3: three}\n", id="number-keys"),
    pytest.param("a: &x [1, 2]\nb: *x\nc: *x\n", id="aliases"),
    pytest.param("when: 2026-01-05\nat: 09:00\nstamp: 2026-01-05T09:00:00Z\n", id="dates"),
    pytest.param("a: Post in #incidents\nb: plain # cut\nc: 'q # x'\n", id="hashes"),
    pytest.param("a: [One thing, two]\nb: [x, y]\nc: ['quoted prose']\n", id="flow-lists"),
    pytest.param("l:\n  - {id: a}\n  - {id: a}\n  - {id: [b]}\n", id="duplicate-ids"),
    pytest.param("\ufeffa: 1\r\nb: x # c\r\n", id="bom-crlf"),
    pytest.param("a: .inf\nb: !!binary aGVsbG8=\nc: !!set {x, y}\n", id="exotic"),
    pytest.param("plain text at the top\n", id="scalar-document"),
    pytest.param("=: value\n", id="value-key"),
]
CLEAN_RUNBOOK = """\
id: rb
title: A runbook
summary: What to do.
sections:
  - id: one
    title: One
    steps: [Look, Act]
  - id: two
    steps:
      - Read the dashboard
    title: Two
    commands:
      - {id: c, description: Logs, command: "docker compose logs | grep -i error"}
"""
BAD = [
    pytest.param("a:\n  b: 1\n  b: 2\n", "3: a.b: duplicate key (it is already set above)", id="duplicate-key"),
    pytest.param("1:\n  x: 1\n  x: 2\n", "3: [1].x: duplicate key", id="duplicate-under-number-key"),
    pytest.param("a:\n  [x]: 1\n", "2: a: keys must be text, not list", id="list-key"),
    pytest.param("a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n", "", id="small-aliases-ok"),
    pytest.param("a: {b: !!float x, <<: 1}\n", "expected a mapping or list of mappings for merging", id="bad-merge-after-bad-float"),
    pytest.param("a: !custom x\n", "could not determine a constructor", id="unknown-tag"),
]  # fmt: skip


def _exactly(loader: Any, text: str, path: Path) -> tuple[Any, Any, Any]:
    """Values, every position and the pitfalls, as the exact walk records them."""
    value, positions, _ = load._read_exactly(loader, text, path)
    return value, positions._positions, positions.pitfalls


def _outcome(read: Callable[[], Any]) -> str:
    try:
        read()
    except (DataError, yaml.YAMLError, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    return "ok"


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("text", GOOD)
def test_lean_walk_reads_as_the_exact_walk(loader: Any, text: str, tmp_path: Path) -> None:
    """Values, positions (read on demand) and pitfalls equal the exact walk's, on either composer."""
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    value, positions, _ = load._read(loader, path.read_text(encoding="utf-8"), path)
    lean = (value, positions._positions, positions.pitfalls)
    assert lean == _exactly(loader, path.read_text(encoding="utf-8"), path)


@pytest.mark.parametrize(("text", "message"), BAD)
def test_errors_are_the_exact_walks(text: str, message: str, tmp_path: Path) -> None:
    """A file the lean walk cannot take fails with the exact walk's message, file and line."""
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    got = _outcome(lambda: read_yaml(path))
    exact = _outcome(lambda: load._read_exactly(load._Loader, text, path))
    assert message in got
    assert got == exact


def test_alias_bomb_keeps_its_bound(tmp_path: Path) -> None:
    """More than MAX_VALUES values is the same one-line error, at the line the exact walk names."""
    path = tmp_path / "x.yaml"
    path.write_text(
        "a: &a [" + ", ".join(["x"] * 400) + "]\n" + "b: [" + ", ".join(["*a"] * 300) + "]\n"
    )
    with pytest.raises(DataError, match=r"x\.yaml:1: expands to more than 100,000 values"):
        read_yaml(path)


def test_clean_file_is_walked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean runbook: no exact walk, no pitfall walk, no model walk for ids, and no positions yet."""
    calls: list[str] = []

    def counting(name: str) -> Callable[..., Any]:
        original = getattr(load, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return original(*args, **kwargs)

        return call

    for name in ("_construct", "find_pitfalls", "check_unique_ids"):
        monkeypatch.setattr(load, name, counting(name))
    path = tmp_path / "rb.yaml"
    path.write_text(CLEAN_RUNBOOK, encoding="utf-8")
    _, positions = validate_file(path, Runbook)
    assert calls == []
    assert positions.at(("sections", 1, "steps", 0)) == (10, 9)
    assert set(calls) == {"_construct"}  # the positions are read when a line is first asked for


@pytest.mark.parametrize(
    ("text", "error"),
    [
        pytest.param("checklists:\n  - id: a\n    title: A\n    when: W\n    items:\n      - {id: x, text: X}\n      - {id: x, text: Y}\n", r"x\.yaml:7: checklists\[0\]\.items\[1\]\.id: duplicate id 'x' \(first used on line 6\)", id="same-list"),
        pytest.param("checklists:\n  - id: a\n    title: A\n    when: W\n    items: [{id: x, text: X}]\n  - id: b\n    title: B\n    when: W\n    items: [{id: x, text: X}]\n", None, id="other-lists"),
        pytest.param("checklists:\n  - id: a\n    title: A\n    when: W\n    items: [{id: x, text: X}]\n  - id: a\n    title: B\n    when: W\n    items: [{id: y, text: Y}]\n", r"x\.yaml:6: checklists\[1\]\.id: duplicate id 'a' \(first used on line 2\)", id="outer-list"),
    ],
)  # fmt: skip
def test_duplicate_ids_still_found(text: str, error: str | None, tmp_path: Path) -> None:
    """Two items of one list with one id fail on the line of the second; one id in two lists is fine."""
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    if error is None:
        assert validate_file(path, Checklists)[0].checklists[1].items[0].id == "x"
        return
    with pytest.raises(DataError, match=error):
        validate_file(path, Checklists)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("lists:\n  - id: a\n    title: A\n    items:\n      - Post in #incidents\n", "5: lists[0].items[0]: an unquoted", id="comment"),
        pytest.param("lists:\n  - id: a\n    title: A\n    items: [Be kind, not nice]\n", "4: lists[0].items: a [...] list", id="flow"),
    ],
)  # fmt: skip
def test_pitfalls_still_found(text: str, where: str, tmp_path: Path) -> None:
    """A cut comment or a split flow list is still an error naming its line and field."""
    path = tmp_path / "guidance.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        validate_file(path, Guidance)
    assert str(caught.value).startswith(f"{path}:{where}")


@pytest.mark.parametrize(
    "value",
    ["", "yes", "No", "ON", "1", "-1", "+1", "0x1F", "0o17", "1_000", "1.5", ".inf", "-.Inf", ".NaN",
     "~", "null", "Null", "2026-01-01", "2026-01-01 09:00:00", "<<", "=", "plain", "Yes we can", "12:30:00", ":"],
)  # fmt: skip
def test_fast_resolver_matches_pyyaml(value: str) -> None:
    """Plain, quoted and collection nodes get the tags PyYAML's own resolver gives them."""
    ours, theirs = load._Loader("", Path("x")), yaml.SafeLoader("")
    for kind, implicit in (
        (yaml.ScalarNode, (True, False)),
        (yaml.ScalarNode, (False, True)),
        (yaml.SequenceNode, (True, False)),
        (yaml.MappingNode, (True, False)),
    ):
        assert ours.resolve(kind, value, implicit) == theirs.resolve(kind, value, implicit)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"a: 1\r\nb: x\rc: y\n", id="crlf-and-cr"),
        pytest.param(b"\xef\xbb\xbfa: 1\n", id="bom"),
        pytest.param(b"a: 1\n" + b"x" * 20_000 + b"\xff\n", id="not-utf8-late"),
    ],
)
def test_bytes_decode_as_read_text(data: bytes, tmp_path: Path) -> None:
    """Bytes read once (for the cache key) decode to read_text's text, or fail with its message."""
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    try:
        expected = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        with pytest.raises(
            DataError, match=rf"x\.yaml: cannot read the file: {re.escape(str(error))}$"
        ):
            load._read_text(path)
        return
    assert load._read_text(path) == expected


def _models_with_ids() -> list[type[BaseModel]]:
    """Every data model class that has an `id` field."""
    found = []
    for module in (types, access, incidents):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            mine = issubclass(cls, BaseModel) and cls.__module__ == module.__name__
            if mine and "id" in cls.model_fields:
                found.append(cls)
    return found


@pytest.mark.parametrize("model", _models_with_ids(), ids=lambda model: model.__name__)
def test_ids_are_kept_as_written(model: type[BaseModel]) -> None:
    """The duplicate-id screen reads raw ids, so a model's id must be text as written: a pattern, no change."""
    field = model.model_fields["id"]
    metadata = list(field.metadata)
    for arg in typing.get_args(field.annotation):  # `Slug | None`
        metadata += getattr(arg, "__metadata__", ())
    assert metadata
    for constraint in metadata:
        assert isinstance(constraint, StringConstraints), constraint
        assert not constraint.strip_whitespace
        assert not constraint.to_lower
        assert not constraint.to_upper
