# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.jecree_project.models.crm_lead import MATURITIES

from ..models.crm_phonecall import APPOINTMENTS

MAX_ATTEMPTS = 3


class JecreeCallbackWizard(models.TransientModel):
    """The J+8 call-back form: the agent calls the porteur back and records it."""

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
    appointment_kept = fields.Selection(APPOINTMENTS, string="Appointment")
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

    # ------------------------------------------------------------------ actions
    @api.model
    def _action_open(self, lead, activity):
        if not lead.is_porteur:
            raise UserError(self.env._("Only a porteur de projet is called back."))
        if lead.callback_state != "planned" or not activity:
            raise UserError(
                self.env._(
                    "%s has no J+8 call-back to make: it was not scheduled or is "
                    "already closed.",
                    lead.display_name,
                )
            )
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
        """Log the call-back, close the activity and plan what comes next."""
        self.ensure_one()
        self._check_input()
        lead = self.lead_id
        reached = self.outcome == "reached"
        attempt = self.attempt
        last = not reached and attempt >= MAX_ATTEMPTS
        outcome = "reached" if reached else "unreachable" if last else "not_reached"
        self.env["crm.phonecall"].with_context(jecree_no_callback=True).create(
            self._call_values(outcome)
        )
        lead_vals = {
            "callback_attempt_count": attempt,
            "callback_state": "reached"
            if reached
            else "unreachable"
            if last
            else "planned",
        }
        if reached and self.maturity and self.maturity != lead.maturity:
            lead_vals["maturity"] = self.maturity
        lead.write(lead_vals)
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        feedback = self.env._(
            "%(outcome)s (attempt %(attempt)s of %(max)s)",
            outcome=outcomes[self.outcome],
            attempt=attempt,
            max=MAX_ATTEMPTS,
        )
        if self.next_step:
            feedback = f"{feedback}\n{self.next_step}"
        self.activity_id.action_feedback(feedback=feedback)
        if reached:
            self._launch_followup_plan()
        elif not last:
            self._schedule_retry(attempt + 1)
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------------ helpers
    def _check_input(self):
        self.ensure_one()
        lead = self.lead_id
        if lead.callback_state != "planned" or not self.activity_id.active:
            raise UserError(
                self.env._(
                    "The J+8 call-back of %s is already closed.", lead.display_name
                )
            )
        errors = []
        if not self.outcome:
            errors.append(self.env._("Say whether the porteur was reached."))
        if self.outcome == "reached" and not self.appointment_kept:
            errors.append(
                self.env._("Say whether the appointment with the structure was kept.")
            )
        if self.duration < 0:
            errors.append(self.env._("The duration of a call cannot be negative."))
        if errors:
            raise UserError("\n".join(errors))

    def _call_values(self, outcome):
        lead = self.lead_id
        reached = outcome == "reached"
        return {
            "name": self.env._(
                "J+8 call-back – %(porteur)s (attempt %(attempt)s)",
                porteur=lead.contact_name or lead.name,
                attempt=self.attempt,
            ),
            "direction": "out",
            "date": fields.Datetime.now(),
            "duration": self.duration,
            "nature": "autre",
            "qualification": "utile" if reached else False,
            "opportunity_id": lead.id,
            "partner_phone": lead.phone,
            "user_id": self.env.user.id,
            "team_id": lead.team_id.id or self.env.company.jecree_team_id.id,
            "state": "done",
            "callback_attempt": self.attempt,
            "callback_outcome": outcome,
            "appointment_kept": self.appointment_kept if reached else False,
            "next_step": self.next_step if reached else False,
            "description": self.notes or False,
        }

    def _schedule_retry(self, attempt):
        """The next attempt, on the next opening day after today."""
        calendar = self.env.company.jecree_calendar_id
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        day = calendar._jecree_next_opening_day(tomorrow)
        agent = self.activity_id.user_id or self.env.user
        return self.env["crm.lead"]._jecree_create_callback_activities(
            [(self.lead_id.id, agent, day)],
            summary=self.env._(
                "J+8 call-back (attempt %(attempt)s of %(max)s)",
                attempt=attempt,
                max=MAX_ATTEMPTS,
            ),
        )

    def _launch_followup_plan(self):
        """The later steps (J+30, J+90…) of the company's activity plan."""
        plan = self.env.company.jecree_followup_plan_id
        if not plan:
            return self.env["mail.activity"]
        calendar = self.env.company.jecree_calendar_id
        today = fields.Date.context_today(self)
        activities = self.env["mail.activity"]
        for template in plan.template_ids:
            responsible = template._determine_responsible(self.env.user, self.lead_id)[
                "responsible"
            ]
            day = calendar._jecree_next_opening_day(template._get_date_deadline(today))
            activities |= self.lead_id.activity_schedule(
                activity_type_id=template.activity_type_id.id,
                summary=template.summary,
                note=template.note,
                user_id=(responsible or self.env.user).id,
                date_deadline=day,
            )
        return activities
