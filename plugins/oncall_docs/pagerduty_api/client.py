"""[I/O] The one PagerDuty client: https only, timeouts, bounded retries, capped bodies, token masked.

Every endpoint module (`escalation_policies`, `oncalls`, `schedules`, `incidents`, `users`)
asks through `OncallClient` and returns plain data; the policy is written once here, as in
PagerDuty's own python client (retries in the base client, endpoints specialise). The
official `pagerduty` client and `httpx2` are imported only when a client is built (in
`_official.py`), so importing a feature never loads them.

Limits of one fetch (`RetryPolicy`): tries per request, back-off (`ratelimit-reset` or
`Retry-After` when sent, else 2^n), a per-read timeout, one deadline that also covers
reading each body, and a cap on each body's decoded size. Every message derived from a
response is masked (`mask_secrets`) before it becomes a FetchError.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from oncall_docs.errors import ConfigError, FetchError

if TYPE_CHECKING:
    from oncall_docs.pagerduty_api._official import OfficialClient

DEFAULT_API_URL = "https://api.pagerduty.com"
RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
MASK = "***"
_CREDENTIAL = re.compile(r"(?i)\b(token\s+token\s*=\s*|bearer\s+|token=)[^\s\"',;}\]]+")


@dataclass(frozen=True)
class RetryPolicy:
    """Limits for one fetch: tries per request, back-off, per-read timeout, overall deadline (s), body cap."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    timeout: float = 10.0
    deadline: float = 60.0
    max_response_bytes: int = MAX_RESPONSE_BYTES


@dataclass(frozen=True)
class PagerDutySettings:
    """Where to ask and which policy; the token is passed separately and never stored here."""

    api_url: str = DEFAULT_API_URL
    escalation_policy_id: str = ""


def settings_from_env(api_url: str = "", escalation_policy_id: str = "") -> PagerDutySettings:
    """Values already resolved by `oncall_docs.settings.pagerduty_settings` win; else the environment.

    The precedence (flag, then environment, then mkdocs.yml) is decided once, in settings.py;
    an empty value here means "not given", so PAGERDUTY_API_URL and
    PAGERDUTY_ESCALATION_POLICY_ID still apply to callers that pass nothing.
    """
    return PagerDutySettings(
        api_url=(api_url or os.environ.get("PAGERDUTY_API_URL") or DEFAULT_API_URL).rstrip("/"),
        escalation_policy_id=escalation_policy_id
        or os.environ.get("PAGERDUTY_ESCALATION_POLICY_ID", ""),
    )


def token_from_env() -> str | None:
    """The token comes from the environment only; an empty value counts as none."""
    return os.environ.get("PAGERDUTY_API_TOKEN") or None


def mask_secrets(text: str, token: str | None) -> str:
    """`text` with the token, and anything shaped like a credential (`Token token=…`, `Bearer …`), masked."""
    if token:
        text = text.replace(token, MASK)
    return _CREDENTIAL.sub(lambda m: m.group(1) + MASK, text)


def retry_delay(
    headers: Mapping[str, str] | None, attempt: int, policy: RetryPolicy, now: datetime
) -> float:
    """Seconds to wait before try `attempt + 1`: ratelimit-reset, Retry-After, else 2^n back-off."""
    for name in ("ratelimit-reset", "retry-after"):
        value = (headers or {}).get(name)
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
    return min(policy.base_delay * 2.0 ** (attempt - 1), policy.max_delay)


class Attempt:
    """What one try of a request came back with, as the retry loop needs it."""

    def __init__(self, status: int | None, headers: Mapping[str, str] | None, message: str) -> None:
        self.status, self.headers, self.message = status, headers, message


class OncallClient:
    """One PagerDuty session: a context manager, closed once; counts requests for the benchmark.

    `get` and `iter_all` return plain JSON data; every failure is one FetchError naming
    `GET /path` and the status, with the token masked.
    """

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_url.startswith("https://"):
            raise ConfigError(f"PAGERDUTY_API_URL must start with https:// (got {api_url!r})")
        self._token = token
        self.api_url = api_url
        self.policy = policy or RetryPolicy()
        self.clock, self.sleep = clock, sleep
        self.deadline_at = clock() + self.policy.deadline
        self.request_count = 0
        self._closed = False
        from oncall_docs.pagerduty_api._official import OfficialClient  # lazily: see the docstring

        self._api: OfficialClient = OfficialClient(token, api_url, self)

    def __repr__(self) -> str:
        return f"OncallClient(api_url={self.api_url!r}, token={MASK})"

    def __enter__(self) -> OncallClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (once; later calls do nothing)."""
        if not self._closed:
            self._closed = True
            self._api.close()

    # -- what endpoint modules call ------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET one resource, unwrapped (`/schedules/X` gives the schedule object)."""
        with self._api.translated(f"GET {path}"):
            return self._api.rget(path, params=dict(params or {}))

    def iter_all(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Every item of a classic-paginated listing, page after page."""
        endpoint = f"GET {path}"
        with self._api.translated(endpoint):
            yield from self._api.iter_all(path, params=dict(params or {}))

    def fail(self, endpoint: str, status: int | None, message: str) -> FetchError:
        """A FetchError whose text passed through the mask."""
        return FetchError(endpoint, status, mask_secrets(message, self._token))

    def mask(self, text: str) -> str:
        """Mask this client's token (and credential-shaped text) in `text`."""
        return mask_secrets(text, self._token)

    # -- what the official client calls back -----------------------------------------------------
    def endpoint(self, method: str, url: str) -> str:
        """`GET /oncalls`: the method and the path, never the query or the host."""
        return f"{method.upper()} {urlsplit(url).path}"

    def with_retries(self, endpoint: str, send: Callable[[float], Attempt | Any]) -> Any:
        """Run `send(timeout)` until it returns a response, at most `attempts` times within the deadline.

        `send` returns the response, or an Attempt describing a retryable-or-not failure.
        """
        attempt = 0
        while True:
            attempt += 1
            remaining = self.deadline_at - self.clock()
            if remaining <= 0:
                raise self.fail(
                    endpoint,
                    None,
                    f"gave up: the fetch deadline of {self.policy.deadline:g} s passed",
                )
            outcome = send(min(self.policy.timeout, remaining))
            if not isinstance(outcome, Attempt):
                return outcome
            final = attempt >= self.policy.attempts
            if outcome.status is None:
                if final:
                    raise self.fail(endpoint, None, f"{outcome.message} after {attempt} attempts")
            elif outcome.status not in RETRYABLE or final:
                raise self.fail(endpoint, outcome.status, outcome.message)
            delay = retry_delay(outcome.headers, attempt, self.policy, datetime.now(timezone.utc))
            if self.clock() + delay > self.deadline_at:
                raise self.fail(
                    endpoint,
                    outcome.status,
                    f"gave up: waiting {delay:g} s would pass the fetch deadline",
                )
            self.sleep(delay)

    def read_body(
        self, endpoint: str, status: int, encoding: str, chunks: Iterable[bytes]
    ) -> bytes:
        """The decoded body, within the size cap and the deadline; FetchError naming the endpoint otherwise."""
        from oncall_docs.pagerduty_api.body import BodyTooLarge, Decoder, UnknownEncoding

        limit = self.policy.max_response_bytes
        try:
            decoder = Decoder(encoding, limit)
            for chunk in chunks:
                decoder.feed(chunk)
                if self.clock() > self.deadline_at:
                    raise self.fail(
                        endpoint,
                        status,
                        f"gave up: the fetch deadline of {self.policy.deadline:g} s passed while reading the body",
                    )
            return decoder.finish()
        except BodyTooLarge:
            raise self.fail(
                endpoint, status, f"response body larger than the cap of {limit:,} bytes (decoded)"
            ) from None
        except UnknownEncoding as error:
            raise self.fail(endpoint, status, f"unsupported Content-Encoding {error}") from None
        except ValueError:  # zlib.error is not one, but Decoder turns it into one
            raise self.fail(endpoint, status, "undecodable response body") from None
