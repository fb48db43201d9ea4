"""Models of access.yaml (the systems an on-call engineer needs) and roster.yaml (who has what).

The roster is data for the check only: the site shows names and readiness, never e-mail
addresses or phone numbers.
"""

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from oncall_docs.model.types import Link, Slug, Strict, Text, TimeZoneName

Email = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
SlackHandle = Annotated[str, StringConstraints(pattern=r"^@[A-Za-z0-9._-]+$")]


class System(Strict):
    """A system every on-call engineer of the listed rotation levels must be able to use."""

    id: Slug
    name: Text
    url: Link | None = None
    purpose: Text
    request: Text
    approver: Text
    required_for: list[Slug]


class AccessList(Strict):
    """access.yaml: the required systems and how to get access to each."""

    systems: list[System]


class Grant(Strict):
    """Access to one system, with an optional last day (inclusive)."""

    system: Slug
    expires: date | None = None


class Engineer(Strict):
    """One person of the rotation. Matched to PagerDuty by user id, else by login e-mail."""

    id: Slug
    name: Text
    pagerduty_id: Annotated[str, StringConstraints(pattern=r"^P[A-Z0-9]{5,12}$")] | None = None
    email: Email | None = None
    slack: SlackHandle | None = None
    time_zone: TimeZoneName
    grants: list[Grant] = Field(default_factory=list)


class Roster(Strict):
    """roster.yaml: the engineers of the rotation and their grants."""

    engineers: list[Engineer]
