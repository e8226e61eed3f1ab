# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytz
from lxml import html

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_portal import JecreePortalCase

#: a time with seconds, as the portal must never write one
WITH_SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")


@tagged("post_install", "-at_install")
class TestPortalDaily(JecreePortalCase):
    """What an adviser meets every day on the portal: the appointment's date and
    time prefilled in French, success messages, links to call or write to the
    porteur, cards on a phone, the count of new referrals on /my."""

    def page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response, html.fromstring(response.content)

    def visible_text(self, tree):
        for node in tree.xpath("//script|//style"):
            node.drop_tree()
        return tree.text_content()

    def paris_to_utc(self, day, hour, minute):
        """Naive UTC of a time in the structure's time zone (Paris here)."""
        return (
            self.referral_cma._jecree_tz()
            .localize(datetime.combine(day, time(hour, minute)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )

    def test_appointment_prefilled_in_structure_time(self):
        """The date and time fields hold the current appointment as the structure
        reads it (dd/mm/yyyy, hh:mm), even for an adviser set on New York; no time
        on the pages shows seconds."""
        self.portal_cma.tz = "America/New_York"
        referral = self.referral_cma
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        # no appointment yet: empty fields, the format said
        _response, tree = self.page(referral.access_url)
        (day_input,) = tree.xpath("//input[@name='appointment_date']")
        self.assertFalse(day_input.get("value"))
        self.assertEqual(day_input.get("placeholder"), "dd/mm/yyyy")
        day = date.today() + timedelta(days=20)
        start = self.paris_to_utc(day, 14, 30)
        referral._request_appointment(start, start + timedelta(hours=1))
        _response, tree = self.page(referral.access_url)
        (day_input,) = tree.xpath("//input[@name='appointment_date']")
        (time_input,) = tree.xpath("//input[@name='appointment_time']")
        self.assertEqual(day_input.get("value"), day.strftime("%d/%m/%Y"))
        self.assertEqual(time_input.get("value"), "14:30")
        self.assertEqual(day_input.get("type"), "text", "no mm/dd/yyyy picker")
        for field in (day_input, time_input):
            (label,) = tree.xpath(f"//label[@for='{field.get('id')}']")
            self.assertTrue(label.text_content().strip())
        text = self.visible_text(tree)
        self.assertIn("14:30", text)
        self.assertFalse(WITH_SECONDS.search(text), WITH_SECONDS.search(text))
        _response, tree = self.page("/my/referrals")
        text = self.visible_text(tree)
        self.assertIn("14:30", text)
        self.assertFalse(WITH_SECONDS.search(text), WITH_SECONDS.search(text))

    def test_french_date_and_time_book_the_appointment(self):
        """An adviser on New York types 08/12 and 10h30: 10:30 in Paris."""
        self.portal_cma.tz = "America/New_York"
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        day = date.today() + timedelta(days=15)
        response = self.post(
            self.referral_cma,
            "appointment",
            appointment_date=day.strftime("%d/%m/%Y"),
            appointment_time="10h30",
        )
        self.assertEqual(response.status_code, 200)
        referral = self.referral_cma
        self.assertEqual(referral.state, "rdv_fixe")
        self.assertEqual(referral.appointment_start, self.paris_to_utc(day, 10, 30))
        self.assertIn("The appointment is confirmed", response.text)

    def test_bad_dates_refused_nothing_written(self):
        day = date.today() + timedelta(days=15)
        good_day = day.strftime("%d/%m/%Y")
        cases = [
            ("", "10:00"),
            (good_day, ""),
            ("31/02/2030", "10:00"),
            ("15/13/2030", "10:00"),
            (good_day, "25:00"),
            (good_day, "10:75"),
            (day.strftime("%m/%d/%Y") if day.day > 12 else "13/13/2030", "10:00"),
            ("8 décembre 2030", "10:00"),
            (good_day, "10:00:00"),
            (good_day, "dix heures"),
            ("01/01/0001", "00:00"),
            ("9" * 5000, "10:00"),
            ("\x00", "\x00"),
            ((date.today() - timedelta(days=2)).strftime("%d/%m/%Y"), "10:00"),
        ]
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        referral = self.referral_cma
        Event = self.env["calendar.event"].sudo()
        for day_text, hour_text in cases:
            with self.subTest(day=day_text[:20], hour=hour_text):
                events = Event.search_count([])
                response = self.post(
                    referral,
                    "appointment",
                    appointment_date=day_text,
                    appointment_time=hour_text,
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("alert-danger", response.text)
                self.assertNotIn("alert-success", response.text)
                referral.invalidate_recordset()
                self.assertEqual(referral.state, "proposee")
                self.assertFalse(referral.appointment_start)
                self.assertEqual(Event.search_count([]), events)

    def test_success_message_after_each_action(self):
        referral = self.referral_cma
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        day = date.today() + timedelta(days=10)
        steps = [
            ("accept", {}, "The referral is accepted."),
            (
                "appointment",
                {
                    "appointment_date": day.strftime("%d/%m/%Y"),
                    "appointment_time": "9:15",
                },
                "The appointment is confirmed",
            ),
        ]
        for action, data, message in steps:
            with self.subTest(action=action):
                url = f"{referral.access_url}/{action}"
                data["csrf_token"] = self.csrf(referral.access_url)
                response = self.url_open(url, data=data, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                location = urlsplit(response.headers["Location"])
                self.assertEqual(parse_qs(location.query), {"message": [action]})
                _response, tree = self.page(response.headers["Location"])
                (alert,) = tree.xpath("//div[contains(@class, 'alert-success')]")
                self.assertIn(message, alert.text_content())
                self.assertEqual(alert.get("role"), "status")
        referral.appointment_start = datetime.now() - timedelta(minutes=5)
        for action, message, state in (
            ("not_kept", "recorded as not kept", "non_honore"),
        ):
            response = self.post(referral, action)
            self.assertEqual(referral.state, state)
            self.assertIn(message, response.text)
        # a declined referral says so too
        response = self.post(self.another_cma_referral(), "refuse", reason="Hors cible")
        self.assertIn("The referral is declined.", response.text)
        # a message is a key: any other text shows nothing
        for forged in ("<script>alert(1)</script>", "accepted!", ""):
            _response, tree = self.page(f"{referral.access_url}?message={forged}")
            self.assertFalse(tree.xpath("//div[contains(@class, 'alert-success')]"))

    def another_cma_referral(self):
        """A second referral of the CMA, still proposed."""
        return self.make_referral(self.make_porteur(name="Second"), self.cma_arras)

    def test_kept_says_so(self):
        referral = self.referral_cma
        start = datetime.now() + timedelta(days=1)
        referral._book_appointment(start, start + timedelta(hours=1))
        referral.appointment_start = datetime.now() - timedelta(minutes=5)
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        response = self.post(referral, "kept")
        self.assertEqual(referral.state, "honore")
        self.assertIn("The appointment is recorded as kept.", response.text)

    def test_phone_and_email_are_links(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        _response, tree = self.page(self.referral_cma.access_url)
        (phone,) = tree.xpath("//a[hasclass('o_jecree_porteur_phone')]")
        self.assertEqual(phone.get("href"), "tel:+33612345678")
        self.assertEqual(phone.text_content(), "+33 6 12 34 56 78")
        (email,) = tree.xpath("//a[hasclass('o_jecree_porteur_email')]")
        self.assertEqual(email.get("href"), "mailto:porteur@example.com")

    def test_cards_on_phones(self):
        """On a phone each referral is a card with its status; the table is for
        wider screens (Bootstrap's breakpoints; the phone tour measures it)."""
        second = self.another_cma_referral()
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        _response, tree = self.page("/my/referrals")
        (cards,) = tree.xpath("//ul[hasclass('o_jecree_referral_cards')]")
        self.assertIn("d-md-none", cards.get("class"))
        self.assertEqual(len(cards.xpath("./li")), 2)
        for card in cards.xpath("./li"):
            self.assertTrue(
                card.xpath(".//*[hasclass('o_jecree_referral_card_state')]")
            )
        names = {a.text_content() for a in cards.xpath(".//a")}
        self.assertEqual(names, {self.referral_cma.name, second.name})
        (table,) = tree.xpath("//table/..")
        self.assertIn("d-none", table.get("class").split())
        self.assertIn("d-md-block", table.get("class").split())

    def test_home_counts_new_referrals(self):
        second = self.another_cma_referral()
        self.referral_cma.action_accept()
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["jecree_referral_count", "jecree_referral_new_count"]},
        )
        self.assertEqual(counters["jecree_referral_count"], 2)
        self.assertEqual(counters["jecree_referral_new_count"], 1)
        second.action_accept()
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["jecree_referral_new_count"]}
        )
        self.assertEqual(counters["jecree_referral_new_count"], 0)
        _response, tree = self.page("/my")
        self.assertTrue(
            tree.xpath("//*[@data-placeholder_count='jecree_referral_new_count']")
        )
        # the BGE's adviser counts the BGE's only
        self.authenticate("jr_portal_bge", "jr_portal_bge")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["jecree_referral_new_count"]}
        )
        self.assertEqual(counters["jecree_referral_new_count"], 1)


@tagged("post_install", "-at_install")
class TestPortalCallNotes(JecreePortalCase):
    """The notes of the porteur's calls, for the adviser of the referral only: never
    another structure's porteur, whatever the route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Call = cls.env["crm.phonecall"]
        cls.call_cma = Call.create(
            {
                "name": "Information – Porteuse CMA",
                "opportunity_id": cls.lead_cma.id,
                "description": "Note CMA : boulangerie, local trouvé",
                "date": datetime(2026, 11, 30, 8, 5, 42),
            }
        )
        Call.create(
            {
                "name": "Information – Porteur BGE",
                "opportunity_id": cls.lead_bge.id,
                "description": "Note BGE : services à la personne",
            }
        )
        # a colleague of the CMA adviser, in the same structure
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Collègue CMA",
                "parent_id": cls.cma_arras.id,
                "jecree_is_adviser": True,
                "email": "collegue.cma@example.com",
            }
        )
        cls.portal_colleague = new_test_user(
            cls.env,
            login="jr_portal_colleague",
            password="jr_portal_colleague",
            groups="base.group_portal",
            partner_id=cls.colleague.id,
        )

    def test_adviser_reads_their_porteur_notes(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        response = self.url_open(self.referral_cma.access_url)
        self.assertIn("Note CMA : boulangerie, local trouvé", response.text)
        self.assertNotIn("Note BGE", response.text)
        # the call's date in the structure's time zone, without seconds
        self.assertIn("30 November 2026 09:05", response.text)
        self.assertNotIn("09:05:42", response.text)

    def test_no_notes_of_another_structure(self):
        self.authenticate("jr_portal_bge", "jr_portal_bge")
        response = self.url_open(self.referral_cma.access_url)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Note CMA", response.text)
        response = self.url_open(self.referral_bge.access_url)
        self.assertIn("Note BGE", response.text)
        self.assertNotIn("Note CMA", response.text)
        # the method itself, as the BGE's adviser on the CMA's referral
        referral = self.referral_cma.with_user(self.portal_bge)
        with self.assertRaises(AccessError):
            referral._jecree_porteur_call_notes()
        # nor the calls themselves
        with self.assertRaises(AccessError):
            self.call_cma.with_user(self.portal_bge).read(["description"])

    def test_no_notes_for_a_colleague_or_once_declined(self):
        self.authenticate("jr_portal_colleague", "jr_portal_colleague")
        response = self.url_open(self.referral_cma.access_url)
        self.assertEqual(response.status_code, 200, "the structure's referral")
        self.assertNotIn("Note CMA", response.text, "not the referral's adviser")
        self.assertEqual(
            self.referral_cma.with_user(
                self.portal_colleague
            )._jecree_porteur_call_notes(),
            [],
        )
        self.referral_cma.action_refuse("Hors artisanat")
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        response = self.url_open(self.referral_cma.access_url)
        self.assertNotIn("Note CMA", response.text)
