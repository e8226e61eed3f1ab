# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResCity(models.Model):
    _inherit = "res.city"

    insee_code = fields.Char(string="INSEE code", index=True)
    department_id = fields.Many2one("res.country.department", index=True)
    arrondissement_id = fields.Many2one("jecree.arrondissement", index=True)
    epci_id = fields.Many2one("jecree.epci", string="EPCI", index=True)
    population = fields.Integer()

    _insee_code_uniq = models.UniqueIndex(
        "(insee_code) WHERE insee_code IS NOT NULL",
        "A commune with this INSEE code already exists.",
    )

    @api.model
    def _jecree_search_zip(self, zip_code):
        """The communes of a postal code (typed with or without spaces)."""
        zip_code = "".join((zip_code or "").split())
        if not zip_code:
            return self.browse()
        return self.search([("zip_ids.name", "=", zip_code)])
