# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import REQUEST, JecreeFollowupCase, utc


@tagged("post_install", "-at_install")
class TestWebRequest(JecreeFollowupCase):
    """A call-back asked for on the public form (`crm.lead.jecree_request_callback`,
    called as the form calls it) with the follow-up installed: shared out among
    the team as the J+8 call-backs, at opening hours, no J+8 for a request that
    is not a call, and its porteur's calls under the source "Formulaire web" in
    the calls analysis."""

    def request(self, **values):
        return (
            self.env["crm.lead"].sudo().jecree_request_callback(dict(REQUEST, **values))
        )

    @freeze_time("2026-07-06 08:00:00")  # Monday 10:00 in Paris
    def test_shared_out_at_opening_hours(self):
        monday = date(2026, 7, 6)
        self.away(self.agent, monday)
        other = self.new_porteur(name="Déjà rappelé")
        self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": other.id,
                "activity_type_id": self.callback_type.id,
                "user_id": self.agent2.id,
                "date_deadline": monday,
            }
        )
        result = self.request()
        activity = self.env["mail.activity"].browse(result["activity_id"])
        # the agent is away, agent2 has a call-back due: agent3 takes it
        self.assertEqual(activity.user_id, self.agent3)
        self.assertEqual(result["due_date"], utc(2026, 7, 6, 8, 0))
        self.assertEqual(activity.date_deadline, monday)
        lead = self.env["crm.lead"].browse(result["lead_id"])
        # not a call: no J+8 call-back
        self.assertFalse(lead.callback_scheduled)
        self.assertFalse(self.callbacks(lead))
        # Wednesday afternoon: from noon in Paris
        result = self.request(phone="06 55 44 33 23", slot="2026-07-08:pm")
        self.assertEqual(result["due_date"], utc(2026, 7, 8, 10, 0))
        # 14 July is a public holiday: the next opening hour, on the 15th at 8:00
        result = self.request(phone="06 55 44 33 24", slot="2026-07-14:am")
        self.assertEqual(result["due_date"], utc(2026, 7, 15, 6, 0))

    @freeze_time("2026-07-06 08:00:00")
    def test_calls_analysis_by_source(self):
        result = self.request()
        lead = self.env["crm.lead"].browse(result["lead_id"])
        call = self.log_call(lead, utc(2026, 7, 6, 9, 0))
        self.env.flush_all()
        row = self.env["jecree.call.report"].with_user(self.manager).browse(call.id)
        self.assertEqual(
            row.source_id, self.env.ref("jecree_project.utm_source_web_form")
        )
        requests = (
            self.env["jecree.callback.request"]
            .with_user(self.manager)
            ._read_group([], ["source_id"], ["request_count:sum"])
        )
        self.assertEqual(
            requests, [(self.env.ref("jecree_project.utm_source_web_form"), 1)]
        )
