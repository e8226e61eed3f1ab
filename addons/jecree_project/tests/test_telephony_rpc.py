# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.bus.models.bus import json_dump


@tagged("post_install", "-at_install")
class TestPhoneCommonRpc(HttpCase):
    """The OCA base_phone API on jecree.phone.common, as an AGI script calls it
    over XML-RPC with the phone system's technical user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech = new_test_user(
            cls.env,
            login="jc_pbx",
            password="jc_pbx_pwd_1",
            groups="base.group_portal,jecree_project.group_jecree_telephony",
        )
        cls.employee = new_test_user(
            cls.env,
            login="jc_tel_employee",
            password="jc_tel_employee_1",
            groups="base.group_user",
        )
        cls.agent = new_test_user(
            cls.env, login="jc_tel_agent2", groups="jecree_project.group_jecree_agent"
        )
        cls.agent.jecree_phone_extension = "401"
        cls.other = new_test_user(
            cls.env, login="jc_tel_other", groups="jecree_project.group_jecree_agent"
        )
        cls.porteur = cls.env["crm.lead"].create(
            {
                "name": "P",
                "contact_name": "Hugo Appel",
                "is_porteur": True,
                "phone": "+33 3 20 55 66 77",
            }
        )

    def execute(self, login, password, method, *args):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, login, password, {})
        return self.xmlrpc_object.execute_kw(
            db, uid, password, "jecree.phone.common", method, list(args)
        )

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_caller_name_for_the_phone_display(self):
        for number in ("0320556677", "+33320556677", "0033320556677"):
            with self.subTest(number):
                self.assertEqual(
                    self.execute(
                        "jc_pbx", "jc_pbx_pwd_1", "get_name_from_phone_number", number
                    ),
                    "Hugo Appel",
                )
        self.assertEqual(
            self.execute(
                "jc_pbx", "jc_pbx_pwd_1", "get_record_from_phone_number", "0320556677"
            ),
            ["crm.lead", self.porteur.id, "Hugo Appel"],
        )
        self.assertFalse(
            self.execute(
                "jc_pbx", "jc_pbx_pwd_1", "get_name_from_phone_number", "0611111111"
            )
        )
        self.assertFalse(
            self.execute("jc_pbx", "jc_pbx_pwd_1", "get_name_from_phone_number", "x")
        )

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_incall_notify_by_login(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        name = self.execute(
            "jc_pbx",
            "jc_pbx_pwd_1",
            "incall_notify_by_login",
            "0320556677",
            ["jc_tel_agent2", "nobody", "jc_pbx"],
        )
        self.assertEqual(name, "Hugo Appel")
        notified = (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "jecree_incoming_call")])
        )
        self.assertEqual(
            notified.mapped("channel"),
            [json_dump((self.env.cr.dbname, "res.partner", self.agent.partner_id.id))],
        )
        self.assertIn("Hugo Appel", notified.message)
        notified.unlink()
        self.execute(
            "jc_pbx",
            "jc_pbx_pwd_1",
            "incall_notify_by_extension",
            "0320556677",
            ["401"],
        )
        self.assertEqual(
            self.env["bus.bus"]
            .sudo()
            .search_count([("message", "like", "jecree_incoming_call")]),
            1,
        )

    @mute_logger("odoo.http", "odoo.addons.rpc.controllers.xmlrpc")
    def test_least_rights(self):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.execute(
                "jc_tel_employee",
                "jc_tel_employee_1",
                "get_name_from_phone_number",
                "0320556677",
            )
        self.assertIn("phone system API", caught.exception.faultString)
        # the technical user reads nothing else
        for model in (
            "crm.lead",
            "crm.phonecall",
            "jecree.missed.call",
            "jecree.telephony.call",
        ):
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model].with_user(self.tech).has_access("read")
                )
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.tech).search([])
