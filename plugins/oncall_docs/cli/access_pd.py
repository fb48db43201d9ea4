"""The PagerDuty side of `check access`: a live snapshot and the scheduled users' pager setup."""

from __future__ import annotations

from pathlib import Path

from oncall_docs.access.check import PagerDutyUser
from oncall_docs.errors import FetchError
from oncall_docs.model import Handbook
from oncall_docs.oncall.model import Snapshot
from oncall_docs.oncall.resolve import refusal
from oncall_docs.oncall.source import SnapshotOptions, load_snapshot
from oncall_docs.pagerduty_api.client import settings_from_env, token_from_env
from oncall_docs.pagerduty_api.users import fetch_pager_setup


def gather_from_pagerduty(
    book: Handbook, snapshot_path: Path, data_dir: Path
) -> tuple[Snapshot, dict[str, PagerDutyUser]] | None:
    """None without PAGERDUTY_API_TOKEN (the offline snapshot is used then).

    The schedule comes through the same cache as the site build; a PagerDuty failure is a
    configuration or fetch error (exit 2), never a silent pass.
    """
    token = token_from_env()
    if token is None:
        return None
    options = SnapshotOptions(
        offline=snapshot_path,
        cache_dir=data_dir.parent / ".cache" / "oncall",
        labels={level.level: level.name for level in book.rotation.levels},
    )
    resolution = load_snapshot(options)
    if resolution.snapshot.source == "offline" or resolution.snapshot.stale:
        raise FetchError(
            "PagerDuty", None, resolution.warning or "no live schedule could be fetched"
        )
    snapshot = resolution.snapshot
    user_ids = [s.user.id for s in snapshot.shifts] + [
        o.user.id for lv in snapshot.levels for o in lv.oncall
    ]
    try:
        users = fetch_pager_setup(token, settings_from_env(), user_ids)
    except FetchError as error:
        raise (refusal(error) or error) from None
    return snapshot, users
