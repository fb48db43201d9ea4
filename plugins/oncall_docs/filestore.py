"""[I/O] Cache files: atomic writes, leftovers of killed builds swept, damaged copies reported once.

Writes go to a temp file beside the target (`.NAME.xxxx`), then `os.replace`, so a crash
never leaves a half-written cache where the last good one was. A build killed between the
two leaves the temp file behind; temp files older than `STALE_TEMP` are removed whenever the
cache is next read or written (a younger one may belong to a build running right now).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from oncall_docs.sources import Cached, Unreadable

T = TypeVar("T")
M = TypeVar("M", bound="TextMemo")
STALE_TEMP = timedelta(minutes=10)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sweep_temps(
    path: Path, older_than: timedelta = STALE_TEMP, now: float | None = None
) -> list[Path]:
    """Remove `.NAME.*` temp files of `path` older than `older_than`; returns what went."""
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    removed = []
    try:
        leftovers = list(path.parent.glob(f".{path.name}.*"))
    except OSError:
        return []
    for temp in leftovers:
        try:
            if temp.is_file() and temp.stat().st_mtime < cutoff:
                temp.unlink()
                removed.append(temp)
        except OSError:
            continue  # another build took it first, or it is not ours to remove
    return removed


class JsonFileStore(Generic[T]):
    """A Store kept in one text file; the feature supplies `dump` and `load` (its serialisation).

    `load` raises ValueError, KeyError, TypeError or AttributeError for text that is not its
    format; any of those, or bytes that are not UTF-8, make the file Unreadable (one warning,
    treated as absent, replaced by the next good fetch).
    """

    def __init__(
        self,
        path: Path,
        dump: Callable[[T, datetime], str],
        load: Callable[[str], Cached[T]],
    ) -> None:
        self.path, self._dump, self._load = path, dump, load

    def read(self) -> Cached[T] | None:
        """The stored value; None when there is no file; Unreadable when it is damaged."""
        sweep_temps(self.path)
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise Unreadable(self._damaged(error)) from None
        try:
            return self._load(text)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise Unreadable(self._damaged(error)) from None

    def write(self, value: T, captured_at: datetime) -> None:
        """Write atomically, after sweeping old temp files."""
        sweep_temps(self.path)
        write_atomic(self.path, self._dump(value, captured_at))

    def _damaged(self, error: Exception) -> str:
        reason = (
            "not UTF-8 text"
            if isinstance(error, UnicodeDecodeError)
            else f"not a cache file: {str(error)[:200]}"
        )
        return f"{self.path}: unreadable cache ({reason}); ignored until the next good fetch replaces it"


def code_version(parts: Iterable[str], sources: Sequence[Path]) -> str:
    """A memo's version: the digest of `parts` (library versions) and of the code in `sources`.

    A source that cannot be read (installed without its sources), or none at all, makes a
    version no stored memo matches, as a change to that code could not be seen.
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    for source in sources:
        try:
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        except OSError:
            digest.update(os.urandom(16))
    if not sources:
        digest.update(os.urandom(16))
    return digest.hexdigest()


class TextMemo:
    """Texts a build made, kept for the next build: one JSON file, entries keyed by content.

    `{"version": ..., FIELD: {key: text}}`, where the key names everything the text was made
    from and the version what else it depends on (the code that makes it, its libraries).
    `get` and `put` during one build; `save` afterwards writes the entries this build used
    (the others drop out), and only when something changed. Plain JSON only (never pickle):
    the cache folder cannot run code. A file that is missing, damaged or of another version
    is an empty memo; one that cannot be written is left as it was. Neither ever fails a build.
    """

    FIELD: ClassVar[str] = "entries"
    NAME: ClassVar[str]  # the memo's file in the build cache folder

    @staticmethod
    def current_version() -> str:
        """What the memo's texts depend on besides their keys; each memo names its own."""
        raise NotImplementedError

    def __init__(self, path: Path, version: str, entries: Mapping[str, Any] | None = None) -> None:
        self.path, self.version = path, version
        self._old = dict(entries or {})
        self._used: dict[str, str] = {}

    @classmethod
    def file_in(cls, cache_dir: Path | None) -> Path | None:
        """Where the memo goes (`<cache_dir>/<NAME>`); None (build caches off): nowhere."""
        return cache_dir / cls.NAME if cache_dir is not None else None

    @classmethod
    def open(cls: type[M], path: Path) -> M:
        """The memo stored at `path`; empty when it is missing, damaged or of another version."""
        version = cls.current_version()
        sweep_temps(path)
        try:
            stored = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON, too deep
            return cls(path, version)
        if (
            not isinstance(stored, dict)
            or stored.get("version") != version
            or not isinstance(stored.get(cls.FIELD), dict)
        ):
            return cls(path, version)
        return cls(path, version, stored[cls.FIELD])

    def get(self, key: str) -> str | None:
        """The text stored under `key` (kept for this build's save), or None."""
        text = self._used.get(key, self._old.get(key))
        if not isinstance(text, str):
            return None
        self._used[key] = text
        return text

    def put(self, key: str, text: str) -> None:
        """Keep `text` under `key` for this build's save."""
        self._used[key] = text

    def save(self) -> None:
        """Write the entries of this build, if they differ from the stored ones; never raises."""
        if self._used == self._old:
            return
        try:
            write_atomic(self.path, json.dumps({"version": self.version, self.FIELD: self._used}))
        except (OSError, TypeError, ValueError):
            return  # a read-only or full disk: the next build makes them again, as without a memo
        self._old = dict(self._used)
