# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import random

from odoo.tests import HttpCase, tagged

from ..models.jecree_callback_request import PRIVACY_NOTICE_VERSION
from .common import fuzz_cases, random_fields
from .test_callback_form import GOOD, CallbackFormMixin

CASES = fuzz_cases()
SEED = 20261202

TEXTS = [
    "",
    " ",
    "\x00",
    "Zoé Fuzz",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE crm_lead; --",
    "🙂 Émoji",
    "x" * 101,
    "é" * 3000,
    "Jean\nDupont",
    "%",
]
PHONES = [
    "06 12 34 56 78",
    "+33 6 12 34 56 78",
    "0033 7 11 22 33 44",
    "03.20.12.34.56",
    "12",
    "abc",
    "+1 202 555 0143",
    "0" * 40,
    "☎ 06 12 34 56 78",
    "",
]
EMAILS = [
    "a@b.fr",
    "Jean.Dupont@Example.COM",
    "x@",
    "<b>@x.fr",
    "",
    "a" * 300 + "@e.fr",
]
ZIPS = ["59000", "62000", "62130", "99999", "", "59 000", "5900", "abc", "9" * 20]
COMMUNES = ["", "abc", "-1", "0", "99999999", "1e3", str(2**40), "१२"]
KINDS = ["creation", "reprise", "", "franchise", "<b>"]
SECTORS = ["commerce", "services", "artisanat", "industrie", "a_preciser", "", "x"]
BAD_SLOTS = ["", "demain", "2020-01-06:am", "2026-13-01:pm", "asap:am", "9" * 13]
CONSENTS = ["on", "on", "on", "", "off", "1"]
VERSIONS = [PRIVACY_NOTICE_VERSION] * 5 + ["", "2020-01-01", "<b>"]


@tagged("post_install", "-at_install", "jecree_fuzz")
class TestCallbackFormFuzz(CallbackFormMixin, HttpCase):
    """Seeded random posts of the public form over HTTP (JECREE_FUZZ_CASES,
    100 by default, 1,000 in `make fuzz`): every field given good, bad, hostile
    or no values, unknown fields, a repeated field, a few posts without CSRF
    token or with the honeypot filled. Each answer is one expected (303 saved,
    422 refused with the form, 400 no token, 413 too large), never a 500; a
    refused post writes nothing, a saved one writes one request, one activity,
    at most one porteur and no call."""

    def test_random_posts(self):
        rng = random.Random(SEED)
        env = self.env
        arras = env.ref("jecree_project.res_city_fr_62041").id
        lille = env.ref("jecree_project.res_city_fr_59350").id
        slots = [
            value
            for value, __ in env["jecree.callback.request"]._jecree_offered_slots()
        ]
        token = self.csrf()
        statuses = {}
        for case in range(CASES):
            values = dict(GOOD)
            values.update(
                random_fields(
                    rng,
                    (
                        ("contact_name", TEXTS + ["Porteuse %s" % case]),
                        ("phone", PHONES + ["06 %08d" % rng.randrange(10**8)] * 3),
                        ("email", EMAILS),
                        ("zip_code", ZIPS),
                        ("commune_id", COMMUNES + [str(arras), str(lille)]),
                        ("project_kind", KINDS),
                        ("sector", SECTORS),
                        ("notes", TEXTS),
                        ("slot", slots + BAD_SLOTS),
                        ("consent", CONSENTS),
                        ("consent_version", VERSIONS),
                        ("foo", ["bar", "<b>"]),
                    ),
                    0.3,
                )
            )
            for fname in list(values):
                if rng.random() < 0.05:
                    del values[fname]
            if rng.random() < 0.05:
                values["sector"] = ["commerce", "x"]  # the field twice
            honeypot = rng.random() < 0.05
            if honeypot:
                values["website"] = "http://spam.example.com"
            without_token = rng.random() < 0.05
            before = self.snapshot()
            with self.subTest(case=case):
                response = self.post(values, token=None if without_token else token)
                status = response.status_code
                statuses[status] = statuses.get(status, 0) + 1
                after = self.snapshot()
                if without_token:
                    self.assertEqual(status, 400)
                elif honeypot:
                    self.assertEqual(status, 303)
                else:
                    self.assertIn(status, (303, 413, 422))
                if status != 303 or honeypot or without_token:
                    self.assertEqual(after, before)
                    continue
                self.assertEqual(
                    after["jecree.callback.request"],
                    before["jecree.callback.request"] + 1,
                )
                self.assertEqual(after["mail.activity"], before["mail.activity"] + 1)
                self.assertIn(after["crm.lead"] - before["crm.lead"], (0, 1))
                self.assertEqual(after["crm.phonecall"], before["crm.phonecall"])
        # the sequence saves some and refuses some: both branches ran
        self.assertGreater(statuses.get(303, 0), CASES // 20, statuses)
        self.assertGreater(statuses.get(422, 0), CASES // 5, statuses)
