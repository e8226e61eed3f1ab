# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
import logging
from datetime import datetime

import pytz
from freezegun import freeze_time

from odoo.tests import Form, HttpCase, tagged
from odoo.tools import SQL

from odoo.addons.jecree_followup.tests.common import run_cron_method

from .common import JecreeScenarioMixin

_logger = logging.getLogger(__name__)

NAME = "Zéphyrine Quellecarpe"
EMAIL = "zephyrine.quellecarpe@example.org"
PHONE = "06 71 23 45 89"
#: the porteur's name, email and phone in any format: E.164 (+33671234589), national
#: (0671234589), spaced, dotted or dashed, "+33 (0)6…", the digits alone; the name
#: with or without its accent, HTML-escaped (Z&eacute;phyrine) or in an email
IDENTITY = SQL(
    "%s",
    r"(quellecarpe|phyrine|7[^0-9a-z]{0,3}1[^0-9a-z]{0,3}2[^0-9a-z]{0,3}3"
    r"[^0-9a-z]{0,3}4[^0-9a-z]{0,3}5[^0-9a-z]{0,3}8[^0-9a-z]{0,3}9)",
)
#: what a column of any of these types can hold a name, an email or a phone in
TEXT_TYPES = ("character varying", "character", "text", "jsonb", "json", "bytea")


@tagged("post_install", "-at_install")
class TestErasure(JecreeScenarioMixin, HttpCase):
    """A porteur's whole life, then the right to erasure (by a manager, or by the
    retention cron): no copy of their name, email or phone is left in any column of
    any table, and the monthly pack's figures do not move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_call_center()
        cls.report = cls.env["report.jecree_followup.monthly_pack_xlsx"]

    # ------------------------------------------------------------------ helpers
    def scan(self):
        """{"table.column": rows} of every text-like column of every table of the
        database where the porteur's identity shows, and the number of columns
        read."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN %s
          ORDER BY c.table_name, c.ordinal_position
            """,
            [TEXT_TYPES],
        )
        tables = {}
        for table, column, data_type in cr.fetchall():
            tables.setdefault(table, []).append((column, data_type))
        hits = {}
        for table, columns in tables.items():
            counts = []
            for column, data_type in columns:
                value = (
                    SQL("encode(%s, 'escape')", SQL.identifier(column))
                    if data_type == "bytea"
                    else SQL("%s::text", SQL.identifier(column))
                )
                counts.append(SQL("count(*) FILTER (WHERE %s ~* %s)", value, IDENTITY))
            cr.execute(
                SQL("SELECT %s FROM %s", SQL(", ").join(counts), SQL.identifier(table))
            )
            for (column, __), count in zip(columns, cr.fetchone(), strict=True):
                if count:
                    hits[f"{table}.{column}"] = count
        count = sum(len(columns) for columns in tables.values())
        _logger.info("scanned %s text columns of %s tables", count, len(tables))
        return hits, count

    def live(self):
        """Zéphyrine's life in the call center, November 2026; returns her porteur
        and her referral."""
        Lead = self.env["crm.lead"]
        # --- Tuesday 3, 09:05: she calls, wants the brochure
        with freeze_time("2026-11-03 08:05:00"):
            __, action = self.intake(
                self.agent,
                phone=PHONE,
                contact_name=NAME,
                email=EMAIL,
                zip_code="62690",
                commune_id=self.village,
                project_kind="creation",
                sector="services",
                nature="orientation",
                duration=9,
                consent=True,
                send_brochure=True,
                notes=f"{NAME} rappellera du 06.71.23.45.89 ou écrira à {EMAIL}",
            )
        lead = Lead.browse(action["res_id"])
        run_cron_method(
            self.env["jecree.brochure.sending"]._cron_jecree_prepare_brochures
        )
        self.assertEqual(lead.brochure_sending_ids.mail_id.email_to, EMAIL)
        # --- 10:00: she calls again, her number typed another way
        with freeze_time("2026-11-03 09:00:00"):
            form = Form(self.env["jecree.call.intake"].with_user(self.agent2))
            form.phone = "+33 (0)6 71 23 45 89"
            self.assertEqual(form.lead_id, lead)
            form.nature = "autre"
            form.notes = "Mme Quellecarpe précise son projet"
            form.save().action_save()
        # an intake opened for her and left unsaved
        self.env["jecree.call.intake"].with_user(self.agent2).create(
            {"phone": "0671234589", "email": EMAIL.upper()}
        )
        # --- 11:30: referred to the BGE, the slot sent as a request
        with freeze_time("2026-11-03 10:30:00"):
            action = lead.with_user(self.agent).action_jecree_refer()
            wizard = (
                self.env["jecree.referral.wizard"]
                .with_user(self.agent)
                .browse(action["res_id"])
            )
            wizard.line_ids.filtered(
                lambda line: line.antenna_id == self.bge_campagnes
            ).selected = True
            wizard.action_refer()
            slot = wizard.slot_ids.filtered(
                lambda slot: slot.start >= datetime(2026, 11, 5)
            )[:1]
            requested = slot.start
            slot.action_book()
        referral = lead.jecree_referral_ids
        self.assertEqual(referral.porteur_email, EMAIL)
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "jecree.referral"), ("res_id", "=", referral.id)]
            ),
            "the structure was mailed",
        )
        # --- 15:00: the adviser accepts in the portal and books the appointment
        with freeze_time("2026-11-03 14:00:00"):
            self.authenticate("jr_portal_bge", "jr_portal_bge")
            self.portal_post(referral, "accept")
            local = pytz.utc.localize(requested).astimezone(
                pytz.timezone(self.portal_bge.tz or "Europe/Paris")
            )
            self.portal_post(
                referral,
                "appointment",
                appointment_start=local.strftime("%Y-%m-%dT%H:%M"),
            )
            self.logout()
        self.assertEqual(referral.state, "rdv_fixe")
        event = referral.sudo().event_id
        self.assertIn(NAME, event.name)
        self.assertIn(lead.partner_id, event.partner_ids)
        self.assertTrue(
            self.env["ir.attachment"].search(
                [("res_model", "=", "jecree.referral"), ("res_id", "=", referral.id)]
            ),
            "the .ics",
        )
        # --- Thursday 12: the J+8 call-back, she is reached
        with freeze_time("2026-11-12 08:30:00"):
            self.call_back(
                lead,
                self.agent,
                appointments={referral: "kept"},
                outcome="reached",
                maturity="construction",
                duration=5,
                next_step=f"Rappeler {NAME} au {PHONE}",
                notes=f"{NAME} a vu la BGE",
            )
        self.assertEqual(referral.state, "honore", "kept, told at the call-back")
        # --- Friday 20: the adviser says the support started
        with freeze_time("2026-11-20 14:00:00"):
            self.authenticate("jr_portal_bge", "jr_portal_bge")
            self.portal_post(referral, "support")
            self.logout()
        self.assertEqual(referral.state, "accompagnement")
        # --- she asks what we hold on her (right of access)
        lead.with_user(self.agent).action_jecree_export_personal_data()
        hits, __ = self.scan()
        self.assertIn("crm_lead.contact_name", hits, "the scan finds her")
        return lead, referral

    def assert_erased(self, lead, referral, figures):
        hits, columns = self.scan()
        self.assertGreater(columns, 500, "every text column of the database is read")
        self.assertFalse(
            hits,
            f"{NAME}'s identity is left in {len(hits)} of the {columns} text columns "
            f"of the database: {hits}",
        )
        self.assertEqual(
            self.report._pack_figures(2026, 11), figures, "the figures stay"
        )
        self.assertTrue(lead.anonymized_date)
        self.assertEqual(
            (referral.state, bool(referral.date_kept), referral.antenna_id),
            ("accompagnement", True, self.bge_campagnes),
        )
        self.assertEqual(len(lead.with_context(active_test=False).phonecall_ids), 3)

    # ------------------------------------------------------------------ tests
    def test_erasure_on_request(self):
        lead, referral = self.live()
        figures = self.report._pack_figures(2026, 11)
        # what the export lists (right of access) is what the erasure erases
        action = lead.with_user(self.manager).action_jecree_export_personal_data()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        data = json.loads(base64.b64decode(attachment.datas))
        self.assertEqual(data["porteur"]["contact_name"], NAME)
        self.assertEqual(data["referrals"][0]["porteur_email"], EMAIL)
        listed = {kind for kind, rows in data.items() if rows} - {"porteur"}
        expected = {
            "calls",
            "contacts",
            "call_intakes",
            "referrals",
            "meetings",
            "referral_forms",
            "brochure_sendings",
            "emails",
            "messages",
            "tracking_values",
            "attachments",
            "activities",
        }
        self.assertLessEqual(expected, listed)

        lead.with_user(self.manager).action_jecree_erase_personal_data()
        self.assert_erased(lead, referral, figures)
        # the manager sees what was erased, as counts, in the porteur's chatter
        note = lead.message_ids
        self.assertEqual(len(note), 1)
        self.assertIn("Referrals: 1", note.body)
        self.assertIn("Meetings: 1", note.body)
        self.assertIn("Calls: 3", note.body)
        for label in (
            "Contacts: 1",
            "Brochure sendings: 1",
            "Emails: ",
            "Messages: ",
            "Attachments: ",
            "Activities: ",
            "Unsaved call forms: ",
        ):
            self.assertIn(label, note.body)

    def test_erasure_by_retention_cron(self):
        lead, referral = self.live()
        figures = self.report._pack_figures(2026, 11)
        with freeze_time("2030-01-05 02:00:00"):
            run_cron_method(self.env["crm.lead"]._cron_jecree_anonymize_expired)
        self.assert_erased(lead, referral, figures)
        self.assertIn("Personal data erased", lead.message_ids.body)
