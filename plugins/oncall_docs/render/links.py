"""Link rules shared by rendering and checks: allowed schemes and page-relative URLs."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from oncall_docs.model.types import ALLOWED_SCHEMES, check_link

__all__ = [
    "ALLOWED_SCHEMES",
    "check_link",
    "is_external",
    "page_folder",
    "page_url",
    "relative_url",
    "resolve_href",
]


def is_external(url: str) -> bool:
    """True for links with a scheme (http, https, mailto) or a host (`//host/...`)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def page_url(src_path: str, *, use_directory_urls: bool = True) -> str:
    """The site URL (relative to the site root) that MkDocs gives a Markdown source file."""
    stem, _ = posixpath.splitext(src_path)
    if not src_path.endswith(".md"):
        return src_path
    if not use_directory_urls:
        return f"{stem}.html"
    if posixpath.basename(stem) in ("index", "README"):
        parent = posixpath.dirname(stem)
        return f"{parent}/" if parent else ""
    return f"{stem}/"


def resolve_href(target: str, *, page_src: str, use_directory_urls: bool = True) -> str:
    """Turn a data link (`runbooks/x.md#a`, relative to docs/) into a link relative to the page.

    Raw HTML is not rewritten by MkDocs, so the fragments we render must carry the final URL.
    External links and pure fragments are returned unchanged.
    """
    check_link(target)
    if is_external(target) or target.startswith("#"):
        return target
    path, _, fragment = target.partition("#")
    target_url = page_url(path.lstrip("/"), use_directory_urls=use_directory_urls)
    here = page_url(page_src, use_directory_urls=use_directory_urls)
    here_dir = here if here.endswith("/") else posixpath.dirname(here)
    relative = posixpath.relpath(target_url or ".", here_dir or ".")
    if relative == ".":
        relative = "./"
    elif target_url == "" or target_url.endswith("/"):
        relative += "/"
    return f"{relative}#{fragment}" if fragment else relative


def relative_url(url: str, other: str) -> str:
    """`url` (site-root relative) as seen from the page at site URL `other` (`.` for the home page).

    The same answer MkDocs' own helper gives, so links in fragments match the theme's.
    """
    relative = posixpath.relpath("/" + url, page_folder(other))
    return relative + "/" if url.endswith("/") else relative


def page_folder(other: str) -> str:
    """The folder (absolute, normalised) that `relative_url` resolves from for the page at `other`.

    Pages that share it share every relative link, so per-page HTML can be made once per folder.
    """
    other = other or "."
    if other != ".":
        head, tail = posixpath.split(other)
        other = head if "." in tail else other
    return posixpath.normpath("/" + other)
