# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, TransactionCase, tagged

from .common import JecreeReferralMixin


@tagged("post_install", "-at_install")
class TestReferConfirmation(JecreeReferralMixin, TransactionCase):
    """What the agent sees in the refer wizard, and after booking: the capacity
    said in words, the slots day by day, the appointment to read to the porteur,
    a note on the porteur and the meeting counted on their form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def refer(self, lead, antenna):
        """The wizard as the agent opens it, `antenna` ticked and referred."""
        action = lead.action_jecree_refer()
        wizard_env = self.env(user=self.agent)["jecree.referral.wizard"]
        form = Form(wizard_env.browse(action["res_id"]))
        wizard = form.save()
        wizard.line_ids.filtered(
            lambda line: line.antenna_id == antenna
        ).selected = True
        wizard.action_refer()
        return wizard

    def porteur_notes(self, lead):
        return lead.message_ids.filtered(
            lambda message: message.subtype_id == self.env.ref("mail.mt_note")
        )

    @freeze_time("2026-12-07 07:00:00")
    def test_capacity_zero_is_unlimited(self):
        lead = self.make_porteur(type="opportunity").with_user(self.agent)
        wizard = (
            self.env["jecree.referral.wizard"]
            .with_user(self.agent)
            .browse(lead.action_jecree_refer()["res_id"])
        )
        labels = {
            line.antenna_id: (line.capacity, line.capacity_label)
            for line in wizard.line_ids
        }
        self.assertEqual(labels[self.cma_arras], (2, "2"))
        unlimited = [label for capacity, label in labels.values() if not capacity]
        self.assertTrue(unlimited, "the directory has an antenna without a limit")
        self.assertEqual(set(unlimited), {"unlimited"})

    @freeze_time("2026-12-07 07:00:00")
    def test_book_confirms_logs_and_counts_the_meeting(self):
        lead = self.make_porteur(type="opportunity").with_user(self.agent)
        self.assertEqual(lead.meeting_display_label, "No Meeting")
        wizard = self.refer(lead, self.cma_arras)
        self.assertEqual(wizard.state, "book")
        # the slots carry their day and hour, in the structure's time zone
        first = wizard.slot_ids[0]
        self.assertEqual(first.start, datetime(2026, 12, 7, 8, 0))
        self.assertEqual((first.day, first.hour), ("Monday 7 December", "09:00"))
        days = list(dict.fromkeys(wizard.slot_ids.mapped("day")))
        self.assertGreater(len(days), 1, "the slots span several days")
        self.assertEqual(
            wizard.slot_ids.mapped("day"),
            sorted(wizard.slot_ids.mapped("day"), key=days.index),
            "each day's slots follow each other",
        )
        notes_before = self.porteur_notes(lead)
        action = first.action_book()
        # the wizard stays open on the confirmation
        self.assertEqual(
            (action["res_model"], action["res_id"]), (wizard._name, wizard.id)
        )
        self.assertEqual(action["target"], "new")
        self.assertEqual(wizard.state, "done")
        summary = wizard.appointment_summary
        referral = lead.jecree_referral_ids
        for part in (
            "Appointment set on Monday 7 December 2026 09:00",
            f"({referral._jecree_tz().zone})",  # the structure's time zone
            "CMA – Arras",
            "1 rue des Artisans",
            "Arras",
            referral.name,
        ):
            self.assertIn(part, summary)
        # logged on the porteur, by the agent
        note = self.porteur_notes(lead) - notes_before
        self.assertEqual(len(note), 1)
        self.assertIn("Monday 7 December 2026 09:00", note.body)
        self.assertIn("1 rue des Artisans", note.body)
        self.assertEqual(note.author_id, self.agent.partner_id)
        # the porteur's meetings (CRM's smart button) count the booked meeting
        lead.invalidate_recordset()
        self.assertEqual(referral.event_id.opportunity_id, lead)
        self.assertEqual(lead.meeting_display_label, "Next Meeting")
        self.assertEqual(lead.meeting_display_date, date(2026, 12, 7))
        # and the calendar it opens shows it
        context = lead.action_schedule_meeting()["context"]
        self.assertEqual(context["search_default_opportunity_id"], lead.id)
        meetings = self.env["calendar.event"].search([("opportunity_id", "=", lead.id)])
        self.assertEqual(meetings, referral.event_id)

    @freeze_time("2026-12-07 07:00:00")
    def test_request_confirms_and_logs(self):
        """A structure without a calendar in Odoo: the confirmation says the
        structure still has to confirm; no meeting is counted."""
        lead = self.make_porteur(
            name="Porteur BGE", sector="services", type="opportunity"
        ).with_user(self.agent)
        wizard = self.refer(lead, self.bge_campagnes)
        wizard.slot_ids[0].action_book()
        self.assertEqual(wizard.state, "done")
        referral = lead.jecree_referral_ids
        self.assertIn(
            f"Appointment requested for {referral.appointment_label}",
            wizard.appointment_summary,
        )
        self.assertIn("Monday 7 December 2026", referral.appointment_label)
        self.assertIn("the structure confirms it", wizard.appointment_summary)
        self.assertIn("Appointment requested", self.porteur_notes(lead)[:1].body)
        lead.invalidate_recordset()
        self.assertEqual(lead.meeting_display_label, "No Meeting")
