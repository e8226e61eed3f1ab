# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import json
from datetime import datetime, timedelta

from openpyxl import load_workbook

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.jecree_project.tests.common import XSS, EscapedHtmlMixin
from odoo.addons.jecree_referral.tests.common import JecreeReferralMixin

BROCHURE = "jecree_followup.report_brochure"
PACK = "jecree_followup.monthly_pack_xlsx"
ATTACHMENTS = (
    "lead",  # on the porteur (crm.lead)
    "call",  # on a call (crm.phonecall)
    "brochure",  # the brochure of the email to the porteur (on its mail.message)
    "ics_cma",  # the .ics of the appointment, on the CMA's referral
    "ics_bge",  # the same on the BGE's
    "cma",  # on the structure A (res.partner)
    "bge",  # on the structure B
)
#: what each role downloads (any route of an attachment); the rest is refused
ALLOWED = {
    "public": set(),
    "portal": set(),  # a portal user who is no adviser
    # no ACL on ir.attachment for portal users, and the portal shows none
    "adviser": set(),
    # agents work every porteur, call and referral, and read the directory;
    # the pack reads the calls analysis, managers' only
    "agent": {"brochure_html", "brochure_pdf", *ATTACHMENTS},
    "manager": {"brochure_html", "brochure_pdf", "pack", "pack_month", *ATTACHMENTS},
}
LOGINS = {
    "public": None,
    "portal": "jf_portal",
    "adviser": "jr_portal_cma",
    "agent": "jr_agent",
    "manager": "jr_manager",
}


@tagged("post_install", "-at_install")
class TestReportAccess(EscapedHtmlMixin, JecreeReferralMixin, HttpCase):
    """Who downloads the brochures, the monthly pack and the attachments of
    porteurs, calls, referrals and structures, through the web routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.portal = new_test_user(
            cls.env, login="jf_portal", groups="base.group_portal"
        )
        cls.lead_cma = cls.make_porteur(
            "Porteuse CMA", email_from="porteuse.cma@example.com"
        )
        cls.lead_bge = cls.make_porteur("Porteur BGE", sector="services")
        referrals = cls.make_referral(
            cls.lead_cma, cls.cma_arras, adviser_id=cls.adviser_cma.id
        ) | cls.make_referral(cls.lead_bge, cls.bge_campagnes)
        start = (datetime.now() + timedelta(days=3)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        for referral in referrals:  # each mails the porteur its .ics
            referral._book_appointment(start, start + timedelta(hours=1))
        call = cls.env["crm.phonecall"].create(
            {"name": "Appel CMA", "opportunity_id": cls.lead_cma.id}
        )
        cls.lead_cma.with_user(cls.agent)._jecree_send_brochure()
        ics = {
            attachment.res_id: attachment
            for attachment in cls.env["ir.attachment"].search(
                [("res_model", "=", "jecree.referral"), ("res_id", "in", referrals.ids)]
            )
        }
        cls.attachments = {
            "lead": cls.attach(cls.lead_cma),
            "call": cls.attach(call),
            "brochure": cls.lead_cma.brochure_sending_ids.mail_id.attachment_ids,
            "ics_cma": ics[referrals[0].id],
            "ics_bge": ics[referrals[1].id],
            "cma": cls.attach(cls.cma),
            "bge": cls.attach(cls.bge),
        }
        cls.wizard = (
            cls.env["jecree.monthly.pack.wizard"]
            .with_user(cls.manager)
            .create({"year": 2026, "month": "3"})
        )

    @classmethod
    def attach(cls, record):
        return cls.env["ir.attachment"].create(
            {
                "name": "note.txt",
                "raw": f"Note on {record._name} {record.display_name}".encode(),
                "res_model": record._name,
                "res_id": record.id,
            }
        )

    def probes(self):
        """{probe: [(url, bytes the body holds when it is served)]}"""
        month = json.dumps({"year": 2026, "month": 3})
        porteur = b"Porteuse CMA"
        probes = {
            "brochure_html": [(f"/report/html/{BROCHURE}/{self.lead_cma.id}", porteur)],
            # no wkhtmltopdf here: in test mode Odoo serves the report's HTML on
            # the PDF route, through the same access checks
            "brochure_pdf": [(f"/report/pdf/{BROCHURE}/{self.lead_cma.id}", porteur)],
            # a zip (xlsx) header, which no error page holds
            "pack": [(f"/report/xlsx/{PACK}/{self.wizard.id}", b"PK\x03\x04")],
            "pack_month": [(f"/report/xlsx/{PACK}?options={month}", b"PK\x03\x04")],
        }
        for name, attachment in self.attachments.items():
            self.assertEqual(len(attachment), 1, name)
            probes[name] = [
                (f"/web/content/{attachment.id}", attachment.raw),
                (f"/web/content/ir.attachment/{attachment.id}/datas", attachment.raw),
            ]
        return probes

    @mute_logger(
        "odoo.http",
        "odoo.addons.base.models.ir_rule",
        "odoo.addons.base.models.ir_model",
    )
    def test_downloads_per_role(self):
        probes = self.probes()
        self.assertEqual(set(ALLOWED["manager"]), set(probes), "the manager gets all")
        for role, login in LOGINS.items():
            self.authenticate(login, login)
            for probe, requests in probes.items():
                for url, content in requests:
                    with self.subTest(role=role, url=url):
                        response = self.url_open(url, allow_redirects=False)
                        if probe in ALLOWED[role]:
                            self.assertEqual(response.status_code, 200)
                            self.assertIn(content, response.content)
                        else:
                            # the login page (public), forbidden, or not found
                            self.assertIn(response.status_code, (303, 403, 404))
                            self.assertNotIn(content, response.content)
                        if probe.startswith("pack") and probe in ALLOWED[role]:
                            book = load_workbook(io.BytesIO(response.content))
                            self.assertEqual(book.sheetnames[0], "Activity")

    def test_brochure_escapes_typed_text(self):
        """The porteur's name and the brochure's name, typed by agents and
        managers, are text in the brochure, its email and the chatter note."""
        self.env.ref("jecree_followup.jecree_brochure_creation").name = XSS
        lead = self.make_porteur(XSS, email_from="xss@example.com")
        self.authenticate("jr_agent", "jr_agent")
        for converter in ("html", "pdf"):
            page = self.url_open(f"/report/{converter}/{BROCHURE}/{lead.id}")
            self.assertEqual(page.status_code, 200)
            self.assert_escaped(page.text, f"brochure {converter}")
        lead.with_user(self.agent)._jecree_send_brochure()
        mail = lead.brochure_sending_ids.mail_id
        self.assert_escaped(mail.body_html, "brochure email")
        self.assert_escaped(mail.attachment_ids.raw.decode(), "attached brochure")
        note = lead.message_ids.filtered(lambda m: "sent to xss@" in str(m.body))
        self.assert_escaped(note.body, "chatter note")
