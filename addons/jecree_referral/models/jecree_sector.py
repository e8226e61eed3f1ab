# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeSector(models.Model):
    """A sector a structure takes, matching the `sector` selection of a porteur.

    A small model rather than a selection so that a structure can take several
    sectors (many2many) and managers can read them in the directory."""

    _name = "jecree.sector"
    _description = "Sector taken by a structure"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)

    _code_uniq = models.UniqueIndex("(code)", "A sector with this code already exists.")
