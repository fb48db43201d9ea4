"""site.prepare() and My shift: the macro, the per-person feeds, the banner's link, in-process."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oncall_docs.settings import Settings, read_settings
from oncall_docs.site import SiteParts, prepare
from tests.conftest import ROOT

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "html-files"])
def parts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SiteParts:
    """The project's site parts, offline, with and without directory URLs."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("PAGERDUTY_API_TOKEN", raising=False)
        base = read_settings(ROOT / "mkdocs.yml")
        settings = Settings(**{**base.__dict__, "cache_dir": tmp_path_factory.mktemp("cache")})
        parts = prepare(settings, ROOT, NOW, use_directory_urls=request.param)
        parts.channel.begin("my-shift.md")
        return parts


def test_a_feed_per_scheduled_person(parts: SiteParts) -> None:
    """oncall/<PagerDuty user id>.ics for everyone with a shift; the team feed stays."""
    feeds = sorted(uri for uri in parts.files if uri.startswith("oncall/"))
    assert feeds == [
        f"oncall/{uid}.ics"
        for uid in sorted(["PALICE1", "PBRUNO2", "PCHIDI3", "PDANA04", "PEITAN5", "PFARAH6"])
    ]
    assert "oncall.ics" in parts.files


def test_feed_links_follow_the_page(parts: SiteParts) -> None:
    """The calendar links reach site/oncall/ from the page, however URLs are built."""
    html = str(parts.macros["my_shift"]("everyone"))
    directory = 'href="../oncall/PALICE1.ics"' in html
    flat = 'href="oncall/PALICE1.ics"' in html
    assert directory != flat


def test_unknown_part_is_one_error(parts: SiteParts) -> None:
    """A wrong part names the parts there are, through the page's error channel."""
    assert parts.macros["my_shift"]("mine") == ""
    assert parts.channel.errors == [
        "my_shift: part must be one of personal, checklists, everyone, not 'mine'"
    ]
    parts.channel.begin("my-shift.md")


def test_banner_links_my_shift_and_names_handles(parts: SiteParts) -> None:
    """The banner links the page and shows the on-call people's Slack handles."""
    banner = str(parts.banner("severity/"))
    assert "data-myshift-link" in banner
    assert "data-oncall-handles" in banner
    assert "data-myshift-banner" in banner
