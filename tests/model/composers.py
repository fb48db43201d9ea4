"""Read a file on libyaml's composer and on PyYAML's, for tests that compare the two."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

from oncall_docs.model import load

T = TypeVar("T")
needs_libyaml = pytest.mark.skipif(load.FAST_LOADER is None, reason="PyYAML built without libyaml")


def on_both(read: Callable[[], T], monkeypatch: pytest.MonkeyPatch) -> tuple[T, T]:
    """`read()` with libyaml's composer (where installed), then with PyYAML's pure-Python one."""
    fast = read()
    with monkeypatch.context() as patch:
        patch.setattr(load, "FAST_LOADER", None)
        slow = read()
    return fast, slow
