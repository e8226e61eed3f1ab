# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_project.tests.common import NothingWrittenMixin

from .common import JecreeReferralMixin


@tagged("post_install", "-at_install")
class TestReferralLife(NothingWrittenMixin, JecreeReferralMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def setUp(self):
        super().setUp()
        self.lead = self.make_porteur()
        self.referral = self.make_referral(self.lead, self.cma_arras).with_user(
            self.agent
        )
        # end the creation's "transaction": later changes are tracked
        self.env.flush_all()
        self.env.cr.flush()

    def end_request(self):
        """What the end of an HTTP request does: flush and track the changes."""
        self.env.flush_all()
        self.env.cr.flush()

    def mails(self, referral):
        return self.env["mail.mail"].search(
            [("model", "=", "jecree.referral"), ("res_id", "=", referral.id)]
        )

    @freeze_time("2026-12-07 07:00:00")
    def test_full_life_with_dates(self):
        referral = self.referral
        self.assertTrue(referral.name.startswith("ORI/"))
        self.assertEqual(referral.state, "proposee")
        referral.action_accept()
        self.end_request()
        self.assertEqual(referral.date_accepted, datetime(2026, 12, 7, 7, 0))
        event = referral._book_appointment(
            datetime(2026, 12, 8, 9, 0), datetime(2026, 12, 8, 10, 0), self.adviser_cma
        )
        self.end_request()
        self.assertEqual(referral.state, "rdv_fixe")
        self.assertEqual(referral.event_id, event)
        self.assertEqual(event.partner_ids, self.lead.partner_id | self.adviser_cma)
        self.assertIn("1 rue des Artisans", event.location)
        self.assertTrue(referral.date_appointment_set)
        with freeze_time("2026-12-08 09:00:00"):  # the appointment starts
            referral.action_mark_kept()
        self.end_request()
        referral.action_start_support()
        self.end_request()
        referral.action_close()
        self.assertEqual(referral.state, "clos")
        for fname in ("date_kept", "date_support", "date_closed"):
            self.assertTrue(referral[fname], fname)
        self.assertFalse(referral.date_not_kept)
        # tracked in the chatter
        self.end_request()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "jecree.referral"),
                ("mail_message_id.res_id", "=", referral.id),
                ("field_id.name", "=", "state"),
            ]
        )
        self.assertGreaterEqual(len(tracked), 5)

    @freeze_time("2026-12-07 07:00:00")
    def test_rebook_from_the_referral(self):
        self.referral.adviser_id = self.adviser_cma
        action = self.referral.action_open_booking()
        wizard = self.env["jecree.referral.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.state, "book")
        self.assertEqual(wizard.adviser_id, self.adviser_cma)
        self.assertEqual(wizard.slot_ids[0].start, datetime(2026, 12, 7, 8, 0))
        wizard.slot_ids[1].action_book()
        self.assertEqual(self.referral.state, "rdv_fixe")
        self.assertEqual(self.referral.appointment_start, datetime(2026, 12, 7, 9, 0))
        # not kept: a new appointment can be booked, the meeting is moved
        with freeze_time("2026-12-07 09:00:00"):  # the appointment starts
            self.referral.action_mark_not_kept()
        event = self.referral.event_id
        wizard = self.env["jecree.referral.wizard"].browse(
            self.referral.action_open_booking()["res_id"]
        )
        self.assertNotIn(datetime(2026, 12, 7, 9, 0), wizard.slot_ids.mapped("start"))
        wizard.slot_ids[0].action_book()
        self.assertEqual(self.referral.state, "rdv_fixe")
        self.assertEqual(self.referral.event_id, event)
        self.assertEqual(event.start, datetime(2026, 12, 7, 8, 0))

    #: tables a refused move must leave as they were
    REFERRAL_TABLES = (
        "jecree_referral",
        "calendar_event",
        "mail_message",
        "mail_mail",
        "mail_activity",
        "crm_lead",
    )

    @freeze_time("2026-12-07 07:00:00")
    def test_wrong_moves_are_refused(self):
        """Each wrong move on a referral, from the state it is refused in: a
        French error, nothing written (no state, date, meeting, email nor note)."""
        future = (datetime(2099, 1, 5, 9, 0), datetime(2099, 1, 5, 10, 0))
        past = (datetime(2026, 12, 1, 9, 0), datetime(2026, 12, 1, 10, 0))
        cases = (
            # (case, state reached first, the move, part of the message)
            ("kept before accepted", "proposee", "action_mark_kept", ()),
            ("declined without a reason", "proposee", "action_refuse", ("",)),
            (
                "declined without a reason (spaces)",
                "proposee",
                "action_refuse",
                ("  ",),
            ),
            ("booked in the past", "proposee", "_book_appointment", past),
            ("accepted once declined", "refusee", "action_accept", ()),
            ("booked once declined", "refusee", "_book_appointment", future),
            ("not kept once declined", "refusee", "action_mark_not_kept", ()),
        )
        for case, state, move, args in cases:
            with self.subTest(case):
                referral = self.make_referral(self.lead, self.cma_arras).with_user(
                    self.agent
                )
                if state == "refusee":
                    referral.action_refuse("Hors de notre territoire")
                self.assertRefusedNothingWritten(
                    UserError,
                    lambda referral=referral, move=move, args=args: getattr(
                        referral, move
                    )(*args),
                    tables=self.REFERRAL_TABLES,
                )
                self.assertEqual(referral.state, state)
                self.assertFalse(referral.event_id)

    def test_refusal_is_recorded(self):
        self.referral.action_refuse("Hors de notre territoire")
        self.assertEqual(self.referral.state, "refusee")
        self.assertEqual(self.referral.refusal_reason, "Hors de notre territoire")
        self.assertTrue(self.referral.date_refused)

    @freeze_time("2026-12-07 07:00:00")
    def test_kept_only_once_the_appointment_started(self):
        """The bug: an appointment could be marked kept (or not kept) before it
        took place. Refused until it starts, whatever the way in (the buttons,
        an RPC client writing the state); nothing written."""
        referral = self.referral
        start = datetime(2026, 12, 8, 9, 0)
        referral._book_appointment(start, datetime(2026, 12, 8, 10, 0))
        attempts = (
            referral.action_mark_kept,
            referral.action_mark_not_kept,
            lambda: referral.write({"state": "honore"}),
            lambda: referral.write({"state": "non_honore"}),
        )
        for case, attempt in enumerate(attempts):
            with self.subTest(case):
                self.assertRefusedNothingWritten(
                    UserError,
                    attempt,
                    "has not started yet",
                    tables=self.REFERRAL_TABLES,
                )
            self.assertEqual(referral.state, "rdv_fixe")
            self.assertFalse(referral.date_kept or referral.date_not_kept)
        self.assertFalse(referral.appointment_started)
        with freeze_time("2026-12-08 08:59:59"):
            with self.assertRaisesRegex(UserError, "has not started yet"):
                referral.action_mark_kept()
        with freeze_time("2026-12-08 09:00:00"):
            referral.invalidate_recordset(["appointment_started"])
            self.assertTrue(referral.appointment_started)
            referral.action_mark_kept()
        self.assertEqual(referral.state, "honore")
        self.assertEqual(referral.date_kept, start)

    def test_antenna_of_another_structure_is_refused(self):
        with self.assertRaises(ValidationError):
            self.make_referral(self.lead, self.cci_arras, structure_id=self.cma.id)
        with self.assertRaises(ValidationError):
            self.referral.adviser_id = self.adviser_bge

    @freeze_time("2026-12-07 07:00:00")
    def test_appointment_email_with_ics(self):
        self.referral._book_appointment(
            datetime(2026, 12, 8, 9, 0), datetime(2026, 12, 8, 10, 0), self.adviser_cma
        )
        mail = self.mails(self.referral).filtered(
            lambda m: self.lead.partner_id in m.recipient_ids
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("1 rue des Artisans", mail.body_html)
        self.assertIn("Conseillère CMA", mail.body_html)
        self.assertEqual(mail.attachment_ids.name, "rendez-vous.ics")
        self.assertEqual(mail.attachment_ids.mimetype, "text/calendar")
        self.assertIn(b"BEGIN:VCALENDAR", mail.attachment_ids.raw)

    def test_structure_email_with_portal_link(self):
        self.referral.adviser_id = self.adviser_cma
        self.referral._notify_structure()
        mail = self.mails(self.referral)
        self.assertEqual(mail.recipient_ids, self.adviser_cma)
        self.assertIn(f"/my/referrals/{self.referral.id}", mail.body_html)
        self.assertIn("Porteur Test", mail.body_html)

    @freeze_time("2026-12-07 07:00:00")
    def test_request_when_structure_keeps_no_calendar(self):
        lead = self.make_porteur(name="Porteur BGE", sector="services").with_user(
            self.agent
        )
        wizard = self.env["jecree.referral.wizard"].browse(
            lead.action_jecree_refer()["res_id"]
        )
        wizard.line_ids.filtered(
            lambda line: line.antenna_id == self.bge_campagnes
        ).selected = True
        wizard.action_refer()
        self.assertFalse(wizard.keeps_calendar)
        wizard.slot_ids[0].action_book()
        referral = lead.jecree_referral_ids
        self.assertEqual(referral.state, "proposee")
        self.assertTrue(referral.appointment_requested)
        self.assertFalse(referral.event_id)
        self.assertEqual(referral.appointment_start, datetime(2026, 12, 7, 8, 0))
        bodies = self.mails(referral).mapped("body_html")
        self.assertTrue(any("confirm or move it in the portal" in b for b in bodies))

    def test_french_emails(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "jecree_referral")]
        )._update_translations("fr_FR")
        self.adviser_cma.lang = "fr_FR"
        self.referral.adviser_id = self.adviser_cma
        self.referral._notify_structure()
        mail = self.mails(self.referral)
        self.assertIn("Voir l'orientation", mail.body_html)
        self.assertIn("Nouvelle orientation", mail.subject)

    def test_portal_user_cannot_write_other_fields(self):
        referral = self.referral.with_user(self.portal_cma)
        with self.assertRaises(AccessError):
            referral.write({"porteur_name": "Changed"})
        referral.action_accept()
        self.assertEqual(referral.state, "acceptee")


@tagged("post_install", "-at_install")
class TestReferralScreenPop(JecreeReferralMixin, TransactionCase):
    """When the porteur calls, the agent's screen pop shows their open referrals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def test_open_referrals_in_the_screen_pop(self):
        lead = self.make_porteur(name="Appel Orienté")
        self.make_referral(lead, self.cma_arras)
        closed = self.make_referral(lead, self.cci_arras)
        closed._move_to("refusee")
        summary = [
            caller
            for caller in self.env["crm.lead"]
            .with_user(self.agent)
            ._jecree_screen_pop_callers(lead.phone_sanitized)
            if caller["id"] == lead.id
        ]
        lines = summary[0]["lines"]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(self.cma_arras.display_name, lines[0])
        self.assertIn("Proposed", lines[0])
