# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

# what each role may do on each model, through every remote route
# (r)ead, (w)rite, (c)reate, (u)nlink
MATRIX = {
    "portal": {
        "crm.lead": "",
        "crm.phonecall": "",
        "jecree.call.intake": "",
        "jecree.need": "",
        "jecree.epci": "",
    },
    "employee": {
        "crm.lead": "",
        "crm.phonecall": "",
        "jecree.call.intake": "",
        "jecree.need": "r",
        "jecree.epci": "r",
    },
    "agent": {
        "crm.lead": "rwc",
        "crm.phonecall": "rwc",
        "jecree.call.intake": "rwc",
        "jecree.need": "r",
        "jecree.epci": "r",
    },
    "manager": {
        "crm.lead": "rwcu",
        "crm.phonecall": "rwcu",
        # an intake is only its author's (here the agent's): others may only start one
        "jecree.call.intake": "c",
        "jecree.need": "rwcu",
        "jecree.epci": "rwcu",
    },
}


@tagged("post_install", "-at_install")
class TestAccessRpc(HttpCase):
    """Each role sees exactly what it may, through JSON-RPC and XML-RPC alike."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = {
            "portal": "base.group_portal",
            "employee": "base.group_user",
            "agent": "jecree_project.group_jecree_agent",
            "manager": "jecree_project.group_jecree_manager",
        }
        cls.users = {
            role: new_test_user(
                cls.env, login=f"rpc_{role}", password=f"rpc_{role}_pwd1", groups=group
            )
            for role, group in groups.items()
        }
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Porteur RPC", "is_porteur": True, "phone": "+33 9 11 22 33 44"}
        )
        cls.call = cls.env["crm.phonecall"].create(
            {
                "name": "Appel RPC",
                "opportunity_id": cls.lead.id,
                "qualification": "utile",
            }
        )
        cls.need = cls.env.ref("jecree_project.jecree_need_information")
        cls.epci = cls.env["jecree.epci"].search([], limit=1)

    def records(self):
        intake = (
            self.env["jecree.call.intake"]
            .with_user(self.users["agent"])
            .create({"contact_name": "Intake RPC"})
        )
        return {
            "crm.lead": (
                self.lead.id,
                {"name": "Nouveau nom"},
                {"name": "Nouveau", "is_porteur": True},
            ),
            "crm.phonecall": (
                self.call.id,
                {"duration": 3.0},
                {"name": "Nouvel appel"},
            ),
            "jecree.call.intake": (
                intake.id,
                {"contact_name": "X"},
                {"contact_name": "Y"},
            ),
            "jecree.need": (
                self.need.id,
                {"sequence": 99},
                {"name": "N", "code": "rpc_n%s"},
            ),
            "jecree.epci": (
                self.epci.id,
                {"name": "E"},
                {"name": "E2", "code": "rpc_e%s"},
            ),
        }

    def operations(self, model, record_id, write_vals, create_vals):
        self.counter = getattr(self, "counter", 0) + 1
        create_vals = {
            key: value % self.counter
            if isinstance(value, str) and "%s" in value
            else value
            for key, value in create_vals.items()
        }
        return {
            "r": ("read", [[record_id], ["display_name"]]),
            "w": ("write", [[record_id], write_vals]),
            "c": ("create", [create_vals]),
            "u": ("unlink", [[record_id]]),
        }

    @mute_logger(
        "odoo.http",
        "odoo.addons.base.models.ir_model",
        "odoo.addons.base.models.ir_rule",
        "odoo.addons.rpc.controllers.xmlrpc",  # XML-RPC is deprecated in Odoo 19
    )
    def test_matrix_json_and_xml_rpc(self):
        records = self.records()
        checked = 0
        for role, rights in MATRIX.items():
            user = self.users[role]
            password = f"rpc_{role}_pwd1"
            self.authenticate(user.login, password)
            uid = self.xmlrpc_common.authenticate(
                self.env.cr.dbname, user.login, password, {}
            )
            self.assertEqual(uid, user.id)
            for model, allowed in rights.items():
                record_id, write_vals, create_vals = records[model]
                for letter in "rwc":
                    expected = letter in allowed
                    for route, check in (
                        ("json", self._json_ok),
                        ("xml", self._xml_ok),
                    ):
                        # fresh values per call: unique codes for creations
                        method, args = self.operations(
                            model, record_id, write_vals, create_vals
                        )[letter]
                        with self.subTest(
                            role=role, model=model, method=method, route=route
                        ):
                            if route == "json":
                                self.assertEqual(check(model, method, args), expected)
                            else:
                                self.assertEqual(
                                    check(uid, password, model, method, args), expected
                                )
                        checked += 1
        self.assertGreater(checked, 100)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_model")
    def test_unlink_only_managers(self):
        for role in ("agent", "manager"):
            call = self.env["crm.phonecall"].create({"name": f"À supprimer {role}"})
            self.authenticate(f"rpc_{role}", f"rpc_{role}_pwd1")
            self.assertEqual(
                self._json_ok("crm.phonecall", "unlink", [[call.id]]), role == "manager"
            )
            self.assertEqual(bool(call.exists()), role != "manager")

    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.xmlrpc")
    def test_public_gets_nothing(self):
        self.authenticate(None, None)
        self.assertFalse(self._json_ok("crm.lead", "read", [[self.lead.id], ["name"]]))
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, 0, "x", "crm.lead", "read", [[self.lead.id]]
            )

    def _json_ok(self, model, method, args):
        try:
            self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": {}},
            )
        except JsonRpcException:
            return False
        return True

    def _xml_ok(self, uid, password, model, method, args):
        try:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, uid, password, model, method, args
            )
        except xmlrpc.client.Fault:
            return False
        return True
