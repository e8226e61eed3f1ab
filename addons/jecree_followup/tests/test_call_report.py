# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import JecreeFollowupCase, utc


@tagged("post_install", "-at_install")
class TestCallReport(JecreeFollowupCase):
    """The calls analysis: local day and hour, the porteur's project and territory."""

    def test_call_in_the_report(self):
        lead = self.new_porteur(
            sector="services", project_kind="reprise", commune_id=self.arras.id
        )
        call = self.log_call(lead, utc(2026, 7, 6, 19, 30), duration=7.5)
        row = self.env["jecree.call.report"].with_user(self.manager).browse(call.id)
        self.assertEqual(row.call_date, date(2026, 7, 6))
        self.assertEqual(row.month, "2026-07")
        self.assertEqual((row.weekday, row.hour), ("1", 21), "Monday 21:30 in Paris")
        self.assertEqual(row.user_id, self.agent)
        self.assertTrue(row.is_request)
        self.assertEqual((row.sector, row.project_kind), ("services", "reprise"))
        self.assertEqual(row.commune_id, self.arras)
        self.assertEqual(row.epci_id, self.arras.epci_id)
        self.assertEqual(row.department_id.code, "62")
        self.assertEqual((row.duration, row.call_count), (7.5, 1))

    def test_grouped_by_weekday_and_hour(self):
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.log_call(lead, utc(2026, 7, 13, 8, 20))
        self.log_call(None, utc(2026, 7, 13, 8, 40), qualification="erreur")
        groups = (
            self.env["jecree.call.report"]
            .with_user(self.manager)
            ._read_group(
                [("month", "=", "2026-07")],
                ["weekday", "hour", "is_request"],
                ["call_count:sum"],
            )
        )
        self.assertEqual(groups, [("1", 10, False, 1), ("1", 10, True, 2)])

    def test_agents_do_not_see_the_analysis(self):
        with self.assertRaises(AccessError):
            self.env["jecree.call.report"].with_user(self.agent).search([])
