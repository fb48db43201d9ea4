"""The link memo: a page built as before is not scanned again, and the check finds the same."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from oncall_docs.linkcheck import memo, site
from oncall_docs.linkcheck.check import Site
from oncall_docs.linkcheck.collect import Interner, PageLinks
from oncall_docs.linkcheck.memo import CACHE_NAME, LinkMemo, page_key
from oncall_docs.linkcheck.rules import compile_rules
from oncall_docs.linkcheck.run import Report, run_check
from oncall_docs.linkcheck.site import scan_site
from oncall_docs.mkdocs_plugin.plugin import OncallPlugin
from oncall_docs.settings import Settings
from tests.conftest import UNUSABLE_FILE

NAV = (
    '<nav><a href="../">Home</a><a href="../a/#part">A</a><a href="../b/">B</a>'
    '<link rel="stylesheet" href="../assets/site.css"><a id="__nav">x</a></nav>'
)
PAGES = {
    "index.html": '<a href="a/">A</a><a href="nope/">gone</a><img src="missing.png" id="top-img">'
    '<a href="mailto:not-an-address">mail</a><a href="a/#no-such">bad anchor</a>',
    "a/index.html": f'{NAV}<h2 id="part">Part</h2><a href="../b/#b&amp;c">B&amp;C</a>'
    '<img src="../pic.png" srcset="../pic.png 2x, ../gone.png 3x">',
    "b/index.html": f'{NAV}<h2 id="b&amp;c">B&amp;C</h2><a name="Ünïcode">ü</a>'
    '<a href="https://example.com/x#y">ext</a><video poster="../gone.jpg"></video>',
    "c/index.html": f"{NAV}<p>same navigation, nothing else</p>",
    "d/index.html": f"{NAV}<p>same navigation, nothing else</p>",  # the same bytes as c/
}
RULES = compile_rules()


def write_site(root: Path, pages: dict[str, str] = PAGES) -> Path:
    """A built site: the pages plus the assets some of them point at."""
    for rel, body in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"<!doctype html><html><body>{body}</body></html>", "utf-8")
    (root / "assets").mkdir(exist_ok=True)
    (root / "assets" / "site.css").write_text("body {}")
    (root / "pic.png").write_bytes(b"png")
    return root


def report(found: Site) -> Report:
    """The internal check of a scanned site, as the plugin runs it."""
    return run_check(found, rules=RULES)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A small built site with broken links, a missing anchor and two identical pages."""
    return write_site(tmp_path / "site")


@pytest.fixture
def memo_file(tmp_path: Path) -> Path:
    """Where the memo goes (`<cache_dir>/links.json`)."""
    return tmp_path / "cache" / CACHE_NAME


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages `scan_site` parses (serial scans), in order."""
    seen: list[str] = []
    parse = site.parse_file

    def counting(path: Path, rel: str, *args: object, **kwargs: object) -> PageLinks:
        seen.append(rel)
        return parse(path, rel, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "parse_file", counting)
    return seen


def codes(found: Site) -> set[tuple[str, str, str]]:
    """(code, page, url) of every finding."""
    return {(f.code, f.subject, f.url or "") for f in report(found).findings}


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "worker-processes"])
def test_same_site_and_findings_with_and_without_memo(
    built: Path, memo_file: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """Cold and warm, the memo gives the index, findings and report a scan without it gives."""
    monkeypatch.setattr(site, "PARALLEL_FROM", 2)
    plain = scan_site(built, parallel=parallel)
    cold = scan_site(built, parallel=parallel, memo=memo_file)
    assert memo_file.is_file()
    warm = scan_site(built, parallel=parallel, memo=memo_file)
    assert plain == cold == warm
    assert report(plain) == report(cold) == report(warm)
    assert {
        ("broken-link", "index.html", "nope/"),
        ("missing-anchor", "index.html", "a/#no-such"),
        ("missing-file", "a/index.html", "../gone.png"),
        ("missing-file", "b/index.html", "../gone.jpg"),
    } <= codes(warm)
    assert warm.pages["b/index.html"].anchors == {"__nav", "b&c", "Ünïcode"}


def test_warm_scan_parses_only_changed_pages(
    built: Path, memo_file: Path, parsed: list[str]
) -> None:
    """Unchanged pages come from the memo; a changed page is parsed and its new broken link found."""
    scan_site(built, parallel=False, memo=memo_file)
    assert sorted(parsed) == sorted(PAGES)
    parsed.clear()
    warm = scan_site(built, parallel=False, memo=memo_file)
    assert parsed == []
    assert report(warm) == report(scan_site(built))
    write_site(built, {"c/index.html": f'{NAV}<a href="../gone-now/">new</a>'})
    parsed.clear()
    warm = scan_site(built, parallel=False, memo=memo_file)
    assert parsed == ["c/index.html"]  # not d/, whose bytes c/ had
    assert ("broken-link", "c/index.html", "../gone-now/") in codes(warm)
    assert ("broken-link", "d/index.html", "../gone-now/") not in codes(warm)
    assert warm == scan_site(built)


def test_unchanged_build_does_not_rewrite_the_memo(built: Path, memo_file: Path) -> None:
    """A warm scan with every page known leaves the file as it was (no write)."""
    scan_site(built, parallel=False, memo=memo_file)
    before = memo_file.stat()
    scan_site(built, parallel=False, memo=memo_file)
    after = memo_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def stored(memo_file: Path) -> dict[str, str]:
    """The page entries of the memo file (the shared table left out)."""
    pages: dict[str, str] = json.loads(memo_file.read_text("utf-8"))["pages"]
    return {key: text for key, text in pages.items() if key != memo.TABLE}


def with_entries(memo_file: Path, change: Callable[[dict[str, str]], None]) -> bytes:
    """The memo file after `change` to its entries (the version kept)."""
    data = json.loads(memo_file.read_text("utf-8"))
    change(data["pages"])
    return json.dumps(data).encode()


def first_page(entries: dict[str, str], text: str) -> None:
    """Give the first page entry `text`."""
    entries[next(key for key in entries if key != memo.TABLE)] = text


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda _: b"{not json", id="not-json"),
        pytest.param(lambda _: b"\xff\xfe not utf-8", id="not-utf8"),
        pytest.param(lambda _: b"", id="empty"),
        pytest.param(lambda _: b"[" * 100_000, id="too-deep"),
        pytest.param(lambda _: b'{"version": "other", "pages": {}}', id="other-version"),
        pytest.param(
            lambda f: f.read_bytes().replace(b'"version": "', b'"version": "x'), id="version-edited"
        ),
        pytest.param(
            lambda f: with_entries(f, lambda e: e.update(table='{"links": 1}')), id="bad-table"
        ),
        pytest.param(lambda f: with_entries(f, lambda e: e.update(table="[")), id="table-not-json"),
        pytest.param(
            lambda f: with_entries(
                f, lambda e: e.update(table='{"links": [["x", "nokind", "a"]], "anchors": []}')
            ),
            id="table-bad-kind",
        ),
        pytest.param(lambda f: with_entries(f, lambda e: first_page(e, "99999|")), id="index"),
        pytest.param(lambda f: with_entries(f, lambda e: first_page(e, "-1|")), id="negative"),
        pytest.param(lambda f: with_entries(f, lambda e: first_page(e, "x|y")), id="not-numbers"),
        pytest.param(lambda f: with_entries(f, lambda e: first_page(e, 7)), id="not-text"),  # type: ignore[arg-type]
    ],
)
def test_damaged_memo_is_ignored_and_replaced(
    built: Path, memo_file: Path, parsed: list[str], damage: Callable[[Path], bytes]
) -> None:
    """A damaged or other-version memo: the scan is right, and the file is written afresh."""
    plain = scan_site(built)
    scan_site(built, parallel=False, memo=memo_file)
    memo_file.write_bytes(damage(memo_file))
    parsed.clear()
    assert scan_site(built, parallel=False, memo=memo_file) == plain
    assert parsed  # something was parsed again
    assert json.loads(memo_file.read_text("utf-8"))["version"] == memo.version()
    parsed.clear()
    assert scan_site(built, parallel=False, memo=memo_file) == plain
    assert parsed == []  # the replaced file gives every page


@pytest.mark.parametrize("block", UNUSABLE_FILE)
def test_unreadable_memo_never_fails_the_scan(
    built: Path, memo_file: Path, block: Callable[[Path], None]
) -> None:
    """A memo that can be neither read nor written: the scan is right, and nothing raises."""
    block(memo_file)
    assert scan_site(built, parallel=False, memo=memo_file) == scan_site(built)


def test_deleted_page_drops_out_of_the_memo(built: Path, memo_file: Path) -> None:
    """Only pages of this build are saved: a deleted page's entry goes."""
    scan_site(built, parallel=False, memo=memo_file)
    gone = page_key(built / "b" / "index.html")
    assert gone in stored(memo_file)
    (built / "b" / "index.html").unlink()
    warm = scan_site(built, parallel=False, memo=memo_file)
    assert set(stored(memo_file)) == {page_key(built / rel) for rel in warm.pages}
    assert gone not in stored(memo_file)
    assert ("broken-link", "a/index.html", "../b/#b&c") in codes(warm)


def test_memo_pages_share_link_objects(built: Path, memo_file: Path) -> None:
    """Pages from the memo, and a page parsed beside them, point at one Link per distinct link."""
    scan_site(built, parallel=False, memo=memo_file)
    write_site(built, {"a/index.html": f"{NAV}<p>changed</p>"})
    warm = scan_site(built, parallel=False, memo=memo_file)
    recalled_b, recalled_c, parsed_a = (warm.pages[f"{p}/index.html"] for p in "bca")
    for page in (recalled_c, parsed_a):
        assert all(x is y for x, y in zip(recalled_b.links[:4], page.links[:4], strict=True))
    nav = [next(a for a in page.anchors if a == "__nav") for page in (recalled_b, parsed_a)]
    assert nav[0] is nav[1]


def test_memo_entries_are_compact(built: Path, memo_file: Path) -> None:
    """Each page is stored as indices into one table of the site's distinct links and anchors."""
    scan_site(built, parallel=False, memo=memo_file)
    entries = stored(memo_file)
    table = json.loads(json.loads(memo_file.read_text("utf-8"))["pages"][memo.TABLE])
    assert len(table["links"]) == len(
        {link for p in scan_site(built).pages.values() for link in p.links}
    )
    assert (
        entries[page_key(built / "c" / "index.html")]
        == entries[page_key(built / "d" / "index.html")]
    )
    assert len(entries) == len(PAGES) - 1  # c/ and d/ have the same bytes: one entry
    assert all(set(text) <= set("0123456789 |") for text in entries.values())


@pytest.mark.parametrize(
    ("build_cache", "env", "command", "written"),
    [
        pytest.param(True, {}, "build", True, id="build"),
        pytest.param(True, {}, "serve", True, id="serve"),
        pytest.param(False, {}, "build", False, id="setting-off"),
        pytest.param(True, {"ONCALL_BUILD_CACHE": "0"}, "build", False, id="env-off"),
    ],
)
def test_plugin_uses_the_memo_when_the_build_cache_is_on(
    built: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    build_cache: bool,
    env: dict[str, str],
    command: str,
    written: bool,
) -> None:
    """The plugin's link check writes `<cache_dir>/links.json`, unless the build caches are off."""
    monkeypatch.delenv("ONCALL_BUILD_CACHE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    plugin = OncallPlugin()
    errors, _ = plugin.load_config({})
    assert errors == []
    plugin.on_startup(command=command, dirty=False)
    cache = tmp_path / "cache"
    plugin.settings = Settings(root=tmp_path, cache_dir=cache, build_cache=build_cache)
    config = SimpleNamespace(site_dir=str(built), config_file_path=str(tmp_path / "mkdocs.yml"))
    plugin.on_post_build(config=config)  # type: ignore[arg-type]
    assert (cache / CACHE_NAME).is_file() is written
    assert LinkMemo.open(cache / CACHE_NAME).recall(
        page_key(built / "index.html"), "index.html", Interner()
    ) == (scan_site(built).pages["index.html"] if written else None)
