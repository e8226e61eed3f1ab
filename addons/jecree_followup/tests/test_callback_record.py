# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import JecreeFollowupCase, utc


class CallbackRecordMixin:
    def setUp(self):
        super().setUp()
        self.lead = self.new_porteur(
            "Rose Rappel", maturity="idee", phone="+33 6 98 76 54 32"
        )
        self.log_call(self.lead, utc(2026, 7, 6, 8, 0))
        self.activity = self.callbacks(self.lead)

    def state(self, *referrals):
        """What a call-back writes: porteur, calls, activities, referrals."""
        self.env.invalidate_all()
        return (
            self.lead.read(["callback_state", "callback_attempt_count", "maturity"]),
            self.lead.phonecall_ids.ids,
            self.env["mail.activity"].search([("res_id", "=", self.lead.id)]).ids,
            [(ref.state, ref.date_kept, ref.date_not_kept) for ref in referrals],
        )


@tagged("post_install", "-at_install")
class TestCallbackRecord(CallbackRecordMixin, JecreeFollowupCase):
    """`crm.lead.jecree_record_callback`: the one way to record a call-back."""

    def record(self, values, user=None):
        return self.lead.with_user(user or self.agent).jecree_record_callback(values)

    @freeze_time("2026-07-15 09:00:00")
    def test_reached(self):
        referral = self.appointment(self.lead, utc(2026, 7, 13, 8, 0))
        result = self.record(
            {
                "outcome": "reached",
                "maturity": "construction",
                "next_step": "Rendez-vous banque",
                "duration": 4,
                "notes": "Très motivée",
                "appointments": [{"referral_id": referral.id, "appointment": "kept"}],
            }
        )
        call = self.env["crm.phonecall"].browse(result["call_id"])
        self.assertEqual(
            (call.direction, call.callback_outcome, call.duration, call.next_step),
            ("out", "reached", 4, "Rendez-vous banque"),
        )
        self.assertEqual(call.description, "Très motivée")
        self.assertEqual(result["callback_state"], "reached")
        self.assertEqual(result["attempt"], 1)
        self.assertEqual(self.lead.maturity, "construction")
        self.assertFalse(self.activity.active)
        self.assertEqual(referral.state, "honore")
        self.assertEqual(len(result["activity_ids"]), 2, "J+30 and J+90")

    def test_not_reached_retried_then_unreachable(self):
        """Wednesday 15 July: retried Thursday 16; Saturday 18: Monday 20; the
        third attempt makes the porteur unreachable."""
        steps = [
            ("2026-07-15 10:00:00", date(2026, 7, 16), "planned"),
            ("2026-07-18 10:00:00", date(2026, 7, 20), "planned"),
            ("2026-07-20 10:00:00", None, "unreachable"),
        ]
        for now, retry_day, state in steps:
            with freeze_time(now):
                result = self.record({"outcome": "not_reached", "duration": 1})
            retry = self.callbacks(self.lead)
            self.assertEqual(result["callback_state"], state)
            self.assertEqual(retry.ids, result["activity_ids"])
            if retry_day:
                self.assertEqual(retry.date_deadline, retry_day)
                self.assertEqual(retry.user_id, self.agent)
            else:
                self.assertFalse(retry)
        self.assertEqual(self.lead.callback_attempt_count, 3)
        with self.assertRaisesRegex(UserError, "already closed"):
            self.record({"outcome": "reached"})

    def test_closed_callback_refused(self):
        self.record({"outcome": "reached"})
        before = self.state()
        for values in (
            {"outcome": "reached"},
            {"outcome": "not_reached"},
            # the form opened on the first activity, closed since
            {"outcome": "reached", "activity_id": self.activity.id},
        ):
            with self.subTest(values=values):
                self.assert_refused(values, "already closed", before)

    def test_other_users_refused(self):
        portal = new_test_user(self.env, login="jc_portal", groups="base.group_portal")
        employee = new_test_user(
            self.env, login="jc_employee", groups="base.group_user"
        )
        salesman = new_test_user(
            self.env, login="jc_sales", groups="sales_team.group_sale_salesman"
        )
        before = self.state()
        for user in (portal, employee, salesman):
            with self.subTest(user=user.login):
                try:
                    self.record({"outcome": "reached"}, user=user)
                except AccessError as error:
                    self.assertIn("Only the call center's agents", str(error))
                else:
                    self.fail(f"{user.login} recorded a call-back")
                self.assertEqual(self.state(), before)

    def assert_refused(self, values, message, before, *referrals):
        """Refused with `message`, nothing written (checked before any rollback)."""
        try:
            self.record(values)
        except UserError as error:
            self.assertIn(message, str(error))
        else:
            self.fail(f"accepted: {values!r}")
        self.assertEqual(self.state(*referrals), before)

    @freeze_time("2026-07-15 09:00:00")
    def test_bad_values_write_nothing(self):
        started = self.appointment(self.lead, utc(2026, 7, 13, 8, 0))
        to_come = self.appointment(self.lead, utc(2026, 7, 20, 8, 0))
        other_lead = self.new_porteur("Autre Porteur")
        foreign = self.appointment(other_lead, utc(2026, 7, 13, 8, 0))
        kept = [{"referral_id": started.id, "appointment": "kept"}]
        cases = [
            ({}, "Say whether the porteur was reached"),
            ({"outcome": "maybe"}, "Say whether the porteur was reached"),
            ({"outcome": "not_reached", "duration": -2}, "cannot be negative"),
            ({"outcome": "not_reached", "duration": "4"}, "number of minutes"),
            ({"outcome": "reached", "maturity": "lune", "appointments": kept}, "stage"),
            ({"outcome": "reached", "colour": "red", "appointments": kept}, "Unknown"),
            ({"outcome": "reached", "notes": 12, "appointments": kept}, "must be text"),
            # reached with an appointment that took place: say whether it was kept
            ({"outcome": "reached"}, "Say whether the appointment with"),
            (
                {"outcome": "not_reached", "appointments": kept},
                "when the porteur is reached",
            ),
            (
                {
                    "outcome": "reached",
                    "appointments": kept
                    + [{"referral_id": to_come.id, "appointment": "not_kept"}],
                },
                "has not started yet",
            ),
            (
                {
                    "outcome": "reached",
                    "appointments": kept
                    + [{"referral_id": foreign.id, "appointment": "kept"}],
                },
                "is not one of",
            ),
            (
                {
                    "outcome": "reached",
                    "appointments": [{"referral_id": started.id, "appointment": "x"}],
                },
                "Say whether the appointment of referral",
            ),
            ({"outcome": "reached", "appointments": kept + kept}, "given twice"),
            ({"outcome": "reached", "appointments": {"a": 1}}, "must be a list"),
            ("reached", "must be a dictionary"),
        ]
        before = self.state(started, to_come, foreign)
        for values, message in cases:
            with self.subTest(values=values):
                self.assert_refused(values, message, before, started, to_come, foreign)
        self.assertTrue(self.activity.active)
        # the same, right: recorded
        self.record({"outcome": "reached", "appointments": kept})
        self.assertEqual(started.state, "honore")
        self.assertEqual(to_come.state, "rdv_fixe")

    @freeze_time("2026-07-15 09:00:00")
    def test_every_mistake_in_one_message(self):
        try:
            self.record({"outcome": "not_reached", "duration": -1, "colour": "red"})
        except UserError as error:
            message = str(error)
        self.assertIn("cannot be negative", message)
        self.assertIn("Unknown call-back values: colour", message)


@tagged("post_install", "-at_install")
class TestCallbackRecordRpc(CallbackRecordMixin, JecreeFollowupCase, HttpCase):
    """An agent's RPC client records call-backs through the same method; bad
    values get the same French message, nothing written; a portal user and an
    employee outside the call center are refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "=", "jecree_followup")]
        )._update_translations("fr_FR")
        cls.agent.write({"lang": "fr_FR", "password": "jc_agent_pwd1"})
        cls.portal = new_test_user(
            cls.env,
            login="jc_rpc_portal",
            password="jc_rpc_portal1",
            groups="base.group_portal",
        )
        cls.employee = new_test_user(
            cls.env,
            login="jc_rpc_employee",
            password="jc_rpc_employee1",
            groups="base.group_user",
        )

    def json_call(self, values):
        """The method over JSON-RPC: its result, or JsonRpcException with the
        error's class and message (as the web client shows it)."""
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/crm.lead/jecree_record_callback",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "crm.lead",
                    "method": "jecree_record_callback",
                    "args": [[self.lead.id], values],
                    "kwargs": {"context": {"lang": "fr_FR"}},
                },
            },
            timeout=12,
        )
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            data = answer["error"]["data"]
            raise JsonRpcException(
                answer["error"]["code"], f"{data['name']}: {data['message']}"
            )
        return answer["result"]

    def xml_call(self, login, password, values):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, password, {})
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            uid,
            password,
            "crm.lead",
            "jecree_record_callback",
            [[self.lead.id], values],
            {"context": {"lang": "fr_FR"}},
        )

    @freeze_time("2026-07-15 09:00:00")
    @mute_logger("odoo.http")
    def test_json_rpc_as_an_agent(self):
        referral = self.appointment(self.lead, utc(2026, 7, 13, 8, 0))
        self.authenticate("jc_agent", "jc_agent_pwd1")
        before = self.state(referral)
        with self.assertRaises(JsonRpcException) as caught:
            self.json_call({"outcome": "reached", "duration": -3})
        message = str(caught.exception)
        self.assertIn("ne peut pas être négative", message)
        self.assertIn("Indiquez si le rendez-vous avec", message)
        self.assertEqual(self.state(referral), before)
        result = self.json_call(
            {
                "outcome": "reached",
                "duration": 3,
                "appointments": [{"referral_id": referral.id, "appointment": "kept"}],
            }
        )
        self.assertEqual(result["callback_state"], "reached")
        self.assertEqual(referral.state, "honore")
        self.assertFalse(self.activity.active)

    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.xmlrpc")
    def test_xml_rpc_as_an_agent(self):
        before = self.state()
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xml_call("jc_agent", "jc_agent_pwd1", {"outcome": "peut-être"})
        self.assertIn(
            "Indiquez si le porteur a été joint", caught.exception.faultString
        )
        self.assertEqual(self.state(), before)
        result = self.xml_call("jc_agent", "jc_agent_pwd1", {"outcome": "not_reached"})
        self.assertEqual(result["callback_state"], "planned")
        self.assertEqual(result["attempt"], 1)
        self.assertEqual(len(result["activity_ids"]), 1, "the next attempt")

    @mute_logger(
        "odoo.http",
        "odoo.addons.base.models.ir_model",
        "odoo.addons.rpc.controllers.xmlrpc",
    )
    def test_portal_user_and_employee_refused(self):
        before = self.state()
        for login, password in (
            ("jc_rpc_portal", "jc_rpc_portal1"),
            ("jc_rpc_employee", "jc_rpc_employee1"),
        ):
            with self.subTest(login=login):
                self.authenticate(login, password)
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.json_call({"outcome": "reached"})
                with self.assertRaises(xmlrpc.client.Fault):
                    self.xml_call(login, password, {"outcome": "reached"})
                self.assertEqual(self.state(), before)
