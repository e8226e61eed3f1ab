# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from .common import JecreeFollowupCase, utc


@tagged("post_install", "-at_install")
class TestCallReportView(JecreeFollowupCase):
    """The analysis views are made of parts another addon can extend, as Odoo's
    crm.activity.report: what an override of a part returns is in the view."""

    def test_an_addon_extends_the_parts(self):
        lead = self.new_porteur(sector="services")
        call = self.log_call(lead, utc(2026, 7, 6, 9, 0), duration=4)
        other = self.log_call(lead, utc(2026, 7, 7, 9, 0), duration=6)
        for model, parts in (
            ("jecree.call.report", ("_select", "_from", "_join", "_where")),
            ("jecree.referral.report", ("_select", "_from", "_join", "_where")),
        ):
            for part in (*parts, "_group_by"):
                self.assertIsInstance(getattr(self.env[model], part)(), SQL)
        Report = self.env["jecree.call.report"]
        where = type(Report)._where

        def only_long_calls(report):
            return SQL("%s AND call.duration > %s", where(report), 5)

        self.env.flush_all()
        with patch.object(type(Report), "_where", only_long_calls):
            Report.init()
        rows = Report.search([("lead_id", "=", lead.id)])
        self.assertEqual(rows.ids, [other.id], f"call {call.id} left out")
        Report.init()
        self.assertEqual(len(Report.search([("lead_id", "=", lead.id)])), 2)
