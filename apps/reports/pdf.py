"""The report as a PDF, drawn with reportlab (pure Python, no system libraries): a cover, the summary,
static charts (reportlab.graphics, rendered on the server) and one table per section.

Text is set in Bitstream Vera, which ships inside reportlab, so the PDF looks the same on every
machine and its text can be extracted (tests read it back with pypdfium2).
"""

import io
from datetime import datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apps.common.charts import PALETTE
from apps.reports.sections import BANDS, section_table

FONT, FONT_BOLD = "RiskboardVera", "RiskboardVera-Bold"
INK = colors.HexColor("#1d2233")
MUTED = colors.HexColor("#5d6477")
ACCENT = colors.HexColor(PALETTE["accent"])
BAND_COLOURS = {band: colors.HexColor(PALETTE[band]) for band in BANDS}
CONTENT_WIDTH = A4[0] - 36 * mm


@cache
def _register_fonts() -> None:
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
        "head": ParagraphStyle(
            "head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10, textColor=colors.white
        ),
        "eyebrow": ParagraphStyle("eyebrow", parent=body, fontSize=10, textColor=MUTED, spaceAfter=6),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=28, leading=34, spaceAfter=12
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6
        ),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=10, bulletIndent=0, spaceAfter=3),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _subject(report: dict) -> str:
    return report["client"]["name"] if report["client"] else report["organization"]["name"]


def _cover(report: dict, styles) -> list:
    prepared = (
        f"Prepared for {report['client']['name']} by {report['organization']['name']}"
        if report["client"]
        else f"{report['organization']['name']}, all workflows"
    )
    date = datetime.fromisoformat(report["generated_at"]).strftime("%d %B %Y")
    return [
        Spacer(1, 60 * mm),
        _p("AI model exposure report", styles["eyebrow"]),
        _p(_subject(report), styles["title"]),
        _p(prepared, styles["body"]),
        _p(date, styles["body"]),
        Spacer(1, 12 * mm),
        _p(
            "How badly each AI workflow would be hurt if the company behind its model changed course "
            "(leadership leaves, releases slow down, a licence tightens or models go API-only), "
            "and how ready it is to switch.",
            styles["body"],
        ),
        PageBreak(),
    ]


def _legend(drawing: Drawing, x: float, y: float, items: list[tuple[colors.Color, str]]) -> None:
    for color, label in items:
        drawing.add(Rect(x, y, 6, 6, fillColor=color, strokeColor=None))
        drawing.add(String(x + 9, y, label, fontName=FONT, fontSize=7, fillColor=INK))
        x += 9 + stringWidth(label, FONT, 7) + 10


def band_pie(bands: dict[str, int]) -> Drawing:
    drawing = Drawing(CONTENT_WIDTH / 2, 60 * mm)
    drawing.add(
        String(0, 56 * mm, "Workflows by exposure band", fontName=FONT_BOLD, fontSize=9, fillColor=INK)
    )
    shown = [band for band in BANDS if bands.get(band)]
    _legend(drawing, 0, 50 * mm, [(BAND_COLOURS[band], f"{band}: {bands.get(band, 0)}") for band in BANDS])
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20 * mm, 4 * mm, 40 * mm, 40 * mm
    pie.data = [bands[band] for band in shown] or [1]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    for index, band in enumerate(shown):
        pie.slices[index].fillColor = BAND_COLOURS[band]
    drawing.add(pie)
    return drawing


def vendor_bars(rows: list[dict]) -> Drawing:
    rows = rows[:8]
    drawing = Drawing(CONTENT_WIDTH / 2, 60 * mm)
    drawing.add(String(0, 56 * mm, "Workflows by vendor", fontName=FONT_BOLD, fontSize=9, fillColor=INK))
    _legend(drawing, 0, 50 * mm, [(BAND_COLOURS[band], band) for band in BANDS])
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 16 * mm, CONTENT_WIDTH / 2 - 14 * mm, 30 * mm
    chart.data = [[row[band] for row in rows] for band in BANDS]
    chart.categoryAxis.categoryNames = [row["name"][:16] for row in rows]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.style = "stacked"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    top = max((sum(row[band] for band in BANDS) for row in rows), default=1)
    chart.valueAxis.valueStep = max(1, round(top / 4))
    for index, band in enumerate(BANDS):
        chart.bars[index].fillColor = BAND_COLOURS[band]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    return drawing


def _table(headers: list[str] | None, rows: list[list], styles, widths: list[float] | None = None) -> Table:
    data = [[_p(header, styles["head"]) for header in headers]] if headers else []
    data += [[_p("" if cell is None else cell, styles["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1 if headers else 0, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT if headers else colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f0f2f8")]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dfe3ee")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


TABLE_CHUNK = 40
COLUMN_SHARES = {"exposure": [0.19, 0.23, 0.14, 0.11, 0.33], "signals": [0.12, 0.14, 0.38, 0.11, 0.25]}


def _section_flowables(section: dict, styles) -> list:
    key, data = section["key"], section["data"]
    heading = _p(section["title"], styles["h2"])
    if key == "summary":
        numbers = [
            ["Workflows", data["workflows"]],
            ["Highly exposed", data["bands"]["high"]],
            [
                "Average exposure (0-100)",
                "-" if data["average_score"] is None else f"{data['average_score']:.0f}",
            ],
            ["Monthly AI spend", f"${data['monthly_usd']:,.0f}"],
        ]
        bullets = [Paragraph(escape(s), styles["bullet"], bulletText="\u2022") for s in data["sentences"]]
        return [heading, *bullets, Spacer(1, 4 * mm), _table(None, numbers, styles, [60 * mm, 40 * mm])]
    if key == "charts":
        charts = Table(
            [[band_pie(data["bands"]), vendor_bars(data["by_vendor"])]], colWidths=[CONTENT_WIDTH / 2] * 2
        )
        return [KeepTogether([heading, charts])]
    table = section_table(key, data)
    if table is None:
        return []
    headers, rows = table
    if not rows:
        empty = (
            f"No signal in the last {data['window_days']} days about the vendors these workflows depend on."
            if "window_days" in data
            else "Nothing to show yet."
        )
        return [heading, _p(empty, styles["body"])]
    shares = COLUMN_SHARES.get(key)
    widths = [CONTENT_WIDTH * share for share in shares] if shares and len(shares) == len(headers) else None
    # Reportlab splits one long table across pages in quadratic time; chunks of rows (each with its
    # header) read the same and keep a 2,000-workflow report to seconds.
    chunks = [rows[start : start + TABLE_CHUNK] for start in range(0, len(rows), TABLE_CHUNK)]
    return [heading, *(_table(headers, chunk, styles, widths) for chunk in chunks)]


def report_pdf(report: dict) -> bytes:
    _register_fonts()
    styles = _styles()
    subject = _subject(report)
    footer_text = f"{subject} · AI model exposure report"
    if report["client"]:
        footer_text += f" · prepared by {report['organization']['name']}"
    buffer = io.BytesIO()

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, 10 * mm, footer_text)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {document.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"AI model exposure report: {subject}",
        author=report["organization"]["name"],
    )
    story = _cover(report, styles)
    for section in report["sections"]:
        story += _section_flowables(section, styles)
    document.build(story, onFirstPage=lambda canvas, document: None, onLaterPages=footer)
    return buffer.getvalue()
