"""The JSON Schema of the case record, generated from the model plus the vocabulary, for editors."""

from __future__ import annotations

import json
from typing import Any

from govcases.records.model import DATE_PATTERN, CaseRecord
from govcases.records.taxonomy import Taxonomy

SCHEMA_ID = "https://govcases.invalid/schema/case.schema.json"  # an identifier only; never fetched


def case_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a case file, with the allowed vocabulary values as enums."""
    schema = CaseRecord.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    props = schema["properties"]
    type_values = [v for t in taxonomy.practice_types for v in (t.id, t.name)]
    dim_values = [v for d in taxonomy.dimensions for v in (d.id, d.name)]
    props["practice_types"]["items"] = {"type": "string", "enum": type_values}
    props["dimensions"]["items"] = {"type": "string", "enum": dim_values}
    props["level"] = {**props["level"], "enum": list(taxonomy.levels)}
    place = schema["$defs"]["Place"]["properties"]
    place["province"] = {**place["province"], "enum": list(taxonomy.provinces)}
    # Dates may be written 2022 (a YAML number), "2022-10" or 2022-10-08; the pattern is what the loader enforces.
    date = {"anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer", "minimum": 1949}]}
    for where in (props, schema["$defs"]["Source"]["properties"], schema["$defs"]["Figure"]["properties"]):
        for name in ("as_of", "date"):
            if name in where:
                nullable = name == "as_of"
                where[name] = {"description": where[name].get("description", ""),
                               "anyOf": [*date["anyOf"], *([{"type": "null"}] if nullable else [])]}
    # Required by the loader (one entry per type and dimension), though the model reads a missing one as empty.
    schema["required"] = [*schema["required"], "evidence"]
    return schema


def case_schema_json(taxonomy: Taxonomy) -> bytes:
    """The schema as UTF-8 JSON bytes (Chinese descriptions kept readable)."""
    return json.dumps(case_schema(taxonomy), ensure_ascii=False, indent=2).encode("utf-8")
