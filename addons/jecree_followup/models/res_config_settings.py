# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jecree_followup_plan_id = fields.Many2one(
        related="company_id.jecree_followup_plan_id", readonly=False
    )
    jecree_target_projects = fields.Integer(
        related="company_id.jecree_target_projects", readonly=False
    )
    jecree_brochure_auto = fields.Boolean(
        related="company_id.jecree_brochure_auto", readonly=False
    )
    jecree_sirene_department_ids = fields.Many2many(
        related="company_id.jecree_sirene_department_ids", readonly=False
    )
    jecree_sirene_window_months = fields.Integer(
        related="company_id.jecree_sirene_window_months", readonly=False
    )
    jecree_watch_refusal_rate = fields.Integer(
        related="company_id.jecree_watch_refusal_rate", readonly=False
    )
    jecree_watch_escalation_rate = fields.Integer(
        related="company_id.jecree_watch_escalation_rate", readonly=False
    )
