"""Multi-document files (Prometheus rule files) on libyaml: the values, positions and errors of PyYAML's loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oncall_docs.errors import DataError
from oncall_docs.model import load
from oncall_docs.model.load import read_yaml_documents
from tests.model.composers import needs_libyaml, on_both

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = sorted((ROOT / "monitoring").rglob("*.y*ml"))
GROUP = "groups:\n  - name: g{n}\n    rules:\n      - alert: A{n}\n        expr: up == 0\n        labels: {{severity: P2}}\n"
DOCUMENTS = [
    pytest.param(GROUP.format(n=1) + "---\n" + GROUP.format(n=2), id="two-documents"),
    pytest.param("---\n" + GROUP.format(n=1) + "---\n---\n" + GROUP.format(n=2) + "...\n", id="empty-documents"),
    pytest.param("a: &x {k: 1}\nb: *x\n---\nc: {<<: {m: 2}, n: 3}\n", id="aliases-and-merge"),
    pytest.param("\ufeffgroups: []\r\n---\r\nx: 2026-01-05\r\n", id="bom-crlf-dates"),
    pytest.param("", id="empty-file"),
]  # fmt: skip
BAD = [
    pytest.param(GROUP.format(n=1) + "---\na: [\n", "invalid YAML: expected the node content", id="syntax-in-second"),
    pytest.param(GROUP.format(n=1) + "---\na: 1\na: 2\n", "a: duplicate key", id="duplicate-key-in-second"),
    pytest.param("a: {{ $value }}\n", "keys must be text, not dict", id="template-unquoted"),
]  # fmt: skip


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The documents of `path` (values and positions) read with libyaml's composer, then with PyYAML's."""
    return on_both(
        lambda: [(value, where._positions) for value, where in read_yaml_documents(path)],
        monkeypatch,
    )


@needs_libyaml
@pytest.mark.parametrize("text", DOCUMENTS)
def test_documents_read_the_same(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each document's values and every position are the same on either composer."""
    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    fast, slow = _both(path, monkeypatch)
    assert fast == slow


@needs_libyaml
@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_shipped_rule_files_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's own rule files read the same on either composer."""
    fast, slow = _both(path, monkeypatch)
    assert fast == slow
    assert fast


@needs_libyaml
def test_rule_files_use_libyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A good rule file is composed by libyaml only (the pure-Python loader is not started)."""
    started: list[str] = []
    original = load._Loader.__init__

    def spy(self: Any, stream: str, path: Path) -> None:
        started.append(type(self).__name__)
        original(self, stream, path)

    monkeypatch.setattr(load._Loader, "__init__", spy)
    path = tmp_path / "rules.yml"
    path.write_text(GROUP.format(n=1) + "---\n" + GROUP.format(n=2), encoding="utf-8")
    assert len(read_yaml_documents(path)) == 2
    assert started == []


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(("text", "message"), BAD)
def test_errors_keep_pyyaml_messages(
    text: str, message: str, fast: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad document fails with PyYAML's message and line, whichever composer read it first."""
    if not fast:
        monkeypatch.setattr(load, "FAST_LOADER", None)
    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_yaml_documents(path)
    with monkeypatch.context() as patch:
        patch.setattr(load, "FAST_LOADER", None)
        with pytest.raises(DataError) as reference:
            read_yaml_documents(path)
    assert message in str(caught.value)
    assert str(caught.value) == str(reference.value)
