"""PagerDuty references and included objects -> Ref, for both kinds of schedule. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from oncall_docs.oncall.model import Ref

Raw = Mapping[str, Any]


def ref(obj: Raw | None) -> Ref | None:
    """A reference or an included object -> Ref (name from `name`, else `summary`)."""
    if not obj or not obj.get("id"):
        return None
    return Ref(str(obj["id"]), str(obj.get("name") or obj.get("summary") or obj["id"]))


def schedule_ref(obj: Raw | None) -> Ref | None:
    """A schedule (reference or object) -> Ref, with its web page (`html_url`) when it has one."""
    found = ref(obj)
    url = (obj or {}).get("html_url")
    return replace(found, url=url) if found is not None and isinstance(url, str) else found
