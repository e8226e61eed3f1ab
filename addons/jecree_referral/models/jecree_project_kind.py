# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeProjectKind(models.Model):
    """A project kind a structure takes (création, reprise), matching the
    `project_kind` selection of a porteur; a model so that it can be a many2many."""

    _name = "jecree.project.kind"
    _description = "Project kind taken by a structure"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)

    _code_uniq = models.UniqueIndex(
        "(code)", "A project kind with this code already exists."
    )
