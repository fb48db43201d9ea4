"""The pager setup of the people in a snapshot, read from PagerDuty for the readiness view.

Opt-in (the `pager_setup` plugin setting): it costs one `/users` listing and two requests per
person on every build. Without a token, or when PagerDuty fails, the page says the pager was
not checked; a failure never fails the build. Only flags are kept, never contact details.
"""

from __future__ import annotations

from oncall_docs.access.check import PagerDutyUser
from oncall_docs.errors import FetchError
from oncall_docs.oncall.model import Snapshot
from oncall_docs.pagerduty_api.client import OncallClient, RetryPolicy, token_from_env
from oncall_docs.sources import refusal


def load_pager_setup(
    snapshot: Snapshot, api_url: str, retry: RetryPolicy | None = None
) -> tuple[dict[str, PagerDutyUser] | None, str | None]:
    """(user id -> pager flags, None), or (None, a one-line note saying why not)."""
    token = token_from_env()
    if token is None:
        return None, None
    from oncall_docs.pagerduty_api.users import fetch_pager_setup  # with a token only

    ids = [s.user.id for s in snapshot.shifts] + [
        o.user.id for level in snapshot.levels for o in level.oncall
    ]
    try:
        with OncallClient(token, api_url, retry) as client:
            found = fetch_pager_setup(client, ids)
    except FetchError as error:
        return None, f"my shift: pager setup not checked: {refusal(error) or error}"
    users = {
        uid: PagerDutyUser(s.id, s.name, None, s.has_phone, s.has_high_urgency_rule)
        for uid, s in found.items()
    }
    return users, None
