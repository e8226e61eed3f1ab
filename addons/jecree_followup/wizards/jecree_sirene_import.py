# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import binascii
import io

from odoo import fields, models
from odoo.exceptions import UserError


class JecreeSireneImport(models.TransientModel):
    """Upload a SIRENE file from the settings: it only collects the file; the
    import (`jecree.sirene.establishment._jecree_import_file`) and the matching
    (`jecree.sirene.match._jecree_find_matches`) are the models'."""

    _name = "jecree.sirene.import"
    _description = "Import a SIRENE file"

    data_file = fields.Binary(
        string="SIRENE file (CSV)",
        help="INSEE's establishments file (StockEtablissement or a daily update), "
        "then its legal units file (StockUniteLegale), in their published columns.",
    )
    filename = fields.Char()
    result = fields.Text(readonly=True)

    def action_import(self):
        self.ensure_one()
        if not self.data_file:
            raise UserError(self.env._("Choose the SIRENE file to import."))
        try:
            content = base64.b64decode(self.data_file, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UserError(self.env._("The file could not be read.")) from exc
        counts = self.env["jecree.sirene.establishment"]._jecree_import_file(
            io.BytesIO(content)
        )
        proposed = self.env["jecree.sirene.match"]._jecree_find_matches()
        kind = (
            self.env._("establishments")
            if counts["kind"] == "establishments"
            else self.env._("legal units")
        )
        self.write(
            {
                "data_file": False,
                "result": self.env._(
                    "%(read)s %(kind)s read: %(inserted)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(skipped)s outside the departments. "
                    "%(proposed)s businesses to check.",
                    kind=kind,
                    proposed=proposed,
                    **{k: v for k, v in counts.items() if k != "kind"},
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
