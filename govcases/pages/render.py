"""The shared Jinja environment that turns records into Markdown, with escaping filters for record text."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from govcases.pages.labels import figure_note
from govcases.pages.study import shard_count
from govcases.records.model import URL_RE, date_label

# Characters that mean something to Markdown or to an enabled extension wherever they stand: HTML and
# entities (& < >), attribute lists ({ }), links and images ([ ]), tables (|), emphasis (* _), code (`),
# headings (#) and escapes (\\). Each becomes a numeric character reference, which every extension leaves as
# text and which means the same inside raw HTML blocks.
_INLINE = {c: f"&#{ord(c)};" for c in "&<>{}[]|*_`#\\"}
# At the start of a line more is syntax: admonitions (!!! ???), lists (- + 1.), quotes (>), definitions (:),
# rules and setext underlines (- =), fences (~). A value may be placed at the start of a line.
_LEADING = re.compile(r"^(?:[!?\-+:=~]|\d+(?=\.(?: |$)))")


def md_text(value: object) -> str:
    """Record text as inert Markdown: every syntax the site's extensions understand stays literal text, and
    lines are joined (a line break in Markdown starts a new block)."""
    text = " ".join(str(value).split()) if value is not None else ""
    text = "".join(_INLINE.get(ch, ch) for ch in text)
    match = _LEADING.match(text)
    if match:
        lead = match.group(0)
        # `1.` opens a list: the digits stay, the dot after them becomes a reference.
        if lead.isdigit():
            return lead + f"&#{ord(text[len(lead)])};" + text[len(lead) + 1:]
        return f"&#{ord(lead)};" + text[1:]
    return text


def md_code(value: object) -> str:
    """Record text shown as code (a source address): a code span whose fence no character of it can close."""
    text = " ".join(str(value).split()) if value is not None else ""
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def md_link(url: object) -> str:
    """A validated http(s) address as a Markdown link whose text is the address itself."""
    text = str(url)
    if not URL_RE.fullmatch(text):
        return md_text(text)  # not a plain address: shown as text, never linked
    # Parentheses would end the link target; percent-encoding keeps the address the same.
    target = text.replace("(", "%28").replace(")", "%29")
    return f"[{md_text(text)}]({target})"


def md_attr(value: object) -> str:
    """Text safe inside a quoted HTML attribute or as HTML text (the raw HTML of the finder form)."""
    return (str(value).replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#39;")
            .replace("<", "&lt;").replace(">", "&gt;"))


# Characters a Windows file name cannot hold, and those Markdown reads inside the attribute list
# ({ download="…" }) the name is written in (links, emphasis, code, references, the list's own braces), as
# the full-width forms Chinese text uses anyway.
_FILE_NAME = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in '<>:"/\\|?*{}[]()`_&#!'})


def file_name(title: object, ext: str) -> str:
    """The name a download is saved under: `title` made a valid Windows file name, then `ext` (".docx")."""
    text = "".join(ch for ch in " ".join(str(title).split()) if ch.isprintable()).translate(_FILE_NAME)
    return text.rstrip(". ") + ext


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
    env.filters["md_code"] = md_code
    env.filters["md_link"] = md_link
    env.filters["attr"] = md_attr
    env.filters["yaml_str"] = yaml_str
    env.globals["shard_count"] = shard_count  # how many files the 汇编 data is cut into (compile buttons)
    env.globals["date_label"] = date_label
    env.globals["figure_note"] = figure_note
    return env


def render(name: str, **context: Any) -> str:
    """Render the template `name` (a file in govcases/jinja/) with `context`."""
    return environment().get_template(name).render(**context)
