"""The data model: typed YAML files with errors that name file, line and field."""

from oncall_docs.model.handbook import Handbook, load_handbook

__all__ = ["Handbook", "load_handbook"]
