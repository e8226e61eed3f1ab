# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, timedelta
from urllib.parse import urlencode

from markupsafe import escape

from odoo.tests import tagged
from odoo.tools import plaintext2html
from odoo.tools.misc import hmac

from odoo.addons.jecree_project.tests.common import XSS, EscapedHtmlMixin

from .test_portal import JecreePortalCase


@tagged("post_install", "-at_install")
class TestSanitize(EscapedHtmlMixin, JecreePortalCase):
    """Text typed by agents, managers and advisers (porteur, project, structure
    and adviser names, decline reasons, notes) is shown as text in the portal,
    the referral emails and the chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cma.name = f"CMA {XSS}"
        cls.cma_arras.name = f"Arras {XSS}"
        cls.adviser_cma.name = f"Conseillère {XSS}"
        # the description as the HTML editor keeps the text an agent typed
        cls.lead = cls.make_porteur(XSS, description=plaintext2html(f"Projet {XSS}"))
        cls.referral = cls.make_referral(
            cls.lead, cls.cma_arras, adviser_id=cls.adviser_cma.id
        )

    def mails(self, referral):
        return self.env["mail.mail"].search(
            [("model", "=", "jecree.referral"), ("res_id", "=", referral.id)]
        )

    def test_portal_pages(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        self.assertIn(XSS, self.referral.project_summary, "the summary holds it")
        for url in (
            "/my/referrals",
            "/my/referrals?search=script&search_in=porteur",
            self.referral.access_url,
            # the message of a refused action comes back in the URL, signed
            self.error_url(XSS),
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assert_escaped(page.text, url)
        page = self.url_open(self.referral.access_url)
        self.assertIn(str(escape(f"Arras {XSS}")), page.text, "the antenna")

    def error_url(self, message, signature=None):
        if signature is None:
            signature = hmac(
                self.env(su=True),
                "jecree_referral.error",
                f"{self.referral.id}:{message}",
            )
        query = urlencode({"error": message, "sig": signature})
        return f"{self.referral.access_url}?{query}"

    def test_error_message_only_from_the_portal(self):
        """A link cannot make the referral's page show a message of its choosing:
        without the signature of the refused action, or with another referral's
        or message's, no message."""
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        lure = "Votre compte est suspendu : appelez le 08 99 00 00 00"
        signed = self.url_open(self.error_url(lure))
        self.assertIn(lure, signed.text, "the signed message is shown")
        for url in (
            f"{self.referral.access_url}?{urlencode({'error': lure})}",
            self.error_url(lure, signature="0" * 64),
            self.error_url(lure, signature=self.error_url("Autre")[-64:]),
        ):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertNotIn(lure, page.text, url)

    def test_referral_emails(self):
        self.referral._notify_structure()
        to_structure = self.mails(self.referral)
        self.assertEqual(to_structure.recipient_ids, self.adviser_cma)
        self.assert_escaped(to_structure.body_html, "email to the structure")
        self.assertIn(str(escape(f"Projet {XSS}")), to_structure.body_html)
        start = (datetime.now() + timedelta(days=3)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        self.post(
            self.referral,
            "appointment",
            appointment_start=start.strftime("%Y-%m-%dT%H:%M"),
        )
        self.assertEqual(self.referral.state, "rdv_fixe")
        to_porteur = self.mails(self.referral) - to_structure
        self.assertEqual(to_porteur.recipient_ids, self.lead.partner_id)
        body = to_porteur.body_html
        self.assert_escaped(body, "email to the porteur")
        for name in (f"Arras {XSS}", f"Conseillère {XSS}"):
            self.assertIn(str(escape(name)), body)
        for mail in to_structure | to_porteur:
            self.assert_escaped(mail.mail_message_id.body, "message of the email")

    def test_chatter(self):
        """A decline reason and notes, from the portal and the web client."""
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        self.post(self.referral, "refuse", reason=XSS)
        self.assertEqual(self.referral.refusal_reason, XSS, "kept as typed")
        notes = {}
        for login in ("jr_portal_cma", "jr_agent"):
            self.authenticate(login, login)
            for kind, body in (("text", plaintext2html(XSS)), ("html", XSS)):
                # the web client sends the note as HTML; a hostile one, raw HTML
                notes[login, kind] = self.make_jsonrpc_request(
                    "/mail/message/post",
                    {
                        "thread_model": "jecree.referral",
                        "thread_id": self.referral.id,
                        "post_data": {
                            "body": body,
                            "message_type": "comment",
                            "subtype_xmlid": "mail.mt_comment",
                        },
                    },
                )["message_id"]
        # the chatter as the agent's web client fetches it
        fetched = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "jecree.referral", "thread_id": self.referral.id},
        )
        bodies = {
            message["id"]: message["body"][1]
            if isinstance(message["body"], list)
            else message["body"]
            for message in fetched["data"]["mail.message"]
        }
        self.assertLessEqual(set(notes.values()), set(bodies))
        for (login, kind), message_id in notes.items():
            check = self.assert_escaped if kind == "text" else self.assert_sanitised
            check(bodies[message_id], f"note of {login} ({kind})")
        for message_id, body in bodies.items():
            self.assertNotIn(XSS, body or "", message_id)
        # the reason is a tracked value, rendered as text by the web client
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "jecree.referral"),
                ("mail_message_id.res_id", "=", self.referral.id),
                ("field_id.name", "=", "refusal_reason"),
            ]
        )
        self.assertEqual(tracked.new_value_char or tracked.new_value_text, XSS)
