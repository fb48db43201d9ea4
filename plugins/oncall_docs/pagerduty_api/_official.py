"""[I/O] The official `pagerduty` client, specialised: our retry loop, streamed bodies read within limits.

Imported only when an `OncallClient` is built. The official client does auth headers, the
versioned Accept header, classic pagination (`iter_all`) and entity unwrapping (`rget`);
it would retry 429 forever with its own back-off and read any body whole, so every
response passes through `postprocess` (a non-2xx answer goes to `OncallClient.with_retries`)
and `send` streams the body through `OncallClient.read_body` (size cap, deadline).
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pagerduty
from httpx2 import Request, Response

from oncall_docs.pagerduty_api.body import ACCEPT_ENCODING

if TYPE_CHECKING:
    from oncall_docs.pagerduty_api.client import OncallClient


class _Refused(Exception):
    """A non-2xx response, raised out of the official client's loop into ours."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _ssl_context() -> ssl.SSLContext | None:
    """SSL_CERT_FILE is read by the HTTP library itself; REQUESTS_CA_BUNDLE is honoured here too."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE")
    if bundle and not os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=bundle)
    return None


def _error_message(response: Response) -> str:
    """PagerDuty's own error message when the body has one (masked by the caller)."""
    try:
        error = response.json().get("error") or {}
        message = str(error.get("message") or "").strip()
    except (ValueError, AttributeError):
        message = ""
    return message or (response.reason_phrase or "request failed")


class OfficialClient(pagerduty.RestApiV2Client):
    """The official client; retries, limits and errors belong to its owner, an OncallClient."""

    def __init__(self, token: str, api_url: str, owner: OncallClient) -> None:
        super().__init__(token, base_url=api_url, verify=_ssl_context() or True)
        self.owner = owner
        self.timeout = owner.policy.timeout  # type: ignore[assignment]  # typed int upstream; httpx takes float
        self.max_network_attempts = 0  # a network error comes straight back to our loop
        self.retry = {}
        self.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what body.Decoder can bound
        self._endpoint = "GET ?"

    @contextmanager
    def translated(self, endpoint: str) -> Iterator[None]:
        """The official client's own errors (a body that is not JSON) as one FetchError."""
        try:
            yield
        except pagerduty.Error as error:
            response = getattr(error, "response", None)
            status = response.status_code if response is not None else None
            raise self.owner.fail(endpoint, status, "malformed response body") from None

    def postprocess(self, response: Response, suffix: str | None = None) -> None:
        """Count every HTTP exchange and lift non-2xx answers out of the official loop."""
        self.owner.request_count += 1
        if not response.is_success:
            raise _Refused(response)

    def request(self, method: str, url: str, **kwargs: Any) -> Response:  # type: ignore[override]
        """One API call with the owner's bounded retries; FetchError naming `METHOD /path`."""
        endpoint = self.owner.endpoint(method, self.normalize_url(url))

        def send(timeout: float) -> Any:
            from oncall_docs.pagerduty_api.client import Attempt

            self.timeout = timeout  # type: ignore[assignment]
            self._endpoint = endpoint
            try:
                return super(OfficialClient, self).request(method, url, **kwargs)
            except _Refused as refused:
                response = refused.response
                return Attempt(response.status_code, response.headers, _error_message(response))
            except pagerduty.Error as error:
                cause = type(error.__cause__).__name__ if error.__cause__ else "network error"
                return Attempt(None, None, cause)

        return self.owner.with_retries(endpoint, send)  # type: ignore[no-any-return]

    def send(self, request: Request, *, stream: bool = False, **kwargs: Any) -> Response:
        """Stream the body and read it within the cap and the deadline, then hand on a plain response."""
        response = super().send(request, stream=True, **kwargs)
        if stream:
            return response
        try:
            body = self.owner.read_body(
                self._endpoint,
                response.status_code,
                response.headers.get("content-encoding", ""),
                response.iter_raw(),
            )
        finally:
            response.close()
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return Response(
            response.status_code,
            headers=headers,
            content=body,
            request=request,
            extensions=response.extensions,
        )
