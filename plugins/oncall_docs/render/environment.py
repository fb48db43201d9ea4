"""The one Jinja environment for every HTML fragment: autoescape on, undefined names are errors.

Templates live in render/templates/. Every string from YAML or PagerDuty reaches the page as
text, never as markup, because it passes through this environment's autoescape.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from oncall_docs.model.types import alert_anchor
from oncall_docs.render import bytecode
from oncall_docs.render.links import is_external


def _load_template(name: str) -> str | None:
    try:
        return (resources.files("oncall_docs.render") / "templates" / name).read_text(
            encoding="utf-8"
        )
    except FileNotFoundError:
        return None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def make_environment() -> Environment:
    """Build the environment (tests build their own to render a template in isolation)."""
    env = Environment(
        loader=FunctionLoader(_load_template),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=False,
    )
    env.filters["lower_first"] = _lower_first
    env.filters["lookup"] = lambda key, mapping: mapping.get(key, key)
    env.globals["external"] = is_external
    env.filters["alert_anchor"] = alert_anchor
    return env


ENVIRONMENT = make_environment()


def use_bytecode_cache(folder: Path | None) -> None:
    """Keep the fragments' compiled code in `folder` across builds (None: compile in memory only).

    Called by the build before any fragment renders; templates already compiled in this
    process stay in the environment's own in-memory cache either way.
    """
    bytecode.attach(ENVIRONMENT, folder)


def render(name: str, /, **context: Any) -> Markup:
    """One template of render/templates/ as a block of HTML (stripped, one trailing newline)."""
    text = ENVIRONMENT.get_template(name).render(**context)
    return Markup(text.strip() + "\n")  # noqa: S704 - autoescaped by the environment
