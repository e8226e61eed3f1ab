# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.demo_data import load_demo

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    jecree_followup_plan_id = fields.Many2one(
        "mail.activity.plan",
        string="Follow-up plan after a call-back",
        domain=[("res_model", "=", "crm.lead")],
        default=lambda self: self.env.ref(
            "jecree_followup.mail_activity_plan_followup", raise_if_not_found=False
        ),
        help="Activities planned when a porteur is reached at J+8 (J+30, J+90…).",
    )
    jecree_target_projects = fields.Integer(
        string="Projects started per year (target)",
        default=15000,
        help="Objective of projects started (maturity Démarré) per year.",
    )

    jecree_brochure_auto = fields.Boolean(
        string="Send the brochure automatically",
        help='New calls tick "Send the brochure" by default.',
    )

    jecree_sirene_department_ids = fields.Many2many(
        "res.country.department",
        string="Departments of the SIRENE import",
        help="Businesses created in these departments are imported from the SIRENE "
        "files. Empty: the departments of the communes of the directory.",
    )
    jecree_sirene_window_months = fields.Integer(
        string="Businesses created within (months)",
        default=24,
        help="A business created this many months after a porteur's first call at "
        "most may be theirs.",
    )

    _jecree_target_projects_positive = models.Constraint(
        "CHECK(jecree_target_projects >= 0)",
        "The target of projects started cannot be negative.",
    )

    def write(self, vals):
        res = super().write(vals)
        if {"jecree_calendar_id", "resource_calendar_id"} & set(vals):
            # the call center's time zone may have changed (res.company._jecree_tz)
            self.env["res.company"]._jecree_refresh_local_views()
        return res

    @api.model
    def _jecree_refresh_local_views(self):
        """Rebuild the analyses whose local days and hours are computed in the
        call center's time zone (`_jecree_tz`), written in their SQL view."""
        self.env.flush_all()
        for model in ("jecree.call.report", "jecree.referral.report"):
            self.env[model].init()

    @api.model
    def _jecree_followup_set_defaults(self):
        """At install, give existing companies the follow-up plan."""
        plan = self.env.ref("jecree_followup.mail_activity_plan_followup")
        self.search([("jecree_followup_plan_id", "=", False)]).write(
            {"jecree_followup_plan_id": plan.id}
        )

    def _jecree_sirene_departments(self):
        """The department codes whose businesses the SIRENE import keeps."""
        self.ensure_one()
        departments = self.jecree_sirene_department_ids
        if not departments:
            departments = (
                self.env["res.city"]
                .sudo()
                .search([("insee_code", "!=", False)])
                .department_id
            )
        return set(departments.mapped("code"))

    def _jecree_objective_figures(self, date_from, date_to):
        """The year's objective between two days (`date_to` excluded): projects
        marked started by the agents, businesses created (SIRENE matches confirmed
        by a manager) with the employees declared to INSEE, and the target."""
        self.ensure_one()
        self.env["crm.lead"].flush_model()
        self.env["jecree.sirene.establishment"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*) FILTER (WHERE lead.started_date >= %(from)s
                                          AND lead.started_date < %(to)s),
                       count(*) FILTER (WHERE lead.jecree_creation_date >= %(from)s
                                          AND lead.jecree_creation_date < %(to)s),
                       COALESCE(sum(est.employees) FILTER (
                                WHERE lead.jecree_creation_date >= %(from)s
                                  AND lead.jecree_creation_date < %(to)s), 0)
                  FROM crm_lead lead
                  LEFT JOIN jecree_sirene_establishment est
                    ON est.siret = lead.jecree_siret
                   AND est.company_id = lead.company_id
                 WHERE lead.is_porteur AND lead.active
                   AND lead.company_id = %(company)s
                   AND (lead.started_date >= %(from)s
                        OR lead.jecree_creation_date >= %(from)s)
                """,
                **{"from": date_from, "to": date_to, "company": self.id},
            )
        )
        started, created, jobs = self.env.cr.fetchone()
        return {
            "started": started,
            "created": created,
            "jobs": jobs,
            "target": self.jecree_target_projects,
        }

    @api.model
    def _jecree_load_demo(self):
        """The demo's records, dated from the day it is installed
        (`demo/jecree_followup_demo.xml`, loaded with --with-demo only)."""
        return bool(load_demo(self.env))

    def _jecree_last_month(self):
        """A day of the previous month, counted from today in the call center's
        time zone: the month the pack reports by default."""
        return self.env.company._jecree_today() - relativedelta(months=1)

    @api.model
    def _cron_jecree_send_monthly_pack(self):
        """Email the previous month's pack to the call-center managers.

        The cron and the mail template hang on the company (a regular model);
        the pack wizard only serves the manual download."""
        managers = self.env.ref("jecree_project.group_jecree_manager").user_ids
        partners = managers.filtered(
            lambda user: user.active and not user.share and user.email
        ).partner_id
        if not partners:
            _logger.info("Monthly pack: no manager with an email address")
            return False
        last_month = self._jecree_last_month()
        year, month = last_month.year, last_month.month
        content, __ = self.env["ir.actions.report"]._render(
            "jecree_followup.monthly_pack_xlsx_report",
            [],
            data={"year": year, "month": month},
        )
        company = self.env.company
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"Je cree {year}-{month:02d}.xlsx",
                "datas": base64.b64encode(content),
                "mimetype": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": company.id,
            }
        )
        template = self.env.ref("jecree_followup.mail_template_monthly_pack")
        return template.with_context(
            jecree_pack_period=f"{month:02d}/{year}"
        ).send_mail(
            company.id,
            email_values={
                "recipient_ids": [fields.Command.set(partners.ids)],
                "attachment_ids": [fields.Command.set(attachment.ids)],
            },
        )

    @api.model
    def _jecree_monthly_pack_on_company(self):
        """Existing databases: the monthly pack's cron and mail template were on
        the pack wizard (a TransientModel). Both are noupdate data; the cron is
        moved to the company here, and the template, still on the wizard, is
        removed so that the data file creates it again on the company.
        Idempotent."""
        cron = self.env.ref("jecree_followup.ir_cron_monthly_pack", False)
        if cron and cron.model_id.model != self._name:
            cron.write(
                {
                    "model_id": self.env["ir.model"]._get_id(self._name),
                    "code": "model._cron_jecree_send_monthly_pack()",
                }
            )
        template = self.env.ref("jecree_followup.mail_template_monthly_pack", False)
        if template and template.model != self._name:
            template.unlink()
