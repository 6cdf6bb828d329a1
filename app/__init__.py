"""Tandem's domain and data: everything below app/ runs without Qt."""

__version__ = "0.1.0"
