# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # the J+8 call-back call that closed this activity (crm.lead.
    # jecree_record_callback): its outcome stays on the call, read from here by
    # the pack for the call-backs due in a month, whenever they were made
    callback_call_id = fields.Many2one(
        "crm.phonecall",
        string="Call-back call",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    def action_jecree_callback(self):
        """From the list of J+8 call-backs: open the call-back form."""
        self.ensure_one()
        if self.res_model != "crm.lead":
            raise UserError(self.env._("This activity is not a J+8 call-back."))
        lead = self.env["crm.lead"].browse(self.res_id)
        return self.env["jecree.callback.wizard"]._action_open(lead, self)
