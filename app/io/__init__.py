"""Bringing spreadsheets in and taking lists out: CSV and XLSX import and export."""
