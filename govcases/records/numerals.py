"""Numbers as Chinese sources write them: 千余名, 近百名, 2万余人次, 95%以上, 300—500户, 六步议事."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千"

PREFIX_QUALIFIERS = ("约", "近", "超过", "逾", "不少于", "不低于", "达", "低于", "高于", "不足", "至少")
INFIX_QUALIFIERS = ("余", "多")
SUFFIX_QUALIFIERS = ("以上", "左右", "以下", "以内")

_ARABIC = r"\d+(?:\.\d+)?"
_CHINESE = f"[{CN_NUMERAL}]+|半"
_NUMBER = re.compile(f"(?P<num>{_ARABIC}|{_CHINESE})")
_VAGUE = ("数", "几", "若干")
_RANGE_SEP = re.compile(r"\s*(?:—|－|-|–|~|～|至|到)\s*")


def chinese_int(text: str) -> int | None:
    """A Chinese numeral below 10 000 as an int: 六→6, 十二→12, 两千→2000, 千→1000, 三百零五→305."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        # 一九四九: digit by digit, as years are written.
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, pending = 0, None
    for ch in text:
        if ch in _DIGITS:
            pending = _DIGITS[ch]
        else:
            total += (1 if pending is None else pending) * _SMALL_UNITS[ch]
            pending = None
    return total + (pending or 0)


def number_value(text: str) -> float | int | None:
    """An Arabic or Chinese number as a Python number (半 → 0.5)."""
    if re.fullmatch(_ARABIC, text):
        return float(text) if "." in text else int(text)
    if text == "半":
        return 0.5
    return chinese_int(text)


@dataclass(frozen=True)
class ParsedFigure:
    """What a written figure says: 2万余人次 → value 2, unit 万人次, qualifier 余 (the unit the source writes)."""

    value: float | int
    value_to: float | int | None
    unit: str
    qualifier: str | None


def parse_written(written: str) -> ParsedFigure | None:
    """Read the first number of a written figure; None when it holds no number (数十个)."""
    text = written.strip()
    m = _NUMBER.search(text)
    if m is None:
        return None
    value = number_value(m.group("num"))
    before, rest = text[: m.start()], text[m.end():]
    if value is None or (not m.group("num")[0].isdigit() and (before.endswith(_VAGUE) or rest.startswith(_VAGUE))):
        return None  # 数十个, 几百人, 十几户: no number to compare
    if rest.startswith("分之"):
        return None  # 百分之九十, 三分之一: a fraction, kept as written
    qualifier = next((q for q in PREFIX_QUALIFIERS if before.endswith(q)), None)
    value_to = None
    sep = _RANGE_SEP.match(rest)
    if sep:
        m2 = _NUMBER.match(rest, sep.end())
        if m2 and (to := number_value(m2.group("num"))) is not None:
            value_to, rest = to, rest[m2.end():]
    # 万/亿 after the number stay in the unit, as the source writes them (2万余人次: unit 万人次).
    big = re.match(r"[万亿]+", rest)
    scale, rest = (big.group(0), rest[big.end():]) if big else ("", rest)
    infix = next((q for q in INFIX_QUALIFIERS if rest.startswith(q)), None)
    if infix:
        qualifier, rest = qualifier or infix, rest[len(infix):]
    suffix = next((q for q in SUFFIX_QUALIFIERS if rest.endswith(q)), None)
    if suffix:
        qualifier, rest = qualifier or suffix, rest[: -len(suffix)]
    return ParsedFigure(value=value, value_to=value_to, unit=(scale + rest).strip(), qualifier=qualifier)


_SCALE = {"万": 10_000, "亿": 100_000_000}


def magnitude(value: float | int, unit: str) -> float:
    """The value in ones, for sorting only: 2 with unit 万人次 → 20000."""
    factor = 1.0
    for ch in unit[:2]:
        if ch not in _SCALE:
            break
        factor *= _SCALE[ch]
    return float(value) * factor


# A counted name: the numeral before a counter (六步, 五严禁, 七有, 三优先, 八步工作法, 十条), or at the start.
_COUNTERS = ("步", "项", "条", "个", "有", "严禁", "禁止", "不准", "不", "优先", "要", "必", "到位", "公开", "清单",
             "制度", "机制", "措施", "环节", "流程", "举措", "类", "张", "种", "化")
_NOT_COUNTS = ("年", "月", "日", "天", "岁", "级", "星", "线", "心", "体", "次")
_GROUP = re.compile(f"[{CN_NUMERAL}]+|\\d+")


def named_count(name: str) -> int | None:
    """The number of items a practice's name promises, or None when the name is not a plain count.

    Names with two counts (四议两公开, 三会五员) or arithmetic (“1+19”) are left alone: their parts are
    not the number of items."""
    if re.search(r"\d\s*[+＋]|[+＋]\s*\d", name):
        return None
    groups = list(_GROUP.finditer(name))
    if len(groups) != 1:
        return None
    group = groups[0]
    after = name[group.end():]
    if after.startswith(_NOT_COUNTS):
        return None
    at_start = name[: group.start()].strip("“”\"'《》（）() ") == ""
    if not at_start and not after.startswith(_COUNTERS):
        return None
    text = group.group(0)
    count = int(text) if text.isdigit() else chinese_int(text)
    return count if count and count > 1 else None
