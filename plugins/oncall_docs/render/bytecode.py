"""Compiled templates kept across builds: Jinja's own bytecode cache, made safe to lose.

A build compiles our fragment templates and every page's Markdown to Python code; a rebuild
(`make build` again, `mkdocs serve`) of unchanged sources need not. Jinja's
`FileSystemBytecodeCache` keys a bucket by template name and checks the source's checksum,
so an edited page or template is compiled again and an unchanged one is loaded. The folder
holds compiled template code only: no data, no setting, never the PagerDuty token. Pages
are cached in the project (`<cache_dir>/jinja/pages`); the package's own fragments in the
user's cache, shared by every project (render.environment.attach_package_cache).

A cache that cannot be written or read is no cache: the build goes on, compiling as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


def cache_folder(cache_dir: Path | None) -> Path | None:
    """Where compiled templates go (`<cache_dir>/jinja`); None (build caches off): nowhere."""
    return cache_dir / "jinja" if cache_dir is not None else None


def fingerprint(env: jinja2.Environment) -> str:
    """What the compiled code depends on besides the source: Jinja, syntax, filters, tests.

    Jinja's bucket checks the source's checksum (and its own magic, the Python version) but
    not the environment that compiled it; a changed delimiter, filter or `finalize` (applied
    to constants at compile time) must not load code compiled under the old one.
    """

    def marks(functions: Mapping[str, object]) -> list[tuple[str, str]]:
        return sorted(
            (name, str(getattr(fn, "jinja_pass_arg", ""))) for name, fn in functions.items()
        )

    autoescape = env.autoescape if isinstance(env.autoescape, bool) else "select"
    finalize = env.finalize
    finalize_mark = (
        (getattr(finalize, "__qualname__", repr(finalize)), getattr(finalize, "jinja_pass_arg", ""))
        if finalize is not None
        else None
    )
    parts = (
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        autoescape,
        sorted(env.extensions),
        marks(env.filters),
        marks(env.tests),
        finalize_mark,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


class SafeFileCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, keyed by the environment's fingerprint too, and never an error.

    A file that cannot be read or written is skipped: the template is compiled instead.
    """

    def __init__(self, directory: Path, salt: str) -> None:
        super().__init__(str(directory))
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """Jinja's key (name and file), salted with the environment's fingerprint."""
        return super().get_cache_key(f"{self.salt}:{name}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        """Load the bucket's code if a readable file holds it; else leave it empty (compile)."""
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store the bucket's code; a folder that cannot be written is skipped, not an error."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache(
    folder: Path | None, env: jinja2.Environment, salt: str = ""
) -> SafeFileCache | None:
    """A cache for `env` in `folder` (created), or None when off or the folder cannot be made.

    `salt` adds to the environment's fingerprint what else the code depends on (the package
    cache salts with the installation, render.environment.installation_stamp).
    """
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None
    return SafeFileCache(folder, fingerprint(env) + salt)


def attach(env: jinja2.Environment, folder: Path | None, salt: str = "") -> jinja2.Environment:
    """Give `env` a bytecode cache in `folder` (None: no cache), keys salted; returns `env`."""
    env.bytecode_cache = bytecode_cache(folder, env, salt)
    return env
