# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Je crée – Orientation vers les structures",
    "summary": "Directory of the support network, referrals with appointments, "
    "partners' portal",
    "version": "19.0.1.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/je-cree/je-cree",
    "author": "Je crée",
    "license": "AGPL-3",
    "depends": [
        "jecree_project",
        "calendar",
        "portal",
        "resource",
        "survey",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/jecree_referral_security.xml",
        "data/jecree_referral_data.xml",
        "data/mail_template_data.xml",
        "data/jecree_referral_ladder_data.xml",
        "data/jecree_referral_survey_data.xml",
        "wizards/jecree_referral_wizard_views.xml",
        "wizards/jecree_directory_import_views.xml",
        "report/jecree_coverage_report_views.xml",
        "views/jecree_referral_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/jecree_referral_templates.xml",
        "views/web_login_templates.xml",
        "views/jecree_referral_ladder_views.xml",
        "views/jecree_referral_ladder_templates.xml",
        "views/jecree_referral_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_backend": ["jecree_referral/static/src/**/*"],
        "web.assets_tests": ["jecree_referral/static/tests/tours/**/*"],
    },
    "installable": True,
}
