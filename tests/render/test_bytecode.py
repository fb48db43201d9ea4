"""The fragments' bytecode cache: where it goes, the switch, and no compile on a second build."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_docs.render import bytecode
from oncall_docs.render.environment import make_environment
from oncall_docs.settings import Settings, build_cache_dir
from tests.render.compiles import Compiles


@pytest.mark.parametrize(
    ("enabled", "environ", "expected"),
    [
        pytest.param(True, {}, "cache/jinja", id="default-on"),
        pytest.param(True, {"ONCALL_BUILD_CACHE": "1"}, "cache/jinja", id="env-on"),
        pytest.param(True, {"ONCALL_BUILD_CACHE": "0"}, None, id="env-off"),
        pytest.param(True, {"ONCALL_BUILD_CACHE": " Off "}, None, id="env-off-words"),
        pytest.param(False, {}, None, id="setting-off"),
    ],
)
def test_cache_folder_switch(enabled: bool, environ: dict[str, str], expected: str | None) -> None:
    """`build_cache: false` or ONCALL_BUILD_CACHE=0 turn the cache off; else cache_dir/jinja."""
    settings = Settings(root=Path(), cache_dir=Path("cache"), build_cache=enabled)
    folder = bytecode.cache_folder(build_cache_dir(settings, environ))
    assert folder == (Path(expected) if expected else None)


def test_fragments_compile_once_across_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh fragment environment on the same folder loads every template it compiled before."""
    folder = tmp_path / "jinja" / "fragments"
    first = bytecode.attach(make_environment(), folder)
    html = first.get_template("list.html").render(items=["a <b>"], ordered=False, list_id="x")
    assert "a &lt;b&gt;" in html
    assert list(folder.glob("*.cache"))
    second = bytecode.attach(make_environment(), folder)
    compiled = Compiles(second, monkeypatch).names
    assert second.get_template("list.html").render(items=["a <b>"], ordered=False, list_id="x") == (
        html
    )
    assert compiled == []


def test_fragments_and_pages_have_different_fingerprints() -> None:
    """Autoescaped fragments and plain pages never share compiled code, even under one name."""
    pages = make_environment()
    pages.autoescape = False
    assert bytecode.fingerprint(make_environment()) != bytecode.fingerprint(pages)


def test_unwritable_folder_is_no_cache(tmp_path: Path) -> None:
    """A cache folder that cannot be created leaves the environment without a cache."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    env = bytecode.attach(make_environment(), tmp_path / "file" / "jinja")
    assert env.bytecode_cache is None
    assert env.get_template("list.html").render(items=["a"], ordered=False, list_id="x")
