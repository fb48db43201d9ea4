"""Access validation: each finding code fires on its case, and only on it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from oncall_docs.access.check import (
    AccessContext,
    Assignment,
    PagerDutyUser,
    check_access,
    match_people,
    readiness,
)
from oncall_docs.model import Handbook
from oncall_docs.model.access import Engineer, Grant, Roster
from tests.conftest import HANDBOOK_DATA, fixture_handbook

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
ALL = [
    "pagerduty",
    "grafana",
    "prometheus",
    "alertmanager",
    "kubernetes",
    "github",
    "slack",
    "vpn",
    "production-servers",
    "cloud-console",
]


@pytest.fixture(scope="module")
def book() -> Handbook:
    """The fixture handbook (its access list and rotation levels)."""
    return fixture_handbook()


def engineer(
    name: str = "Ann Example",
    pd: str | None = "PANN001",
    email: str | None = None,
    grants: list[Grant] | None = None,
) -> Engineer:
    """A roster entry with every grant unless told otherwise."""
    return Engineer(
        id=name.lower().replace(" ", "-"),
        name=name,
        pagerduty_id=pd,
        email=email,
        time_zone="America/New_York",
        grants=grants if grants is not None else [Grant(system=s) for s in ALL],
    )


def shift(
    user: str = "PANN001", level: int = 1, days: int = 1, length: int = 7, name: str = "Ann Example"
) -> Assignment:
    """Someone scheduled `days` from NOW for `length` days."""
    start = NOW + timedelta(days=days)
    return Assignment(user, name, level, start, start + timedelta(days=length))


def run(
    book: Handbook, roster: Roster, assignments: list[Assignment], **kw: object
) -> list[tuple[str, str | None]]:
    """Codes and systems of the findings."""
    ctx = AccessContext(
        access=book.access,
        roster=roster,
        levels=book.rotation.levels,
        assignments=assignments,
        now=NOW,
        **kw,
    )  # type: ignore[arg-type]
    return [(f.code, f.extra.get("system")) for f in check_access(ctx)]


def test_clean(book: Handbook) -> None:
    """A fully granted engineer with a phone and a high-urgency rule: no findings."""
    users = {
        "PANN001": PagerDutyUser(
            "PANN001", "Ann Example", has_phone=True, has_high_urgency_rule=True
        )
    }
    assert run(book, Roster(engineers=[engineer()]), [shift()], pd_users=users) == []


@pytest.mark.parametrize(
    ("roster", "assignments", "expected"),
    [
        pytest.param(
            [engineer(grants=[*(Grant(system=s) for s in ALL), Grant(system="jira")])],
            [shift()],
            [("unknown-system", "jira")],
            id="unknown-system",
        ),
        pytest.param([], [shift()], [("not-in-roster", None)], id="not-in-roster"),
        pytest.param(
            [engineer(grants=[Grant(system=s) for s in ALL if s != "vpn"])],
            [shift()],
            [("missing-access", "vpn")],
            id="missing-access",
        ),
        pytest.param(
            [
                engineer(
                    grants=[
                        *(Grant(system=s) for s in ALL if s != "vpn"),
                        Grant(system="vpn", expires=date(2026, 11, 1)),
                    ]
                )
            ],
            [shift()],
            [("expired-access", "vpn")],
            id="expired-access",
        ),
        pytest.param(
            [
                engineer(
                    grants=[
                        *(Grant(system=s) for s in ALL if s != "vpn"),
                        Grant(system="vpn", expires=date(2026, 12, 1)),
                    ]
                )
            ],
            [shift(days=2)],
            [("expires-during-shift", "vpn")],
            id="expires-during-shift",
        ),
        pytest.param(
            [
                engineer(
                    grants=[
                        *(Grant(system=s) for s in ALL if s != "vpn"),
                        Grant(system="vpn", expires=date(2026, 12, 31)),
                    ]
                )
            ],
            [shift(days=2)],
            [],
            id="expires-after-shift",
        ),
        pytest.param(
            [engineer(grants=[Grant(system="pagerduty"), Grant(system="slack")])],
            [shift(level=3)],
            [],
            id="leadership-needs-less",
        ),
        pytest.param([engineer(grants=[])], [shift(days=40)], [], id="scheduled-beyond-the-window"),
    ],
)
def test_codes(
    book: Handbook,
    roster: list[Engineer],
    assignments: list[Assignment],
    expected: list[tuple[str, str | None]],
) -> None:
    """Each code on its own case."""
    assert run(book, Roster(engineers=roster), assignments) == expected


def test_pagerduty_codes(book: Handbook) -> None:
    """Without a phone/SMS method or a high-urgency rule, both codes fire."""
    users = {
        "PANN001": PagerDutyUser(
            "PANN001", "Ann Example", has_phone=False, has_high_urgency_rule=False
        )
    }
    assert run(book, Roster(engineers=[engineer()]), [shift()], pd_users=users) == [
        ("no-phone-contact", None),
        ("no-high-urgency-rule", None),
    ]


def test_match_by_email_when_no_pagerduty_id(book: Handbook) -> None:
    """A roster entry without a PagerDuty id is found through the user's login e-mail."""
    users = {
        "PANN001": PagerDutyUser(
            "PANN001",
            "Ann Example",
            email="Ann@BitCell.example",
            has_phone=True,
            has_high_urgency_rule=True,
        )
    }
    roster = Roster(engineers=[engineer(pd=None, email="ann@bitcell.example")])
    assert run(book, roster, [shift()], pd_users=users) == []
    assert run(book, roster, [shift()]) == [("not-in-roster", None)]


def test_warn_only_lowers_severity(book: Handbook) -> None:
    """--warn-only CODE keeps the finding but as a warning."""
    ctx = AccessContext(
        access=book.access,
        roster=Roster(engineers=[]),
        levels=book.rotation.levels,
        assignments=[shift()],
        now=NOW,
    )
    assert [f.severity for f in check_access(ctx, warn_only=["not-in-roster"])] == ["warning"]
    assert [f.severity for f in check_access(ctx)] == ["error"]


def test_findings_point_at_the_roster_line(book: Handbook) -> None:
    """GitHub annotations land on the grant's line in roster.yaml."""
    roster = book.roster
    first = roster.engineers[0]
    expired = first.model_copy(
        update={
            "grants": [
                g if g.system != "vpn" else Grant(system="vpn", expires=date(2026, 1, 1))
                for g in first.grants
            ]
        }
    )
    ctx = AccessContext(
        access=book.access,
        roster=Roster(engineers=[expired, *roster.engineers[1:]]),
        levels=book.rotation.levels,
        assignments=[shift(user=first.pagerduty_id or "", name=first.name)],
        now=NOW,
        roster_positions=book.positions["roster"],
    )
    (finding,) = check_access(ctx)
    assert finding.code == "expired-access"
    assert finding.file == "data/roster.yaml"
    vpn_line = (HANDBOOK_DATA / "roster.yaml").read_text().splitlines()[finding.line - 1]
    assert "system: vpn" in vpn_line


def test_readiness_matrix(book: Handbook) -> None:
    """The matrix row shows granted, missing and expiring per system, from the same code."""
    grants = [Grant(system="pagerduty"), Grant(system="grafana", expires=date(2026, 12, 1))]
    people = match_people(
        [shift(days=2)], Roster(engineers=[engineer(grants=grants)]), book.rotation.levels
    )
    ((person, cells),) = readiness(book.access, people, NOW.date())
    states = {s.id: c.status for s, c in zip(book.access.systems, cells, strict=True)}
    assert person.name == "Ann Example"
    assert states["pagerduty"] == "granted"
    assert states["grafana"] == "expiring"
    assert states["vpn"] == "missing"
