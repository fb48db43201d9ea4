"""[I/O] GET /oncalls for one escalation policy: every page, users included, times in UTC.

One page per 100 on-call entries, never one request per user in the account.
"""

from __future__ import annotations

from typing import Any

from oncall_docs.pagerduty_api.client import OncallClient


def fetch_oncalls(client: OncallClient, policy_id: str) -> list[dict[str, Any]]:
    """Who is on call now at each level of the policy, as PagerDuty lists them."""
    params = {"escalation_policy_ids[]": [policy_id], "include[]": ["users"], "time_zone": "UTC"}
    return list(client.iter_all("/oncalls", params=params))
