"""Pages as Jinja templates: the macros in every page expanded, as mkdocs-macros expands them.

Generator-neutral: the MkDocs plugin (when mkdocs-macros is not configured) and
`oncall-docs generate` render pages here. The environment is set up as mkdocs-macros sets up
its own: no autoescape (a page is Markdown; our macros escape their own HTML), the same
delimiters, `{% include %}` from docs/, undefined names an error when strict. A page without
any start delimiter is returned as it is, never compiled. Pages are loaded through a loader
whose source is the page's Markdown, so Jinja's bytecode cache (render.bytecode) keys each
page by its path and recompiles it only when its text changes.

Most pages hold nothing but macro calls with literal arguments (`{{ runbook('rb-0001') }}`,
`{{ checklist("before-24h") }}`): `expand_calls` expands those without compiling anything,
to the same text Jinja would give; any other page, or any doubt, goes through Jinja.
"""

from __future__ import annotations

import functools
import keyword
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime

from oncall_docs.errors import OncallDocsError
from oncall_docs.render import bytecode
from oncall_docs.text import one_line

# mkdocs-macros' settings for its Jinja delimiters -> Jinja's names (the defaults are Jinja's own).
DELIMITER_KEYS = {
    "j2_block_start_string": "block_start_string",
    "j2_block_end_string": "block_end_string",
    "j2_variable_start_string": "variable_start_string",
    "j2_variable_end_string": "variable_end_string",
    "j2_comment_start_string": "comment_start_string",
    "j2_comment_end_string": "comment_end_string",
}


class PageError(OncallDocsError):
    """A page that cannot be rendered: `docs/x.md:12: message`, one line."""


class PageLoader(jinja2.BaseLoader):
    """The page being rendered by its path; anything else (includes) from `fallback`."""

    def __init__(self, fallback: jinja2.BaseLoader | None) -> None:
        self.fallback = fallback
        self.pages: dict[str, tuple[str, str]] = {}  # name -> (Markdown, file shown in errors)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The page's Markdown and the file errors name; an include from the fallback."""
        if template in self.pages:
            text, filename = self.pages[template]
            return text, filename, lambda: self.pages.get(template, ("", ""))[0] == text
        if self.fallback is None:
            raise jinja2.TemplateNotFound(template)
        return self.fallback.get_source(environment, template)


class PageRenderer:
    """Renders pages with one site's macros, variables and filters; see the module docstring."""

    def __init__(
        self,
        *,
        macros: Mapping[str, Callable[..., Any]],
        variables: Mapping[str, Any],
        filters: Mapping[str, Callable[..., Any]],
        extra: Mapping[str, Any] | None = None,
        delimiters: Mapping[str, str] | None = None,
        strict: bool = True,
        keep_trailing_newline: bool = False,
        include_dir: Path | None = None,
        cache_folder: Path | None = None,
        fast_path: bool = True,
    ) -> None:
        """Set up the environment; `delimiters` uses mkdocs-macros' `j2_*` keys or Jinja's names.

        `extra` (mkdocs.yml's `extra:`) is available as `extra` and, as mkdocs-macros has it,
        key by key; `variables` and the page's front matter win over it, in that order.
        `cache_folder` keeps compiled pages across builds (render.bytecode); None: no cache.
        `fast_path=False` compiles every page, even plain macro calls (tests compare the two).
        """
        self._loader = PageLoader(
            jinja2.FileSystemLoader(str(include_dir)) if include_dir is not None else None
        )
        names: dict[str, Any] = {
            DELIMITER_KEYS.get(key, key): value for key, value in (delimiters or {}).items()
        }
        self.environment = jinja2.Environment(  # noqa: S701 (Markdown; macros escape their HTML)
            loader=self._loader,
            undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
            keep_trailing_newline=keep_trailing_newline,
            cache_size=0,  # each page is rendered once per build; the bytecode cache spans builds
            **names,
        )
        self.environment.globals.update(macros)
        self.environment.filters.update(filters)
        bytecode.attach(self.environment, cache_folder)
        extra = dict(extra or {})
        self._context: dict[str, Any] = {"extra": extra, **extra, **variables}
        env = self.environment
        self._starts = (env.variable_start_string, env.block_start_string, env.comment_start_string)
        self._fast_path = fast_path

    def has_jinja(self, text: str) -> bool:
        """Whether `text` may hold Jinja: it contains a start delimiter (mkdocs-macros' test)."""
        return any(start in text for start in self._starts)

    def render(
        self,
        name: str,
        markdown: str,
        *,
        meta: Mapping[str, Any] | None = None,
        page: Any = None,
        shown: str | None = None,
        lines_before: Callable[[], int] | None = None,
    ) -> str:
        """One page's Markdown (front matter already removed) with its macros expanded.

        `name` keys the page in the bytecode cache (its path in docs/); `meta` is its front
        matter (`render_macros: false` returns the page untouched; the other keys are
        variables); `shown` is the file errors name; `lines_before` counts the lines above
        `markdown` in that file (the front matter), asked only when there is an error.
        Raises PageError: `shown:line: message`, one line.
        """
        meta = meta or {}
        if meta.get("render_macros") is False or not self.has_jinja(markdown):
            return markdown
        context = {**self._context, "page": page, **meta}
        if (
            self._fast_path
            and (text := expand_calls(markdown, self.environment, context)) is not None
        ):
            return text
        shown = shown or name
        self._loader.pages[name] = (markdown, shown)
        try:
            template = self.environment.get_template(name)
            return template.render(context)
        except Exception as error:  # a macro's bug is one line too, never a traceback
            line = _line_of(error, shown)
            where = f"{shown}:{line + (lines_before() if lines_before else 0)}" if line else shown
            raise PageError(one_line(f"{where}: {_message(error)}")) from None
        finally:
            del self._loader.pages[name]


def _line_of(error: BaseException, filename: str) -> int | None:
    """The page line an error comes from: a syntax error's own, else the deepest page frame's."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.lineno:
        return error.lineno if error.filename in (None, filename) else None
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return frames[-1].lineno if frames else None


def _message(error: BaseException) -> str:
    if isinstance(error, jinja2.TemplateNotFound):
        return f"cannot include {error.name!r}: no such file"
    if isinstance(error, jinja2.TemplateError):
        return error.message or type(error).__name__
    if isinstance(error, OncallDocsError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def lines_above(source: str, markdown: str) -> int:
    """Lines of `source` (the page file) above `markdown` (its body), or 0 if it is not its end."""
    if not markdown or not source.endswith(markdown):
        return 0
    return source.count("\n", 0, len(source) - len(markdown))


# ---------------------------------------------------------------- pages that only call macros


@dataclass(frozen=True)
class Call:
    """One `{{ name(args) }}` of a page: the name it calls and its literal arguments."""

    name: str
    args: tuple[str | int, ...] = ()
    kwargs: tuple[tuple[str, str | int], ...] = ()


_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# A string without backslash or newline (Jinja reads it as is), or a plain decimal integer.
_VALUE = r"""'[^'\\\n]*'|"[^"\\\n]*"|0|[1-9][0-9]*"""
_ARGUMENT = re.compile(rf"\s*(?:({_NAME})\s*=\s*)?({_VALUE})\s*([,)])")
_NO_ARGUMENTS = re.compile(r"\s*\)")
# The line breaks Jinja's lexer knows (jinja2.lexer.newline_re).
_NEWLINE = re.compile(r"\r\n|\r|\n")
_MISSING = object()  # a name neither in the variables nor in the globals
# Names Jinja's parser or compiler reads as something else than a variable (or may, in places).
_RESERVED = frozenset(
    {"true", "false", "none", "self", "super", "loop", "caller", "varargs", "kwargs"}
)


def parse_calls(source: str, environment: jinja2.Environment) -> list[str | Call] | None:
    """The page as Jinja's lexer reads it, text and calls, when it only calls macros; else None.

    Accepted: every variable tag is `{{ name() }}` or `{{ name("a", 'b', 12, key="c") }}`
    (whitespace as Jinja allows it; no filter, attribute, expression or `{{-`/`-}}`), and
    neither a block nor a comment start delimiter appears anywhere. The text pieces are what
    Jinja outputs for them: newlines made `newline_sequence`, and one trailing newline of
    the page dropped unless `keep_trailing_newline`. None means: let Jinja compile the page.
    """
    tags = _call_tags(environment)
    if tags is None:
        return None
    head, tail = tags
    text = _lexed(source, keep_trailing_newline=environment.keep_trailing_newline)
    if environment.block_start_string in text or environment.comment_start_string in text:
        return None
    newline = environment.newline_sequence
    pieces: list[str | Call] = []
    pos = 0
    while (found := text.find(environment.variable_start_string, pos)) >= 0:
        if found > pos:
            pieces.append(text[pos:found].replace("\n", newline))
        if (tag := _call_at(text, found, head, tail)) is None:
            return None
        call, pos = tag
        pieces.append(call)
    if pos < len(text):
        pieces.append(text[pos:].replace("\n", newline))
    return pieces


def expand_calls(
    source: str, environment: jinja2.Environment, variables: Mapping[str, Any]
) -> str | None:
    """`source` rendered as Jinja would render it with `variables`, without compiling it.

    None (the caller then renders through Jinja) when `parse_calls` refuses the page, a
    name is neither in `variables` nor in the environment's globals, is not callable or
    asks Jinja for its context, or a macro raises: Jinja then reports the error, and its
    line, as it always has. A value is output as Jinja outputs it without autoescape:
    `str()` of it, after `environment.finalize` when there is one.
    """
    pieces = parse_calls(source, environment)
    output = _output(environment)
    if pieces is None or output is None or not all(isinstance(key, str) for key in variables):
        return None  # Jinja's render fails on a non-string variable name
    functions: dict[str, Callable[..., Any]] = {}  # every name first: no macro runs in vain
    for call in pieces:
        if isinstance(call, Call) and call.name not in functions:
            function = variables.get(call.name, environment.globals.get(call.name, _MISSING))
            if not callable(function) or _asks_for_context(function):
                return None  # undefined, not callable or wanting Jinja's context: Jinja's case
            functions[call.name] = function
    out: list[str] = []
    for piece in pieces:
        try:
            out.append(
                piece
                if isinstance(piece, str)
                else output(functions[piece.name](*piece.args, **dict(piece.kwargs)))
            )
        except Exception:  # the page fails either way: Jinja words the error and finds its line
            return None
    return "".join(out)


def _lexed(source: str, *, keep_trailing_newline: bool) -> str:
    r"""The source as Jinja's lexer sees it: `\n` line breaks, one trailing one dropped unless kept."""
    lines = _NEWLINE.split(source)
    if not keep_trailing_newline and lines[-1] == "":
        del lines[-1]
    return "\n".join(lines)


@functools.lru_cache(maxsize=16)
def _tag_patterns(start: str, end: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """`start name(` and `) end` as patterns, or None for delimiters Jinja could read otherwise.

    Jinja's lexer tries the end delimiter first wherever parentheses are balanced: one that
    starts with whitespace, a name's character or `(` could end a tag where this would not.
    """
    if not start or not end or re.match(r"[\s\w(]", end) or re.search(r"[\r\n]", start + end):
        return None
    head = re.compile(rf"{re.escape(start)}\s*({_NAME})\s*\(")
    return head, re.compile(rf"\s*{re.escape(end)}")


def _call_tags(environment: jinja2.Environment) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The patterns of a call tag, if this environment is plain Jinja as PageRenderer sets it up."""
    plain = (
        type(environment) is jinja2.Environment
        and environment.context_class is jinja2.runtime.Context
        and environment.autoescape is False
        and not environment.is_async
        and not environment.extensions
        and environment.line_statement_prefix is None
        and environment.line_comment_prefix is None
        and not re.search(
            r"[\r\n]", environment.block_start_string + environment.comment_start_string
        )
    )
    if not plain:
        return None
    return _tag_patterns(environment.variable_start_string, environment.variable_end_string)


def _call_at(
    text: str, pos: int, head: re.Pattern[str], tail: re.Pattern[str]
) -> tuple[Call, int] | None:
    """The call tag at `pos` and where it ends, or None if the tag there is anything else."""
    if (match := head.match(text, pos)) is None or not _plain_name(name := match.group(1)):
        return None
    if (parsed := _arguments(text, match.end())) is None:
        return None
    args, kwargs, pos = parsed
    if (end := tail.match(text, pos)) is None:
        return None
    return Call(name, args, kwargs), end.end()


def _arguments(
    text: str, pos: int
) -> tuple[tuple[str | int, ...], tuple[tuple[str, str | int], ...], int] | None:
    """The literal arguments from `pos` (after `(`) and where they end (after `)`); None: refused."""
    if (empty := _NO_ARGUMENTS.match(text, pos)) is not None:
        return (), (), empty.end()
    args: list[str | int] = []
    kwargs: dict[str, str | int] = {}
    while (match := _ARGUMENT.match(text, pos)) is not None:
        key, literal, separator = match.groups()
        value: str | int = literal[1:-1] if literal[0] in "'\"" else int(literal)
        if key is None:
            if kwargs:  # a positional argument after a keyword one: Jinja's syntax error
                return None
            args.append(value)
        elif key in kwargs or key.startswith("_") or keyword.iskeyword(key):
            return None  # a repeated or Python-reserved keyword, or one Jinja's call handles
        else:
            kwargs[key] = value
        pos = match.end()
        if separator == ")":
            return tuple(args), tuple(kwargs.items()), pos
    return None


def _plain_name(name: str) -> bool:
    """Whether Jinja reads `name` as a variable it looks up (not `true`, `self`, a keyword)."""
    return name not in _RESERVED and not keyword.iskeyword(name)


def _asks_for_context(function: Callable[..., Any]) -> bool:
    """Whether Jinja would pass the function its context or environment (`@pass_context`)."""
    return (
        getattr(function, "jinja_pass_arg", None) is not None
        or getattr(getattr(function, "__call__", None), "jinja_pass_arg", None) is not None  # noqa: B004 (as Context.call)
    )


def _output(environment: jinja2.Environment) -> Callable[[Any], str] | None:
    """How Jinja outputs a value without autoescape: `str()`, after `finalize` if set."""
    finalize = environment.finalize
    if not finalize:
        return str
    passes = getattr(finalize, "jinja_pass_arg", None)
    if passes is None:
        return lambda value: str(finalize(value))
    if getattr(passes, "name", None) == "environment":
        return lambda value: str(finalize(environment, value))
    return None  # finalize wants the context: only the compiled page has it
