# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHomeAction(HttpCase):
    """Each role lands where its day starts: a manager on the dashboard, an agent
    on their J+8 call-backs, an adviser on /my/referrals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("jecree_followup.jecree_dashboard_action")
        cls.callbacks = cls.env.ref("jecree_followup.mail_activity_callback_action")
        structure = cls.env["res.partner"].create(
            {
                "name": "CMA Accueil",
                "is_company": True,
                "jecree_structure_type_id": cls.env.ref(
                    "jecree_referral.jecree_structure_type_cma"
                ).id,
            }
        )
        antenna = cls.env["res.partner"].create(
            {
                "name": "CMA Accueil – Arras",
                "type": "other",
                "parent_id": structure.id,
                "jecree_is_antenna": True,
            }
        )
        cls.adviser = new_test_user(
            cls.env, login="jc_home_adviser", groups="base.group_portal"
        )
        cls.adviser.partner_id.write(
            {"parent_id": antenna.id, "jecree_is_adviser": True}
        )
        cls.customer = new_test_user(
            cls.env, login="jc_home_customer", groups="base.group_portal"
        )

    def test_new_users_get_their_group_home_action(self):
        cases = [
            ("jc_home_manager", "jecree_project.group_jecree_manager", self.dashboard),
            ("jc_home_agent", "jecree_project.group_jecree_agent", self.callbacks),
            ("jc_home_user", "base.group_user", self.env["ir.actions.actions"]),
        ]
        for login, group, action in cases:
            with self.subTest(group=group):
                user = new_test_user(self.env, login=login, groups=group)
                self.assertEqual(user.action_id.id, action.id)

    def test_a_chosen_home_action_is_kept(self):
        chosen = self.env.ref("jecree_project.crm_lead_action_porteur")
        user = new_test_user(
            self.env,
            login="jc_home_chooser",
            groups="jecree_project.group_jecree_manager",
            action_id=chosen.id,
        )
        self.assertEqual(user.action_id.id, chosen.id)

    def login(self, login):
        self.authenticate(None, None)  # a session, for the CSRF token
        return self.url_open(
            "/web/login",
            data={
                "login": login,
                "password": login,
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )

    def test_adviser_lands_on_referrals_other_portal_users_on_my(self):
        for login, target in (
            ("jc_home_adviser", "/my/referrals"),
            ("jc_home_customer", "/my"),
        ):
            with self.subTest(login=login):
                response = self.login(login)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(
                    response.headers["Location"].endswith(target),
                    response.headers["Location"],
                )

    def test_the_adviser_is_told_apart(self):
        self.assertTrue(self.adviser._jecree_is_adviser())
        self.assertFalse(self.customer._jecree_is_adviser())
        agent = new_test_user(
            self.env, login="jc_home_agent2", groups="jecree_project.group_jecree_agent"
        )
        self.assertFalse(agent._jecree_is_adviser())

    def test_manager_lands_on_the_dashboard(self):
        new_test_user(
            self.env,
            login="jc_tour_manager",
            groups="jecree_project.group_jecree_manager",
        )
        lead = self.env["crm.lead"].create(
            {"name": "Porteur Accueil", "is_porteur": True, "type": "opportunity"}
        )
        antenna = self.adviser.partner_id.parent_id
        self.env["jecree.referral"].create(
            {
                "lead_id": lead.id,
                "structure_id": antenna.jecree_structure_id.id,
                "antenna_id": antenna.id,
            }
        )
        self.start_tour("/odoo", "jecree_manager_landing_tour", login="jc_tour_manager")

    def test_agent_lands_on_their_callbacks(self):
        agent = new_test_user(
            self.env, login="jc_tour_agent", groups="jecree_project.group_jecree_agent"
        )
        lead = self.env["crm.lead"].create(
            {"name": "Porteur Rappel", "is_porteur": True, "type": "opportunity"}
        )
        self.env["crm.lead"]._jecree_create_callback_activities(
            [(lead.id, agent, fields.Date.today())]
        )
        self.start_tour("/odoo", "jecree_agent_landing_tour", login="jc_tour_agent")
