# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager
from unittest import SkipTest
from unittest.mock import patch

import requests

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.iap.tools import iap_tools

from ..tools.privacy import IAP_ENABLED_PARAM, iap_enabled
from .common import JecreeProjectCase

#: a company domain (not a webmail): Odoo's lead enrichment would send it
EMAIL = "claire.martin@boulangerie-martin-arras.fr"
ENRICH_ENDPOINT = "/iap/clearbit/1/lead_enrichment_email"


@tagged("post_install", "-at_install")
class TestPrivacy(JecreeProjectCase):
    """Nothing about a porteur leaves the server unless a manager turns Odoo's
    online services on: an intake, the enrichment cron and a name typed in a
    contact form attempt no IAP or HTTP request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        modules = cls.env["ir.module.module"].search(
            [
                ("name", "in", ("crm_iap_enrich", "partner_autocomplete")),
                ("state", "=", "installed"),
            ]
        )
        if len(modules) < 2:
            raise SkipTest("crm_iap_enrich and partner_autocomplete are not installed")
        cls.cron = cls.env.ref("crm_iap_enrich.ir_cron_lead_enrichment")

    @contextmanager
    def outgoing(self):
        """Record every request that would leave the server: IAP's JSON-RPC (every
        IAP service ends there), partner autocomplete's IAP call (which refuses in
        test mode before reaching it), and any HTTP request made with requests."""
        sent = []

        def iap_jsonrpc(url, method="call", params=None, timeout=15):
            sent.append(url)
            # the enrichment service's answer: nothing found for these leads
            return {
                str(lead_id): False for lead_id in (params or {}).get("domains", {})
            }

        def contact_autocomplete(model, local_endpoint, action, *args, **kwargs):
            sent.append(f"{local_endpoint}/{action}")
            return {"data": []}

        def http(session, method, url, *args, **kwargs):
            sent.append(url)
            raise AssertionError(f"HTTP request to {url}")

        with (
            patch.object(iap_tools, "iap_jsonrpc", side_effect=iap_jsonrpc),
            patch.object(
                type(self.env["iap.autocomplete.api"]),
                "_contact_iap",
                contact_autocomplete,
            ),
            patch.object(requests.Session, "request", http),
        ):
            yield sent

    def agents_day(self):
        """An intake with a company email, the enrichment cron, a structure's name
        and a domain typed in a contact form."""
        result = (
            self.env["crm.lead"]
            .with_user(self.agent)
            .jecree_log_call(
                {
                    "phone": "06 12 34 56 78",
                    "email": EMAIL,
                    "contact_name": "Claire Martin",
                }
            )
        )
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.assertEqual(lead.email_from, EMAIL)
        self.enrich_button_shown = lead.show_enrich_button
        self.env["crm.lead"]._iap_enrich_leads_cron()
        partners = self.env["res.partner"].with_user(self.agent)
        partners.autocomplete_by_name("Boulangerie Martin", False)
        partners.enrich_by_domain("boulangerie-martin-arras.fr")
        return lead

    def test_off_by_default(self):
        triggers = self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.cron.id)]
        )
        with self.outgoing() as sent:
            lead = self.agents_day()
            self.assertEqual(
                self.env["res.partner"].autocomplete_by_vat("FR40303265045", False),
                [],
            )
            self.env.company.write(
                {"website": "https://www.je-cree-hdf.fr", "iap_enrich_auto_done": False}
            )
            self.env.company.iap_enrich_auto()
        self.assertEqual(sent, [], "nothing is sent out")
        # and the agent cannot send it by hand
        self.assertFalse(self.enrich_button_shown, "no Enrich button on the porteur")
        with self.outgoing() as sent, self.assertRaises(UserError):
            lead.iap_enrich()
        self.assertEqual(sent, [])
        self.assertFalse(lead.iap_enrich_done)
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            triggers,
            "a new porteur does not start the enrichment cron",
        )
        # the settings a new database gets (data/privacy_data.xml)
        self.assertFalse(iap_enabled(self.env))
        self.assertFalse(self.cron.active, "the enrichment cron is off")
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("crm.iap.lead.enrich.setting"),
            "manual",
        )

    def test_on_when_a_manager_turns_it_on(self):
        """The counterpart: with the setting on, the same day sends the porteur's
        email domain and the typed name, and the recorder sees it (so the test
        above would fail if anything went out)."""
        settings = self.env["res.config.settings"].create(
            {"jecree_iap_enabled": True, "lead_enrich_auto": "auto"}
        )
        settings.execute()
        self.assertTrue(iap_enabled(self.env))
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(IAP_ENABLED_PARAM), "True"
        )
        with self.outgoing() as sent:
            lead = self.agents_day()
        self.assertTrue(
            any(url.endswith(ENRICH_ENDPOINT) for url in sent),
            f"the enrichment request was attempted: {sent}",
        )
        self.assertIn("/api/dnb/1/search_by_name", sent)
        self.assertTrue(lead.iap_enrich_done)
        self.assertTrue(self.enrich_button_shown)
