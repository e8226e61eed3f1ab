# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models, tools


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
        """The communes of a postal code (typed with or without spaces).

        Looked up on every intake and web request: the answer is cached per
        worker (communes and postal codes are reference data), and the cache is
        cleared when a commune or a postal code is created, changed or deleted."""
        zip_code = "".join((zip_code or "").split())
        if not zip_code:
            return self.browse()
        return self.browse(self._jecree_zip_city_ids(zip_code))

    @api.model
    @tools.ormcache("zip_code", "self.env.lang")
    def _jecree_zip_city_ids(self, zip_code):
        return tuple(self.sudo().search([("zip_ids.name", "=", zip_code)]).ids)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _jecree_zip_city_ids
        return super().create(vals_list)

    def write(self, vals):
        if "zip_ids" in vals:
            self.env.registry.clear_cache()  # _jecree_zip_city_ids
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _jecree_zip_city_ids
        return super().unlink()
