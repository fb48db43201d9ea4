"""Pages that only call macros: expanded without Jinja, to exactly the text Jinja renders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup
from mkdocs.utils import meta as front_matter

from oncall_docs.errors import OncallDocsError
from oncall_docs.render.pages import Call, PageError, PageRenderer, expand_calls, parse_calls
from oncall_docs.settings import Settings, read_settings
from oncall_docs.site import PageChannel, SiteParts, prepare
from tests.conftest import HANDBOOK, ROOT
from tests.render.compiles import Compiles

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
SQUARE = {"j2_variable_start_string": "[[", "j2_variable_end_string": "]]"}
ALL_SQUARE = {
    **SQUARE,
    "j2_block_start_string": "[%",
    "j2_block_end_string": "%]",
    "j2_comment_start_string": "[#",
    "j2_comment_end_string": "#]",
}


def shout(text: str) -> Markup:
    """A macro returning HTML, as ours do."""
    return Markup("<b>{}</b>").format(text)


def echo(*args: Any, **kwargs: Any) -> str:
    """A macro showing exactly what it was called with."""
    return repr((args, kwargs))


def refuse(what: str) -> str:
    """A macro that reports a wrong argument, as the strict PageChannel does."""
    raise OncallDocsError(f"no checklist with id {what!r}")


def crash() -> str:
    """A macro with a bug."""
    return str(1 // 0)


@jinja2.pass_context
def with_context(context: Any) -> str:
    """A macro that asks Jinja for its context: only the compiled page can give it."""
    return str(sorted(context.keys())[:2])


MACROS: dict[str, Callable[..., Any]] = {
    "shout": shout,
    "echo": echo,
    "refuse": refuse,
    "crash": crash,
    "with_context": with_context,
    "count": lambda: 42,
    "nothing": lambda: None,
    "empty": lambda: "",
    "greet": lambda: "macro greet",
}


def renderer(*, fast_path: bool = True, **options: Any) -> PageRenderer:
    """A renderer with the macros above, a variable, a filter and `extra:` (options override)."""
    settings: dict[str, Any] = {
        "macros": MACROS,
        "variables": {"team": "Platform <ops>", "hello": lambda: "variable hello"},
        "filters": {"code": lambda v: Markup("<code>{}</code>").format(v)},
        "extra": {"owner": "platform", "hello": lambda: "extra hello", "bye": lambda: "bye"},
        **options,
    }
    return PageRenderer(fast_path=fast_path, **settings)


def outcome(pages: PageRenderer, markdown: str, **kwargs: Any) -> tuple[str, str]:
    """("ok", the page) or ("error", the one-line message): what a build would show."""
    try:
        return "ok", pages.render("p.md", markdown, shown="docs/p.md", **kwargs)
    except PageError as error:
        return "error", str(error)


def both(
    markdown: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch, **kwargs: Any
) -> tuple[tuple[str, str], tuple[str, str], list[str | None]]:
    """The page rendered with the fast path on, then through Jinja; and what the first compiled."""
    fast = renderer(**options)
    compiles = Compiles(fast.environment, monkeypatch)
    fast_result = outcome(fast, markdown, **kwargs)
    slow = renderer(fast_path=False, **options)
    slow_compiles = Compiles(slow.environment, monkeypatch)
    slow_result = outcome(slow, markdown, **kwargs)
    assert slow_compiles.names == ["p.md"]  # the reference really is Jinja's
    return fast_result, slow_result, compiles.names


@pytest.mark.parametrize(
    ("markdown", "meta", "options"),
    [
        pytest.param("{{ shout('hi') }}", {}, {}, id="markup"),
        pytest.param('{{ echo("a", \'b\', 12, 0, key="v", n=7) }}', {}, {}, id="args-kwargs"),
        pytest.param("{{echo()}}", {}, {}, id="no-space"),
        pytest.param("{{   echo ( 'x' ,key = 3 )   }}", {}, {}, id="spaces"),
        pytest.param("{{\n\techo(\n'x',\r\nk='y'\r)\n}}", {}, {}, id="newlines-in-tag"),
        pytest.param("{{ echo('{{ }}', \"}}\") }}", {}, {}, id="delimiters-in-strings"),
        pytest.param('{{ echo(\'say "hi"\', "it\'s") }}', {}, {}, id="quotes-of-both-kinds"),
        pytest.param("{{ echo('é ☃ \U0001f600', \"\") }}", {}, {}, id="unicode-and-empty"),
        pytest.param("# T\r\n\r\n{{ shout('a') }}\r\nend\r\n", {}, {}, id="crlf"),
        pytest.param("a\r{{ shout('a') }}\rb\r", {}, {}, id="lone-cr"),
        pytest.param("a\r\n\r\n\n{{ count() }}\r\r\n", {}, {}, id="mixed-newlines"),
        pytest.param("x {{ shout('a') }}", {}, {}, id="no-trailing-newline"),
        pytest.param("x {{ shout('a') }}\n", {}, {}, id="one-trailing-newline"),
        pytest.param("x {{ shout('a') }}\n\n", {}, {}, id="two-trailing-newlines"),
        pytest.param("x {{ shout('a') }}\r\n", {}, {}, id="trailing-crlf"),
        pytest.param("{{ shout('a') }}\n\n", {}, {"keep_trailing_newline": True}, id="kept-two"),
        pytest.param("{{ shout('a') }}\r\n", {}, {"keep_trailing_newline": True}, id="kept-crlf"),
        pytest.param("{{ shout('a') }}\r", {}, {"keep_trailing_newline": True}, id="kept-cr"),
        pytest.param("{{ empty() }}", {}, {}, id="empty-output"),
        pytest.param("{{ empty() }}\n", {}, {}, id="empty-output-newline"),
        pytest.param("{{ count() }} {{ nothing() }}", {}, {}, id="int-and-none"),
        pytest.param("{{ range(3) }} {{ dict(a=1) }}", {}, {}, id="jinja-globals"),
        pytest.param("[[ shout('a') ]] {{ kept }}", {}, {"delimiters": SQUARE}, id="delimiters"),
        pytest.param(
            "{% x %} {# y #} {{ z }} [[echo('[[ ]]')]]\n",
            {},
            {"delimiters": ALL_SQUARE},
            id="all-delimiters-custom",
        ),
        pytest.param("{{ shout('a') }}", {"shout": echo}, {}, id="meta-shadows-macro"),
        pytest.param("{{ hello() }}", {}, {}, id="variable-over-extra"),
        pytest.param("{{ bye() }}", {}, {}, id="extra-key"),
        pytest.param("{{ greet() }}", {}, {"extra": {"greet": lambda: "x"}}, id="extra-over-macro"),
        pytest.param("{{ hello() }}", {"hello": lambda: "meta"}, {}, id="meta-over-variable"),
        pytest.param("{{ page() }}", {}, {}, id="page-variable"),
        pytest.param("{{ page() }}", {"page": lambda: "meta"}, {}, id="meta-over-page"),
    ],
)
def test_fast_path_renders_what_jinja_renders(
    markdown: str, meta: dict[str, Any], options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text, newlines, values, delimiters and name lookup: byte for byte Jinja's, never compiled."""
    fast, slow, compiled = both(markdown, options, monkeypatch, meta=meta, page=lambda: "page")
    assert fast == slow
    assert fast[0] == "ok"
    assert compiled == []


@pytest.mark.parametrize(
    ("markdown", "meta", "options"),
    [
        pytest.param("{{ shout('a') | upper }}", {}, {}, id="filter"),
        pytest.param("{{ team.upper() }}", {}, {}, id="attribute"),
        pytest.param("{{ shout('a').upper() }}", {}, {}, id="attribute-of-result"),
        pytest.param("{{ team }}", {}, {}, id="variable-not-a-call"),
        pytest.param("{{ shout(team) }}", {}, {}, id="name-argument"),
        pytest.param("{% if true %}{{ shout('a') }}{% endif %}", {}, {}, id="block"),
        pytest.param("{# note #}{{ shout('a') }}", {}, {}, id="comment"),
        pytest.param("{{ shout('a') }} and 50{%", {}, {"strict": False}, id="lone-block-start"),
        pytest.param("{{- shout('a') }}", {}, {}, id="strip-before"),
        pytest.param("x  {{ shout('a') -}}  y", {}, {}, id="strip-after"),
        pytest.param("{{+ shout('a') }}", {}, {}, id="plus-sign"),
        pytest.param("{{ shout('a\\nb') }}", {}, {}, id="backslash"),
        pytest.param("{{ shout('a\nb') }}", {}, {}, id="newline-in-string"),
        pytest.param("{{ echo(-1, 1.5, 0x1F) }}", {}, {}, id="other-numbers"),
        pytest.param("{{ echo(1_000) }}", {}, {}, id="underscore-number"),
        pytest.param("{{ echo(012) }}", {}, {}, id="leading-zero"),
        pytest.param("{{ echo('a', ) }}", {}, {}, id="trailing-comma"),
        pytest.param("{{ echo('a' 'b') }}", {}, {}, id="implicit-concatenation"),
        pytest.param("{{ echo('a') ~ 'b' }}", {}, {}, id="operator"),
        pytest.param("{{ echo(), echo() }}", {}, {}, id="tuple"),
        pytest.param("{{ echo(true, none) }}", {}, {}, id="jinja-constants"),
        pytest.param("{{ echo(_x=1) }}", {}, {}, id="private-keyword"),
        pytest.param("{{ echo(None=1) }}", {}, {}, id="python-keyword-keyword"),
        pytest.param("{{ echo(k=1, k=2) }}", {}, {}, id="repeated-keyword"),
        pytest.param("{{ echo(k=1, 2) }}", {}, {}, id="positional-after-keyword"),
        pytest.param("{{ {{ shout('a') }}", {}, {}, id="nested-start"),
        pytest.param("{{ missing() }}", {}, {}, id="undefined-name"),
        pytest.param("{{ missing() }}", {}, {"strict": False}, id="undefined-not-strict"),
        pytest.param("{{ team() }}", {}, {}, id="not-callable-variable"),
        pytest.param("{{ shout('a') }}", {"shout": "text"}, {}, id="meta-not-callable"),
        pytest.param("{{ shout('a') }}", {1: "x"}, {}, id="meta-key-not-a-string"),
        pytest.param("{{ with_context() }}", {}, {}, id="pass-context"),
        pytest.param("{{ self() }}", {}, {}, id="self"),
        pytest.param("{{ true() }}", {}, {}, id="constant-called"),
        pytest.param("{{ fé() }}", {"fé": lambda: "x"}, {}, id="non-ascii-name"),
        pytest.param("{{ echo('{% %}') }}", {}, {}, id="block-start-in-string"),
        pytest.param(
            "[[ shout('a') ]]",
            {},
            {"delimiters": {**SQUARE, "j2_variable_end_string": " ]"}},
            id="end-starts-with-space",
        ),
    ],
)
def test_fast_path_refuses_and_jinja_renders(
    markdown: str, meta: dict[str, Any], options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything but plain macro calls, or a name Jinja would not call, is compiled as before."""
    fast, slow, compiled = both(markdown, options, monkeypatch, meta=meta)
    assert fast == slow
    if "{{" in markdown or "[[" in markdown:
        assert compiled == ["p.md"]
    pages = renderer(**options)
    context = {"team": "Platform <ops>", "page": None, **meta}
    assert expand_calls(markdown, pages.environment, context) is None


@pytest.mark.parametrize(
    ("markdown", "line"),
    [
        pytest.param("ok\n\n\n{{ refuse('nope') }}", 6, id="macro-error"),
        pytest.param("{{ crash() }}", 3, id="macro-bug"),
        pytest.param("{{ shout('a') }}\r\n{{ echo() }}\r\n{{ refuse('x') }}\r\n", 5, id="crlf"),
        pytest.param("a\rb\r{{ shout('a') }} {{ refuse('x') }}", 5, id="lone-cr"),
    ],
)
def test_failing_macro_names_the_same_file_and_line(
    markdown: str, line: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A macro that raises on a page of plain calls fails with Jinja's own `file:line: message`."""
    fast, slow, compiled = both(markdown, {}, monkeypatch, lines_before=lambda: 2)
    assert fast == slow
    assert fast[0] == "error"
    assert fast[1].startswith(f"docs/p.md:{line}: ")
    assert compiled == ["p.md"]  # the fast path gave up: Jinja found the line


@pytest.mark.parametrize(
    ("markdown", "keep", "expected"),
    [
        pytest.param(
            "a {{ f('x', 1, k=\"y\") }}\r\n",
            False,
            ["a ", Call("f", ("x", 1), (("k", "y"),))],
            id="call",
        ),
        pytest.param("{{ f() }}\r\n", True, [Call("f"), "\n"], id="kept-newline"),
        pytest.param(
            "\r\n{{f()}}{{ g() }}\n\n", False, ["\n", Call("f"), Call("g"), "\n"], id="two"
        ),
        pytest.param("{{ f() }} {{ f(a) }}", False, None, id="one-tag-refused"),
    ],
)
def test_parse_calls(markdown: str, keep: bool, expected: list[str | Call] | None) -> None:
    """The page as text and calls, newlines as Jinja outputs them; one refused tag refuses it."""
    env = jinja2.Environment(keep_trailing_newline=keep)  # noqa: S701 (Markdown)
    assert parse_calls(markdown, env) == expected


def finalize_plain(value: Any) -> Any:
    """A finalize that shows None as nothing."""
    return "" if value is None else value


@jinja2.pass_environment
def finalize_env(env: jinja2.Environment, value: Any) -> Any:
    """A finalize that needs the environment."""
    return f"{env.variable_start_string}{value}"


@jinja2.pass_context
def finalize_context(context: Any, value: Any) -> Any:
    """A finalize that needs the context."""
    return value


@pytest.mark.parametrize(
    ("settings", "accepted"),
    [
        pytest.param({"newline_sequence": "\r\n"}, True, id="newline-sequence-crlf"),
        pytest.param({"newline_sequence": "\r"}, True, id="newline-sequence-cr"),
        pytest.param({"finalize": finalize_plain}, True, id="finalize"),
        pytest.param({"finalize": finalize_env}, True, id="finalize-environment"),
        pytest.param({"finalize": finalize_context}, False, id="finalize-context"),
        pytest.param({"line_statement_prefix": "%%"}, False, id="line-statements"),
        pytest.param({"line_comment_prefix": "##"}, False, id="line-comments"),
        pytest.param({"extensions": ["jinja2.ext.i18n"]}, False, id="extensions"),
        pytest.param({"enable_async": True}, False, id="async"),
        pytest.param({"autoescape": True}, False, id="autoescape"),
        pytest.param({"autoescape": jinja2.select_autoescape()}, False, id="autoescape-by-name"),
    ],
)
def test_environment_settings(settings: dict[str, Any], accepted: bool) -> None:
    """Output conversion and newlines follow the environment; settings it cannot follow refuse."""
    env = jinja2.Environment(**settings)  # noqa: S701 (Markdown)
    page = "a\r\nb {{ nothing() }} {{ shout('x') }}\rc\n\n"
    context = {"nothing": lambda: None, "shout": shout}
    expanded = expand_calls(page, env, context)
    assert (expanded is not None) == accepted
    if accepted:
        assert expanded == env.from_string(page).render(context)


def test_sandbox_is_refused() -> None:
    """A sandboxed environment checks every call: only its compiled code does."""
    from jinja2.sandbox import SandboxedEnvironment

    assert expand_calls("{{ f() }}", SandboxedEnvironment(), {"f": lambda: "x"}) is None


def test_compiled_only_when_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of plain macro calls is never compiled; a page with a filter is, once."""
    pages = renderer()
    compiles = Compiles(pages.environment, monkeypatch)
    assert pages.render("fast.md", "{{ shout('a') }}\n") == "<b>a</b>"
    assert compiles.names == []
    assert pages.render("slow.md", "{{ 'a' | code }}\n") == "<code>a</code>"
    assert compiles.names == ["slow.md"]


def site_parts(root: Path, cache: Path) -> SiteParts:
    """The site parts of a handbook (offline, strict channel as the plugin sets it)."""
    base = read_settings(root / "mkdocs.yml")
    settings = Settings(**{**base.__dict__, "cache_dir": cache})
    return prepare(settings, root, NOW, channel=PageChannel(strict=True))


@pytest.mark.parametrize(
    "root", [pytest.param(ROOT, id="project"), pytest.param(HANDBOOK, id="fixture-handbook")]
)
def test_every_real_page_renders_the_same(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page of docs/ (and every generated runbook page) the fast path takes: Jinja's text."""
    monkeypatch.delenv("PAGERDUTY_API_TOKEN", raising=False)
    parts = site_parts(root, tmp_path / "cache")
    sources = dict(parts.pages)
    for path in sorted((root / "docs").rglob("*.md")):
        sources[path.relative_to(root / "docs").as_posix()] = path.read_text("utf-8")
    options: dict[str, Any] = {
        "macros": parts.macros,
        "variables": parts.variables,
        "filters": parts.filters,
        "extra": {},
        "include_dir": root / "docs",
    }
    fast, slow = PageRenderer(**options), PageRenderer(fast_path=False, **options)
    taken = []
    for uri, source in sorted(sources.items()):
        markdown, meta = front_matter.get_data(source)
        if parse_calls(markdown, fast.environment) is None:
            continue
        taken.append(uri)
        parts.channel.begin(uri)
        expanded = fast.render(uri, markdown, meta=meta)
        parts.channel.begin(uri)
        assert expanded == slow.render(uri, markdown, meta=meta), uri
    assert len(taken) >= 5
    assert any(uri.startswith("runbooks/") for uri in taken)


def test_refused_page_runs_each_macro_once() -> None:
    """A name the fast path cannot call is found before any macro runs: none runs twice."""
    calls: list[str] = []

    def counted() -> str:
        calls.append("counted")
        return "c"

    pages = renderer(macros={**MACROS, "counted": counted})
    assert pages.render("p.md", "{{ counted() }} {{ with_context() }}") == "c ['bye', 'count']"
    assert calls == ["counted"]
