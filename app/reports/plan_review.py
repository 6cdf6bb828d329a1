"""The printed plan's later sections: the SLA, funnel and conversion, reasons, agenda."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Spacer,
)

from app.metrics import channel_words, first_day, month_name
from app.reports import charts
from app.reports.layout import table
from app.reports.plan_sections import SECTIONS, PlanSections

SLA_WORDS = {
    "lead_volume": "Qualified leads handed over",
    "lead_acceptance": "Leads accepted by sales",
    "first_response": "First response",
    "decision": "Accept or reject",
    "follow_up": "Contact attempts before giving up",
    "revenue": "Revenue won",
}
SIDE_WORDS = {"marketing": "Marketing → sales", "sales": "Sales → marketing", "shared": "Shared"}


class ReviewSections(PlanSections):
    """The sections that look back at last month and forward to the meeting."""

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
