"""The data cache: an unchanged file is not parsed again, and nothing about the result changes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from oncall_docs.errors import DataError
from oncall_docs.model import cache as data_cache
from oncall_docs.model import load, load_handbook
from oncall_docs.model.cache import CACHE_NAME, DataCache
from oncall_docs.model.handbook import _FILES
from oncall_docs.model.load import validate_file
from oncall_docs.settings import Settings, build_cache_dir
from tests.conftest import UNUSABLE_FILE
from tests.model.test_load import ROOT, line_of, replace_once


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files parsed (read as YAML) from now on, in order."""
    seen: list[Path] = []
    original = load._parse

    def counting(text: str, path: Path) -> Any:
        seen.append(path)
        return original(text, path)

    monkeypatch.setattr(load, "_parse", counting)
    return seen


@pytest.mark.parametrize("shipped", [False, True], ids=["fixture-handbook", "project-data"])
def test_unchanged_files_are_not_parsed_again(
    data_dir: Path, tmp_path: Path, parses: list[Path], shipped: bool
) -> None:
    """The second load parses nothing and gives equal models; the cache is one JSON file."""
    data = ROOT / "data" if shipped else data_dir
    cache = tmp_path / "cache" / CACHE_NAME
    cold = load_handbook(data, cache=cache)
    parsed_cold = len(parses)
    warm = load_handbook(data, cache=cache)
    assert parsed_cold == len(cold.positions) > 20
    assert len(parses) == parsed_cold  # nothing parsed the second time
    assert warm.runbooks == cold.runbooks
    for attribute in _FILES:
        assert getattr(warm, attribute) == getattr(cold, attribute), attribute
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert set(stored) == {"version", "files"}
    assert len(stored["files"]) == len(cold.positions)


def test_changed_bytes_are_parsed_again(data_dir: Path, tmp_path: Path, parses: list[Path]) -> None:
    """Only the file whose bytes changed is parsed again, and its new content is what loads."""
    cache = tmp_path / CACHE_NAME
    load_handbook(data_dir, cache=cache)
    path = data_dir / "rotation.yaml"
    replace_once(path, "team: BitCell Platform Team", "team: BitCell Night Team")
    parses.clear()
    book = load_handbook(data_dir, cache=cache)
    assert parses == [path]
    assert book.rotation.team == "BitCell Night Team"
    parses.clear()
    assert load_handbook(data_dir, cache=cache).rotation == book.rotation
    assert parses == []  # the rewritten cache holds the old entries and the new one


def test_without_a_cache_every_file_is_parsed(data_dir: Path, parses: list[Path]) -> None:
    """No cache file given (the switch off): both loads parse everything."""
    first = len(load_handbook(data_dir).positions)
    load_handbook(data_dir)
    assert len(parses) == 2 * first


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"\xff\xfe not utf-8", id="not-utf8"),
        pytest.param(b'{"version": "', id="cut-short"),
        pytest.param(b"[]", id="not-a-mapping"),
        pytest.param(b'{"version": "other", "files": {}}', id="other-version"),
        pytest.param(b'{"files": []}', id="files-not-a-mapping"),
        pytest.param(b"", id="empty"),
        pytest.param(b"[" * 100_000, id="too-deep"),
    ],
)
def test_damaged_cache_is_ignored_and_rebuilt(
    data_dir: Path, tmp_path: Path, parses: list[Path], damage: bytes
) -> None:
    """A cache that is not ours is no cache: the load parses every file and writes a good one."""
    cache = tmp_path / CACHE_NAME
    cache.write_bytes(damage)
    book = load_handbook(data_dir, cache=cache)
    assert len(parses) == len(book.positions)
    assert json.loads(cache.read_bytes())["version"] == data_cache.version()


@pytest.mark.parametrize(
    "tampered",
    [
        pytest.param('{"tampered": true}', id="other-values"),
        pytest.param("{not json", id="not-json"),
        pytest.param({"tampered": True}, id="not-text"),
    ],
)
def test_entries_that_do_not_validate_are_parsed_again(
    data_dir: Path, tmp_path: Path, parses: list[Path], tampered: object
) -> None:
    """An entry changed behind our back (valid JSON, wrong values): the file is parsed and loads."""
    cache = tmp_path / CACHE_NAME
    cold = load_handbook(data_dir, cache=cache)
    stored = json.loads(cache.read_bytes())
    stored["files"] = {key: tampered for key in stored["files"]}
    cache.write_text(json.dumps(stored), encoding="utf-8")
    parses.clear()
    book = load_handbook(data_dir, cache=cache)
    assert len(parses) == len(book.positions)
    assert book.rotation == cold.rotation


def test_another_version_is_not_used(
    data_dir: Path, tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changed model source, PyYAML or pydantic (the version) means every file is parsed again."""
    cache = tmp_path / CACHE_NAME
    load_handbook(data_dir, cache=cache)
    parses.clear()
    monkeypatch.setattr(data_cache, "version", lambda: "another")
    book = load_handbook(data_dir, cache=cache)
    assert len(parses) == len(book.positions)


@pytest.mark.parametrize("blocker", UNUSABLE_FILE)
def test_unwritable_cache_never_fails_the_load(
    data_dir: Path, tmp_path: Path, blocker: Callable[[Path], Any]
) -> None:
    """A cache that cannot be read or written: the load succeeds as without one."""
    cache = tmp_path / "cache" / CACHE_NAME
    blocker(cache)
    assert load_handbook(data_dir, cache=cache).runbooks
    assert load_handbook(data_dir, cache=cache).runbooks


@pytest.mark.parametrize(
    ("edit", "victim", "needle", "message"),
    [
        pytest.param(
            ("severity.yaml", "  - id: P1\n", "  - id: P5\n"),
            "escalation.yaml",
            "severity: P1",
            r"paths\[0\]\.when\[0\]\.severity: unknown severity 'P1'",
            id="reference-into-cached-file",
        ),
        pytest.param(
            ("contacts.yaml", 'name: "#platform-team"', 'name: "#platform"'),
            "about.yaml",
            "questions_channel",
            r"questions_channel: unknown channel",
            id="channel-in-cached-file",
        ),
    ],
)
def test_errors_in_cached_files_name_the_right_line(
    data_dir: Path,
    tmp_path: Path,
    edit: tuple[str, str, str],
    victim: str,
    needle: str,
    message: str,
) -> None:
    """A cross-file error that lands in an unchanged (cached) file names its line, read on demand."""
    cache = tmp_path / CACHE_NAME
    load_handbook(data_dir, cache=cache)
    replace_once(data_dir / edit[0], edit[1], edit[2])
    with pytest.raises(DataError, match=message) as caught:
        load_handbook(data_dir, cache=cache)
    assert caught.value.path == data_dir / victim
    assert caught.value.line == line_of(data_dir / victim, needle)


def test_renamed_cached_runbook_names_its_id_line(data_dir: Path, tmp_path: Path) -> None:
    """The same bytes under another name (a cache hit) still fail on the line of their id."""
    cache = tmp_path / CACHE_NAME
    load_handbook(data_dir, cache=cache)
    runbooks = data_dir / "runbooks"
    shutil.copy(runbooks / "deployment-guide.yaml", runbooks / "deploy.yaml")
    with pytest.raises(DataError, match=r"deploy\.yaml:2: id: must match the file name 'deploy'"):
        load_handbook(data_dir, cache=cache)


class _Anything(BaseModel):
    """A model that takes any value, to reach values no data model accepts."""

    model_config = ConfigDict(extra="allow")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x: !!binary aGVsbG8=\n", id="bytes"),
        pytest.param("x: {1: one}\n", id="number-key"),
        pytest.param("x: .nan\n", id="nan"),
        pytest.param("x: !!set {a, b}\ny: &a [1]\nz: *a\n", id="set-and-alias"),
    ],
)
def test_values_json_cannot_keep_are_not_cached(
    text: str, tmp_path: Path, parses: list[Path]
) -> None:
    """Bytes, number keys or NaN would come back changed from JSON: such a file is parsed each time."""
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    store = DataCache.open(tmp_path / CACHE_NAME)
    first, _ = validate_file(path, _Anything, store)
    again, _ = validate_file(path, _Anything, store)
    assert len(parses) == (1 if "set" in text else 2)
    assert repr(again) == repr(first)


@pytest.mark.parametrize(
    ("enabled", "env", "on"),
    [
        pytest.param(True, {}, True, id="default-on"),
        pytest.param(False, {}, False, id="setting-off"),
        pytest.param(True, {"ONCALL_BUILD_CACHE": "0"}, False, id="env-0"),
        pytest.param(True, {"ONCALL_BUILD_CACHE": " Off "}, False, id="env-off"),
        pytest.param(True, {"ONCALL_BUILD_CACHE": "1"}, True, id="env-1"),
    ],
)
def test_switch(enabled: bool, env: dict[str, str], on: bool, tmp_path: Path) -> None:
    """`build_cache: false` or ONCALL_BUILD_CACHE=0 turns the data cache off."""
    settings = Settings(root=tmp_path, cache_dir=tmp_path, build_cache=enabled)
    where = DataCache.file_in(build_cache_dir(settings, env))
    assert where == (tmp_path / "data.json" if on else None)
