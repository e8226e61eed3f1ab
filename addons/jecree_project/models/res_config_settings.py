# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jecree_calendar_id = fields.Many2one(
        related="company_id.jecree_calendar_id", readonly=False
    )
    jecree_team_id = fields.Many2one(
        related="company_id.jecree_team_id", readonly=False
    )
    jecree_retention_months = fields.Integer(
        string="Retention of personal data (months)",
        config_parameter="jecree_project.retention_months",
        default=36,
        help="Months after the last contact after which a porteur's personal data are "
        "anonymised; the statistics are kept.",
    )

    jecree_iap_enabled = fields.Boolean(
        string="Odoo's online services",
        config_parameter="jecree_project.iap_enabled",
        help="Lead enrichment and partner autocomplete send porteurs' email "
        "addresses and what agents type to Odoo's paid online services (IAP). Off: "
        "nothing is sent.",
    )
    jecree_originate_url = fields.Char(
        string="Click-to-dial URL",
        config_parameter="jecree_project.originate_url",
        help="The phone system's URL that rings the agent's extension then the number "
        "(a POST in JSON: extension, number, login). Empty: the phone numbers are "
        "tel: links for a softphone.",
    )

    @api.constrains("jecree_retention_months")
    def _check_jecree_retention_months(self):
        if any(settings.jecree_retention_months < 1 for settings in self):
            raise ValidationError(
                self.env._("The retention period must be at least one month.")
            )
