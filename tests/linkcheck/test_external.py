"""External URLs against the fake web on 127.0.0.1: answers, politeness, limits, TLS and cache."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import trustme

from oncall_docs.linkcheck.cache import LinkCache
from oncall_docs.linkcheck.check import Occurrence, Site
from oncall_docs.linkcheck.http import HttpFetch
from oncall_docs.linkcheck.outcome import Outcome, findings_for_url
from oncall_docs.linkcheck.rules import compile_rules
from oncall_docs.linkcheck.run import run_check
from oncall_docs.linkcheck.scheduler import ExternalChecker, ExternalOptions, Response, retry_delay
from oncall_docs.linkcheck.site import site_from_pages
from tests.fakes.loopback import serving
from tests.fakes.web import FakeWeb

FAST = ExternalOptions(timeout=0.5, total_timeout=20, workers=8, per_host=4, max_wait=5)


class Waits(list[float]):
    """An injected sleep that records how long the checker wanted to wait."""

    def __call__(self, seconds: float) -> None:
        """Record the wait instead of waiting."""
        self.append(seconds)


MakeChecker = Callable[..., ExternalChecker]


@pytest.fixture
def checker() -> Iterator[MakeChecker]:
    """Makes checkers whose waits are recorded instead of slept; closes their connections."""
    made: list[ExternalChecker] = []

    def make(options: ExternalOptions = FAST, waits: Waits | None = None) -> ExternalChecker:
        waited = waits if waits is not None else Waits()
        made.append(ExternalChecker(options, fetch=HttpFetch(options), sleep=waited))
        return made[-1]

    yield make
    for one in made:
        one.close()


def linking_site(*urls: str, pages: int = 1) -> Site:
    """`pages` pages that each link to every URL."""
    body = "".join(f'<a href="{url}">x</a>' for url in urls)
    html = {f"p{i}/index.html": f"<html><body>{body}</body></html>" for i in range(pages)}
    return site_from_pages(html, set())


@pytest.mark.parametrize(
    ("path", "code"),
    [
        pytest.param("/ok/a", None, id="ok"),
        pytest.param("/status/404/a", "broken-link", id="404"),
        pytest.param("/status/410/a", "broken-link", id="410"),
        pytest.param("/status/500/a", "broken-link", id="500"),
        pytest.param("/moved/a", None, id="301-followed"),
        pytest.param("/found/a", None, id="302-followed"),
        pytest.param("/loop/a/x", "redirect-loop", id="loop"),
        pytest.param("/file/a", "bad-redirect", id="redirect-to-file"),
        pytest.param("/nohead/a", None, id="head-refused-get-ok"),
        pytest.param("/drop/a", "connection-error", id="dropped"),
        pytest.param("/hang/a", "timeout", id="never-answers"),
        pytest.param("/slow/3000/a", "timeout", id="slow"),
    ],
)
def test_answers_become_codes(
    fake_web: FakeWeb, path: str, code: str | None, checker: MakeChecker
) -> None:
    """Each kind of answer (or non-answer) ends as its stable code."""
    assert checker().check(fake_web.base + path).code == code


def test_head_first_get_only_where_refused(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """HEAD is tried first; GET follows only a refused HEAD."""
    checker().check(fake_web.base + "/ok/h")
    checker().check(fake_web.base + "/nohead/h")
    assert [(s.method, s.path) for s in fake_web.seen] == [
        ("HEAD", "/ok/h"),
        ("HEAD", "/nohead/h"),
        ("GET", "/nohead/h"),
    ]


def test_permanent_redirect_is_remembered(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """A 301 is followed, and its target kept for `report_redirects`."""
    outcome = checker().check(fake_web.base + "/moved/r")
    assert (outcome.code, outcome.moved_to) == (None, fake_web.base + "/ok/r")


def test_too_many_redirects(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """A redirect chain longer than the limit is reported."""
    options = ExternalOptions(timeout=0.5, max_redirects=0)
    assert checker(options).check(fake_web.base + "/moved/x").code == "too-many-redirects"


def test_retry_after_is_honoured(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """A 429 with Retry-After waits that long, then asks again and succeeds."""
    waits = Waits()
    outcome = checker(waits=waits).check(fake_web.base + "/retry/2/a")
    assert (outcome.code, waits, fake_web.hits["/retry/2/a"]) == (
        None,
        [pytest.approx(2, abs=0.5)],
        2,
    )


def test_retry_after_beyond_budget_is_rate_limited(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """A wait longer than the run's budget is not waited: the URL is reported rate-limited."""
    waits = Waits()
    outcome = checker(waits=waits).check(fake_web.base + "/retry/3600/a")
    assert (outcome.code, waits) == ("rate-limited", [])


class FakeTime:
    """A clock that moves only when the checker sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        """The fake monotonic clock."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Stand-in for time.sleep: move the clock instead of waiting."""
        self.slept.append(seconds)
        self.now += seconds


class ThrottlingFetch:
    """A fetch without network: paths starting /limited answer 429 the first time, then 200."""

    def __init__(self, time: FakeTime, headers: dict[str, str]) -> None:
        self.time = time
        self.headers = headers
        self.asked: list[tuple[str, float]] = []

    def __call__(self, method: str, url: str, timeout: float, want_body: bool) -> Response:
        """Answer like a throttling server, at the fake time."""
        path = urlsplit(url).path
        first = all(p != path for p, _ in self.asked)
        self.asked.append((path, self.time.now))
        if path.startswith("/limited") and first:
            return Response(429, self.headers)
        return Response(200, {})


HOST = "http://127.0.0.1:9"


def throttled_run(
    paths: list[str], headers: dict[str, str]
) -> tuple[dict[str, Outcome], list[tuple[str, float]]]:
    """check_all over `paths` on one host, one request at a time; outcomes and (path, time) asked."""
    fake = FakeTime()
    fetch = ThrottlingFetch(fake, headers)
    options = ExternalOptions(timeout=1, workers=1, per_host=1, max_wait=30)
    checker = ExternalChecker(options, fetch=fetch, sleep=fake.advance, clock=fake.clock)
    results = checker.check_all({HOST + p: False for p in paths})
    return {urlsplit(u).path: o for u, o in results.items()}, [
        (p, t - 1000) for p, t in fetch.asked
    ]


def test_retry_after_delays_only_that_url() -> None:
    """A lone 429 delays that URL's retry; its slot serves the host's other URLs meanwhile."""
    results, asked = throttled_run(["/limited", "/a", "/b"], {"retry-after": "5"})
    assert {o.code for o in results.values()} == {None}
    assert asked == [("/limited", 0), ("/a", 0), ("/b", 0), ("/limited", 5)]


def test_spent_host_budget_pauses_the_host() -> None:
    """A 429 saying the host's budget is spent (RateLimit-Remaining: 0) holds every URL of it."""
    results, asked = throttled_run(
        ["/limited", "/a", "/b"], {"retry-after": "5", "ratelimit-remaining": "0"}
    )
    assert {o.code for o in results.values()} == {None}
    assert asked == [("/limited", 0), ("/limited", 5), ("/a", 5), ("/b", 5)]


def test_429s_in_a_row_pause_the_host() -> None:
    """A host answering 429 twice in a row is paused as a whole, not just those URLs."""
    results, asked = throttled_run(["/limited1", "/limited2", "/a"], {"retry-after": "5"})
    assert {o.code for o in results.values()} == {None}
    assert asked[:2] == [("/limited1", 0), ("/limited2", 0)]
    assert min(t for p, t in asked[2:]) == 5
    assert ("/a", 5) in asked


@pytest.mark.parametrize(
    ("headers", "delay"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": formatdate(1_700_000_030, usegmt=True)}, 30.0),
        ({"x-ratelimit-reset": "1700000012"}, 12.0),
        ({"ratelimit-reset": "5"}, 5.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_delay(headers: dict[str, str], delay: float | None) -> None:
    """Retry-After as seconds or date, and RateLimit-Reset as delta or epoch."""
    assert retry_delay(headers, now=1_700_000_000) == delay


def test_endless_body_is_bounded(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """A page whose body never ends is read up to the limit, and the check ends."""
    options = ExternalOptions(timeout=2, max_body=200_000, check_anchors=True)
    outcome = checker(options).check(fake_web.base + "/endless/a", want_anchors=True)
    assert outcome.code is None
    assert outcome.anchors == frozenset()


def test_per_host_limit(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """No more than `per_host` requests to one host are in flight at once."""
    urls = {f"{fake_web.base}/slow/50/{i}": False for i in range(16)}
    options = ExternalOptions(timeout=2, workers=8, per_host=2)
    results = checker(options).check_all(urls)
    assert all(o.code is None for o in results.values())
    assert max(fake_web.max_active.values()) <= 2  # 8 workers would reach 8 without the limit


def test_worker_limit_and_progress(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """No more than `workers` requests in flight in all, and progress ends at the total."""
    urls = {f"{fake_web.base}/slow/20/w{i}": False for i in range(12)}
    seen: list[tuple[int, int]] = []
    results = checker(ExternalOptions(timeout=2, workers=2, per_host=4)).check_all(
        urls, lambda done, total: seen.append((done, total))
    )
    assert all(o.code is None for o in results.values())
    assert len(fake_web.seen) == 12
    assert max(fake_web.max_active.values()) <= 2
    assert seen[-1] == (12, 12)


def test_a_bug_in_a_worker_is_raised() -> None:
    """An exception in a worker is not turned into a timeout: check_all raises it."""

    def broken(method: str, url: str, timeout: float, want_body: bool) -> Response:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError, match="bug"):
        ExternalChecker(FAST, fetch=broken).check_all({HOST + "/a": False, HOST + "/b": False})


def test_connections_are_kept_alive(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """Requests to one host reuse a kept-alive connection instead of opening one each."""
    urls = {f"{fake_web.base}/ok/k{i}": False for i in range(6)}
    checker(ExternalOptions(timeout=2, workers=4, per_host=1)).check_all(urls)
    assert len(fake_web.seen) == 6
    assert len({s.port for s in fake_web.seen}) == 1


def test_run_time_limit_ends_hung_checks(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """Servers that never answer cannot stretch the run beyond its time limit."""
    urls = {f"{fake_web.base}/hang/{i}": False for i in range(12)}
    options = ExternalOptions(timeout=30, total_timeout=0.5, workers=4, per_host=4)
    results = checker(options).check_all(urls)
    assert {o.code for o in results.values()} == {"timeout"}


def test_no_cookies_or_credentials_sent(fake_web: FakeWeb, checker: MakeChecker) -> None:
    """Set-Cookie is never sent back and user:password in a URL never leaves the machine."""
    host = fake_web.base.replace("http://", "http://user:secret@")
    checker().check_all({f"{host}/cookie/1": False, f"{host}/cookie/2": False})
    sent = [{k.lower() for k in s.headers} for s in fake_web.seen]
    assert len(sent) == 2
    assert not any({"cookie", "authorization"} & headers for headers in sent)


def test_each_url_fetched_once_and_fragments_checked(fake_web: FakeWeb) -> None:
    """One request per unique URL across pages; its fragments are checked against its ids."""
    base = fake_web.base
    site = linking_site(f"{base}/ok/f#intro", f"{base}/ok/f#details", f"{base}/ok/f#gone", pages=3)
    options = ExternalOptions(timeout=1, check_anchors=True)
    report = run_check(site, rules=compile_rules(), external=options)
    assert fake_web.hits["/ok/f"] == 1
    assert {(f.code, f.url) for f in report.findings} == {("missing-anchor", f"{base}/ok/f#gone")}
    (found,) = report.findings  # one per URL, naming its pages
    assert found.pages == ("p0/index.html", "p1/index.html", "p2/index.html")


def test_ignored_and_allowed_statuses(fake_web: FakeWeb) -> None:
    """Ignored URLs are skipped without a request; an allowed status is not a finding."""
    base = fake_web.base
    site = linking_site(f"{base}/status/999/x", f"{base}/status/404/internal")
    rules = compile_rules(ignore=["/internal$"], allow_status={"/status/999/": [999]})
    report = run_check(site, rules=rules, external=FAST)
    assert [(f.code, f.severity) for f in report.findings] == [("skipped", "info")]
    assert [s.path for s in fake_web.seen] == ["/status/999/x"]


def test_report_redirects_unless_allowed(fake_web: FakeWeb) -> None:
    """With report_redirects, a 301 is a warning naming the new place, unless a rule allows it."""
    base = fake_web.base
    site = linking_site(f"{base}/moved/a", f"{base}/moved/b")
    rules = compile_rules(allow_redirect=["/moved/b$"])
    report = run_check(site, rules=rules, external=FAST, report_redirects=True)
    assert [(f.code, f.severity, f.url) for f in report.findings] == [
        ("redirected", "warning", f"{base}/moved/a")
    ]


def test_warm_cache_sends_no_request(fake_web: FakeWeb, tmp_path: Path) -> None:
    """A second run within the TTL asks nothing; after the TTL it asks again."""
    base = fake_web.base
    site = linking_site(f"{base}/ok/c", f"{base}/status/404/c")
    cache_file = tmp_path / "cache" / "external.json"
    first = run_check(
        site, rules=compile_rules(), external=FAST, cache=LinkCache(cache_file, ttl=3600, now=1000)
    )
    fake_web.reset()
    second = run_check(
        site, rules=compile_rules(), external=FAST, cache=LinkCache(cache_file, ttl=3600, now=2000)
    )
    assert (fake_web.seen, second.cached, second.findings) == ([], 2, first.findings)
    run_check(
        site, rules=compile_rules(), external=FAST, cache=LinkCache(cache_file, ttl=3600, now=5000)
    )
    assert len(fake_web.seen) == 2


def test_cache_without_anchors_does_not_serve_fragments(tmp_path: Path) -> None:
    """A HEAD-only result cannot answer a fragment check; a damaged file is ignored."""
    path = tmp_path / "external.json"
    cache = LinkCache(path, ttl=60, now=0)
    cache.put("https://x.example/", Outcome(None, status=200))
    cache.save()
    fresh = LinkCache(path, ttl=60, now=1)
    assert fresh.get("https://x.example/", want_anchors=False) == Outcome(None, status=200)
    assert fresh.get("https://x.example/", want_anchors=True) is None
    path.write_text("{not json")
    assert LinkCache(path, ttl=60, now=1).get("https://x.example/", want_anchors=False) is None


@pytest.fixture(scope="module")
def tls_web() -> Iterator[tuple[FakeWeb, trustme.CA]]:
    """The fake web over TLS, with a certificate from a CA no system trusts."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = FakeWeb(tls=context)
    with serving(server):
        yield server, ca


def test_tls_is_verified(tls_web: tuple[FakeWeb, trustme.CA], checker: MakeChecker) -> None:
    """An untrusted certificate is a tls-error; the same server with its CA trusted is fine."""
    server, ca = tls_web
    assert checker().check(server.base + "/ok/t").code == "tls-error"
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    options = ExternalOptions(timeout=2, ssl_context=trusting)
    assert checker(options).check(server.base + "/ok/t").code is None


@pytest.mark.parametrize(
    ("anchors", "codes"),
    [
        pytest.param(frozenset(), ["missing-anchor"], id="page-without-ids"),
        pytest.param(frozenset({"a"}), [], id="found"),
        pytest.param(None, [], id="not-fetched-for-anchors"),
    ],
)
def test_external_fragment_against_fetched_ids(
    anchors: frozenset[str] | None, codes: list[str]
) -> None:
    """A fragment is missing only when the page's ids were read and it is not among them."""
    occ = Occurrence("index.html", "https://x.example/p#a", None)
    found = findings_for_url(
        "https://x.example/p",
        [occ],
        Outcome(None, status=200, anchors=anchors),
        compile_rules(),
        check_anchors=True,
        report_redirects=False,
    )
    assert [f.code for f in found] == codes
