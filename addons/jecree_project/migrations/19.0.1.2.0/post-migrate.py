# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's lead enrichment ran by itself on every new porteur (crm_iap_enrich's
default): on demand only and its cron off, as a new database gets at install
(data/privacy_data.xml). Odoo's online services stay off until a manager turns
them on (tools/privacy.py)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.lead"]._jecree_set_privacy_defaults()
