"""The case record format: immutable pydantic models that the JSON Schema is generated from."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_validator,
)

from govcases.records.numerals import (
    INFIX_QUALIFIERS,
    PREFIX_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    magnitude,
    parse_written,
)
from govcases.records.yamlsource import MAX_NUMBER

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)

# An http(s) address and nothing else. Spaces, quotes, angle brackets, backslashes, braces and control
# characters are refused: wherever an address is shown, one of them could end the link and let the rest of
# the text out as markup. Such characters are written percent-encoded (%20, %3C …) in a real address.
URL_PATTERN = r"^https?://[^\s<>\"'`\x00-\x1f\x7f\\{}|^\[\]]+$"
URL_RE = re.compile(URL_PATTERN)
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]

# Chinese characters, full-width forms and the marks Chinese sets full width (— “” ‘’ …), between which Chinese
# puts no space; and the full-width marks that carry their own space, after which a space is never wanted (a
# fold before 2022年).
CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2018\u2019\u201c\u201d\u2026"
FULL_WIDTH_PUNCTUATION = "，。、；：？！）》」』】〕"


def cjk_gap(space: str) -> re.Pattern[str]:
    """The spaces `space` (a regex) that a line fold leaves in Chinese: between two Chinese characters or after
    a full-width punctuation mark."""
    return re.compile(f"(?<=[{CJK}]){space}(?=[{CJK}])|(?<=[{FULL_WIDTH_PUNCTUATION}]){space}(?=\\S)")


_FOLDED_BREAK = cjk_gap(r"\s+")


def join_cjk_lines(text: str) -> str:
    """`text` with the spaces that YAML made of its folded line breaks removed where Chinese has none."""
    return _FOLDED_BREAK.sub("", text)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Prose is written as folded YAML paragraphs; names and titles (Text) keep their spaces, which can be separators.
Prose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(join_cjk_lines)]
Number = StrictInt | StrictFloat

Qualifier = Literal[
    "约", "近", "超过", "逾", "不少于", "不低于", "达", "低于", "高于", "不足", "至少",
    "余", "多", "以上", "左右", "以下", "以内",
]
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _date_to_text(value: object) -> object:
    # YAML reads 2022-10-08 as a date and 2022 as a number; the record keeps dates as text ("2022-10" too).
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


DateText = Annotated[str, BeforeValidator(_date_to_text), StringConstraints(pattern=DATE_PATTERN)]


def date_label(date: str) -> str:
    """A date at its own precision, as Chinese text: 2022 → 2022年, 2022-10 → 2022年10月, 2022-10-08 → 2022年10月8日."""
    parts = date.split("-")
    label = f"{parts[0]}年"
    if len(parts) > 1:
        label += f"{int(parts[1])}月"
    if len(parts) > 2:
        label += f"{int(parts[2])}日"
    return label


def date_precision(date: str) -> Literal["year", "month", "day"]:
    """How precise a date string is: YYYY → year, YYYY-MM → month, YYYY-MM-DD → day."""
    return ("year", "month", "day")[date.count("-")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Place(_Frozen):
    """Where the practice happens; fill the levels that apply, from province down."""

    province: Text = Field(description="省级行政区全称，如 四川省、广西壮族自治区")
    city: Text | None = Field(None, description="市（州）全称，如 德阳市、黔南布依族苗族自治州")
    county: Text | None = Field(None, description="县（市、区）全称，如 罗江区、米易县")
    town: Text | None = Field(None, description="乡镇（街道），如 金山镇")
    village: Text | None = Field(None, description="村（社区），如 安家村")

    def parts(self) -> tuple[str, ...]:
        """The filled levels, largest first: ('四川省', '德阳市', '罗江区', '金山镇', '安家村')."""
        return tuple(p for p in (self.province, self.city, self.county, self.town, self.village) if p)

    def label(self) -> str:
        """Place written as Chinese addresses are: 四川省德阳市罗江区金山镇安家村."""
        return "".join(self.parts())


class Measure(_Frozen):
    """One step of what was done: a short heading and the concrete actions under it."""

    heading: Text = Field(description="小标题，10 字左右，如 “划定积分对象”")
    actions: tuple[Prose, ...] = Field(min_length=1, description="具体做法，每条一句，用自己的话写")
    responsible: Text | None = Field(None, description="责任主体（来源写明时填），如 村党总支、乡镇、驻村第一书记")


class Figure(_Frozen):
    """A key figure exactly as the source states it: the written form first, the number parsed from it."""

    label: Text = Field(description="数字说明什么，如 “纳入积分管理的常住户”")
    written: Text | None = Field(
        None, description="原文写法，照抄来源，如 1万余户、千余名、近百名、95%以上；填了就按原样显示，数值从中读出",
    )
    value: Number | None = Field(
        None, description="数值（如 978、2.1、95），不填则从 written 读出；“约”“余”等写在 qualifier"
    )
    value_to: Number | None = Field(None, description="区间的上限，如 300—500 户 写 value: 300, value_to: 500")
    unit: str | None = Field(None, description="单位，照抄来源，如 户、个、万元、%、万人次；不填则从 written 读出")
    qualifier: Qualifier | None = Field(
        None, description="来源中的修饰词：约/近/超过/逾/不少于/达/低于/不足/余/多/以上/左右/以下"
    )
    as_of: DateText | None = Field(
        None, description="这个数字对应的时间（YYYY、YYYY-MM 或 YYYY-MM-DD），来源写明或可推出时填"
    )
    source: StrictInt | None = Field(None, ge=1, description="数字出自第几条来源（从 1 数起），有多条来源时填")
    compare: StrictBool | None = Field(None, description="true：在类型页的案例对比表里显示这个数字")
    note: Text | None = Field(None, description="补充说明，如统计口径")

    @model_validator(mode="before")
    @classmethod
    def _parse_written(cls, data: object) -> object:
        # The written form is primary: whatever it says fills value, unit and qualifier left out.
        if not isinstance(data, dict) or not isinstance(data.get("written"), str):
            return data
        parsed = parse_written(data["written"])
        if parsed is None:
            return data
        if max(abs(parsed.value), abs(parsed.value_to or 0)) >= MAX_NUMBER:  # 310 digits would not even be a float
            raise ValueError("written 里的数字太大（最多 15 位）；请换用更大的单位，如 万元、亿元")
        filled = dict(data)
        if filled.get("value") is None:
            filled.update(value=parsed.value, value_to=filled.get("value_to", parsed.value_to))
            filled.setdefault("unit", parsed.unit)
            if parsed.qualifier in (*PREFIX_QUALIFIERS, *INFIX_QUALIFIERS, *SUFFIX_QUALIFIERS):
                filled.setdefault("qualifier", parsed.qualifier)
        return filled

    @model_validator(mode="after")
    def _written_matches(self) -> Figure:
        if self.value is None and not self.written:
            raise ValueError("请填写 written（照原文写数字，如 1万余户）或 value（数值）")
        if self.written and self.value is not None and not _states(self.written, self.value):
            raise ValueError(f"原文写法“{self.written}”里没有数值 {_num(self.value)}，请核对 value 或 written")
        return self

    def display(self) -> str:
        """The figure as the source writes it: `written` exactly, else 9850余件, 95%以上, 300—500户, 约520万元/年."""
        if self.written:
            return self.written
        assert self.value is not None
        number = _num(self.value) if self.value_to is None else f"{_num(self.value)}—{_num(self.value_to)}"
        q, unit = self.qualifier or "", self.unit or ""
        if q in PREFIX_QUALIFIERS:
            return f"{q}{number}{unit}"
        if q in INFIX_QUALIFIERS:
            return f"{number}{q}{unit}"
        return f"{number}{unit}{q}"

    def amount(self) -> float | None:
        """The number in ones, for sorting and comparison only (2 万人次 → 20000); None when there is none."""
        return None if self.value is None else magnitude(self.value, self.unit or "")


def _states(written: str, value: float) -> bool:
    """Whether the written form states this number (as digits, or as the number it reads as: 千 → 1000)."""
    if _num(value) in written:
        return True
    parsed = parse_written(written)
    return parsed is not None and float(parsed.value) == float(value)


def _num(x: float) -> str:
    """A number as a source writes it: 978, 2.1 (never 978.0)."""
    return str(int(x)) if float(x).is_integer() else repr(x)


class Source(_Frozen):
    """The document a record is written from."""

    title: Text = Field(description="原文标题（文章或清单条目标题）")
    publisher: Text = Field(description="发布单位或媒体，如 四川省农业农村厅")
    date: DateText = Field(description="发布日期 YYYY-MM-DD；只知年月写 YYYY-MM，只知年份写 YYYY")
    date_inferred: StrictBool | None = Field(None, description="true：日期是推定的，来源上没有印")
    doc_number: Text | None = Field(None, description="文号，如 桂农厅发〔2022〕1号")
    collection: Text | None = Field(None, description="所属文件或清单，如 四川省乡村治理体系建设试点成果清单（第一批）")
    item: StrictInt | None = Field(None, ge=1, description="在清单中的序号")
    author: Text | None = Field(None, description="署名作者或供稿单位")
    url: Url | None = Field(
        None, description="原文链接，只允许 http(s)"
    )
    read_at: Url | None = Field(
        None, description="实际读到原文的地址（转载页），与 url 不同时填"
    )
    excerpts: tuple[Prose, ...] = Field(
        (), description="含关键数据的原文短摘录（每条约 120 字以内），供核对数字"
    )

    def date_label(self) -> str:
        """The date at its precision: 2022年10月8日, 2022年10月, 2022年."""
        return date_label(self.date)


class Step(_Frozen):
    """One item of a named, counted practice, as the source names it."""

    text: Prose = Field(description="这一步（或这一条）的内容，照来源的叫法，如 “提议”")
    actor: Text | None = Field(None, description="由谁做（来源写明时填），如 村党组织")


class Procedure(_Frozen):
    """A named, counted practice of the source (六步议事, 八步工作法, 五严禁), listed whole in the source's order."""

    name: Text = Field(description="来源里的名称，照原文，如 六步议事、五严禁")
    steps: tuple[Step, ...] = Field(min_length=1, description="全部步骤或条目，按来源顺序")
    source_lists: StrictInt | None = Field(
        None, ge=1, description="来源本身只列出的条数（少于名称里的数字时才填），应等于 steps 的条数"
    )
    note: Prose | None = Field(None, description="补充说明")


class Analysis(_Frozen):
    """Editorial analysis (编者分析，非原文内容): our judgement, hedged, never the source's words."""

    background: Prose | None = Field(None, description="编者对做法所针对问题的理解（来源没有写的背景）")
    conditions: Prose | None = Field(None, description="编者判断：做法依赖的条件")
    transferability: Prose | None = Field(None, description="编者判断：借鉴时要注意什么")

    def parts(self) -> list[tuple[str, str]]:
        """The filled parts with their Chinese labels, in reading order."""
        labels = (("背景判断", self.background), ("需要的条件", self.conditions), ("借鉴要点", self.transferability))
        return [(label, text) for label, text in labels if text]


class CaseRecord(_Frozen):
    """A case of rural-governance practice (乡村治理案例), one YAML file in `cases/`."""

    title: Text = Field(description="案例标题（自己的话），如 “安家村：用‘小积分’激活村民参与”")
    model: Text | None = Field(None, description="命名的模式或口号，如 三会五员、2+333、小积分")
    place: Place
    level: Text = Field(description="实施单位层级：省 / 市 / 县 / 乡镇 / 村")
    year: StrictInt = Field(ge=1949, le=2100, description="来源发布或做法报道的年份")
    as_of: DateText | None = Field(
        None, description="记录中“去年”“目前”等相对时间所对应的日期（通常是来源发布日期），YYYY、YYYY-MM 或 YYYY-MM-DD"
    )
    practice_types: tuple[Text, ...] = Field(min_length=1, description="实践类型（见 cases/_taxonomy.yaml）")
    dimensions: tuple[Text, ...] = Field(min_length=1, description="治理维度：党建引领/自治/法治/德治/智治")
    evidence: dict[Text, Prose] = Field(
        default_factory=dict,
        description="分类依据：每个实践类型和治理维度各一条，写明哪一步做法或来源哪句话体现了它",
    )
    keywords: tuple[Text, ...] = Field((), description="其他关键词（可选），用于标签和检索")
    summary: Prose = Field(description="摘要：2–4 句，20 秒读完")
    background: Prose | None = Field(None, description="背景与问题：只写来源讲到的起因和问题（可选）")
    measures: tuple[Measure, ...] = Field(min_length=1, description="主要做法，分步骤")
    procedures: tuple[Procedure, ...] = Field(
        (), description="来源中有名称、有数目的做法（六步议事、五严禁等），全部条目按来源顺序列出"
    )
    results: tuple[Prose, ...] = Field(min_length=1, description="成效，每条一句")
    figures: tuple[Figure, ...] = Field(min_length=1, description="关键数据，照来源原样")
    recognition: tuple[Text, ...] = Field((), description="获得的认定或荣誉，如 全国乡村治理体系建设试点单位")
    analysis: Analysis | None = Field(None, description="编者分析（非原文内容）：背景判断、需要的条件、借鉴要点")
    sources: tuple[Source, ...] = Field(min_length=1, description="来源，至少一条")

    def compared_figures(self) -> tuple[Figure, ...]:
        """The figures a type page compares: those marked `compare: true`, else the first three."""
        marked = tuple(f for f in self.figures if f.compare)
        return marked or self.figures[:3]


class Case(BaseModel):
    """A validated record with its id (the file name) and the file it came from."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    record: CaseRecord
