"""The data as page text sees it (`{{ oncall.rotation.team }}`): every string arrives escaped.

Pages are Markdown rendered by a Jinja engine without autoescape, so a value put into page
text would otherwise be live Markdown and HTML. `PageData` wraps the loaded handbook
read-only: attribute and item access, iteration and method calls all return wrapped values,
and every string comes out as `PageText` (HTML- and Markdown-escaped, see text.page_text).
Numbers and booleans pass through; tests such as `{% if oncall.schedule.notice %}` still work.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup, escape

from oncall_docs.text import page_text

_PLAIN = (bool, int, float, type(None))
_CODE_ENTITIES = {ord(ch): f"&#{ord(ch)};" for ch in "`*_[]{}\\|~"}


class PageText(Markup):
    """A string from the data, escaped for page text; `.raw` keeps the value for `code_span`."""

    raw: str

    @classmethod
    def of(cls, value: str) -> PageText:
        """Escape `value` for a Markdown page."""
        text = cls(page_text(value))
        text.raw = value
        return text


def wrap(value: Any) -> Any:
    """A value as pages may see it: strings escaped, everything else wrapped read-only."""
    if isinstance(value, (PageText, PageData, *_PLAIN)):
        return value
    if isinstance(value, str):
        return PageText.of(value)
    return PageData(value)


class PageData:
    """A read-only, escaping view of any object (a model, a list, a method, a time)."""

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        object.__setattr__(self, "_value", value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return wrap(getattr(self._value, name))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the page data is read-only")

    def __getitem__(self, key: Any) -> Any:
        return wrap(self._value[key])

    def __iter__(self) -> Iterator[Any]:
        return (wrap(item) for item in self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __contains__(self, item: Any) -> bool:
        return _unwrap(item) in self._value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call a method of the data (`oncall.guidance_list("id")`); its result is wrapped too."""
        return wrap(self._value(*map(_unwrap, args), **{k: _unwrap(v) for k, v in kwargs.items()}))

    def __eq__(self, other: object) -> bool:
        return bool(self._value == _unwrap(other))

    def __hash__(self) -> int:
        return hash(self._value)

    def __str__(self) -> str:
        return str(PageText.of(str(self._value)))

    def __repr__(self) -> str:
        return f"PageData({self._value!r})"


def _unwrap(value: Any) -> Any:
    if isinstance(value, PageData):
        return object.__getattribute__(value, "_value")
    if isinstance(value, PageText):
        return value.raw
    return value


def code_span(value: Any) -> Markup:
    """`{{ oncall.handoff.channel | code }}`: the value as `<code>`, escaped for HTML and Markdown.

    Raw HTML inside a paragraph is still read as Markdown, so the characters Markdown acts on
    become character references; a backtick can never end the element early.
    """
    raw = value.raw if isinstance(value, PageText) else str(_unwrap(value))
    escaped = Markup(str(escape(raw)).translate(_CODE_ENTITIES))  # noqa: S704 - escaped just now
    return Markup("<code>{}</code>").format(escaped)
