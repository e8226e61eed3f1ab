# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import random
import re
import time
from contextlib import nullcontext
from datetime import datetime, timedelta
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from pytz import utc

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.jecree_project.tests.common import fuzz_cases, random_fields

from ..controllers.portal import JecreeReferralPortal
from ..models.jecree_referral import STATES as STATE_LABELS
from ..models.jecree_referral import TRANSITIONS
from .common import SEED, TEXTS, JecreeFuzzMixin, JecreeReferralMixin

CASES = fuzz_cases()
ACTIONS = {
    "accept": "acceptee",
    "refuse": "refusee",
    "appointment": "rdv_fixe",
    "kept": "honore",
    "not_kept": "non_honore",
    "support": "accompagnement",
}
STATES = [state for state, _label in STATE_LABELS]
#: what the list's parameters can be sent as
PAGES = ["1", "2", "3", "0", "-1", "abc", "²", "١", "9" * 30, "1.5", ""]
SORTINGS = ["date", "name", "porteur", "state", "", "id desc", "name;--", "<b>"]
SEARCHES = TEXTS + ["%", "_", "\\", "\x00", "Porteuse", "ORI/", "a\x00b"]
SEARCH_INS = ["all", "porteur", "name", "", "x", "<b>"]
#: dates typed (or sent) for the appointment: the edges of the calendar, a day
#: that does not exist, the night the clocks go forward, no date at all
BAD_DATES = [
    "",
    "demain",
    "2026-02-30T10:00",
    "2026-13-01T10:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:30",
    "2026-12-08 10:00",
    "9" * 5000,
    "<script>",
    "\x00",
]
REASONS = TEXTS + ["\x00Motif", "Hors territoire", "a" * 100000]


@tagged("post_install", "-at_install", "jecree_fuzz")
class TestPortalFuzz(JecreeFuzzMixin, JecreeReferralMixin, HttpCase):
    """1,000 seeded requests of a CMA adviser (portal user, in French) to
    /my/referrals, all over HTTP with a valid CSRF token (a few without): the
    list with random page, sort and search parameters (HTML, SQL, emoji, NUL,
    100,000 characters); a referral's page; the actions (accept, decline with a
    reason, confirm or move the appointment, kept, not kept, support started,
    and unknown ones) on the adviser's referrals in random states, on the BGE's,
    on missing ids and on ids beyond the database's integers, with bad dates.

    All of it over HTTP, none by calling the controller's methods: a POST
    answers with a redirect that is not followed, so the 1,000 requests take
    20 to 25 s on the 2-core machine, and the routing, the CSRF check, the
    parameters' decoding, the session's context (a portal user without a time
    zone) and the rollback of a refused action are all exercised.

    Each answer is the one expected: 200 (pages), 303 (actions, a refusal with
    its French message in ?error=), 403 (the BGE's referrals), 404 (missing,
    unknown action), 400 (no CSRF token); never 500. A refusal or a forbidden
    request changes no referral and leaves no meeting, mail, contact or
    attachment behind. The BGE's referrals never show in the adviser's list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.setup_french(cls.portal_cma, cls.portal_bge)
        rng = random.Random(SEED)
        cls.own = cls.env["jecree.referral"]
        for number in range(12):
            lead = cls.make_porteur(name=f"Porteuse {number} {rng.choice(TEXTS)}")
            cls.own |= cls.make_referral(
                lead, rng.choice([cls.cma_arras, cls.cma_bapaume])
            )
        cls.own[:6].adviser_id = cls.adviser_cma
        cls.others = cls.env["jecree.referral"]
        for number in range(3):
            lead = cls.make_porteur(name=f"Porteur BGE {number}", sector="services")
            cls.others |= cls.make_referral(lead, cls.bge_campagnes)
        last = cls.env["jecree.referral"].search([], order="id desc", limit=1).id
        cls.missing = [0, last + 1000, 2**31, 10**20]

    def setUp(self):
        super().setUp()
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        page = self.url_open(self.own[0].access_url)
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        # a few referrals a page: the pager has pages to go to
        self.startPatcher(patch.object(JecreeReferralPortal, "_items_per_page", 5))

    def get_list(self, rng):
        params = random_fields(
            rng,
            (
                ("page", PAGES),
                ("sortby", SORTINGS),
                ("search", SEARCHES),
                ("search_in", SEARCH_INS),
                ("foo", ["bar", "<b>"]),
            ),
            0.5,
        )
        path = rng.choice(
            ["/my/referrals"] * 4
            + [
                "/my/referrals/page/2",
                "/my/referrals/page/0",
                f"/my/referrals/page/{10**20}",
            ]
        )
        response = self.url_open(path, params=params)
        self.assertEqual(response.status_code, 200, f"{path} {params!r}")
        for referral in self.others:
            self.assertNotIn(referral.name, response.text)
        self.assertNotIn("<script>alert", response.text)
        return "list"

    def random_id(self, rng):
        """(id, the answer expected for a referral of the adviser)."""
        roll = rng.random()
        if roll < 0.8:
            return rng.choice(self.own).id, None
        if roll < 0.9:
            return rng.choice(self.others).id, 403
        return rng.choice(self.missing), 404

    def get_referral(self, rng):
        referral_id, expected = self.random_id(rng)
        params = {"error": rng.choice(TEXTS)} if rng.random() < 0.3 else None
        response = self.url_open(f"/my/referrals/{referral_id}", params=params)
        self.assertEqual(response.status_code, expected or 200, f"{referral_id}")
        self.assertNotIn("<script>alert", response.text)
        return "page"

    def random_post(self, rng, action):
        data = {"csrf_token": self.token}
        if rng.random() < 0.03:
            data["csrf_token"] = rng.choice(["", "x", "0" + self.token])
        if rng.random() < 0.5:
            data["reason"] = rng.choice(REASONS)
        if rng.random() < (0.9 if action == "appointment" else 0.2):
            # a day before or after today (never today: the answer would depend on
            # the hour the test runs)
            days = rng.choice([-3, -2, -1] + list(range(1, 41)))
            good = datetime.now(self.env.company._jecree_tz()) + timedelta(days=days)
            good = good.replace(hour=rng.randint(0, 23))
            data["appointment_start"] = rng.choice(
                [good.strftime("%Y-%m-%dT%H:%M")] * 3 + BAD_DATES
            )
        return data

    def post_action(self, rng, case):
        referral_id, expected = self.random_id(rng)
        referral = self.env["jecree.referral"].browse(referral_id)
        if rng.random() < 0.9:
            action = rng.choice(list(ACTIONS))
        else:
            action = rng.choice(["close", "unlink", "ACCEPT", "x" * 300])
        roll = rng.random()
        if expected is None and roll < 0.8:
            # the adviser's referrals go through every state; mostly one where
            # the page offers the action
            sources = TRANSITIONS.get(ACTIONS.get(action), STATES)
            referral.state = rng.choice(sources if roll < 0.6 else STATES)
        data = self.random_post(rng, action)
        if data["csrf_token"] != self.token:
            expected = 400
        elif expected is None and action not in ACTIONS:
            expected = 404
        self.env.flush_all()
        before = self.record_counts()
        state = referral.state if referral.exists() else None
        previous_reason = referral.refusal_reason if state else None
        url = f"/my/referrals/{referral_id}/{action}"
        with mute_logger("odoo.http") if expected == 400 else nullcontext():
            response = self.url_open(url, data=data, allow_redirects=False)
        self.env.invalidate_all()
        if expected:
            self.assertEqual(response.status_code, expected, f"case {case}: {url}")
            self.assertEqual(self.record_counts(), before, f"case {case}")
            if state:
                self.assertEqual(referral.state, state, f"case {case}")
            return f"http {expected}"
        self.assertEqual(response.status_code, 303, f"case {case}: {url} {data!r}")
        error = parse_qs(urlsplit(response.headers["Location"]).query).get("error")
        if error:
            msgid = self.assert_french(error[0], case)
            self.refusals[msgid] += 1
            self.assertEqual(referral.state, state, f"case {case}: {msgid}")
            self.assertEqual(self.record_counts(), before, f"case {case}: {msgid}")
            return "refused"
        self.assertEqual(referral.state, ACTIONS[action], f"case {case}: {data!r}")
        if action == "refuse":
            # a blank reason keeps the one given before
            reason = data.get("reason", "").replace("\x00", "").strip()
            reason = reason or previous_reason
            self.assertEqual(referral.refusal_reason, reason, f"case {case}")
        if action == "appointment":
            local = datetime.strptime(data["appointment_start"], "%Y-%m-%dT%H:%M")
            # typed in the structure's time zone
            start = referral._jecree_tz().localize(local).astimezone(utc)
            self.assertEqual(referral.appointment_start, start.replace(tzinfo=None))
            self.assertEqual(referral.sudo().event_id.start, referral.appointment_start)
        return "accepted"

    def test_random_requests(self):
        rng = random.Random(SEED)
        started = time.perf_counter()
        answers = {}
        for case in range(CASES):
            roll = rng.random()
            if roll < 0.2:
                answer = self.get_list(rng)
            elif roll < 0.3:
                answer = self.get_referral(rng)
            else:
                answer = self.post_action(rng, case)
            answers[answer] = answers.get(answer, 0) + 1
        seconds = time.perf_counter() - started
        self.log_summary("portal", CASES, seconds, **answers)
        for answer in ("list", "page", "accepted", "refused", "http 403", "http 404"):
            self.assertGreater(answers.get(answer, 0), CASES // 100, answer)
        self.assertGreater(answers.get("http 400", 0), 0)
