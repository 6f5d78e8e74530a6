"""The shared Jinja environment that turns records into Markdown, with escaping filters for record text."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from govcases.records.model import CaseRecord, Figure, date_label

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_ENTITY = {"<": "&lt;", ">": "&gt;"}


def md_text(value: object) -> str:
    """Record text as inert Markdown: HTML and link syntax become literal characters, lines are joined."""
    text = " ".join(str(value).split()) if value is not None else ""
    text = text.replace("&", "&amp;")
    # Escaping `<` and `[` keeps tags and links literal; `*`/`_` are escaped so text never turns into markup.
    return _MD_SPECIAL.sub(lambda m: _ENTITY.get(m.group(1), "\\" + m.group(1)), text)


def md_attr(value: object) -> str:
    """Text safe inside a quoted HTML/Markdown attribute or a link title."""
    return (str(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def yaml_str(value: object) -> str:
    """A YAML double-quoted scalar for front matter (titles, tags)."""
    # Themes print front matter into <title> and <meta content="…"> unescaped: a quote would end the
    # attribute and let the rest become a handler, so markup characters become inert full-width look-alikes.
    text = str(value).translate(str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"}))
    text = text.replace("\\", "\\\\")
    return f'"{" ".join(text.split())}"'


@cache
def environment() -> Environment:
    """One environment for every template; StrictUndefined makes a missing variable an error, not a blank."""
    env = Environment(
        loader=PackageLoader("govcases.pages", "jinja"),
        undefined=StrictUndefined,
        autoescape=False,  # output is Markdown; record text goes through the `md` filter instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_text
    env.filters["attr"] = md_attr
    env.filters["yaml_str"] = yaml_str
    env.globals["date_label"] = date_label
    env.globals["figure_note"] = figure_note
    return env


def figure_note(figure: Figure, rec: CaseRecord) -> str:
    """The 说明 cell of a figure: its date, which source it comes from (when there are several), its note."""
    parts = []
    if figure.as_of:
        parts.append(f"时间：{date_label(figure.as_of)}")
    if figure.source and len(rec.sources) > 1:
        parts.append(f"出自来源{figure.source}")
    if figure.note:
        parts.append(figure.note)
    return "；".join(parts)


def render(name: str, **context: Any) -> str:
    """Render the template `name` (a file in govcases/jinja/) with `context`."""
    return environment().get_template(name).render(**context)
