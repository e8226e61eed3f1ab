# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Whether porteurs' data may be sent to Odoo's online services (IAP).

Odoo's lead enrichment (crm_iap_enrich) and partner autocomplete
(partner_autocomplete) are installed with crm and send emails, company names and
VAT numbers to Odoo's paid services. A public service holding personal data sends
nothing out unless a manager turns it on: the setting "Odoo's online services" (an
ir.config_parameter, off when absent). Every entry point of those services asks
here (crm.lead, res.partner, res.company in this addon)."""

IAP_ENABLED_PARAM = "jecree_project.iap_enabled"


def iap_enabled(env):
    """True when a manager turned Odoo's online services on."""
    value = env["ir.config_parameter"].sudo().get_param(IAP_ENABLED_PARAM, "")
    return value.strip().lower() in ("1", "true", "yes")
