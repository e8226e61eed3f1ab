# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jecree_calendar_id = fields.Many2one(
        related="company_id.jecree_calendar_id", readonly=False
    )
    jecree_team_id = fields.Many2one(
        related="company_id.jecree_team_id", readonly=False
    )
