# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, timedelta

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_portal import JecreePortalCase

#: each portal action, and the state its form is shown in
ACTIONS = {
    "accept": "proposee",
    "refuse": "proposee",
    "appointment": "acceptee",
    "kept": "rdv_fixe",
    "not_kept": "rdv_fixe",
    "support": "honore",
}
#: what a POST of each action would change
FIELDS = ["state", "refusal_reason", "appointment_start", "event_id", "date_accepted"]


@tagged("post_install", "-at_install")
class TestCsrf(JecreePortalCase):
    """Every POST form of the referrals portal carries a CSRF token, and a POST
    without a valid token changes nothing."""

    def post_forms(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return html.fromstring(page.content).xpath(
            "//form[translate(@method, 'POST', 'post') = 'post']"
        )

    def test_every_post_form_has_a_token(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        referral = self.referral_cma
        self.assertFalse(self.post_forms("/my/referrals"), "the list posts nothing")
        actions = set()
        # kept / not kept are offered once the appointment has started
        referral.appointment_start = datetime.now() - timedelta(hours=1)
        for state in ("proposee", "rdv_fixe", "honore"):
            referral.state = state
            for form in self.post_forms(referral.access_url):
                action = form.get("action")
                tokens = form.xpath(".//input[@name='csrf_token']")
                self.assertEqual(len(tokens), 1, action)
                self.assertEqual(tokens[0].get("type"), "hidden", action)
                self.assertTrue(tokens[0].get("value"), action)
                actions.add(action.rsplit("/", 1)[1])
        self.assertEqual(actions, set(ACTIONS))

    @mute_logger("odoo.http")
    def test_post_without_valid_token_refused(self):
        # a token of another session (the BGE adviser's)
        self.authenticate("jr_portal_bge", "jr_portal_bge")
        other = self.csrf(self.referral_bge.access_url)
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        referral = self.referral_cma
        valid = self.csrf(referral.access_url)
        tokens = {
            "missing": None,
            "forged": "0" * 40 + "o9999999999",
            "other session": other,
            "tampered": ("1" if valid[0] != "1" else "2") + valid[1:],
        }
        data = {
            "reason": "Hors de notre secteur",
            "appointment_start": "2030-01-07T10:00",
        }
        for action, state in ACTIONS.items():
            referral.state = state
            before = referral.read(FIELDS)
            for kind, token in tokens.items():
                with self.subTest(action=action, token=kind):
                    post = dict(data, csrf_token=token) if token else data
                    response = self.url_open(
                        f"/my/referrals/{referral.id}/{action}",
                        data=post,
                        allow_redirects=False,
                    )
                    self.assertEqual(response.status_code, 400)
                    self.env.invalidate_all()
                    self.assertEqual(referral.read(FIELDS), before)
        # nor through a GET (a link or an image in a mail)
        referral.state = "proposee"
        response = self.url_open(f"/my/referrals/{referral.id}/accept")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(referral.state, "proposee")
        # the page's own token does work
        response = self.url_open(
            f"/my/referrals/{referral.id}/accept",
            data={"csrf_token": valid},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(referral.state, "acceptee")
