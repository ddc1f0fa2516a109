"""Bundled files: fonts, document texts, sample data. Found with importlib.resources."""
