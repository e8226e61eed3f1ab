# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import os

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_path

from .common import load_french

#: axe-core from npm (package.json at the repository's root: `npm ci`)
AXE = os.path.join(
    os.path.dirname(file_path("jecree_project/__manifest__.py")),
    "..",
    "..",
    "node_modules",
    "axe-core",
    "axe.min.js",
)


@tagged("post_install", "-at_install")
class TestCallbackFormTour(HttpCase):
    """The public form in a real browser, anonymous, with axe-core run on the
    form, on the form shown again with its errors and on the thank-you page."""

    def test_callback_form_tour(self):
        if not os.path.exists(AXE):
            self.skipTest(
                "axe-core is not installed: run npm ci at the repository root"
            )
        load_french(self.env)
        with open(AXE, "rb") as axe:
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "axe.min.js",
                    "raw": axe.read(),
                    "mimetype": "text/javascript",
                    "public": True,
                }
            )
        options = {"stepDelay": 0, "startUrl": "/jecree/rappel"}
        url = f"/web/content/{attachment.id}"
        code = (
            f"sessionStorage.setItem('jecree_axe_url', {json.dumps(url)});"
            f"odoo.startTour('jecree_callback_form_tour', {json.dumps(options)});"
        )
        self.start_tour("/jecree/rappel", "jecree_callback_form_tour", code=code)
        lead = self.env["crm.lead"].search([("contact_name", "=", "Tour Porteuse")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.commune_id.name, "Arras")
        self.assertEqual((lead.project_kind, lead.sector), ("reprise", "artisanat"))
        self.assertEqual(lead.phone_sanitized, "+33611223344")
        self.assertTrue(lead.consent)
        request = self.env["jecree.callback.request"].search(
            [("lead_id", "=", lead.id)]
        )
        self.assertIn("boulangerie", request.activity_id.note)
