"""The BitCell on-call handbook as code: data model, rendering, checks and the MkDocs glue."""

__version__ = "0.1.0"
__all__ = ["__version__"]
