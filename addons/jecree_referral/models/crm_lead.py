# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    jecree_referral_ids = fields.One2many(
        "jecree.referral", "lead_id", string="Referrals"
    )
    jecree_referral_count = fields.Integer(
        string="Referrals count", compute="_compute_jecree_referral_count"
    )

    def _compute_jecree_referral_count(self):
        counts = dict(
            self.env["jecree.referral"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.jecree_referral_count = counts.get(lead, 0)

    def action_jecree_refer(self):
        """Open the referral wizard with the ranked antennas."""
        self.ensure_one()
        if not self.is_porteur:
            raise UserError(self.env._("Only a porteur de projet can be referred."))
        if not self.commune_id:
            raise UserError(
                self.env._(
                    "Set the porteur's commune first: structures are chosen by "
                    "their territory."
                )
            )
        wizard = self.env["jecree.referral.wizard"].create({"lead_id": self.id})
        wizard._compute_suggestions()
        return wizard._reopen()

    def action_jecree_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "jecree_referral.jecree_referral_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
