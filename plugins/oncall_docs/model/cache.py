"""[I/O] Data files that loaded cleanly, by content: an unchanged file is not parsed again.

One JSON file (`<cache_dir>/data.json`) maps a key (the SHA-256 of a file's bytes and the
model it was validated as) to the plain values that file read as, as JSON text.
`validate_file` still validates those values with pydantic, so the models are real; what a
hit skips is the parsing and the checks that ran on the parse (pitfalls, duplicate ids),
which passed.

Everything else that could change the result is in the cache's `version`: the source of
this package (loader, checks, models), and the versions of PyYAML (with or without
libyaml), pydantic and Python. A cache of another version is started afresh.

Plain JSON only (never pickle): the cache folder cannot run code. A cache that is missing,
damaged or of another version is ignored and rebuilt; one that cannot be written is left
as it was. Neither ever fails a build (filestore.TextMemo, shared with the calendars' memo).
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core
import yaml

from oncall_docs.filestore import TextMemo, code_version

CACHE_NAME = "data.json"


@cache
def version() -> str:
    """What the cached values depend on besides a file's bytes (computed once per process)."""
    parts = (
        yaml.__version__,
        str(getattr(yaml, "__with_libyaml__", False)),
        pydantic.VERSION,
        pydantic_core.__version__,
        sys.version,
    )
    return code_version(parts, sorted(Path(__file__).parent.glob("*.py")))


class DataCache(TextMemo):
    """The values of data files that loaded cleanly, as JSON text, keyed by bytes and model.

    Each entry is the JSON text of one file's values, which pydantic validates directly
    (`model_validate_json`). `get` and `put` during one load; `save` afterwards writes the
    entries this load used (a file deleted or changed since drops out), and only when
    something changed (filestore.TextMemo).
    """

    FIELD = "files"
    NAME = CACHE_NAME

    @staticmethod
    def current_version() -> str:
        """This module's `version()`, looked up when a memo is opened."""
        return version()

    @staticmethod
    def key(data: bytes, model: type) -> str:
        """A file's entry: the digest of its bytes, and the model it is validated as."""
        return f"{hashlib.sha256(data).hexdigest()} {model.__module__}.{model.__qualname__}"

    def put(self, key: str, value: Any) -> None:
        """Keep the values of a file that loaded cleanly; values JSON cannot hold are skipped."""
        try:
            super().put(key, json.dumps(value, separators=(",", ":"), allow_nan=False))
        except (TypeError, ValueError):
            return
