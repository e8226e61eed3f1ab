# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users.filtered(lambda user: not user.action_id)._jecree_set_home_action()
        return users

    def _jecree_home_action(self):
        """Where the user's day starts, by group: a manager on the dashboard, an
        agent on their J+8 call-backs (with "New call" one click away); anyone
        else on Odoo's default (False)."""
        self.ensure_one()
        if self.share:
            return False
        if self.has_group("jecree_project.group_jecree_manager"):
            return self.env.ref(
                "jecree_followup.jecree_dashboard_action", raise_if_not_found=False
            )
        if self.has_group("jecree_project.group_jecree_agent"):
            return self.env.ref(
                "jecree_followup.mail_activity_callback_action",
                raise_if_not_found=False,
            )
        return False

    def _jecree_set_home_action(self):
        """Give the users without a home action the one of their group (a user's
        own choice, or an administrator's, is kept). Called when a user is
        created, and by the demo data for the demo users."""
        for user in self.filtered(lambda user: not user.action_id):
            action = user._jecree_home_action()
            if action:
                user.sudo().action_id = action.id
