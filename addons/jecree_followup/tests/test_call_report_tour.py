# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCallReportTour(HttpCase):
    """The manager's calls analysis in a browser: one analysis of calls in the
    menu, counts in whole numbers on the graph."""

    def test_call_report_graph(self):
        manager = new_test_user(
            self.env,
            login="jf_tour_manager",
            name="Tour Manager",
            groups="jecree_project.group_jecree_manager",
        )
        # OCA crm_phonecall's analysis is hidden (its menu record deactivated)
        theirs = self.env.ref("crm_phonecall.menu_report_crm_phonecalls_tree")
        self.assertFalse(theirs.active)
        visible = self.env["ir.ui.menu"].with_user(manager)._visible_menu_ids()
        self.assertNotIn(theirs.id, visible)
        self.assertIn(
            self.env.ref("jecree_followup.jecree_call_report_menu").id, visible
        )
        # two calls in one bar: Chart.js alone puts 0.2, 0.4… on the axis
        for name in ("Appel 1", "Appel 2"):
            self.env["crm.phonecall"].create(
                {
                    "name": name,
                    "direction": "in",
                    "date": fields.Datetime.now(),
                    "nature": "information",
                    "qualification": "utile",
                    "state": "done",
                }
            )
        self.start_tour("/odoo", "jecree_call_report_tour", login="jf_tour_manager")
