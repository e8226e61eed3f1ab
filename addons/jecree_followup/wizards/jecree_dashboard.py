# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.jecree_referral.models.jecree_referral import WAITING_STATES

from ..report.jecree_monthly_pack_xlsx import ratio

PACK = "report.jecree_followup.monthly_pack_xlsx"


class JecreeDashboard(models.TransientModel):
    """The managers' day at a glance: today's calls, the call-backs to make, the
    referrals waiting, and the month against the year's objective.

    Nothing is stored: every figure is read, when the screen opens, from the
    methods the monthly pack uses (`_activity_figures_in`, the company's
    `_jecree_objective_figures`) and
    from the J+8 activities and the referrals themselves."""

    _name = "jecree.dashboard"
    _description = "Call center dashboard"

    day = fields.Date(compute="_compute_figures")
    calls_today = fields.Integer(string="Calls today", compute="_compute_figures")
    requests_today = fields.Integer(
        string="Requests today",
        compute="_compute_figures",
        help="Incoming useful calls asking for information, orientation or financing.",
    )
    errors_today = fields.Integer(
        string="Errors and pranks today", compute="_compute_figures"
    )
    error_share_today = fields.Float(
        string="Share of errors and pranks", compute="_compute_figures"
    )
    callbacks_due = fields.Integer(
        string="Call-backs due today", compute="_compute_figures"
    )
    callbacks_overdue = fields.Integer(
        string="Call-backs overdue", compute="_compute_figures"
    )
    referrals_waiting = fields.Integer(
        string="Referrals waiting",
        compute="_compute_figures",
        help="Referrals without an appointment yet: not answered by the structure, "
        "or accepted without a date.",
    )
    month_calls = fields.Integer(string="Calls this month", compute="_compute_figures")
    month_requests = fields.Integer(
        string="Requests this month", compute="_compute_figures"
    )
    started_month = fields.Integer(
        string="Projects started this month", compute="_compute_figures"
    )
    target_month = fields.Integer(
        string="Monthly share of the objective",
        compute="_compute_figures",
        help="The year's objective of projects started, divided by twelve.",
    )
    started_year = fields.Integer(
        string="Projects started since 1 January", compute="_compute_figures"
    )
    target_year = fields.Integer(
        string="Objective of the year", compute="_compute_figures"
    )
    target_share = fields.Float(
        string="Share of the objective reached", compute="_compute_figures"
    )

    def _compute_display_name(self):
        # the breadcrumb's title (else "jecree.dashboard,NewId_...")
        for dashboard in self:
            dashboard.display_name = self.env._("Dashboard")

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_figures(self):
        for dashboard in self:
            dashboard.update(self._jecree_figures())

    @api.model
    def _jecree_figures(self):
        """The dashboard's figures for the company's current day (call center's
        time zone)."""
        company = self.env.company
        pack = self.env[PACK]
        today = company._jecree_today()
        day_start, day_stop = company._jecree_day_bounds(today, today)
        day = pack._activity_figures_in(
            [("date", ">=", day_start), ("date", "<", day_stop)]
        )
        month = pack._activity_figures(today.year, today.month)
        next_month = today.replace(day=1) + relativedelta(months=1)
        year = company._jecree_objective_figures(date(today.year, 1, 1), next_month)
        started_month = company._jecree_objective_figures(
            today.replace(day=1), next_month
        )["started"]
        target, started_year = year["target"], year["started"]
        callbacks = self._jecree_callback_counts(today)
        return {
            "day": today,
            "calls_today": day["calls"],
            "requests_today": day["requests"],
            "errors_today": day["errors"],
            "error_share_today": ratio(day["errors"], day["calls"]),
            "callbacks_due": callbacks["due"],
            "callbacks_overdue": callbacks["overdue"],
            "referrals_waiting": self.env["jecree.referral"].search_count(
                [("state", "in", WAITING_STATES)]
            ),
            "month_calls": month["calls"],
            "month_requests": month["requests"],
            "started_month": started_month,
            "target_month": round(target / 12),
            "started_year": started_year,
            "target_year": target,
            "target_share": ratio(started_year, target),
        }

    @api.model
    def _jecree_callback_counts(self, today):
        """{"due", "overdue"}: the open J+8 call-backs of the whole team due
        `today`, and due before."""
        groups = self.env["mail.activity"]._read_group(
            self._jecree_callback_domain(today),
            ["date_deadline:day"],
            ["__count"],
        )
        counts = {"due": 0, "overdue": 0}
        for day, count in groups:
            counts["due" if fields.Date.to_date(day) == today else "overdue"] += count
        return counts

    @api.model
    def _jecree_callback_domain(self, today):
        return [
            ("res_model", "=", "crm.lead"),
            ("activity_type_id", "=", self.env["crm.lead"]._jecree_callback_type().id),
            ("date_deadline", "<=", today),
        ]

    # ------------------------------------------------------------------ actions
    def _jecree_action(self, xmlid, **values):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update(values)
        return action

    def action_open_calls_today(self):
        today = self.env.company._jecree_today()
        return self._jecree_action(
            "jecree_followup.jecree_call_report_action",
            domain=[("call_date", "=", today), ("direction", "=", "in")],
            context={"search_default_group_qualification": 1},
            view_mode="list,pivot,graph",
            views=[(False, "list"), (False, "pivot"), (False, "graph")],
        )

    def action_open_callbacks(self):
        today = self.env.company._jecree_today()
        action = self._jecree_action("jecree_followup.mail_activity_callback_action")
        # the agents' queue, the box's J+8 call-backs only
        action["name"] = self.env._("J+8 call-backs")
        action["domain"] = self._jecree_callback_domain(today)
        action["context"] = {"search_default_group_user": 1}
        return action

    def action_open_referrals_waiting(self):
        return self._jecree_action(
            "jecree_referral.jecree_referral_action",
            domain=[("state", "in", WAITING_STATES)],
            context={},
        )

    def action_open_pack(self):
        return self._jecree_action("jecree_followup.jecree_monthly_pack_wizard_action")
