"""The controlled vocabulary (practice types, dimensions, levels, provinces), read from `cases/_taxonomy.yaml`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from govcases.records.model import ID_PATTERN, Prose, Text


class Term(BaseModel):
    """One practice type or dimension: a stable ASCII id, a Chinese name, a definition and synonyms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    definition: Prose
    synonyms: tuple[Text, ...] = ()


class Taxonomy(BaseModel):
    """Every allowed value a case record may use."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    practice_types: tuple[Term, ...] = Field(min_length=1)
    dimensions: tuple[Term, ...] = Field(min_length=1)
    levels: tuple[Text, ...] = Field(min_length=1)
    provinces: tuple[Text, ...] = Field(min_length=1)

    def type(self, key: str) -> Term | None:
        """The practice type whose id or Chinese name is `key`."""
        return _find(self.practice_types, key)

    def dimension(self, key: str) -> Term | None:
        """The dimension whose id or Chinese name is `key`."""
        return _find(self.dimensions, key)

    def type_by_id(self, type_id: str) -> Term:
        """The practice type with this id (ids in validated records always exist)."""
        term = _find(self.practice_types, type_id)
        assert term is not None, type_id
        return term

    def dimension_by_id(self, dim_id: str) -> Term:
        """The dimension with this id."""
        term = _find(self.dimensions, dim_id)
        assert term is not None, dim_id
        return term


def _find(terms: tuple[Term, ...], key: str) -> Term | None:
    for term in terms:
        if key in (term.id, term.name):
            return term
    return None


def allowed(terms: tuple[Term, ...]) -> str:
    """The allowed values as an error message lists them: `积分制（points）、村规民约（village-rules）`."""
    return "、".join(f"{t.name}（{t.id}）" for t in terms)
