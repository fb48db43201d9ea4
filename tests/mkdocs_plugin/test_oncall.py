"""Builds (in process, of the fixture handbook) with the on-call snapshot: offline default, live fetch, TTL, outage, bad token."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BuildResult, build_in_process, copy_handbook
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pagerduty_account import bitcell_account
from tests.fakes.pd_fixtures import NOW, TOKEN, pd_env

pytestmark = pytest.mark.integration
CACHE = Path(".cache/oncall/oncall-snapshot.json")


def set_plugin_option(project: Path, line: str) -> None:
    """Add `line` under `- oncall:` in the copy's mkdocs.yml."""
    config = project / "mkdocs.yml"
    text, count = re.subn(
        r"(?m)^(\s*)- oncall:\n",
        lambda m: f"{m.group(0)}{m.group(1)}    {line}\n",
        config.read_text(encoding="utf-8"),
    )
    assert count == 1
    config.write_text(text, encoding="utf-8")


def banner(result: BuildResult, page: str = "severity/index.html") -> str:
    """The banner element of a built page."""
    html = result.page(page)
    start = html.index('<div class="oncall-banner')
    return html[start : html.index("</div>", start)]


@dataclass
class Builds:
    """The builds of one project against the fake, in order, with the requests each made."""

    project: Path
    results: dict[str, BuildResult]
    requests: dict[str, int]
    cache_after: dict[str, str]
    oncall_json: dict[str, Any]


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, pd_server: FakePagerDuty, pd_ca: tuple[Any, Path]
) -> Builds:
    """Fresh (fetch) -> again (within the TTL) -> ttl 0 + outage, --strict and --no-strict -> bad token."""
    project = copy_handbook(tmp_path_factory.mktemp("live") / "project")
    pd_server.reset(bitcell_account(NOW))
    pd_server.clock = None
    env = pd_env(pd_server, pd_ca[1])
    builds = Builds(project, {}, {}, {}, {})

    def run(name: str, *args: str, token: str = TOKEN) -> None:
        before = len(pd_server.seen)
        builds.results[name] = build_in_process(
            project, *args, env={**env, "PAGERDUTY_API_TOKEN": token}
        )
        # snapshot requests only: the handoff draft asks GET /incidents too (tests/mkdocs_plugin/test_handoff.py)
        builds.requests[name] = sum(
            1 for seen in pd_server.seen[before:] if seen.path != "/incidents"
        )
        site = (
            Path(args[args.index("--site-dir") + 1])
            if "--site-dir" in args
            else builds.results[name].site
        )
        published = site / "oncall.json"
        builds.oncall_json[name] = (
            json.loads(published.read_text(encoding="utf-8")) if published.exists() else {}
        )
        cache = project / CACHE
        builds.cache_after[name] = cache.read_text(encoding="utf-8") if cache.exists() else ""

    run("fresh")
    run("again")
    set_plugin_option(project, "snapshot_ttl: 0")
    pd_server.faults.append(Fault("/oncalls", 503, headers={"ratelimit-reset": "0"}, times=1000))
    run("outage-strict")
    run("outage", "--no-strict", "--site-dir", str(project / "site-outage"))
    pd_server.faults.clear()
    run("bad-token", token="not-the-token-0000")  # noqa: S106 - a wrong token, on purpose
    return builds


def test_offline_default_says_so_everywhere(built_site: BuildResult) -> None:
    """No token: the checked-in snapshot, and every place says "offline snapshot, captured"."""
    assert "offline snapshot, captured" in banner(built_site)
    assert "offline snapshot, captured" in built_site.page("schedule/index.html")
    data = json.loads((built_site.site / "oncall.json").read_text(encoding="utf-8"))
    assert data["source"] == "offline"
    assert data["stale"] is False


def test_oncall_json_and_ics_are_published(built_site: BuildResult) -> None:
    """site/oncall.json has the contract's keys; site/oncall.ics has one event per shift."""
    data = json.loads((built_site.site / "oncall.json").read_text(encoding="utf-8"))
    assert {"generated_at", "source", "stale", "escalation_policy", "levels", "shifts"} <= set(data)
    assert [lv["level"] for lv in data["levels"]] == [1, 2, 3]
    ics = (built_site.site / "oncall.ics").read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert ics.count("BEGIN:VEVENT") == len(data["shifts"])


def test_schedule_page_has_table_handoffs_and_timeline(built_site: BuildResult) -> None:
    """Every level in the table, the next handoffs, and an SVG with a lane per level and a swap."""
    html = built_site.page("schedule/index.html")
    assert html.count('data-oncall-row="') >= 4  # primary, secondary, two leaders
    assert 'data-table="oncall-handoffs"' in html
    start = html.index('<figure class="oncall-timeline">')
    svg = html[start : html.index("</figure>", start)]
    assert svg.count('class="oncall-tl__lane"') == 3
    assert 'data-kind="swap"' in svg
    assert 'data-kind="always"' in svg


def test_fresh_fetch_then_ttl_makes_no_requests(live: Builds) -> None:
    """With a token: the first build asks PagerDuty, a rebuild within the TTL asks nothing."""
    assert live.results["fresh"].returncode == 0, live.results["fresh"].output
    assert live.requests["fresh"] == 4
    assert live.oncall_json["fresh"]["source"] == "pagerduty"
    assert live.requests["again"] == 0
    assert live.oncall_json["again"]["source"] == "cache"


def test_outage_fails_strict_with_one_warning_line(live: Builds) -> None:
    """PagerDuty 503: --strict fails, on one warning line naming the endpoint and the status."""
    result = live.results["outage-strict"]
    assert result.returncode != 0
    warnings = [line for line in result.output.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, result.output
    assert "GET /oncalls: HTTP 503" in warnings[0]
    assert "stale" in warnings[0]
    assert "Traceback" not in result.output


def test_outage_without_strict_shows_last_good_marked_stale(live: Builds) -> None:
    """Without --strict the site is built from the cached snapshot, marked stale, cache untouched."""
    result = live.results["outage"]
    assert result.returncode == 0, result.output
    site = live.project / "site-outage"
    data = live.oncall_json["outage"]
    assert (data["source"], data["stale"]) == ("cache", True)
    html = (site / "severity/index.html").read_text(encoding="utf-8")
    assert "stale: PagerDuty could not be reached" in html
    assert live.cache_after["outage"] == live.cache_after["fresh"]


def test_bad_token_is_one_error_naming_the_variable(live: Builds) -> None:
    """401: the build stops with one line that names PAGERDUTY_API_TOKEN, and no traceback."""
    result = live.results["bad-token"]
    assert result.returncode != 0
    errors = [line for line in result.output.splitlines() if "PAGERDUTY_API_TOKEN" in line]
    assert len(errors) == 1
    assert "HTTP 401" in errors[0]
    assert "Traceback" not in result.output
    assert "not-the-token-0000" not in result.output


def test_token_is_nowhere(live: Builds) -> None:
    """The token is in no built file, no build log and no cache file."""
    places: list[tuple[str, str]] = [(f"log of {n}", r.output) for n, r in live.results.items()]
    for path in [*live.project.rglob("*")]:
        if path.is_file() and (
            ".cache" in path.parts or any(p.startswith("site") for p in path.parts)
        ):
            places.append((str(path), path.read_bytes().decode("utf-8", "replace")))
    assert len(places) > 50
    leaks = [where for where, text in places if TOKEN in text or TOKEN[-8:] in text]
    assert leaks == []


def test_no_contact_details_are_published(live: Builds) -> None:
    """include[]=users brings e-mail addresses and phone numbers along; none reaches the site or cache."""
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in live.project.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".json", ".ics")
        and (".cache" in p.parts or any(part.startswith("site") for part in p.parts))
    ]
    assert texts
    assert not [
        t for t in texts if "bitcell.example" in t or "555 0100" in t or "contact_method" in t
    ]
