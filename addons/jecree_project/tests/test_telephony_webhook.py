# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_french

URL = "/jecree/telephony/event"


class WebhookCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.manager = new_test_user(
            cls.env,
            login="jc_tel_manager",
            groups="jecree_project.group_jecree_manager",
        )
        cls.agent = new_test_user(
            cls.env, login="jc_tel_agent", groups="jecree_project.group_jecree_agent"
        )
        cls.agent.jecree_phone_extension = "301"
        cls.system = cls.env["jecree.telephony.system"].create({"name": "Cloud PBX"})
        cls.token = cls.rotate(cls.system)

    @classmethod
    def rotate(cls, system):
        action = system.with_user(cls.manager).action_jecree_rotate_token()
        return action["params"]["message"].rsplit(" ", 1)[1]

    def post(self, payload, token=None, raw=None, headers=None):
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = self.url_open(
            URL,
            data=raw if raw is not None else json.dumps(payload),
            headers=headers,
            method="POST",
        )
        try:
            answer = response.json()
        except ValueError:
            answer = {"not_json": response.text[:500]}
        return response.status_code, answer

    def counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in (
                "jecree.telephony.event",
                "jecree.telephony.call",
                "jecree.missed.call",
            )
        )


@tagged("post_install", "-at_install")
class TestTelephonyWebhook(WebhookCase):
    def test_token_good_missing_wrong_rotated(self):
        ringing = {
            "event": "ringing",
            "call_id": "w1",
            "from": "0320000001",
            "extension": "301",
        }
        status, body = self.post(ringing, self.token)
        self.assertEqual((status, body["status"]), (200, "ok"), body)
        self.assertEqual(body["state"], "ringing")
        for label, token, headers in (
            ("missing", None, None),
            ("empty", "", None),
            ("wrong", self.token[:-2] + "xx", None),
            ("other header", None, {"X-Jecree-Token": "nope"}),
        ):
            with self.subTest(label):
                before = self.counts()
                status, body = self.post(
                    {"event": "hangup", "call_id": "w1"}, token, headers=headers
                )
                self.assertEqual(status, 401, body)
                self.assertIn("Jeton du standard", body["error"])
                self.assertEqual(self.counts(), before)
        # the header of phone systems that cannot send Authorization
        status, body = self.post(
            {"event": "answered", "call_id": "w1"},
            headers={"X-Jecree-Token": self.token},
        )
        self.assertEqual(status, 200, body)
        # rotated: the former token stops working at once
        new_token = self.rotate(self.system)
        self.assertNotEqual(new_token, self.token)
        status, body = self.post({"event": "hangup", "call_id": "w1"}, self.token)
        self.assertEqual(status, 401)
        status, body = self.post({"event": "hangup", "call_id": "w1"}, new_token)
        self.assertEqual((status, body["state"]), (200, "done"), body)

    def test_token_stored_hashed_and_rotated_by_managers_only(self):
        stored = self.system.sudo().token_hash
        self.assertEqual(len(stored), 64)
        self.assertNotIn(self.token, stored)
        self.assertNotIn(
            self.token, json.dumps(self.system.sudo().read()[0], default=str)
        )
        with self.assertRaises(AccessError):
            self.system.with_user(self.agent).action_jecree_rotate_token()
        with self.assertRaises(AccessError):
            self.system.with_user(self.agent).read(["name"])
        self.assertEqual(self.system.sudo().token_hash, stored)
        # an archived phone system's token no longer works
        self.system.active = False
        status, __ = self.post({"event": "ringing", "call_id": "z"}, self.token)
        self.assertEqual(status, 401)

    def test_bad_requests_are_4xx_in_french(self):
        cases = [
            ("not json", None, "{oops", 400, "JSON"),
            ("array", ["ringing"], None, 422, "objet JSON"),
            (
                "unknown extension",
                {
                    "event": "ringing",
                    "call_id": "b",
                    "from": "0320000002",
                    "extension": "999",
                },
                None,
                422,
                "999",
            ),
            (
                "bad number",
                {"event": "ringing", "call_id": "b", "from": "12"},
                None,
                422,
                "12",
            ),
            ("bad event", {"event": "ring", "call_id": "b"}, None, 422, "ring"),
            ("too large", None, json.dumps({"event": "x" * 20000}), 413, "volumineux"),
        ]
        for label, payload, raw, status_expected, message in cases:
            with self.subTest(label):
                before = self.counts()
                status, body = self.post(payload, self.token, raw=raw)
                self.assertEqual(status, status_expected, body)
                self.assertIn(message, body["error"])
                self.assertEqual(self.counts(), before)

    def test_replay_over_http(self):
        event = {"event": "ringing", "call_id": "r1", "from": "0320000003"}
        self.assertEqual(self.post(event, self.token)[1]["status"], "ok")
        before = self.counts()
        self.assertEqual(self.post(event, self.token)[1]["status"], "duplicate")
        self.assertEqual(self.counts(), before)
