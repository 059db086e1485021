"""Routines: the data model, its YAML loader and validation, and the bundled library."""
