"""Tandem's Qt widgets: windows, pages and dialogs over the app/ services."""
