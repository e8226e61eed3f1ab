# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .test_portal import JecreePortalCase


@tagged("post_install", "-at_install")
class TestIsolation(JecreePortalCase):
    """An adviser of the CMA cannot read nor write a referral of the BGE, whatever
    the route: portal pages, JSON-RPC, XML-RPC."""

    def test_portal_pages(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        page = self.url_open(self.referral_bge.access_url)
        self.assertEqual(page.status_code, 403)
        self.assertNotIn("Porteur BGE", page.text)
        # a POST on another structure's referral (with a valid CSRF token)
        token = self.csrf(self.referral_cma.access_url)
        response = self.url_open(
            f"/my/referrals/{self.referral_bge.id}/accept",
            data={"csrf_token": token},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.referral_bge.state, "proposee")
        self.assertEqual(self.url_open("/my/referrals/999999").status_code, 404)

    def call_kw(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/jecree.referral/{method}",
            {
                "model": "jecree.referral",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    def test_json_rpc(self):
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        own = self.call_kw("read", [[self.referral_cma.id], ["state"]])
        self.assertEqual(own[0]["state"], "proposee")
        found = self.call_kw("search_read", [[]], {"fields": ["porteur_name"]})
        self.assertEqual([r["id"] for r in found], [self.referral_cma.id])
        with mute_logger("odoo.http"):
            with self.assertRaises(JsonRpcException) as error:
                self.call_kw("read", [[self.referral_bge.id], ["state"]])
            self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
            with self.assertRaises(JsonRpcException):
                self.call_kw("write", [[self.referral_bge.id], {"state": "acceptee"}])
            with self.assertRaises(JsonRpcException):
                self.call_kw("action_accept", [[self.referral_bge.id]])
            # nor the porteur's full record, even for their own referrals
            with self.assertRaises(JsonRpcException):
                self.call_kw("read", [[self.referral_cma.id], ["lead_id"]])
        self.assertEqual(self.referral_bge.state, "proposee")

    def test_chatter(self):
        """The chatter of another structure's referral: nothing to read, no post."""
        self.referral_bge.message_post(
            body="Message pour la BGE", subtype_xmlid="mail.mt_comment"
        )
        self.authenticate("jr_portal_bge", "jr_portal_bge")
        route = "/mail/thread/messages"
        params = {"thread_model": "jecree.referral", "thread_id": self.referral_bge.id}
        self.assertTrue(self.make_jsonrpc_request(route, params)["messages"])
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        self.assertFalse(self.make_jsonrpc_request(route, params)["messages"])
        messages = self.referral_bge.message_ids
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                dict(params, post_data={"body": "Intrus", "message_type": "comment"}),
            )
        self.assertEqual(self.referral_bge.message_ids, messages)

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_xml_rpc(self):
        db = self.env.cr.dbname
        uid = self.portal_cma.id
        models = self.xmlrpc_object
        own = models.execute_kw(
            db,
            uid,
            "jr_portal_cma",
            "jecree.referral",
            "read",
            [[self.referral_cma.id]],
            {"fields": ["state"]},
        )
        self.assertEqual(own[0]["state"], "proposee")
        with mute_logger("odoo.http"):
            with self.assertRaises(xmlrpc.client.Fault) as error:
                models.execute_kw(
                    db,
                    uid,
                    "jr_portal_cma",
                    "jecree.referral",
                    "read",
                    [[self.referral_bge.id]],
                    {"fields": ["state"]},
                )
            self.assertIn("doesn't have 'read' access", error.exception.faultString)
            with self.assertRaises(xmlrpc.client.Fault):
                models.execute_kw(
                    db,
                    uid,
                    "jr_portal_cma",
                    "jecree.referral",
                    "write",
                    [[self.referral_bge.id], {"state": "acceptee"}],
                )
        self.assertEqual(self.referral_bge.state, "proposee")
