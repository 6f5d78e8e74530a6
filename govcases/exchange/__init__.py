"""The Excel door: the submission workbook, importing it into records, exporting records back to it."""
