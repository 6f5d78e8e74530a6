"""Site pages and data files generated from a validated library, with no MkDocs import."""
