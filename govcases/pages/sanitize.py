"""The second layer against script in record text: each page's HTML is cut down to an allowlist (nh3)."""

from __future__ import annotations

import nh3

# What the site's Markdown and its extensions produce (tables, admonitions, details, cards, code, the finder
# form) and nothing that runs or loads anything: no script, style, iframe, object, svg or event handlers.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "button", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "input", "ins", "kbd", "label", "legend", "li", "mark", "nav", "noscript", "ol", "option", "p",
    "pre", "s", "select", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "hidden", "role", "tabindex"},
    "a": {"href", "download"},  # download: the (Chinese) name a file is saved under
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align"},
    "details": {"open"},
    "ol": {"start", "reversed"},
    "form": {"autocomplete"},
    "input": {"type", "name", "value", "placeholder", "checked", "enterkeyhint", "spellcheck", "autocomplete"},
    "select": {"name", "multiple"},
    "option": {"value", "selected"},
    "label": {"for"},
    "button": {"type"},
}
# aria-* for accessibility, data-* for the finder's state; neither can hold a script.
PREFIXES = {"aria-", "data-"}
SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize(html: str) -> str:
    """The page HTML with every tag, attribute, URL scheme and style property outside the allowlist removed
    (script and style elements with their content); what the site itself writes passes unchanged."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        generic_attribute_prefixes=PREFIXES,
        url_schemes=SCHEMES,
        filter_style_properties={"text-align"},  # table column alignment
        link_rel=None,
        strip_comments=True,
    )
