"""[I/O] External URLs: concurrent, polite to each host, bounded in time, TLS always verified.

`fetch` is injectable; the default speaks HTTP with http.client and sends no cookie, no
credential (user:pass@ in a URL is dropped), and a User-Agent that says who we are.
"""

from __future__ import annotations

import heapq
import http.client
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

from oncall_docs import __version__
from oncall_docs.linkcheck.collect import anchors_of, decode_html
from oncall_docs.linkcheck.outcome import Outcome

REDIRECTS = (301, 302, 303, 307, 308)
HEAD_REFUSED = (403, 405, 501)
USER_AGENT = f"oncall-docs-linkcheck/{__version__} (+https://github.com/)"


@dataclass(frozen=True)
class ExternalOptions:
    """How hard and how long to try. Times are seconds."""

    workers: int = 32
    per_host: int = 4
    timeout: float = 10.0  # one request
    total_timeout: float = 300.0  # the whole run
    max_redirects: int = 10
    max_wait: float = 60.0  # total time spent honouring Retry-After, for the whole run
    max_retries: int = 3  # per URL, on 429/503 with a wait
    check_anchors: bool = False
    max_body: int = 4_000_000  # bytes read from a page whose fragments are checked
    ssl_context: ssl.SSLContext | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Response:
    """What a fetch returns: status, headers (lower-case names) and the body read, if any."""

    status: int
    headers: Mapping[str, str]
    body: bytes = b""


class FetchFailed(Exception):
    """A request got no HTTP answer; `code` is timeout, tls-error or connection-error."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


Fetch = Callable[[str, str, float, bool], Response]


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


HEADERS = {"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8", "Accept-Encoding": "identity"}
SMALL_BODY = 65536  # a body we may read to keep its connection for the next request
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class HttpFetch:
    """The real fetch: keep-alive connections per host (at most `per_host` in use), TLS verified.

    http.client sends no cookie and no Authorization; `user:pass@` in a URL is never sent.
    """

    def __init__(self, options: ExternalOptions) -> None:
        self.options = options
        self.context = options.ssl_context or ssl.create_default_context()
        self._idle: dict[tuple[str, str, int | None], list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def _connection(
        self, key: tuple[str, str, int | None], timeout: float, reuse: bool
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

    def __call__(self, method: str, url: str, timeout: float, want_body: bool) -> Response:
        """One request; a kept connection the server has closed meanwhile is replaced once."""
        try:
            try:
                return self._request(method, url, timeout, want_body, reuse=True)
            except _STALE as error:
                if not getattr(error, "reused", False):
                    raise
                return self._request(method, url, timeout, want_body, reuse=False)
        except TimeoutError:
            raise FetchFailed("timeout", f"no answer within {timeout:.0f} s") from None
        except ssl.SSLError as error:
            raise FetchFailed("tls-error", f"TLS: {error.reason or error}") from None
        except (OSError, http.client.HTTPException, UnicodeError) as error:
            raise FetchFailed("connection-error", f"{type(error).__name__}: {error}") from None

    def _request(
        self, method: str, url: str, timeout: float, want_body: bool, *, reuse: bool
    ) -> Response:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port)
        conn, reused = self._connection(key, timeout, reuse)
        keep = False
        try:
            conn.request(method, _request_target(url), headers=HEADERS)
            resp = conn.getresponse()
            body = b""
            if want_body and "html" in resp.getheader("content-type", "html"):
                body = _read_bounded(resp, self.options.max_body, time.monotonic() + timeout)
            elif (
                method == "HEAD"
                or int(resp.getheader("content-length") or SMALL_BODY + 1) <= SMALL_BODY
            ):
                resp.read()
            keep = resp.isclosed() and not resp.will_close
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
        except _STALE as error:
            error.reused = reused  # type: ignore[union-attr]
            raise
        finally:
            self._release(key, conn, keep)

    def _release(
        self, key: tuple[str, str, int | None], conn: http.client.HTTPConnection, keep: bool
    ) -> None:
        if not keep:
            conn.close()
            return
        with self._lock:
            self._idle.setdefault(key, []).append(conn)

    def close(self) -> None:
        """Close every kept connection."""
        with self._lock:
            for conns in self._idle.values():
                for conn in conns:
                    conn.close()
            self._idle.clear()


def retry_delay(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or a RateLimit-Reset header."""
    value = headers.get("retry-after")
    if value is not None:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError, IndexError):
            return None
    for name in ("ratelimit-reset", "x-ratelimit-reset"):
        reset = headers.get(name, "").strip()
        if reset.replace(".", "", 1).isdigit():
            number = float(reset)
            return max(0.0, number - now) if number > 1e9 else number  # epoch or delta seconds
    return None


class _State:
    """Per URL: where we are in the redirect chain, and how many requests it took."""

    def __init__(self, url: str, want_anchors: bool) -> None:
        self.url = url
        self.current = url
        self.method = "GET" if want_anchors else "HEAD"
        self.want_anchors = want_anchors
        self.seen = {url}
        self.moved_to: str | None = None
        self.requests = 0
        self.retries = 0
        self.not_before = 0.0  # a Retry-After for this URL: no request to it before then
        self.waited = False  # the caller has waited out `not_before` and the host's pause

    def done(
        self,
        code: str | None,
        message: str = "",
        status: int | None = None,
        anchors: frozenset[str] | None = None,
    ) -> Outcome:
        return Outcome(code, message, status, self.moved_to, anchors, self.requests)


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _budget_exhausted(headers: Mapping[str, str]) -> bool:
    """`RateLimit-Remaining: 0` (or X-RateLimit-Remaining): the host's whole budget is spent."""
    remaining = headers.get("ratelimit-remaining", headers.get("x-ratelimit-remaining", ""))
    return remaining.strip() == "0"


THROTTLED_IN_A_ROW = 2  # this many 429/503 answers in a row from a host pause the whole host


def get_bounded(
    url: str,
    *,
    timeout: float,
    deadline: float,
    max_bytes: int,
    accept: str = "application/json",
    ssl_context: ssl.SSLContext | None = None,
) -> Response:
    """One GET for a small document (an API answer), bounded in time and size.

    Every socket wait is bounded by `timeout`, the whole read by `deadline` (a
    `time.monotonic()` value), and the body by `max_bytes`. Raises FetchFailed (timeout, too-large, tls-error, connection-error); no redirect is followed.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed("bad-url", f"not an http(s) URL: {url}")
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed("timeout", "no time left for the request")
    conn: http.client.HTTPConnection = (
        http.client.HTTPSConnection(
            parts.hostname,
            parts.port,
            timeout=min(timeout, left),
            context=ssl_context or ssl.create_default_context(),
        )
        if parts.scheme == "https"
        else http.client.HTTPConnection(parts.hostname, parts.port, timeout=min(timeout, left))
    )
    try:
        conn.request("GET", _request_target(url), headers={**HEADERS, "Accept": accept})
        resp = conn.getresponse()
        body = _read_bounded(resp, max_bytes + 1, deadline)
        if len(body) > max_bytes:
            raise FetchFailed("too-large", f"the answer is larger than {max_bytes} bytes")
        if not resp.isclosed() and time.monotonic() >= deadline:
            raise FetchFailed("timeout", "the answer did not finish in time")
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
    except TimeoutError:
        raise FetchFailed("timeout", f"no answer within {timeout:.0f} s") from None
    except ssl.SSLError as error:
        raise FetchFailed("tls-error", f"TLS: {error.reason or error}") from None
    except (OSError, http.client.HTTPException, UnicodeError) as error:
        raise FetchFailed("connection-error", f"{type(error).__name__}: {error}") from None
    finally:
        conn.close()


class ExternalChecker:
    """Checks unique URLs once each: `workers` at a time, at most `per_host` per host.

    A 429/503 with a wait delays the retry of that URL alone, its per-host slot free for the
    host's other URLs meanwhile; the whole host is paused when the answer says the host's budget
    is spent (`RateLimit-Remaining: 0`) or when its answers are 429/503 several times in a row.
    """

    def __init__(
        self,
        options: ExternalOptions,
        *,
        fetch: Fetch | None = None,
        sleep: Callable[[float], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options
        self.fetch = fetch or HttpFetch(options)
        self.clock = clock
        self._stop = threading.Event()
        self.sleep = sleep if sleep is not None else self._stop.wait
        self.deadline = clock() + options.total_timeout
        self._lock = threading.Lock()
        self._waited = 0.0
        self._host_resume: dict[str, float] = {}
        self._throttled: dict[str, int] = {}  # host -> 429/503 answers in a row

    def close(self) -> None:
        """Close the connections kept alive for the next request (check_all does it itself)."""
        if isinstance(self.fetch, HttpFetch):
            self.fetch.close()

    def check(self, url: str, want_anchors: bool = False) -> Outcome:
        """Follow one URL to its final answer, waiting here for what the servers ask."""
        state = _State(url, want_anchors)
        while True:
            result = self._advance(state)
            if isinstance(result, Outcome):
                return result
            self.sleep(min(result, max(0.0, self.deadline - self.clock())))
            state.waited = True

    def _advance(self, state: _State) -> Outcome | float:
        """Request until the URL has its outcome, or return the seconds it must wait first."""
        while True:
            remaining = self.deadline - self.clock()
            if remaining <= 0:
                return state.done("timeout", "not finished within the run's time limit")
            if not state.waited:
                wait_for = max(state.not_before, self._resume_of(state.current)) - self.clock()
                if wait_for > 0:
                    return wait_for
            state.waited = False
            state.requests += 1
            try:
                resp = self.fetch(
                    state.method,
                    state.current,
                    min(self.options.timeout, remaining),
                    state.want_anchors,
                )
            except FetchFailed as error:  # HttpFetch already retried a stale kept connection
                return state.done(error.code, str(error))
            outcome = self._answer(state, resp)
            if outcome is not None:
                return outcome

    def _answer(self, state: _State, resp: Response) -> Outcome | None:
        """Turn one response into an outcome, or into the next request (None)."""
        status = resp.status
        host = _host(state.current)
        with self._lock:
            in_a_row = self._throttled.get(host, 0) + 1 if status in (429, 503) else 0
            self._throttled[host] = in_a_row
        if state.method == "HEAD" and status in HEAD_REFUSED:
            state.method = "GET"
            return None
        if status in REDIRECTS:
            return self._redirect(state, resp)
        if status in (429, 503):
            delay = retry_delay(resp.headers, time.time())
            if delay is not None and self._may_wait(state, delay):
                state.not_before = self.clock() + delay
                if _budget_exhausted(resp.headers) or in_a_row >= THROTTLED_IN_A_ROW:
                    self._pause_host(state.current, delay)
                return None
            if status == 429:
                return state.done(
                    "rate-limited", "HTTP 429: rate limited beyond the wait we allow", 429
                )
        if 200 <= status < 300:
            self._respect_rate_limit(state.current, resp.headers)
            anchors = None
            if state.want_anchors and state.method == "GET":
                anchors = (
                    frozenset(anchors_of(decode_html(resp.body))) if resp.body else frozenset()
                )
            return state.done(None, "", status, anchors)
        return state.done("broken-link", f"HTTP {status}", status)

    def _redirect(self, state: _State, resp: Response) -> Outcome | None:
        location = resp.headers.get("location", "").strip()
        if not location:
            return state.done("broken-link", f"HTTP {resp.status} without a Location", resp.status)
        target = urljoin(state.current, location)
        if urlsplit(target).scheme not in ("http", "https"):
            return state.done("bad-redirect", f"redirects to {target[:200]}", resp.status)
        if target.split("#")[0] in state.seen:
            return state.done("redirect-loop", f"redirect loop back to {target}", resp.status)
        if len(state.seen) > self.options.max_redirects:
            return state.done(
                "too-many-redirects",
                f"more than {self.options.max_redirects} redirects",
                resp.status,
            )
        if resp.status in (301, 308) and state.moved_to is None:
            state.moved_to = target
        if resp.status == 303:
            state.method = "GET"
        state.seen.add(target.split("#")[0])
        state.current = target
        return None

    def _may_wait(self, state: _State, delay: float) -> bool:
        """Honour a Retry-After while the URL's retries and the run's wait budget allow."""
        with self._lock:
            fits = self._waited + delay <= self.options.max_wait
            fits = fits and self.clock() + delay < self.deadline
            if state.retries >= self.options.max_retries or not fits:
                return False
            self._waited += delay
        state.retries += 1
        return True

    def _pause_host(self, url: str, delay: float) -> None:
        host = _host(url)
        with self._lock:
            self._host_resume[host] = max(self._host_resume.get(host, 0.0), self.clock() + delay)

    def _resume_of(self, url: str) -> float:
        """When the URL's host may be asked again (0: now)."""
        with self._lock:
            return self._host_resume.get(_host(url), 0.0)

    def _respect_rate_limit(self, url: str, headers: Mapping[str, str]) -> None:
        """`RateLimit-Remaining: 0` on a good answer: hold the host's next request until reset."""
        if _budget_exhausted(headers):
            delay = retry_delay(
                {k: v for k, v in headers.items() if k != "retry-after"}, time.time()
            )
            if delay is not None and delay <= self.options.max_wait:
                self._pause_host(url, delay)

    def check_all(
        self, urls: Mapping[str, bool], progress: Callable[[int, int], None] | None = None
    ) -> dict[str, Outcome]:
        """Check every URL (value: fetch its fragments too) within the run's time limit.

        Each worker takes a host's URLs one after the other while the host is not paused, at most
        `per_host` workers per host. A URL that must wait (its Retry-After, or its host paused)
        gives its worker and its per-host slot back, and goes first in its host's queue again
        once the wait is over.
        """
        run = _Run(urls)
        pool = ThreadPoolExecutor(max_workers=max(1, self.options.workers))
        now = self.clock()
        reported = 0
        try:
            with run.changed:
                while True:
                    if run.error is not None:
                        raise run.error
                    self._start_lanes(pool, run, now)
                    if progress and len(run.results) > reported:
                        reported = len(run.results)
                        run.changed.release()
                        try:
                            progress(reported, len(urls))
                        finally:
                            run.changed.acquire()
                    if not (run.lanes or run.waiting or run.queues):
                        break
                    wake = self._next_wake(run)
                    if run.lanes:
                        if self.clock() >= self.deadline + self.options.timeout:
                            break
                        left = self.deadline - self.clock() + self.options.timeout
                        run.changed.wait(max(0.0, min(left, wake - self.clock())))
                        now = self.clock()
                    else:  # nothing in flight: sleep until the next wait ends (no later than the deadline)
                        run.changed.release()
                        try:
                            self.sleep(max(0.0, wake - self.clock()))
                        finally:
                            run.changed.acquire()
                        now = max(self.clock(), wake)
                results = dict(run.results)
        finally:
            self._stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            self.close()
        for url in urls:
            results.setdefault(url, Outcome("timeout", "not checked within the run's time limit"))
        return results

    def _next_wake(self, run: _Run) -> float:
        """The next moment a wait ends: a URL's Retry-After, or a paused host with URLs to check."""
        times = [self.deadline + self.options.timeout]
        if run.waiting:
            times.append(run.waiting[0][0])
        with self._lock:
            times += [self._host_resume[h] for h in run.queues if h in self._host_resume]
        now = self.clock()
        times += [self.deadline] if self.deadline > now else []
        return min([t for t in times if t > now], default=now)

    def _paused(self, host: str, now: float) -> bool:
        with self._lock:
            return self._host_resume.get(host, 0.0) > now and now < self.deadline

    def _start_lanes(self, pool: ThreadPoolExecutor, run: _Run, now: float) -> None:
        """(run.changed held) Start workers while there are free ones and hosts under their limit.

        URLs whose wait is over go first in their host's queue; they are marked as having
        waited, so a worker does not wait for them again.
        """
        while run.waiting and run.waiting[0][0] <= now:
            _, _, host, state = heapq.heappop(run.waiting)
            state.waited = True
            run.queues.setdefault(host, deque()).appendleft(state)
        for host in list(run.queues):
            if run.lanes >= self.options.workers:
                return
            if self._paused(host, now):
                continue
            queue = run.queues[host]
            while (
                queue
                and run.busy.get(host, 0) < self.options.per_host
                and run.lanes < self.options.workers
            ):
                run.busy[host] = run.busy.get(host, 0) + 1
                run.lanes += 1
                pool.submit(self._lane, run, host, queue.popleft())
            if not queue:
                del run.queues[host]

    def _lane(self, run: _Run, host: str, state: _State) -> None:
        """A worker: check the host's URLs one after another until its queue is empty or paused."""
        try:
            while True:
                result = self._advance(state)
                with run.changed:
                    if isinstance(result, Outcome):
                        run.results[state.url] = result
                    else:
                        heapq.heappush(run.waiting, (self.clock() + result, id(state), host, state))
                        run.changed.notify()  # the main loop's next wake may be sooner now
                    queue = run.queues.get(host)
                    if not queue or self._paused(host, self.clock()):
                        break
                    state = queue.popleft()
                    if not queue:
                        del run.queues[host]
                    if len(run.results) % 64 == 0:
                        run.changed.notify()
        except BaseException as error:  # a bug, not an answer: check_all raises it
            with run.changed:
                run.error = error
            raise
        finally:
            with run.changed:
                run.busy[host] -= 1
                run.lanes -= 1
                run.changed.notify()


class _Run:
    """What check_all shares with its workers, guarded by `changed`."""

    def __init__(self, urls: Mapping[str, bool]) -> None:
        self.changed = threading.Condition()
        self.queues: dict[str, deque[_State]] = {}
        for url, want_anchors in urls.items():
            self.queues.setdefault(_host(url), deque()).append(_State(url, want_anchors))
        self.busy: dict[str, int] = {}
        self.lanes = 0
        self.results: dict[str, Outcome] = {}
        self.waiting: list[tuple[float, int, str, _State]] = []  # (due, order, host, state): a heap
        self.error: BaseException | None = None
