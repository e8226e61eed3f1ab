# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError


class JecreeReferralWizardSlot(models.TransientModel):
    _name = "jecree.referral.wizard.slot"
    _description = "Free appointment slot"
    _order = "start"

    wizard_id = fields.Many2one(
        "jecree.referral.wizard", required=True, ondelete="cascade"
    )
    name = fields.Char(string="Slot")
    day = fields.Char(help="The slot's day, in the structure's time zone.")
    hour = fields.Char(help="The slot's start time, in the structure's time zone.")
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)

    def action_book(self):
        """Book this slot: a meeting when the structure keeps its calendar in Odoo,
        otherwise an appointment request the structure confirms in the portal."""
        self.ensure_one()
        wizard = self.wizard_id
        referral = wizard.referral_id
        if not referral:
            raise UserError(self.env._("Create the referral first."))
        if referral not in wizard.referral_ids:
            raise UserError(
                self.env._(
                    "Choose one of the referrals made here: %(referrals)s.",
                    referrals=", ".join(wizard.referral_ids.mapped("name")),
                )
            )
        adviser = wizard.adviser_id
        # the slot may have been taken since it was shown (or written by hand)
        referral._check_appointment(self.start, self.stop, adviser)
        if not adviser._jecree_slot_is_free(
            referral.antenna_id, self.start, self.stop, exclude=referral.event_id
        ):
            raise UserError(
                self.env._(
                    "This slot is no longer free, or is outside the opening hours: "
                    "refresh the slots and choose another one."
                )
            )
        if wizard.keeps_calendar:
            referral._book_appointment(self.start, self.stop, adviser)
        else:
            referral._request_appointment(self.start, self.stop, adviser)
        # the confirmation to read to the porteur, before the screen closes
        wizard.state = "done"
        return wizard._reopen()
