"""Errors that name the place to fix: a file and line, an endpoint and status, a setting."""

from __future__ import annotations

from pathlib import Path


class OncallDocsError(Exception):
    """Base class: the glue prints these as one line, never with a traceback."""


class DataError(OncallDocsError):
    """A data file is wrong; the message names the file, the line and the field path."""

    def __init__(
        self, path: Path | str, line: int, field: str, message: str, column: int = 1
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.field = field
        self.detail = message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class FetchError(OncallDocsError):
    """PagerDuty (or another remote) failed; names the endpoint and the HTTP status, never the token."""

    def __init__(self, endpoint: str, status: int | None, message: str) -> None:
        self.endpoint = endpoint
        self.status = status
        shown = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{endpoint}: {shown}: {message}")


class ConfigError(OncallDocsError):
    """A setting or an environment variable is missing or wrong; the message names it."""
