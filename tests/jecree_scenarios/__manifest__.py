# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Je crée – scénarios de bout en bout",
    "summary": "Test-only: end-to-end scenarios across the three Je crée addons",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/je-cree/je-cree",
    "author": "Je crée",
    "license": "AGPL-3",
    "depends": [
        "jecree_project",
        "jecree_referral",
        "jecree_followup",
    ],
    "external_dependencies": {"python": ["freezegun", "openpyxl"]},
    "installable": True,
}
