# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

#: the longest name a porteur's contact is created with (names are indexed)
MAX_NAME = 256


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

    def _jecree_check_referable(self):
        for lead in self:
            if not lead.is_porteur:
                raise UserError(self.env._("Only a porteur de projet can be referred."))
            if not lead.commune_id:
                raise UserError(
                    self.env._(
                        "Set the porteur's commune first: structures are chosen by "
                        "their territory."
                    )
                )

    def _jecree_check_contact_names(self):
        """CRM creates the porteur's contact from these names: refuse a name that
        the contacts' index cannot take before anything is written."""
        for lead in self:
            if any(
                len(name or "") > MAX_NAME
                for name in (lead.contact_name, lead.partner_name, lead.name)
            ):
                raise UserError(
                    self.env._(
                        "The porteur's name is longer than %(max)s characters: "
                        "shorten it on their form.",
                        max=MAX_NAME,
                    )
                )

    def action_jecree_refer(self):
        """Open the referral wizard with the ranked antennas."""
        self.ensure_one()
        self._jecree_check_referable()
        wizard = self.env["jecree.referral.wizard"].create({"lead_id": self.id})
        wizard._jecree_fill_suggestions()
        return wizard._reopen()

    def action_jecree_view_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "jecree_referral.jecree_referral_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
