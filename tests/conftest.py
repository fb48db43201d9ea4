"""Shared fixtures: the fixture handbook, in-process builds, and a few real `mkdocs build` runs.

- `tests/fixtures/handbook/` is a small, complete handbook (config, pages that call every
  macro, one or a few entries per data file). Unit and build tests run against it, so editing
  the shipped handbook's content never breaks them. `handbook_project`/`data_dir` are private
  copies of it, safe to edit; `build_in_process` builds one with MkDocs' own `build()`.
- The shipped site (`copy_project`, `built_site`, `run_mkdocs_build`) is for the few tests about
  the project's own content and the end-to-end runs of the real `mkdocs` command.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from unittest import mock

import jinja2
import jinja2.bccache
import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.theme import Theme

from oncall_docs.model import Handbook, load_handbook
from tests.fakes.loopback import serving
from tests.fakes.web import FakeWeb

pytest_plugins = ["tests.fakes.pd_fixtures"]  # the fake PagerDuty: pd_ca, pd_server, fake_pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "overrides", "monitoring")
HANDBOOK = ROOT / "tests" / "fixtures" / "handbook"
HANDBOOK_DATA = HANDBOOK / "data"


@dataclass
class BuildResult:
    """What a real `mkdocs build` run left behind."""

    returncode: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        """The HTML of a built page, e.g. `severity/index.html`."""
        return (self.site / path).read_text(encoding="utf-8")


def copy_project(target: Path) -> Path:
    """Copy the project's site sources (config, pages, data, overrides) into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        elif src.exists():
            shutil.copy2(src, target / part)
    return target


def run_mkdocs_build(project: Path, *args: str, env: dict[str, str] | None = None) -> BuildResult:
    """Run a real `mkdocs build --strict` in a subprocess, as a user would."""
    site = project / "site"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PAGERDUTY_")}
    full_env.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
        check=False,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


def copy_handbook(target: Path) -> Path:
    """Copy the fixture handbook (config, pages, data); its theme overrides are the project's."""
    shutil.copytree(HANDBOOK, target)
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "custom_dir: ../../../overrides\n" in text
    config.write_text(
        text.replace("custom_dir: ../../../overrides", f"custom_dir: {ROOT / 'overrides'}"),
        encoding="utf-8",
    )
    return target


MACROS_PLUGIN = "  - macros:\n      on_error_fail: true\n      on_undefined: strict\n"


def with_macros_plugin(project: Path, entry: str = MACROS_PLUGIN) -> Path:
    """List mkdocs-macros before `oncall` in the project's mkdocs.yml (it then renders the pages)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - oncall:\n" in text
    assert "- macros" not in text
    config.write_text(text.replace("  - oncall:\n", entry + "  - oncall:\n", 1), encoding="utf-8")
    return project


def with_oncall_setting(project: Path, setting: str) -> Path:
    """Add `setting` (YAML lines indented for the plugin's options) to the `oncall` plugin."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - oncall:\n" in text
    config.write_text(text.replace("  - oncall:\n", "  - oncall:\n" + setting, 1), "utf-8")
    return project


UNUSABLE_FILE = [  # a cache file that can be neither read nor written (for parametrize)
    pytest.param(lambda file: file.mkdir(parents=True), id="file-is-a-folder"),
    pytest.param(lambda file: file.parent.write_text("a file"), id="folder-is-a-file"),
]


@cache
def fixture_handbook() -> Handbook:
    """The fixture handbook's data, loaded once (the model is frozen, so sharing it is safe)."""
    return load_handbook(HANDBOOK_DATA)


class _Lines(logging.Handler):
    """Log records as `mkdocs` prints them: `WARNING -  message`."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<7} -  {record.getMessage()}")


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled theme templates kept across in-process builds (keyed by name and source checksum)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()
_TEMPLATE_LISTS: dict[tuple[object, ...], list[str]] = {}


def _theme_env(theme: Theme) -> jinja2.Environment:
    """MkDocs' theme environment, minus the work every build repeats on the same theme files.

    Compiled templates and the theme's file list (Material ships thousands of icons) are
    shared between builds of this session; the theme and overrides do not change in a run.
    """
    env = _ORIGINAL_GET_ENV(theme)
    env.bytecode_cache = _BYTECODE
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    searchpath = tuple(str(p) for p in loader.searchpath)
    list_templates = env.list_templates

    def cached_list(
        extensions: Collection[str] | None = None,
        filter_func: Callable[[str], bool] | None = None,
    ) -> list[str]:
        # MkDocs' filter (add_files_from_theme) is a closure over the config; its code and the
        # theme's static templates are the same for every build of these projects.
        key = (searchpath, tuple(extensions or ()), getattr(filter_func, "__code__", None))
        if key not in _TEMPLATE_LISTS:
            _TEMPLATE_LISTS[key] = list_templates(extensions, filter_func)
        return list(_TEMPLATE_LISTS[key])

    env.list_templates = cached_list  # type: ignore[method-assign]
    return env


_ORIGINAL_GET_ENV = Theme.get_env


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """os.environ without PAGERDUTY_* variables, plus `env`, for the duration of a build."""
    saved = dict(os.environ)
    for key in [k for k in os.environ if k.startswith("PAGERDUTY_")]:
        del os.environ[key]
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build_in_process(project: Path, *args: str, env: dict[str, str] | None = None) -> BuildResult:
    """Build `project` in this process as `mkdocs build --strict [args]` would; 1 on an abort.

    `args` may be `--no-strict` and `--site-dir DIR`, as for `run_mkdocs_build`. The output is
    the log lines (as the command prints them) and, on failure, the error's message. A
    traceback cannot be seen here; the subprocess tests check that.
    """
    strict = "--no-strict" not in args
    site = Path(args[args.index("--site-dir") + 1]) if "--site-dir" in args else project / "site"
    unknown = set(args) - {"--no-strict", "--strict", "--site-dir", str(site)}
    assert not unknown, f"build_in_process does not know {unknown}"
    handler = _Lines()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    returncode, error = 0, ""
    try:
        with (
            _environment({"NO_MKDOCS_2_WARNING": "1", **(env or {})}),
            mock.patch.object(Theme, "get_env", _theme_env),
        ):
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=strict)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.plugins.on_shutdown()
    except (Abort, ConfigurationError, PluginError) as caught:
        returncode, error = 1, f"Error: {caught}"
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return BuildResult(returncode, "\n".join([*handler.lines, error]), site)


@pytest.fixture(scope="session", autouse=True)
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """XDG_CACHE_HOME in a temp folder for the session: no test, nor a build it starts, writes home.

    The package keeps its compiled fragments in the user's cache (render.environment);
    subprocess builds inherit os.environ, so they use this folder too.
    """
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture
def handbook_project(tmp_path: Path) -> Path:
    """A private copy of the fixture handbook, safe to edit."""
    return copy_handbook(tmp_path / "handbook")


@pytest.fixture
def project(handbook_project: Path) -> Path:
    """A private copy of the fixture handbook (the project the build tests change)."""
    return handbook_project


@pytest.fixture
def data_dir(handbook_project: Path) -> Path:
    """The data/ folder of a private copy of the fixture handbook."""
    return handbook_project / "data"


@pytest.fixture
def build() -> Callable[..., BuildResult]:
    """Build a project copy in this process (`build_in_process`)."""
    return build_in_process


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The project's own site, built once per session from an untouched copy."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_mkdocs_build(project)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def fake_web_server() -> Iterator[FakeWeb]:
    """The fake web of tests/fakes/web.py on 127.0.0.1, one per session."""
    server = FakeWeb()  # already bound and listening, so no readiness wait
    with serving(server):
        yield server


@pytest.fixture
def fake_web(fake_web_server: FakeWeb) -> FakeWeb:
    """The session's fake web, with no requests seen yet."""
    fake_web_server.reset()
    return fake_web_server
