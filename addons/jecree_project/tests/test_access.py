# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import JecreeProjectCase


@tagged("post_install", "-at_install")
class TestAccess(JecreeProjectCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, login="jc_employee", groups="base.group_user"
        )
        cls.save = cls.env["jecree.call.intake"].with_user(cls.agent)
        intake = (
            cls.env["jecree.call.intake"]
            .with_user(cls.agent2)
            .create({"contact_name": "Porteur Access", "phone": "0921999999"})
        )
        intake.action_save()
        cls.lead = cls.env["crm.lead"].search([("contact_name", "=", "Porteur Access")])
        cls.call = cls.lead.phonecall_ids

    def test_agent_works_every_porteur_but_deletes_none(self):
        lead = self.lead.with_user(self.agent)
        lead.read(["name", "sector", "commune_id"])
        lead.write({"maturity": "construction"})
        self.call.with_user(self.agent).write({"nature": "financement"})
        with self.assertRaises(AccessError):
            lead.unlink()
        with self.assertRaises(AccessError):
            self.call.with_user(self.agent).unlink()
        self.assertTrue(self.lead.exists())
        self.assertTrue(self.call.exists())

    def test_agent_cannot_configure(self):
        need = self.need_info.with_user(self.agent)
        need.read(["name"])
        with self.assertRaises(AccessError):
            need.write({"name": "X"})
        with self.assertRaises(AccessError):
            self.env["jecree.need"].with_user(self.agent).create(
                {"name": "X", "code": "x"}
            )
        with self.assertRaises(AccessError):
            self.lille.with_user(self.agent).write({"population": 1})

    def test_manager_deletes(self):
        self.call.with_user(self.manager).unlink()
        self.lead.with_user(self.manager).unlink()
        self.assertFalse(self.lead.exists())
        self.env["jecree.need"].with_user(self.manager).create(
            {"name": "X", "code": "x"}
        )

    def test_employee_without_group(self):
        with self.assertRaises(AccessError):
            self.env["jecree.call.intake"].with_user(self.employee).create(
                {"contact_name": "X"}
            )
        with self.assertRaises(AccessError):
            self.lead.with_user(self.employee).read(["name"])

    def test_agent_who_creates_contacts_cannot_delete_calls(self):
        """OCA crm_phonecall lets contact creators delete calls: not our agents."""
        self.agent.group_ids += self.env.ref("base.group_partner_manager")
        with self.assertRaises(AccessError):
            self.call.with_user(self.agent).unlink()

    def test_stock_sales_admin_deletes_calls(self):
        """Our rule does not reach users outside the call center."""
        admin = new_test_user(
            self.env, login="jc_sales_admin", groups="sales_team.group_sale_manager"
        )
        self.call.with_user(admin).unlink()
        self.assertFalse(self.call.exists())

    def test_manager_edits_opening_hours(self):
        action = (
            self.env["res.company"]
            .with_user(self.manager)
            .action_jecree_open_calendar()
        )
        calendar = (
            self.env["resource.calendar"]
            .with_user(self.manager)
            .browse(action["res_id"])
        )
        friday = calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4")
        friday.hour_to = 20
        self.assertEqual(friday.hour_to, 20)
        with self.assertRaises(AccessError):
            calendar.with_user(self.agent).write({"name": "X"})
