# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models
from odoo.exceptions import ValidationError

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


def _last_month(env):
    return env.company._jecree_last_month()


class JecreeMonthlyPackWizard(models.TransientModel):
    """Monthly pack: the managers' XLSX workbook for one month, downloaded by
    hand (the monthly mail is sent by res.company._cron_jecree_send_monthly_pack)."""

    _name = "jecree.monthly.pack.wizard"
    _description = "Monthly pack"

    month = fields.Selection(
        MONTHS, required=True, default=lambda self: str(_last_month(self.env).month)
    )
    year = fields.Integer(
        required=True, default=lambda self: _last_month(self.env).year
    )

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 2000 <= wizard.year <= 2100:
                raise ValidationError(
                    self.env._("Choose a year between 2000 and 2100.")
                )

    def action_print(self):
        """Download the pack and close the dialog once the file is downloaded."""
        self.ensure_one()
        action = self.env.ref("jecree_followup.monthly_pack_xlsx_report").report_action(
            self
        )
        # read by the web client's report handler (action_service.js, Odoo 19)
        action["close_on_report_download"] = True
        return action
