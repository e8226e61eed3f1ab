# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        res = super().write(vals)
        if "tz" in vals:
            # the call center's time zone may have changed (res.company._jecree_tz)
            self.env["res.company"]._jecree_refresh_local_views()
        return res
