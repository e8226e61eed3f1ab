# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class JecreeArrondissement(models.Model):
    """Arrondissement (INSEE code), a territory level used by the support network."""

    _name = "jecree.arrondissement"
    _description = "Arrondissement"
    _order = "code"
    _rec_names_search = ["name", "code"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True)
    department_id = fields.Many2one("res.country.department", required=True, index=True)
    city_ids = fields.One2many("res.city", "arrondissement_id", string="Communes")

    _code_uniq = models.UniqueIndex(
        "(code)", "An arrondissement with this code already exists."
    )

    @api.depends("name", "code")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.name} ({rec.code})"
