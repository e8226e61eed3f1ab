# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Click-to-dial now has a way to choose ("Originate through"): a database whose
managers had set an originate URL keeps dialling through it."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    if params.get_param("jecree_project.originate_url") and not params.get_param(
        "jecree_project.originate_through"
    ):
        params.set_param("jecree_project.originate_through", "url")
