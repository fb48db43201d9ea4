"""The PagerDuty side of `check access`: a live snapshot and the scheduled users' pager setup."""

from __future__ import annotations

from pathlib import Path

from oncall_docs.access import PagerDutyUser
from oncall_docs.model import Handbook
from oncall_docs.snapshot.model import Snapshot


def gather_from_pagerduty(
    book: Handbook, snapshot_path: Path, data_dir: Path
) -> tuple[Snapshot, dict[str, PagerDutyUser]] | None:
    """None without PAGERDUTY_API_TOKEN (the offline snapshot is used then)."""
    return None
