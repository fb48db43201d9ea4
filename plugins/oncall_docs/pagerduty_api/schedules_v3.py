"""[I/O] Shift-based (v3) schedules: GET /v3/schedules/{id}, the kind fallback, user names.

Each function takes the client and returns plain dicts; parsing is in `oncall.build_v3`,
and attaching names to schedules in `oncall.source`.
Requests per build: one per v3 schedule, plus at most one `/oncalls` listing when a v3
schedule assigns someone whose name the build does not know yet, plus one `GET /users/{id}`
per person still unnamed after that (never one per shift, and never a listing of the
whole account: `GET /users` has no id filter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from oncall_docs.errors import FetchError
from oncall_docs.timeutil import iso

if TYPE_CHECKING:
    from oncall_docs.pagerduty_api.client import OncallClient as Client

Raw = Mapping[str, Any]


def fetch_v3_schedule(
    client: Client, schedule_id: str, since: datetime, until: datetime
) -> dict[str, Any]:
    """GET /v3/schedules/{id} with its final schedule over [since, until), whole shifts, in UTC."""
    params = {
        "since": iso(since),
        "until": iso(until),
        "include[]": ["final_schedule"],
        "time_zone": "UTC",
        "overflow": "true",
    }
    return dict(client.get(f"/v3/schedules/{schedule_id}", params=params))


def fetch_any_schedule(
    client: Client,
    schedule_id: str,
    kind: str,  # "layer", "v3" or "unknown" (oncall.build_v3.Kind)
    since: datetime,
    until: datetime,
    *,
    fetch_layer: Callable[[str], Raw],
) -> dict[str, Any]:
    """The schedule through the endpoint of its kind; unknown: v3 first, layer-based on 400.

    The 400 fallback is PagerDuty's documented way to tell the kinds apart: the v3 endpoint
    refuses a schedule that has not been upgraded. Any other error is the fetch's failure.
    """
    if kind == "layer":
        return dict(fetch_layer(schedule_id))
    try:
        return fetch_v3_schedule(client, schedule_id, since, until)
    except FetchError as error:
        if kind == "unknown" and error.status == 400:
            return dict(fetch_layer(schedule_id))
        raise


def known_names(oncalls: Iterable[Raw]) -> dict[str, str]:
    """User id -> name from /oncalls entries (full users with include[]=users, else references)."""
    names: dict[str, str] = {}
    for entry in oncalls:
        user = entry.get("user") or {}
        if user.get("id") and (user.get("name") or user.get("summary")):
            names[str(user["id"])] = str(user.get("name") or user.get("summary"))
    return names


def fetch_user_names(
    client: Client,
    user_ids: Iterable[str],
    known: Mapping[str, str],
    *,
    policy_id: str,
    since: datetime,
    until: datetime,
) -> dict[str, str]:
    """Names for `user_ids`: `known` first, then one /oncalls listing, then GET /users/{id}.

    The listing asks for the policy's on-calls over the window with `earliest=true`, so it
    holds one entry per level and person: one page for any realistic rotation, whatever the
    size of the account. A user PagerDuty no longer knows (404) keeps the id as name.
    """
    wanted = list(dict.fromkeys(user_ids))
    names = {uid: known[uid] for uid in wanted if uid in known}
    if len(names) < len(wanted):
        params = {
            "escalation_policy_ids[]": [policy_id],
            "since": iso(since),
            "until": iso(until),
            "earliest": "true",
            "time_zone": "UTC",
        }
        listed = known_names(client.iter_all("/oncalls", params=params))
        names.update({uid: listed[uid] for uid in wanted if uid in listed and uid not in names})
    for uid in wanted:
        if uid not in names:
            try:
                user = client.get(f"/users/{uid}")
            except FetchError as error:
                if error.status != 404:
                    raise
                user = {}
            names[uid] = str(user.get("name") or user.get("summary") or uid)
    return names
