# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime
from pathlib import Path

import pytz

from odoo.tests import HttpCase, tagged

from .common import JecreeReferralMixin

#: axe-core, from npm (package.json at the repository's root; `npm ci` installs it)
AXE = Path("node_modules", "axe-core", "axe.min.js")


def axe_source():
    """The source of axe-core, from the node_modules of the repository (or of a
    folder above the addon)."""
    for folder in Path(__file__).resolve().parents:
        if (folder / AXE).is_file():
            return (folder / AXE).read_text(encoding="utf-8")
    raise AssertionError(
        f"axe-core is missing ({AXE}): run `npm ci` at the repository's root "
        "(package.json) to check the portal's accessibility"
    )


@tagged("post_install", "-at_install")
class TestReferralTours(JecreeReferralMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def test_agent_refers_and_books(self):
        """New call, save, Refer, book, the confirmation: an agent's main task."""
        self.start_tour(
            "/odoo/action-jecree_project.jecree_call_intake_action",
            "jecree_referral_agent_tour",
            login="jr_agent",
        )
        lead = self.env["crm.lead"].search([("contact_name", "=", "Tour Porteur")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.commune_id, self.arras)
        referral = lead.jecree_referral_ids
        self.assertEqual(referral.antenna_id, self.cma_arras)
        self.assertEqual(referral.state, "rdv_fixe")
        self.assertEqual(referral.adviser_id, self.adviser_cma)
        self.assertEqual(referral.event_id.opportunity_id, lead)


@tagged("post_install", "-at_install")
class TestAdviserTours(JecreeReferralMixin, HttpCase):
    """The adviser's tours, in French, with axe-core injected into every page of
    the browser (the tours run it on each portal page: RGAA)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "=", "jecree_referral")]
        )._update_translations("fr_FR")
        cls.portal_cma.lang = "fr_FR"
        cls.lead = cls.make_porteur(name="Porteuse Tour")
        cls.env["crm.phonecall"].create(
            {
                "name": "Information – Porteuse Tour",
                "opportunity_id": cls.lead.id,
                "description": "Boulangerie au village, cherche un local",
                "date": datetime(2026, 11, 30, 9, 15),
            }
        )
        cls.referral = cls.make_referral(cls.lead, cls.cma_arras)
        # another one, still to answer at the end of the tour: the home counts it
        cls.waiting = cls.make_referral(
            cls.make_porteur(name="Porteur En Attente"), cls.cma_arras
        )

    def setUp(self):
        super().setUp()
        self.axe = axe_source()

    def authenticate(self, user, password, browser=None):
        session = super().authenticate(user, password, browser=browser)
        if browser is not None:
            # before the first page: axe-core in every page of this browser only
            browser._websocket_request(
                "Page.addScriptToEvaluateOnNewDocument",
                params={"source": self.axe},
            )
        return session

    def test_adviser_first_day(self):
        """Log in, land on the referrals, open one (the porteur's call notes,
        the phone as a link), accept it, book its appointment: a success message
        each time; back home, the card counts the referral still to answer; no
        serious or critical axe-core violation on any page."""
        self.start_tour("/web/login", "jecree_referral_portal_tour", timeout=300)
        referral = self.referral
        self.assertEqual(referral.state, "rdv_fixe")
        self.assertTrue(referral.date_accepted)
        self.assertEqual(referral.adviser_id, self.adviser_cma)
        self.assertTrue(referral.event_id)
        local = pytz.utc.localize(referral.appointment_start).astimezone(
            referral._jecree_tz()
        )
        self.assertEqual(local.strftime("%H:%M"), "10:00", "typed at the structure")
        self.assertEqual(self.waiting.state, "proposee")

    def test_adviser_on_a_phone(self):
        """On a 390 px phone the list is cards, the status in sight, nothing
        scrolls sideways."""
        self.browser_size = "390x844"
        self.start_tour(
            "/my/referrals",
            "jecree_referral_portal_phone_tour",
            login="jr_portal_cma",
            timeout=180,
        )
