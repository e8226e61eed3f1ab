# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.fields import Domain


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _leave_intervals_batch(
        self, start_dt, end_dt, resources=None, domain=None, tz=None
    ):
        """A structure's closures are leaves without calendar, which Odoo would
        apply to every calendar of the company: they are left out unless the
        caller's domain asks for them (res.partner._jecree_leave_domain, used by
        the slot finder of that structure)."""
        domain = Domain("time_type", "=", "leave") if domain is None else Domain(domain)
        if not any(
            condition.field_expr == "jecree_structure_id"
            for condition in domain.iter_conditions()
        ):
            domain &= Domain("jecree_structure_id", "=", False)
        return super()._leave_intervals_batch(
            start_dt, end_dt, resources=resources, domain=list(domain), tz=tz
        )
