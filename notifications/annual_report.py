"""The annual report's rendering: one plain structure (sections of tables and items) as HTML
(Jinja2, ``templates/report/annual.html``) and as PDF (fpdf2), so both show the same words.

Rendering is pure but for reading the fonts. The PDF embeds TrueType fonts from the
machine (Debian's fonts-dejavu-core for Latin, Greek and Cyrillic; fonts-wqy-microhei, if
present, for Chinese and Japanese names): nothing is downloaded. A covenant's or company's
name in another script renders in the fallback font or, lacking one, as empty boxes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates" / "report"
FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"))
REGULAR = "dejavu/DejaVuSans.ttf"
BOLD = "dejavu/DejaVuSans-Bold.ttf"
CJK = "wqy/wqy-microhei.ttc"
# fontTools reports every table of every font it subsets at INFO: a page of noise per report.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Table:
    """Rows of text under a header; the first column names, the others are figures."""

    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]


@dataclass(frozen=True)
class Section:
    """A heading, a sentence or two, tables, and listed items (the recommendations)."""

    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """The whole report: its title lines and its sections, in order."""

    title: str
    subtitle: str
    generated: str
    sections: list[Section]


class FontMissing(RuntimeError):
    """No Unicode TrueType font to embed was found on this machine."""


def find_font(relative: str, dirs: tuple[Path, ...] = FONT_DIRS) -> Path | None:
    """The font file under one of the font directories, or None."""
    for directory in dirs:
        path = directory / relative
        if path.is_file():
            return path
    return None


def render_html(report: Report) -> str:
    """The report as a standalone HTML page."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    return environment.get_template("annual.html").render(report=report)


class _Pdf(FPDF):
    def __init__(self, report: Report) -> None:
        super().__init__(format="A4")
        self.report = report

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("body", "", 8)
        self.cell(0, 8, f"{self.report.title} · {self.page_no()}/{{nb}}", align="C")


def render_pdf(report: Report) -> bytes:
    """The report as a PDF with embedded fonts; ``FontMissing`` names the package to install."""
    return render_pdf_pages(report)[0]


def render_pdf_pages(report: Report) -> tuple[bytes, int]:
    """The report's PDF and its number of pages."""
    regular, bold = find_font(REGULAR), find_font(BOLD)
    if regular is None or bold is None:
        raise FontMissing(
            "the annual report's PDF needs the DejaVu Sans fonts: apt-get install fonts-dejavu-core"
        )
    pdf = _Pdf(report)
    pdf.set_title(report.title)
    pdf.set_creator("Redress")
    pdf.add_font("body", "", regular)
    pdf.add_font("body", "B", bold)
    cjk = find_font(CJK)
    if cjk is not None:
        pdf.add_font("cjk", "", cjk)
        pdf.add_font("cjk", "B", cjk)
        pdf.set_fallback_fonts(["cjk"], exact_match=False)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("body", "B", 18)
    pdf.multi_cell(0, 9, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("body", "", 11)
    pdf.multi_cell(0, 6, report.subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("body", "", 8)
    pdf.multi_cell(0, 5, report.generated, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in report.sections:
        _section(pdf, section)
    return bytes(pdf.output()), pdf.pages_count


def _section(pdf: FPDF, section: Section) -> None:
    pdf.ln(4)
    if pdf.get_y() > pdf.h - 60:  # a heading is not left alone at the foot of a page
        pdf.add_page()
    pdf.set_font("body", "B", 13)
    pdf.multi_cell(0, 8, section.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("body", "", 10)
    if section.intro:
        pdf.multi_cell(0, 5, section.intro, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    for table in section.tables:
        _table(pdf, table)
    for item in section.items:
        pdf.multi_cell(0, 5, f"• {item}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)


def _table(pdf: FPDF, table: Table) -> None:
    first = 2.2 if len(table.columns) > 2 else 3.0
    widths = (first, *([1.0] * (len(table.columns) - 1)))
    align = ("LEFT", *(["RIGHT"] * (len(table.columns) - 1)))
    with pdf.table(
        col_widths=widths,
        text_align=align,
        line_height=5.5,
        first_row_as_headings=True,
    ) as grid:
        for cells in [table.columns, *table.rows]:
            row = grid.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(3)
