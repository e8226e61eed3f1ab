# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestScreenPopTour(HttpCase):
    """In a real browser: a ring pops the caller and the pop closes when the call
    rings out; a ring pops the caller, the agent opens the filled "New call"
    screen and saves."""

    def test_screen_pop_tour(self):
        agent = new_test_user(
            self.env,
            login="jc_pop_agent",
            name="Pop Agent",
            groups="jecree_project.group_jecree_agent",
        )
        agent.jecree_phone_extension = "601"
        system = self.env["jecree.telephony.system"].create({"name": "Tour PBX"})
        system.sudo().token_hash = system._jecree_hash("screen-pop-tour-token")
        porteur = self.env["crm.lead"].create(
            {
                "name": "Porteur tournée",
                "contact_name": "Léa Tournée",
                "is_porteur": True,
                "phone": "+33 3 21 98 76 54",
            }
        )
        self.start_tour("/odoo", "jecree_screen_pop_tour", login="jc_pop_agent")
        Call = self.env["jecree.telephony.call"]
        self.assertEqual(Call.search([("call_ref", "=", "tour-0")]).state, "missed")
        call = Call.search([("call_ref", "=", "tour-1")])
        self.assertEqual(call.user_id, agent)
        self.assertEqual(call.phonecall_id.opportunity_id, porteur)
        self.assertEqual(call.phonecall_id.user_id, agent)
