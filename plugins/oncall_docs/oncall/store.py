"""[I/O] Snapshot files: the TTL cache and the checked-in offline snapshot, as oncall.json text.

Only the snapshot itself is stored: no token, no request, no header. Writes are atomic and
the cache sweeps temp files left by killed builds (`filestore`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from oncall_docs.errors import DataError
from oncall_docs.filestore import JsonFileStore, write_atomic
from oncall_docs.oncall.model import Snapshot, to_json
from oncall_docs.oncall.parse import SnapshotFormatError, from_json
from oncall_docs.sources import Cached

CACHE_NAME = "oncall-snapshot.json"


def read_snapshot(path: Path) -> Snapshot:
    """Read a snapshot file; a broken one is a DataError that names the file and field."""
    try:
        return from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            path, 0, "", "snapshot file not found (run `oncall-docs snapshot`)"
        ) from None
    except UnicodeDecodeError:
        raise DataError(path, 0, "", "not UTF-8 text") from None
    except SnapshotFormatError as error:
        raise DataError(path, 0, "", str(error)) from None


def write_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Write a snapshot as oncall.json text."""
    write_atomic(path, to_json(snapshot))


def _load(text: str) -> Cached[Snapshot]:
    snapshot = from_json(text)  # SnapshotFormatError is a ValueError: the store reports it
    return Cached(snapshot, snapshot.generated_at)


def _dump(snapshot: Snapshot, captured_at: datetime) -> str:
    return to_json(snapshot.with_source("pagerduty"))


def snapshot_cache(cache_dir: Path) -> JsonFileStore[Snapshot]:
    """The last good fetched snapshot in `cache_dir`; its capture time decides whether to fetch again."""
    return JsonFileStore(cache_dir / CACHE_NAME, _dump, _load)
