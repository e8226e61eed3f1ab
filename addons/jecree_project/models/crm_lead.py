# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging
from datetime import timedelta
from typing import Any, NamedTuple

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, html2plaintext

from ..tools import cached_ref
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
# what the export shows of a porteur besides their personal data
LEAD_EXPORT_FIELDS = (
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
# a porteur's contact (res.partner), emptied before it is deleted
PARTNER_PERSONAL_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "website",
    "function",
    "comment",
    "vat",
    "ref",
)

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


class PersonalData(NamedTuple):
    """Records of one kind that hold a porteur's personal data: what the export
    shows of them, and how the erasure erases them."""

    label: str  # the kind, plural, translated: the erasure note counts by it
    records: Any  # a recordset (sudo, archived records included)
    fields: tuple  # what the export (right of access) shows of each record
    erase: Any  # callable(records): delete or anonymise them, figures kept


def export_values(record, fnames):
    """The values of `fnames` of `record`, as the JSON export shows them."""
    values = {}
    for fname in fnames:
        field = record._fields[fname]
        value = record[fname]
        if field.type == "many2one":
            value = value.display_name or None
        elif field.type in ("one2many", "many2many"):
            value = value.mapped("display_name")
        elif field.type == "html":
            value = html2plaintext(value or "")
        elif field.type == "selection":
            value = dict(field._description_selection(record.env)).get(value, value)
        values[fname] = value
    return values


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
        """Right of access: a JSON file of what we hold on the porteur."""
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
        """What we hold on the porteur, by kind: the records that the erasure
        erases (`_jecree_personal_records` and their traces), with the fields
        each kind declares."""
        self.ensure_one()
        lead = self.sudo().with_context(active_test=False)
        holdings = lead._jecree_personal_records()
        holdings.update(lead._jecree_personal_traces(holdings))
        data = {}
        for kind, holding in holdings.items():
            data[kind] = [
                export_values(record, holding.fields) for record in holding.records
            ]
        data["porteur"] = data.pop("porteurs")[0]
        data["porteur"].update(
            commune=lead.commune_id.display_name,
            needs=lead.need_ids.mapped("name"),
            heard_of_us_through=lead.source_id.name,
        )
        return data

    def _jecree_personal_records(self):
        """Everything our addons hold on these porteurs, by kind:
        {kind: PersonalData(label, records, fields, erase)}. The export (right of
        access) lists these records and the erasure erases them, with their
        messages, emails, attachments and activities (`_jecree_personal_traces`).

        Each addon that stores a copy of a porteur's data adds its records here:
        super() first, then its own kinds. Called on sudo records, archived
        records included (active_test=False)."""
        calls = self.phonecall_ids
        partners = self.partner_id
        return {
            "porteurs": PersonalData(
                self.env._("Porteurs"),
                self,
                ("name", *LEAD_PERSONAL_FIELDS, *LEAD_EXPORT_FIELDS),
                lambda leads: leads._jecree_anonymize_leads(),
            ),
            "calls": PersonalData(
                self.env._("Calls"),
                calls,
                tuple(calls._jecree_export_fields()),
                lambda calls: calls._jecree_anonymize_calls(),
            ),
            "contacts": PersonalData(
                self.env._("Contacts"),
                partners - self._jecree_shared_partners(partners),
                ("name", *PARTNER_PERSONAL_FIELDS),
                lambda partners: self._jecree_erase_partners(partners),
            ),
            "call_intakes": PersonalData(
                self.env._("Unsaved call forms"),
                self._jecree_call_intakes(),
                ("create_date", "contact_name", "phone", "email", "notes"),
                lambda intakes: intakes.unlink(),
            ),
        }

    def _jecree_shared_partners(self, partners):
        """The contacts among `partners` that are not only these porteurs': a user,
        a company, another porteur. They are not erased. Addons whose contacts a
        porteur's may also be (structures, advisers) add theirs."""
        partners = partners.with_context(active_test=False)
        others = self.env["crm.lead"].search(
            [
                ("partner_id", "in", partners.ids),
                ("id", "not in", self.ids),
                ("anonymized_date", "=", False),
            ]
        )
        companies = self.env["res.company"].search([("partner_id", "in", partners.ids)])
        return (
            partners.filtered(
                lambda partner: (
                    partner.user_ids or partner.is_company or partner.child_ids
                )
            )
            | others.partner_id
            | companies.partner_id
        )

    @api.model
    def _jecree_erase_partners(self, partners):
        """Delete the porteurs' contacts; one that another record still needs
        (a restricting reference) is anonymised and archived instead."""
        for partner in partners:
            partner.write(
                dict(
                    dict.fromkeys(PARTNER_PERSONAL_FIELDS, False),
                    name=self.env._("Anonymised contact #%s", partner.id),
                    active=False,
                )
            )
            try:
                with self.env.cr.savepoint():
                    partner.unlink()
            except (UserError, ValidationError, psycopg2.IntegrityError):
                self.env.invalidate_all()
                _logger.info("porteur contact %s archived, not deleted", partner.id)

    def _jecree_call_intakes(self):
        """The "New call" forms about these porteurs, saved or left unsaved: their
        porteur, or the same email or phone, or the same name without any other
        identifier. (Transient rows: Odoo deletes them within hours, this erasure
        at once.)"""
        emails = {email for email in self.mapped("email_normalized") if email}
        phones = {phone for phone in self.mapped("phone_sanitized") if phone}
        names = {name.strip().lower() for name in self.mapped("contact_name") if name}
        france = cached_ref(self.env, "base.fr")
        intakes = self.env["jecree.call.intake"].search(
            [
                "|",
                "|",
                "|",
                ("lead_id", "in", self.ids),
                ("email", "!=", False),
                ("phone", "!=", False),
                ("contact_name", "!=", False),
            ]
        )
        return intakes.filtered(
            lambda intake: (
                intake.lead_id in self
                or (intake.email and email_normalize(intake.email) in emails)
                # a name alone: another porteur may have the same one
                or (
                    not (intake.phone or intake.email)
                    and (intake.contact_name or "").strip().lower() in names
                )
                or (
                    intake.phone
                    and self._phone_format(number=intake.phone, country=france)
                    in phones
                )
            )
        )

    def _jecree_personal_traces(self, holdings):
        """What Odoo keeps about the records of `holdings`: their messages and
        emails (with their tracking values and notifications), attachments (the
        messages' too) and activities, open or done."""
        Message = self.env["mail.message"].with_context(active_test=False)
        Attachment = self.env["ir.attachment"]
        Activity = self.env["mail.activity"].with_context(active_test=False)
        by_model = {}
        for holding in holdings.values():
            records = holding.records
            if records:
                by_model.setdefault(records._name, set()).update(records.ids)
        messages, attachments, activities = Message, Attachment, Activity
        for model, ids in by_model.items():
            ids = list(ids)
            messages |= Message.search([("model", "=", model), ("res_id", "in", ids)])
            attachments |= Attachment.search(
                [
                    ("res_model", "=", model),
                    ("res_id", "in", ids),
                    "|",
                    ("res_field", "=", False),
                    ("res_field", "!=", False),
                ]
            )
            if "activity_ids" in self.env[model]._fields:
                activities |= Activity.search(
                    [("res_model", "=", model), ("res_id", "in", ids)]
                )
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        attachments |= messages.attachment_ids | mails.attachment_ids
        return {
            "emails": PersonalData(
                self.env._("Emails"),
                mails,
                ("date", "subject", "email_to", "state"),
                lambda mails: mails.unlink(),
            ),
            "tracking_values": PersonalData(
                self.env._("Tracked changes"),
                messages.tracking_value_ids,
                ("field_id", "old_value_char", "new_value_char"),
                lambda values: values.unlink(),
            ),
            "messages": PersonalData(
                self.env._("Messages"),
                messages,
                ("date", "model", "message_type", "subject", "body"),
                lambda messages: messages.unlink(),
            ),
            "attachments": PersonalData(
                self.env._("Attachments"),
                attachments,
                ("name", "res_model", "mimetype", "create_date"),
                lambda attachments: attachments.unlink(),
            ),
            "activities": PersonalData(
                self.env._("Activities"),
                activities,
                ("activity_type_id", "summary", "date_deadline", "note", "feedback"),
                lambda activities: self._jecree_anonymize_activities(activities),
            ),
        }

    @api.model
    def _jecree_anonymize_activities(self, activities):
        """Activities are counted by the reports (the J+8 call-backs): they stay,
        without their free text; their record name is the record's new one."""
        for activity in activities:
            record = self.env[activity.res_model].browse(activity.res_id).exists()
            activity.write(
                {
                    "summary": activity.activity_type_id.summary
                    or activity.activity_type_id.name,
                    "note": False,
                    "feedback": False,
                    "res_name": record.display_name if record else False,
                }
            )

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
        self.sudo()._jecree_erase_personal_data()
        return True

    def _jecree_erase_personal_data(self):
        """Erase every copy of the personal data of these porteurs that our addons
        hold (`_jecree_personal_records`), then the messages, emails, attachments
        and activities of those records; keep the figures. Post in each porteur's
        chatter what was erased, as counts. Returns {kind: count}, all porteurs
        together."""
        total = {}
        leads = self.filtered(lambda lead: not lead.anonymized_date)
        leads = leads.sudo().with_context(
            active_test=False,
            tracking_disable=True,
            mail_notrack=True,
            mail_create_nolog=True,
            no_mail_to_attendees=True,
        )
        for lead in leads:
            counts, labels = {}, {}
            holdings = lead._jecree_personal_records()
            # the traces once the records are erased: what their erasure wrote goes
            for step in ("records", "traces"):
                if step == "traces":
                    holdings = lead._jecree_personal_traces(holdings)
                for kind, holding in holdings.items():
                    records = holding.records.exists()
                    if records:
                        counts[kind] = counts.get(kind, 0) + len(records)
                        labels[kind] = holding.label
                        holding.erase(records)
            lead._jecree_post_erasure_note(counts, labels)
            for kind, count in counts.items():
                total[kind] = total.get(kind, 0) + count
        _logger.info("personal data of %s porteurs erased: %s", len(leads), total)
        return total

    def _jecree_post_erasure_note(self, counts, labels):
        """Tell the managers, in the porteur's chatter, what was erased: counts per
        kind only (the note holds no personal data)."""
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._("%(label)s: %(count)s", label=labels[kind], count=count)
            for kind, count in counts.items()
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "Personal data erased (right to erasure or retention period); "
                "the figures are kept. Records erased or anonymised:"
            ),
            lines,
        )
        for lead in self:
            lead.message_post(
                body=body, message_type="notification", subtype_xmlid="mail.mt_note"
            )

    def _jecree_anonymize_leads(self):
        now = fields.Datetime.now()
        # CRM writes a lead's emptied email and phone on its contact: the contact is
        # detached first (it is erased on its own, unless it is someone else's)
        self.write({"partner_id": False})
        for lead in self:
            lead.write(
                dict(
                    dict.fromkeys(LEAD_PERSONAL_FIELDS, False),
                    name=self.env._("Anonymised porteur #%s", lead.id),
                    anonymized_date=now,
                )
            )

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
            locked._jecree_erase_personal_data()
            if not cron._commit_progress(len(locked)):
                break
