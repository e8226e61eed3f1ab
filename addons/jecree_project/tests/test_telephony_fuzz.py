# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging
import random

from odoo.tests import tagged

from .common import fuzz_cases
from .test_telephony_webhook import WebhookCase

_logger = logging.getLogger(__name__)

CASES = fuzz_cases()
SEED = 20261202

# (valid values, bad values) of each key
FIELDS = {
    "event": (["ringing", "answered", "hangup"], ["RINGING", "", None, 3, [], "ring"]),
    "call_id": (
        ["f1", "f2", "f3", 17, "é☎"],
        ["", " ", "x" * 200, None, ["f1"], "\x00"],
    ),
    "from": (
        ["0320000010", "+33 6 12 34 56 78", "03 20 00 00 11", "anonymous", 320000010],
        ["12", "abc", "+1 202 555 0143", "0" * 300, True, {"n": 1}],
    ),
    "to": (["0320999999", "+33 7 00 00 00 01"], ["x", False]),
    "extension": (["501", 501, "502", "5 01", None], ["999", "<b>", ["501"], 1.5]),
    "time": (
        [None, "now", ""],
        ["2026-13-01T00:00:00", "1999-01-01T00:00:00Z", "3000-01-01", 1e20, -1, []],
    ),
    "duration": ([0, 30, 125.5, "60", None], [-1, 1e12, "long", True, float("inf")]),
    "direction": (["in", "in", "out", None], ["x", 0]),
}
RAW = ["", "{", "[]", "null", '"text"', "1", "\xff\xfe", '{"event": "ringing"' * 50]


@tagged("post_install", "-at_install", "jecree_fuzz")
class TestTelephonyFuzz(WebhookCase):
    """Seeded random bodies posted to the webhook: an answer in JSON, never a 500;
    a refused body (4xx) writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent.jecree_phone_extension = "501"

    def random_body(self, rng, now):
        if rng.random() < 0.08:
            return rng.choice(RAW)
        payload = {}
        for key, (good, bad) in FIELDS.items():
            if rng.random() < 0.85:
                payload[key] = rng.choice(good if rng.random() < 0.9 else bad)
        if payload.get("time") == "now":
            payload["time"] = now
        if rng.random() < 0.1:
            payload["unexpected"] = {"nested": [1, 2, 3]}
        # allow_nan: JSON parsers of phone systems may send NaN
        return json.dumps(payload, allow_nan=True)

    def test_random_bodies(self):
        rng = random.Random(SEED)
        now = self.env.cr.now().isoformat()
        statuses = {}
        for case in range(CASES):
            body = self.random_body(rng, now)
            before = self.counts()
            status, answer = self.post(None, self.token, raw=body)
            statuses[status] = statuses.get(status, 0) + 1
            self.assertIn(status, (200, 400, 422), f"case {case}: {body!r} {answer}")
            if status != 200:
                self.assertTrue(answer.get("error"), f"case {case}")
                self.assertEqual(self.counts(), before, f"case {case}: {body!r}")
                continue
            self.assertIn(answer["status"], ("ok", "duplicate"), f"case {case}")
            if answer["status"] == "duplicate":
                self.assertEqual(self.counts(), before, f"case {case}")
                continue
            # one event more, on a call in a state its facts give
            self.assertEqual(self.counts()[0], before[0] + 1, f"case {case}")
            call = self.env["jecree.telephony.call"].search(
                [("call_ref", "=", answer["call_id"])]
            )
            self.assertEqual(len(call), 1, f"case {case}")
            self.assertEqual(call.state, answer["state"], f"case {case}")
            expected = (
                ("done" if call.answer_date else "missed")
                if call.end_date
                else ("answered" if call.answer_date else "ringing")
            )
            self.assertEqual(call.state, expected, f"case {case}")
            self.assertEqual(
                bool(call.missed_call_id),
                bool(call.state == "missed" and call.phone and call.direction == "in"),
                f"case {case}",
            )
        missed = self.env["jecree.missed.call"].search([])
        for line in missed:
            self.assertEqual(line.attempts, len(line.call_ids))
            self.assertTrue(all(c.state == "missed" for c in line.call_ids))
        _logger.info("telephony fuzz: %s cases, answers %s", CASES, statuses)
        self.assertGreater(statuses.get(200, 0), CASES // 10)
        self.assertGreater(statuses.get(422, 0), CASES // 10)
