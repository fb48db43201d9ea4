"""oncall.json text -> Snapshot, with errors that name the field (for the cache and offline files)."""

from __future__ import annotations

import json
from typing import Any

from oncall_docs.oncall.model import Level, OnCall, Ref, Shift, Snapshot
from oncall_docs.sources import PUBLIC_SOURCES as SOURCES
from oncall_docs.timeutil import parse_time


class SnapshotFormatError(ValueError):
    """The file is not an oncall.json snapshot; the message names the field."""


def _ref(obj: Any, where: str) -> Ref:
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise SnapshotFormatError(f"{where}: expected {{id, name}}")
    url = obj.get("url")
    return Ref(obj["id"], str(obj.get("name") or obj["id"]), url if isinstance(url, str) else "")


def _time(obj: dict[str, Any], key: str, where: str, *, required: bool) -> Any:
    try:
        value = parse_time(obj.get(key))
    except (TypeError, ValueError) as error:
        raise SnapshotFormatError(f"{where}.{key}: {error}") from None
    if required and value is None:
        raise SnapshotFormatError(f"{where}.{key}: missing")
    return value


def _oncall(obj: dict[str, Any], where: str) -> OnCall:
    sched = obj.get("schedule")
    return OnCall(
        user=_ref(obj.get("user"), f"{where}.user"),
        schedule=None if sched is None else _ref(sched, f"{where}.schedule"),
        start=_time(obj, "start", where, required=False),
        end=_time(obj, "end", where, required=False),
    )


def _shift(obj: dict[str, Any], where: str) -> Shift:
    return Shift(
        level=int(obj["level"]),
        schedule=_ref(obj.get("schedule"), f"{where}.schedule"),
        user=_ref(obj.get("user"), f"{where}.user"),
        start=_time(obj, "start", where, required=True),
        end=_time(obj, "end", where, required=True),
        override=bool(obj.get("override", False)),
    )


def from_dict(data: Any) -> Snapshot:
    """Read the oncall.json object back; unknown keys are ignored."""
    if not isinstance(data, dict):
        raise SnapshotFormatError("top level: expected an object")
    try:
        source = data.get("source", "offline")
        if source not in SOURCES:
            raise SnapshotFormatError(f"source: {source!r} is not one of {', '.join(SOURCES)}")
        levels = tuple(
            Level(
                int(lv["level"]),
                str(lv.get("label", "")),
                tuple(
                    _oncall(o, f"levels[{i}].oncall[{j}]")
                    for j, o in enumerate(lv.get("oncall", []))
                ),
            )
            for i, lv in enumerate(data.get("levels", []))
        )
        shifts = tuple(_shift(s, f"shifts[{i}]") for i, s in enumerate(data.get("shifts", [])))
        return Snapshot(
            generated_at=_time(data, "generated_at", "snapshot", required=True),
            source=source,
            stale=bool(data.get("stale", False)),
            escalation_policy=_ref(data.get("escalation_policy"), "escalation_policy"),
            levels=levels,
            shifts=shifts,
            warnings=tuple(str(w) for w in data.get("warnings") or []),
            sample=data.get("sample") is True,
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise SnapshotFormatError(f"missing or wrong field: {error}") from None


def from_json(text: str) -> Snapshot:
    """Parse oncall.json text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SnapshotFormatError(f"invalid JSON at line {error.lineno}: {error.msg}") from None
    return from_dict(data)
