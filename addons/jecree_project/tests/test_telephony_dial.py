# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import load_french
from .test_telephony_events import TelephonyCase

POST = "odoo.addons.jecree_project.models.jecree_phone_common.requests.post"
URL = "https://pbx.example.org/originate"


class FakePhoneSystem:
    """What the phone system's originate URL received, and how it answers."""

    def __init__(self, status=200, error=None):
        self.status, self.error, self.requests = status, error, []

    def __call__(self, url, json=None, timeout=None, **kwargs):
        self.requests.append({"url": url, "json": json, "timeout": timeout})
        if self.error:
            raise self.error
        response = requests.Response()
        response.status_code = self.status
        return response


@tagged("post_install", "-at_install")
class TestClickToDial(TelephonyCase):
    def set_url(self, url=URL):
        Params = self.env["ir.config_parameter"].sudo()
        Params.set_param("jecree_project.originate_through", "url")
        Params.set_param("jecree_project.originate_url", url)

    def test_dial_rings_the_extension_then_the_number(self):
        self.set_url()
        phone_system = FakePhoneSystem()
        with patch(POST, phone_system):
            action = self.porteur.with_user(self.agent).action_jecree_dial()
        self.assertEqual(
            phone_system.requests,
            [
                {
                    "url": URL,
                    "json": {
                        "extension": "201",
                        "number": "+33321445566",
                        "login": "jc_agent",
                    },
                    "timeout": 5,
                }
            ],
        )
        self.assertEqual(action["res_model"], "jecree.call.intake")
        # the outgoing call is logged when the agent saves the screen
        self.save_outgoing_call(action)

    def test_without_phone_system_no_request(self):
        self.set_url("")
        with patch(POST) as post:
            action = self.porteur.with_user(self.agent).action_jecree_dial()
            result = (
                self.env["jecree.phone.common"]
                .with_user(self.agent)
                .click2dial("03 21 44 55 66")
            )
        post.assert_not_called()
        self.assertEqual(action["context"]["default_lead_id"], self.porteur.id)
        self.assertEqual(
            result, {"dialed_number": "+33321445566", "url": "tel:%2B33321445566"}
        )

    def test_errors_in_french_nothing_logged(self):
        load_french(self.env)
        self.agent.lang = "fr_FR"
        self.set_url()
        cases = [
            ("timeout", FakePhoneSystem(error=requests.Timeout()), "ne répond pas"),
            (
                "refused",
                FakePhoneSystem(error=requests.ConnectionError()),
                "ne répond pas",
            ),
            ("500", FakePhoneSystem(status=500), "500"),
            ("404", FakePhoneSystem(status=404), "404"),
        ]
        Call = self.env["crm.phonecall"]
        for label, phone_system, message in cases:
            with self.subTest(label):
                before = Call.search_count([])
                with (
                    patch(POST, phone_system),
                    self.assertRaisesRegex(UserError, message),
                ):
                    self.porteur.with_user(self.agent).with_context(
                        lang="fr_FR"
                    ).action_jecree_dial()
                self.assertEqual(len(phone_system.requests), 1)
                self.assertEqual(Call.search_count([]), before)

    def test_bad_number_no_extension_not_an_agent(self):
        self.set_url()
        Common = self.env["jecree.phone.common"]
        with patch(POST) as post:
            with self.assertRaises(UserError):
                Common.with_user(self.agent).click2dial("12")
            with self.assertRaises(UserError):
                Common.with_user(self.agent).click2dial(["0320"])
            self.agent.jecree_phone_extension = False
            with self.assertRaisesRegex(UserError, "extension"):
                Common.with_user(self.agent).click2dial("0321445566")
            employee = new_test_user(
                self.env, login="jc_dial_emp", groups="base.group_user"
            )
            with self.assertRaises(AccessError):
                Common.with_user(employee).click2dial("0321445566")
        post.assert_not_called()

    def test_call_back_dials(self):
        self.set_url()
        self.event("ringing")
        self.event("hangup")
        missed = self.env["jecree.missed.call"].search([])
        phone_system = FakePhoneSystem()
        with patch(POST, phone_system):
            action = missed.with_user(self.agent2).action_jecree_call_back()
        self.assertEqual(phone_system.requests[0]["json"]["extension"], "202")
        self.assertEqual(phone_system.requests[0]["json"]["number"], "+33321445566")
        self.assertEqual(action["context"]["default_lead_id"], self.porteur.id)
