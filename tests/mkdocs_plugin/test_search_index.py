"""The search index of the real build: table cells and line breaks stay separate words."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BuildResult

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("location", "joined", "apart"),
    [
        pytest.param(
            "contacts/#team-slack-channels", "ChannelPurpose", "Channel Purpose", id="channels"
        ),
        pytest.param(
            "contacts/#team-slack-channels",
            "#oncall-primary</code>The current",
            "#oncall-primary</code> The current",
            id="cell-after-code",
        ),
        pytest.param("required-access/#systems", "SystemWhat for", "System What for", id="systems"),
        pytest.param("schedule/#who-is-on-call", "LevelWho", "Level Who Since Until", id="oncall"),
        pytest.param("escalation/", "Escalate toWhen", "Escalate to When", id="escalation"),
    ],
)
def test_search_index_keeps_cells_apart(
    built_site: BuildResult, location: str, joined: str, apart: str
) -> None:
    """The preview of a table reads as separate words, never as cells run together."""
    index = json.loads(built_site.page("search/search_index.json"))
    (text,) = [doc["text"] for doc in index["docs"] if doc["location"] == location]
    assert joined not in text
    assert apart in text
