"""The monthly sales and marketing plan as a PDF, built from PlanFigures into bytes."""

from __future__ import annotations

import io
from decimal import Decimal
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import plans
from app.clock import Clock
from app.metrics import channel_words, first_day, month_name
from app.reports import charts, layout
from app.reports.charts import INK
from app.reports.layout import MARGIN, draw_text, fit, table, text
from app.reports.plan_data import PlanFigures, Progress, gather

SECTIONS = (
    "Last month against plan",
    "Marketing plan",
    "Sales plan",
    "Service level agreement",
    "Funnel and conversion",
    "Reasons: rejections and losses",
    "Meeting agenda",
)
SLA_WORDS = {
    "lead_volume": "Qualified leads handed over",
    "lead_acceptance": "Leads accepted by sales",
    "first_response": "First response",
    "decision": "Accept or reject",
    "follow_up": "Contact attempts before giving up",
    "revenue": "Revenue won",
}
SIDE_WORDS = {"marketing": "Marketing → sales", "sales": "Sales → marketing", "shared": "Shared"}
NOT_WRITTEN = "Not written yet for this month."
NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def render_plan(month: str, *, clock: Clock, progress: Progress | None = None) -> bytes:
    """Gather the month's figures and print them."""
    return PlanRenderer(gather(month, clock=clock, progress=progress)).render()


class PlanRenderer:
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

    # --- small helpers -------------------------------------------------------------------

    def _p(self, value: object, style: str = "Body") -> Flowable:
        return text(value, self.styles[style])

    def _section(self, title: str, subtitle: str = "") -> list[Flowable]:
        found = [self._p(title, "Section")]
        if subtitle:
            found.append(self._p(subtitle, "Muted"))
            found.append(Spacer(1, 4))
        return found

    def _heading(self, title: str) -> list[Flowable]:
        # Keep a heading off the bottom of a page, away from what it heads.
        return [CondPageBreak(40 * mm), self._p(title, "Heading")]

    def _written(self, title: str, value: str) -> list[Flowable]:
        body = self._p(value, "Body") if value.strip() else self._p(NOT_WRITTEN, "Muted")
        return [*self._heading(title), body]

    def _money(self, value: Decimal | float | None) -> str:
        return "—" if value is None else f"{value:,.0f} {self.figures.currency}"

    def _cents(self, value: Decimal | float | None) -> str:
        return "—" if value is None else f"{value:,.2f}"

    @staticmethod
    def _count(value: Decimal | float | int | None) -> str:
        return "—" if value is None else f"{value:,.0f}"

    @staticmethod
    def _percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f}%"

    def _columns(self, *shares: float) -> list[float]:
        total = sum(shares)
        return [self.width * share / total for share in shares]

    def _side_by_side(self, left: Flowable, right: Flowable) -> Table:
        made = Table([[left, right]], colWidths=[self.width / 2, self.width / 2], hAlign="LEFT")
        made.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return made

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
        found.append(
            self._p(
                f"For the monthly sales and marketing meeting. Figures for "
                f"{month_name(figures.last_month)} are final as of that date.",
                "CoverSmall",
            )
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

    # --- 1. last month against plan ------------------------------------------------------

    def _summary(self) -> list[Flowable]:
        figures = self.figures
        last = month_name(figures.last_month)
        found = self._section(SECTIONS[0], f"{last}: what the team set out to do and what it did.")
        rows = []
        for metric, figure in figures.summary_team.figures.items():
            show = self._money if metric in ("revenue", "budget") else self._count
            words = plans.METRIC_WORDS[metric]
            if metric == "budget":
                words = "marketing spend against budget"
            rows.append(
                [
                    words.capitalize(),
                    show(figure.target),
                    show(figure.actual),
                    self._percent(figure.percent),
                ]
            )
        found.append(
            table(
                ["Team", "Target", "Achieved", "Of target"],
                rows,
                self._columns(4, 2, 2, 1.3),
                self.styles,
                right=(1, 2, 3),
            )
        )
        found += self._heading("Each member")
        found.append(self._people_table(figures.summary_people, actual=True))
        if figures.summary_channels:
            found += self._heading("Marketing budget by channel")
            found.append(
                table(
                    ["Channel", "Budget", "Planned in campaigns", "Spent"],
                    [
                        [
                            channel_words(c.channel),
                            self._money(c.target),
                            self._money(c.planned),
                            self._money(c.spend),
                        ]
                        for c in figures.summary_channels
                    ],
                    self._columns(3, 2, 2, 2),
                    self.styles,
                    right=(1, 2, 3),
                )
            )
        return found

    def _people_table(self, people: list[Any], *, actual: bool) -> Flowable:
        def cell(quota: Any, metric: str) -> str:
            figure = quota.figures.get(metric)
            if figure is None:
                return ""
            if not actual:
                return self._count(figure.target)
            if not figure.target:
                return self._count(figure.actual)
            percent = self._percent(figure.percent)
            return f"{self._count(figure.actual)} of {self._count(figure.target)} ({percent})"

        rows = [
            [quota.name, quota.role.capitalize()]
            + [cell(quota, m) for m in ("revenue", "deals_won", "qualified_leads")]
            for quota in people
        ]
        revenue = f"Revenue, {self.figures.currency}"
        header = ["Member", "Role", revenue, "Deals won", "Qualified leads"]
        return table(header, rows, self._columns(3, 1.4, 3, 2.2, 2.2), self.styles, right=(2, 3, 4))

    # --- 2. marketing plan ---------------------------------------------------------------

    def _marketing(self) -> list[Flowable]:
        figures = self.figures
        written = figures.written
        found = self._section(SECTIONS[1], month_name(figures.month))
        found += self._written("Objectives", written.objectives)
        found += self._written("Ideal customer and target audience", written.ideal_customer)
        found += self._written("Key messages", written.key_messages)
        found += self._heading("Campaigns")
        if figures.campaigns:
            rows = [
                [
                    c.name,
                    channel_words(c.channel),
                    f"{c.starts_on:%d %b %Y} – {c.ends_on:%d %b %Y}"
                    if c.ends_on
                    else f"from {c.starts_on:%d %b %Y}",
                    c.status.capitalize(),
                    self._money(c.budget),
                    self._count(c.expected_leads),
                ]
                for c in figures.campaigns
            ]
            total = sum((c.budget for c in figures.campaigns), Decimal(0))
            leads = sum(c.expected_leads or 0 for c in figures.campaigns)
            rows.append(["All campaigns", "", "", "", self._money(total), self._count(leads)])
            found.append(
                table(
                    [
                        "Campaign",
                        "Channel",
                        "Dates",
                        "Status",
                        "Budget this month",
                        "Expected leads",
                    ],
                    rows,
                    self._columns(4, 2.2, 3.2, 1.4, 2.2, 1.6),
                    self.styles,
                    right=(4, 5),
                    bold_last=True,
                )
            )
            found.append(
                self._p(
                    "Budget this month: each campaign's planned budget spread over its days. "
                    "Expected leads: that budget at the channel's cost per lead over the last "
                    "three months.",
                    "Muted",
                )
            )
        else:
            found.append(self._p("No campaigns run this month.", "Muted"))
        found += self._heading("Budget by channel")
        channels = figures.channel_budgets
        if channels:
            rows = [
                [channel_words(c.channel), self._money(c.target), self._money(c.planned)]
                for c in channels
            ]
            budget = figures.targets_team.figures["budget"].target
            rows.append(
                [
                    "Marketing budget",
                    self._money(budget),
                    self._money(sum((c.planned for c in channels), Decimal(0))),
                ]
            )
            half = self.width / 2 - 6
            chart = charts.bars(
                [channel_words(c.channel) for c in channels],
                [
                    ("Budget", [float(c.target or 0) for c in channels]),
                    ("Planned", [float(c.planned) for c in channels]),
                ],
                width=half,
                height=max(80, 20 * len(channels) + 30),
                horizontal=True,
            )
            listing = table(
                ["Channel", "Budget", "Planned"],
                rows,
                [half * 0.44, half * 0.28, half * 0.28],
                self.styles,
                right=(1, 2),
                bold_last=True,
            )
            found.append(self._side_by_side(listing, chart))
        else:
            found.append(self._p("No budget set for this month.", "Muted"))
        return found

    # --- 3. sales plan -------------------------------------------------------------------

    def _sales(self) -> list[Flowable]:
        figures = self.figures
        found = self._section(SECTIONS[2], month_name(figures.month))
        found += self._heading("Targets")
        team = figures.targets_team
        people = [*figures.targets_people, team]
        rows = [
            [quota.name, quota.role.capitalize() if quota.member_id else ""]
            + [
                (self._money if m == "revenue" else self._count)(
                    quota.figures[m].target if m in quota.figures else None
                )
                if m in quota.figures
                else ""
                for m in ("revenue", "deals_won", "qualified_leads")
            ]
            for quota in people
        ]
        found.append(
            table(
                ["Member", "Role", "Revenue", "Deals won", "Qualified leads"],
                rows,
                self._columns(3, 1.4, 2.4, 1.8, 1.8),
                self.styles,
                right=(2, 3, 4),
                bold_last=True,
            )
        )
        found += self._pipeline()
        found += self._key_deals()
        found += self._written("Sales actions", figures.written.sales_actions)
        found += self._written("Resources and tools", figures.written.resources)
        return found

    def _pipeline(self) -> list[Flowable]:
        pipeline = self.figures.pipeline
        found = self._heading("Pipeline and forecast")
        rows = [
            [
                m.label,
                self._count(m.deals),
                self._money(m.value),
                self._money(m.weighted),
                self._money(m.won),
                self._money(m.forecast),
                self._money(m.target),
            ]
            for m in pipeline.months
        ]
        found.append(
            table(
                [
                    "Expected close",
                    "Deals",
                    "Value",
                    "Weighted",
                    "Won so far",
                    "Forecast",
                    "Target",
                ],
                rows,
                self._columns(2.4, 1.1, 2.2, 2.2, 2.2, 2.2, 2.2),
                self.styles,
                right=(1, 2, 3, 4, 5, 6),
            )
        )
        notes = [
            "Weighted: each open deal's value times its probability. Forecast: won so far plus "
            "the weighted pipeline."
        ]
        if pipeline.overdue_deals:
            notes.append(
                f"{pipeline.overdue_deals:,} open deals ({self._money(pipeline.overdue_value)}) "
                "are past their expected close date and are not counted in any month."
            )
        if pipeline.undated_deals:
            notes.append(
                f"{pipeline.undated_deals:,} open deals ({self._money(pipeline.undated_value)}) "
                "have no expected close date."
            )
        found.append(self._p(" ".join(notes), "Muted"))
        chart = charts.bars(
            [m.label for m in pipeline.months],
            [
                ("Target", [float(m.target or 0) for m in pipeline.months]),
                ("Forecast", [float(m.forecast) for m in pipeline.months]),
                ("Won so far", [float(m.won) for m in pipeline.months]),
            ],
            width=self.width,
            height=150,
        )
        stage_rows = [
            [
                s.stage.capitalize(),
                self._count(s.deals),
                self._money(s.value),
                self._money(s.weighted),
            ]
            for s in pipeline.by_stage
        ]
        stages = table(
            ["Open deals by stage", "Deals", "Value", "Weighted"],
            stage_rows,
            self._columns(3, 1.2, 2.4, 2.4),
            self.styles,
            right=(1, 2, 3),
        )
        found += [Spacer(1, 6), KeepTogether([chart]), Spacer(1, 6), stages]
        return found

    def _key_deals(self) -> list[Flowable]:
        deals = self.figures.key_deals
        found = self._heading("Deals to close this month")
        if not deals:
            return [*found, self._p("No open deals are expected to close this month.", "Muted")]
        rows = [
            [
                d.title,
                d.owner,
                d.stage.capitalize(),
                self._money(d.value),
                f"{d.probability}%",
                f"{d.expected_close:%d %b}" if d.expected_close else "",
            ]
            for d in deals
        ]
        found.append(
            table(
                ["Deal", "Owner", "Stage", "Value", "Chance", "Close"],
                rows,
                self._columns(4, 2.4, 1.8, 2, 1.2, 1.3),
                self.styles,
                right=(3, 4),
            )
        )
        return found

    # --- 4. the SLA ----------------------------------------------------------------------

    def _sla(self) -> list[Flowable]:
        figures = self.figures
        found = self._section(SECTIONS[3])
        sla = figures.sla
        if sla is None:
            return [*found, self._p("SLA figures are not available.", "Muted")]
        found += self._heading("Terms")
        if sla.terms:
            rows = [
                [
                    SLA_WORDS.get(t.kind, t.kind),
                    SIDE_WORDS.get(t.side, t.side),
                    self._term(t.kind, t.target),
                ]
                for t in sla.terms
            ]
            found.append(
                table(
                    ["Commitment", "Who to whom", "Target"],
                    rows,
                    self._columns(4, 2.4, 3),
                    self.styles,
                )
            )
            if sla.effective_from:
                found.append(
                    self._p(f"Agreement in force since {sla.effective_from:%d %B %Y}.", "Muted")
                )
        else:
            found.append(self._p("No agreement has been set up.", "Muted"))
        card = sla.scorecard
        found += self._heading(f"Scorecard for {month_name(figures.last_month)}")
        found.append(self._scorecard_table(card.figures.items()))
        breaches = sum(f.breached for f in card.figures.values())
        found.append(
            self._p(
                f"{breaches:,} breaches in {month_name(figures.last_month)}. Kept: met ÷ (met + "
                "breached); clocks still running are pending and not counted.",
                "Muted",
            )
        )
        member_rows = []
        for member in card.members:
            for kind, figure in member.figures.items():
                if figure.actual is None and not (figure.met or figure.breached or figure.pending):
                    continue  # nothing to judge: no handovers, no clocks
                member_rows.append(
                    [member.name, SLA_WORDS.get(kind, kind), *self._score_cells(kind, figure)]
                )
        if member_rows:
            found += self._heading("Each member")
            found.append(
                table(
                    ["Member", "Commitment", "Target", "Actual", "Met", "Breached", "Kept"],
                    member_rows,
                    self._columns(2.6, 3.2, 1.8, 1.8, 0.9, 1.5, 1),
                    self.styles,
                    right=(2, 3, 4, 5, 6),
                )
            )
        found += self._sla_trend()
        return found

    def _term(self, kind: str, target: float | None) -> str:
        if target is None:
            return "—"
        return {
            "lead_volume": f"{target:,.0f} leads a month",
            "lead_acceptance": f"{target:.0f}% accepted",
            "first_response": f"within {target:g} business hours",
            "decision": f"within {target:g} business hours",
            "follow_up": f"{target:.0f} attempts",
            "revenue": f"{self._money(target)} a month",
        }.get(kind, f"{target:g}")

    def _value(self, kind: str, value: float | None) -> str:
        if value is None:
            return "—"
        if kind == "lead_acceptance":
            return f"{value:.0f}%"
        if kind in ("first_response", "decision"):
            return f"{value:.1f} h"
        if kind == "revenue":
            return self._money(value)
        return f"{value:,.0f}"

    def _score_cells(self, kind: str, figure: Any) -> list[str]:
        return [
            self._value(kind, figure.target),
            self._value(kind, figure.actual),
            f"{figure.met:,}",
            f"{figure.breached:,}",
            self._percent(figure.compliance),
        ]

    def _scorecard_table(self, items: Any) -> Flowable:
        rows = [
            [
                SLA_WORDS.get(kind, kind),
                SIDE_WORDS.get(figure.side, figure.side),
                *self._score_cells(kind, figure),
            ]
            for kind, figure in items
        ]
        return table(
            ["Commitment", "Side", "Target", "Actual", "Met", "Breached", "Kept"],
            rows,
            self._columns(3.2, 2.6, 1.8, 1.8, 0.9, 1.5, 1),
            self.styles,
            right=(2, 3, 4, 5, 6),
        )

    def _sla_trend(self) -> list[Flowable]:
        trend = self.figures.sla.trend if self.figures.sla else []
        if not trend:
            return []
        found = self._heading("Trend over six months: promises kept, and leads accepted, in %")
        labels = [f"{first_day(m.month):%b %y}" for m in trend]
        kinds = ("first_response", "decision", "follow_up")
        short = {
            "first_response": "First response",
            "decision": "Decision",
            "follow_up": "Follow-up",
        }
        series = [(short[kind], [m.figures[kind].compliance for m in trend]) for kind in kinds]
        series.append(("Leads accepted", [m.figures["lead_acceptance"].actual for m in trend]))
        found.append(charts.lines(labels, series, width=self.width, height=150))
        rows = [
            [
                month_name(m.month),
                f"{self._value('lead_volume', m.figures['lead_volume'].actual)} of "
                f"{self._value('lead_volume', m.figures['lead_volume'].target)}",
                self._value("lead_acceptance", m.figures["lead_acceptance"].actual),
                self._percent(m.figures["first_response"].compliance),
                self._percent(m.figures["decision"].compliance),
                self._percent(m.figures["follow_up"].compliance),
                f"{sum(f.breached for f in m.figures.values()):,}",
            ]
            for m in trend
        ]
        found.append(
            table(
                [
                    "Month",
                    "Leads handed over",
                    "Accepted",
                    "First response",
                    "Decision",
                    "Follow-up",
                    "Breaches",
                ],
                rows,
                self._columns(2.4, 2.4, 1.5, 1.7, 1.5, 1.5, 1.4),
                self.styles,
                right=(1, 2, 3, 4, 5, 6),
            )
        )
        return found

    # --- 5. funnel and conversion --------------------------------------------------------

    def _funnel(self) -> list[Flowable]:
        figures = self.figures
        flow = figures.funnel
        last = month_name(figures.last_month)
        found = self._section(SECTIONS[4], f"{last}: what happened at each step in the month.")
        rows = [
            [
                step.label,
                step.stage.capitalize(),
                self._count(step.count),
                self._percent(step.conversion),
            ]
            for step in flow.steps
        ]
        found.append(
            table(
                ["Step", "Stage", "Count", "From the step before"],
                rows,
                self._columns(4, 2, 2, 2.4),
                self.styles,
                right=(2, 3),
            )
        )
        found.append(
            self._p(
                f"Engagement (likes, shares, replies): {flow.engagements:,}. Leads from campaigns: "
                f"{flow.campaign_leads:,} of {flow.count('leads'):,}. Sales accepted "
                f"{self._percent(flow.acceptance)} of the handovers it decided on. "
                f"{flow.direct_deals_won:,} repeat orders were won without a lead.",
                "Muted",
            )
        )
        steps = [s for s in flow.steps if s.key not in ("impressions", "clicks")]
        found += [
            Spacer(1, 6),
            charts.bars(
                [s.label for s in steps],
                [("Count", [float(s.count) for s in steps])],
                width=self.width,
                height=130,
                horizontal=True,
            ),
        ]
        found += self._costs()
        found += self._cycle()
        return found

    def _costs(self) -> list[Flowable]:
        costs = self.figures.costs
        found = self._heading("Cost per lead, qualified lead and won deal")

        def row(label: str, cost: Any) -> list[str]:
            return [
                label,
                self._count(cost.spend),
                self._count(cost.leads),
                self._cents(cost.per_lead),
                self._count(cost.qualified),
                self._cents(cost.per_qualified),
                self._count(cost.won),
                self._cents(cost.per_won),
            ]

        header = [
            "Channel",
            "Spend",
            "Leads",
            "Per lead",
            "Qualified",
            "Per qualified",
            "Won",
            "Per won",
        ]
        widths = self._columns(3, 2.2, 1.3, 1.5, 1.5, 1.7, 1.1, 1.7)
        right = (1, 2, 3, 4, 5, 6, 7)
        rows = [row(channel_words(c.channel), c) for c in costs.by_channel]
        rows.append(row("All campaigns", costs.total))
        found.append(table(header, rows, widths, self.styles, right=right, bold_last=True))
        if costs.by_campaign:
            found += self._heading("By campaign")
            rows = [row(c.label, c) for c in costs.by_campaign]
            found.append(table(["Campaign", *header[1:]], rows, widths, self.styles, right=right))
        found.append(
            self._p(
                f"Costs in {self.figures.currency}. Spend: each campaign's spend spread over the "
                "days it ran. Leads that sales found itself cost nothing here.",
                "Muted",
            )
        )
        return found

    def _cycle(self) -> list[Flowable]:
        cycle, stages = self.figures.cycle, self.figures.stages
        found = self._heading("Sales cycle and time in each stage")
        if cycle.median_days is None:
            found.append(self._p("No deals were won in the month.", "Muted"))
        else:
            found.append(
                self._p(
                    f"Deals won took a median of {cycle.median_days:.0f} days from first touch "
                    f"(average {cycle.average_days:.0f} days, {cycle.deals:,} deals)."
                )
            )
        if stages:
            rows = [
                [
                    s.stage.capitalize(),
                    f"{s.median_days:.1f}",
                    f"{s.average_days:.1f}",
                    f"{s.moves:,}",
                ]
                for s in stages
            ]
            found.append(
                table(
                    ["Stage", "Median days", "Average days", "Deals that moved on"],
                    rows,
                    self._columns(3, 2, 2, 2.4),
                    self.styles,
                    right=(1, 2, 3),
                )
            )
        return found

    # --- 6. reasons ----------------------------------------------------------------------

    def _reasons(self) -> list[Flowable]:
        figures = self.figures
        reasons = figures.reasons
        last = month_name(figures.last_month)
        found = self._section(SECTIONS[5], f"{last}: why leads came back and deals were lost.")
        for title, counted, empty in (
            ("Why sales rejected leads", reasons.rejections, "No leads were rejected."),
            (
                "Why leads were disqualified",
                reasons.disqualifications,
                "No leads were disqualified.",
            ),
            ("Why deals were lost", reasons.losses, "No deals were lost."),
        ):
            found += self._heading(title)
            found += self._reason_block(counted, empty)
        if reasons.losses:
            found.append(
                self._p(f"Value of the deals lost: {self._money(reasons.lost_value)}.", "Muted")
            )
        return found

    def _reason_block(self, counted: list[tuple[str, int]], empty: str) -> list[Flowable]:
        if not counted:
            return [self._p(empty, "Muted")]
        total = sum(n for _reason, n in counted)
        rows = [[reason, f"{n:,}", self._percent(100 * n / total)] for reason, n in counted]
        half = self.width / 2 - 6
        listing = table(
            ["Reason", "Count", "Share"],
            rows,
            [half * 0.6, half * 0.2, half * 0.2],
            self.styles,
            right=(1, 2),
        )
        chart = charts.bars(
            [reason for reason, _n in counted[:8]],
            [("Count", [float(n) for _r, n in counted[:8]])],
            width=half,
            height=max(60, 16 * min(len(counted), 8) + 14),
            horizontal=True,
        )
        return [self._side_by_side(listing, chart)]

    # --- 7. meeting agenda ---------------------------------------------------------------

    def _agenda(self) -> list[Flowable]:
        figures = self.figures
        found = self._section(SECTIONS[6], month_name(figures.month))
        for kind, title, empty in (
            ("opportunity", "Key opportunities", "Nothing stands out this month."),
            ("issue", "Issues to discuss", "No issues stand out from the figures."),
        ):
            found += self._heading(title)
            items = [item.text for item in figures.agenda if item.kind == kind]
            found.append(self._bullets(items) if items else self._p(empty, "Muted"))
        found += self._written("Notes", figures.written.agenda_notes)
        return found

    def _bullets(self, items: list[str]) -> Flowable:
        return ListFlowable(
            [ListItem(self._p(item), leftIndent=12, value="•") for item in items],
            bulletType="bullet",
            start="•",
            leftIndent=12,
            bulletFontName="TandemSans",
            bulletFontSize=8,
        )
