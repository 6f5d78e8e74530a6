"""The submission workbook's sheets and columns: one definition read by the writer and the importer alike."""

from __future__ import annotations

from dataclasses import dataclass

WORKBOOK_NAME = "案例报送表.xlsx"
EXAMPLE_MARK = "示例"  # the 案例序号 of the example rows, which import skips
LIST_SEP = "、"  # keywords are written 自治、法治 in one cell
YES, NO = "是", "否"
# Columns of sequence numbers (案例序号, 步骤序号 …); every other column is text, formatted “文本” in the workbook
# so that Excel and WPS keep 95%, 1,200户 and 2022-10 as typed instead of turning them into numbers and dates.
SERIAL_FIELDS = frozenset({"case", "step", "item", "source", "source_lists"})
NUMBER_FIELDS = SERIAL_FIELDS | {"year"}  # read into the record as numbers
DATE_FIELDS = frozenset({"as_of", "date"})  # YYYY-MM-DD, YYYY-MM or YYYY in the record


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header, the record field it fills, and how an official should fill it."""

    header: str
    field: str  # dotted path in the record, or a key of the sheet's own (e.g. "case" for 案例序号)
    hint: str
    required: bool = False
    width: int = 14
    lines: bool = False  # one item per line inside the cell (Alt+Enter in Excel/WPS)
    choices: str = ""  # name of a drop-down list (see LISTS in write.py)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: its name, what one row holds, and its columns in order."""

    name: str
    row_is: str
    columns: tuple[Column, ...]

    def header(self, field: str) -> str:
        """The Chinese header of the column that fills `field`."""
        return next(c.header for c in self.columns if c.field == field)


CASE_NO = Column("案例序号", "case", "本表内的案例编号：1、2、3……；其他各表用它指明是哪个案例", True, 9)

CASES = Sheet("案例", "一个案例", (
    CASE_NO,
    Column("编号", "id", "可不填；由维护人员导入时按地名和模式生成，如 ningxia-jinfeng-points", width=16),
    Column("标题", "title", "用自己的话概括，如：安家村：用“小积分”激活村民参与", True, 30),
    Column("命名模式", "model", "来源中有名称的做法，照原文写，如 三会五员、2+333", width=14),
    Column("省级", "place.province", "从下拉列表选择", True, 14, choices="provinces"),
    Column("市级", "place.city", "全称，如 德阳市", width=12),
    Column("县级", "place.county", "全称，如 罗江区", width=12),
    Column("乡镇", "place.town", "如 金山镇", width=12),
    Column("村（社区）", "place.village", "如 安家村", width=12),
    Column("实施层级", "level", "从下拉列表选择：做法由哪一级组织实施", True, 9, choices="levels"),
    Column("年份", "year", "来源发布或报道的年份，四位数字，如 2022", True, 8),
    Column("时间基准", "as_of", "正文有“去年”“目前”“近三年”等说法时必填：这些说法以哪个日期为准，如 2022-10",
           width=11),
    Column("关键词", "keywords", "可不填；多个用顿号分隔，如 积分超市、道德评议", width=18),
    Column("摘要", "summary", "2—4句，用自己的话写做法和成效", True, 40),
    Column("背景（来源所述）", "background", "只写来源自己说到的起因和问题；来源没写就不填", width=30),
    Column("成效", "results", "每条一行（单元格内换行：Alt+Enter）", True, 40, lines=True),
    Column("认定和荣誉", "recognition", "每项一行，照原文写，如 全国乡村治理示范村", width=24, lines=True),
    Column("编者分析：背景", "analysis.background", "可不填；填报人对问题的理解（页面上标为编者分析）", width=24),
    Column("编者分析：条件", "analysis.conditions", "可不填；做法依赖哪些条件（编者判断，不是原文）", width=24),
    Column("编者分析：借鉴要点", "analysis.transferability", "可不填；借鉴时要注意什么（编者判断）", width=24),
))

CLASSES = Sheet("分类", "案例的一个实践类型或治理维度，及其依据", (
    CASE_NO,
    Column("类别", "kind", "从下拉列表选：实践类型 或 治理维度", True, 10, choices="kinds"),
    Column("名称", "name", "从下拉列表选择，如 积分制、自治", True, 16, choices="terms"),
    Column("依据", "evidence", "哪一步做法或来源哪句话说明了这一点，如 做法“建立积分台账”", True, 40),
))

MEASURES = Sheet("做法", "案例的一个做法步骤", (
    CASE_NO,
    Column("步骤序号", "step", "1、2、3……，按来源顺序", True, 9),
    Column("小标题", "heading", "10字左右，如 划定积分对象", True, 20),
    Column("责任主体", "responsible", "来源写明时填，如 村党总支", width=18),
    Column("具体做法", "actions", "每条一行（Alt+Enter 换行），用自己的话写", True, 60, lines=True),
))

PROCEDURES = Sheet("命名程序", "有名称、有数目的程序（如 六步议事）中的一项", (
    CASE_NO,
    Column("程序名称", "name", "照原文写，如 六步议事、五严禁", True, 14),
    Column("项序号", "item", "1、2、3……，按来源顺序；每一项占一行", True, 8),
    Column("内容", "text", "这一项的内容，专门术语照原文，如 提议", True, 30),
    Column("实施主体", "actor", "来源写明时填", width=16),
    Column("来源只列出几项", "source_lists", "只在来源本身列出的项数少于名称中的数目时填，写在该程序的第一行",
           width=12),
    Column("备注", "note", "可不填；写在该程序的第一行", width=20),
))

FIGURES = Sheet("关键数据", "一个关键数据", (
    CASE_NO,
    Column("说明", "label", "这个数字说明什么，如 纳入积分管理的农户", True, 28),
    Column("原文写法", "written", "照来源原样写，带单位和“约”“余”等字，如 978户、1万余人次、千余名", True, 16),
    Column("时间", "as_of", "数字对应的时间（来源写明时），如 2022 或 2022-10", width=10),
    Column("来源序号", "source", "出自“来源”表中该案例的第几个来源；只有一个来源可不填", width=9),
    Column("用于对比", "compare", "填“是”则在类型页的对比表中显示", width=9, choices="yesno"),
    Column("备注", "note", "可不填；统计口径等", width=20),
))

SOURCES = Sheet("来源", "案例的一个来源", (
    CASE_NO,
    Column("来源序号", "source", "1、2……", True, 9),
    Column("标题", "title", "原文标题", True, 30),
    Column("发布单位", "publisher", "如 四川省农业农村厅", True, 20),
    Column("发布日期", "date", "如 2022-10-08；只知道年月写 2022-10，只知道年份写 2022", True, 12),
    Column("日期为推算", "date_inferred", "来源上没有印日期、日期是推算出来的，填“是”", width=10, choices="yesno"),
    Column("文号", "doc_number", "如 桂农厅发〔2022〕1号", width=18),
    Column("所属文件", "collection", "如 四川省乡村治理体系建设试点成果清单（第一批）", width=24),
    Column("清单序号", "item", "在所属文件中是第几项", width=9),
    Column("作者", "author", "署名作者或供稿单位", width=12),
    Column("链接", "url", "原文网址，http:// 或 https:// 开头", width=30),
    Column("实际阅读地址", "read_at", "读的是转载时填转载的网址", width=24),
    Column("原文摘录", "excerpts", "含关键数据的原文短句，每段一行；每个关键数据的原文写法都应能在这里找到",
           width=60, lines=True),
))

SHEETS = (CASES, CLASSES, MEASURES, PROCEDURES, FIGURES, SOURCES)
INSTRUCTIONS = "填写说明"
LISTS = "下拉选项"
KINDS = ("实践类型", "治理维度")
