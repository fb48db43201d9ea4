"""The package's fragments compiled once per user: the user's cache, shared by every project."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from oncall_docs.render import bytecode
from oncall_docs.render.environment import (
    ENVIRONMENT,
    attach_package_cache,
    installation_stamp,
    make_environment,
    package_cache_folder,
)
from oncall_docs.settings import Settings, build_cache_dir
from tests.conftest import BuildResult, copy_handbook, with_oncall_setting

Build = Callable[..., BuildResult]
LIST = {"items": ["a <b>"], "ordered": False, "list_id": "x"}  # list.html's context


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache for this test: `$XDG_CACHE_HOME/oncall-docs/jinja`."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "oncall-docs" / "jinja"


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> dict[int, list[str | None]]:
    """Names compiled by each environment (keyed by id), counted at `Environment.compile`."""
    seen: dict[int, list[str | None]] = {}
    original = jinja2.Environment.compile

    def counted(env: jinja2.Environment, source: str, name: str | None = None, *a: Any) -> Any:
        seen.setdefault(id(env), []).append(name)
        return original(env, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return seen


def cached(folder: Path) -> list[Path]:
    """The compiled templates in a cache folder."""
    return sorted(folder.glob("*.cache"))


@pytest.mark.skipif(sys.platform != "linux", reason="XDG is the Linux convention")
@pytest.mark.parametrize(
    ("xdg", "expected"),
    [
        pytest.param("{tmp}/xdg", "{tmp}/xdg/oncall-docs/jinja", id="xdg-cache-home"),
        pytest.param(None, "{tmp}/home/.cache/oncall-docs/jinja", id="unset-home-cache"),
        pytest.param("", "{tmp}/home/.cache/oncall-docs/jinja", id="empty-home-cache"),
    ],
)
def test_folder_honours_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xdg: str | None, expected: str
) -> None:
    """`$XDG_CACHE_HOME/oncall-docs/jinja`; unset or empty: `~/.cache/oncall-docs/jinja`."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg.format(tmp=tmp_path))
    assert package_cache_folder() == Path(expected.format(tmp=tmp_path))


def test_fresh_clone_loads_compiled_fragments(
    tmp_path: Path, user_cache: Path, compiled: dict[int, list[str | None]]
) -> None:
    """A new environment, for a project whose cache is empty, compiles no fragment compiled before."""
    first = attach_package_cache(make_environment())
    html = first.get_template("list.html").render(**LIST)
    assert "a &lt;b&gt;" in html
    assert len(cached(user_cache)) == len(compiled[id(first)]) >= 1
    clone = Settings(root=tmp_path / "clone", cache_dir=tmp_path / "clone" / ".cache" / "oncall")
    clone.cache_dir.mkdir(parents=True)
    second = attach_package_cache(make_environment(), enabled=build_cache_dir(clone) is not None)
    assert second.get_template("list.html").render(**LIST) == html
    assert id(second) not in compiled
    assert list(clone.cache_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("edit", "recompiled"),
    [
        pytest.param(False, [], id="unchanged-loaded"),
        pytest.param(True, ["t.html"], id="edited-recompiled"),
    ],
)
def test_edited_template_is_compiled_again(
    user_cache: Path, compiled: dict[int, list[str | None]], edit: bool, recompiled: list[str]
) -> None:
    """The source's checksum keys the code: an edited template (another checkout) compiles anew."""
    sources = {"t.html": "<p>{{ who }}</p>", "u.html": "<i>{{ who }}</i>"}
    first = attach_package_cache(make_environment())
    first.loader = jinja2.DictLoader(sources)
    assert first.get_template("t.html").render(who="a") == "<p>a</p>"
    assert first.get_template("u.html").render(who="a") == "<i>a</i>"
    if edit:
        sources["t.html"] = "<p>{{ who }}!</p>"
    second = attach_package_cache(make_environment())
    second.loader = jinja2.DictLoader(sources)
    assert second.get_template("t.html").render(who="a") == ("<p>a!</p>" if edit else "<p>a</p>")
    assert second.get_template("u.html").render(who="a") == "<i>a</i>"
    assert compiled.get(id(second), []) == recompiled


@pytest.mark.parametrize(
    ("salt", "loaded"),
    [
        pytest.param(None, True, id="this-installation"),
        pytest.param("another-installation", False, id="other-installation"),
        pytest.param("", False, id="unsalted-project-cache"),
    ],
)
def test_other_installations_never_share_code(
    user_cache: Path, compiled: dict[int, list[str | None]], salt: str | None, loaded: bool
) -> None:
    """Keys are salted with the installation (version, folder, Python, environment.py)."""
    writer = make_environment()
    bytecode.attach(writer, user_cache, salt=installation_stamp() if salt is None else salt)
    writer.get_template("list.html").render(**LIST)
    reader = attach_package_cache(make_environment())
    reader.get_template("list.html").render(**LIST)
    assert (id(reader) not in compiled) is loaded
    assert len(installation_stamp()) == 16


def _shout(value: object) -> object:
    """A finalize: applied to constants when compiling, so the code depends on it."""
    return str(value).upper()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"finalize": _shout}, id="finalize"),
        pytest.param({"variable_start_string": "[["}, id="delimiter"),
        pytest.param({"trim_blocks": True}, id="whitespace"),
    ],
)
def test_fingerprint_covers_compile_settings(change: dict[str, Any]) -> None:
    """A setting the compiled code depends on changes the fingerprint that salts the keys."""
    changed = make_environment()
    for name, value in change.items():
        setattr(changed, name, value)
    assert bytecode.fingerprint(changed) != bytecode.fingerprint(make_environment())


def test_cache_holds_code_not_values(user_cache: Path) -> None:
    """Only compiled code is kept: no rendered value (a token, a project path) reaches the folder."""
    env = attach_package_cache(make_environment())
    secret = ["pd-token-0123456789", "/home/someone/handbook/data/faq.yaml"]
    assert "pd-token-0123456789" in env.get_template("list.html").render(
        items=secret, ordered=True, list_id="x"
    )
    assert {p.suffix for p in user_cache.iterdir()} == {".cache"}
    assert user_cache.stat().st_mode & 0o077 == 0  # private: its code is loaded and run
    for path in cached(user_cache):
        assert not any(value.encode() in path.read_bytes() for value in secret)


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param("xdg-is-a-file", id="cannot-make-the-folder"),
        pytest.param("folder-became-a-file", id="cannot-write"),
        pytest.param("entry-became-a-folder", id="cannot-read"),
        pytest.param("read-only", id="read-only-dir"),
        pytest.param("sysfs", id="not-writable-even-by-root"),
    ],
)
def test_unusable_user_cache_still_renders(
    user_cache: Path, monkeypatch: pytest.MonkeyPatch, break_it: str
) -> None:
    """A user cache that cannot be made, written or read is no cache: fragments still render."""
    if break_it == "read-only" and os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder (see not-writable-even-by-root)")
    if break_it == "sysfs":
        if not Path("/sys/kernel").is_dir():
            pytest.skip("no sysfs")
        monkeypatch.setenv("XDG_CACHE_HOME", "/sys/kernel")  # mkdir: EPERM, even for root
    expected = make_environment().get_template("list.html").render(**LIST)
    xdg = user_cache.parent.parent
    if break_it == "xdg-is-a-file":
        xdg.write_text("", encoding="utf-8")
    elif break_it == "entry-became-a-folder":
        attach_package_cache(make_environment()).get_template("list.html").render(**LIST)
        for entry in cached(user_cache):
            entry.unlink()
            entry.mkdir()  # opening it for reading fails
    elif break_it == "read-only":
        user_cache.mkdir(parents=True)
        user_cache.chmod(0o500)
    env = attach_package_cache(make_environment())
    if break_it == "folder-became-a-file":
        shutil.rmtree(user_cache)
        user_cache.write_text("", encoding="utf-8")  # nothing can be written inside
    assert env.get_template("list.html").render(**LIST) == expected
    if break_it == "read-only":
        assert cached(user_cache) == []


@pytest.mark.parametrize(
    ("setting", "env"),
    [
        pytest.param("      build_cache: false\n", {}, id="setting"),
        pytest.param("", {"ONCALL_BUILD_CACHE": "0"}, id="environment"),
    ],
)
def test_switch_off_writes_no_user_cache(
    project: Path, build: Build, user_cache: Path, setting: str, env: dict[str, str]
) -> None:
    """`build_cache: false` or ONCALL_BUILD_CACHE=0: the build keeps no fragment in the user cache."""
    with_oncall_setting(project, setting)
    result = build(project, env=env)
    assert result.returncode == 0, result.output
    assert 'data-checklist="before-48h"' in (result.site / "preparation" / "index.html").read_text(
        "utf-8"
    )
    assert not user_cache.parent.parent.exists()


def test_fresh_clone_build_compiles_no_fragment(
    tmp_path: Path, build: Build, user_cache: Path, compiled: dict[int, list[str | None]]
) -> None:
    """A second project (empty .cache/) loads every fragment; its cache holds its pages only."""
    if ENVIRONMENT.cache is not None:
        ENVIRONMENT.cache.clear()  # as in a new process: earlier tests compiled fragments
    first = build(copy_handbook(tmp_path / "first"))
    assert first.returncode == 0, first.output
    fragments = compiled.pop(id(ENVIRONMENT), [])
    assert len(cached(user_cache)) == len(fragments) > 5
    if ENVIRONMENT.cache is not None:
        ENVIRONMENT.cache.clear()
    clone = copy_handbook(tmp_path / "clone")
    second = build(clone)
    assert second.returncode == 0, second.output
    assert id(ENVIRONMENT) not in compiled
    project_jinja = clone / ".cache" / "oncall" / "jinja"
    assert [p.name for p in project_jinja.iterdir()] == ["pages"]
    assert cached(project_jinja / "pages")
