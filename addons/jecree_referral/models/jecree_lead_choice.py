# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class JecreeLeadChoice(models.AbstractModel):
    """A value of a porteur's selection (sector, project kind) as a record, so
    that a structure can take several (many2many).

    The values, their labels and their order are jecree_project's lists (the
    selections of crm.lead): `code` is that selection, the label and the order
    are read from it, and `_jecree_sync` makes one record per value, with the
    external id ``jecree_referral.<_jecree_xmlid_prefix><code>``."""

    _name = "jecree.lead.choice"
    _description = "Value of a porteur's selection taken by a structure"
    _order = "sequence, id"
    _rec_name = "code"

    #: [(code, label)] a record may have, in order: jecree_project's list (each model)
    _jecree_choices = ()
    _jecree_xmlid_prefix = ""

    code = fields.Selection(selection="_jecree_selection", required=True, index=True)
    sequence = fields.Integer(compute="_compute_sequence", store=True)

    _code_uniq = models.UniqueIndex("(code)", "This value already has a record.")

    @api.model
    def _jecree_selection(self):
        return list(self._jecree_choices)

    @api.model
    def _jecree_codes(self):
        return [code for code, __ in self._jecree_choices]

    @api.depends("code")
    def _compute_sequence(self):
        codes = self._jecree_codes()
        for record in self:
            record.sequence = codes.index(record.code) if record.code in codes else 0

    @api.depends("code")
    @api.depends_context("lang")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for record in self:
            record.display_name = labels.get(record.code, record.code)

    @api.constrains("code")
    def _check_code(self):
        codes = self._jecree_codes()
        for record in self:
            if record.code not in codes:
                raise ValidationError(
                    self.env._(
                        "%(code)s is not one of the values a structure can take "
                        "(%(codes)s).",
                        code=record.code,
                        codes=", ".join(codes),
                    )
                )

    @api.model
    def _jecree_sync(self):
        """One record per value of the selection, with its external id; run at
        each install or update of jecree_referral. Idempotent."""
        records = self.search([("code", "!=", False)])
        # a database made before the order was read from the list
        records.modified(["code"])
        existing = {record.code: record for record in records}
        missing = [code for code in self._jecree_codes() if code not in existing]
        for record in self.create([{"code": code} for code in missing]):
            existing[record.code] = record
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"jecree_referral.{self._jecree_xmlid_prefix}{code}",
                    "record": existing[code],
                    "noupdate": True,
                }
                for code in self._jecree_codes()
            ]
        )
