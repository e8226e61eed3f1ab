# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from odoo.addons.jecree_project.models.crm_phonecall import USEFUL_QUALIFICATION

CALLBACK_OUTCOMES = [
    ("reached", "Reached"),
    ("not_reached", "Not reached"),
    ("unreachable", "Unreachable (last attempt)"),
]


class CrmPhonecall(models.Model):
    _inherit = "crm.phonecall"

    # The outcome of a J+8 call-back is recorded on the call-back itself (a call):
    # the reporting reads calls and call-backs from one table. Whether the
    # appointment with a structure was kept is the referral's state, not a copy.
    callback_attempt = fields.Integer(
        string="Call-back attempt",
        readonly=True,
        help="Attempt number of this J+8 call-back (0: not a call-back).",
    )
    callback_outcome = fields.Selection(
        CALLBACK_OUTCOMES, string="Call-back outcome", readonly=True, index=True
    )
    next_step = fields.Text(string="Next step")

    @api.model_create_multi
    def create(self, vals_list):
        calls = super().create(vals_list)
        if not self.env.context.get("jecree_no_callback"):
            useful = calls.filtered(
                lambda call: (
                    call.qualification == USEFUL_QUALIFICATION
                    and call.opportunity_id.is_porteur
                    and not call.opportunity_id.callback_scheduled
                )
            )
            useful.opportunity_id._jecree_schedule_callbacks()
        return calls

    def _jecree_personal_fields(self):
        # what the porteur said they would do next, typed at the call-back
        return [*super()._jecree_personal_fields(), "next_step"]
