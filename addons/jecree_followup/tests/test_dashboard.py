# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import JecreeFollowupCase

#: a Wednesday, 11:00 in Paris: no other test data nor demo data falls on it
NOW = datetime(2027, 3, 17, 10, 0)
TODAY = date(2027, 3, 17)


@tagged("post_install", "-at_install")
class TestDashboard(JecreeFollowupCase):
    """The managers' dashboard against data seeded through the model methods, read
    as the least-privileged manager."""

    def dashboard(self, user=None):
        return self.env["jecree.dashboard"].with_user(user or self.manager).create({})

    def figures(self, user=None):
        dashboard = self.dashboard(user)
        return {name: dashboard[name] for name in dashboard._jecree_figures()}

    def log(self, when, name=None, **values):
        """A call logged by the agent through `jecree_log_call` at `when` (UTC)."""
        values = dict(
            {"call_date": when, "duration": 3, "nature": "information"}, **values
        )
        if name:
            values.update(
                contact_name=name, phone=f"+3361234{len(name):02d}{when.day:02d}"
            )
        return self.env["crm.lead"].with_user(self.agent).jecree_log_call(values)

    @freeze_time(NOW)
    def test_figures_of_the_day_the_month_and_the_objective(self):
        self.env.company.jecree_target_projects = 1200
        before = self.figures()
        self.assertEqual(before["day"], TODAY)
        self.assertEqual(self.dashboard().display_name, "Dashboard")
        self.assertEqual(before["calls_today"], 0, "nothing else on that day")
        # today (local 09:00-10:40): 2 requests, 1 second call, 1 error;
        # an outgoing call is not a call handled
        morning = NOW - timedelta(hours=2)
        leads = self.env["crm.lead"].browse(
            [
                self.log(morning, "Alice Request")["lead_id"],
                self.log(morning, "Bruno Orientation", nature="orientation")["lead_id"],
            ]
        )
        self.log(
            morning + timedelta(minutes=30),
            lead_id=leads[0].id,
            nature="autre",
        )
        self.log(
            morning + timedelta(minutes=40),
            phone="+33699887766",
            qualification="erreur",
            nature=False,
        )
        self.log(
            morning + timedelta(minutes=50),
            lead_id=leads[1].id,
            nature="autre",
            direction="out",
        )
        # yesterday: one request (this month, not today)
        self.log(NOW - timedelta(days=1), "Chloé Hier")
        # J+8 call-backs: due today, overdue, tomorrow, and one done
        Lead = self.env["crm.lead"]
        callbacks = Lead._jecree_create_callback_activities(
            [
                (leads[0].id, self.agent, TODAY),
                (leads[1].id, self.agent2, TODAY - timedelta(days=3)),
                (leads[1].id, self.agent, TODAY + timedelta(days=1)),
                (leads[0].id, self.agent, TODAY - timedelta(days=1)),
            ]
        )
        callbacks[3].action_feedback(feedback="Fait")
        # referrals: two waiting (proposed, accepted), one declined
        antenna = self.structure_antenna()
        for state in ("proposee", "acceptee", "refusee"):
            self.env["jecree.referral"].create(
                {
                    "lead_id": leads[0].id,
                    "structure_id": antenna.jecree_structure_id.id,
                    "antenna_id": antenna.id,
                    "state": state,
                }
            )
        # projects started: two this month, one in January, one last year
        for started in (TODAY, date(2027, 3, 2), date(2027, 1, 20), date(2026, 12, 1)):
            self.new_porteur(
                f"Démarré {started}", maturity="demarre"
            ).started_date = started
        after = self.figures()
        self.assertEqual(after["calls_today"], 4)
        self.assertEqual(after["requests_today"], 2)
        self.assertEqual(after["errors_today"], 1)
        self.assertEqual(after["error_share_today"], 0.25)
        self.assertEqual(after["month_calls"] - before["month_calls"], 5)
        self.assertEqual(after["month_requests"] - before["month_requests"], 3)
        self.assertEqual(after["callbacks_due"] - before["callbacks_due"], 1)
        self.assertEqual(after["callbacks_overdue"] - before["callbacks_overdue"], 1)
        self.assertEqual(after["referrals_waiting"] - before["referrals_waiting"], 2)
        self.assertEqual(after["started_month"] - before["started_month"], 2)
        self.assertEqual(after["started_year"] - before["started_year"], 3)
        self.assertEqual((after["target_month"], after["target_year"]), (100, 1200))
        self.assertEqual(after["target_share"], round(after["started_year"] / 1200, 2))

    @freeze_time(NOW)
    def test_figures_are_the_pack_figures_of_the_day(self):
        """One rule: the day's calls are the pack's activity figures over the day
        (the month's, over the month)."""
        self.log(NOW - timedelta(hours=1), "Denis Pack")
        self.log(
            NOW - timedelta(minutes=30),
            phone="+33611223344",
            qualification="plaisantin",
            nature=False,
        )
        pack = self.env["report.jecree_followup.monthly_pack_xlsx"].with_user(
            self.manager
        )
        month = pack._activity_figures(2027, 3)
        dashboard = self.dashboard()
        self.assertEqual(dashboard.month_calls, month["calls"])
        self.assertEqual(dashboard.month_requests, month["requests"])
        self.assertEqual((dashboard.calls_today, dashboard.errors_today), (2, 1))

    @freeze_time(NOW)
    def test_boxes_open_the_records_counted(self):
        lead = self.new_porteur("Eva Boxes")
        self.env["crm.lead"]._jecree_create_callback_activities(
            [
                (lead.id, self.agent, TODAY),
                (lead.id, self.agent2, TODAY - timedelta(days=2)),
            ]
        )
        antenna = self.structure_antenna()
        self.env["jecree.referral"].create(
            {
                "lead_id": lead.id,
                "structure_id": antenna.jecree_structure_id.id,
                "antenna_id": antenna.id,
            }
        )
        dashboard = self.dashboard()
        callbacks = dashboard.action_open_callbacks()
        self.assertEqual(callbacks["res_model"], "mail.activity")
        self.assertEqual(
            self.env["mail.activity"]
            .with_user(self.manager)
            .search_count(callbacks["domain"]),
            dashboard.callbacks_due + dashboard.callbacks_overdue,
        )
        waiting = dashboard.action_open_referrals_waiting()
        self.assertEqual(
            self.env["jecree.referral"]
            .with_user(self.manager)
            .search_count(waiting["domain"]),
            dashboard.referrals_waiting,
        )
        calls = dashboard.action_open_calls_today()
        self.assertEqual(calls["res_model"], "jecree.call.report")
        self.assertEqual(
            dashboard.action_open_pack()["res_model"], "jecree.monthly.pack.wizard"
        )

    def test_agents_have_no_dashboard(self):
        with self.assertRaises(AccessError):
            self.dashboard(self.agent)
