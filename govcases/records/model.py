"""The case record format: immutable pydantic models that the JSON Schema is generated from."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)

# An http(s) address and nothing else. Spaces, quotes, angle brackets, backslashes, braces and control
# characters are refused: wherever an address is shown, one of them could end the link and let the rest of
# the text out as markup. Such characters are written percent-encoded (%20, %3C …) in a real address.
URL_PATTERN = r"^https?://[^\s<>\"'`\x00-\x1f\x7f\\{}|^\[\]]+$"
URL_RE = re.compile(URL_PATTERN)
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_FOLDED_BREAK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def _join_cjk_lines(text: str) -> str:
    # YAML folds line breaks into spaces, which Chinese does not use between characters.
    return _FOLDED_BREAK.sub("", text)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Prose is written as folded YAML paragraphs; names and titles (Text) keep their spaces, which can be separators.
Prose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_join_cjk_lines)]
Number = StrictInt | StrictFloat

# Where a qualifier is written relative to the number, so "9850余件" and "95%以上" read as in the source.
PREFIX_QUALIFIERS = ("约", "近", "超过", "逾", "不少于", "不低于", "达", "低于", "高于", "不足", "至少")
INFIX_QUALIFIERS = ("余", "多")
SUFFIX_QUALIFIERS = ("以上", "左右", "以下", "以内")
Qualifier = Literal[
    "约", "近", "超过", "逾", "不少于", "不低于", "达", "低于", "高于", "不足", "至少",
    "余", "多", "以上", "左右", "以下", "以内",
]


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
    """A key figure exactly as the source states it: number, unit and what it counts."""

    label: Text = Field(description="数字说明什么，如 “纳入积分管理的常住户”")
    value: Number = Field(description="数值，必须是数字（如 978、2.1、95）；“约”“余”等写在 qualifier")
    value_to: Number | None = Field(None, description="区间的上限，如 300—500 户 写 value: 300, value_to: 500")
    unit: str = Field("", description="单位，照抄来源，如 户、个、万元、%、万路；无单位留空")
    qualifier: Qualifier | None = Field(
        None, description="来源中的修饰词：约/近/超过/逾/不少于/达/低于/不足/余/多/以上/左右/以下"
    )
    written: Text | None = Field(
        None,
        description="原文写法，仅当数值、修饰词和单位拼不出原文时填写，如 1万余户",
    )
    note: Text | None = Field(None, description="补充说明，如统计口径或时间")

    @model_validator(mode="after")
    def _written_matches(self) -> Figure:
        # `written` may only re-order the parts, never state another number.
        if self.written and _num(self.value) not in self.written:
            raise ValueError(f"written '{self.written}' does not contain the value {_num(self.value)}")
        return self

    def display(self) -> str:
        """The figure as the source writes it: 9850余件, 95%以上, 300—500户, 约520万元/年."""
        number = _num(self.value) if self.value_to is None else f"{_num(self.value)}—{_num(self.value_to)}"
        q = self.qualifier or ""
        if q in PREFIX_QUALIFIERS:
            return f"{q}{number}{self.unit}"
        if self.written:
            return self.written
        if q in INFIX_QUALIFIERS:
            return f"{number}{q}{self.unit}"
        return f"{number}{self.unit}{q}"


def _num(x: float) -> str:
    """A number as a source writes it: 978, 2.1 (never 978.0)."""
    return str(int(x)) if float(x).is_integer() else repr(x)


class Source(_Frozen):
    """The document a record is written from."""

    title: Text = Field(description="原文标题（文章或清单条目标题）")
    publisher: Text = Field(description="发布单位或媒体，如 四川省农业农村厅")
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = Field(
        description="发布日期 YYYY-MM-DD（只知年月时写 YYYY-MM）"
    )
    doc_number: Text | None = Field(None, description="文号，如 桂农厅发〔2022〕1号")
    collection: Text | None = Field(None, description="所属文件或清单，如 四川省乡村治理体系建设试点成果清单（第一批）")
    item: StrictInt | None = Field(None, ge=1, description="在清单中的序号")
    author: Text | None = Field(None, description="署名作者或供稿单位")
    url: Url | None = Field(
        None, description="原文链接，只允许 http(s)"
    )

    @field_validator("date", mode="before")
    @classmethod
    def _date_to_text(cls, value: object) -> object:
        # YAML reads 2022-10-08 as a date; the record keeps it as text so "2022-10" is allowed too.
        return value.isoformat() if hasattr(value, "isoformat") else value


class CaseRecord(_Frozen):
    """A case of rural-governance practice (乡村治理案例), one YAML file in `cases/`."""

    title: Text = Field(description="案例标题（自己的话），如 “安家村：用‘小积分’激活村民参与”")
    model: Text | None = Field(None, description="命名的模式或口号，如 三会五员、2+333、小积分")
    place: Place
    level: Text = Field(description="实施单位层级：省 / 市 / 县 / 乡镇 / 村")
    year: StrictInt = Field(ge=1949, le=2100, description="来源发布或做法报道的年份")
    practice_types: tuple[Text, ...] = Field(min_length=1, description="实践类型（见 cases/_taxonomy.yaml）")
    dimensions: tuple[Text, ...] = Field(min_length=1, description="治理维度：党建引领/自治/法治/德治/智治")
    keywords: tuple[Text, ...] = Field((), description="其他关键词（可选），用于标签和检索")
    summary: Prose = Field(description="摘要：2–4 句，20 秒读完")
    background: Prose = Field(description="背景与问题")
    measures: tuple[Measure, ...] = Field(min_length=1, description="主要做法，分步骤")
    results: tuple[Prose, ...] = Field(min_length=1, description="成效，每条一句")
    figures: tuple[Figure, ...] = Field(min_length=1, description="关键数据，照来源原样")
    recognition: tuple[Text, ...] = Field((), description="获得的认定或荣誉，如 全国乡村治理体系建设试点单位")
    conditions: Prose | None = Field(None, description="做法依赖的条件")
    transferability: Prose | None = Field(None, description="可复制推广的要点与注意事项")
    sources: tuple[Source, ...] = Field(min_length=1, description="来源，至少一条")


class Case(BaseModel):
    """A validated record with its id (the file name) and the file it came from."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    record: CaseRecord
