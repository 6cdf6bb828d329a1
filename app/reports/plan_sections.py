"""The printed plan's first sections: last month against plan, marketing and sales."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from app import plans
from app.metrics import channel_words, month_name
from app.reports import charts
from app.reports.layout import table, text
from app.reports.plan_data import PlanFigures

SECTIONS = (
    "Last month against plan",
    "Marketing plan",
    "Sales plan",
    "Service level agreement",
    "Funnel and conversion",
    "Reasons: rejections and losses",
    "Meeting agenda",
)
NOT_WRITTEN = "Not written yet for this month."


class PlanSections:
    """Builds the plan's sections as flowables; PlanRenderer lays them on pages."""

    figures: PlanFigures
    styles: StyleSheet1
    width: float  # of the text frame, in points

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

    def _in_currency(self, *headers: str) -> list[str]:
        """Column headers for amounts, which the cells then print without the currency."""
        return [f"{header}, {self.figures.currency}" for header in headers]

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
                    ["Channel", *self._in_currency("Budget", "Planned in campaigns", "Spent")],
                    [
                        [
                            channel_words(c.channel),
                            self._count(c.target),
                            self._count(c.planned),
                            self._count(c.spend),
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
                    self._count(c.budget),
                    self._count(c.expected_leads),
                ]
                for c in figures.campaigns
            ]
            total = sum((c.budget for c in figures.campaigns), Decimal(0))
            leads = sum(c.expected_leads or 0 for c in figures.campaigns)
            rows.append(["All campaigns", "", "", "", self._count(total), self._count(leads)])
            found.append(
                table(
                    [
                        "Campaign",
                        "Channel",
                        "Dates",
                        "Status",
                        *self._in_currency("Budget this month"),
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
                [channel_words(c.channel), self._count(c.target), self._count(c.planned)]
                for c in channels
            ]
            budget = figures.targets_team.figures["budget"].target
            rows.append(
                [
                    "Marketing budget",
                    self._count(budget),
                    self._count(sum((c.planned for c in channels), Decimal(0))),
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
                ["Channel", *self._in_currency("Budget", "Planned")],
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
                self._count(quota.figures[m].target if m in quota.figures else None)
                if m in quota.figures
                else ""
                for m in ("revenue", "deals_won", "qualified_leads")
            ]
            for quota in people
        ]
        found.append(
            table(
                ["Member", "Role", *self._in_currency("Revenue"), "Deals won", "Qualified leads"],
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
        found = self._heading(f"Pipeline and forecast, in {self.figures.currency}")
        rows = [
            [
                m.label,
                self._count(m.deals),
                self._count(m.value),
                self._count(m.weighted),
                self._count(m.won),
                self._count(m.forecast),
                self._count(m.target),
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
                self._count(s.value),
                self._count(s.weighted),
            ]
            for s in pipeline.by_stage
        ]
        stages = table(
            ["Open deals by stage", "Deals", *self._in_currency("Value", "Weighted")],
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
                self._count(d.value),
                f"{d.probability}%",
                f"{d.expected_close:%d %b}" if d.expected_close else "",
            ]
            for d in deals
        ]
        found.append(
            table(
                ["Deal", "Owner", "Stage", *self._in_currency("Value"), "Chance", "Close"],
                rows,
                self._columns(4, 2.4, 1.8, 2, 1.2, 1.3),
                self.styles,
                right=(3, 4),
            )
        )
        return found
