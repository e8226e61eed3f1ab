# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeNeed(models.Model):
    """A need of a porteur de projet, and the matching service a structure gives
    (information, orientation, financement, formation, hébergement…)."""

    _name = "jecree.need"
    _description = "Need / service"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_uniq = models.UniqueIndex("(code)", "A need with this code already exists.")
