# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .jecree_web_rate_limit import FORM_MAX_KB, FORM_RATE_LIMIT


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
    jecree_originate_through = fields.Selection(
        [
            ("none", "tel: links (softphone)"),
            ("url", "Originate URL"),
            ("ami", "Asterisk AMI"),
            ("ari", "Asterisk ARI"),
        ],
        string="Originate through",
        default="none",
        config_parameter="jecree_project.originate_through",
        help="How the Call button rings the agent's extension then the number: "
        "nothing (the numbers are tel: links for a softphone), a URL of the phone "
        "system, or Asterisk directly through the Manager Interface (AMI) or the "
        "REST Interface (ARI) with the address and login of the company's phone "
        "system.",
    )
    jecree_originate_url = fields.Char(
        string="Click-to-dial URL",
        config_parameter="jecree_project.originate_url",
        help="The phone system's URL that rings the agent's extension then the number "
        "(a POST in JSON: extension, number, login). Empty: the phone numbers are "
        "tel: links for a softphone.",
    )

    jecree_web_form_rate_limit = fields.Integer(
        string="Call-back requests per address per hour",
        config_parameter="jecree_project.web_form_rate_limit",
        default=FORM_RATE_LIMIT,
        help="Posts of the public call-back form accepted from one Internet address "
        "in an hour, good or bad ones; past it, a page asks to try again later "
        "(HTTP 429). Several people behind one company or public network share an "
        "address.",
    )
    jecree_web_form_max_kb = fields.Integer(
        string="Largest call-back request (KB)",
        config_parameter="jecree_project.web_form_max_kb",
        default=FORM_MAX_KB,
        help="A post of the public call-back form larger than this is refused (HTTP "
        "413). The form's own fields fit in a few KB.",
    )

    @api.constrains("jecree_web_form_rate_limit", "jecree_web_form_max_kb")
    def _check_jecree_web_form_limits(self):
        for settings in self:
            if settings.jecree_web_form_rate_limit < 1:
                raise ValidationError(
                    self.env._(
                        "The call-back form must accept at least one request per "
                        "address per hour."
                    )
                )
            if not 1 <= settings.jecree_web_form_max_kb <= 1024:
                raise ValidationError(
                    self.env._(
                        "The largest call-back request must be between 1 and 1,024 KB."
                    )
                )

    @api.constrains("jecree_originate_through", "jecree_originate_url")
    def _check_jecree_originate(self):
        for settings in self:
            if (
                settings.jecree_originate_through == "url"
                and not (settings.jecree_originate_url or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Enter the click-to-dial URL, or choose another way to "
                        "originate the calls."
                    )
                )

    @api.constrains("jecree_retention_months")
    def _check_jecree_retention_months(self):
        if any(settings.jecree_retention_months < 1 for settings in self):
            raise ValidationError(
                self.env._("The retention period must be at least one month.")
            )
