# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeCallIntake(models.TransientModel):
    _inherit = "jecree.call.intake"

    send_brochure = fields.Boolean(
        string="Send the brochure",
        default=lambda self: self.env.company.jecree_brochure_auto,
        help="Email the porteur the brochure of their project kind and sector "
        "(not again if it was already sent).",
    )

    def _after_save(self, lead, call):
        """The brochure is queued when the agent ticked it: the email and its PDF
        are built by a cron started at once. (The J+8 call-back is
        scheduled by the creation of the porteur's first useful call itself, see
        crm.phonecall.create; the context key `jecree_no_callback` turns it off.)"""
        res = super()._after_save(lead, call)
        if lead and self.send_brochure and lead.email_from:
            lead._jecree_send_brochure(skip_sent=True, queue=True)
        return res
