# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.http import request

from odoo.addons.portal.controllers.web import Home


class JecreeReferralHome(Home):
    def _login_redirect(self, uid, redirect=None):
        """An adviser's day starts with their structure's referrals."""
        if not redirect:
            user = request.env["res.users"].sudo().browse(uid)
            if user.share and user.partner_id.jecree_is_adviser:
                redirect = "/my/referrals"
        return super()._login_redirect(uid, redirect=redirect)
