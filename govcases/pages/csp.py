"""The third layer against script in record text: every page carries a Content-Security-Policy that lets only
the site's own scripts run (its script files, and the theme's inline scripts by their sha256 hashes)."""

from __future__ import annotations

import base64
import hashlib
import re

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset=[^>]*>)?", re.I)


def inline_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-…') of the inline scripts of a finished page, in page order."""
    out: list[str] = []
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I) or _DATA_TYPE.search(attrs):
            continue  # a script file is allowed by 'self'; a JSON data block never runs
        digest = base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in out:
            out.append(source)
    return out


def policy(html: str, *, from_disk: bool = False) -> str:
    """The policy for one page: scripts from the site itself and the page's own inline scripts, nothing else;
    no plugins, no <base> elsewhere, forms only to the site. `from_disk`: the copy opened through file://,
    whose own script files are file: URLs."""
    sources = ["'self'", *(["file:"] if from_disk else []), *inline_hashes(html)]
    return f"script-src {' '.join(sources)}; object-src 'none'; base-uri 'self'; form-action 'self'"


def with_policy(html: str, *, from_disk: bool = False) -> str:
    """The page with its policy as the first element of <head> after the charset (before any script)."""
    match = _HEAD.search(html)
    if match is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, from_disk=from_disk)}">'
    return html[: match.end()] + meta + html[match.end():]
