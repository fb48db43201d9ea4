"""libyaml's C composer reads data files exactly as PyYAML's pure-Python one did: values, lines, pitfalls, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oncall_docs.errors import DataError
from oncall_docs.model import load
from oncall_docs.model.load import read_yaml
from tests.model.composers import needs_libyaml, on_both

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = sorted((ROOT / "data").rglob("*.yaml"))
SNIPPETS = [
    pytest.param("a: é b\nb: [x y, z]  # c\nc: plain  # comment\n", id="pitfalls"),
    pytest.param("a: 1\r\nb: x # c\r\n", id="crlf"),
    pytest.param("\ufeffa: 1\n", id="bom"),
    pytest.param("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  z: 3\n", id="merge-key"),
    pytest.param("a: |\n  x\n  y\nb: 2026-01-05\nc: 09:00\n", id="block-and-dates"),
    pytest.param("- a\n- {b: [1, 2, {c: d}]}\n- 'q # x'\n", id="nested-flow"),
    pytest.param("a: \U0001f600 x #c\n", id="astral-char"),
]
BAD = [
    pytest.param("a: [\n", "expected the node content, but found '<stream end>'", id="unclosed"),
    pytest.param("a: b: c\n", "mapping values are not allowed here", id="mapping-in-plain"),
    pytest.param("a: *x\n", "found undefined alias 'x'", id="undefined-alias"),
    pytest.param("a:\n\t- b\n", "found character '\\t' that cannot start any token", id="tab"),
    pytest.param("- a\nb: 1\n", "expected <block end>, but found '?'", id="mixed"),
    pytest.param("a: 1\na: 2\n", "duplicate key", id="duplicate-key"),
]


def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(values, positions, pitfalls) of `path` with the C composer and with the Python one."""

    def read() -> tuple[Any, Any, Any]:
        value, positions = read_yaml(path)
        return value, positions._positions, positions.pitfalls

    return on_both(read, monkeypatch)


@needs_libyaml
@pytest.mark.parametrize("path", DATA_FILES, ids=[p.name for p in DATA_FILES])
def test_data_files_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every data file of the handbook gives the same values, lines and pitfalls on either composer."""
    fast, slow = _read_both(path, monkeypatch)
    assert fast == slow


@needs_libyaml
@pytest.mark.parametrize("text", SNIPPETS)
def test_tricky_yaml_reads_the_same(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comments, flow lists, CRLF, a BOM, merge keys and dates read the same on either composer."""
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    fast, slow = _read_both(path, monkeypatch)
    assert fast == slow


@needs_libyaml
def test_the_c_composer_is_used() -> None:
    """With libyaml installed, files are composed by CSafeLoader (the 20x faster path)."""
    import yaml

    assert load.FAST_LOADER is not None
    assert issubclass(load.FAST_LOADER, yaml.CSafeLoader)  # type: ignore[arg-type]


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(("text", "message"), BAD)
def test_errors_keep_pyyaml_messages(
    text: str, message: str, fast: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad file fails with PyYAML's own message and line, whichever composer read it first."""
    if not fast:
        monkeypatch.setattr(load, "FAST_LOADER", None)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_yaml(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{path}:2:") or str(caught.value).startswith(f"{path}:1:")


def test_unprintable_character_is_one_line(tmp_path: Path) -> None:
    """A control character PyYAML refuses is a DataError naming the file, not a traceback."""
    path = tmp_path / "bad.yaml"
    path.write_text("a: \x07\n", encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"bad\.yaml:1: invalid YAML: character #x0007: special characters are not allowed$",
    ):
        read_yaml(path)
