# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class JecreeClosedDaysMixin(models.AbstractModel):
    """Clears the cache of the call center's closed days (see
    resource.calendar._jecree_closed_days) when a record of the model using
    it is created, changed or deleted: attendances and closures."""

    _name = "jecree.closed.days.mixin"
    _description = "Clears the cached closed days of the call center"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
