# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import Form, TransactionCase, new_test_user


class JecreeProjectCase(TransactionCase):
    """Users with the least rights each feature needs, and an intake helper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agent = new_test_user(
            cls.env,
            login="jc_agent",
            name="Agent Test",
            groups="jecree_project.group_jecree_agent",
        )
        cls.agent2 = new_test_user(
            cls.env,
            login="jc_agent2",
            name="Agent Two",
            groups="jecree_project.group_jecree_agent",
        )
        cls.manager = new_test_user(
            cls.env,
            login="jc_manager",
            name="Manager Test",
            groups="jecree_project.group_jecree_manager",
        )
        cls.lille = cls.env.ref("jecree_project.res_city_fr_59350")
        cls.arras = cls.env.ref("jecree_project.res_city_fr_62041")
        cls.need_info = cls.env.ref("jecree_project.jecree_need_information")
        cls.need_funding = cls.env.ref("jecree_project.jecree_need_financement")

    def intake_form(self, user=None, **values):
        """An intake screen as `user` (the agent by default), filled with values."""
        env = self.env(user=user or self.agent)
        form = Form(env["jecree.call.intake"])
        for name, value in values.items():
            setattr(form, name, value)
        return form

    def save_intake(self, user=None, **values):
        form = self.intake_form(user=user, **values)
        intake = form.save()
        return intake, intake.action_save()

    def porteurs(self):
        return self.env["crm.lead"].search([("is_porteur", "=", True)])
