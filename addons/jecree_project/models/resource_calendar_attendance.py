# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """The call center's opening hours: changing them clears its cached closed
    days (resource.calendar._jecree_closed_days); other calendars' do not."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        if attendances.calendar_id._jecree_is_call_center():
            self.env.registry.clear_cache()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        if (calendars | self.calendar_id)._jecree_is_call_center():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        if self.calendar_id._jecree_is_call_center():
            self.env.registry.clear_cache()
        return super().unlink()
