"""The default notice template: a Word document laid out as an official Vietnamese notice.

Layout of Nghị định 30/2020/NĐ-CP (Appendix I): A4, Times New Roman, margins top/bottom 2 cm,
left 3 cm, right 1.5 cm; the issuing body top-left over a short rule and the document number;
the national motto top-right over a short rule and the place and date in italics; the title
centred and bold; "Nơi nhận" bottom-left and the signature block bottom-right. Built at run time
from code (so it never drifts from the placeholders ``letters.py`` knows) and written out with
``kiemtra letters --write-template`` for planners to edit in Word.
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from scheduler.output.docx_fill import docx_bytes

FONT = "Times New Roman"
TEXT_WIDTH_CM = 16.5  # A4 21 cm minus 3 cm left and 1.5 cm right margins
HEAD_COLUMNS_CM = (6.5, 10.0)
CELL_MARGIN_CM = 0.38  # Word's default left + right cell margins
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

_VI = {
    "lang": "vi-VN",
    "motto": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto2": "Độc lập - Tự do - Hạnh phúc",
    "number": "Số: ……/TB-ĐKT",
    "date_line": "{{dia_danh}}, ngày …… tháng …… năm {{nam}}",
    "title": "THÔNG BÁO",
    "subtitle": "Lịch kiểm tra công tác cải cách hành chính và chuyển đổi số",
    "subtitle2": "tại {{don_vi}}",
    "recipient": "Kính gửi: {{don_vi}}.",
    "intro": "Thực hiện {{can_cu}} ({{cuoc_kiem_tra}}), {{doan}} thông báo lịch kiểm tra "
             "tại {{don_vi}} như sau:",
    "time": "1. Thời gian: {{thoi_gian}}.",
    "place": "2. Địa điểm: {{dia_diem}}.",
    "group": "3. Thành phần {{doan}}:",
    "lead": "Chủ trì buổi kiểm tra: {{chu_tri}}.",
    "contents": "4. Nội dung kiểm tra: kết quả thực hiện nhiệm vụ cải cách hành chính (CCHC) và "
                "chuyển đổi số (CĐS) của đơn vị, thời kỳ từ ngày 01/01/{{nam}} đến thời điểm kiểm tra.",
    "ask": "5. Đề nghị {{don_vi}}:",
    "report": "- Gửi báo cáo kết quả thực hiện công tác CCHC, CĐS về {{doan}} trước ngày "
              "{{han_bao_cao}} ({{thu_han_bao_cao}}), chậm nhất {{so_ngay_bao_cao}} ngày làm việc "
              "trước ngày kiểm tra;",
    "documents": "- Chuẩn bị hồ sơ, tài liệu minh chứng: văn bản chỉ đạo, kế hoạch, báo cáo về CCHC "
                 "và CĐS; kết quả giải quyết thủ tục hành chính; tình hình cung cấp dịch vụ công "
                 "trực tuyến, số hóa hồ sơ và ứng dụng công nghệ thông tin;",
    "staff": "- Bố trí lãnh đạo đơn vị và công chức, viên chức phụ trách CCHC, CĐS làm việc với "
             "Đoàn kiểm tra.",
    "contact": "6. Đầu mối liên hệ: {{lien_he}}.",
    "closing": "{{doan}} thông báo để {{don_vi}} biết và thực hiện./.",
    "recipients": "Nơi nhận:",
    "sign": "TRƯỞNG ĐOÀN",
}

_EN = {
    "lang": "en-GB",
    "motto": "SOCIALIST REPUBLIC OF VIET NAM",
    "motto2": "Independence - Freedom - Happiness",
    "number": "No.: ……/TB-ĐKT",
    "date_line": "{{dia_danh}}, …… …… {{nam}}",
    "title": "NOTICE",
    "subtitle": "Inspection of administrative reform and digital transformation",
    "subtitle2": "at {{don_vi}}",
    "recipient": "To: {{don_vi}}.",
    "intro": "Under {{can_cu}} ({{cuoc_kiem_tra}}), {{doan}} gives notice of its inspection "
             "of {{don_vi}} as follows:",
    "time": "1. Time: {{thoi_gian}}.",
    "place": "2. Place: {{dia_diem}}.",
    "group": "3. Members of {{doan}}:",
    "lead": "The visit is led by: {{chu_tri}}.",
    "contents": "4. Subjects: the unit's results in administrative reform (CCHC) and digital "
                "transformation (CĐS), from 01/01/{{nam}} to the day of the inspection.",
    "ask": "5. {{don_vi}} is asked to:",
    "report": "- send its report on administrative reform and digital transformation to {{doan}} by "
              "{{han_bao_cao}} ({{thu_han_bao_cao}}), at least {{so_ngay_bao_cao}} working days "
              "before the visit;",
    "documents": "- prepare the supporting documents: directives, plans and reports on CCHC and CĐS; "
                 "results of administrative procedures; online public services, digitised records "
                 "and use of information technology;",
    "staff": "- have the unit's leaders and the officials in charge of CCHC and CĐS meet the team.",
    "contact": "6. Contact: {{lien_he}}.",
    "closing": "{{doan}} gives this notice to {{don_vi}} for information and action./.",
    "recipients": "Recipients:",
    "sign": "HEAD OF TEAM",
}

_COLUMNS = {"vi": ("STT", "Thành phần", "Vai trò", "Cơ quan"), "en": ("No.", "Member", "Role", "Agency")}
_RECIPIENTS = {
    "vi": ("- Như trên;", "- Cơ quan ban hành {{can_cu}} (để b/c);", "- Thành viên {{doan}};",
           "- Lưu: VT, ĐKT."),
    "en": ("- As above;", "- Issuer of {{can_cu}} (to report);", "- Members of {{doan}};", "- Archive."),
}
_TEXTS = {"vi": _VI, "en": _EN}


def default_template_bytes(lang: str = "vi") -> bytes:
    """The default notice template as .docx bytes (placeholders unfilled)."""
    return docx_bytes(default_template(lang))


def default_template(lang: str = "vi") -> DocumentObject:
    text = _TEXTS[lang]
    doc = Document()
    _page_and_font(doc, text["lang"])
    _heading_block(doc, text)
    _title_block(doc, text)
    _body(doc, text, _COLUMNS[lang])
    _signature_block(doc, text, _RECIPIENTS[lang])
    return doc


def _page_and_font(doc: DocumentObject, lang_tag: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.rPr.rFonts
    for attr in ("w:eastAsia", "w:cs", "w:hAnsi", "w:ascii"):
        fonts.set(qn(attr), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), lang_tag)
    normal.element.rPr.append(language)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.1


def _line(container: DocumentObject | _Cell, text: str = "", *, size: float = 14, bold: bool = False,
          italic: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
          indent_cm: float = 0.0, after: float = 0) -> Paragraph:
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    if indent_cm:
        p.paragraph_format.first_line_indent = Cm(indent_cm)
    if text:
        run = p.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return p


def _rule(container: DocumentObject | _Cell, width_cm: float, length_cm: float) -> None:
    """A short centred horizontal rule: an empty paragraph's bottom border between indents."""
    p = _line(container, after=4)
    side = Cm(max(0.0, (width_cm - length_cm) / 2))
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
    p.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)  # Word wants schema order


def _fixed_table(doc: DocumentObject, rows: int, widths_cm: tuple[float, ...]) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def _cell(table: Table, row: int, col: int) -> _Cell:
    cell = table.cell(row, col)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)  # start without the blank line
    return cell


def _heading_block(doc: DocumentObject, text: dict[str, str]) -> None:
    left_w, right_w = (w - CELL_MARGIN_CM for w in HEAD_COLUMNS_CM)
    table = _fixed_table(doc, 2, HEAD_COLUMNS_CM)
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _line(left, "{{co_quan_chu_quan}}", size=13)
    _line(left, "{{doan_in_hoa}}", size=13, bold=True)
    _rule(left, left_w, 2.5)
    _line(right, text["motto"], size=12, bold=True)
    _line(right, text["motto2"], size=13, bold=True)
    _rule(right, right_w, 5.5)
    _line(_cell(table, 1, 0), text["number"], size=13)
    _line(_cell(table, 1, 1), text["date_line"], italic=True)


def _title_block(doc: DocumentObject, text: dict[str, str]) -> None:
    _line(doc, "")
    _line(doc, text["title"], bold=True)
    _line(doc, text["subtitle"], bold=True)
    _line(doc, text["subtitle2"], bold=True)
    _rule(doc, TEXT_WIDTH_CM, 4.0)
    _line(doc, text["recipient"], after=12)


def _body(doc: DocumentObject, text: dict[str, str], columns: tuple[str, ...]) -> None:
    def para(key: str) -> None:
        _line(doc, text[key], align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_cm=1.0, after=6)

    for key in ("intro", "time", "place", "group"):
        para(key)
    _member_table(doc, columns)
    for key in ("lead", "contents", "ask", "report", "documents", "staff", "contact", "closing"):
        para(key)


def _member_table(doc: DocumentObject, columns: tuple[str, ...]) -> None:
    """Header row and one template row that ``letters.py`` repeats per member."""
    widths = (1.2, 6.8, 3.5, 5.0)
    table = _fixed_table(doc, 2, widths)
    table.style = doc.styles["Table Grid"]
    row = ("{{tv_stt}}", "{{tv_ten}}", "{{tv_vai_tro}}", "{{tv_co_quan}}")
    for col, (head, value) in enumerate(zip(columns, row, strict=True)):
        _line(_cell(table, 0, col), head, size=13, bold=True)
        align = WD_ALIGN_PARAGRAPH.CENTER if col == 0 else WD_ALIGN_PARAGRAPH.LEFT
        _line(_cell(table, 1, col), value, size=13, align=align)
    _line(doc, "", after=6)


def _signature_block(doc: DocumentObject, text: dict[str, str], recipients: tuple[str, ...]) -> None:
    table = _fixed_table(doc, 1, (8.0, 8.5))
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _line(left, text["recipients"], size=12, bold=True, italic=True,
          align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in recipients:
        _line(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, text["sign"], bold=True)
    for _ in range(4):
        _line(right, "")
    _line(right, "{{nguoi_ky}}", bold=True)
