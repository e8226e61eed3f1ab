# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Closures are leaves without resource: company-wide (no calendar) for the
    public holidays and the closures every calendar of the company honours, or of
    one calendar. Writing one clears the cached closed days of the call center
    (resource.calendar._jecree_closed_days); an employee's time off does not."""

    _inherit = "resource.calendar.leaves"

    @api.model
    def _jecree_company_closure_domain(self, company):
        """The company-wide closures of `company`, as a domain (extended by the
        addons that add closures of another scope)."""
        return [
            ("company_id", "=", company.id),
            ("calendar_id", "=", False),
            ("resource_id", "=", False),
        ]

    def _jecree_changes_closed_days(self):
        """Whether one of the leaves is a closure (no resource) or belongs to a
        call-center calendar: the cached closed days depend on them only."""
        return any(not leave.resource_id for leave in self) or (
            self.calendar_id._jecree_is_call_center()
        )

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        if leaves._jecree_changes_closed_days():
            self.env.registry.clear_cache()
        return leaves

    def write(self, vals):
        changes = self._jecree_changes_closed_days()
        res = super().write(vals)
        if changes or self._jecree_changes_closed_days():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        if self._jecree_changes_closed_days():
            self.env.registry.clear_cache()
        return super().unlink()
