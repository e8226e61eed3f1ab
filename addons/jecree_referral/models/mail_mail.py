# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _jecree_sent_by_us(self):
        """Also the mails about a referral (to the structure, to the porteur)."""
        return super()._jecree_sent_by_us() | self.filtered(
            lambda mail: mail.model == "jecree.referral"
        )
