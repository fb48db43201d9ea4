"""The calendar memo: a stored description gives its text without writing; any change writes again."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from oncall_docs.oncall import ics_cache
from oncall_docs.oncall.ics import IcsAlarm, IcsCalendar, IcsEvent, write_ics
from oncall_docs.oncall.ics_cache import CACHE_NAME, CalendarCache, key

START = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
EVENT = IcsEvent(
    "PSCHED1-L1-2026-11-23T14:00:00Z-PUSER1@oncall-docs",
    START,
    START + timedelta(days=7),
    START,
    "Primary: Dana",
    "Schedule: Primary",
    categories=("Primary",),
)
SPEC = IcsCalendar("On call: BitCell", (EVENT,))


class Counting:
    """write_ics, counting the descriptions it writes."""

    def __init__(self) -> None:
        self.written: list[IcsCalendar] = []

    def __call__(self, spec: IcsCalendar) -> str:
        """The text, as write_ics makes it."""
        self.written.append(spec)
        return write_ics(spec)


def two_builds(path: Path, first: IcsCalendar, second: IcsCalendar) -> tuple[Counting, str]:
    """Write `first` in one build and `second` in the next, through the memo at `path`."""
    cold = CalendarCache.open(path)
    cold.writer(Counting())(first)
    cold.save()
    count = Counting()
    warm = CalendarCache.open(path)
    text = warm.writer(count)(second)
    warm.save()
    return count, text


@pytest.mark.parametrize(
    ("second", "writes"),
    [
        pytest.param(SPEC, 0, id="unchanged"),
        pytest.param(replace(SPEC, name="On call: Other"), 1, id="calendar-name"),
        pytest.param(replace(SPEC, events=()), 1, id="no-shifts"),
        pytest.param(replace(SPEC, events=(EVENT, EVENT)), 1, id="one-more-shift"),
        pytest.param(replace(SPEC, events=(replace(EVENT, summary="Primary: Zoe"),)), 1, id="name"),
        pytest.param(
            replace(SPEC, events=(replace(EVENT, end=EVENT.end + timedelta(hours=1)),)),
            1,
            id="shift-end",
        ),
        pytest.param(
            replace(SPEC, events=(replace(EVENT, stamp=START + timedelta(minutes=5)),)),
            1,
            id="stamp",
        ),
        pytest.param(
            replace(
                SPEC,
                events=(replace(EVENT, start=START.astimezone(timezone(timedelta(hours=1)))),),
            ),
            1,
            id="same-instant-other-zone",
        ),
        pytest.param(
            replace(
                SPEC,
                events=(
                    replace(
                        EVENT,
                        alarms=(IcsAlarm(timedelta(hours=-48), "Due"),),
                    ),
                ),
            ),
            1,
            id="alarm",
        ),
        pytest.param(
            replace(SPEC, events=(replace(EVENT, url="https://example.test/my-shift/"),)),
            1,
            id="url",
        ),
    ],
)
def test_only_a_changed_description_is_written_again(
    tmp_path: Path, second: IcsCalendar, writes: int
) -> None:
    """The second build writes nothing for the same description, and writes a changed one."""
    count, text = two_builds(tmp_path / CACHE_NAME, SPEC, second)
    assert len(count.written) == writes
    assert text == write_ics(second)


def test_a_warm_memo_keeps_only_this_builds_calendars(tmp_path: Path) -> None:
    """A calendar the last build wrote and this one did not is dropped from the file."""
    path = tmp_path / CACHE_NAME
    other = replace(SPEC, name="On call: Dana")
    cold = CalendarCache.open(path)
    for spec in (SPEC, other):
        cold.writer()(spec)
    cold.save()
    warm = CalendarCache.open(path)
    warm.writer()(SPEC)
    warm.save()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored == {"version": ics_cache.version(), "calendars": {key(SPEC): write_ics(SPEC)}}


DAMAGE = {  # what a cache file may hold instead of a memo
    "not-utf8": b"\xff\xfe not utf-8",
    "cut-short": b'{"version": "',
    "not-a-mapping": b"[]",
    "other-version": b'{"version": "other", "calendars": {}}',
    "calendars-not-a-mapping": b'{"calendars": []}',
    "empty": b"",
    "too-deep": b"[" * 100_000,
}


@pytest.mark.parametrize("damage", [pytest.param(v, id=k) for k, v in DAMAGE.items()])
def test_damaged_memo_is_ignored_and_rewritten(tmp_path: Path, damage: bytes) -> None:
    """A file that is not ours is no memo: the calendar is written, and a good file replaces it."""
    path = tmp_path / CACHE_NAME
    path.write_bytes(damage)
    count = Counting()
    memo = CalendarCache.open(path)
    assert memo.writer(count)(SPEC) == write_ics(SPEC)
    memo.save()
    assert len(count.written) == 1
    assert json.loads(path.read_bytes())["version"] == ics_cache.version()


@pytest.mark.parametrize(
    "tampered",
    [pytest.param(None, id="null"), pytest.param(["BEGIN:VCALENDAR"], id="not-text")],
)
def test_entries_that_are_not_text_are_written_again(tmp_path: Path, tampered: object) -> None:
    """An entry changed behind our back to something other than text: the calendar is written."""
    path = tmp_path / CACHE_NAME
    two_builds(path, SPEC, SPEC)
    path.write_text(
        json.dumps({"version": ics_cache.version(), "calendars": {key(SPEC): tampered}}),
        encoding="utf-8",
    )
    count = Counting()
    assert CalendarCache.open(path).writer(count)(SPEC) == write_ics(SPEC)
    assert len(count.written) == 1


def test_another_version_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer source or icalendar (the version) means every calendar is written again."""
    path = tmp_path / CACHE_NAME
    two_builds(path, SPEC, SPEC)
    monkeypatch.setattr(ics_cache, "version", lambda: "another")
    count = Counting()
    CalendarCache.open(path).writer(count)(SPEC)
    assert len(count.written) == 1


def test_an_unwritable_memo_never_fails(tmp_path: Path) -> None:
    """A cache folder that is a file: the calendar is still written and saving is a no-op."""
    blocker = tmp_path / "cache"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    memo = CalendarCache.open(blocker / CACHE_NAME)
    assert memo.writer()(SPEC) == write_ics(SPEC)
    memo.save()
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


@pytest.mark.parametrize(
    ("cache_dir", "expected"),
    [
        pytest.param(Path("c"), Path("c") / "calendars.json", id="on"),
        pytest.param(None, None, id="off"),
    ],
)
def test_cache_file(cache_dir: Path | None, expected: Path | None) -> None:
    """`<cache_dir>/calendars.json`, or nowhere when the build caches are off."""
    assert CalendarCache.file_in(cache_dir) == expected
