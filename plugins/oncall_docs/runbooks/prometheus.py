"""[I/O] The alerting rules a running Prometheus has loaded, from its `/api/v1/rules`.

The HTTP read is the link checker's bounded GET (a timeout per wait, a deadline for the
whole answer, a size cap), injectable so tests and other tools can supply their own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from oncall_docs.errors import FetchError
from oncall_docs.linkcheck.http import get_bounded
from oncall_docs.linkcheck.scheduler import FetchFailed, Response
from oncall_docs.runbooks.rules import AlertRule

Get = Callable[[str], Response]


@dataclass(frozen=True)
class ApiOptions:
    """How long and how much: seconds per wait, seconds for the whole answer, bytes."""

    timeout: float = 10.0
    deadline: float = 30.0
    max_bytes: int = 20_000_000


def rules_endpoint(base_url: str) -> str:
    """`http://prometheus:9090` -> its alerting-rules endpoint."""
    return base_url.rstrip("/") + "/api/v1/rules?type=alert"


def default_get(options: ApiOptions) -> Get:
    """The real HTTP read, bounded by `options`."""
    deadline = time.monotonic() + options.deadline

    def get(url: str) -> Response:
        return get_bounded(
            url, timeout=options.timeout, deadline=deadline, max_bytes=options.max_bytes
        )

    return get


def shown_url(url: str) -> str:
    """A URL fit for messages: any `user:password@` is dropped."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def fetch_rules(base_url: str, *, get: Get) -> list[AlertRule]:
    """Every alerting rule the Prometheus at `base_url` has loaded; failures are one FetchError."""
    url = rules_endpoint(base_url)
    endpoint = shown_url(url)
    try:
        response = get(url)
    except FetchFailed as error:
        raise FetchError(endpoint, None, str(error)) from None
    if response.status != 200:
        raise FetchError(endpoint, response.status, "expected 200 with the rules")
    try:
        payload = json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FetchError(endpoint, response.status, f"not JSON: {error}") from None
    return parse_rules(payload, endpoint)


def parse_rules(payload: Any, endpoint: str) -> list[AlertRule]:
    """The API's `{"status": "success", "data": {"groups": [...]}}` -> alerting rules."""
    try:
        if payload["status"] != "success":
            raise FetchError(endpoint, 200, f"status {payload['status']!r}: {payload.get('error')}")
        rules: list[AlertRule] = []
        for group in payload["data"]["groups"]:
            for rule in group["rules"]:
                if rule.get("type", "alerting") != "alerting":
                    continue
                labels = rule.get("labels") or {}
                notes = rule.get("annotations") or {}
                rules.append(
                    AlertRule(
                        name=str(rule["name"]),
                        group=str(group["name"]),
                        source=str(group.get("file") or endpoint),
                        line=None,
                        severity=labels.get("severity"),
                        summary=notes.get("summary") or notes.get("description"),
                        runbook_url=(notes.get("runbook_url") or "").strip() or None,
                    )
                )
    except (KeyError, TypeError, AttributeError) as error:
        raise FetchError(endpoint, 200, f"unexpected answer shape (missing {error})") from None
    return rules
