"""Data links become page-relative URLs; disallowed schemes never reach a page."""

from __future__ import annotations

import pytest

from oncall_docs.render.links import is_external, page_url, resolve_href


@pytest.mark.parametrize(
    ("target", "page", "directory_urls", "expected"),
    [
        pytest.param(
            "preparation.md#required-access",
            "index.md",
            True,
            "preparation/#required-access",
            id="from-home",
        ),
        pytest.param(
            "preparation.md#required-access",
            "preparation.md",
            True,
            "./#required-access",
            id="same-page",
        ),
        pytest.param(
            "runbooks/incident-response.md#common-incidents",
            "tools.md",
            True,
            "../runbooks/incident-response/#common-incidents",
            id="into-subfolder",
        ),
        pytest.param(
            "architecture.md",
            "runbooks/incident-response.md",
            True,
            "../../architecture/",
            id="out-of-subfolder",
        ),
        pytest.param("index.md", "faq.md", True, "../", id="to-home"),
        pytest.param(
            "runbooks/deployment-guide.md",
            "tools.md",
            False,
            "runbooks/deployment-guide.html",
            id="no-directory-urls",
        ),
        pytest.param(
            "https://bitcell.pagerduty.com",
            "faq.md",
            True,
            "https://bitcell.pagerduty.com",
            id="external",
        ),
        pytest.param(
            "mailto:security@bitcell.network",
            "faq.md",
            True,
            "mailto:security@bitcell.network",
            id="mailto",
        ),
        pytest.param("#top", "faq.md", True, "#top", id="fragment"),
    ],
)
def test_resolve_href(target: str, page: str, directory_urls: bool, expected: str) -> None:
    """Raw HTML is not rewritten by MkDocs, so the fragments carry the final relative URL."""
    assert resolve_href(target, page_src=page, use_directory_urls=directory_urls) == expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " java\tscript:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "vbscript:x",
    ],
)
def test_resolve_href_rejects_other_schemes(url: str) -> None:
    """Only http, https, mailto and relative links are allowed."""
    with pytest.raises(ValueError, match="is not allowed"):
        resolve_href(url, page_src="index.md")


def test_page_url_and_external() -> None:
    """MkDocs' URL rules for index pages, and what counts as external."""
    assert page_url("runbooks/index.md") == "runbooks/"
    assert page_url("index.md") == ""
    assert is_external("//cdn.example/x")
    assert not is_external("faq.md")
