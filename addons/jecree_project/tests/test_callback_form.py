# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import timedelta

import pytz
from lxml import html

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.jecree_callback_request import PRIVACY_NOTICE_VERSION
from .common import load_french

URL = "/jecree/rappel"
GOOD = {
    "contact_name": "Léa Martin",
    "phone": "06 12 34 56 78",
    "email": "lea.martin@example.com",
    "zip_code": "59000",
    "project_kind": "creation",
    "sector": "commerce",
    "notes": "Ouverture d'une épicerie",
    "slot": "asap",
    "consent": "on",
}


class CallbackFormMixin:
    """Posts to the public form as an anonymous visitor, and what they wrote."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.env = cls.env(context=dict(cls.env.context, lang="fr_FR"))
        cls.calendar = cls.env.company.jecree_calendar_id
        cls.agent = new_test_user(
            cls.env,
            login="jc_web_agent",
            name="Agent Web",
            groups="jecree_project.group_jecree_agent",
        )
        # the team leader, and its only member (jecree_followup shares the
        # requests out among the members)
        cls.env.company.jecree_team_id.write(
            {"user_id": cls.agent.id, "member_ids": [(6, 0, cls.agent.ids)]}
        )
        cls.web_source = cls.env.ref("jecree_project.utm_source_web_form")
        cls.activity_type = cls.env.ref(
            "jecree_project.mail_activity_type_callback_request"
        )

    def setUp(self):
        super().setUp()
        # one address posts every request of these tests: the limit has its test
        self.env["ir.config_parameter"].set_param(
            "jecree_project.web_form_rate_limit", 10000
        )

    def csrf(self):
        page = self.url_open(URL)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]

    def post(self, values, token=True, **kwargs):
        data = dict(values)
        if token is True:
            data["csrf_token"] = self.csrf()
        elif token:
            data["csrf_token"] = token
        data.setdefault("consent_version", PRIVACY_NOTICE_VERSION)
        return self.url_open(URL, data=data, allow_redirects=False, **kwargs)

    def snapshot(self):
        """What a request may write, counted (archived records too)."""
        env = self.env(context=dict(self.env.context, active_test=False))
        counts = {
            model: env[model].search_count([])
            for model in (
                "crm.lead",
                "crm.phonecall",
                "mail.activity",
                "jecree.callback.request",
                "res.partner",
                "mail.mail",
            )
        }
        counts["messages on porteurs"] = env["mail.message"].search_count(
            [("model", "=", "crm.lead")]
        )
        return counts

    def errors_of(self, response):
        tree = html.fromstring(response.content)
        return " ".join(tree.xpath("//*[@id='jc_errors']//li//text()"))

    def typed(self, response, fname):
        tree = html.fromstring(response.content)
        return tree.xpath(f"//*[@name='{fname}']/@value")


@tagged("post_install", "-at_install")
class TestCallbackForm(CallbackFormMixin, HttpCase):
    """The public form "Être rappelé par un conseiller" over HTTP, anonymous."""

    def test_form_page(self):
        page = self.url_open(URL)
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.content)
        self.assertEqual(tree.xpath("//html/@lang"), ["fr"])
        self.assertEqual(
            tree.xpath("normalize-space(//h1)"), "Être rappelé par un conseiller"
        )
        form = tree.xpath("//form[@method='post']")[0]
        self.assertEqual(form.get("action"), URL)
        self.assertTrue(form.xpath(".//input[@name='csrf_token']/@value")[0])
        # every field a person fills has a label
        fields_ = form.xpath(".//input[not(@type='hidden')] | .//select | .//textarea")
        self.assertGreaterEqual(len(fields_), 9)
        for field in fields_:
            labels = form.xpath(f".//label[@for='{field.get('id')}']")
            self.assertEqual(len(labels), 1, field.get("name"))
            self.assertTrue(labels[0].text_content().strip(), field.get("name"))
        notice = tree.xpath("normalize-space(//*[@id='jc_notice'])")
        self.assertIn("CNIL", notice)
        self.assertIn("36 mois", notice)
        slots = form.xpath(".//select[@name='slot']/option/@value")
        self.assertEqual(slots[0], "asap")
        self.assertEqual(len(slots), 11)

    def test_good_request(self):
        before = self.snapshot()
        response = self.post(GOOD)
        self.assertEqual(response.status_code, 303, self.errors_of(response))
        self.assertTrue(response.headers["Location"].endswith("/jecree/rappel/merci"))
        lead = self.env["crm.lead"].search([("contact_name", "=", "Léa Martin")])
        self.assertEqual(len(lead), 1)
        self.assertTrue(lead.is_porteur)
        self.assertEqual(lead.phone_sanitized, "+33612345678")
        self.assertEqual(lead.email_from, "lea.martin@example.com")
        self.assertEqual(lead.commune_id.name, "Lille")
        self.assertEqual(lead.source_id, self.web_source)
        self.assertEqual((lead.project_kind, lead.sector), ("creation", "commerce"))
        self.assertTrue(lead.consent)
        self.assertTrue(lead.consent_date)
        self.assertEqual(lead.team_id, self.env.company.jecree_team_id)
        self.assertFalse(lead.user_id)
        # not a call: no crm.phonecall, hence no J+8 call-back either
        self.assertFalse(lead.phonecall_ids)
        after = self.snapshot()
        self.assertEqual(after["crm.phonecall"], before["crm.phonecall"])
        request = self.env["jecree.callback.request"].search(
            [("lead_id", "=", lead.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.consent_version, PRIVACY_NOTICE_VERSION)
        __, notice = self.env["crm.lead"].jecree_privacy_notice()
        self.assertEqual(request.consent_text, notice)
        self.assertIn("CNIL", request.consent_text)
        self.assertEqual(request.source_id, self.web_source)
        activity = request.activity_id
        self.assertEqual(activity.activity_type_id, self.activity_type)
        self.assertEqual((activity.res_model, activity.res_id), ("crm.lead", lead.id))
        self.assertEqual(activity.user_id, self.agent)
        self.assertIn("épicerie", activity.note)
        # due at an opening hour: on an opening day, within the opening hours
        self.assert_opening_moment(request.due_date)
        self.assertGreaterEqual(
            request.due_date, fields.Datetime.now() - timedelta(minutes=5)
        )
        self.assertEqual(
            activity.date_deadline, self.calendar._jecree_local_date(request.due_date)
        )
        # the consent can be proven from the porteur's chatter
        message = lead.message_ids.filtered(lambda m: "CNIL" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(PRIVACY_NOTICE_VERSION, message.body)
        # the thank-you page tells when
        thanks = self.url_open("/jecree/rappel/merci")
        self.assertIn("vous rappelle à partir du", thanks.text)

    def assert_opening_moment(self, due):
        tz = self.calendar._jecree_tz()
        start = pytz.utc.localize(due).astimezone(tz)
        intervals = self.calendar._work_intervals_batch(
            start - timedelta(minutes=1), start + timedelta(minutes=1)
        )[False]
        self.assertTrue(list(intervals), f"{start} is not an opening hour")

    def test_slot_asked_and_closure(self):
        """The half-day asked for; a closure entered meanwhile moves it to the
        next opening hour."""
        slots = self.env["jecree.callback.request"]._jecree_offered_slots()
        value = slots[3][0]  # a later half-day
        day = fields.Date.to_date(value[:10])
        response = self.post(dict(GOOD, slot=value))
        self.assertEqual(response.status_code, 303, self.errors_of(response))
        request = self.env["jecree.callback.request"].search([], limit=1)
        self.assertEqual(request.preferred_day, day)
        local = self.calendar._jecree_local_date(request.due_date)
        self.assertEqual(local, day)
        hour = pytz.utc.localize(request.due_date).astimezone(
            self.calendar._jecree_tz()
        )
        self.assertEqual(hour.hour < 12, value.endswith(":am"))
        self.assert_opening_moment(request.due_date)
        # that day becomes a company closure: the next request goes further
        start, stop = self.env.company._jecree_day_bounds(day, day)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Fermeture",
                "company_id": self.env.company.id,
                "calendar_id": False,
                "date_from": start,
                "date_to": stop - timedelta(seconds=1),
                "time_type": "leave",
            }
        )
        self.env.registry.clear_cache()
        response = self.post(dict(GOOD, slot=value, phone="06 99 88 77 66"))
        self.assertEqual(response.status_code, 303, self.errors_of(response))
        moved = self.env["jecree.callback.request"].search([], limit=1)
        self.assertNotEqual(moved, request)
        self.assertGreater(self.calendar._jecree_local_date(moved.due_date), day)
        self.assert_opening_moment(moved.due_date)

    def test_several_communes(self):
        before = self.snapshot()
        response = self.post(dict(GOOD, zip_code="62000"))
        self.assertEqual(response.status_code, 422)
        self.assertIn("Plusieurs communes", self.errors_of(response))
        tree = html.fromstring(response.content)
        options = tree.xpath("//select[@name='commune_id']/option/text()")
        self.assertIn("Arras", options)
        self.assertIn("Dainville", options)
        self.assertEqual(self.snapshot(), before)
        arras = self.env.ref("jecree_project.res_city_fr_62041")
        response = self.post(dict(GOOD, zip_code="62000", commune_id=str(arras.id)))
        self.assertEqual(response.status_code, 303, self.errors_of(response))
        lead = self.env["crm.lead"].search([("contact_name", "=", "Léa Martin")])
        self.assertEqual(lead.commune_id, arras)

    def test_bad_inputs(self):
        """Each bad value: the form again (422) with the French message and what
        was typed, nothing written."""
        arras = self.env.ref("jecree_project.res_city_fr_62041")
        cases = [
            ("contact_name", "", "Indiquez votre nom"),
            ("contact_name", "\x00  ", "Indiquez votre nom"),
            ("contact_name", "L" * 101, "101 caractères"),
            ("phone", "", "Indiquez le numéro"),
            ("phone", "12", "n'est pas valide"),
            ("phone", "0" * 31, "31 caractères"),
            ("email", "lea@", "L'adresse e-mail lea@ n'est pas valide"),
            ("zip_code", "", "Indiquez votre code postal"),
            ("zip_code", "99999", "Le code postal 99999 est inconnu"),
            ("commune_id", str(arras.id), "Choisissez votre commune"),
            ("commune_id", "abc", "Choisissez votre commune"),
            ("project_kind", "", "Choisissez le type de projet"),
            ("project_kind", "franchise", "Choisissez le type de projet"),
            ("sector", "<script>", "Choisissez le secteur"),
            ("notes", "n" * 2001, "2001 caractères"),
            ("slot", "", "Choisissez quand"),
            ("slot", "demain", "Choisissez quand"),
            ("slot", "2020-01-06:am", "Choisissez quand"),
            ("slot", "2026-13-01:am", "Choisissez quand"),
            ("consent", "", "Cochez la case"),
            ("consent_version", "2020-01-01", "La notice"),
        ]
        for fname, value, message in cases:
            with self.subTest(field=fname, value=value[:20]):
                before = self.snapshot()
                response = self.post(dict(GOOD, **{fname: value}))
                self.assertEqual(response.status_code, 422)
                self.assertIn(message, self.errors_of(response))
                self.assertEqual(self.snapshot(), before)
                # what was typed is kept
                if fname != "contact_name":
                    self.assertEqual(
                        self.typed(response, "contact_name"), ["Léa Martin"]
                    )
                if fname != "phone":
                    self.assertEqual(self.typed(response, "phone"), ["06 12 34 56 78"])

    def test_honeypot(self):
        before = self.snapshot()
        response = self.post(dict(GOOD, website="http://spam.example.com"))
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.snapshot(), before)

    def test_rate_limit(self):
        before = self.snapshot()
        # the limit is a setting (10 by default)
        self.env["ir.config_parameter"].set_param(
            "jecree_project.web_form_rate_limit", 3
        )
        token = self.csrf()
        for __ in range(3):
            response = self.post(dict(GOOD, phone="12"), token=token)
            self.assertEqual(response.status_code, 422)
        response = self.post(GOOD, token=token)
        self.assertEqual(response.status_code, 429)
        self.assertIn("Trop de demandes", response.text)
        self.assertTrue(response.headers.get("Retry-After"))
        self.assertEqual(self.snapshot(), before)
        # no address is stored as it is
        rows = self.env["jecree.web.rate.limit"].search([])
        self.assertEqual(rows.mapped("count"), [4])
        self.assertNotIn("127.0.0.1", rows.key)

    def test_csrf_refused(self):
        self.csrf()  # the visitor has a session
        forged = "0" * 40 + "o9999999999"
        for kind, token in (("missing", None), ("forged", forged)):
            with self.subTest(token=kind):
                before = self.snapshot()
                response = self.post(GOOD, token=token)
                self.assertEqual(response.status_code, 400)
                self.assertIn("ouverte trop longtemps", self.errors_of(response))
                self.assertEqual(self.typed(response, "contact_name"), ["Léa Martin"])
                self.assertEqual(self.snapshot(), before)

    def test_too_large(self):
        before = self.snapshot()
        response = self.post(dict(GOOD, notes="n" * 40000))
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self.snapshot(), before)
        # the largest body is a setting (32 KB by default)
        self.env["ir.config_parameter"].set_param("jecree_project.web_form_max_kb", 1)
        response = self.post(dict(GOOD, notes="n" * 2000))
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self.snapshot(), before)
        self.env["ir.config_parameter"].set_param("jecree_project.web_form_max_kb", 64)
        response = self.post(dict(GOOD, notes="n" * 40000))
        self.assertNotEqual(response.status_code, 413)

    def test_limits_in_the_settings(self):
        """The form's limits are managed in the settings; a wrong value is refused
        there, and one written around them falls back to the default."""
        RateLimit = self.env["jecree.web.rate.limit"]
        Param = self.env["ir.config_parameter"]
        Param.set_param("jecree_project.web_form_rate_limit", False)
        Param.set_param("jecree_project.web_form_max_kb", False)
        self.assertEqual(RateLimit._jecree_form_limits(), (10, 32 * 1024))
        settings = self.env["res.config.settings"].create(
            {"jecree_web_form_rate_limit": 5, "jecree_web_form_max_kb": 16}
        )
        settings.execute()
        self.assertEqual(RateLimit._jecree_form_limits(), (5, 16 * 1024))
        for values in (
            {"jecree_web_form_rate_limit": 0},
            {"jecree_web_form_max_kb": 0},
            {"jecree_web_form_max_kb": 5000},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create(values)
        for wrong in ("-3", "abc", "0"):
            Param.set_param("jecree_project.web_form_rate_limit", wrong)
            self.assertEqual(RateLimit._jecree_form_limits()[0], 10)

    def test_returning_porteur(self):
        """A porteur known by phone asks again in another phone format: the same
        porteur, filled in where empty, not changed where recorded."""
        radio = self.env.ref("jecree_project.utm_source_radio")
        known = (
            self.env["crm.lead"]
            .with_user(self.agent)
            .jecree_log_call(
                {
                    "phone": "06 12 34 56 78",
                    "contact_name": "Léa Martin",
                    "email": "lea@example.com",
                    "source_id": radio.id,
                    "nature": "information",
                }
            )
        )
        lead = self.env["crm.lead"].browse(known["lead_id"])
        leads = self.env["crm.lead"].search_count([])
        response = self.post(dict(GOOD, phone="+33 6 12 34 56 78"))
        self.assertEqual(response.status_code, 303, self.errors_of(response))
        self.assertEqual(self.env["crm.lead"].search_count([]), leads)
        request = self.env["jecree.callback.request"].search([])
        self.assertEqual(request.lead_id, lead)
        self.assertTrue(request.returning)
        # recorded by the agent: kept; missing: filled in
        self.assertEqual(lead.email_from, "lea@example.com")
        self.assertEqual(lead.source_id, radio)
        self.assertEqual(lead.commune_id.name, "Lille")
        self.assertEqual(lead.sector, "commerce")
        self.assertTrue(lead.consent)
        # the difference is shown to the agent who calls back
        self.assertIn("lea.martin@example.com", request.activity_id.note)
        self.assertEqual(request.source_id, self.web_source)
        self.assertEqual(len(lead.phonecall_ids), 1)

    def test_answered_by_the_next_call(self):
        """The agent logs the call-back (Nouvel appel, any phone format): the
        request's activity is done, with the call."""
        response = self.post(GOOD)
        self.assertEqual(response.status_code, 303, self.errors_of(response))
        request = self.env["jecree.callback.request"].search([])
        activity = request.activity_id
        self.assertTrue(activity.active)
        result = (
            self.env["crm.lead"]
            .with_user(self.agent)
            .jecree_log_call(
                {"phone": "0612345678", "direction": "out", "nature": "information"}
            )
        )
        self.assertEqual(result["lead_id"], request.lead_id.id)
        self.assertFalse(activity.active)  # done activities are archived
        call = self.env["crm.phonecall"].browse(result["call_id"])
        self.assertIn(call.name, activity.feedback)
