# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

#: territory levels, the most local first
LEVELS = [
    ("1", "Commune"),
    ("2", "EPCI"),
    ("3", "Arrondissement"),
    ("4", "Department"),
]


class JecreeCoverage(models.Model):
    """Which antenna covers which commune, and at which territory level.

    A materialised table, rewritten in SQL whenever a competence territory
    changes (`res.partner._jecree_refresh_coverage`), so that finding the antennas
    of a commune is one indexed query whatever the size of the directory."""

    _name = "jecree.coverage"
    _description = "Commune covered by an antenna"
    _order = "city_id, level"
    _log_access = False

    antenna_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    structure_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    city_id = fields.Many2one(
        "res.city", string="Commune", required=True, ondelete="cascade"
    )
    level = fields.Selection(LEVELS, required=True)
    structure_type_id = fields.Many2one(
        related="structure_id.jecree_structure_type_id", string="Structure type"
    )

    _city_antenna_uniq = models.UniqueIndex("(city_id, antenna_id)")
