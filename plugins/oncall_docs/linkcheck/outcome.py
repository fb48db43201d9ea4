"""The result of checking one external URL, its cached form, and the findings it causes.

An Outcome records what the server said (status, redirect, anchors), not what the rules make
of it, so a cached result stays right when the rules change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from oncall_docs.findings import codes
from oncall_docs.findings.report import Finding
from oncall_docs.linkcheck.check import Occurrence, finding, fragment_of
from oncall_docs.linkcheck.rules import LinkRules


@dataclass(frozen=True)
class Outcome:
    """What happened to one URL. `code` (a registered slug) is None when the server answered 2xx."""

    code: str | None
    message: str = ""
    status: int | None = None
    moved_to: str | None = None  # target of a permanent redirect (301/308), if any
    anchors: frozenset[str] | None = None  # ids of the page, when it was fetched for fragments
    requests: int = 0

    @property
    def cacheable(self) -> bool:
        """False for URLs the run's time limit cut short: they are asked again next run."""
        return not (self.code == codes.TIMEOUT.slug and "time limit" in self.message)

    def to_json(self) -> dict[str, object]:
        """The cached form (anchors as a sorted list)."""
        data = asdict(self)
        data["anchors"] = None if self.anchors is None else sorted(self.anchors)
        data.pop("requests")
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Outcome:
        """Read the cached form back; raises KeyError/TypeError on a malformed entry or code."""
        anchors = data["anchors"]
        status = data["status"]
        return cls(
            code=None if data["code"] is None else codes.lookup(str(data["code"])).slug,
            message=str(data["message"]),
            status=None if status is None else int(status),  # type: ignore[call-overload]
            moved_to=None if data["moved_to"] is None else str(data["moved_to"]),
            anchors=None if anchors is None else frozenset(map(str, anchors)),  # type: ignore[call-overload]
        )


def _problem(
    occ: Occurrence,
    url: str,
    outcome: Outcome,
    rules: LinkRules,
    *,
    check_anchors: bool,
    report_redirects: bool,
) -> Finding | None:
    """The one finding (or none) that `outcome` means for this use of the URL."""
    if outcome.code is not None:
        if outcome.status is not None and outcome.status in rules.accepted_statuses(url):
            return None
        return finding(codes.lookup(outcome.code), occ, outcome.message)
    if report_redirects and outcome.moved_to and not rules.redirect_allowed(url):
        return finding(codes.REDIRECTED, occ, f"moved permanently to {outcome.moved_to}")
    fragment = fragment_of(occ.url)
    known = outcome.anchors  # None: the page was not fetched for its anchors
    if (
        check_anchors
        and known is not None
        and fragment
        and fragment != "top"
        and fragment not in known
    ):
        return finding(codes.MISSING_ANCHOR, occ, f"no element with id {fragment!r} in {url}")
    return None


def findings_for_url(
    url: str,
    occurrences: list[Occurrence],
    outcome: Outcome,
    rules: LinkRules,
    *,
    check_anchors: bool,
    report_redirects: bool,
) -> list[Finding]:
    """One finding per problem of a URL, naming every page that uses it (`pages`).

    The first page (in site order) is the finding's `page`; uses that differ in what is wrong
    (two fragments, one missing) stay separate findings.
    """
    groups: dict[tuple[str, str | None, str], list[Finding]] = {}
    for occ in occurrences:
        problem = _problem(
            occ, url, outcome, rules, check_anchors=check_anchors, report_redirects=report_redirects
        )
        if problem is not None:
            groups.setdefault((problem.code, problem.url, problem.message), []).append(problem)
    merged = []
    for found in groups.values():
        found.sort(key=lambda f: f.subject)
        pages = tuple(dict.fromkeys(f.subject for f in found))
        merged.append(replace(found[0], pages=pages) if len(pages) > 1 else found[0])
    return merged
