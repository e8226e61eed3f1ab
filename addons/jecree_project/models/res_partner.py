# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

from ..tools import iap_enabled


class ResPartner(models.Model):
    """partner_autocomplete (installed with crm) sends what an agent types in a
    contact's or a structure's name or VAT number to Odoo's online service, and
    fetches its suggestions. Off unless a manager turned Odoo's online services on
    (tools/privacy.py): no suggestion, nothing sent. These overrides are called only
    when partner_autocomplete is installed.

    A user's language is their partner's: its change clears the cached agents of
    the phone system's extensions (res.users)."""

    _inherit = "res.partner"

    def write(self, vals):
        result = super().write(vals)
        if "lang" in vals and self.sudo().with_context(active_test=False).user_ids:
            # the agents' languages of the screen pop (res.users'
            # _jecree_agent_of_extension, cached)
            self.env.registry.clear_cache()
        return result

    @api.model
    def autocomplete_by_name(self, query, query_country_id, timeout=15):
        if not iap_enabled(self.env):
            return []
        return super().autocomplete_by_name(query, query_country_id, timeout=timeout)

    @api.model
    def autocomplete_by_vat(self, vat, query_country_id, timeout=15):
        if not iap_enabled(self.env):
            return []
        return super().autocomplete_by_vat(vat, query_country_id, timeout=timeout)

    @api.model
    def enrich_by_duns(self, duns, timeout=15):
        if not iap_enabled(self.env):
            return {}
        return super().enrich_by_duns(duns, timeout=timeout)

    @api.model
    def enrich_by_gst(self, gst, timeout=15):
        if not iap_enabled(self.env):
            return {}
        return super().enrich_by_gst(gst, timeout=timeout)

    @api.model
    def enrich_by_domain(self, domain, timeout=15):
        if not iap_enabled(self.env):
            return {}
        return super().enrich_by_domain(domain, timeout=timeout)
