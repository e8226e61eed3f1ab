# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResourceCalendarLeaves(models.Model):
    """A structure's own closures (a bridge day): leaves without calendar nor
    resource, like the company-wide closures, but with the structure they apply
    to. Only the slot finder of that structure's antennas and advisers reads them
    (see resource.calendar._leave_intervals_batch)."""

    _inherit = "resource.calendar.leaves"

    jecree_structure_id = fields.Many2one(
        "res.partner",
        string="Support structure",
        index="btree_not_null",
        ondelete="cascade",
        domain=[("jecree_structure_type_id", "!=", False)],
        help="A closure of this support structure only: its antennas and advisers "
        "get no appointment then; other structures and the call center are open.",
    )

    @api.model
    def _jecree_company_closure_domain(self, company):
        return super()._jecree_company_closure_domain(company) + [
            ("jecree_structure_id", "=", False)
        ]
