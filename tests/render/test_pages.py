"""Pages as templates: rendered as mkdocs-macros renders them, compiled once, errors in one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from oncall_docs.errors import OncallDocsError
from oncall_docs.render.pages import PageError, PageRenderer, lines_above
from tests.render.compiles import Compiles

INCLUDES = Path(__file__).parent / "includes"  # what `{% include %}` reads, like docs/


def shout(text: str) -> Markup:
    """A macro returning HTML, as ours do."""
    return Markup("<b>{}</b>").format(text)


def refuse(what: str) -> str:
    """A macro that reports a wrong argument, as the strict PageChannel does."""
    raise OncallDocsError(f"no checklist with id {what!r}")


def crash() -> str:
    """A macro with a bug."""
    return str(1 // 0)


def renderer(**options: Any) -> PageRenderer:
    """A renderer with a few macros, a variable, a filter and `extra:`."""
    return PageRenderer(
        macros={"shout": shout, "refuse": refuse, "crash": crash},
        variables={"team": "Platform <ops>"},
        filters={"code": lambda v: Markup("<code>{}</code>").format(v)},
        extra={"owner": "platform"},
        **options,
    )


@pytest.mark.parametrize(
    ("markdown", "meta", "options", "expected"),
    [
        pytest.param("{{ shout('hi') }}", {}, {}, "<b>hi</b>", id="macro-html-kept"),
        pytest.param("Team: {{ team }}", {}, {}, "Team: Platform <ops>", id="no-autoescape"),
        pytest.param("{{ 'a' | code }}", {}, {}, "<code>a</code>", id="filter"),
        pytest.param("{{ owner }}/{{ extra.owner }}", {}, {}, "platform/platform", id="extra"),
        pytest.param("{{ who }}", {"who": "Ann"}, {}, "Ann", id="front-matter-variable"),
        pytest.param("{{ x }}", {"render_macros": False}, {}, "{{ x }}", id="render-macros-false"),
        pytest.param(
            "[[ team ]] {{ kept }}",
            {},
            {"delimiters": {"j2_variable_start_string": "[[", "j2_variable_end_string": "]]"}},
            "Platform <ops> {{ kept }}",
            id="delimiters",
        ),
        pytest.param("a {{ 1 }}\n", {}, {}, "a 1", id="trailing-newline-dropped"),
        pytest.param(
            "{% include 'part.md' %}!",
            {},
            {"include_dir": INCLUDES},
            "Platform <ops>!",
            id="include",
        ),
        pytest.param(
            "a {{ 1 }}\n", {}, {"keep_trailing_newline": True}, "a 1\n", id="trailing-newline-kept"
        ),
    ],
)
def test_page_renders_as_mkdocs_macros_would(
    markdown: str, meta: dict[str, Any], options: dict[str, Any], expected: str
) -> None:
    """Macros, variables, filters, `extra:`, front matter and delimiters as mkdocs-macros has them."""
    assert renderer(**options).render("p.md", markdown, meta=meta) == expected


@pytest.mark.parametrize(
    ("markdown", "meta"),
    [
        pytest.param("# Plain\n\nNo template here: { x } and %}.\n", {}, id="no-start-delimiter"),
        pytest.param("{{ x }} {% if %}", {"render_macros": False}, id="render-macros-false"),
    ],
)
def test_page_without_jinja_is_not_compiled(
    markdown: str, meta: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page with no `{{`, `{%` or `{#` (or with rendering off) comes back as is, never compiled."""
    pages = renderer()
    compiles = Compiles(pages.environment, monkeypatch)
    assert pages.render("plain.md", markdown, meta=meta) is markdown
    assert compiles.names == []


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        pytest.param("ok\n\n{{ shout( }}\n", r"^docs/x\.md:5: unexpected '}'", id="syntax"),
        pytest.param("ok\n{{ missing }}\n", r"^docs/x\.md:4: 'missing' is undefined$", id="undef"),
        pytest.param(
            "ok\n\n\n{{ refuse('nope') }}",
            r"^docs/x\.md:6: no checklist with id 'nope'$",
            id="macro-error",
        ),
        pytest.param(
            "{{ crash() }}", r"^docs/x\.md:3: ZeroDivisionError: .*division", id="macro-bug"
        ),
        pytest.param(
            "\n{% include 'nope.md' %}",
            r"^docs/x\.md:4: cannot include 'nope\.md': no such file$",
            id="include-missing",
        ),
    ],
)
def test_bad_page_names_file_and_line(markdown: str, message: str) -> None:
    """A syntax error, an undefined name or a failing macro is one line: the file and the line."""
    with pytest.raises(PageError, match=message) as caught:
        renderer().render("x.md", markdown, shown="docs/x.md", lines_before=lambda: 2)
    assert "\n" not in str(caught.value)


def test_lines_above_counts_the_front_matter() -> None:
    """The body's first line is counted from the file's top, front matter included."""
    assert lines_above("---\ntitle: x\n---\n\nBody\n", "Body\n") == 4
    assert lines_above("Other\n", "Body\n") == 0


def test_bytecode_cache_compiles_each_page_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second build (a new renderer, same folder) loads unchanged pages and compiles edited ones."""
    folder = tmp_path / "cache" / "jinja" / "pages"
    first = renderer(cache_folder=folder, fast_path=False)  # compile even plain macro calls
    assert first.render("a.md", "{{ shout('a') }}") == "<b>a</b>"
    assert first.render("b.md", "{{ team }}") == "Platform <ops>"
    assert len(list(folder.glob("*.cache"))) == 2
    second = renderer(cache_folder=folder, fast_path=False)
    compiles = Compiles(second.environment, monkeypatch)
    assert second.render("a.md", "{{ shout('a') }}") == "<b>a</b>"
    assert second.render("b.md", "{{ team }}!") == "Platform <ops>!"
    assert compiles.names == ["b.md"]


def test_bytecode_depends_on_delimiters(tmp_path: Path) -> None:
    """Code compiled under other delimiters is not loaded: the page renders as its syntax says."""
    folder = tmp_path / "pages"
    assert renderer(cache_folder=folder).render("a.md", "{{ team }} [[ team ]]") == (
        "Platform <ops> [[ team ]]"
    )
    square = {"j2_variable_start_string": "[[", "j2_variable_end_string": "]]"}
    assert renderer(cache_folder=folder, delimiters=square).render(
        "a.md", "{{ team }} [[ team ]]"
    ) == ("{{ team }} Platform <ops>")


@pytest.mark.parametrize(
    "where",
    [
        pytest.param("file/jinja", id="parent-is-a-file"),
        pytest.param("folder-removed", id="removed-after-start"),
    ],
)
def test_unusable_cache_folder_still_renders(tmp_path: Path, where: str) -> None:
    """A cache folder that cannot be made or written is no cache, not a failure."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    folder = tmp_path / where
    pages = renderer(cache_folder=folder, fast_path=False)  # compile even plain macro calls
    if where == "folder-removed":
        folder.rmdir()
        folder.write_text("", encoding="utf-8")  # now a file: nothing can be written inside
    assert pages.render("a.md", "{{ shout('a') }}") == "<b>a</b>"


def test_cache_holds_code_not_values(tmp_path: Path) -> None:
    """The values a page shows (a token, were it ever one) are not in the compiled code."""
    folder = tmp_path / "pages"
    pages = PageRenderer(
        macros={}, variables={"secret": "pd-token-0123456789"}, filters={}, cache_folder=folder
    )
    assert pages.render("a.md", "{{ secret }}") == "pd-token-0123456789"
    (cached,) = folder.glob("*.cache")
    assert b"pd-token-0123456789" not in cached.read_bytes()
