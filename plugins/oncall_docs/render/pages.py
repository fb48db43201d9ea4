"""Pages as Jinja templates: the macros in every page expanded, as mkdocs-macros expands them.

Generator-neutral: the MkDocs plugin (when mkdocs-macros is not configured) and
`oncall-docs generate` render pages here. The environment is set up as mkdocs-macros sets up
its own: no autoescape (a page is Markdown; our macros escape their own HTML), the same
delimiters, `{% include %}` from docs/, undefined names an error when strict. A page without
any start delimiter is returned as it is, never compiled. Pages are loaded through a loader
whose source is the page's Markdown, so Jinja's bytecode cache (render.bytecode) keys each
page by its path and recompiles it only when its text changes.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

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
    ) -> None:
        """Set up the environment; `delimiters` uses mkdocs-macros' `j2_*` keys or Jinja's names.

        `extra` (mkdocs.yml's `extra:`) is available as `extra` and, as mkdocs-macros has it,
        key by key; `variables` and the page's front matter win over it, in that order.
        `cache_folder` keeps compiled pages across builds (render.bytecode); None: no cache.
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
        shown = shown or name
        self._loader.pages[name] = (markdown, shown)
        try:
            template = self.environment.get_template(name)
            return template.render({**self._context, "page": page, **meta})
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
