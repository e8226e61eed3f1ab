# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Je crée – Suivi et reporting",
    "summary": "J+8 call-backs on opening days, brochures, calls analysis, monthly "
    "XLSX pack, Erlang C staffing",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/je-cree/je-cree",
    "author": "Je crée",
    "license": "AGPL-3",
    "depends": [
        "jecree_project",
        "jecree_referral",
        "report_xlsx",
        "mail",
        "resource",
    ],
    "external_dependencies": {"python": ["xlsxwriter", "python-dateutil"]},
    "data": [
        "security/ir.model.access.csv",
        "security/jecree_followup_security.xml",
        "report/jecree_followup_reports.xml",
        "report/jecree_brochure_templates.xml",
        "data/mail_activity_data.xml",
        "data/jecree_brochure_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "wizards/jecree_call_intake_views.xml",
        "wizards/jecree_callback_wizard_views.xml",
        "wizards/jecree_monthly_pack_wizard_views.xml",
        "wizards/jecree_dashboard_views.xml",
        "views/crm_lead_views.xml",
        "views/mail_activity_views.xml",
        "views/jecree_call_report_views.xml",
        "views/jecree_referral_report_views.xml",
        "views/jecree_brochure_views.xml",
        "views/res_config_settings_views.xml",
        "views/jecree_followup_menus.xml",
    ],
    "demo": [
        "demo/jecree_followup_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["jecree_followup/static/tests/tours/**/*"],
    },
    "installable": True,
}
