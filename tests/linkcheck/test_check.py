"""Internal links and anchors of built HTML: collect, resolve, check, rules and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_docs.errors import ConfigError
from oncall_docs.linkcheck.check import Site, check_site, resolve_path, served_file
from oncall_docs.linkcheck.collect import LinkCollector, PageLinks, collect, decode_html
from oncall_docs.linkcheck.rules import compile_rules
from oncall_docs.linkcheck.settings import LinkSettings, guess_sources
from oncall_docs.linkcheck.site import scan_site, site_from_pages
from oncall_docs.settings import read_settings

FILES = {
    "index.html",
    "a/index.html",
    "a/b/index.html",
    "img/logo.png",
    "css/site.css",
    "doc.pdf",
    "plain.html",
}


def page(body: str) -> str:
    """A minimal page around `body`."""
    return f"<!doctype html><html><body>{body}</body></html>"


def make_site(pages: dict[str, str]) -> Site:
    """An in-memory site: the given pages plus the files of FILES (empty pages)."""
    html = {path: page("") for path in FILES if path.endswith(".html")}
    html.update(pages)
    return site_from_pages(html, set(FILES))


def codes(pages: dict[str, str], **rules: list[str]) -> list[tuple[str, str, str]]:
    """(code, page, url) of every finding of the internal check."""
    findings, _ = check_site(make_site(pages), rules=compile_rules(**rules))
    return [(f.code, f.subject, f.url or "") for f in findings]


def test_collect_reads_links_assets_and_anchors() -> None:
    """Every href/src/srcset is collected with its kind; ids and <a name> are anchors."""
    html = page(
        '<a href="x/">x</a><img src="i.png" srcset="i2.png 2x, i3.png 3x">'
        '<link rel="stylesheet" href="s.css"><link rel="preconnect" href="https://f.example">'
        '<script src="j.js"></script><h2 id="h">h</h2><a name="old"></a><div id=raw></div>'
    )
    result = collect(html, "p.html")
    assert [(link.url, link.kind) for link in result.links] == [
        ("x/", "page"),
        ("i.png", "asset"),
        ("i2.png", "asset"),
        ("i3.png", "asset"),
        ("s.css", "asset"),
        ("j.js", "asset"),
    ]
    assert result.anchors == {"h", "old", "raw"}


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(b"<a href='x'><div id=a><<p id=b></a></div", id="malformed"),
        pytest.param(b"<p id=caf\xe9>\xff\xfe<a href=x>", id="not-utf8"),
        pytest.param(b"<!-- <a href=never>", id="unclosed-comment"),
    ],
)
def test_collect_never_raises_on_bad_html(html: bytes) -> None:
    """Malformed or non-UTF-8 HTML is parsed as far as it goes, without an exception."""
    collect(html, "bad.html")


@pytest.mark.parametrize(
    ("html", "urls", "anchors"),
    [
        pytest.param('<!-- <a href="c/"> --><a href="x/">', ["x/"], set(), id="comment-ignored"),
        pytest.param(
            '<script>var s = "<a href=\'js/\'>";</script><a href="y/">',
            ["y/"],
            set(),
            id="script-body",
        ),
        pytest.param('<a title="a > b" href="q/">', ["q/"], set(), id="quoted-gt"),
        pytest.param(
            '<A HREF="?a=1&amp;b=2" ID="Up">', ["?a=1&b=2"], {"Up"}, id="case-and-entities"
        ),
        pytest.param("<a href=bare/ id=x>", ["bare/"], {"x"}, id="unquoted"),
        pytest.param('<div id="a" id="b">', [], {"a"}, id="first-duplicate-wins"),
        pytest.param(
            '<a title="see id=fake" data-id="no" href="t/">', ["t/"], set(), id="attr-in-value"
        ),
    ],
)
def test_scanner_reads_tags_as_browsers_do(html: str, urls: list[str], anchors: set[str]) -> None:
    """Comments and script bodies hold no links; quotes, case and entities are handled."""
    result = collect(html, "p.html")
    assert ([link.url for link in result.links], result.anchors) == (urls, anchors)


@pytest.mark.parametrize("cut", range(1, 60, 3))
def test_scanner_across_chunks(cut: int) -> None:
    """A tag, comment or script cut by a chunk boundary is read once the rest arrives."""
    text = (
        '<p id="one"><!-- <a href="no/"> --><script>"<a href=js>"</script><a href="yes/" id="two">'
    )
    page = PageLinks("p.html")
    scanner = LinkCollector(page, want_links=True)
    scanner.feed(text[:cut])
    scanner.feed(text[cut:])
    scanner.close()
    assert ([link.url for link in page.links], page.anchors) == (["yes/"], {"one", "two"})


def test_decode_html_uses_declared_charset() -> None:
    """A page that declares latin-1 keeps its accents."""
    assert "café" in decode_html(b'<meta charset="iso-8859-1"><p id="caf\xe9">')


@pytest.mark.parametrize(
    ("page_path", "href", "target"),
    [
        pytest.param("a/index.html", "../", "", id="up-to-root"),
        pytest.param("a/b/index.html", "../../css/site.css", "css/site.css", id="asset"),
        pytest.param("a/index.html", "/img/logo.png", "img/logo.png", id="root-relative"),
        pytest.param("a/index.html", "b", "a/b", id="no-slash"),
        pytest.param("a/index.html", "./", "a/", id="dot"),
        pytest.param("index.html", "../x", None, id="escapes"),
        pytest.param("a/index.html", "/../x", None, id="escapes-from-root"),
    ],
)
def test_resolve_path(page_path: str, href: str, target: str | None) -> None:
    """Relative, root-relative and climbing paths resolve as a browser resolves them."""
    assert resolve_path(page_path, href) == target


@pytest.mark.parametrize(
    ("target", "served"),
    [
        ("", "index.html"),
        ("a/", "a/index.html"),
        ("a/b", "a/b/index.html"),
        ("doc.pdf", "doc.pdf"),
        ("missing/", None),
        ("a/index.html", "a/index.html"),
    ],
)
def test_served_file_follows_the_static_server(target: str, served: str | None) -> None:
    """Directory URLs serve index.html, with or without the trailing slash."""
    assert served_file(target, set(FILES)) == served


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '<a href="a/">ok</a><a href="a/b/">ok</a><a href="plain.html">ok</a>', [], id="pages-ok"
        ),
        pytest.param('<a href="nope/">x</a>', [("broken-link", "nope/")], id="missing-page"),
        pytest.param(
            '<img src="img/none.png">', [("missing-file", "img/none.png")], id="missing-image"
        ),
        pytest.param(
            '<link rel=stylesheet href="css/x.css">',
            [("missing-file", "css/x.css")],
            id="missing-css",
        ),
        pytest.param(
            '<a href="a/#here">x</a>', [("missing-anchor", "a/#here")], id="missing-anchor"
        ),
        pytest.param(
            '<a href="#nowhere">x</a><a href="#top">t</a><a href="#">t</a>',
            [("missing-anchor", "#nowhere")],
            id="same-page-anchor",
        ),
        pytest.param('<h2 id="me">x</h2><a href="#me">x</a>', [], id="same-page-ok"),
        pytest.param('<a href="doc.pdf#page=2">x</a>', [], id="fragment-of-non-html"),
        pytest.param(
            '<a href="../../etc/passwd">x</a>', [("escapes-site", "../../etc/passwd")], id="escapes"
        ),
        pytest.param(
            '<a href="javascript:alert(1)">x</a>', [("bad-scheme", "javascript:alert(1)")], id="js"
        ),
        pytest.param(
            '<a href="mailto:oncall@bitcell.example?subject=Hi">m</a>', [], id="mailto-ok"
        ),
        pytest.param(
            '<a href="mailto:not an address">m</a>',
            [("bad-mailto", "mailto:not an address")],
            id="mailto-bad",
        ),
        pytest.param('<a href="a%2Fb/">x</a><a href="a/b/?q=1">q</a>', [], id="encoded-and-query"),
    ],
)
def test_internal_findings(body: str, expected: list[tuple[str, str]]) -> None:
    """Each kind of internal problem gives its stable code, naming the page and the URL."""
    found = codes({"index.html": page(body)})
    assert [(code, url) for code, _, url in found] == expected
    assert all(where == "index.html" for _, where, _ in found)


def test_anchor_in_other_page_found_in_raw_html() -> None:
    """An id emitted as raw HTML by an extension is a valid target."""
    pages = {
        "index.html": page('<a href="a/#raw-anchor">x</a>'),
        "a/index.html": page('<div markdown id="raw-anchor"></div>'),
    }
    assert codes(pages) == []


def test_ignored_links_are_skipped_not_broken() -> None:
    """A link matching an ignore rule is reported as skipped (info), even when it would break."""
    findings, external = check_site(
        make_site(
            {"index.html": page('<a href="http://localhost:3000/d/x">d</a><a href="gone/">g</a>')}
        ),
        rules=compile_rules(ignore=[r"^http://localhost(:\d+)?/", "gone"]),
    )
    assert [(f.code, f.severity) for f in findings] == [("skipped", "info"), ("skipped", "info")]
    assert external == {}


def test_external_urls_are_grouped_once() -> None:
    """Each external URL is listed once, however many pages and fragments use it."""
    pages = {
        "index.html": page('<a href="https://x.example/p#a">1</a><a href="//x.example/q">2</a>'),
        "a/index.html": page('<a href="https://x.example/p#b">3</a>'),
    }
    _, external = check_site(make_site(pages), rules=compile_rules())
    assert sorted(external) == ["https://x.example/p", "https://x.example/q"]
    assert [o.page for o in external["https://x.example/p"]] == ["a/index.html", "index.html"]


def test_findings_carry_the_source_file() -> None:
    """A finding names the Markdown source where the caller knows it."""
    findings, _ = check_site(
        make_site({"index.html": page('<a href="nope/">x</a>')}),
        rules=compile_rules(),
        sources={"index.html": "docs/index.md"},
    )
    assert findings[0].to_dict()["source"] == "docs/index.md"


def test_scan_site_reads_huge_and_binary_pages(tmp_path: Path) -> None:
    """A 12 MB page (read in chunks) and a page of random bytes are scanned without error."""
    (tmp_path / "big.html").write_text(
        page('<a href="#end">x</a><p>' + "lorem ipsum " * 1_000_000 + '<b id="end"></b>')
    )
    (tmp_path / "bin.html").write_bytes(bytes(range(256)) * 100)
    site = scan_site(tmp_path)
    assert site.pages["big.html"].anchors == {"end"}
    assert check_site(site, rules=compile_rules())[0] == []


def test_scan_site_in_parallel_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages parsed in worker processes give the same index as pages parsed in this one."""
    for i in range(12):
        (tmp_path / f"p{i}").mkdir()
        (tmp_path / f"p{i}" / "index.html").write_text(
            page(f'<h2 id="h{i}"></h2><a href="../p{i + 1}/">n</a>')
        )
    monkeypatch.setattr("oncall_docs.linkcheck.site.PARALLEL_FROM", 4)
    parallel, serial = scan_site(tmp_path), scan_site(tmp_path, parallel=False)
    assert parallel.pages == serial.pages
    assert parallel.files == serial.files
    assert [f.url for f in check_site(parallel, rules=compile_rules())[0]] == ["../p12/"]


def test_scan_site_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    """A site folder that does not exist is one clear line, not a traceback."""
    with pytest.raises(ConfigError, match="no such site folder"):
        scan_site(tmp_path / "site")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ignore": ["("]}, r"ignore: '\(' is not a valid regular expression"),
        ({"timeout": "soon"}, "timeout: expected a number"),
        ({"externel": True}, "unknown setting 'externel'"),
        ({"external": "yes"}, "external: expected true or false"),
        ({"allow_status": {"x": ["a"]}}, "statuses must be integers"),
    ],
)
def test_bad_settings_name_the_setting(settings: dict[str, object], message: str) -> None:
    """Each bad setting raises ConfigError naming it."""
    with pytest.raises(ConfigError, match=message):
        LinkSettings.from_mapping(settings).rules()


def test_allow_status_and_redirect_rules() -> None:
    """Allowed statuses and redirects apply only to URLs their pattern matches."""
    rules = compile_rules(allow_status={"linkedin": [999]}, allow_redirect=["^https://old/"])
    assert rules.accepted_statuses("https://linkedin.com/x") == {999}
    assert rules.accepted_statuses("https://other/") == frozenset()
    assert rules.redirect_allowed("https://old/a")
    assert not rules.redirect_allowed("https://new/a")


def test_read_mkdocs_yml_takes_the_projects_ignore_rule() -> None:
    """The project's mkdocs.yml ignores the in-network dashboards on localhost."""
    root = Path(__file__).resolve().parents[2]
    read = read_settings(root / "mkdocs.yml")
    settings = read.links
    assert read.docs_dir == root / "docs"
    assert settings.rules().ignored("http://localhost:3000/d/production")
    assert not settings.rules().ignored("https://example.com/localhost:3000")


def test_guess_sources(tmp_path: Path) -> None:
    """Built pages map back to the Markdown files they came from."""
    for name in ("index.md", "a.md", "b/index.md", "c/README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("#")
    pages = ["index.html", "a/index.html", "b/index.html", "c/index.html", "a.html", "404.html"]
    assert guess_sources(pages, tmp_path, "docs") == {
        "index.html": "docs/index.md",
        "a/index.html": "docs/a.md",
        "b/index.html": "docs/b/index.md",
        "c/index.html": "docs/c/README.md",
        "a.html": "docs/a.md",
    }
