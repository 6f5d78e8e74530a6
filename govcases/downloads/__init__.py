"""Downloadable office files made from records: Word (.docx) and Excel (.xlsx)."""
