"""[I/O] What `check access` asks PagerDuty about people: login e-mails and pager setup.

Only facts leave this module (has a phone or SMS method, has a high-urgency rule, the login
e-mail for matching the roster): phone numbers and addresses are read and dropped here.
Requests: the pages of /users (100 a page) plus two per scheduled user, never one per
user in the account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from oncall_docs.pagerduty_api.client import OncallClient

PHONE_TYPES = ("phone_contact_method", "sms_contact_method")


@dataclass(frozen=True)
class PagerSetup:
    """A PagerDuty user's login and whether a page can reach them; never the contact details."""

    id: str
    name: str
    email: str | None = None
    has_phone: bool = False
    has_high_urgency_rule: bool = False


def fetch_pager_setup(client: OncallClient, user_ids: Iterable[str]) -> dict[str, PagerSetup]:
    """PagerSetup for each of `user_ids` (missing from the result if PagerDuty has no such user)."""
    accounts = {
        str(u["id"]): u
        for u in client.iter_all("/users", params={"limit": 100})
        if isinstance(u, dict) and u.get("id")
    }
    return {
        uid: _setup(client, accounts[uid]) for uid in dict.fromkeys(user_ids) if uid in accounts
    }


def _setup(client: OncallClient, user: dict[str, Any]) -> PagerSetup:
    uid = str(user["id"])
    methods = client.get(f"/users/{uid}/contact_methods")
    # Ask for high urgency explicitly: the endpoint's default is high too, but `all` would
    # hide a missing high-urgency rule behind low-urgency ones.
    rules = client.get(f"/users/{uid}/notification_rules", params={"urgency": "high"})
    return PagerSetup(
        id=uid,
        name=str(user.get("name") or user.get("summary") or uid),
        email=user.get("email"),
        has_phone=any(_kind(m).startswith(PHONE_TYPES) for m in methods or []),
        has_high_urgency_rule=any(
            r.get("urgency", "high") == "high" for r in rules or [] if isinstance(r, dict)
        ),
    )


def _kind(method: Any) -> str:
    return str(method.get("type", "")) if isinstance(method, dict) else ""
