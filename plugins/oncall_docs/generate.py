"""Plain Markdown for any engine: the handbook with every macro expanded, as files.

`oncall-docs generate OUT_DIR` writes what MkDocs, ProperDocs (or another engine reading the
same Markdown) builds into the complete handbook with neither our plugin nor mkdocs-macros:

    OUT_DIR/mkdocs.yml      the project's config without `macros` and `oncall`, our CSS and JS
                            listed, the banner and footer HTML in `extra:` for the theme partials
    OUT_DIR/docs/           every page rendered as mkdocs-macros would (Jinja, its delimiters),
                            the generated runbook pages, oncall.json, oncall.ics, assets/oncall/
    OUT_DIR/<custom_dir>/   the theme overrides, copied (the partials read `extra:` there)

The rendering is pure (`render_pages`, `site_config`, `tree`); reading the project and writing
OUT_DIR are the two I/O functions at the bottom. No MkDocs import: the SiteParts come from
`site.prepare`, as for every other engine.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from oncall_docs.errors import ConfigError, OncallDocsError
from oncall_docs.render.pages import DELIMITER_KEYS, PageRenderer
from oncall_docs.render.searchtext import separate_cells
from oncall_docs.site import SCHEDULE_ANCHOR, SiteParts

# Our plugin and the macros engine: the generated site needs neither.
DROPPED_PLUGINS = frozenset({"macros", "oncall"})
SCHEDULE_PLACEHOLDER = "__ONCALL_SCHEDULE_URL__"  # the partial puts the page-relative link here
MYSHIFT_PLACEHOLDER = "__ONCALL_MYSHIFT_URL__"  # likewise for the banner's "My shift" link
MARKER = ".oncall-generated"  # marks OUT_DIR as ours, so a rerun may replace it
_FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n)(?:---|\.\.\.)\s*\n", re.DOTALL)


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag MkDocs resolves (`!ENV [OFFLINE, false]`), kept for the copy."""

    tag: str
    kind: str  # "scalar", "sequence" or "mapping"
    value: Any


class _KeepTagsLoader(yaml.SafeLoader):
    """A SafeLoader that keeps unknown tags as `Tagged` instead of failing or dropping them."""


class _KeepTagsDumper(yaml.SafeDumper):
    """Writes `Tagged` values back with their tags."""


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged(node.tag, "scalar", loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, "sequence", loader.construct_sequence(node, deep=True))
    assert isinstance(node, yaml.MappingNode)  # noqa: S101 (YAML has no other node kind)
    return Tagged(node.tag, "mapping", loader.construct_mapping(node, deep=True))


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if data.kind == "sequence":
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    if data.kind == "mapping":
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_KeepTagsLoader.add_multi_constructor("!", _construct_tagged)
_KeepTagsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_KeepTagsDumper.add_representer(Tagged, _represent_tagged)


def load_config(text: str, source: str = "mkdocs.yml") -> dict[str, Any]:
    """mkdocs.yml as data, MkDocs' own tags kept (they are resolved by the engine that builds)."""
    try:
        config = yaml.load(text, Loader=_KeepTagsLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        raise ConfigError(f"{source}: cannot read: {error}") from None
    return config if isinstance(config, dict) else {}


def dump_config(config: Mapping[str, Any]) -> str:
    """The config as YAML, tags included, keys in their original order."""
    return yaml.dump(
        dict(config), Dumper=_KeepTagsDumper, sort_keys=False, allow_unicode=True, width=100
    )


def _plugin_name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def has_macros(config: Mapping[str, Any]) -> bool:
    """Whether mkdocs.yml lists the `macros` plugin."""
    plugins = config.get("plugins") or []
    return any(_plugin_name(entry) == "macros" for entry in plugins)


def macros_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The `macros` plugin's settings in mkdocs.yml ({} when it has none)."""
    plugins = config.get("plugins") or []
    entries = [{k: v} for k, v in plugins.items()] if isinstance(plugins, dict) else plugins
    for entry in entries:
        if _plugin_name(entry) == "macros" and isinstance(entry, dict):
            return dict(entry["macros"] or {})
    return {}


def page_renderer(parts: SiteParts, config: Mapping[str, Any]) -> PageRenderer:
    """Pages rendered as the plugin renders them: mkdocs-macros' delimiters and undefined rule.

    Strict about undefined names unless mkdocs.yml lists the `macros` plugin with another
    `on_undefined` (without it, our plugin renders the pages, always strictly).
    """
    settings = macros_settings(config)
    strict = settings.get("on_undefined", "keep") == "strict" if has_macros(config) else True
    extra = config.get("extra")
    return PageRenderer(
        macros=parts.macros,
        variables=parts.variables,
        filters=parts.filters,
        extra=extra if isinstance(extra, dict) else {},
        delimiters={key: settings[key] for key in DELIMITER_KEYS if key in settings},
        strict=strict,
        keep_trailing_newline=True,
    )


def render_page(renderer: PageRenderer, parts: SiteParts, src_uri: str, markdown: str) -> str:
    """One page with its macros expanded; front matter kept, `render_macros: false` honoured."""
    head, body, meta = "", markdown, {}
    if match := _FRONT_MATTER.match(markdown):
        head, body = match.group(0), markdown[match.end() :]
        loaded = yaml.safe_load(match.group(1).removeprefix("---"))
        meta = loaded if isinstance(loaded, dict) else {}
    if meta.get("render_macros") is False:
        return markdown
    parts.channel.begin(src_uri)
    rendered = renderer.render(src_uri, body, meta=meta, lines_before=lambda: head.count("\n"))
    if parts.channel.errors:
        raise OncallDocsError(f"{src_uri}: {parts.channel.errors[0]}")
    return head + separate_cells(rendered)  # what the plugin does to the HTML, for search


def render_pages(
    parts: SiteParts, config: Mapping[str, Any], pages: Mapping[str, str]
) -> dict[str, str]:
    """Every page (docs/ and the generated runbook pages, docs/ winning) rendered, by path."""
    renderer = page_renderer(parts, config)
    sources = {**parts.pages, **pages}
    return {uri: render_page(renderer, parts, uri, text) for uri, text in sorted(sources.items())}


def site_config(config: Mapping[str, Any], parts: SiteParts) -> dict[str, Any]:
    """mkdocs.yml for the generated tree: no macros, no oncall; our assets and banner kept."""
    out = dict(config)
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        out["plugins"] = {k: v for k, v in plugins.items() if k not in DROPPED_PLUGINS}
    else:
        out["plugins"] = [p for p in plugins if _plugin_name(p) not in DROPPED_PLUGINS]
    out["docs_dir"] = "docs"
    for key, uris in (("extra_css", parts.stylesheets), ("extra_javascript", parts.scripts)):
        listed = [str(item) for item in config.get(key) or []]
        out[key] = listed + [uri for uri in uris if uri not in listed]
    directory_urls = config.get("use_directory_urls", True)
    schedule = "schedule/#" if directory_urls else "schedule.html#"
    myshift = "my-shift/" if directory_urls else "my-shift.html"
    banner = (
        str(parts.banner(""))
        .replace(
            f'href="{schedule}{SCHEDULE_ANCHOR.lstrip("#")}"', f'href="{SCHEDULE_PLACEHOLDER}"'
        )
        .replace(f'href="{myshift}"', f'href="{MYSHIFT_PLACEHOLDER}"')
    )
    extra = dict(config.get("extra") or {})
    extra.update(oncall_banner=banner, oncall_footer=str(parts.footer))
    out["extra"] = extra
    return out


def tree(
    parts: SiteParts,
    config: Mapping[str, Any],
    pages: Mapping[str, str],
    statics: Mapping[str, bytes],
    theme: Mapping[str, bytes],
) -> dict[str, str | bytes]:
    """OUT_DIR's files by path: mkdocs.yml, docs/ (pages, statics, generated files), the theme.

    `pages` are docs/'s Markdown files, `statics` its other files, `theme` the custom_dir's
    files, each by path inside its folder.
    """
    custom_dir = (config.get("theme") or {}).get("custom_dir")
    files: dict[str, str | bytes] = {"mkdocs.yml": dump_config(site_config(config, parts))}
    files.update({f"docs/{uri}": content for uri, content in statics.items()})
    files.update({f"docs/{uri}": content for uri, content in parts.files.items()})
    files.update({f"docs/{uri}": text for uri, text in render_pages(parts, config, pages).items()})
    if isinstance(custom_dir, str):
        files.update({f"{custom_dir}/{uri}": content for uri, content in theme.items()})
    files[MARKER] = "written by `oncall-docs generate`; rerunning it replaces this folder\n"
    return files


# ------------------------------------------------------------------ I/O at the edge


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its POSIX path inside it ({} when it does not exist)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write_tree(out_dir: Path, files: Mapping[str, str | bytes]) -> None:
    """Write `files` as OUT_DIR, all at once: a sibling temp folder swapped in when complete.

    An existing OUT_DIR is replaced only when it is empty or an earlier `generate` wrote it.
    """
    if out_dir.exists() and (not out_dir.is_dir() or _foreign(out_dir)):
        raise ConfigError(f"{out_dir}: exists and was not written by `oncall-docs generate`")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    try:
        for name, content in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        old = out_dir.with_name(f".{out_dir.name}.old") if out_dir.exists() else None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _foreign(folder: Path) -> bool:
    return any(folder.iterdir()) and not (folder / MARKER).is_file()
