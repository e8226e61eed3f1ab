# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import load_french
from .test_log_call import FIRST_PHONE, PHONE_FORMATS


@tagged("post_install", "-at_install")
class TestLogCallRpc(HttpCase):
    """crm.lead.jecree_log_call from another program, as the README shows it:
    JSON-RPC (/json/2 with an API key) and XML-RPC (execute_kw). The client asks
    for French (context lang): refusals come back in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        groups = {
            "agent": "jecree_project.group_jecree_agent",
            "employee": "base.group_user",
            "portal": "base.group_portal",
        }
        cls.users, cls.keys = {}, {}
        for role, group in groups.items():
            user = new_test_user(
                cls.env,
                login=f"log_rpc_{role}",
                password=f"log_rpc_{role}_pwd1",
                groups=group,
                lang="fr_FR",
            )
            cls.users[role] = user
            cls.keys[role] = (
                cls.env["res.users.apikeys"]
                .with_user(user)
                .sudo()
                ._generate(None, "log call", datetime.now() + timedelta(days=0.5))
            )
        cls.porteur = cls.env["crm.lead"].create(
            {"name": "Porteur RPC", "is_porteur": True, "phone": "+33 9 20 66 66 66"}
        )

    def json2(self, role, values):
        """POST /json/2/crm.lead/jecree_log_call as `role`, in French (the
        user's language, as a client sends it): (status, body)."""
        response = self.url_open(
            "/json/2/crm.lead/jecree_log_call",
            data=json.dumps({"values": values, "context": {"lang": "fr_FR"}}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.keys[role]}",
            },
        )
        return response.status_code, response.json()

    def counts(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        Call = self.env["crm.phonecall"].with_context(active_test=False)
        return Lead.search_count([]), Call.search_count([])

    def test_new_and_returning_caller(self):
        status, first = self.json2(
            "agent",
            {
                "phone": FIRST_PHONE,
                "contact_name": "Inès Réseau",
                "zip_code": "59000",
                "sector": "commerce",
                "nature": "information",
                "duration": 5,
            },
        )
        self.assertEqual(status, 200, first)
        self.assertEqual(set(first), {"lead_id", "call_id", "returning"})
        self.assertFalse(first["returning"])
        lead = self.env["crm.lead"].browse(first["lead_id"])
        self.assertEqual(lead.contact_name, "Inès Réseau")
        self.assertEqual(lead.commune_id.name, "Lille")
        self.assertEqual(lead.phonecall_ids.ids, [first["call_id"]])
        self.assertEqual(lead.phonecall_ids.user_id, self.users["agent"])
        for typed in PHONE_FORMATS:
            before = self.counts()
            status, result = self.json2("agent", {"phone": typed, "nature": "autre"})
            self.assertEqual(status, 200, result)
            self.assertEqual(result["lead_id"], lead.id, typed)
            self.assertTrue(result["returning"], typed)
            self.assertEqual(self.counts(), (before[0], before[1] + 1), typed)
        self.assertEqual(len(lead.phonecall_ids), 1 + len(PHONE_FORMATS))

    @mute_logger("odoo.http")
    def test_bad_values_refused_in_french(self):
        cases = [
            ({"phone": "12", "contact_name": "X"}, "Le numéro de téléphone 12 n'est"),
            ({"email": "pas-un-email"}, "L'adresse e-mail pas-un-email n'est pas"),
            ({"zip_code": "75001", "contact_name": "X"}, "Le code postal 75001 est"),
            (
                {"qualification": "plaisantin", "lead_id": self.porteur.id},
                "ne peut pas être rattaché à un porteur",
            ),
            ({"contact_name": "X", "funding_need": -10}, "besoin de financement"),
            ({"contact_name": "X", "duration": -1}, "durée d'un appel"),
            ({"contact_name": "X", "canal": "web"}, "Valeurs inconnues"),
            ({"contact_name": "X", "nature": "spam"}, "spam n'est pas une valeur"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                before = self.counts()
                status, body = self.json2("agent", values)
                self.assertEqual(status, 422, body)
                self.assertEqual(body["name"], "odoo.exceptions.UserError")
                self.assertIn(message, body["message"])
                self.assertEqual(self.counts(), before)

    @mute_logger("odoo.http")
    def test_outside_the_call_center_refused(self):
        for role in ("employee", "portal"):
            with self.subTest(role=role):
                before = self.counts()
                status, body = self.json2(
                    role, {"phone": "06 98 76 54 32", "contact_name": "Intrus"}
                )
                self.assertEqual(status, 403, body)
                self.assertEqual(body["name"], "odoo.exceptions.AccessError")
                self.assertIn(
                    "Seuls les agents et responsables du centre d'appels",
                    body["message"],
                )
                self.assertEqual(self.counts(), before)

    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.xmlrpc")
    def test_xml_rpc(self):
        db, login = self.env.cr.dbname, "log_rpc_agent"
        uid = self.xmlrpc_common.authenticate(db, login, "log_rpc_agent_pwd1", {})
        self.assertEqual(uid, self.users["agent"].id)

        def execute(values):
            return self.xmlrpc_object.execute_kw(
                db,
                uid,
                "log_rpc_agent_pwd1",
                "crm.lead",
                "jecree_log_call",
                [values],
                {"context": {"lang": "fr_FR"}},
            )

        result = execute({"phone": "+33 9 20 66 66 66", "nature": "orientation"})
        self.assertEqual(
            result,
            {
                "lead_id": self.porteur.id,
                "call_id": self.porteur.phonecall_ids.id,
                "returning": True,
            },
        )
        prank = execute({"phone": "0900000003", "qualification": "plaisantin"})
        self.assertEqual((prank["lead_id"], prank["returning"]), (False, False))
        before = self.counts()
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            execute({"contact_name": "X", "jobs_planned": -1})
        self.assertIn("nombre d'emplois prévus", caught.exception.faultString)
        self.assertEqual(self.counts(), before)
        uid = self.xmlrpc_common.authenticate(
            db, "log_rpc_employee", "log_rpc_employee_pwd1", {}
        )
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                db,
                uid,
                "log_rpc_employee_pwd1",
                "crm.lead",
                "jecree_log_call",
                [{"contact_name": "Intrus"}],
                {"context": {"lang": "fr_FR"}},
            )
        self.assertIn("Seuls les agents", caught.exception.faultString)
        self.assertEqual(self.counts(), before)
