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
        """The porteur's first useful call schedules its J+8 call-back (creating
        the call already does it; here a no-op when the call-back exists), and
        the brochure goes out when the agent ticked it. The context key
        `jecree_no_callback` turns the call-back off (imports, measurements)."""
        res = super()._after_save(lead, call)
        no_callback = self.env.context.get("jecree_no_callback")
        if lead and call.qualification == "utile" and not no_callback:
            lead._jecree_schedule_callbacks()
        if lead and self.send_brochure and lead.email_from:
            lead._jecree_send_brochure(skip_sent=True)
        return res
