# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeSireneUnit(models.Model):
    """A legal unit (SIREN) of INSEE's open SIRENE file, kept when one of its
    establishments is in the call center's departments."""

    _name = "jecree.sirene.unit"
    _description = "SIRENE legal unit"
    _rec_name = "siren"
    _order = "siren"
    # INSEE's rows, written by the import in SQL only (see the establishments)
    _log_access = False

    siren = fields.Char(string="SIREN", size=9, required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    creation_date = fields.Date(readonly=True)
    diffusible = fields.Boolean(readonly=True)
    is_sole_trader = fields.Boolean(string="Sole trader", readonly=True)
    first_name = fields.Char(readonly=True)
    last_name = fields.Char(readonly=True)
    company_name = fields.Char(string="Company name", readonly=True)
    legal_category = fields.Char(readonly=True)
    naf_code = fields.Char(string="NAF code", readonly=True)
    person_key = fields.Char(readonly=True, index="btree_not_null")
    company_key = fields.Char(readonly=True, index="btree_not_null")

    _siren_company_uniq = models.UniqueIndex("(company_id, siren)")
