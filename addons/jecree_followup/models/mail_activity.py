# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def action_jecree_callback(self):
        """From the list of J+8 call-backs: open the call-back form."""
        self.ensure_one()
        if self.res_model != "crm.lead":
            raise UserError(self.env._("This activity is not a J+8 call-back."))
        lead = self.env["crm.lead"].browse(self.res_id)
        return self.env["jecree.callback.wizard"]._action_open(lead, self)
