"""The monthly sales and marketing plan as a PDF, built from PlanFigures into bytes."""

from __future__ import annotations

import io
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.clock import Clock
from app.metrics import first_day, month_name
from app.reports import charts, layout
from app.reports.charts import INK
from app.reports.layout import MARGIN, draw_text, fit
from app.reports.plan_data import PlanFigures, Progress, gather
from app.reports.plan_review import ReviewSections
from app.reports.plan_sections import SECTIONS

__all__ = ["SECTIONS", "PlanRenderer", "render_plan"]
NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def render_plan(month: str, *, clock: Clock, progress: Progress | None = None) -> bytes:
    """Gather the month's figures and print them."""
    return PlanRenderer(gather(month, clock=clock, progress=progress)).render()


class PlanRenderer(ReviewSections):
    """Lays out one month's plan: a cover page, then the sections in SECTIONS order."""

    def __init__(self, figures: PlanFigures) -> None:
        self.figures = figures
        self.styles = layout.styles()
        self.pagesize = layout.PAPER.get(figures.profile.paper, layout.PAPER["A4"])
        self.width = self.pagesize[0] - 2 * MARGIN
        self.title = f"Sales & marketing plan · {month_name(figures.month)}"

    def render(self) -> bytes:
        buffer = io.BytesIO()
        _page_width, page_height = self.pagesize
        frame_height = page_height - 2 * MARGIN - layout.HEADER_GAP
        # No inner padding: tables as wide as the text line up with the header rule.
        frame = Frame(MARGIN, MARGIN, self.width, frame_height, id="text", **NO_PADDING)
        cover = Frame(
            MARGIN, MARGIN, self.width, page_height - 2 * MARGIN, id="cover", **NO_PADDING
        )
        document = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=self.title,
            author=self.figures.profile.name,
            creator="Tandem",
            invariant=True,  # the same figures print to the same bytes
        )
        document.addPageTemplates(
            [
                PageTemplate("first", [cover], onPage=self._first_page),
                PageTemplate("later", [frame], onPage=self._later_page),
            ]
        )
        footer = f"{self.figures.profile.name} · prepared {self.figures.prepared_on:%d %B %Y}"
        document.build(self.story(), canvasmaker=partial(layout.NumberedCanvas, footer=footer))
        return buffer.getvalue()

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [NextPageTemplate("later")]
        story += self._cover()
        for build in (
            self._summary,
            self._marketing,
            self._sales,
            self._sla,
            self._funnel,
            self._reasons,
            self._agenda,
        ):
            story.append(PageBreak())
            story += build()
        return story

    # --- page furniture ------------------------------------------------------------------

    def _first_page(self, canvas: Canvas, _document: Any) -> None:
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.rect(0, height - 14 * mm, width, 14 * mm, stroke=0, fill=1)
        canvas.setFillColor(charts.PALETTE[0])
        canvas.rect(0, height - 16 * mm, width, 2 * mm, stroke=0, fill=1)
        canvas.restoreState()

    def _later_page(self, canvas: Canvas, _document: Any) -> None:
        width, height = self.pagesize
        y = height - MARGIN
        room = self.width * 0.5
        name = fit(self.figures.profile.name, 8.5, room, bold=True)
        draw_text(canvas, MARGIN, y, name, size=8.5, bold=True)
        draw_text(canvas, width - MARGIN, y, self.title, size=8.5, align="right")
        canvas.saveState()
        canvas.setStrokeColor(charts.PALETTE[0])
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, y - 4, width - MARGIN, y - 4)
        canvas.restoreState()

    # --- the cover -----------------------------------------------------------------------

    def _cover(self) -> list[Flowable]:
        figures = self.figures
        found: list[Flowable] = [Spacer(1, 30 * mm)]
        logo = self._logo()
        if logo is not None:
            found += [logo, Spacer(1, 10 * mm)]
        found += [
            self._p(figures.profile.name or "Our company", "CoverTitle"),
            Spacer(1, 4 * mm),
            self._p("Sales & marketing plan", "CoverLine"),
            self._p(month_name(figures.month), "CoverLine"),
            Spacer(1, 14 * mm),
        ]
        prepared = f"Prepared by {figures.prepared_by}" if figures.prepared_by else "Prepared"
        found.append(self._p(f"{prepared} on {figures.prepared_on:%d %B %Y}", "CoverSmall"))
        last = month_name(figures.last_month)
        if figures.prepared_on >= first_day(figures.month):
            status = f"Figures for {last} are complete."
        else:
            status = f"{last} is not over yet: its figures run to {figures.prepared_on:%d %B}."
        found.append(
            self._p(f"For the monthly sales and marketing meeting. {status}", "CoverSmall")
        )
        found.append(Spacer(1, 12 * mm))
        found.append(self._contents())
        return found

    def _logo(self) -> Flowable | None:
        data = self.figures.profile.logo
        if not data:
            return None
        try:
            reader = ImageReader(io.BytesIO(data))
            width, height = reader.getSize()
        except Exception:  # a logo ReportLab cannot read is left out, not a failed plan
            return None
        scale = min(60 * mm / width, 24 * mm / height)
        image = Image(io.BytesIO(data), width * scale, height * scale)
        image.hAlign = "LEFT"
        return image

    def _contents(self) -> Flowable:
        rows = [[f"{index}.", title] for index, title in enumerate(SECTIONS, start=1)]
        made = Table(
            [[self._p(a, "CoverSmall"), self._p(b, "CoverSmall")] for a, b in rows],
            colWidths=[10 * mm, self.width - 10 * mm],
            hAlign="LEFT",
        )
        made.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return made
