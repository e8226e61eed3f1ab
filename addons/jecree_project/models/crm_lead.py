# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.locking import try_lock_batch

_logger = logging.getLogger(__name__)

RETENTION_PARAM = "jecree_project.retention_months"
DEFAULT_RETENTION_MONTHS = 36
ANONYMIZE_BATCH = 500
# personal data of a porteur (crm.lead) and of their calls (crm.phonecall): wiped by
# the anonymisation; what the reporting counts (dates, commune, sector, kind, maturity,
# needs, nature, qualification, duration, agent) is kept.
LEAD_PERSONAL_FIELDS = (
    "contact_name",
    "partner_name",
    "email_from",
    "email_cc",
    "phone",
    "street",
    "street2",
    "website",
    "function",
    "description",
    "naf_code",
)
CALL_PERSONAL_FIELDS = ("partner_phone", "email_from", "description")

# The project kinds and sectors of a porteur, defined here only: their codes,
# labels and order. jecree_referral's jecree.project.kind and jecree.sector
# records (what a structure takes) are made from these lists, and the reports
# and the monthly pack show the sectors in this order.
PROJECT_KINDS = [("creation", "Création"), ("reprise", "Reprise")]
SECTORS = [
    ("commerce", "Commerce"),
    ("services", "Services"),
    ("artisanat", "Artisanat"),
    ("industrie", "Industrie"),
    ("a_preciser", "À préciser"),
]
#: a sector not known yet: no structure takes it, no report row is kept for it
SECTOR_UNKNOWN = "a_preciser"
#: the sectors a structure can take, in order
SECTOR_CODES = tuple(code for code, __ in SECTORS if code != SECTOR_UNKNOWN)
PROJECT_KIND_CODES = tuple(code for code, __ in PROJECT_KINDS)
MATURITIES = [
    ("idee", "Idée"),
    ("construction", "En construction"),
    ("financement", "Financement"),
    ("pret", "Prêt à démarrer"),
    ("demarre", "Démarré"),
    ("abandonne", "Abandonné"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    is_porteur = fields.Boolean(
        string="Porteur de projet",
        index="btree_not_null",
        help="Set for the leads of the call center (porteurs de projet).",
    )
    project_kind = fields.Selection(PROJECT_KINDS, string="Project kind", tracking=True)
    sector = fields.Selection(SECTORS, tracking=True)
    maturity = fields.Selection(MATURITIES, default="idee", tracking=True)
    need_ids = fields.Many2many("jecree.need", string="Needs")
    planned_start_date = fields.Date(string="Planned start date")
    jobs_planned = fields.Integer(string="Jobs planned")
    funding_need = fields.Monetary(
        string="Funding need", currency_field="company_currency"
    )
    naf_code = fields.Char(string="NAF code", size=6)
    commune_id = fields.Many2one("res.city", index="btree_not_null", tracking=True)
    epci_id = fields.Many2one(related="commune_id.epci_id", store=True)
    department_id = fields.Many2one(related="commune_id.department_id", store=True)
    consent = fields.Boolean(
        string="Consent to data processing",
        tracking=True,
        help="The caller agreed that the call center and the support structures "
        "process their data to follow their project up.",
    )
    consent_date = fields.Datetime(string="Consent date", readonly=True)
    last_contact_date = fields.Datetime(
        compute="_compute_last_contact_date",
        store=True,
        index="btree_not_null",
        help="Date of the last call with the porteur: the retention period of their "
        "personal data runs from it.",
    )
    anonymized_date = fields.Datetime(
        string="Anonymised on",
        readonly=True,
        copy=False,
        help="The personal data of this porteur were erased on this date; the "
        "statistics are kept.",
    )

    # The returning-caller look-up matches the normalised email exactly; Odoo only
    # indexes it for trigram search, which PostgreSQL does not use for equality, so
    # without this index the look-up reads the whole table (10 ms at 30,000 leads).
    _email_normalized_eq_idx = models.Index(
        "(email_normalized) WHERE email_normalized IS NOT NULL"
    )

    @api.depends("phonecall_ids.date")
    def _compute_last_contact_date(self):
        last = dict(
            self.env["crm.phonecall"]._read_group(
                [("opportunity_id", "in", self.ids)], ["opportunity_id"], ["date:max"]
            )
        )
        for lead in self:
            lead.last_contact_date = last.get(lead) or lead.create_date

    @api.constrains("funding_need", "jobs_planned")
    def _check_positive_amounts(self):
        for lead in self:
            if lead.funding_need < 0:
                raise ValidationError(
                    self.env._("The funding need cannot be negative.")
                )
            if lead.jobs_planned < 0:
                raise ValidationError(
                    self.env._("The number of jobs planned cannot be negative.")
                )

    @api.onchange("commune_id")
    def _onchange_commune_id(self):
        if self.commune_id:
            self.city = self.commune_id.name
            self.country_id = self.commune_id.country_id
            self.state_id = self.commune_id.state_id
            if not self.zip or self.zip not in self.commune_id.zip_ids.mapped("name"):
                self.zip = self.commune_id.zipcode

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("consent") and not vals.get("consent_date"):
                vals["consent_date"] = now
        return super().create(vals_list)

    def write(self, vals):
        if "consent" in vals and "consent_date" not in vals:
            if not vals["consent"]:
                return super().write(dict(vals, consent_date=False))
            newly_given = self.filtered(lambda lead: not lead.consent)
            res = super().write(vals)
            # the date of a consent already given is kept
            super(CrmLead, newly_given).write({"consent_date": fields.Datetime.now()})
            return res
        return super().write(vals)

    # ------------------------------------------------------------------ RGPD
    def action_jecree_export_personal_data(self):
        """Right of access: a JSON file of what we hold on the porteur and calls."""
        self.ensure_one()
        self.check_access("read")
        data = self._jecree_personal_data()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"donnees-porteur-{self.id}.json",
                "mimetype": "application/json",
                "raw": json.dumps(data, ensure_ascii=False, indent=2, default=str),
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.message_post(
            body=self.env._("Personal data exported (right of access)."),
            attachment_ids=attachment.ids,
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _jecree_personal_data(self):
        self.ensure_one()
        lead_fields = (
            "name",
            *LEAD_PERSONAL_FIELDS,
            "zip",
            "city",
            "project_kind",
            "sector",
            "maturity",
            "planned_start_date",
            "jobs_planned",
            "funding_need",
            "consent",
            "consent_date",
            "create_date",
        )
        porteur = {fname: self[fname] for fname in lead_fields}
        porteur.update(
            commune=self.commune_id.display_name,
            needs=self.need_ids.mapped("name"),
            heard_of_us_through=self.source_id.name,
        )
        calls = [
            {
                "date": call.date,
                "direction": call.direction,
                "duration_minutes": call.duration,
                "nature": call.nature,
                "qualification": call.qualification,
                "agent": call.user_id.name,
                "phone": call.partner_phone,
                "notes": call.description,
            }
            for call in self.phonecall_ids
        ]
        return {"porteur": porteur, "calls": calls}

    def action_jecree_erase_personal_data(self):
        """Right to erasure, on request: managers anonymise the porteur now."""
        if not self.env.user.has_group("jecree_project.group_jecree_manager"):
            raise AccessError(
                self.env._("Only call-center managers can erase a porteur's data.")
            )
        already = self.filtered("anonymized_date")
        if already:
            raise UserError(
                self.env._(
                    "The data of %s are already erased.",
                    ", ".join(already.mapped("name")),
                )
            )
        self.sudo()._jecree_anonymize()
        return True

    def _jecree_anonymize(self):
        """Erase the personal data of porteurs and of their calls, keep the figures.

        Chatter messages, tracking values and attachments of the porteurs and calls
        carry personal data too: they are deleted."""
        leads = self.filtered(lambda lead: not lead.anonymized_date)
        if not leads:
            return
        now = fields.Datetime.now()
        calls = leads.with_context(active_test=False).phonecall_ids
        quiet = {"tracking_disable": True, "mail_notrack": True}
        for lead in leads.with_context(**quiet):
            lead.write(
                dict(
                    dict.fromkeys(LEAD_PERSONAL_FIELDS, False),
                    name=self.env._("Anonymised porteur #%s", lead.id),
                    anonymized_date=now,
                )
            )
        calls.with_context(**quiet).write(dict.fromkeys(CALL_PERSONAL_FIELDS, False))
        for records in (leads, calls):
            self.env["mail.message"].sudo().search(
                [("model", "=", records._name), ("res_id", "in", records.ids)]
            ).unlink()
            self.env["ir.attachment"].sudo().search(
                [("res_model", "=", records._name), ("res_id", "in", records.ids)]
            ).unlink()
        _logger.info("anonymised %s porteurs and %s calls", len(leads), len(calls))

    @api.model
    def _jecree_retention_months(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM)
        try:
            return max(int(value), 1) if value else DEFAULT_RETENTION_MONTHS
        except ValueError:
            return DEFAULT_RETENTION_MONTHS

    @api.model
    def _cron_jecree_anonymize_expired(self):
        """Anonymise the porteurs whose last contact is older than the retention
        period, in batches. Safe to run twice or in two workers at once: a batch
        locks its rows (SKIP LOCKED) and anonymised porteurs leave the domain."""
        months = self._jecree_retention_months()
        limit = fields.Datetime.now() - timedelta(days=round(months * 30.4375))
        domain = [
            ("is_porteur", "=", True),
            ("anonymized_date", "=", False),
            ("last_contact_date", "<", limit),
        ]
        Lead = self.with_context(active_test=False)
        remaining = Lead.search_count(domain)
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=remaining)
        while True:
            # searched again on a fresh snapshot: an anonymised porteur leaves
            # the domain
            locked = try_lock_batch(
                lambda: Lead.search(domain, limit=ANONYMIZE_BATCH, order="id")
            )
            if not locked:  # nothing left, or another worker holds this batch
                break
            locked._jecree_anonymize()
            if not cron._commit_progress(len(locked)):
                break
