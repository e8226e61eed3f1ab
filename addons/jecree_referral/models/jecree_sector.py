# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from odoo.addons.jecree_project.models.crm_lead import SECTOR_CODES, SECTORS


class JecreeSector(models.Model):
    """A sector a structure takes: one of the porteur's sectors, whose codes,
    labels and order jecree_project defines (see jecree.lead.choice)."""

    _name = "jecree.sector"
    _inherit = "jecree.lead.choice"
    _description = "Sector taken by a structure"
    _jecree_choices = tuple(
        (code, label) for code, label in SECTORS if code in SECTOR_CODES
    )
    _jecree_xmlid_prefix = "jecree_sector_"
