"""site.prepare() keeps the data cache in the configured cache folder, unless the switch is off."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from oncall_docs.settings import Settings, read_settings
from oncall_docs.site import prepare

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("build_cache", "env", "written"),
    [
        pytest.param(True, None, True, id="on"),
        pytest.param(False, None, False, id="setting-off"),
        pytest.param(True, "0", False, id="env-off"),
    ],
)
def test_prepare_writes_data_cache(
    handbook_project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    build_cache: bool,
    env: str | None,
    written: bool,
) -> None:
    """`<cache_dir>/data.json` after a build; none with `build_cache: false` or ONCALL_BUILD_CACHE=0."""
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    if env is None:
        monkeypatch.delenv("ONCALL_BUILD_CACHE", raising=False)
    else:
        monkeypatch.setenv("ONCALL_BUILD_CACHE", env)
    base = read_settings(handbook_project / "mkdocs.yml")
    cache = tmp_path / "cache"
    settings = Settings(**{**base.__dict__, "cache_dir": cache, "build_cache": build_cache})
    parts = prepare(settings, handbook_project, NOW)
    assert parts.handbook.runbooks
    assert (cache / "data.json").is_file() is written
