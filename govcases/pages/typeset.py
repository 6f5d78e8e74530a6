"""Finished page HTML set as Chinese is set: a line break of the page's source inside a sentence leaves no space."""

from __future__ import annotations

import re

from govcases.records.model import cjk_gap

# Tags, and whole elements whose text is shown as written (code, preformatted) or is no text (script, style).
_TOKEN = re.compile(r"<(pre|code|kbd|script|style|textarea)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
# Inline tags a sentence runs through (links, emphasis, code): a break beside them is still inside the sentence.
# Anything else (a block, a button, a tag with a class) ends the text on that side.
_INLINE = re.compile(r"</?(?:a|b|code|em|i|kbd|strong)(?:\s+href=\"[^\"]*\")?\s*/?>", re.I)
_CODE = re.compile(r"<(code|kbd)\b[^>]*>(.*)</\1\s*>", re.S | re.I)
# A browser shows a line break between two Chinese characters as a space; records' own text is joined when it
# is read (records.model.join_cjk_lines), and this applies the same rule to the line breaks of page sources.
_BREAK = cjk_gap(r"[ \t]*\n\s*")


def join_lines(html: str) -> str:
    """`html` with the line breaks in its text removed where Chinese has no space (records.model.cjk_gap), also
    beside links, emphasis and code; tags, code and preformatted text are left as they are."""
    parts: list[str] = []  # text and tokens alternating: text at even places
    pos = 0
    for m in _TOKEN.finditer(html):
        parts += [html[pos:m.start()], m.group(0)]
        pos = m.end()
    parts.append(html[pos:])
    for i in range(0, len(parts), 2):
        text = parts[i]
        if "\n" not in text:
            continue
        before, after = _edge(parts, i, -1), _edge(parts, i, 1)
        joined = _BREAK.sub("", before + text + after)
        parts[i] = joined[len(before):len(joined) - len(after)]
    return "".join(parts)


def _edge(parts: list[str], i: int, step: int) -> str:
    """The visible character next to text i on the side `step` (−1: before, 1: after) when only inline tags
    stand between them, else ''."""
    j = i + step
    while 0 <= j < len(parts):
        piece = parts[j]
        if j % 2 == 0:  # text
            if piece.strip():
                return piece.rstrip()[-1] if step < 0 else piece.lstrip()[0]
        elif code := _CODE.fullmatch(piece):
            inner = code.group(2).strip()
            return (inner[-1] if step < 0 else inner[0]) if inner else ""
        elif not _INLINE.fullmatch(piece):
            return ""
        j += step
    return ""
