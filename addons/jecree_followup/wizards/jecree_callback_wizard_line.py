# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeCallbackWizardLine(models.TransientModel):
    """A referral of the porteur under way, on the call-back form: where the
    porteur was sent, the appointment, the adviser's status (the referral's
    state), and whether the porteur says the appointment was kept."""

    _name = "jecree.callback.wizard.line"
    _description = "J+8 call-back: a referral under way"

    wizard_id = fields.Many2one(
        "jecree.callback.wizard", required=True, ondelete="cascade"
    )
    referral_id = fields.Many2one("jecree.referral", required=True, readonly=True)
    structure_id = fields.Many2one(related="referral_id.structure_id")
    antenna_id = fields.Many2one(related="referral_id.antenna_id")
    appointment_start = fields.Datetime(related="referral_id.appointment_start")
    state = fields.Selection(related="referral_id.state", string="Status")
    appointment_started = fields.Boolean(related="referral_id.appointment_started")
    appointment = fields.Selection(
        [("kept", "Kept"), ("not_kept", "Not kept")],
        string="Appointment kept?",
        help="What the porteur says; recorded on the referral. Once the "
        "appointment has started only.",
    )
