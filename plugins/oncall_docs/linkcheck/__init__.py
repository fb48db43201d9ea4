"""Link check of a built site, internal links and external URLs.

collect (HTML -> links, anchors), check (internal), scheduler (external URLs: per-host
politeness, time limits; pure), http (the HTTP pool, the only I/O), cache (TTL),
rules/settings (mkdocs.yml `links:`), run (all of it, for the CLI and the plugin).
"""
