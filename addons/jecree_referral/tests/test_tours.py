# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, tagged

from .common import JecreeReferralMixin


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

    def test_adviser_accepts_in_portal(self):
        referral = self.make_referral(self.make_porteur(), self.cma_arras)
        self.start_tour(
            "/my/referrals", "jecree_referral_portal_tour", login="jr_portal_cma"
        )
        self.assertEqual(referral.state, "acceptee")
