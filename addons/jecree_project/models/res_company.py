# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    jecree_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Call center opening hours",
        default=lambda self: self.env.ref(
            "jecree_project.resource_calendar_call_center", raise_if_not_found=False
        ),
        help="Opening hours of the call center: call-backs are planned on its "
        "opening days.",
    )
    jecree_team_id = fields.Many2one(
        "crm.team",
        string="Call center team",
        default=lambda self: self.env.ref(
            "jecree_project.crm_team_call_center", raise_if_not_found=False
        ),
    )

    @api.model
    def _jecree_set_defaults(self):
        """At install, give existing companies the call center's calendar and team."""
        calendar = self.env.ref("jecree_project.resource_calendar_call_center")
        team = self.env.ref("jecree_project.crm_team_call_center")
        self.search([("jecree_calendar_id", "=", False)]).jecree_calendar_id = calendar
        self.search([("jecree_team_id", "=", False)]).jecree_team_id = team

    def action_jecree_open_calendar(self):
        """CRM > Configuration > Je crée > Opening hours: the calendar form."""
        calendar = self.env.company.jecree_calendar_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call center opening hours"),
            "res_model": "resource.calendar",
            "res_id": calendar.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
