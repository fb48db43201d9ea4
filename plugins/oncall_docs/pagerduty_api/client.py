"""[I/O] The PagerDuty REST API v2 side: what to ask, paging, retries, deadlines.

The only importer of the official `pagerduty` client. The client does auth headers, the
versioned Accept header, classic pagination (`iter_all`) and entity unwrapping; we own the
retry policy, because the client retries 429 forever with its own back-off and ignores
`ratelimit-reset`. Every response passes through `postprocess`, which hands any non-2xx
answer straight to our loop: bounded attempts, `ratelimit-reset` (or `Retry-After`) when
sent, exponential back-off when not, a per-call timeout and one deadline for the whole fetch.
Errors name the endpoint and the status, never the token.
"""

from __future__ import annotations

import logging
import os
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import pagerduty
from httpx2 import Response

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.oncall.build import build_snapshot
from oncall_docs.oncall.build_v3 import schedule_kinds
from oncall_docs.oncall.model import HORIZON, Snapshot, iso
from oncall_docs.pagerduty_api.schedules_v3 import fetch_any_schedule, with_user_names

DEFAULT_API_URL = "https://api.pagerduty.com"
RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})
ClientError = pagerduty.Error  # for edge modules that use OncallClient without importing the client


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


class _Refused(Exception):
    """A non-2xx response, raised out of the client's own retry loop into ours."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def retry_delay(
    response: Response | None, attempt: int, policy: RetryPolicy, now: datetime
) -> float:
    """Seconds to wait before try `attempt + 1`: ratelimit-reset, Retry-After, else 2^n back-off."""
    headers = response.headers if response is not None else {}
    for name in ("ratelimit-reset", "retry-after"):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return min(max(0.0, float(value)), policy.max_delay)
        except ValueError:
            try:
                return min(
                    max(0.0, (parsedate_to_datetime(value) - now).total_seconds()), policy.max_delay
                )
            except (TypeError, ValueError):
                pass
    return min(policy.base_delay * 2 ** (attempt - 1), policy.max_delay)


def _error_message(response: Response) -> str:
    """PagerDuty's own error message when the body has one (it never holds the token)."""
    try:
        error = response.json().get("error") or {}
        message = str(error.get("message") or "").strip()
    except (ValueError, AttributeError):
        message = ""
    return message or (response.reason_phrase or "request failed")


def _ssl_context() -> ssl.SSLContext | None:
    """SSL_CERT_FILE is read by the HTTP library itself; REQUESTS_CA_BUNDLE is honoured here too."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE")
    if bundle and not os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=bundle)
    return None


class OncallClient(pagerduty.RestApiV2Client):
    """The official client with our retry policy; counts requests for the benchmark."""

    def __init__(
        self,
        token: str,
        api_url: str,
        policy: RetryPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        ctx = _ssl_context()
        super().__init__(token, base_url=api_url, verify=ctx or True)
        self.policy, self.clock, self.sleep = policy, clock, sleep
        self.deadline_at = clock() + policy.deadline
        self.timeout = policy.timeout  # type: ignore[assignment]  # typed int upstream; httpx takes float
        self.max_network_attempts = 0  # a network error comes straight back to our loop
        self.retry = {}
        self.log = logging.getLogger("oncall_docs.pagerduty_api.client.client")
        self.request_count = 0

    def postprocess(self, response: Response, suffix: str | None = None) -> None:
        """Count every HTTP exchange and lift non-2xx answers out of the client's loop."""
        self.request_count += 1
        if not response.is_success:
            raise _Refused(response)

    def request(self, method: str, url: str, **kwargs: Any) -> Response:  # type: ignore[override]
        """One API call with bounded retries; raises FetchError naming `METHOD /path`."""
        endpoint = f"{method.upper()} {urlsplit(self.normalize_url(url)).path}"
        attempt = 0
        while True:
            attempt += 1
            remaining = self.deadline_at - self.clock()
            if remaining <= 0:
                raise FetchError(
                    endpoint,
                    None,
                    f"gave up: the fetch deadline of {self.policy.deadline:g} s passed",
                )
            self.timeout = min(self.policy.timeout, remaining)  # type: ignore[assignment]
            try:
                return super().request(method, url, **kwargs)
            except _Refused as refused:
                response, status = refused.response, refused.response.status_code
                if status not in RETRYABLE or attempt >= self.policy.attempts:
                    raise FetchError(endpoint, status, _error_message(response)) from None
            except pagerduty.Error as error:
                response, status = None, None
                if attempt >= self.policy.attempts:
                    cause = type(error.__cause__).__name__ if error.__cause__ else "network error"
                    raise FetchError(endpoint, None, f"{cause} after {attempt} attempts") from None
            self._wait(
                endpoint,
                status,
                retry_delay(response, attempt, self.policy, datetime.now(timezone.utc)),
            )

    def _wait(self, endpoint: str, status: int | None, delay: float) -> None:
        if self.clock() + delay > self.deadline_at:
            raise FetchError(
                endpoint, status, f"gave up: waiting {delay:g} s would pass the fetch deadline"
            )
        self.sleep(delay)


class PagerDutyFetcher:
    """Asks PagerDuty for one snapshot: the policy, who is on call now, and 8 weeks of shifts.

    Requests per fetch: 1 (policy) + pages of /oncalls (one per 100 on-call entries, not per
    user in the account) + 1 per schedule of the policy (2 for a layer-based one of unknown
    kind) + for v3 schedules, names: at most 1 /oncalls page, rarely 1 per unnamed person.
    """

    def __init__(
        self,
        token: str,
        settings: PagerDutySettings,
        *,
        labels: Mapping[int, str] | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.escalation_policy_id:
            raise ConfigError(
                "no escalation policy: set PAGERDUTY_ESCALATION_POLICY_ID or the plugin's escalation_policy_id"
            )
        if not settings.api_url.startswith("https://"):
            raise ConfigError(
                f"PAGERDUTY_API_URL must start with https:// (got {settings.api_url!r})"
            )
        self._token, self.settings, self.labels = token, settings, dict(labels or {})
        self.policy, self.sleep = policy or RetryPolicy(), sleep
        self.request_count = 0

    def __repr__(self) -> str:
        return f"PagerDutyFetcher(api_url={self.settings.api_url!r}, token=***)"

    def __call__(self, now: datetime | None = None) -> Snapshot:
        """Fetch now; FetchError on any failure (nothing is written here)."""
        when = (now or datetime.now(timezone.utc)).replace(microsecond=0)
        client = OncallClient(self._token, self.settings.api_url, self.policy, sleep=self.sleep)
        try:
            return self._fetch(client, when)
        except pagerduty.Error as error:  # a body that is not the JSON PagerDuty sends
            response = getattr(error, "response", None)
            status = response.status_code if response is not None else None
            raise FetchError(
                "GET " + self._last_path(error), status, "malformed response body"
            ) from None
        except (
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
        ) as error:  # JSON, but not what the API sends
            raise FetchError(
                "PagerDuty", 200, f"unexpected response content ({type(error).__name__}: {error})"
            ) from None
        finally:
            self.request_count += client.request_count
            client.close()

    @staticmethod
    def _last_path(error: Any) -> str:
        response = getattr(error, "response", None)
        return urlsplit(str(response.request.url)).path if response is not None else "?"

    def _fetch(self, client: OncallClient, now: datetime) -> Snapshot:
        pid = self.settings.escalation_policy_id
        policy = client.rget(f"/escalation_policies/{pid}")
        params = {"escalation_policy_ids[]": [pid], "include[]": ["users"], "time_zone": "UTC"}
        oncalls = list(client.iter_all("/oncalls", params=params))
        window = {
            "since": iso(now),
            "until": iso(now + HORIZON),
            "time_zone": "UTC",
            "overflow": "true",
        }

        def layer(sid: str) -> Any:
            return client.rget(f"/schedules/{sid}", params=window)

        until = now + HORIZON  # each target by its kind; unknown: v3 first, layer-based on 400
        schedules = {
            sid: fetch_any_schedule(client, sid, kind, now, until, fetch_layer=layer)
            for sid, kind in schedule_kinds(policy).items()
        }
        schedules = with_user_names(
            client, schedules, oncalls, policy_id=pid, since=now, until=until
        )
        return build_snapshot(policy, oncalls, schedules, generated_at=now, labels=self.labels)


def settings_from_env(api_url: str = "", escalation_policy_id: str = "") -> PagerDutySettings:
    """Configured values, overridden by PAGERDUTY_API_URL and PAGERDUTY_ESCALATION_POLICY_ID."""
    return PagerDutySettings(
        api_url=(os.environ.get("PAGERDUTY_API_URL") or api_url or DEFAULT_API_URL).rstrip("/"),
        escalation_policy_id=os.environ.get("PAGERDUTY_ESCALATION_POLICY_ID")
        or escalation_policy_id,
    )


def token_from_env() -> str | None:
    """The token comes from the environment only; an empty value counts as none."""
    return os.environ.get("PAGERDUTY_API_TOKEN") or None
