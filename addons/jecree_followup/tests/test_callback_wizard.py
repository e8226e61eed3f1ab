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

    def followups(self):
        return self.env["mail.activity"].search(
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

    @freeze_time("2026-07-15 09:00:00")
    def test_reached(self):
        # the porteur's referrals under way are on the form, with the adviser's
        # status; kept / not kept is recorded on the referral itself
        referral = self.appointment(self.lead, utc(2026, 7, 10, 8, 0))
        requested = self.appointment(
            self.lead, utc(2026, 7, 20, 8, 0), antenna=referral.antenna_id
        )
        self.appointment(self.lead, utc(2026, 7, 9, 8, 0), state="refusee")
        form = self.callback_form()
        self.assertEqual(form.attempt, 1)
        self.assertEqual(form.maturity, "idee")
        form.outcome = "reached"
        self.assertEqual(len(form.referral_line_ids), 2, "not the declined one")
        with form.referral_line_ids.edit(0) as line:
            self.assertEqual(line.referral_id, referral)
            self.assertEqual(line.antenna_id, referral.antenna_id)
            self.assertEqual(line.appointment_start, utc(2026, 7, 10, 8, 0))
            self.assertEqual(line.state, "rdv_fixe")
            line.appointment = "kept"
        with form.referral_line_ids.edit(1) as line:
            self.assertEqual(line.referral_id, requested)
            self.assertFalse(line.appointment_started, "on 20 July: to come")
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
            (call.nature, call.qualification, call.callback_outcome),
            ("autre", "utile", "reached"),
        )
        self.assertNotIn("appointment_kept", call._fields, "one source: the referral")
        self.assertEqual(referral.state, "honore")
        self.assertEqual(referral.date_kept, utc(2026, 7, 15, 9, 0))
        self.assertEqual(requested.state, "rdv_fixe")
        self.assertEqual(call.next_step, "Rendez-vous banque le 20 juillet")
        self.assertEqual(call.user_id, self.agent)
        self.assertEqual(call.callback_attempt, 1)
        # the follow-up plan: J+30 and J+90 from the first call (Monday 6 July):
        # Wednesday 5 August, and Sunday 4 October moved to Monday 5
        followups = self.followups()
        self.assertEqual(
            followups.mapped("date_deadline"), [date(2026, 8, 5), date(2026, 10, 5)]
        )
        self.assertEqual(followups.user_id, self.agent)

    def test_reached_late_followups_from_the_first_call(self):
        """Reached on Saturday 18 July, 12 days after the call, after two failed
        attempts: J+30 and J+90 still count from Monday 6 July, not from the 18th
        (which would give 9 → 10 August and 8 October)."""
        for today in ("2026-07-15", "2026-07-16"):
            with freeze_time(f"{today} 10:00:00"):
                self.lead.with_user(self.agent).jecree_record_callback(
                    {"outcome": "not_reached"}
                )
        with freeze_time("2026-07-18 08:00:00"):
            result = self.lead.with_user(self.agent).jecree_record_callback(
                {"outcome": "reached", "duration": 3}
            )
        followups = self.followups()
        self.assertEqual(sorted(result["activity_ids"]), sorted(followups.ids))
        self.assertEqual(
            followups.mapped("date_deadline"), [date(2026, 8, 5), date(2026, 10, 5)]
        )
        self.assertEqual(self.lead.callback_state, "reached")
        self.assertEqual(result["attempt"], 3)

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

    @freeze_time("2026-07-15 09:00:00")
    def test_bad_input_writes_nothing(self):
        """Values the form would refuse: a message, nothing written."""
        self.appointment(self.lead, utc(2026, 7, 10, 8, 0))
        wizards = self.env["jecree.callback.wizard"].with_user(self.agent)
        base = {"lead_id": self.lead.id, "activity_id": self.activity.id}
        cases = [
            ({}, "reached"),
            ({"outcome": "reached"}, "Say whether the appointment with"),
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
        wizard = form.save()
        form2 = self.callback_form(self.agent2)
        form2.outcome = "reached"
        wizard2 = form2.save()
        wizard.action_confirm()
        with self.assertRaisesRegex(UserError, "already closed"):
            wizard2.action_confirm()
        self.assertEqual(len(self.calls_back()), 1)

    def test_from_the_activity_list(self):
        action = self.activity.with_user(self.agent).action_jecree_callback()
        self.assertEqual(action["context"]["default_lead_id"], self.lead.id)
        self.assertEqual(action["context"]["default_activity_id"], self.activity.id)
