"""Chinese text analysis, scoring and the search indexes (command line, sharded site, offline copy)."""
