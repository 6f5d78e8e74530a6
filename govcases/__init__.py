"""govcases: turn YAML case records of rural-governance practice into a searchable static site."""

__version__ = "0.1.0"
