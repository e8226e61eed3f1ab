# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from odoo.addons.jecree_project.models.crm_lead import PROJECT_KINDS


class JecreeProjectKind(models.Model):
    """A project kind a structure takes (création, reprise): one of the
    porteur's project kinds, defined by jecree_project (see jecree.lead.choice)."""

    _name = "jecree.project.kind"
    _inherit = "jecree.lead.choice"
    _description = "Project kind taken by a structure"
    _jecree_choices = tuple(PROJECT_KINDS)
    _jecree_xmlid_prefix = "jecree_project_kind_"
