"""[I/O] The HTTP pool of the external link check: the only linkcheck module that speaks HTTP.

Keep-alive connections per host, TLS always verified, no cookie and no credential sent
(`user:pass@` in a URL is dropped), a User-Agent that says who we are. Every request is bounded
in wall time, not only per socket read: a watchdog shuts the socket of a request whose time is
up, so a server that drips its headers one byte a second cannot hold a worker. A redirect that
came from a public address is never connected to a loopback, link-local or private one.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from oncall_docs import __version__
from oncall_docs.findings import codes
from oncall_docs.linkcheck.scheduler import ExternalOptions, FetchFailed, Response

USER_AGENT = f"oncall-docs-linkcheck/{__version__} (+https://github.com/)"
HEADERS = {"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8", "Accept-Encoding": "identity"}
SMALL_BODY = 65536  # a body we may read to keep its connection for the next request
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
Key = tuple[str, str, int | None]


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return f"{path}?{query}" if query else path


def _read_bounded(resp: http.client.HTTPResponse, limit: int, deadline: float) -> bytes:
    """Read at most `limit` bytes, and stop at `deadline`, so endless or dripping bodies end."""
    chunks: list[bytes] = []
    size = 0
    while size < limit and time.monotonic() < deadline:
        chunk = resp.read1(min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class _Refused(Exception):
    """The host resolves only to internal addresses, and the request may go to public ones only."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


class _Watch:
    """One request in flight: its wall-clock deadline and the connection it uses."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.conn: http.client.HTTPConnection | None = None
        self.expired = False


class _Watchdog:
    """Ends requests whose time is up by shutting their socket (the blocked read then returns).

    One daemon thread for the whole pool, started on the first request, ended by `close`.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._watches: set[_Watch] = set()
        self._thread: threading.Thread | None = None
        self._closed = False

    def start(self, deadline: float) -> _Watch:
        """Watch a new request that must end by `deadline` (time.monotonic)."""
        watch = _Watch(deadline)
        with self._lock:
            self._watches.add(watch)
            self._closed = False
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="linkcheck-watchdog", daemon=True
                )
                self._thread.start()
            self._lock.notify()
        return watch

    def attach(self, watch: _Watch, conn: http.client.HTTPConnection | None) -> None:
        """Name the connection the request uses now (None: it is done with it)."""
        with self._lock:
            watch.conn = conn

    def stop(self, watch: _Watch) -> None:
        """The request is over, one way or the other."""
        with self._lock:
            self._watches.discard(watch)
            watch.conn = None
            if self._closed:
                self._lock.notify()  # the thread may be waiting for the last one to end

    def expire_all(self) -> None:
        """The run is over: end every request in flight now."""
        with self._lock:
            for watch in self._watches:
                watch.deadline = 0.0
            self._lock.notify()

    def close(self) -> None:
        """Let the thread end once no request is watched (a later request starts a new one)."""
        with self._lock:
            self._closed = True
            self._lock.notify()

    def _run(self) -> None:
        with self._lock:
            while True:
                if self._closed and not self._watches:
                    self._thread = None
                    return
                now = time.monotonic()
                for watch in self._watches:
                    if watch.deadline <= now and not watch.expired:
                        watch.expired = True
                        _shut(watch.conn)
                pending = [w.deadline for w in self._watches if not w.expired]
                self._lock.wait(min(pending) - now if pending else None)


def _shut(conn: http.client.HTTPConnection | None) -> None:
    sock = conn.sock if conn is not None else None
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed or never connected
        sock.shutdown(socket.SHUT_RDWR)


def is_internal(address: str, port: int) -> bool:
    """Loopback, link-local, private, shared, reserved: any address that is not global.

    `port` is unused here; it lets an injected classifier tell two servers on one address apart.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_loopback or ip.is_link_local or ip.is_private


class HttpFetch:
    """The real fetch: keep-alive connections per host (at most `per_host` in use), TLS verified.

    http.client sends no cookie and no Authorization; `user:pass@` in a URL is never sent.
    `internal(address, port)` classifies addresses (injectable, so tests on 127.0.0.1 can call
    one port public).
    """

    def __init__(
        self,
        options: ExternalOptions,
        *,
        internal: Callable[[str, int], bool] = is_internal,
    ) -> None:
        self.options = options
        self.internal = internal
        self.context = options.ssl_context or ssl.create_default_context()
        self._idle: dict[Key, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._watchdog = _Watchdog()

    def _connection(
        self, key: Key, timeout: float, reuse: bool
    ) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            idle = self._idle.get(key)
            if reuse and idle:
                conn = idle.pop()
                conn.timeout = timeout
                if conn.sock is not None:
                    conn.sock.settimeout(timeout)
                return conn, True
        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(
                host, port, timeout=timeout, context=self.context
            ), False
        return http.client.HTTPConnection(host, port, timeout=timeout), False

    def _connector(self, public_only: bool) -> Callable[..., socket.socket]:
        """socket.create_connection that checks each resolved address before connecting to it."""

        def connect(
            address: tuple[str, int], timeout: float, source: tuple[str, int] | None = None
        ) -> socket.socket:
            host, port = address
            last: OSError | None = None
            refused: str | None = None
            for family, kind, proto, _, peer in socket.getaddrinfo(
                host, port, 0, socket.SOCK_STREAM
            ):
                if public_only and self.internal(str(peer[0]), port):
                    refused = str(peer[0])
                    continue
                sock = socket.socket(family, kind, proto)
                try:
                    sock.settimeout(timeout)
                    if source:
                        sock.bind(source)
                    sock.connect(peer)
                    return sock
                except OSError as error:
                    sock.close()
                    last = error
            if refused is not None and last is None:
                raise _Refused(refused)
            raise last or OSError(f"cannot resolve {host}")

        return connect

    def __call__(
        self, method: str, url: str, timeout: float, want_body: bool, *, public_only: bool = False
    ) -> Response:
        """One request within `timeout` seconds of wall time; a stale kept connection is replaced once.

        `public_only`: the request follows a redirect from a public address, so it must not go
        to an internal one (that would let any page make us probe the local network).
        """
        watch = self._watchdog.start(time.monotonic() + timeout)
        try:
            try:
                return self._request(
                    method, url, timeout, want_body, watch, public_only, reuse=True
                )
            except _STALE as error:
                if watch.expired or not getattr(error, "reused", False):
                    raise
                return self._request(
                    method, url, timeout, want_body, watch, public_only, reuse=False
                )
        except _Refused as refused:
            raise FetchFailed(
                codes.REDIRECT_TO_PRIVATE.slug,
                f"not followed: redirected from a public address to {url[:200]} ({refused.address})",
            ) from None
        except (OSError, http.client.HTTPException, UnicodeError) as error:
            if watch.expired or isinstance(error, TimeoutError):
                raise FetchFailed(codes.TIMEOUT.slug, f"no answer within {timeout:.0f} s") from None
            if isinstance(error, ssl.SSLError):
                raise FetchFailed(codes.TLS_ERROR.slug, f"TLS: {error.reason or error}") from None
            raise FetchFailed(
                codes.CONNECTION_ERROR.slug, f"{type(error).__name__}: {error}"
            ) from None
        finally:
            self._watchdog.stop(watch)

    def _request(
        self,
        method: str,
        url: str,
        timeout: float,
        want_body: bool,
        watch: _Watch,
        public_only: bool,
        *,
        reuse: bool,
    ) -> Response:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port)
        conn, reused = self._connection(key, timeout, reuse)
        conn._create_connection = self._connector(public_only)  # type: ignore[attr-defined]
        keep = False
        try:
            if reused and conn.sock is not None:
                self._check_peer(conn, public_only)
            self._watchdog.attach(watch, conn)
            conn.request(method, _request_target(url), headers=HEADERS)
            if watch.expired:
                raise TimeoutError
            resp = conn.getresponse()
            body = b""
            if want_body and "html" in resp.getheader("content-type", "html"):
                body = _read_bounded(resp, self.options.max_body, watch.deadline)
            elif (
                method == "HEAD"
                or int(resp.getheader("content-length") or SMALL_BODY + 1) <= SMALL_BODY
            ):
                resp.read()
            keep = resp.isclosed() and not resp.will_close and not watch.expired
            return Response(
                resp.status,
                {k.lower(): v for k, v in resp.getheaders()},
                body,
                peer_internal=self._peer_internal(conn),
            )
        except _STALE as error:
            error.reused = reused  # type: ignore[union-attr]
            raise
        finally:
            self._watchdog.attach(watch, None)
            self._release(key, conn, keep)

    def _peer_internal(self, conn: http.client.HTTPConnection) -> bool | None:
        """Whether the connection's peer is internal (None when it cannot be told)."""
        try:
            peer = conn.sock.getpeername() if conn.sock is not None else None
        except OSError:
            return None
        return None if not peer else self.internal(str(peer[0]), int(peer[1]))

    def _check_peer(self, conn: http.client.HTTPConnection, public_only: bool) -> None:
        if public_only and self._peer_internal(conn) is not False:
            conn.close()  # a kept connection to an internal address: connect afresh, checked
            conn.sock = None

    def _release(self, key: Key, conn: http.client.HTTPConnection, keep: bool) -> None:
        if not keep:
            conn.close()
            return
        with self._lock:
            self._idle.setdefault(key, []).append(conn)

    def abort(self) -> None:
        """The run's time is up: end every request in flight (their workers then return)."""
        self._watchdog.expire_all()

    def close(self) -> None:
        """Close every kept connection and let the watchdog's thread end."""
        self._watchdog.close()
        with self._lock:
            for conns in self._idle.values():
                for conn in conns:
                    conn.close()
            self._idle.clear()


def get_bounded(
    url: str,
    *,
    timeout: float,
    deadline: float,
    max_bytes: int,
    accept: str = "application/json",
    ssl_context: ssl.SSLContext | None = None,
) -> Response:
    """One GET of a small document (an API answer), bounded in wall time and in size.

    Each socket wait is bounded by `timeout`, the whole request by `deadline` (a
    `time.monotonic()` value; a watchdog shuts the socket then, so dripping headers end too),
    and the body by `max_bytes`. No redirect is followed, no cookie or credential is sent.
    Raises FetchFailed (timeout, too-large, tls-error, connection-error).
    """
    parts = urlsplit(url)
    left = deadline - time.monotonic()
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed(codes.CONNECTION_ERROR.slug, f"not an http(s) URL: {url[:200]}")
    if left <= 0:
        raise FetchFailed(codes.TIMEOUT.slug, "no time left for the request")
    wait = min(timeout, left)
    conn = (
        http.client.HTTPSConnection(
            parts.hostname,
            parts.port,
            timeout=wait,
            context=ssl_context or ssl.create_default_context(),
        )
        if parts.scheme == "https"
        else http.client.HTTPConnection(parts.hostname, parts.port, timeout=wait)
    )
    dog = _Watchdog()
    watch = dog.start(deadline)
    try:
        dog.attach(watch, conn)
        conn.request("GET", _request_target(url), headers={**HEADERS, "Accept": accept})
        resp = conn.getresponse()
        body = _read_bounded(resp, max_bytes + 1, deadline)
        if len(body) > max_bytes:
            raise FetchFailed("too-large", f"the answer is larger than {max_bytes} bytes")
        if watch.expired or (not resp.isclosed() and time.monotonic() >= deadline):
            raise FetchFailed(codes.TIMEOUT.slug, "the answer did not finish in time")
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
    except (OSError, http.client.HTTPException, UnicodeError) as error:
        if watch.expired or isinstance(error, TimeoutError):
            raise FetchFailed(codes.TIMEOUT.slug, f"no answer within {wait:.0f} s") from None
        if isinstance(error, ssl.SSLError):
            raise FetchFailed(codes.TLS_ERROR.slug, f"TLS: {error.reason or error}") from None
        raise FetchFailed(codes.CONNECTION_ERROR.slug, f"{type(error).__name__}: {error}") from None
    finally:
        dog.stop(watch)
        dog.close()
        conn.close()
