# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.http import request

from odoo.addons.portal.controllers.web import Home


class JecreeReferralHome(Home):
    """An adviser of a support structure lands on their referrals after login."""

    def _login_redirect(self, uid, redirect=None):
        if (
            not redirect
            and request.env["res.users"].browse(uid).sudo()._jecree_is_adviser()
        ):
            redirect = "/my/referrals"
        return super()._login_redirect(uid, redirect=redirect)
