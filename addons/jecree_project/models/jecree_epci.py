# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeEpci(models.Model):
    """Intercommunality (EPCI à fiscalité propre), identified by its SIREN.

    Neither Odoo nor OCA has this French territory level; the support network's
    competence territories are often defined by EPCI."""

    _name = "jecree.epci"
    _description = "EPCI (intercommunalité)"
    _order = "name"
    _rec_names_search = ["name", "code"]

    code = fields.Char(string="SIREN", required=True, index=True)
    name = fields.Char(required=True)
    epci_type = fields.Selection(
        [
            ("CC", "Communauté de communes"),
            ("CA", "Communauté d'agglomération"),
            ("CU", "Communauté urbaine"),
            ("METRO", "Métropole"),
        ],
        string="Type",
    )
    city_ids = fields.One2many("res.city", "epci_id", string="Communes")
    city_count = fields.Integer(compute="_compute_city_count", string="Communes count")

    _code_uniq = models.UniqueIndex("(code)", "An EPCI with this SIREN already exists.")

    def _compute_city_count(self):
        counts = dict(
            self.env["res.city"]._read_group(
                [("epci_id", "in", self.ids)], ["epci_id"], ["__count"]
            )
        )
        for rec in self:
            rec.city_count = counts.get(rec, 0)
