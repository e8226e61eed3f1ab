# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import JecreeReferralMixin


@tagged("post_install", "-at_install")
class TestReferralErasure(JecreeReferralMixin, TransactionCase):
    """The referral addon's part of the erasure: the referral's copies, the
    porteur's contact, the meeting and its attendee, their mails and .ics."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def book(self, lead):
        referral = self.make_referral(lead, self.cma_arras).with_user(self.agent)
        referral._book_appointment(
            datetime(2026, 12, 8, 9, 0), datetime(2026, 12, 8, 10, 0), self.adviser_cma
        )
        return referral

    def traces(self, model, res_id):
        domain = [("model", "=", model), ("res_id", "=", res_id)]
        return (
            self.env["mail.message"].search(domain),
            self.env["ir.attachment"].search(
                [("res_model", "=", model), ("res_id", "=", res_id)]
            ),
        )

    @freeze_time("2026-12-07 07:00:00")
    def test_referral_erased(self):
        lead = self.make_porteur("Ondine Verlacque", email_from="ondine@example.org")
        referral = self.book(lead)
        event = referral.sudo().event_id
        porteur = lead.partner_id
        self.assertEqual(referral.sudo().porteur_partner_id, porteur)
        self.assertTrue(all(self.traces("jecree.referral", referral.id)), "mail, .ics")
        wizard = self.env["jecree.referral.wizard"].create({"lead_id": lead.id})
        export = lead._jecree_personal_data()
        self.assertEqual(export["referrals"][0]["porteur_name"], "Ondine Verlacque")
        self.assertIn("Ondine Verlacque", export["meetings"][0]["name"])
        self.assertEqual(export["contacts"][0]["email"], "ondine@example.org")
        self.assertIn("rendez-vous.ics", [a["name"] for a in export["attachments"]])

        counts = lead.sudo()._jecree_erase_personal_data()
        self.assertEqual(
            (counts["referrals"], counts["meetings"], counts["contacts"]), (1, 1, 1)
        )
        self.assertEqual(counts["referral_forms"], 1)
        self.assertFalse(wizard.exists())
        self.assertFalse(porteur.exists(), "the porteur's contact is deleted")
        self.assertEqual(referral.porteur_name, lead.name)
        self.assertFalse(
            referral.porteur_phone or referral.porteur_email or referral.project_summary
        )
        self.assertEqual(
            (referral.state, referral.antenna_id, referral.adviser_id),
            ("rdv_fixe", self.cma_arras, self.adviser_cma),
            "the figures stay",
        )
        self.assertTrue(referral.date_appointment_set)
        self.assertTrue(event.exists(), "the adviser keeps the slot")
        self.assertNotIn("Ondine", event.name)
        self.assertFalse(event.description)
        self.assertEqual(event.partner_ids, self.adviser_cma)
        self.assertEqual(event.attendee_ids.partner_id, self.adviser_cma)
        for model, res_id in (
            ("jecree.referral", referral.id),
            ("calendar.event", event.id),
        ):
            messages, attachments = self.traces(model, res_id)
            self.assertFalse(messages, model)
            self.assertFalse(attachments, model)

    @freeze_time("2026-12-07 07:00:00")
    def test_shared_contact_kept(self):
        """A referral whose porteur's contact is an adviser (the same person, or
        the same email): the erasure does not touch the adviser."""
        lead = self.make_porteur("Ondine Verlacque")
        referral = self.make_referral(lead, self.cma_arras).with_user(self.agent)
        referral.sudo().porteur_partner_id = self.adviser_cma
        referral._book_appointment(
            datetime(2026, 12, 8, 9, 0), datetime(2026, 12, 8, 10, 0), self.adviser_cma
        )
        before = self.adviser_cma.read(["name", "email", "phone", "active"])
        counts = lead.sudo()._jecree_erase_personal_data()
        self.assertNotIn("contacts", counts)
        self.assertEqual(
            self.adviser_cma.read(["name", "email", "phone", "active"]), before
        )
        self.assertIn(self.adviser_cma, referral.sudo().event_id.partner_ids)
