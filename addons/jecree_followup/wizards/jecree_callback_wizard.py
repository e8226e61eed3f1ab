# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from odoo.addons.jecree_project.models.crm_lead import MATURITIES


class JecreeCallbackWizard(models.TransientModel):
    """The J+8 call-back form: the agent calls the porteur back and says how it
    went; `crm.lead.jecree_record_callback` checks and records it."""

    _name = "jecree.callback.wizard"
    _description = "J+8 call-back"

    lead_id = fields.Many2one(
        "crm.lead", string="Porteur de projet", required=True, readonly=True
    )
    activity_id = fields.Many2one("mail.activity", readonly=True)
    phone = fields.Char(related="lead_id.phone")
    attempt = fields.Integer(compute="_compute_attempt")
    outcome = fields.Selection(
        [("reached", "Reached"), ("not_reached", "Not reached")],
        string="Porteur reached?",
    )
    referral_line_ids = fields.One2many(
        "jecree.callback.wizard.line",
        "wizard_id",
        string="Referrals under way",
        compute="_compute_referral_line_ids",
        store=True,
        readonly=False,
    )
    maturity = fields.Selection(
        MATURITIES,
        string="Where the project stands",
        compute="_compute_maturity",
        store=True,
        readonly=False,
    )
    next_step = fields.Text(string="Next step")
    duration = fields.Float(help="Duration in minutes.")
    notes = fields.Text()

    @api.depends("lead_id")
    def _compute_attempt(self):
        for wizard in self:
            wizard.attempt = wizard.lead_id.callback_attempt_count + 1

    @api.depends("lead_id")
    def _compute_maturity(self):
        for wizard in self:
            wizard.maturity = wizard.lead_id.maturity

    @api.depends("lead_id")
    def _compute_referral_line_ids(self):
        for wizard in self:
            referrals = wizard.lead_id._jecree_open_callback_referrals()
            wizard.referral_line_ids = [fields.Command.clear()] + [
                fields.Command.create({"referral_id": referral.id})
                for referral in referrals
            ]

    # ------------------------------------------------------------------ actions
    @api.model
    def _action_open(self, lead, activity):
        # the checks of the porteur's method: the form opens only when it can save
        lead._jecree_check_callback_open({"activity_id": activity.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("J+8 call-back"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lead_id": lead.id, "default_activity_id": activity.id},
        }

    def action_confirm(self):
        """Record the call-back through the porteur's method (all checks there)."""
        self.ensure_one()
        self.lead_id.jecree_record_callback(self._callback_values())
        return {"type": "ir.actions.act_window_close"}

    def _callback_values(self):
        """What the agent typed, as `crm.lead.jecree_record_callback` takes it."""
        self.ensure_one()
        return {
            "activity_id": self.activity_id.id,
            "outcome": self.outcome or False,
            "maturity": self.maturity or False,
            "next_step": self.next_step or False,
            "duration": self.duration,
            "notes": self.notes or False,
            "appointments": [
                {"referral_id": line.referral_id.id, "appointment": line.appointment}
                for line in self.referral_line_ids
                if line.appointment
            ]
            if self.outcome == "reached"
            else [],
        }
