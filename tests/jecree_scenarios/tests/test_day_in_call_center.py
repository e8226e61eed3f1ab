# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime

import pytz
from freezegun import freeze_time

from odoo.tests import Form, HttpCase, tagged

from odoo.addons.jecree_followup.tests.common import run_cron_method

from .common import JecreeScenarioMixin


@tagged("post_install", "-at_install")
class TestDayInCallCenter(JecreeScenarioMixin, HttpCase):
    """Tuesday 3 November 2026 in the call center, then its J+8 call-backs (Wednesday
    11 November is a public holiday: they fall on Thursday 12) and the month's pack."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_call_center()

    def porteurs(self):
        return self.env["crm.lead"].search([("is_porteur", "=", True)])

    def test_day_in_call_center(self):
        Lead = self.env["crm.lead"]
        Call = self.env["crm.phonecall"]
        porteurs_before = len(self.porteurs())
        last_call_id = Call.search([], order="id desc", limit=1).id or 0
        creation_brochure = self.env.ref("jecree_followup.jecree_brochure_creation")

        # --- 09:05, a first caller: a shop in Lille; she wants the brochure
        with freeze_time("2026-11-03 08:05:00"):
            __, action = self.intake(
                self.agent,
                phone="06 11 22 33 44",
                contact_name="Amélie Commerce",
                email="amelie.commerce@example.com",
                zip_code="59000",
                project_kind="creation",
                sector="commerce",
                nature="information",
                duration=7,
                consent=True,
                send_brochure=True,
            )
        amelie = Lead.browse(action["res_id"])
        self.assertEqual(amelie.phone_sanitized, "+33611223344")
        self.assertEqual(amelie.city, "Lille")
        self.assertEqual(len(amelie.brochure_sending_ids), 1)
        self.assertEqual(amelie.brochure_sending_ids.brochure_id, creation_brochure)
        # the intake queued it; the cron, started at once, builds the email
        self.assertEqual(amelie.brochure_sending_ids.state, "queued")
        run_cron_method(
            self.env["jecree.brochure.sending"]._cron_jecree_prepare_brochures
        )
        self.assertEqual(
            amelie.brochure_sending_ids.mail_id.email_to, "amelie.commerce@example.com"
        )

        # --- 09:40, a prank call, then 10:10 a wrong number: no porteur
        with freeze_time("2026-11-03 08:40:00"):
            __, action = self.intake(
                self.agent, phone="09 00 00 00 01", qualification="plaisantin"
            )
        self.assertEqual(action["tag"], "display_notification")
        with freeze_time("2026-11-03 09:10:00"):
            self.intake(self.agent2, qualification="erreur", duration=0.5)

        # --- 10:30, a services project in Agnières (62), referred to the BGE
        with freeze_time("2026-11-03 09:30:00"):
            __, action = self.intake(
                self.agent2,
                phone="03 21 55 66 77",
                contact_name="Bruno Services",
                email="bruno.services@example.com",
                zip_code="62690",
                commune_id=self.village,  # 62690 has several communes
                project_kind="creation",
                sector="services",
                nature="orientation",
                duration=9,
            )
        bruno = Lead.browse(action["res_id"])
        self.assertEqual(bruno.commune_id, self.village)

        # --- 11:15, a take-over in Arras, by email only
        with freeze_time("2026-11-03 10:15:00"):
            __, action = self.intake(
                self.agent,
                contact_name="Chloé Artisanat",
                email="chloe.artisanat@example.com",
                zip_code="62000",
                project_kind="reprise",
                sector="artisanat",
                nature="financement",
                duration=12,
            )
        chloe = Lead.browse(action["res_id"])
        self.assertEqual(len(self.porteurs()), porteurs_before + 3)

        # --- 11:30, the agent refers Bruno: the BGE keeps no calendar in Odoo, the
        # slot chosen while he is on the line is sent to it as a request
        with freeze_time("2026-11-03 10:30:00"):
            action = bruno.with_user(self.agent2).action_jecree_refer()
            wizard = (
                self.env["jecree.referral.wizard"]
                .with_user(self.agent2)
                .browse(action["res_id"])
            )
            line = wizard.line_ids.filtered(
                lambda line: line.antenna_id == self.bge_campagnes
            )
            self.assertTrue(line, "the BGE of his EPCI is suggested")
            line.selected = True
            wizard.action_refer()
            self.assertFalse(wizard.keeps_calendar)
            self.assertEqual(wizard.adviser_id, self.adviser_bge)
            slot = wizard.slot_ids.filtered(
                lambda slot: slot.start >= datetime(2026, 11, 5)
            )[:1]
            self.assertTrue(slot, "free slots in the next opening days")
            requested = slot.start
            slot.action_book()
        referral = bruno.jecree_referral_ids
        self.assertEqual(len(referral), 1)
        self.assertEqual(
            (referral.state, referral.structure_id, referral.antenna_id),
            ("proposee", self.bge, self.bge_campagnes),
        )
        self.assertTrue(referral.appointment_requested)
        self.assertEqual(referral.appointment_start, requested)
        self.assertFalse(referral.event_id)
        structure_mails = self.env["mail.mail"].search(
            [("model", "=", "jecree.referral"), ("res_id", "=", referral.id)]
        )
        self.assertIn(self.adviser_bge, structure_mails.recipient_ids)
        self.assertTrue(
            any(referral.access_url in mail.body_html for mail in structure_mails)
        )

        # --- 15:00, the BGE adviser accepts in the portal and confirms the slot
        with freeze_time("2026-11-03 14:00:00"):
            self.authenticate("jr_portal_bge", "jr_portal_bge")
            response = self.portal_post(referral, "accept")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(referral.state, "acceptee")
            self.assertEqual(referral.date_accepted, datetime(2026, 11, 3, 14, 0))
            # typed in the structure's time zone, whatever the adviser's
            local = pytz.utc.localize(requested).astimezone(referral._jecree_tz())
            self.portal_post(
                referral,
                "appointment",
                appointment_start=local.strftime("%Y-%m-%dT%H:%M"),
            )
            self.assertEqual(referral.state, "rdv_fixe")
            event = referral.sudo().event_id
            self.assertEqual(event.start, requested)
            self.assertEqual(event.partner_ids, bruno.partner_id | self.adviser_bge)
            self.logout()

        # --- 17:00, Amélie calls again, her number typed another way: same porteur,
        # the brochure already sent is not sent twice
        with freeze_time("2026-11-03 16:00:00"):
            form = Form(self.env["jecree.call.intake"].with_user(self.agent2))
            form.phone = "+33 (0)6.11.22.33.44"
            self.assertEqual(form.lead_id, amelie, "recognised by her phone")
            self.assertEqual(form.sector, "commerce", "what we know is shown")
            form.nature = "autre"  # a second call, not a new request
            form.send_brochure = True
            action = form.save().action_save()
        self.assertEqual(action["res_id"], amelie.id)
        self.assertEqual(len(self.porteurs()), porteurs_before + 3, "no duplicate")
        self.assertEqual(len(amelie.phonecall_ids), 2)
        self.assertEqual(amelie.phonecall_ids.user_id, self.agent | self.agent2)
        self.assertEqual(len(amelie.brochure_sending_ids), 1, "sent once")
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("email_to", "=", "amelie.commerce@example.com")]
            ),
            1,
        )

        # the day: 6 incoming calls, of which 2 without porteur
        day_calls = Call.search([("id", ">", last_call_id)])
        self.assertEqual(len(day_calls), 6)
        self.assertEqual(set(day_calls.mapped("direction")), {"in"})
        without_porteur = day_calls.filtered(lambda call: not call.opportunity_id)
        self.assertEqual(
            sorted(without_porteur.mapped("qualification")), ["erreur", "plaisantin"]
        )

        # --- J+8: Wednesday 11 November is closed, the call-backs are on the 12th,
        # each with the agent who took the porteur's first call
        callbacks = self.callbacks(amelie | bruno | chloe)
        self.assertEqual(len(callbacks), 3, "one call-back a porteur")
        self.assertEqual(
            {(a.res_id, a.date_deadline, a.user_id) for a in callbacks},
            {
                (amelie.id, date(2026, 11, 12), self.agent),
                (bruno.id, date(2026, 11, 12), self.agent2),
                (chloe.id, date(2026, 11, 12), self.agent),
            },
        )
        with freeze_time("2026-11-12 08:30:00"):
            # Bruno is reached: he went to the BGE, which is recorded on the
            # referral (the BGE adviser had not said it yet)
            self.call_back(
                bruno,
                self.agent2,
                outcome="reached",
                appointments={referral: "kept"},
                maturity="construction",
                duration=5,
            )
            # Chloé is not: tried again on the next opening day, Friday 13
            self.call_back(chloe, self.agent, outcome="not_reached", duration=1)
        self.assertEqual(referral.state, "honore")
        self.assertEqual(referral.date_kept, datetime(2026, 11, 12, 8, 30))
        self.assertEqual(bruno.callback_state, "reached")
        self.assertEqual(bruno.maturity, "construction")
        self.assertFalse(self.callbacks(bruno))
        self.assertEqual(chloe.callback_state, "planned")
        retry = self.callbacks(chloe)
        self.assertEqual(len(retry), 1)
        self.assertEqual(
            (retry.date_deadline, retry.user_id), (date(2026, 11, 13), self.agent)
        )
        self.assertEqual(self.callbacks(amelie).date_deadline, date(2026, 11, 12))

        # --- the month's pack, as the manager downloads it
        book = self.render_pack(2026, 11)
        head, sectors = self.activity_table(book)
        self.assertEqual(head, (6, 3, 0.33, 2), "6 calls, 3 requests, 2 errors")
        self.assertEqual(
            sectors,
            [
                ["Commerce", 0.33, 1],
                ["Services", 0.33, 1],
                ["Artisanat", 0.33, 1],
                ["Industrie", 0, 0],
            ],
        )
        callbacks = self.callback_table(book)
        self.assertEqual(callbacks["Call-backs due in the month"], 4, "3 + the retry")
        self.assertEqual(callbacks["Call-backs done"], 2)
        self.assertEqual(callbacks["Call-backs done: Reached"], 1)
        self.assertEqual(callbacks["Call-backs done: Not reached"], 1)
        self.assertEqual(callbacks["Call-backs done: no outcome recorded"], 0)
        self.assertEqual(callbacks["Appointments of the month: kept"], 1)
        self.assertEqual(callbacks["Appointments of the month: not kept"], 0)
        self.assertEqual(callbacks["Appointments of the month: not recorded yet"], 0)
