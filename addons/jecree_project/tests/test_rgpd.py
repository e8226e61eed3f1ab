# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import JecreeProjectCase


@tagged("post_install", "-at_install")
class TestRgpd(JecreeProjectCase):
    """Consent, retention, right of access and right to erasure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leads = cls.env["crm.lead"]
        with freeze_time("2022-01-10 10:00:00"):
            for i, (sector, zip_code) in enumerate(
                [("commerce", "59000"), ("artisanat", "59000"), ("services", "62000")]
            ):
                intake = (
                    cls.env["jecree.call.intake"]
                    .with_user(cls.agent)
                    .create(
                        {
                            "phone": f"09 66 00 00 0{i}",
                            "contact_name": f"Ancien Porteur {i}",
                            "email": f"ancien{i}@example.com",
                            "zip_code": zip_code,
                            "commune_id": cls.lille.id
                            if zip_code == "59000"
                            else cls.arras.id,
                            "sector": sector,
                            "project_kind": "creation",
                            "consent": True,
                            "notes": f"Notes privées {i}",
                        }
                    )
                )
                intake.action_save()
        cls.old = cls.env["crm.lead"].search(
            [("contact_name", "like", "Ancien Porteur")]
        )
        with freeze_time("2026-10-01 10:00:00"):
            cls.env["jecree.call.intake"].with_user(cls.agent).create(
                {"phone": "09 66 00 00 09", "contact_name": "Porteur Récent"}
            ).action_save()
        cls.recent = cls.env["crm.lead"].search(
            [("contact_name", "=", "Porteur Récent")]
        )

    def figures(self):
        """What the reporting counts: calls and porteurs by every dimension."""
        Call = self.env["crm.phonecall"].with_context(active_test=False)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        return (
            Call._read_group(
                [],
                ["nature", "qualification", "user_id", "date:month"],
                ["__count", "duration:sum"],
            ),
            Lead._read_group(
                [("is_porteur", "=", True)],
                ["sector", "project_kind", "commune_id", "maturity", "consent"],
                ["__count", "funding_need:sum"],
            ),
        )

    def run_cron(self):
        cron_model = self.registry["ir.cron"]
        with patch.object(
            cron_model, "_commit_progress", lambda self, processed=0, **kw: float("inf")
        ):
            self.env["crm.lead"]._cron_jecree_anonymize_expired()

    def test_last_contact_date(self):
        self.assertEqual(str(self.old[0].last_contact_date), "2022-01-10 10:00:00")
        self.assertEqual(str(self.recent.last_contact_date), "2026-10-01 10:00:00")

    @freeze_time("2026-11-29 12:00:00")
    def test_retention_cron_keeps_the_figures(self):
        before = self.figures()
        self.run_cron()
        self.assertEqual(self.figures(), before, "every statistic stays the same")
        for lead in self.old:
            self.assertTrue(lead.anonymized_date)
            self.assertFalse(lead.contact_name or lead.phone or lead.email_from)
            self.assertFalse(lead.phone_sanitized or lead.email_normalized)
            self.assertTrue(lead.name.startswith("Anonymised porteur"))
            self.assertEqual(lead.commune_id.zip_ids[:1].name[:2], lead.zip[:2])
            self.assertFalse(any(lead.phonecall_ids.mapped("description")))
            self.assertFalse(any(lead.phonecall_ids.mapped("partner_phone")))
            messages = self.env["mail.message"].search(
                [("model", "=", "crm.lead"), ("res_id", "=", lead.id)]
            )
            # the tracking messages held personal data: only the erasure's note
            self.assertEqual(len(messages), 1)
            self.assertIn("Personal data erased", messages.body)
            self.assertNotIn("Ancien", messages.body)
        self.assertFalse(self.recent.anonymized_date, "within 36 months: kept")
        self.assertEqual(self.recent.contact_name, "Porteur Récent")
        # twice: nothing more happens
        dates = self.old.mapped("anonymized_date")
        self.run_cron()
        self.assertEqual(self.old.mapped("anonymized_date"), dates)
        self.assertEqual(self.figures(), before)

    @freeze_time("2026-11-29 12:00:00")
    def test_retention_setting(self):
        self.env["ir.config_parameter"].set_param(
            "jecree_project.retention_months", 120
        )
        self.run_cron()
        self.assertFalse(self.old.filtered("anonymized_date"))
        self.env["ir.config_parameter"].set_param("jecree_project.retention_months", 1)
        self.run_cron()
        self.assertFalse(self.old.filtered(lambda lead: not lead.anonymized_date))
        self.assertTrue(self.recent.anonymized_date)

    def test_returning_caller_after_anonymisation_is_new(self):
        lead = self.old.filtered(lambda lead: lead.contact_name == "Ancien Porteur 0")
        self.assertEqual(self.intake_form(phone="09 66 00 00 00").lead_id, lead)
        lead.sudo()._jecree_erase_personal_data()
        form = self.intake_form(phone="09 66 00 00 00")
        self.assertFalse(form.lead_id)

    def test_export_personal_data(self):
        lead = self.old.filtered(lambda lead: lead.contact_name == "Ancien Porteur 0")
        lead.message_post(body="Ancien Porteur 0 a rappelé")
        action = lead.with_user(self.agent).action_jecree_export_personal_data()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        data = json.loads(base64.b64decode(attachment.datas))
        self.assertEqual(data["porteur"]["contact_name"], "Ancien Porteur 0")
        self.assertEqual(data["porteur"]["phone"], "+33 9 66 00 00 00")
        self.assertEqual(data["porteur"]["commune"], "Lille (59000)")
        self.assertEqual(len(data["calls"]), 1)
        self.assertEqual(data["calls"][0]["description"], "Notes privées 0")
        self.assertEqual(data["calls"][0]["qualification"], "Utile")
        # what the erasure erases is what the export lists
        self.assertIn("Ancien Porteur 0", data["messages"][0]["body"])
        self.assertEqual(data["attachments"], [])
        self.assertEqual(data["contacts"], [])

    def test_erasure_on_request(self):
        lead = self.old[0]
        with self.assertRaises(AccessError):
            lead.with_user(self.agent).action_jecree_erase_personal_data()
        self.assertFalse(lead.anonymized_date)
        lead.with_user(self.manager).action_jecree_erase_personal_data()
        self.assertTrue(lead.anonymized_date)
        self.assertFalse(lead.contact_name)
        with self.assertRaises(UserError):
            lead.with_user(self.manager).action_jecree_erase_personal_data()

    def test_erasure_counts_and_note(self):
        """The erasure says what it erased, per kind, in the porteur's chatter,
        without any personal data; the "New call" forms about the porteur go
        too."""
        lead = self.old.filtered(lambda lead: lead.contact_name == "Ancien Porteur 1")
        lead.message_post(body="Ancien Porteur 1 a rappelé")
        left = self.env["jecree.call.intake"].create(
            {"email": "ANCIEN1@example.com", "notes": "Ancien Porteur 1 rappellera"}
        )
        other = self.env["jecree.call.intake"].create({"phone": "09 66 00 00 02"})
        namesake = self.env["jecree.call.intake"].create(
            {"contact_name": "Ancien Porteur 1", "phone": "06 55 44 33 22"}
        )
        counts = lead.sudo()._jecree_erase_personal_data()
        self.assertEqual(counts["porteurs"], 1)
        self.assertEqual(counts["calls"], 1)
        self.assertEqual(counts["call_intakes"], 2, "the saved form and the left one")
        self.assertEqual(counts["messages"], 1)
        self.assertNotIn("contacts", counts, "no contact was made for the porteur")
        self.assertFalse(left.exists())
        self.assertTrue(other.exists(), "another porteur's form stays")
        self.assertTrue(namesake.exists(), "a namesake with another phone stays")
        note = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Calls: 1", note.body)
        self.assertIn("Porteurs: 1", note.body)
        for personal in ("Ancien", "ancien1", "96600", "66 00 00 01"):
            self.assertNotIn(personal, note.body)
        self.assertEqual(lead.sudo()._jecree_erase_personal_data(), {}, "once")

    def test_sensitive_changes_tracked(self):
        """Changes to a porteur's identity, contact, consent and commune are logged
        in the chatter (mail tracking)."""
        tracked = self.env["crm.lead"]._track_get_fields()
        for fname in ("contact_name", "email_from", "phone", "consent", "commune_id"):
            self.assertIn(fname, tracked)
