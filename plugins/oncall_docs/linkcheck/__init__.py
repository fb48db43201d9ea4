"""Link check of a built site: collect (HTML -> links, anchors), check (internal), external
(HTTP, I/O), cache (TTL), rules/settings (mkdocs.yml `links:`), run (both, for CLI and plugin).
"""
