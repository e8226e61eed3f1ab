# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..models.jecree_coverage import LEVELS


class JecreeReferralWizardLine(models.TransientModel):
    _name = "jecree.referral.wizard.line"
    _description = "Suggested antenna"
    _order = "sequence"

    wizard_id = fields.Many2one(
        "jecree.referral.wizard", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(string="Rank")
    selected = fields.Boolean(string="Refer")
    antenna_id = fields.Many2one("res.partner", required=True)
    structure_id = fields.Many2one("res.partner", required=True)
    structure_type_id = fields.Many2one(
        related="structure_id.jecree_structure_type_id", string="Type"
    )
    level = fields.Selection(LEVELS, string="Territory")
    score = fields.Integer()
    why = fields.Text()
    load = fields.Integer(string="This month")
    capacity = fields.Integer(string="Monthly capacity")
    capacity_label = fields.Char(
        string="Capacity",
        compute="_compute_capacity_label",
        help="Referrals the antenna takes a month; unlimited when none is set.",
    )

    @api.depends("capacity")
    def _compute_capacity_label(self):
        for line in self:
            line.capacity_label = (
                str(line.capacity) if line.capacity else self.env._("unlimited")
            )
