"""Loading and validating the records: YAML with positions, models, taxonomy, library, schema."""
