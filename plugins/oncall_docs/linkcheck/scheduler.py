"""The per-host scheduler of the external link check: pure, no HTTP (that is linkcheck/http.py).

Checks unique URLs concurrently, polite to each host, bounded in time: a worker takes a host's
URLs one after another, at most `per_host` workers per host; 429/503 answers delay one URL or
pause the whole host. The fetch is injected, so the policy is tested with a fake clock.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import partial
from queue import SimpleQueue
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin, urlsplit

from oncall_docs.findings import codes
from oncall_docs.linkcheck.collect import anchors_of, decode_html
from oncall_docs.linkcheck.outcome import Outcome

if TYPE_CHECKING:
    import ssl

REDIRECTS = (301, 302, 303, 307, 308)
HEAD_REFUSED = (403, 405, 501)


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
    peer_internal: bool | None = None  # the answering address was internal (None: not known)


class FetchFailed(Exception):
    """A request got no HTTP answer; `code` is a registered slug (timeout, tls-error, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Fetch(Protocol):
    """One request: method, URL, timeout (seconds of wall time), whether to read an HTML body.

    `public_only` is passed (True) only when following a redirect from a public address: the
    fetch must then refuse an internal address with FetchFailed(`redirect-to-private`).
    """

    def __call__(self, method: str, url: str, timeout: float, want_body: bool, /) -> Response:
        """The answer, or FetchFailed when there is none."""


GRACE = 0.5  # seconds after the run's deadline for requests cut at it to report back
RUN_LIMIT = "not finished within the run's time limit"  # "time limit": never cached
NOT_CHECKED = "not checked within the run's time limit"


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
        self.public_only = False  # redirected by a public address: no internal one next
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


class ExternalChecker:
    """Checks unique URLs once each: `workers` at a time, at most `per_host` per host.

    A 429/503 with a wait delays the retry of that URL alone, its per-host slot free for the
    host's other URLs meanwhile; the whole host is paused when the answer says the host's budget
    is spent (`RateLimit-Remaining: 0`) or when its answers are 429/503 several times in a row.
    `check_all` returns at the run's deadline (plus GRACE) whatever is still in flight: it asks
    the fetch to `abort()` those requests, reports their URLs as `timeout`, and its workers are
    daemon threads, so nothing holds up the exit.
    """

    def __init__(
        self,
        options: ExternalOptions,
        *,
        fetch: Fetch,
        sleep: Callable[[float], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options
        self.fetch = fetch
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
        close = getattr(self.fetch, "close", None)
        if close is not None:
            close()

    def _abort(self) -> None:
        """The run's time is up: have the fetch end the requests still in flight."""
        abort = getattr(self.fetch, "abort", None)
        if abort is not None:
            abort()

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
                return state.done(codes.TIMEOUT.slug, RUN_LIMIT)
            if not state.waited:
                wait_for = max(state.not_before, self._resume_of(state.current)) - self.clock()
                if wait_for > 0:
                    return wait_for
            state.waited = False
            state.requests += 1
            timeout = min(self.options.timeout, remaining)
            try:
                if state.public_only:
                    resp = self.fetch(
                        state.method, state.current, timeout, state.want_anchors, public_only=True
                    )  # type: ignore[call-arg]
                else:
                    resp = self.fetch(state.method, state.current, timeout, state.want_anchors)
            except FetchFailed as error:  # HttpFetch already retried a stale kept connection
                if error.code == codes.TIMEOUT.slug and timeout < self.options.timeout:
                    return state.done(error.code, RUN_LIMIT)  # cut by the run, not the server
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
                    codes.RATE_LIMITED.slug, "HTTP 429: rate limited beyond the wait we allow", 429
                )
        if 200 <= status < 300:
            self._respect_rate_limit(state.current, resp.headers)
            anchors = None
            if state.want_anchors and state.method == "GET":
                anchors = (
                    frozenset(anchors_of(decode_html(resp.body))) if resp.body else frozenset()
                )
            return state.done(None, "", status, anchors)
        return state.done(codes.BROKEN_LINK.slug, f"HTTP {status}", status)

    def _redirect(self, state: _State, resp: Response) -> Outcome | None:
        location = resp.headers.get("location", "").strip()
        if not location:
            return state.done(
                codes.BROKEN_LINK.slug, f"HTTP {resp.status} without a Location", resp.status
            )
        target = urljoin(state.current, location)
        if urlsplit(target).scheme not in ("http", "https"):
            return state.done(codes.BAD_REDIRECT.slug, f"redirects to {target[:200]}", resp.status)
        if target.split("#")[0] in state.seen:
            return state.done(
                codes.REDIRECT_LOOP.slug, f"redirect loop back to {target}", resp.status
            )
        if len(state.seen) > self.options.max_redirects:
            return state.done(
                codes.TOO_MANY_REDIRECTS.slug,
                f"more than {self.options.max_redirects} redirects",
                resp.status,
            )
        if resp.status in (301, 308) and state.moved_to is None:
            state.moved_to = target
        if resp.status == 303:
            state.method = "GET"
        state.seen.add(target.split("#")[0])
        state.current = target
        state.public_only = resp.peer_internal is False
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
        pool = _Workers(max(1, self.options.workers))
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
                        if self.clock() >= self.deadline + GRACE:
                            break  # requests still in flight are abandoned, as timed out
                        left = self.deadline - self.clock() + GRACE
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
            self._abort()
            pool.shutdown()
            self.close()
        for url in urls:
            results.setdefault(url, Outcome(codes.TIMEOUT.slug, NOT_CHECKED))
        return results

    def _next_wake(self, run: _Run) -> float:
        """The next moment a wait ends: a URL's Retry-After, or a paused host with URLs to check."""
        times = [self.deadline + GRACE]
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

    def _start_lanes(self, pool: _Workers, run: _Run, now: float) -> None:
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
                state = queue.popleft()
                pool.submit(partial(self._lane, run, host, state))
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
        finally:
            with run.changed:
                run.busy[host] -= 1
                run.lanes -= 1
                run.changed.notify()


class _Workers:
    """Daemon worker threads, at most `size`.

    A request stuck past the run's deadline can then never hold up the exit: check_all
    returns at its deadline and leaves such workers behind.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._tasks: SimpleQueue[Callable[[], None] | None] = SimpleQueue()
        self._lock = threading.Lock()
        self._started = 0
        self._idle = 0

    def submit(self, task: Callable[[], None]) -> None:
        """Run `task` on an idle worker, or on a new one while there are fewer than `size`."""
        with self._lock:
            if self._idle > 0:
                self._idle -= 1
            elif self._started < self._size:
                self._started += 1
                threading.Thread(target=self._work, name="linkcheck-worker", daemon=True).start()
        self._tasks.put(task)

    def _work(self) -> None:
        while (task := self._tasks.get()) is not None:
            task()
            with self._lock:
                self._idle += 1

    def shutdown(self) -> None:
        """Let every worker end once its task is done; waits for none of them."""
        with self._lock:
            started, self._started = self._started, 0
        for _ in range(started):
            self._tasks.put(None)


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
