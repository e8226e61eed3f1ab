# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo shows every feature on first login. Runs on a database created with
demo data (`WITH_DEMO=1 make test`); skipped without it."""

from odoo import http
from odoo.tests import HttpCase, tagged

from odoo.addons.jecree_referral.models.jecree_referral import STATES

from ..tools.demo_data import DEMO_MONTH

ADVISERS = {
    "cma": (
        "conseiller.cma.arras@example.com",
        "jecree_referral.res_partner_structure_cma_hdf_demo",
    ),
    "cci": (
        "conseiller.cci.artois@example.com",
        "jecree_referral.res_partner_structure_cci_artois_demo",
    ),
}


@tagged("post_install", "-at_install", "jecree_demo")
class TestDemoData(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = bool(
            cls.env.ref(
                "jecree_followup.jecree_referral_cma_proposee_demo",
                raise_if_not_found=False,
            )
        )

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the database has no demo data (WITH_DEMO=1 make test)")
        self.company = self.env.company
        self.today = self.company._jecree_today()

    def test_referrals_in_every_state_at_both_advisers_structures(self):
        for key, (__, structure_xmlid) in ADVISERS.items():
            structure = self.env.ref(structure_xmlid)
            referrals = self.env["jecree.referral"].search(
                [("structure_id", "=", structure.id)]
            )
            with self.subTest(structure=key):
                self.assertEqual(
                    set(referrals.mapped("state")), {state for state, __ in STATES}
                )

    def test_appointments_future_when_set_past_when_kept_or_not(self):
        now = self.env.cr.now().replace(tzinfo=None)
        for key in ADVISERS:
            with self.subTest(structure=key):
                booked = self.env.ref(
                    f"jecree_followup.jecree_referral_{key}_rdv_fixe_demo"
                )
                self.assertGreater(booked.appointment_start, now)
                self.assertTrue(booked.event_id, "booked in the adviser's calendar")
                for life in ("honore", "non_honore", "accompagnement", "clos"):
                    referral = self.env.ref(
                        f"jecree_followup.jecree_referral_{key}_{life}_demo"
                    )
                    self.assertLess(referral.appointment_start, now, life)
                    self.assertLess(referral.date_proposed, referral.appointment_start)

    def test_each_adviser_sees_their_structure_referrals_in_the_portal(self):
        for login, structure_xmlid in ADVISERS.values():
            structure = self.env.ref(structure_xmlid)
            own = self.env["jecree.referral"].search(
                [("structure_id", "=", structure.id)]
            )
            others = self.env["jecree.referral"].search(
                [("structure_id", "!=", structure.id)]
            )
            with self.subTest(adviser=login):
                self.authenticate(login, "demo")
                page = self.url_open("/my/referrals?sortby=name")
                self.assertEqual(page.status_code, 200)
                self.assertTrue(own)
                for referral in own[:10]:
                    self.assertIn(referral.name, page.text)
                for referral in others:
                    self.assertNotIn(f">{referral.name}<", page.text)

    def test_adviser_lands_on_referrals_after_login(self):
        for login, __ in ADVISERS.values():
            with self.subTest(adviser=login):
                self.authenticate(None, None)  # a session, for the CSRF token
                response = self.url_open(
                    "/web/login",
                    data={
                        "login": login,
                        "password": "demo",
                        "csrf_token": http.Request.csrf_token(self),
                    },
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 303)
                self.assertTrue(
                    response.headers["Location"].endswith("/my/referrals"),
                    response.headers["Location"],
                )

    def test_callbacks_due_today_and_overdue_with_the_type_title(self):
        callback_type = self.env["crm.lead"]._jecree_callback_type()
        installed = dict(self.env["res.lang"].get_installed())
        lang = "fr_FR" if "fr_FR" in installed else "en_US"
        title = callback_type.with_context(lang=lang).summary
        opening_today = self.company.jecree_calendar_id._jecree_next_opening_day(
            self.today
        )
        for xmlid, due in (
            ("crm_lead_callback_today_1_demo", opening_today),
            ("crm_lead_callback_overdue_4_demo", None),
        ):
            lead = self.env.ref(f"jecree_followup.{xmlid}")
            activity = lead._jecree_open_callback_activity()
            with self.subTest(porteur=xmlid):
                self.assertEqual(activity.summary, title)
                if due:
                    self.assertEqual(activity.date_deadline, due)
                else:
                    self.assertLess(activity.date_deadline, self.today)

    def test_brochures_queued_for_the_porteurs_called(self):
        lead = self.env.ref("jecree_followup.crm_lead_referred_cci_proposee_demo")
        self.assertTrue(lead.brochure_sending_ids)
        self.assertEqual(lead.brochure_sending_ids.email, lead.email_from)

    def test_previous_month_in_the_pack(self):
        month = self.company._jecree_last_month()
        pack = self.env["report.jecree_followup.monthly_pack_xlsx"]
        figures = pack._activity_figures(month.year, month.month)
        requests = sum(count for __, count in DEMO_MONTH["sectors"])
        self.assertGreaterEqual(figures["calls"], DEMO_MONTH["total"])
        self.assertGreaterEqual(figures["requests"], requests)
        self.assertGreaterEqual(
            figures["errors"], DEMO_MONTH["errors"] + DEMO_MONTH["pranks"]
        )
        self.assertGreaterEqual(figures["sectors"]["commerce"], 100)
        callbacks = pack._callback_figures(month.year, month.month)
        self.assertGreater(callbacks["due"], 0)

    def test_closures(self):
        leaves = self.env["resource.calendar.leaves"]
        cma = self.env.ref("jecree_referral.res_partner_structure_cma_hdf_demo")
        structure_closure = leaves.search([("jecree_structure_id", "=", cma.id)])
        self.assertTrue(structure_closure)
        self.assertGreater(structure_closure.date_from.date(), self.today)
        company_wide = leaves.search(
            leaves._jecree_company_closure_domain(self.company)
            + [("jecree_structure_id", "=", False)]
        )
        self.assertIn("séminaire", " ".join(company_wide.mapped("name")))
        self.assertGreater(len(company_wide), 11, "the public holidays and more")

    def test_home_actions_of_the_demo_users(self):
        for xmlid, action in (
            ("jecree_project.res_users_agent_demo", "mail_activity_callback_action"),
            ("jecree_project.res_users_agent2_demo", "mail_activity_callback_action"),
            ("jecree_project.res_users_manager_demo", "jecree_dashboard_action"),
        ):
            with self.subTest(user=xmlid):
                self.assertEqual(
                    self.env.ref(xmlid).action_id.id,
                    self.env.ref(f"jecree_followup.{action}").id,
                )

    def test_dashboard_of_the_demo_manager(self):
        manager = self.env.ref("jecree_project.res_users_manager_demo")
        dashboard = self.env["jecree.dashboard"].with_user(manager).create({})
        self.assertGreaterEqual(dashboard.calls_today, 3)
        self.assertGreaterEqual(dashboard.errors_today, 1)
        self.assertGreaterEqual(
            dashboard.callbacks_due + dashboard.callbacks_overdue, 5
        )
        self.assertGreaterEqual(dashboard.referrals_waiting, 4)
        self.assertEqual(dashboard.day, self.today)
