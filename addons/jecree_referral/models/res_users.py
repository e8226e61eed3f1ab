# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _jecree_is_adviser(self):
        """A portal user who is an adviser of a support structure: their day
        starts on /my/referrals (the portal's login redirect)."""
        self.ensure_one()
        partner = self.partner_id
        return bool(
            self.share and partner.jecree_is_adviser and partner.jecree_structure_id
        )
