# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import JecreeFollowupCase, utc


@tagged("post_install", "-at_install")
class TestCallbackWizard(JecreeFollowupCase):
    """The call-back form: reached or not, three attempts, the next steps."""

    def setUp(self):
        super().setUp()
        self.lead = self.new_porteur(
            "Paul Rappel", maturity="idee", phone="+33 6 12 34 56 78"
        )
        self.log_call(self.lead, utc(2026, 7, 6, 8, 0))
        self.activity = self.callbacks(self.lead)

    def callback_form(self, user=None):
        user = user or self.agent
        action = self.lead.with_user(user).action_jecree_callback()
        self.assertEqual(action["res_model"], "jecree.callback.wizard")
        return Form(
            self.env["jecree.callback.wizard"]
            .with_user(user)
            .with_context(**action["context"])
        )

    def calls_back(self):
        return self.lead.phonecall_ids.filtered(lambda call: call.direction == "out")

    @freeze_time("2026-07-15 09:00:00")
    def test_reached(self):
        form = self.callback_form()
        self.assertEqual(form.attempt, 1)
        self.assertEqual(form.maturity, "idee")
        form.outcome = "reached"
        form.appointment_kept = "kept"
        form.maturity = "financement"
        form.next_step = "Rendez-vous banque le 20 juillet"
        form.duration = 4
        form.save().action_confirm()
        self.assertEqual(self.lead.maturity, "financement")
        self.assertEqual(self.lead.callback_state, "reached")
        self.assertEqual(self.lead.callback_attempt_count, 1)
        self.assertFalse(self.activity.active, "done activities are archived")
        self.assertFalse(self.callbacks(self.lead))
        call = self.calls_back()
        self.assertEqual(len(call), 1)
        self.assertEqual(
            (
                call.nature,
                call.qualification,
                call.callback_outcome,
                call.appointment_kept,
            ),
            ("autre", "utile", "reached", "kept"),
        )
        self.assertEqual(call.next_step, "Rendez-vous banque le 20 juillet")
        self.assertEqual(call.user_id, self.agent)
        self.assertEqual(call.callback_attempt, 1)
        # the follow-up plan: J+30 and J+90 (from the first call) on opening days
        followups = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", self.lead.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("jecree_followup.mail_activity_type_followup").id,
                ),
            ],
            order="date_deadline",
        )
        self.assertEqual(
            followups.mapped("date_deadline"), [date(2026, 8, 6), date(2026, 10, 5)]
        )
        self.assertEqual(followups.user_id, self.agent)

    def test_three_attempts_then_unreachable(self):
        expected_days = [date(2026, 7, 16), date(2026, 7, 17)]
        for attempt, today in enumerate(["2026-07-15", "2026-07-16", "2026-07-17"], 1):
            with freeze_time(f"{today} 10:00:00"):
                form = self.callback_form()
                self.assertEqual(form.attempt, attempt)
                form.outcome = "not_reached"
                form.save().action_confirm()
                retry = self.callbacks(self.lead)
                if attempt < 3:
                    self.assertEqual(len(retry), 1)
                    self.assertEqual(retry.date_deadline, expected_days[attempt - 1])
                    self.assertEqual(retry.user_id, self.agent)
                    self.assertEqual(self.lead.callback_state, "planned")
                else:
                    self.assertFalse(retry)
        self.assertEqual(self.lead.callback_state, "unreachable")
        self.assertEqual(self.lead.callback_attempt_count, 3)
        self.assertEqual(
            self.calls_back().sorted("callback_attempt").mapped("callback_outcome"),
            ["not_reached", "not_reached", "unreachable"],
        )
        self.assertEqual(len(self.callbacks(self.lead, active=False)), 3)
        with self.assertRaises(UserError):
            self.lead.with_user(self.agent).action_jecree_callback()

    @freeze_time("2026-07-18 10:00:00")
    def test_retry_on_saturday_moves_over_sunday(self):
        """Saturday 18 July: the retry is on Monday 20 July."""
        form = self.callback_form()
        form.outcome = "not_reached"
        form.save().action_confirm()
        self.assertEqual(self.callbacks(self.lead).date_deadline, date(2026, 7, 20))

    def test_bad_input_writes_nothing(self):
        """Values the form would refuse, sent over RPC: a message, nothing written."""
        wizards = self.env["jecree.callback.wizard"].with_user(self.agent)
        base = {"lead_id": self.lead.id, "activity_id": self.activity.id}
        cases = [
            ({}, "reached"),
            ({"outcome": "reached"}, "appointment"),
            ({"outcome": "not_reached", "duration": -2}, "negative"),
        ]
        for values, message in cases:
            wizard = wizards.create(dict(base, **values))
            with self.assertRaisesRegex(UserError, message):
                wizard.action_confirm()
        self.assertFalse(self.calls_back())
        self.assertTrue(self.activity.active)
        self.assertEqual(self.lead.callback_attempt_count, 0)

    def test_closed_callback_cannot_be_recorded_twice(self):
        form = self.callback_form()
        form.outcome = "reached"
        form.appointment_kept = "none"
        wizard = form.save()
        form2 = self.callback_form(self.agent2)
        form2.outcome = "reached"
        form2.appointment_kept = "none"
        wizard2 = form2.save()
        wizard.action_confirm()
        with self.assertRaisesRegex(UserError, "already closed"):
            wizard2.action_confirm()
        self.assertEqual(len(self.calls_back()), 1)

    def test_from_the_activity_list(self):
        action = self.activity.with_user(self.agent).action_jecree_callback()
        self.assertEqual(action["context"]["default_lead_id"], self.lead.id)
        self.assertEqual(action["context"]["default_activity_id"], self.activity.id)
