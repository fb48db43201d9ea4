"""The PagerDuty side of `check access`: a live snapshot and the scheduled users' pager setup."""

from __future__ import annotations

from pathlib import Path

from oncall_docs.access.check import PagerDutyUser
from oncall_docs.errors import FetchError
from oncall_docs.model import Handbook
from oncall_docs.oncall.model import Snapshot
from oncall_docs.oncall.source import load_snapshot
from oncall_docs.pagerduty_api.client import OncallClient, settings_from_env, token_from_env
from oncall_docs.pagerduty_api.users import fetch_pager_setup
from oncall_docs.sources import SourceOptions, refusal


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
    options = SourceOptions(offline=snapshot_path, cache_dir=data_dir.parent / ".cache" / "oncall")
    resolution = load_snapshot(
        options, labels={level.level: level.name for level in book.rotation.levels}
    )
    snapshot = resolution.value
    if snapshot.source == "offline" or snapshot.stale:
        raise FetchError(
            "PagerDuty",
            None,
            resolution.warnings[-1] if resolution.warnings else "no live schedule could be fetched",
        )
    user_ids = [s.user.id for s in snapshot.shifts] + [
        o.user.id for lv in snapshot.levels for o in lv.oncall
    ]
    try:
        with OncallClient(token, settings_from_env().api_url) as client:
            found = fetch_pager_setup(client, user_ids)
    except FetchError as error:
        raise (refusal(error) or error) from None
    return snapshot, {uid: PagerDutyUser(**vars(setup)) for uid, setup in found.items()}
