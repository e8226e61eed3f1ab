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
        cleared when a postal code is created, changed or deleted (a commune's
        postal codes are written through res.city.zip), or a commune deleted."""
        zip_code = "".join((zip_code or "").split())
        if not zip_code:
            return self.browse()
        return self.browse(self._jecree_zip_city_ids(zip_code))

    @api.model
    # per language: the communes are in the order of their (translated) names
    @tools.ormcache("zip_code", "self.env.lang")
    def _jecree_zip_city_ids(self, zip_code):
        return tuple(self.sudo().search([("zip_ids.name", "=", zip_code)]).ids)

    def unlink(self):
        # the commune's postal codes go with it (ondelete cascade, in the
        # database: not through res.city.zip's unlink, which clears the cache
        # when a postal code is created, changed or deleted otherwise)
        self.env.registry.clear_cache()  # _jecree_zip_city_ids
        return super().unlink()
