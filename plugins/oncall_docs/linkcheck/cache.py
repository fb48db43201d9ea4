"""[I/O] Results of external checks kept across runs, each for `ttl` seconds.

A CI run after a docs-only change then asks the network only about URLs that are new or
whose result expired. The file is JSON, written atomically; a damaged file is ignored.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from oncall_docs.linkcheck.outcome import Outcome

VERSION = 1


class LinkCache:
    """URL -> (checked at, outcome). `now` is passed in, so tests need no clock."""

    def __init__(self, path: Path | None, *, ttl: float, now: float) -> None:
        self.path = path
        self.ttl = ttl
        self.now = now
        self.entries: dict[str, dict[str, object]] = {}
        if path is not None and ttl > 0:
            self.entries = self._load(path)

    @staticmethod
    def _load(path: Path) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, url: str, *, want_anchors: bool) -> Outcome | None:
        """A fresh result for `url`; one without the page's anchors does not do for fragments."""
        entry = self.entries.get(url)
        if not isinstance(entry, dict):
            return None
        try:
            checked_at = float(entry["checked_at"])  # type: ignore[arg-type]
            outcome = Outcome.from_json(entry)
        except (KeyError, TypeError, ValueError):
            return None
        if not 0 <= self.now - checked_at < self.ttl:
            return None
        if want_anchors and outcome.code is None and outcome.anchors is None:
            return None
        return outcome

    def put(self, url: str, outcome: Outcome) -> None:
        """Remember a result, stamped with `now`."""
        self.entries[url] = {**outcome.to_json(), "checked_at": self.now}

    def save(self) -> None:
        """Write the fresh entries atomically (a temp file, then os.replace); expired ones go."""
        if self.path is None or self.ttl <= 0:
            return
        fresh = {
            url: entry
            for url, entry in self.entries.items()
            if isinstance(entry, dict) and self.now - float(entry.get("checked_at", 0)) < self.ttl  # type: ignore[arg-type]
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".linkcheck-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"version": VERSION, "entries": fresh}, handle)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
