# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeCallIntake(models.TransientModel):
    _inherit = "jecree.call.intake"

    # handed to crm.lead.jecree_log_call, which queues the brochure

    send_brochure = fields.Boolean(
        string="Send the brochure",
        default=lambda self: self.env.company.jecree_brochure_auto,
        help="Email the porteur the brochure of their project kind and sector "
        "(not again if it was already sent).",
    )
