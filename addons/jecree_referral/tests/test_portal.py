# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import re
from datetime import date, datetime, time, timedelta

import pytz
from freezegun import freeze_time
from lxml import html

from odoo.tests import HttpCase, tagged

from .common import JecreeReferralMixin


class JecreePortalCase(JecreeReferralMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.lead_cma = cls.make_porteur(name="Porteuse CMA", naf_code="1071C")
        cls.lead_bge = cls.make_porteur(name="Porteur BGE", sector="services")
        cls.referral_cma = cls.make_referral(
            cls.lead_cma, cls.cma_arras, adviser_id=cls.adviser_cma.id
        )
        cls.referral_bge = cls.make_referral(cls.lead_bge, cls.bge_campagnes)

    def csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def post(self, referral, action, **data):
        url = f"/my/referrals/{referral.id}"
        data["csrf_token"] = self.csrf(url)
        return self.url_open(f"{url}/{action}", data=data)


@tagged("post_install", "-at_install")
class TestPortal(JecreePortalCase):
    def test_list_search_sort_and_count(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        page = self.url_open("/my/referrals")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.referral_cma.name, page.text)
        self.assertNotIn(self.referral_bge.name, page.text)
        page = self.url_open("/my/referrals?search=Nobody&search_in=porteur")
        self.assertNotIn(self.referral_cma.name, page.text)
        page = self.url_open("/my/referrals?search=Porteuse&sortby=porteur")
        self.assertIn(self.referral_cma.name, page.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["jecree_referral_count"]}
        )
        self.assertEqual(counters["jecree_referral_count"], 1)

    def test_detail_shows_limited_porteur_data(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        page = self.url_open(self.referral_cma.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Porteuse CMA", page.text)
        self.assertIn("Agnières", page.text)
        self.assertIn("1 rue des Artisans", page.text)
        # what the structure does not need is not shown
        self.assertNotIn("1071C", page.text)
        self.assertNotIn(self.lead_cma.name, page.text)

    def test_adviser_works_the_referral(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        referral = self.referral_cma
        self.post(referral, "accept")
        self.assertEqual(referral.state, "acceptee")
        self.assertTrue(referral.date_accepted)
        # a decline without reason is refused with a message, nothing written
        response = self.post(referral, "refuse", reason=" ")
        self.assertIn("Give the reason for declining", response.text)
        self.assertEqual(referral.state, "acceptee")
        # a bad date is refused, a good one sets the appointment
        response = self.post(referral, "appointment", appointment_start="demain")
        self.assertIn("Give the date and time", response.text)
        when = (datetime.now() + timedelta(days=3)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        self.post(
            referral, "appointment", appointment_start=when.strftime("%Y-%m-%dT%H:%M")
        )
        self.assertEqual(referral.state, "rdv_fixe")
        self.assertTrue(referral.sudo().event_id)
        self.assertIn(self.lead_cma.partner_id, referral.sudo().event_id.partner_ids)
        confirmation = self.env["mail.mail"].search(
            [
                ("model", "=", "jecree.referral"),
                ("res_id", "=", referral.id),
                ("recipient_ids", "in", self.lead_cma.partner_id.ids),
            ]
        )
        self.assertEqual(confirmation.attachment_ids.name, "rendez-vous.ics")
        # once the appointment has started, the adviser says it was kept
        with freeze_time(referral.appointment_start + timedelta(minutes=5)):
            self.post(referral, "kept")
            self.assertEqual(referral.state, "honore")
            self.post(referral, "support")
        self.assertEqual(referral.state, "accompagnement")
        self.assertTrue(referral.date_support)

    def kept_forms(self, referral):
        page = self.url_open(referral.access_url)
        self.assertEqual(page.status_code, 200)
        return {
            form.get("action").rsplit("/", 1)[1]: form
            for form in html.fromstring(page.content).xpath("//form")
            if form.get("action").endswith(("/kept", "/not_kept"))
        }, page.text

    def test_kept_only_once_the_appointment_started(self):
        """The bug: an adviser could say the appointment was kept (or not) before
        it took place, with one click. Now the buttons show once it has started,
        each asks for confirmation, and the route refuses an early POST."""
        referral = self.referral_cma
        start = datetime(2026, 12, 8, 9, 0)
        with freeze_time("2026-12-07 08:00:00"):
            referral._book_appointment(start, start + timedelta(hours=1))
            self.authenticate("jr_portal_cma", "jr_portal_cma")
            forms, text = self.kept_forms(referral)
            self.assertFalse(forms, "no kept / not kept button before the start")
            self.assertIn("once it has started", text)
            for action in ("kept", "not_kept"):
                response = self.post(referral, action)
                self.assertIn("has not started yet", response.text)
                self.assertEqual(referral.state, "rdv_fixe")
            self.assertFalse(referral.date_kept or referral.date_not_kept)
        with freeze_time("2026-12-08 09:10:00"):
            forms, text = self.kept_forms(referral)
            self.assertEqual(set(forms), {"kept", "not_kept"})
            self.assertNotIn("once it has started", text)
            for form in forms.values():
                self.assertIn("confirm(", form.get("onsubmit"))
                self.assertIn("Record that the porteur", form.get("data-confirm"))
            self.post(referral, "not_kept")
            self.assertEqual(referral.state, "non_honore")
            self.assertEqual(referral.date_not_kept, datetime(2026, 12, 8, 9, 10))

    def test_adviser_declines(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        self.post(self.referral_cma, "refuse", reason="Projet hors artisanat")
        self.assertEqual(self.referral_cma.state, "refusee")
        self.assertEqual(self.referral_cma.refusal_reason, "Projet hors artisanat")

    def test_structure_without_calendar_confirms_the_request(self):
        referral = self.referral_bge
        start = (datetime.now() + timedelta(days=2)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        referral._request_appointment(start, start + timedelta(hours=1))
        self.authenticate("jr_portal_bge", "jr_portal_bge")
        page = self.url_open(referral.access_url)
        self.assertIn("requested, to confirm", page.text)
        moved = start + timedelta(days=1)
        self.post(
            referral, "appointment", appointment_start=moved.strftime("%Y-%m-%dT%H:%M")
        )
        self.assertEqual(referral.state, "rdv_fixe")
        event = referral.sudo().event_id
        self.assertTrue(event)
        self.assertEqual(event.partner_ids, self.lead_bge.partner_id | self.adviser_bge)


@tagged("post_install", "-at_install")
class TestAppointmentTimeZone(JecreePortalCase):
    """An appointment's times are the structure's local times on every screen,
    mail, .ics and portal page, whatever the viewer's own time zone."""

    def structure_tz(self):
        """The CMA antenna's time zone: its calendar's (the structure's, else the
        company's)."""
        return self.cma_arras._jecree_calendar()._jecree_tz()

    def test_agent_on_utc_books_the_structure_local_hour(self):
        self.agent.tz = "UTC"
        self.portal_cma.tz = "America/New_York"
        lead = self.make_porteur(name="Porteuse Heure").with_user(self.agent)
        wizard = (
            self.env["jecree.referral.wizard"]
            .with_user(self.agent)
            .browse(lead.action_jecree_refer()["res_id"])
        )
        wizard.line_ids.filtered(
            lambda line: line.antenna_id == self.cma_arras
        ).selected = True
        wizard.action_refer()
        slot = wizard.slot_ids[0]
        tz = self.structure_tz()
        local = pytz.utc.localize(slot.start).astimezone(tz)
        hour = local.strftime("%H:%M")  # 09:00 Paris on a morning, 08:00 in UTC
        self.assertNotEqual(hour, slot.start.strftime("%H:%M"))
        self.assertIn(hour, slot.name, "the slot the agent reads to the caller")
        slot.action_book()
        referral = lead.jecree_referral_ids.sudo()
        self.assertEqual(referral.appointment_start, slot.start)
        self.assertEqual(referral.appointment_tz, tz.zone)
        self.assertIn(hour, referral.appointment_label)
        self.assertIn(
            hour,
            referral.with_user(self.agent).appointment_label,
            "the back office's label, for an agent on UTC",
        )
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "jecree.referral"),
                ("res_id", "=", referral.id),
                ("recipient_ids", "in", referral.porteur_partner_id.ids),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(referral.appointment_label, str(mail.body_html))
        ics = base64.b64decode(mail.attachment_ids.datas).decode()
        dtstart = re.search(r"DTSTART:(\d{8}T\d{6}Z)", ics).group(1)
        self.assertEqual(
            pytz.utc.localize(datetime.strptime(dtstart, "%Y%m%dT%H%M%SZ"))
            .astimezone(tz)
            .strftime("%H:%M"),
            hour,
            "the .ics: UTC that calendars show as the structure's hour",
        )
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        page = self.url_open(referral.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(referral.appointment_label, page.text)
        page = self.url_open("/my/referrals")
        self.assertIn(referral.appointment_label, page.text)

    def test_adviser_types_the_structure_local_time(self):
        """An adviser whose own setting is New York types 10:30: 10:30 in Paris."""
        self.portal_cma.tz = "America/New_York"
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        day = date.today() + timedelta(days=30)
        self.post(
            self.referral_cma,
            "appointment",
            appointment_start=f"{day.isoformat()}T10:30",
        )
        referral = self.referral_cma
        self.assertEqual(referral.state, "rdv_fixe")
        expected = (
            self.structure_tz()
            .localize(datetime.combine(day, time(10, 30)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        self.assertEqual(referral.appointment_start, expected)
        self.assertIn("10:30", referral.appointment_label)
