# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

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
    """The previous month, counted from today in the call center's time zone."""
    return env.company._jecree_today() - relativedelta(months=1)


class JecreeMonthlyPackWizard(models.TransientModel):
    """Monthly pack: the managers' XLSX workbook for one month."""

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
        self.ensure_one()
        return self.env.ref("jecree_followup.monthly_pack_xlsx_report").report_action(
            self
        )

    @api.model
    def _cron_send_monthly_pack(self):
        """Email the previous month's pack to the call-center managers."""
        managers = self.env.ref("jecree_project.group_jecree_manager").user_ids
        partners = managers.filtered(
            lambda user: user.active and not user.share and user.email
        ).partner_id
        if not partners:
            _logger.info("Monthly pack: no manager with an email address")
            return False
        last_month = _last_month(self.env)
        wizard = self.create({"month": str(last_month.month), "year": last_month.year})
        template = self.env.ref("jecree_followup.mail_template_monthly_pack")
        return template.send_mail(
            wizard.id,
            email_values={"recipient_ids": [fields.Command.set(partners.ids)]},
        )
