"""[I/O] Snapshot files: the TTL cache and the checked-in offline snapshot.

Writes are atomic (a temp file, then `os.replace`), so a crash or a failed fetch never
leaves a half-written file where the last good snapshot was. Only the snapshot itself is
stored: no token, no request, no header.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from oncall_docs.errors import DataError
from oncall_docs.oncall.model import Snapshot, to_json
from oncall_docs.oncall.parse import SnapshotFormatError, from_json

CACHE_NAME = "oncall-snapshot.json"


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


def read_snapshot(path: Path) -> Snapshot:
    """Read a snapshot file; a broken one is a DataError that names the file and field."""
    try:
        return from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            path, 0, "", "snapshot file not found (run `oncall-docs snapshot`)"
        ) from None
    except SnapshotFormatError as error:
        raise DataError(path, 0, "", str(error)) from None


def write_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Write a snapshot as oncall.json text."""
    write_atomic(path, to_json(snapshot))


class SnapshotCache:
    """The last good fetched snapshot, in `cache_dir`; its age decides whether to fetch again."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / CACHE_NAME

    def read(self) -> Snapshot | None:
        """The cached snapshot, or None when there is none or it is unreadable."""
        try:
            return from_json(self.path.read_text(encoding="utf-8"))
        except (OSError, SnapshotFormatError):
            return None

    def write(self, snapshot: Snapshot) -> None:
        """Keep a freshly fetched snapshot (only ever called after a fetch succeeded)."""
        write_snapshot(self.path, snapshot.with_source("pagerduty"))
