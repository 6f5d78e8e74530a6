"""The validator's messages in the workbook's words: sheets, column headers and 本格 instead of record fields,
Excel instead of YAML, and no maintainers' commands (the one place where a record's terms become a sheet's)."""

from __future__ import annotations

import re

from govcases.exchange.layout import SHEETS

# (what a record message says, what the official reads instead), applied in order. `{cell}` becomes 本格 when the
# problem sits in that column's cell, else the column's place (“关键数据”表“原文写法”列).
_PHRASES: tuple[tuple[str, str], ...] = (
    ("（可参照 govcases new 生成的骨架）", ""),
    ("必填字段，但没有写；请补上这一项", "必填，但没有填；请填写这一格"),
    ("的摘录（excerpts）里找不到；请照摘录原文填写 written，或把含这个数字的原文句子加进摘录",
     "的“原文摘录”里找不到；请照摘录原文填写{written}，或把含这个数字的原文句子加进来源表的“原文摘录”列"),
    ("摘录里“", "来源表的“原文摘录”里“"),
    ("请在记录开头写 as_of: 来源发布日期（如 2022-10）", "请在“案例”表的“时间基准”列填写来源发布日期（如 2022-10）"),
    ("不在本案例的 practice_types 或 dimensions 里；请删掉这一条，或把它加进类型或维度",
     "不是本案例选的实践类型或治理维度；请删掉这一行，或改选类别和名称"),
    ("；请在 evidence 下各写一条，", "；请在“分类”表的“依据”列各写一条，"),
    ("请填写 written（照原文写数字，如 1万余户）或 value（数值）", "请填写{written}（照原文写数字，如 1万余户）"),
    ("written 里的数字太大", "原文写法里的数字太大"),
    ("以“- ”开头", "单元格内按 Alt+Enter 换行"),
    ("（写中文名或 id）", "（从下拉列表选择）"),
    ("；新的省份请先加进 cases/_taxonomy.yaml 的 provinces", "（从下拉列表选择）"),
    ("请删掉这一条", "请删掉这一行"),
)
_COUNTS = (  # 命名程序: the record's steps and source_lists are the sheet's rows and its 来源只列出几项 column
    (re.compile(r"source_lists 是 (\d+)，但 steps 列了"), r"“来源只列出几项”填的是 \1，但这个程序列了"),
    (re.compile(r"，steps 只列了"), "，“命名程序”表只列了"),
    (re.compile(r"来源本身只列出 (\d+) 项时写 source_lists: \d+"),
     r"来源本身只列出 \1 项时在第一行的“来源只列出几项”列填 \1"),
)
_COLUMN = {c.field: (s.name, c.header) for s in reversed(SHEETS) for c in s.columns}


def in_workbook_terms(message: str, sheet: str, field: str) -> str:
    """`message` about the cell of column `field` on `sheet`, said in the workbook's own terms."""
    for old, new in _PHRASES:
        message = message.replace(old, new)
    for pattern, new in _COUNTS:
        message = pattern.sub(new, message)
    return re.sub(r"\{(\w+)\}", lambda m: _place(m.group(1), sheet, field), message)


def _place(name: str, sheet: str, field: str) -> str:
    where, header = _COLUMN[name]
    if (where, name) == (sheet, field):
        return "本格"
    return f"“{where}”表的“{header}”列"
