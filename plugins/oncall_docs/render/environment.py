"""The one Jinja environment for every HTML fragment: autoescape on, undefined names are errors.

Templates live in render/templates/. Every string from YAML or PagerDuty reaches the page as
text, never as markup, because it passes through this environment's autoescape.

The templates belong to the installed package, not to a project, so their compiled code is
kept where Python keeps a package's `.pyc` and Black its cache: in the user's cache folder,
shared by every project (`$XDG_CACHE_HOME/oncall-docs/jinja`, by default
`~/.cache/oncall-docs/jinja`). A fresh clone of a handbook loads them compiled.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from oncall_docs import __version__
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


CACHE_APP = "oncall-docs"  # the folder's name under the user's cache folder


def package_cache_folder() -> Path | None:
    """The user's cache of the fragments' compiled code, or None when there is no home.

    `$XDG_CACHE_HOME/oncall-docs/jinja`, by default `~/.cache/oncall-docs/jinja` (Linux); the
    platform's user cache folder elsewhere (platformdirs, as Black and pip find theirs).
    """
    import platformdirs  # here: only builds that keep a cache pay for the import

    try:
        return platformdirs.user_cache_path(CACHE_APP, appauthor=False) / "jinja"
    except (RuntimeError, KeyError, OSError):  # no home folder to expand `~` to
        return None


@functools.cache
def installation_stamp() -> str:
    """What sets this installation's compiled fragments apart from any other's, as a short hash.

    Salts the package cache's keys on top of bytecode.fingerprint (Jinja's version, syntax,
    filters) and Jinja's bucket checks (the template's checksum, the Python version): the
    package's version and folder (another release or checkout never loads this one's code),
    the interpreter's cache tag, and this module's source, which configures the environment
    (an edit of it in a checkout compiles anew). Nothing of a project goes into it.
    """
    here = Path(__file__).resolve()
    try:
        source = here.read_bytes()
    except OSError:
        source = b""
    parts = (
        __version__,
        str(here.parent.parent),
        sys.implementation.cache_tag,
        hashlib.sha256(source).hexdigest(),
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def attach_package_cache(env: Environment, *, enabled: bool = True) -> Environment:
    """Give `env` the user-level cache of compiled fragments (enabled=False: none); returns `env`.

    The folder is made private to the user (0700: its code is loaded and run). One that cannot
    be made, written or read is no cache: templates are compiled as without one.
    """
    folder = package_cache_folder() if enabled else None
    if folder is not None:
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return bytecode.attach(env, folder, salt=installation_stamp())


def use_bytecode_cache(enabled: bool) -> None:
    """Keep the fragments' compiled code in the user's cache across builds and projects.

    Called before any fragment renders with whether build caches are on
    (settings.build_cache_dir is not None); off: compiled in memory only. Templates already
    compiled in this process stay in the environment's own in-memory cache either way.
    """
    attach_package_cache(ENVIRONMENT, enabled=enabled)


def render(name: str, /, **context: Any) -> Markup:
    """One template of render/templates/ as a block of HTML (stripped, one trailing newline)."""
    text = ENVIRONMENT.get_template(name).render(**context)
    return Markup(text.strip() + "\n")  # noqa: S704 - autoescaped by the environment
