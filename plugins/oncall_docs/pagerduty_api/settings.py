"""Plain settings of the PagerDuty side: where to ask, which policy, how hard to try.

No HTTP here, so oncall_docs.settings (and anything else in the core) can name these types
without loading the PagerDuty client.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_API_URL = "https://api.pagerduty.com"


@dataclass(frozen=True)
class RetryPolicy:
    """Limits for one fetch: tries per request, back-off, per-call timeout, overall deadline (s)."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    timeout: float = 10.0
    deadline: float = 60.0


@dataclass(frozen=True)
class PagerDutySettings:
    """Where to ask and which policy; the token is passed separately and never stored here."""

    api_url: str = DEFAULT_API_URL
    escalation_policy_id: str = ""
