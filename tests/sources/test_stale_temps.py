"""Temp files left by a build killed while writing a cache are swept when the cache is next read or written."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from oncall_docs.filestore import JsonFileStore
from oncall_docs.handoff.source import Incidents, incidents_cache
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.oncall.model import Ref, Snapshot
from oncall_docs.oncall.store import snapshot_cache
from tests.fakes.pd_fixtures import NOW

STORES: list[Any] = [
    pytest.param(snapshot_cache, ".oncall-snapshot.json.", id="snapshot-cache"),
    pytest.param(incidents_cache, ".handoff-incidents.json.", id="incidents-cache"),
]


def _leftover(directory: Path, name: str, age: timedelta) -> Path:
    """A temp file as `write_atomic` names them, last modified `age` ago."""
    path = directory / name
    path.write_text('{"half": ', encoding="utf-8")
    when = time.time() - age.total_seconds()
    os.utime(path, (when, when))
    return path


@pytest.mark.parametrize(("make", "prefix"), STORES)
@pytest.mark.parametrize("action", ["read", "write"])
def test_old_temp_files_go_young_ones_stay(
    tmp_path: Path, make: Callable[[Path], JsonFileStore[Any]], prefix: str, action: str
) -> None:
    """A temp file older than 10 minutes is removed; a younger one may be a build in progress and stays."""
    old = _leftover(tmp_path, prefix + "k1ll3d", timedelta(minutes=30))
    young = _leftover(tmp_path, prefix + "w0rk1n", timedelta(minutes=1))
    other = _leftover(tmp_path, ".unrelated.json.x", timedelta(days=1))
    store = make(tmp_path)
    if action == "read":
        assert store.read() is None
    else:
        store.write(store_value(make), NOW)
    assert not old.exists()
    assert young.exists()
    assert other.exists()


def store_value(make: Callable[[Path], JsonFileStore[Any]]) -> Any:
    """A value each store can write."""
    if make is snapshot_cache:
        return Snapshot(NOW, "pagerduty", False, Ref("PBCPOL1", "BitCell"), ())
    return Incidents((), HandoffWindow(NOW, NOW + timedelta(weeks=1)))
