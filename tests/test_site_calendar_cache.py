"""site.prepare() keeps the calendars' texts in the build-cache folder: a warm rebuild skips icalendar."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from oncall_docs.settings import Settings, read_settings
from oncall_docs.site import SiteParts, prepare
from tests.conftest import ROOT
from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pd_fixtures import TOKEN

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
# A second build in a fresh interpreter: which calendars it published, and whether it
# imported icalendar to do so.
WARM = """
import json, sys
from datetime import datetime
from pathlib import Path
from oncall_docs.settings import Settings, read_settings
from oncall_docs.site import prepare
project, cache = Path(sys.argv[1]), Path(sys.argv[2])
base = read_settings(project / "mkdocs.yml")
settings = Settings(**{**base.__dict__, "cache_dir": cache})
parts = prepare(settings, project, datetime.fromisoformat(sys.argv[3]))
calendars = {uri: text for uri, text in parts.files.items() if uri.endswith(".ics")}
print(json.dumps({"icalendar": "icalendar" in sys.modules, "calendars": calendars}))
"""


def settings_for(project: Path, cache: Path, **changes: object) -> Settings:
    """The project's settings, with the build caches in `cache`."""
    base = read_settings(project / "mkdocs.yml")
    return Settings(**{**base.__dict__, "cache_dir": cache, **changes})


def calendars(parts: SiteParts) -> dict[str, str | bytes]:
    """The published .ics files: `oncall.ics` and the personal feeds."""
    return {uri: text for uri, text in parts.files.items() if uri.endswith(".ics")}


@pytest.fixture
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """An offline build with the build caches on."""
    for name in ("PAGERDUTY_API_TOKEN", "ONCALL_BUILD_CACHE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_token")
def test_warm_rebuild_publishes_the_same_calendars_without_icalendar(
    handbook_project: Path, tmp_path: Path, user_cache_home: Path
) -> None:
    """In a fresh interpreter, the second build's calendars are byte-identical and icalendar stays out."""
    cache = tmp_path / "cache"
    cold = calendars(prepare(settings_for(handbook_project, cache), handbook_project, NOW))
    assert len(cold) > 1  # oncall.ics and at least one personal feed
    assert (cache / "calendars.json").is_file()
    out = subprocess.run(
        [sys.executable, "-c", WARM, str(handbook_project), str(cache), NOW.isoformat()],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(user_cache_home)},  # not the home's
        cwd=ROOT,
    )
    warm = json.loads(out.stdout)
    assert warm == {"icalendar": False, "calendars": cold}


@pytest.mark.usefixtures("no_token")
def test_changed_shifts_are_written_again(handbook_project: Path, tmp_path: Path) -> None:
    """A renamed person in the snapshot: the warm build's calendars carry the new name."""
    cache = tmp_path / "cache"
    settings = settings_for(handbook_project, cache)
    cold = calendars(prepare(settings, handbook_project, NOW))
    snapshot = settings.offline_snapshot
    text = snapshot.read_text(encoding="utf-8")
    name = json.loads(text)["shifts"][0]["user"]["name"]
    snapshot.write_text(text.replace(name, "Renamed Person"), encoding="utf-8")
    warm = calendars(prepare(settings, handbook_project, NOW))
    assert warm["oncall.ics"] != cold["oncall.ics"]
    assert "Renamed Person" in str(warm["oncall.ics"])
    assert name not in str(warm["oncall.ics"])


@pytest.mark.usefixtures("no_token")
@pytest.mark.parametrize(
    ("build_cache", "switch"),
    [pytest.param(False, "1", id="setting-off"), pytest.param(True, "0", id="env-off")],
)
def test_switch_off_keeps_no_calendar_file(
    handbook_project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    build_cache: bool,
    switch: str,
) -> None:
    """`build_cache: false` or ONCALL_BUILD_CACHE=0: calendars published, no calendars.json."""
    monkeypatch.setenv("ONCALL_BUILD_CACHE", switch)
    cache = tmp_path / "cache"
    settings = settings_for(handbook_project, cache, build_cache=build_cache)
    parts = prepare(settings, handbook_project, NOW)
    assert "oncall.ics" in parts.files
    assert not (cache / "calendars.json").exists()


def test_token_is_not_in_the_calendar_cache(
    handbook_project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_pd: FakePagerDuty,
) -> None:
    """A live build (fake PagerDuty, a token in the environment): calendars.json never holds it."""
    monkeypatch.delenv("ONCALL_BUILD_CACHE", raising=False)
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", TOKEN)
    monkeypatch.setenv("PAGERDUTY_API_URL", fake_pd.url)
    monkeypatch.setenv("PAGERDUTY_ESCALATION_POLICY_ID", "PBCPOL1")
    cache = tmp_path / "cache"
    parts = prepare(settings_for(handbook_project, cache), handbook_project, NOW)
    assert any("live" in line for line in parts.info), parts.info
    stored = (cache / "calendars.json").read_text(encoding="utf-8")
    assert json.loads(stored)["calendars"]
    assert TOKEN not in stored
    assert TOKEN[-8:] not in stored
