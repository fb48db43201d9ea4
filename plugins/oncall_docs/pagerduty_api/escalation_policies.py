"""[I/O] GET /escalation_policies/{id}: the policy whose rules say who is primary, secondary, leadership."""

from __future__ import annotations

from typing import Any

from oncall_docs.pagerduty_api.client import OncallClient


def fetch_policy(client: OncallClient, policy_id: str) -> dict[str, Any]:
    """The escalation policy as PagerDuty sends it (rules, targets, schedule references)."""
    policy = client.get(f"/escalation_policies/{policy_id}")
    if not isinstance(policy, dict):
        raise client.fail(
            f"GET /escalation_policies/{policy_id}", 200, "unexpected response content"
        )
    return policy
