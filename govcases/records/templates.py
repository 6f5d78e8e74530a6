"""Practice templates (村规民约, 积分制细则 …): record format, loading, fill-in field and case checks."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictFloat, StrictInt, model_validator

from govcases.paths import CASES_DIR
from govcases.records.errors import Problem
from govcases.records.files import record_files
from govcases.records.load import check_terms, load_record, load_taxonomy
from govcases.records.model import Text as _Text
from govcases.records.model import join_cjk_lines
from govcases.records.taxonomy import Taxonomy
from govcases.records.yamlsource import YamlDoc, strings

# A fill-in field as written in template text: 【村名】, 【日期】.
FIELD_RE = re.compile(r"【([^【】\n]{1,30})】")

# Template text is folded YAML prose throughout.
Text = Annotated[_Text, AfterValidator(join_cjk_lines)]

Points = Annotated[StrictInt, Field(gt=0)] | Annotated[StrictFloat, Field(gt=0)]
Score = StrictInt | StrictFloat


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Article(_Frozen):
    """One numbered article (第X条 / 1.) with optional items （一）（二）; a plain string is the text."""

    text: Text = Field(description="条文正文；填空项写作【村名】")
    items: tuple[Text, ...] = Field((), description="条下分项，按（一）（二）编号")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        return {"text": value} if isinstance(value, str) else value


class Subsection(_Frozen):
    """A level-2 heading (第X节 / （一）) and its articles."""

    heading: Text = Field(description="二级标题，不写编号")
    articles: tuple[Article, ...] = Field(min_length=1)


class Section(_Frozen):
    """A level-1 heading (第X章 / 一、) with articles, subsections, or both."""

    heading: Text = Field(description="一级标题，不写编号，如 总则")
    articles: tuple[Article, ...] = ()
    subsections: tuple[Subsection, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> Section:
        if not self.articles and not self.subsections:
            raise ValueError("这一章（节）是空的；请在 articles 下写条文，或在 subsections 下分节，不需要的章整段删掉")
        return self


class FillField(_Frozen):
    """A blank the adopting village fills in, listed with what to write there."""

    name: Text = Field(description="填空项名称，不带括号，如 村名")
    explain: Text = Field(description="填写说明")
    example: Text | None = Field(None, description="填写示例")


class LedgerItem(_Frozen):
    """A scored behaviour with its points per occurrence."""

    name: Text
    points: Points = Field(description="每次加（扣）的分数，写正数")
    note: Text | None = Field(None, description="计分说明，如 每月最多计2次")


class LedgerCategory(_Frozen):
    """A category of positive items (遵纪守法, 环境卫生 …)."""

    name: Text
    items: tuple[LedgerItem, ...] = Field(min_length=1)


class Ledger(_Frozen):
    """The points ledger that the .xlsx is generated from."""

    base: Score = Field(0, description="每户年度基础分")
    commend_at: Score = Field(description="全年积分达到该分数，标记为表彰候选")
    commend_label: Text = "表彰候选"
    watch_below: Score = Field(description="全年积分低于该分数，标记为帮扶关注")
    watch_label: Text = "帮扶关注"
    households: StrictInt = Field(60, ge=5, le=3000, description="农户名册预留行数")
    log_rows: StrictInt = Field(600, ge=20, le=20000, description="积分记录预留行数")
    categories: tuple[LedgerCategory, ...] = Field(min_length=1)
    deductions: tuple[LedgerItem, ...] = Field((), description="负面清单：每条扣分")

    @model_validator(mode="after")
    def _thresholds(self) -> Ledger:
        if self.watch_below >= self.commend_at:
            raise ValueError(
                f"watch_below（{self.watch_below:g}）应低于 commend_at（{self.commend_at:g}）；"
                "请调低帮扶关注线或调高表彰线")
        return self

    def rows(self) -> list[tuple[str, str, str, float, str]]:
        """Every item as (code, category, name, signed points, note): J01… for 加分, F01… for 扣分."""
        out: list[tuple[str, str, str, float, str]] = []
        for cat in self.categories:
            for item in cat.items:
                out.append((f"J{len(out) + 1:02d}", cat.name, item.name, item.points, item.note or ""))
        for i, item in enumerate(self.deductions, 1):
            out.append((f"F{i:02d}", "负面清单", item.name, -item.points, item.note or ""))
        return out


class Departure(_Frozen):
    """Where the template deliberately does not do what a case it cites does, and why (usually the law)."""

    case: Text = Field(description="所引案例 id（须在 cases 中）")
    what: Text = Field(description="与案例做法的不同之处")
    why: Text = Field(description="理由；依据法律的写明法律名称")


class TemplateRecord(_Frozen):
    """A practice template, one YAML file in `templates/`."""

    title: Text = Field(description="模板名称，如 村规民约（范本）")
    document_title: Text = Field(description="文件标题，如 【村名】村规民约")
    subtitle: Text | None = Field(None, description="题注，如 （【日期】【村名】村民会议表决通过）")
    summary: Text = Field(description="一句话介绍，用于模板总览")
    purpose: Text = Field(description="用途")
    when_to_use: tuple[Text, ...] = Field(min_length=1, description="适用情形")
    checklist: tuple[Text, ...] = Field(min_length=1, description="合法性与程序核对清单")
    style: Literal["articles", "list"] = Field("articles", description="articles：章/条；list：一、（一）1.")
    preamble: tuple[Text, ...] = Field((), description="正文前的引言段落")
    sections: tuple[Section, ...] = Field(min_length=1)
    signature: tuple[Text, ...] = Field((), description="落款，每行一项")
    fields: tuple[FillField, ...] = Field(min_length=1, description="填空项说明")
    cases: tuple[Text, ...] = Field(min_length=1, description="参考案例 id")
    departures: tuple[Departure, ...] = Field((), description="与所引案例的不同之处")
    practice_types: tuple[Text, ...] = Field(min_length=1, description="实践类型（见 cases/_taxonomy.yaml）")
    ledger: Ledger | None = None


class PracticeTemplate(BaseModel):
    """A validated template record with its id (the file name) and the file it came from."""

    model_config = ConfigDict(frozen=True)

    id: str
    path: str
    record: TemplateRecord

    @property
    def title(self) -> str:
        """The template's name as shown in lists."""
        return self.record.title


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (1–99), as in 第二十三条."""
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


class Block(BaseModel):
    """One numbered piece of a template's text, in reading order: h1, h2, article, or item."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["h1", "h2", "article", "item"]
    label: str  # 第一章, 第一条, （一）, 一、, 1. …
    text: str


def blocks(record: TemplateRecord) -> list[Block]:
    """The full text numbered the way the record's style asks (章/节/条/（一） or 一、/（一）/1./（1））."""
    out: list[Block] = []
    chapters = record.style == "articles"
    article_no = 0

    def articles(items: tuple[Article, ...]) -> None:
        nonlocal article_no
        if not chapters:
            article_no = 0
        for art in items:
            article_no += 1
            label = f"第{chinese_number(article_no)}条" if chapters else f"{article_no}."
            out.append(Block(kind="article", label=label, text=art.text))
            for j, item in enumerate(art.items, 1):
                sub = f"（{chinese_number(j)}）" if chapters else f"（{j}）"
                out.append(Block(kind="item", label=sub, text=item))

    for i, section in enumerate(record.sections, 1):
        label = f"第{chinese_number(i)}章" if chapters else f"{chinese_number(i)}、"
        out.append(Block(kind="h1", label=label, text=section.heading))
        articles(section.articles)
        for j, sub in enumerate(section.subsections, 1):
            label = f"第{chinese_number(j)}节" if chapters else f"（{chinese_number(j)}）"
            out.append(Block(kind="h2", label=label, text=sub.heading))
            articles(sub.articles)
    return out


def check_fields(doc: YamlDoc) -> list[Problem]:
    """Every 【…】 used in the text is listed under `fields`, and every listed field is used."""
    data = doc.data if isinstance(doc.data, dict) else {}
    declared = data.get("fields") if isinstance(data.get("fields"), list) else []
    names: dict[str, int] = {}
    problems: list[Problem] = []
    for i, entry in enumerate(declared):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            continue
        name = name.strip().strip("【】")
        if name in names:
            message = f"填空项“{name}”重复（fields[{names[name]}] 已有）；请删掉其中一个"
            problems.append(doc.problem(("fields", i, "name"), message))
        names.setdefault(name, i)
    used: set[str] = set()
    for loc, text in strings({k: v for k, v in data.items() if k != "fields"}):
        for name in FIELD_RE.findall(text):
            used.add(name)
            if name not in names:
                problems.append(doc.problem(loc, (
                    f"填空项【{name}】没有在 fields 里说明；请在 fields 下加一项 name: {name}，写明填什么")))
    for name, i in names.items():
        if name not in used:
            message = f"fields 里的“{name}”在正文中没有用到（应写作【{name}】）；请在正文里用上它，或从 fields 删掉"
            problems.append(doc.problem(("fields", i, "name"), message))
    return problems


def _unknown_case(ref: str, case_ids: set[str]) -> str:
    near = difflib.get_close_matches(ref, sorted(case_ids), n=1, cutoff=0.6)
    hint = f"是不是“{near[0]}”？" if near else "请写 cases/ 下已有案例的文件名（不带 .yaml）"
    return f"没有“{ref}”这个案例（cases/{ref}.yaml 不存在）；{hint}"


def check_references(doc: YamlDoc, case_ids: set[str], taxonomy: Taxonomy | None) -> list[Problem]:
    """Cases (also those under departures) must exist in cases/, and a departure's case must be one the template
    cites; practice types must be in the taxonomy (when it could be read)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    refs = data.get("cases")
    for i, ref in enumerate(refs if isinstance(refs, list) else []):
        if isinstance(ref, str) and ref.strip() not in case_ids:
            problems.append(doc.problem(("cases", i), _unknown_case(ref.strip(), case_ids)))
    cited = {ref.strip() for ref in refs if isinstance(ref, str)} if isinstance(refs, list) else set()
    departures = data.get("departures")
    for i, entry in enumerate(departures if isinstance(departures, list) else []):
        ref = entry.get("case") if isinstance(entry, dict) else None
        if not isinstance(ref, str):
            continue  # the model reports a missing or non-text case
        ref = ref.strip()
        if ref not in case_ids:
            problems.append(doc.problem(("departures", i, "case"), _unknown_case(ref, case_ids)))
        elif ref not in cited:
            message = f"案例“{ref}”不在本模板的 cases 里；departures 只能写本模板引用的案例，请先把它加进 cases"
            problems.append(doc.problem(("departures", i, "case"), message))
    if taxonomy is not None:
        problems += check_terms(doc, ("practice_types",), taxonomy.type, taxonomy.practice_types, "实践类型")
    return problems


def load_template(
    path: Path, case_ids: set[str], taxonomy: Taxonomy | None
) -> tuple[PracticeTemplate | None, list[Problem]]:
    """Load and check one template file; practice-type names become ids."""
    record, shown, problems = load_record(path, TemplateRecord, "模板", "village-rules.yaml",
                                          lambda doc: check_references(doc, case_ids, taxonomy) + check_fields(doc))
    if record is None:
        return None, problems
    if taxonomy is not None:
        types = tuple(taxonomy.type(t).id for t in record.practice_types)  # type: ignore[union-attr]
        record = record.model_copy(update={"practice_types": types})
    return PracticeTemplate(id=path.stem, path=shown, record=record), []


def load_templates(
    templates_dir: Path, case_ids: set[str], taxonomy: Taxonomy | None = None
) -> tuple[list[PracticeTemplate], list[Problem]]:
    """Load every template record in `templates_dir`; references to unknown cases are problems.

    Without `taxonomy`, practice types are checked against `cases/_taxonomy.yaml` next to `templates_dir`
    when that file can be read.
    """
    if not templates_dir.is_dir():
        return [], []
    if taxonomy is None:
        taxonomy, _ = load_taxonomy(templates_dir.parent / CASES_DIR)
    templates: list[PracticeTemplate] = []
    files, problems = record_files(templates_dir)
    for path in files:
        template, found = load_template(path, case_ids, taxonomy)
        problems += found
        if template is not None:
            templates.append(template)
    return templates, problems
