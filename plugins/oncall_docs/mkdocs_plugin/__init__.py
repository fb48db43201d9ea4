"""mkdocs_plugin."""
