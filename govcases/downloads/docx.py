"""Word (.docx) files of practice templates, typeset after GB/T 9704: A4, 仿宋 三号, 黑体/楷体 headings."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from govcases.records.templates import FIELD_RE, PracticeTemplate, TemplateRecord, blocks

# (font named in the document, the font Word/WPS/LibreOffice should use when the first is not installed)
TITLE_FONT = ("方正小标宋简体", "宋体")
BODY_FONT = ("仿宋_GB2312", "仿宋")
H1_FONT = ("黑体", "SimHei")
H2_FONT = ("楷体_GB2312", "楷体")
PAGE_FONT = ("宋体", "SimSun")
LATIN_FONT = "Times New Roman"
FALLBACKS = dict((
    TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT,
    ("仿宋", "FangSong"), ("楷体", "KaiTi"),
))

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_S4 = Pt(12)  # 小四
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
INDENT = Pt(32)  # two characters of 三号
FIXED_TIME = datetime(2024, 1, 1)  # so that a rebuild gives identical files


def _set_fonts(element: object, east_asia: str) -> None:
    """Set Latin and East Asian fonts (w:rFonts) on a run or style, dropping overriding theme fonts."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(doc: DocxDocument, name: str, font: tuple[str, str], size: Pt, *, align: int | None = None,
           indent: Pt | None = None) -> None:
    style = doc.styles[name]
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element, font[0])
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = indent
    if align is not None:
        fmt.alignment = align


def _setup(doc: DocxDocument) -> None:
    """Page, styles, language, fallback fonts and the page-number footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    _style(doc, "Normal", BODY_FONT, SIZE_3)
    _style(doc, "Title", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.styles["Title"].paragraph_format.line_spacing = Pt(36)
    _style(doc, "Heading 1", H1_FONT, SIZE_3)
    _style(doc, "Heading 2", H2_FONT, SIZE_3, indent=INDENT)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].paragraph_format.keep_with_next = True
        ppr = doc.styles[name].element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):  # the default Title style is underlined with a border
            ppr.remove(border)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    doc.styles["Normal"].element.get_or_add_rPr().append(lang)
    _font_table(doc)
    _page_numbers(section.footer.paragraphs[0])
    props = doc.core_properties
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = props.author = "govcases"
    props.language = "zh-CN"


def _font_table(doc: DocxDocument) -> None:
    """Declare the Chinese fonts with a GB2312 charset and an alternative name, so absent fonts fall back."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if name in ("黑体", "SimHei") else "roman"}"/>'
        '<w:pitch w:val="fixed"/></w:font>'
        for name, alt in FALLBACKS.items()
    )
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")  # generic Part keeps bytes


def _field_run(paragraph: Paragraph, instruction: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _set_fonts(run._r, PAGE_FONT[0])
        run.font.size = SIZE_4
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text or ""


def _page_numbers(paragraph: Paragraph) -> None:
    """— N — centred in the footer, in 宋体 四号."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    for part in ("— ", None, " —"):
        if part is None:
            _field_run(paragraph, "PAGE")
        else:
            run = paragraph.add_run(part)
            _set_fonts(run._r, PAGE_FONT[0])
            run.font.size = SIZE_4


def add_text(paragraph: Paragraph, text: str, font: str | None = None, *, size: Pt | None = None) -> None:
    """Append text as runs; fill-in fields such as 【村名】 are highlighted so they are easy to find."""
    pos = 0
    for match in [*FIELD_RE.finditer(text), None]:
        end = match.start() if match else len(text)
        pieces = [(text[pos:end], False)] + ([(match.group(0), True)] if match else [])
        for piece, is_field in pieces:
            if not piece:
                continue
            run = paragraph.add_run(piece)
            if font:
                _set_fonts(run._r, font)
            if size:
                run.font.size = size
            if is_field:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if match:
            pos = match.end()


def _para(doc: DocxDocument, text: str = "", *, font: str | None = None, indent: bool = True,
          align: int | None = None) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = INDENT if indent else Pt(0)
    if align is not None:
        paragraph.alignment = align
    add_text(paragraph, text, font)
    return paragraph


def _body(doc: DocxDocument, record: TemplateRecord) -> None:
    chapters = record.style == "articles"
    for block in blocks(record):
        if block.kind == "h1":
            heading = doc.add_paragraph(style="Heading 1")
            heading.paragraph_format.first_line_indent = Pt(0) if chapters else INDENT
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER if chapters else WD_ALIGN_PARAGRAPH.JUSTIFY
            add_text(heading, f"{block.label}{'　' if chapters else ''}{block.text}")
        elif block.kind == "h2":
            heading = doc.add_paragraph(style="Heading 2")
            add_text(heading, f"{block.label}{'　' if chapters else ''}{block.text}")
        elif block.kind == "article" and chapters:
            paragraph = _para(doc)
            add_text(paragraph, block.label, H1_FONT[0])  # 第一条 set in 黑体, as regulations customarily are
            add_text(paragraph, "　" + block.text)
        else:
            _para(doc, f"{block.label}{block.text}")


def _table(
    doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # w:gridCol, which LibreOffice reads; cell widths below are for Word
    for row_cells, values, is_header in [(table.rows[0].cells, header, True)] + [
        (table.add_row().cells, r, False) for r in rows
    ]:
        for cell, value, width in zip(row_cells, values, widths, strict=True):
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if is_header:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_text(paragraph, value, H1_FONT[0] if is_header else None, size=SIZE_S4)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    tr_pr.append(repeat)


def _page_break(doc: DocxDocument) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _appendix_ledger(doc: DocxDocument, record: TemplateRecord) -> None:
    ledger = record.ledger
    assert ledger is not None
    _page_break(doc)
    _para(doc, "附件", font=H1_FONT[0], indent=False)
    title = doc.add_paragraph(style="Title")
    add_text(title, "积分项目及分值表")
    _para(doc, (f"每户（单位）年度基础分{ledger.base:g}分；全年积分达到{ledger.commend_at:g}分的列为"
                f"{ledger.commend_label}，低于{ledger.watch_below:g}分的列为{ledger.watch_label}。"
                "以下分值为建议值，经村民代表会议讨论后可以调整。"))
    rows = [(code, cat, name, f"{pts:+g}", note) for code, cat, name, pts, note in ledger.rows()]
    _table(doc, ("编号", "类别", "项目", "分值", "计分说明"), rows, (13, 40, 60, 15, 28))


def _appendix_notes(doc: DocxDocument, t: PracticeTemplate, case_titles: Sequence[str]) -> None:
    record = t.record
    _page_break(doc)
    heading = doc.add_paragraph(style="Heading 1")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(heading, "使用说明（定稿印发前删除本页及以后各页）")
    doc.add_paragraph(style="Heading 2").add_run("一、用途")
    _para(doc, record.purpose)
    doc.add_paragraph(style="Heading 2").add_run("二、合法性与程序核对清单")
    for i, item in enumerate(record.checklist, 1):
        _para(doc, f"{i}.{item}")
    doc.add_paragraph(style="Heading 2").add_run("三、填空项说明")
    rows = [(f"【{f.name}】", f.explain, f.example or "") for f in record.fields]
    _table(doc, ("填空项", "填写说明", "示例"), rows, (36, 88, 32))
    if case_titles:
        doc.add_paragraph(style="Heading 2").add_run("四、参考案例")
        for i, title in enumerate(case_titles, 1):
            _para(doc, f"{i}.{title}")


def template_docx(t: PracticeTemplate, case_titles: Sequence[str] = ()) -> bytes:
    """The template as an editable Word document: title, full text, signature, ledger table, usage notes."""
    record = t.record
    doc = Document()
    _setup(doc)
    doc.core_properties.title = record.title
    doc.core_properties.subject = record.summary
    title = doc.add_paragraph(style="Title")
    add_text(title, record.document_title)
    if record.subtitle:
        _para(doc, record.subtitle, font=H2_FONT[0], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc)
    for text in record.preamble:
        _para(doc, text)
    _body(doc, record)
    if record.signature:
        _para(doc)
        for line in record.signature:
            paragraph = _para(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = INDENT
    if record.ledger is not None:
        _appendix_ledger(doc, record)
    _appendix_notes(doc, t, case_titles)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
