"""A number or date cell as Excel shows it under its number format (95% for 0.95 with 0%), or None where it cannot."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

# Pieces of a format: a quoted literal, an escaped character, a bracket ([Red], [$¥-804], [>100]), a padding (_x)
# or fill (*x) instruction, General (G/通用格式 in Chinese Excel and WPS), a run of one date code (yyyy, mm),
# or any single character.
_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].|general|g/通用格式|am/pm|a/p|y+|m+|d+|h+|s+|.', re.DOTALL | re.I)
_COLOUR = re.compile(r"\[(?:black|blue|cyan|green|magenta|red|white|yellow|color\s*\d+|颜色\s*\d+)\]", re.I)
_CURRENCY = re.compile(r"\[\$([^\]-]*)(?:-[0-9a-f]+)?\]", re.I)  # [$¥-804] shows ¥; [$-804] only sets a locale
# Characters Excel shows as themselves without quotes; any other ASCII letter is a code this reader does not know.
_PLAIN = set(" $-+()/:!^&'~{}<>=")
_WHOLE = re.compile(r"[#0,]*[#0]")  # 0, #,##0 (a trailing comma would divide by a thousand)
_DECIMALS = re.compile(r"0*#*")  # 00, 0#, ## after the point


def shown(value: float | int | dt.date, fmt: str) -> str | None:
    """The text Excel shows for `value` under number format `fmt`; None for formats it cannot render faithfully
    (conditions, fractions, scientific notation, Chinese numerals, scaling by thousands, month and day names)."""
    if isinstance(value, dt.date):
        return _date(value, fmt or "General")
    sections = _sections(fmt or "General")
    if len(sections) > 4 or any(re.match(r"\[[<>=]", s) for s in sections):
        return None
    text = _number(value, sections)
    return None if text is None else text.strip()  # padding (_) at either end is room, not text


def _number(value: float | int, sections: list[str]) -> str | None:
    if value < 0 and len(sections) >= 2:
        section, number, sign = sections[1], -value, ""
    elif value == 0 and len(sections) >= 3:
        section, number, sign = sections[2], value, ""
    else:
        section, number, sign = sections[0], abs(value), "-" if value < 0 else ""
    pieces = _pieces(section)
    if pieces is None:
        return None
    before, places, after, percent = pieces
    if places == "general":
        return sign + before + general(number) + after
    if not places:
        return before + after  # a section of text alone, such as "未填"
    digits = _digits(Decimal(f"{number:.15g}") * (100 if percent else 1), places)
    return None if digits is None else sign + before + digits + after


def general(value: float | int) -> str:
    """A number as Excel's General format shows it: 978, 2.5, 0.1 (never 978.0 or 0.30000000000000004)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.15g}"


def _sections(fmt: str) -> list[str]:
    out, current = [], ""
    for token in _TOKEN.findall(fmt):
        if token == ";":
            out.append(current)
            current = ""
        else:
            current += token
    return [*out, current]


def _literal(token: str) -> str | None:
    """What a non-placeholder token shows; None for a code this reader cannot render."""
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("_"):
        return " "  # room for a character, as in _)
    if token.startswith("*") or _COLOUR.fullmatch(token):
        return ""
    if token.startswith("["):
        m = _CURRENCY.fullmatch(token)
        return None if m is None else m.group(1)  # [DBNum1] (Chinese numerals), [h] …: not rendered
    if token in _PLAIN or token == "%" or not token.isascii():
        return token
    return None  # E+ (scientific), @, date codes in a number, ? alignment


def _pieces(section: str) -> tuple[str, str, str, bool] | None:
    """The text before the digit placeholders, the placeholders (or "general"), the text after, and whether
    an unquoted % multiplies by 100; None if the section holds anything this reader cannot render."""
    before, places, after, percent = "", "", "", False
    for token in _TOKEN.findall(section):
        # A number pasted into a text (@) cell shows as General does.
        if (token.lower() in ("general", "g/通用格式") or section.strip() == "@") and not places:
            places = "general"
        elif (token in "0#" and len(token) == 1) or (token in ",." and places and places != "general"):
            if after or places == "general":
                return None  # placeholders on both sides of text, as in 000-0000
            places += token
        else:
            literal = _literal(token)
            if literal is None:
                return None
            percent = percent or token == "%"
            if places:
                after += literal
            else:
                before += literal
    return before, places, after, percent


def _digits(number: Decimal, places: str) -> str | None:
    """`number` laid out by placeholders such as #,##0.00; None for a layout people do not type."""
    whole, point, decimals = places.partition(".")
    if not _WHOLE.fullmatch(whole) or not _DECIMALS.fullmatch(decimals):
        return None
    fixed = decimals.count("0")
    amount = number.quantize(Decimal(1).scaleb(-len(decimals)), ROUND_HALF_UP)
    head, _, tail = f"{amount:f}".partition(".")
    tail = tail[:fixed] + tail[fixed:].rstrip("0")
    head = head.lstrip("0")
    if "," in whole and head:
        head = f"{int(head):,}"
    head = head.rjust(whole.replace(",", "").count("0") + head.count(","), "0")
    return head + (point + tail if tail or (point and fixed) else "")


def _date(value: dt.date, fmt: str) -> str | None:
    """A date under a format of y, m, d, h, s codes and literals (2022年10月8日, 2022/10/8); None otherwise."""
    when = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    section = _sections(fmt)[0]
    if section.strip().lower() == "general" or "上午" in section or "下午" in section:
        return None if section.strip().lower() != "general" else when.date().isoformat()
    tokens = _TOKEN.findall(section)
    codes = [i for i, t in enumerate(tokens) if t[0].lower() in "ymdhs" and t.isascii() and t.isalpha()]
    out = []
    for i, token in enumerate(tokens):
        if i in codes:
            at = codes.index(i)
            # mm is minutes right after hours or right before seconds, months otherwise.
            minutes = token[0].lower() == "m" and (
                (at > 0 and tokens[codes[at - 1]][0].lower() == "h")
                or (at + 1 < len(codes) and tokens[codes[at + 1]][0].lower() == "s"))
            text = _date_code(when, token.lower(), minutes)
        elif token in ".," or token == "%":
            text = token
        elif re.fullmatch(r"\[\$-[0-9a-f]+\]", token, re.I):
            text = ""
        else:
            text = _literal(token)
        if text is None:
            return None
        out.append(text)
    return "".join(out)


def _date_code(when: dt.datetime, code: str, minutes: bool) -> str | None:
    kind, n = code[0], len(code)
    if kind == "y":
        return f"{when.year:04d}" if n > 2 else f"{when.year % 100:02d}"
    if kind == "m" and minutes:
        return f"{when.minute:0{min(n, 2)}d}"
    if kind in "md" and n > 2:
        return None  # mmm, ddd: month and weekday names
    if kind == "m":
        return f"{when.month:0{n}d}"
    if kind == "d":
        return f"{when.day:0{n}d}"
    return f"{when.hour if kind == 'h' else when.second:0{min(n, 2)}d}"


def date_precision(fmt: str) -> int:
    """How much of a date a format shows: 3 for year, month and day, 2 for year and month, 1 for the year."""
    codes = {t[0].lower() for t in _TOKEN.findall(fmt or "") if t[0].lower() in "ymd" and t.isascii() and t.isalpha()}
    return 3 if "d" in codes or not codes else 2 if "m" in codes else 1
