# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestIntakeTour(HttpCase):
    """The agent's screen in a real browser: CRM > Nouvel appel, save; the same
    caller again."""

    def test_intake_tour(self):
        new_test_user(
            self.env,
            login="jc_tour_agent",
            name="Tour Agent",
            groups="jecree_project.group_jecree_agent",
        )
        self.start_tour("/odoo", "jecree_intake_tour", login="jc_tour_agent")
        lead = self.env["crm.lead"].search([("contact_name", "=", "Tour Porteur")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.commune_id.name, "Arras")
        self.assertEqual(lead.sector, "artisanat")
        self.assertEqual(lead.phone_sanitized, "+33977665544")
        self.assertEqual(len(lead.phonecall_ids), 2, "the caller called twice")
        self.assertIn(
            "Boulangerie à reprendre", lead.phonecall_ids.mapped("description")
        )
        self.assertEqual(lead.user_id.login, "jc_tour_agent")
