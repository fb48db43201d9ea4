"""A fake PagerDuty REST API v2 on 127.0.0.1 over TLS, answering per ../shared/pagerduty.

Serves GET /escalation_policies/{id}, /oncalls (classic pagination, filters, include[]=users),
/schedules/{id} (final_schedule and overrides_subschedule for since/until), /users and
/incidents (since/until on creation, date_range=all, statuses[]). Checks
the `Authorization: Token token=...` header. Faults can be queued per path: any status (with
or without rate-limit headers), malformed JSON, a dropped connection, or a response that
stalls until the test ends. Slow paths wait on an Event, so shutting down never hangs.
"""

from __future__ import annotations

import json
import ssl
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from tests.fakes.hostile import HOSTILE_MODES, serve_hostile
from tests.fakes.pagerduty_account import (
    DEFAULT_CONTACT_TYPES,
    DEFAULT_URGENCIES,
    Entry,
    FakeAccount,
)

ACCEPT = "application/vnd.pagerduty+json;version=2"


@dataclass
class Fault:
    """Answer the next `times` requests whose path starts with `path` this way."""

    path: str
    status: int = 500
    mode: str = "status"  # status | malformed | body | drop | stall | hostile.HOSTILE_MODES
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None  # for mode "body": valid JSON the client may not expect
    times: int = 1


@dataclass
class Seen:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


def _time(when: datetime, zone: str) -> str:
    return when.astimezone(ZoneInfo(zone)).isoformat()


def _parse(text: str | None, default: datetime) -> datetime:
    if not text:
        return default
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class FakePagerDuty(ThreadingHTTPServer):
    """Bound and listening on construction (port 0), so tests never wait for readiness."""

    daemon_threads = True

    def __init__(self, account: FakeAccount, token: str, tls: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.account, self.token = account, token
        self.clock: datetime | None = None
        self.latency = 0.0
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.release = threading.Event()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        """Base URL for PAGERDUTY_API_URL."""
        return f"https://127.0.0.1:{self.server_address[1]}"

    def reset(self, account: FakeAccount | None = None) -> None:
        """Forget requests and faults; optionally serve another account."""
        with self.lock:
            self.faults.clear()
            self.seen.clear()
            self.latency = 0.0
            if account is not None:
                self.account = account

    def now(self) -> datetime:
        """The fake's idea of now (fixed by tests that need it)."""
        return self.clock or datetime.now(timezone.utc)

    def next_fault(self, path: str) -> Fault | None:
        """Take one use of the first queued fault for `path`."""
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and path.startswith(fault.path):
                    fault.times -= 1
                    return fault
        return None

    def shutdown(self) -> None:
        """Release stalled requests, then stop."""
        self.release.set()
        super().shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakePagerDuty
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without TCP_NODELAY the second waits for the
    # client's delayed ACK (about 40 ms a response on Linux).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        srv = self.server
        with srv.lock:
            srv.seen.append(Seen("GET", url.path, query, dict(self.headers.items())))
        if srv.latency:
            srv.release.wait(srv.latency)
        if self.headers.get("Authorization") != f"Token token={srv.token}":
            return self._error(401, 2006, "Authentication failed")
        if self.headers.get("Accept") != ACCEPT:
            return self._error(
                400, 2001, "Invalid Input Provided", ["Accept header must ask for version 2"]
            )
        fault = srv.next_fault(url.path)
        if fault is not None and self._fault(fault):
            return None
        return self._route(url.path, query)

    def _fault(self, fault: Fault) -> bool:
        if fault.mode in HOSTILE_MODES:  # tests/fakes/hostile.py
            serve_hostile(self, fault.mode, fault.headers)
            return True
        if fault.mode == "stall":
            self.server.release.wait(60)
            return True
        if fault.mode == "drop":
            self.close_connection = True
            return True
        if fault.mode == "body":
            self._json(fault.body or {})
            return True
        if fault.mode == "malformed":
            self._send(200, b'{"oncalls": [ {"user": ', {})
            return True
        body = (
            {"error": {"message": "Rate Limit Exceeded", "code": 2020}}
            if fault.status == 429
            else {"error": {"message": "Internal Server Error", "code": 2000}}
        )
        self._send(fault.status, json.dumps(body).encode(), fault.headers)
        return True

    def _route(self, path: str, query: dict[str, list[str]]) -> None:
        parts = path.strip("/").split("/")
        acc = self.server.account
        if parts == ["oncalls"]:
            return self._page("oncalls", self._oncalls(query), query)
        if parts == ["incidents"]:
            return self._page("incidents", self._incidents(query), query)
        if parts == ["users"]:
            users = [self._user(uid) for uid in acc.users]
            return self._page("users", users, query)
        if len(parts) == 3 and parts[0] == "users" and parts[1] in acc.users:
            if parts[2] == "contact_methods":
                return self._json({"contact_methods": self._contact_methods(parts[1])})
            if parts[2] == "notification_rules":
                urgency = query.get("urgency", ["high"])[
                    0
                ]  # the API's default is high-urgency only
                return self._json({"notification_rules": self._rules(parts[1], urgency)})
        if len(parts) == 2 and parts[0] == "escalation_policies" and parts[1] == acc.policy_id:
            return self._json({"escalation_policy": self._policy()})
        if len(parts) == 2 and parts[0] == "schedules" and parts[1] in acc.schedules:
            if acc.schedules[parts[1]].v3:
                return self._error(400, 2001, "Invalid Input Provided", ["use /v3/schedules"])
            return self._json({"schedule": self._schedule(parts[1], query)})
        if parts[:2] == ["v3", "schedules"]:
            return self._route_v3(parts[2:], query)
        if len(parts) == 2 and parts[0] == "users" and parts[1] in acc.users:
            return self._json({"user": self._user(parts[1])})
        return self._error(404, 2100, "Not Found")

    def _route_v3(self, parts: list[str], query: dict[str, list[str]]) -> None:
        """GET /v3/schedules, /v3/schedules/{id}, /v3/schedules/{id}/overrides (shift-based)."""
        acc = self.server.account
        if not parts:
            refs = [self._v3_ref(sid) for sid, sched in acc.schedules.items() if sched.v3]
            return self._json({"schedules": refs, "limit": 100, "offset": 0, "more": False})
        sched = acc.schedules.get(parts[0])
        if sched is None:
            return self._error(404, 2100, "Not Found")
        if not sched.v3:  # the documented way to tell the kinds apart
            return self._v3_error(400, "Schedule is not a shift-based schedule")
        if len(parts) == 1:
            return self._json({"schedule": self._v3_schedule(parts[0], query)})
        if parts[1:] == ["overrides"]:
            if "since" not in query or "until" not in query:
                return self._v3_error(400, "since and until are required")
            return self._json(self._v3_overrides(parts[0], query))
        return self._error(404, 2100, "Not Found")

    # -- bodies --------------------------------------------------------------------------------
    def _ref(self, kind: str, oid: str, summary: str) -> dict[str, Any]:
        base = self.server.url
        return {
            "id": oid,
            "type": f"{kind}_reference",
            "summary": summary,
            "self": f"{base}/{kind}s/{oid}",
            "html_url": f"https://bitcell.pagerduty.example/{kind}s/{oid}",
        }

    def _user(self, uid: str) -> dict[str, Any]:
        info = self.server.account.users[uid]
        ref = self._ref("user", uid, info["name"])
        return {
            **ref,
            "type": "user",
            "name": info["name"],
            "email": info["email"],
            "time_zone": info["time_zone"],
            "role": "user",
            "contact_methods": [
                {
                    "id": f"PC{uid}",
                    "type": "phone_contact_method_reference",
                    "summary": "Mobile +1 555 0100",
                }
            ],
        }

    def _contact_methods(self, uid: str) -> list[dict[str, Any]]:
        types = self.server.account.contact_types.get(uid, DEFAULT_CONTACT_TYPES)
        address = {
            "email_contact_method": f"{uid.lower()}@bitcell.example",
            "phone_contact_method": "5550100",
            "sms_contact_method": "5550100",
        }
        return [
            {
                **self._ref("contact_method", f"PC{uid}{n}", kind),
                "type": kind,
                "label": "Work",
                "address": address.get(kind, "device"),
                **({"country_code": 1} if kind != "email_contact_method" else {}),
            }
            for n, kind in enumerate(types)
        ]

    def _rules(self, uid: str, urgency: str) -> list[dict[str, Any]]:
        urgencies = self.server.account.rule_urgencies.get(uid, DEFAULT_URGENCIES)
        methods = self._contact_methods(uid)
        return [
            {
                "id": f"PN{uid}{n}",
                "type": "assignment_notification_rule",
                "start_delay_in_minutes": 0,
                "urgency": level,
                "contact_method": {
                    **{k: methods[0][k] for k in ("id", "summary", "self", "html_url")},
                    "type": methods[0]["type"] + "_reference",
                },
            }
            for n, level in enumerate(urgencies)
            if methods and urgency in ("all", level)
        ]

    def _user_ref(self, uid: str) -> dict[str, Any]:
        return self._ref("user", uid, self.server.account.users[uid]["name"])

    def _sched_ref(self, sid: str) -> dict[str, Any]:
        """The reference of the schedule's kind, as escalation policies and /oncalls carry it."""
        sched = self.server.account.schedules[sid]
        return self._v3_ref(sid) if sched.v3 else self._ref("schedule", sid, sched.name)

    def _v3_ref(self, sid: str) -> dict[str, Any]:
        return {
            "id": sid,
            "type": "schedule_v3_reference",
            "summary": self.server.account.schedules[sid].name,
            "self": f"{self.server.url}/v3/schedules/{sid}",
            "html_url": f"https://bitcell.pagerduty.example/schedules/{sid}",
        }

    def _target(self, kind: str, tid: str) -> dict[str, Any]:
        if kind == "user":
            return self._user_ref(tid)
        if kind == "schedule?":
            return {
                **self._ref("schedule", tid, self.server.account.schedules[tid].name),
                "type": "schedule",
            }
        return self._sched_ref(tid)

    def _policy(self) -> dict[str, Any]:
        acc = self.server.account
        rules = []
        for n, targets in enumerate(acc.rules, start=1):
            refs = [self._target(kind, tid) for kind, tid in targets]
            rules.append(
                {
                    "id": f"PR{n}",
                    "escalation_delay_in_minutes": 15 if n < len(acc.rules) else 30,
                    "targets": refs,
                }
            )
        ref = self._ref("escalation_policy", acc.policy_id, acc.policy_name)
        return {
            **ref,
            "type": "escalation_policy",
            "name": acc.policy_name,
            "num_loops": 0,
            "on_call_handoff_notifications": "if_has_services",
            "escalation_rules": rules,
        }

    def _oncalls(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        acc, now = self.server.account, self.server.now()
        since, until = (
            _parse(query.get("since", [None])[0], now),
            _parse(query.get("until", [None])[0], now),
        )
        zone = query.get("time_zone", [acc.time_zone])[0]
        policies = query.get("escalation_policy_ids[]")
        if policies is not None and acc.policy_id not in policies:
            return []
        full_users = "users" in query.get("include[]", [])
        earliest = query.get("earliest", ["false"])[0] == "true"
        seen: set[tuple[int, str]] = set()
        out = []
        for level, targets in enumerate(acc.rules, start=1):
            for kind, tid in targets:
                for uid, start, end in self._covering(kind, tid, since, until):
                    if earliest and (level, uid) in seen:
                        continue
                    seen.add((level, uid))
                    user = self._user(uid) if full_users else self._user_ref(uid)
                    sched = self._sched_ref(tid) if kind != "user" else None
                    out.append(
                        {
                            "escalation_policy": self._ref(
                                "escalation_policy", acc.policy_id, acc.policy_name
                            ),
                            "escalation_level": level,
                            "schedule": sched,
                            "user": user,
                            "start": start and _time(start, zone),
                            "end": end and _time(end, zone),
                        }
                    )
        return out

    def _incidents(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        """Filtered as PagerDuty does: created in [since, until) unless date_range=all; statuses[]."""
        now = self.server.now()
        items = list(self.server.account.incidents)
        if query.get("date_range", [""])[0] != "all":
            since = _parse(query.get("since", [None])[0], now - timedelta(days=30))
            until = _parse(query.get("until", [None])[0], now)
            items = [i for i in items if since <= _parse(str(i["created_at"]), now) < until]
        statuses = query.get("statuses[]")
        return [i for i in items if statuses is None or i["status"] in statuses]

    def _covering(
        self, kind: str, tid: str, since: datetime, until: datetime
    ) -> list[tuple[str, Any, Any]]:
        if kind == "user":
            return [(tid, None, None)]
        return [
            (u, s, e)
            for u, s, e in sorted(self.server.account.schedules[tid].entries, key=lambda e: e[1])
            if s <= until and e > since and (s < until or since == until)
        ]

    def _v3_schedule(self, sid: str, query: dict[str, list[str]]) -> dict[str, Any]:
        """A shift-based schedule; with include[]=final_schedule and since/until, its assignments."""
        sched, now = self.server.account.schedules[sid], self.server.now()
        body: dict[str, Any] = {
            "id": sid,
            "type": "schedule_v3",
            "name": sched.name,
            "time_zone": sched.time_zone,
            "self": f"{self.server.url}/v3/schedules/{sid}",
            "html_url": f"https://bitcell.pagerduty.example/schedules/{sid}",
        }
        if "final_schedule" not in query.get("include[]", []):
            return body
        since = _parse(query.get("since", [None])[0], now)
        until = _parse(query.get("until", [None])[0], since + timedelta(weeks=2))
        zone = query.get("time_zone", [sched.time_zone])[0]
        clip = query.get("overflow", ["false"])[0] != "true"
        rows: list[tuple[datetime, datetime, dict[str, Any], dict[str, Any]]] = []
        covered: list[tuple[datetime, datetime]] = []
        for n, (uid, s, e) in enumerate(sched.entries):
            if not (s < until and e > since):
                continue
            covered.append((max(s, since), min(e, until)))
            s, e = (max(s, since), min(e, until)) if clip else (s, e)
            rows.append((s, e, {"type": "user_member", "user_id": uid}, self._source(sched, n)))
        gaps, cursor, total = [], since, 0.0
        for s, e in sorted(covered):
            if s > cursor:
                gaps.append((cursor, s))
            total += max(0.0, (e - max(s, cursor)).total_seconds()) if e > cursor else 0.0
            cursor = max(cursor, e)
        if cursor < until:
            gaps.append((cursor, until))
        for s, e in gaps:  # v3 lists uncovered windows instead of leaving them out
            rows.append(
                (
                    s,
                    e,
                    {"type": "empty_member"},
                    {"type": "schedule_rotation", "rotation_id": "RGAP"},
                )
            )
        span = (until - since).total_seconds()
        body["final_schedule"] = {
            "type": "final_schedule",
            "rendered_coverage_percentage": round(100.0 * total / span, 1) if span else 100.0,
            "computed_shift_assignments": [
                {
                    "type": "computed_shift_assignment",
                    "start_time": _time(s, zone),
                    "end_time": _time(e, zone),
                    "member": member,
                    "source": source,
                }
                for s, e, member, source in sorted(rows, key=lambda r: (r[0], r[1]))
            ],
        }
        return body

    @staticmethod
    def _source(sched: Any, n: int) -> dict[str, Any]:
        """Where assignment n came from: an override, a custom shift, or the rotation."""
        entry = sched.entries[n]
        if entry in sched.overrides:
            return {
                "type": "schedule_rotation_override",
                "rotation_id": "R" + sched.id,
                "override_id": f"O{sched.overrides.index(entry)}",
            }
        if entry in sched.custom:
            return {"type": "custom_shift", "shift_id": f"C{sched.custom.index(entry)}"}
        return {"type": "schedule_rotation", "rotation_id": "R" + sched.id}

    def _v3_overrides(self, sid: str, query: dict[str, list[str]]) -> dict[str, Any]:
        sched, now = self.server.account.schedules[sid], self.server.now()
        since = _parse(query["since"][0], now)
        until = _parse(query["until"][0], now)
        zone = query.get("time_zone", [sched.time_zone])[0]
        items = []
        for n, (uid, s, e) in enumerate(sched.overrides):
            if s < until and e > since:
                replaced = next((u for u, es, ee in sched.replaced if es < e and ee > s), None)
                items.append(
                    {
                        "id": f"O{n}",
                        "type": "override_shift",
                        "rotation_id": "R" + sid,
                        "start_time": _time(s, zone),
                        "end_time": _time(e, zone),
                        "overridden_member": {"type": "user_member", "user_id": replaced}
                        if replaced
                        else {"type": "empty_member"},
                        "overriding_member": {"type": "user_member", "user_id": uid},
                    }
                )
        return {"overrides": items, "limit": 25, "offset": 0, "more": False}

    def _v3_error(self, status: int, message: str) -> None:
        self._send(status, json.dumps({"error": {"message": message, "code": 2001}}).encode(), {})

    def _schedule(self, sid: str, query: dict[str, list[str]]) -> dict[str, Any]:
        sched, now = self.server.account.schedules[sid], self.server.now()
        since = _parse(query.get("since", [None])[0], now)
        until = _parse(query.get("until", [None])[0], since)
        zone = query.get("time_zone", [sched.time_zone])[0]
        clip = query.get("overflow", ["false"])[0] != "true"

        def render(entries: list[Entry], name: str) -> dict[str, Any]:
            rows = []
            for uid, s, e in entries:
                if s < until and e > since:
                    s, e = (max(s, since), min(e, until)) if clip else (s, e)
                    rows.append(
                        {
                            "user": self._user_ref(uid),
                            "start": _time(s, zone),
                            "end": _time(e, zone),
                        }
                    )
            return {
                "name": name,
                "rendered_schedule_entries": rows,
                "rendered_coverage_percentage": None,
            }

        ref = self._ref("schedule", sid, sched.name)
        return {
            **ref,
            "type": "schedule",
            "name": sched.name,
            "time_zone": sched.time_zone,
            "schedule_layers": [],
            "final_schedule": render(sched.entries, "Final Schedule"),
            "overrides_subschedule": render(sched.overrides, "Overrides"),
        }

    # -- transport -----------------------------------------------------------------------------
    def _page(self, key: str, items: list[dict[str, Any]], query: dict[str, list[str]]) -> None:
        limit = min(int(query.get("limit", ["25"])[0]), 100)
        offset = int(query.get("offset", ["0"])[0])
        if offset + limit > 10000:
            return self._error(
                400, 2001, "Invalid Input Provided", ["Offset must be less than 10000."]
            )
        total = len(items) if query.get("total", ["false"])[0] == "true" else None
        return self._json(
            {
                key: items[offset : offset + limit],
                "limit": limit,
                "offset": offset,
                "more": offset + limit < len(items),
                "total": total,
            }
        )

    def _error(self, status: int, code: int, message: str, errors: list[str] | None = None) -> None:
        body = {
            "error": {"message": message, "code": code, **({"errors": errors} if errors else {})}
        }
        self._send(status, json.dumps(body).encode(), {})

    def _json(self, body: dict[str, Any]) -> None:
        self._send(200, json.dumps(body).encode(), {})

    def _send(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
