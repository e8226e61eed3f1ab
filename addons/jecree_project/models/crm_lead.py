# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import datetime as dt
import functools
import json
import logging
import math
from datetime import timedelta
from typing import Any, NamedTuple

import psycopg2
from markupsafe import Markup

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import (
    SQL,
    email_normalize,
    format_date,
    format_datetime,
    html2plaintext,
    plaintext2html,
)

from odoo.addons.phone_validation.tools import phone_validation

from ..tools import cached_ref, iap_enabled
from ..tools.locking import try_lock_batch
from .crm_phonecall import (
    NATURES,
    NO_PORTEUR_QUALIFICATIONS,
    REQUEST_NATURES,
    USEFUL_QUALIFICATION,
)
from .jecree_callback_request import PRIVACY_NOTICE_VERSION

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

# the project fields of a call's values, copied as they are to the porteur
PROJECT_FIELDS = (
    "project_kind",
    "sector",
    "maturity",
    "planned_start_date",
    "jobs_planned",
    "funding_need",
    "naf_code",
    "source_id",
)
# the values of a call (crm.lead.jecree_log_call), besides the project fields
CALL_FIELDS = (
    "phone",
    "email",
    "contact_name",
    "zip_code",
    "commune_id",
    "lead_id",
    "need_ids",
    "consent",
    "direction",
    "call_date",
    "duration",
    "nature",
    "qualification",
    "notes",
    "telephony_call_id",
)
# values typed by a person: stripped, empty means not given
CALL_TEXT_FIELDS = ("phone", "email", "contact_name", "zip_code", "naf_code", "notes")
CALLER_MATCH_LIMIT = 8

# a call-back asked for on the public web form (`jecree_request_callback`): what
# it tells of the caller and the project (handed to the call's checks), and the rest
CALLBACK_REQUEST_CALLER_KEYS = (
    "contact_name",
    "phone",
    "email",
    "zip_code",
    "commune_id",
    "project_kind",
    "sector",
    "notes",
)
CALLBACK_REQUEST_KEYS = (
    *CALLBACK_REQUEST_CALLER_KEYS,
    "slot",
    "consent",
    "consent_version",
)
#: the longest text accepted in each field of the web form
CALLBACK_REQUEST_MAX_LENGTHS = {
    "contact_name": 100,
    "phone": 30,
    "email": 254,
    "zip_code": 10,
    "notes": 2000,
}


@functools.lru_cache(maxsize=4096)
def _format_phone(number, code, phone_code, force_format):
    """phone_validation's formatting of `number` (False when not valid), kept for
    the numbers seen lately: a call's number is formatted several times (the
    returning-caller look-up, the porteur, the call, its missed calls), and a pure
    function of its arguments."""
    try:
        return phone_validation.phone_format(
            number, code, phone_code, force_format=force_format
        )
    except UserError:
        return False


def _number(value):
    """`value` (a number or its text) as a float; ValueError if it is not finite."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _whole_number(value):
    """`value` (a number or its text) as an int; ValueError if it has decimals."""
    number = _number(value)
    if not number.is_integer():
        raise ValueError(value)
    return int(number)


class CallbackRequestError(UserError):
    """Bad values of a web call-back request: ``errors`` is {field: message}
    (``"__all__"`` for what is about no field), the message lists them all."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


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
    last_request = fields.Selection(
        NATURES,
        string="Last request",
        compute="_compute_last_request",
        help="What the porteur asked at their last call that was a request "
        "(information, orientation, funding).",
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
        # the porteurs whose calls are in cache (a porteur created in this
        # transaction with its first call: the intake's case) read them there,
        # with no query; the others' latest call date comes in one query
        uncached = self.browse(
            self.env.cache.get_missing_ids(self, self._fields["phonecall_ids"])
        )
        last = {}
        if uncached:
            last = dict(
                self.env["crm.phonecall"]._read_group(
                    [("opportunity_id", "in", uncached.ids)],
                    ["opportunity_id"],
                    ["date:max"],
                )
            )
        for lead in self:
            if lead in uncached:
                date = last.get(lead)
            else:
                dates = filter(None, lead.phonecall_ids.mapped("date"))
                date = max(dates, default=None)
            lead.last_contact_date = date or lead.create_date

    def _compute_last_request(self):
        """One query for all the porteurs shown (a kanban of them)."""
        last = {}
        for lead, nature, date in self.env["crm.phonecall"]._read_group(
            [
                # a request: an incoming useful call of a request's nature
                ("opportunity_id", "in", self.ids),
                ("direction", "=", "in"),
                ("qualification", "=", USEFUL_QUALIFICATION),
                ("nature", "in", REQUEST_NATURES),
            ],
            ["opportunity_id", "nature"],
            ["date:max"],
        ):
            if lead not in last or date > last[lead][0]:
                last[lead] = (date, nature)
        for lead in self:
            lead.last_request = last.get(lead, (None, False))[1]

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
        phones = [phone for phone in self.mapped("phone_sanitized") if phone]
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
            "callback_requests": PersonalData(
                self.env._("Call-back requests (web form)"),
                self.env["jecree.callback.request"].search(
                    [("lead_id", "in", self.ids)]
                ),
                (
                    "create_date",
                    "preferred_day",
                    "preferred_period",
                    "commune_id",
                    "consent_version",
                    "consent_text",
                ),
                lambda requests: requests.unlink(),
            ),
            # the phone system's calls and missed calls of the porteurs' numbers
            "phone_system_calls": PersonalData(
                self.env._("Phone system calls"),
                self.env["jecree.telephony.call"].search([("phone", "in", phones)])
                if phones
                else self.env["jecree.telephony.call"],
                ("ring_date", "direction", "phone", "state", "talk_seconds"),
                lambda calls: calls.write({"phone": False}),
            ),
            "missed_calls": PersonalData(
                self.env._("Missed calls"),
                self.env["jecree.missed.call"].search([("phone", "in", phones)])
                if phones
                else self.env["jecree.missed.call"],
                ("day", "phone", "attempts", "state"),
                lambda missed: missed.unlink(),
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
                or (intake.phone and self._jecree_format_phone(intake.phone) in phones)
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

    # ------------------------------------------------------------------ privacy
    # Odoo's lead enrichment (crm_iap_enrich, installed with crm) sends a lead's
    # email domain to Odoo's paid service, by a cron started at each creation. It
    # runs only when a manager turned Odoo's online services on (tools/privacy.py);
    # these overrides are called only when crm_iap_enrich is installed.
    def _compute_show_enrich_button(self):
        res = super()._compute_show_enrich_button()
        if not iap_enabled(self.env):
            self.show_enrich_button = False
        return res

    @api.model
    def _jecree_set_privacy_defaults(self):
        """At install: Odoo's lead enrichment on demand only (not at each new lead)
        and its cron off, whatever crm_iap_enrich set when it was installed."""
        self.env["ir.config_parameter"].sudo().set_param(
            "crm.iap.lead.enrich.setting", "manual"
        )
        cron = self.env.ref(
            "crm_iap_enrich.ir_cron_lead_enrichment", raise_if_not_found=False
        )
        if cron:
            cron.sudo().active = False

    @api.model
    def _iap_enrich_leads_cron(self, *args, **kwargs):
        if not iap_enabled(self.env):
            _logger.info("Lead enrichment skipped: Odoo's online services are off")
            return None
        return super()._iap_enrich_leads_cron(*args, **kwargs)

    def iap_enrich(self, *args, **kwargs):
        if not iap_enabled(self.env):
            raise UserError(
                self.env._(
                    "Lead enrichment sends the porteur's email address to Odoo's "
                    "online service: it is off. A manager can turn Odoo's online "
                    "services on in the settings."
                )
            )
        return super().iap_enrich(*args, **kwargs)

    # ------------------------------------------------------------------ calls
    def _jecree_caller_summary(self):
        """What the call center knows of a returning caller, as short phrases
        (the "New call" screen's banner): their calls here; the referral and
        follow-up addons add their referrals and next call-back."""
        self.ensure_one()
        summary = [self.env._("%s call(s)", self.phonecall_count)]
        if self.last_contact_date:
            summary.append(
                self.env._(
                    "last on %s",
                    format_date(
                        self.env,
                        self.env.company.jecree_calendar_id._jecree_local_date(
                            self.last_contact_date
                        ),
                    ),
                )
            )
        return summary

    def action_jecree_dial(self):
        """Appeler: the phone system rings the agent's phone, then the porteur's
        number (a ``tel:`` link without a phone system); the "Nouvel appel"
        screen opens for the outgoing call, which is logged when the agent saves
        it (through `jecree_log_call`)."""
        self.ensure_one()
        return self.env["jecree.phone.common"]._jecree_dial_action(self.phone, self)

    @api.model
    def jecree_log_call(self, values):
        """Log a call of the call center: find the returning caller or create the
        porteur de projet, and log the call (a crm.phonecall).

        The one way to log a call: the "New call" screen calls it, and so do RPC
        clients (JSON-RPC, XML-RPC), a phone system or a web form. ``values``:

        - the caller: ``phone`` (any French format), ``email``, ``contact_name``,
          ``zip_code``, ``commune_id`` (a commune of the postal code: chosen when
          the postal code has one commune);
        - ``lead_id``: the porteur the call is about. Left out, the porteur is
          looked up by phone or email (the name breaks ties); ``False``: a new
          porteur, as the screen does when the agent leaves it empty;
        - the project: ``project_kind``, ``sector``, ``maturity``, ``need_ids``
          (ids), ``planned_start_date``, ``jobs_planned``, ``funding_need``,
          ``naf_code``, ``source_id``, ``consent``;
        - the call: ``direction`` ("in"), ``call_date`` (UTC, now by default),
          ``duration`` (minutes), ``nature``, ``qualification`` ("utile"),
          ``notes``.

        An error or prank call is logged without a porteur; a call that is not
        useful has no nature. Every value is checked before anything is written:
        bad values raise one UserError that lists what is wrong.

        Messages are in the language of the context (``{"lang": "fr_FR"}``), as
        for every Odoo method called over RPC.

        :return: ``{"lead_id": id or False, "call_id": id, "returning": bool}``
        """
        self._jecree_check_call_center_user()
        call = self._jecree_check_call_values(values)
        lead = call["lead"]
        if call["qualification"] not in NO_PORTEUR_QUALIFICATIONS:
            lead = self._jecree_save_porteur(call)
        phonecall = self.env["crm.phonecall"].create(
            self._jecree_call_values(call, lead)
        )
        if call["returning"]:
            lead._jecree_answer_callback_requests(phonecall)
        self._jecree_after_log_call(lead, phonecall, call)
        return {
            "lead_id": lead.id or False,
            "call_id": phonecall.id,
            "returning": call["returning"],
        }

    @api.model
    def _jecree_save_porteur(self, call, new_values=None, only_empty=False):
        """Write what a caller told on the returning porteur (`call["lead"]`) or
        create the porteur: the one place a call or a web request saves a porteur.

        :param call: checked values (`_jecree_check_call_values`)
        :param new_values: values of a new porteur besides the call's
        :param only_empty: fill only what the porteur does not have yet (an
            unauthenticated web request changes nothing an agent recorded)
        :return: the porteur"""
        lead = call["lead"]
        lead_values = self._jecree_call_lead_values(call)
        if lead and only_empty:
            lead_values = {
                fname: value
                for fname, value in lead_values.items()
                if fname == "consent" or not lead[fname]
            }
        if lead:
            lead.write(lead_values)
            return lead
        return self.create(
            {
                **self._jecree_new_porteur_values(call),
                **(new_values or {}),
                **lead_values,
            }
        )

    @api.model
    def _jecree_log_call_fields(self):
        """The keys `jecree_log_call` accepts (extended by the follow-up addons)."""
        return (*PROJECT_FIELDS, *CALL_FIELDS)

    @api.model
    def _jecree_check_call_center_user(self, message=None):
        """Who works the call center's calls (log a call, record a call-back):
        its agents and managers; anyone else gets an AccessError (`message`)."""
        if not self.env.su and not self.env.user.has_group(
            "jecree_project.group_jecree_agent"
        ):
            raise AccessError(
                message
                or self.env._(
                    "Only the call center's agents and managers can log a call."
                )
            )

    @api.model
    def _jecree_clean_text_values(self, values):
        """Text from a browser or an RPC client: no NUL byte (PostgreSQL refuses
        them), no blanks around, postal codes without spaces; empty is not given."""
        values = {
            key: value.replace("\x00", "") if isinstance(value, str) else value
            for key, value in values.items()
        }
        for fname in CALL_TEXT_FIELDS:
            if isinstance(values.get(fname), str):
                values[fname] = values[fname].strip() or False
        if isinstance(values.get("zip_code"), str):
            values["zip_code"] = "".join(values["zip_code"].split()) or False
        return values

    @api.model
    def _jecree_format_phone(self, number, force_format="E164"):
        """A phone number typed in any French format, normalised; False if it is
        not a valid number (phone_validation's formatting, as ``_phone_format``
        does, France's codes cached: every phone system event asks)."""
        if not number or not isinstance(number, str):
            return False
        code, phone_code = self._jecree_phone_country()
        return _format_phone(number, code, phone_code, force_format)

    @api.model
    @tools.ormcache()
    def _jecree_phone_country(self):
        """(code, phone code) of France, the country of the numbers typed."""
        france = cached_ref(self.env, "base.fr")
        return france.code, france.phone_code

    @api.model
    def _jecree_invalid_phone_message(self, number):
        return self.env._(
            "The phone number %s is not valid. Type a French number, for example "
            "03 20 12 34 56, 06 12 34 56 78 or +33 3 20 12 34 56.",
            number,
        )

    @api.model
    def _jecree_find_callers(
        self, phone=False, email=False, name=False, exact=False, fetch=None
    ):
        """Porteurs matching the phone (in any French format), the email
        (normalised) or, unless `exact`, a part of the name; `fetch`: the fields
        read in the same query (the phone system's look-up)."""
        domains = []
        phone = phone and self._jecree_format_phone(phone)
        if phone:
            domains.append(Domain("phone_sanitized", "=", phone))
        email = email and email_normalize(email)
        if email:
            domains.append(Domain("email_normalized", "=", email))
        name = (name or "").strip()
        if not exact and len(name) >= 3:
            domains.append(Domain("contact_name", "ilike", name))
        if not domains:
            return self.browse()
        domain = Domain.OR(domains) & Domain("is_porteur", "=", True)
        if fetch:
            return self.search_fetch(domain, fetch, limit=CALLER_MATCH_LIMIT)
        return self.search(domain, limit=CALLER_MATCH_LIMIT)

    @api.model
    def _jecree_returning_callers(self, phone=False, email=False, name=False):
        """The porteurs a caller is: same phone or email; among several, those of
        the same name (one record when the caller is known for sure)."""
        callers = self._jecree_find_callers(phone, email, exact=True)
        name = (name or "").strip().casefold()
        if len(callers) > 1 and name:
            same_name = callers.filtered(
                lambda lead: (lead.contact_name or "").strip().casefold() == name
            )
            callers = same_name or callers
        return callers

    @api.model
    def _jecree_screen_pop_callers(self, phone, last_calls=3):
        """What an agent sees of the porteurs of `phone` (E.164) when their phone
        rings (the screen pop): the returning callers of `_jecree_find_callers`
        (same order, same limit), found and read in one query on the
        normalised-number index (`_jecree_screen_pop_query`), with the lines other
        addons add (`_jecree_screen_pop_extend`)."""
        summary = self._jecree_screen_pop_query(phone, last_calls)
        if not summary:
            return summary
        leads = self.browse([caller["id"] for caller in summary])
        return leads._jecree_screen_pop_extend(summary)

    def _jecree_screen_pop_extend(self, summary):
        """Hook: other addons add their lines to the callers of `summary` (these
        porteurs), in ``lines`` (open referrals…)."""
        return summary

    @api.model
    def _jecree_screen_pop_query(self, phone, last_calls):
        """The screen pop's summary of the porteurs of `phone` (E.164): name,
        commune, last calls, open activities (the J+8 call-back among them), in
        one query; dates in the language of the context and the company's time
        zone; read as the system (what an agent sees of a caller on the
        phone)."""
        self.env.flush_all()  # nothing pending when the phone system asks
        lang = self.env.lang or "en_US"
        rows = self.env.execute_query(
            SQL(
                """
                SELECT lead.id,
                       COALESCE(NULLIF(lead.contact_name, ''), lead.name),
                       COALESCE(city.name->>%(lang)s, city.name->>'en_US',
                                NULLIF(lead.city, '')),
                       (SELECT json_agg(json_build_array(call.date, call.name,
                                                         agent.name)
                                        ORDER BY call.date DESC, call.id DESC)
                          FROM (SELECT id, date, name, user_id
                                  FROM crm_phonecall
                                 WHERE opportunity_id = lead.id AND active
                                 ORDER BY date DESC, id DESC
                                 LIMIT %(last_calls)s) call
                          LEFT JOIN res_users agent_user
                                 ON agent_user.id = call.user_id
                          LEFT JOIN res_partner agent
                                 ON agent.id = agent_user.partner_id),
                       (SELECT json_agg(json_build_array(
                                    COALESCE(NULLIF(activity.summary, ''),
                                             type.name->>%(lang)s,
                                             type.name->>'en_US'),
                                    activity.date_deadline)
                                    ORDER BY activity.date_deadline, activity.id)
                          FROM mail_activity activity
                          LEFT JOIN mail_activity_type type
                                 ON type.id = activity.activity_type_id
                         WHERE activity.res_model = 'crm.lead'
                           AND activity.res_id = lead.id AND activity.active)
                  FROM crm_lead lead
                  LEFT JOIN res_city city ON city.id = lead.commune_id
                 WHERE lead.phone_sanitized = %(phone)s
                   AND lead.is_porteur AND lead.active
                 ORDER BY lead.priority DESC, lead.id DESC
                 LIMIT %(limit)s
                """,
                lang=lang,
                phone=phone,
                last_calls=last_calls,
                limit=CALLER_MATCH_LIMIT,
            )
        )
        tz = self.env.company._jecree_tz().zone
        return [
            {
                "id": lead_id,
                "name": name,
                "commune": commune or False,
                "last_calls": [
                    {
                        "date": format_datetime(
                            self.env,
                            called_at and dt.datetime.fromisoformat(called_at),
                            tz=tz,
                            dt_format="short",
                        ),
                        "name": call_name,
                        "agent": agent or False,
                    }
                    for called_at, call_name, agent in calls or ()
                ],
                "activities": [
                    {
                        "summary": summary,
                        "date": format_date(self.env, dt.date.fromisoformat(deadline)),
                    }
                    for summary, deadline in activities or ()
                ],
                "lines": [],
            }
            for lead_id, name, commune, calls, activities in rows
        ]

    @api.model
    def _jecree_check_call_values(self, values):
        """Check the values of a call (see `jecree_log_call`); return them typed,
        with the records they name, or raise a UserError listing every error."""
        if not isinstance(values, dict):
            raise UserError(
                self.env._("The values of a call are a dictionary of field values.")
            )
        unknown = sorted(set(values) - set(self._jecree_log_call_fields()))
        if unknown:
            raise UserError(
                self.env._("Unknown values for a call: %s.", ", ".join(unknown))
            )
        values = self._jecree_clean_text_values(values)
        errors = []
        call = self._jecree_typed_call_values(values, errors)
        self._jecree_check_caller(call, values, errors)
        self._jecree_check_telephony_call(call, errors)
        if call["funding_need"] < 0:
            errors.append(self.env._("The funding need cannot be negative."))
        if call["jobs_planned"] < 0:
            errors.append(self.env._("The number of jobs planned cannot be negative."))
        if call["duration"] < 0:
            errors.append(self.env._("The duration of a call cannot be negative."))
        if call["qualification"] != USEFUL_QUALIFICATION:
            call["nature"] = False  # a call that is not useful has no nature
        self._jecree_check_call_porteur(call, values, errors)
        if errors:
            raise UserError("\n".join(errors))
        if call["qualification"] not in NO_PORTEUR_QUALIFICATIONS and (
            "lead_id" not in values
        ):
            call["lead"] = self._jecree_returning_caller(call)
        call["returning"] = bool(call["lead"])
        # the values of the follow-up addons, for their hook
        for key in set(values) - set(call):
            call[key] = values[key]
        return call

    @api.model
    def _jecree_typed_call_values(self, values, errors):
        """The values of a call as Python values and records; what cannot be read
        is added to `errors`."""
        call = {
            key: values.get(key) or False
            for key in ("phone", "email", "contact_name", "zip_code", "naf_code")
        }
        call["notes"] = values.get("notes") or False
        call["consent"] = bool(values.get("consent"))
        defaults = {"direction": "in", "qualification": USEFUL_QUALIFICATION}
        for model, fnames in (
            (self, ("project_kind", "sector", "maturity")),
            (self.env["crm.phonecall"], ("direction", "nature", "qualification")),
        ):
            for fname in fnames:
                value = values.get(fname) or defaults.get(fname, False)
                if value and value not in model._fields[fname].get_values(self.env):
                    errors.append(
                        self.env._(
                            "%(value)s is not a valid %(field)s.",
                            value=value,
                            field=fname,
                        )
                    )
                call[fname] = value
        for fname, to_value in (
            ("funding_need", _number),
            ("duration", _number),
            ("jobs_planned", _whole_number),
            ("call_date", fields.Datetime.to_datetime),
            ("planned_start_date", fields.Date.to_date),
        ):
            value = values.get(fname) or False
            try:
                if isinstance(value, bool) and value:
                    raise ValueError(value)
                call[fname] = to_value(value)
            except (TypeError, ValueError):
                errors.append(
                    self.env._(
                        "%(value)s is not a valid value for %(field)s.",
                        value=value,
                        field=fname,
                    )
                )
                call[fname] = to_value(False)
        call["call_date"] = call["call_date"] or fields.Datetime.now()
        for fname, model in (
            ("lead_id", "crm.lead"),
            ("commune_id", "res.city"),
            ("source_id", "utm.source"),
            ("need_ids", "jecree.need"),
            ("telephony_call_id", "jecree.telephony.call"),
        ):
            ids = values.get(fname) or []
            ids = ids if isinstance(ids, (list, tuple)) else [ids]
            if not all(type(id_) is int for id_ in ids):
                errors.append(
                    self.env._(
                        "%(value)s is not a valid value for %(field)s.",
                        value=values.get(fname),
                        field=fname,
                    )
                )
                ids = []
            call[fname] = self.env[model].browse(ids)
        missing = [
            (fname, call[fname] - call[fname].exists())
            for fname in ("source_id", "need_ids", "telephony_call_id")
            if call[fname]
        ]
        for fname, records in missing:
            if records:
                errors.append(
                    self.env._(
                        "%(field)s: no record has the id %(ids)s.",
                        field=fname,
                        ids=", ".join(map(str, records.ids)),
                    )
                )
        return call

    @api.model
    def _jecree_check_caller(self, call, values, errors):
        """The phone, email and commune of the caller: valid, the commune of the
        postal code chosen when it has only one."""
        if call["phone"] and not self._jecree_format_phone(call["phone"]):
            errors.append(self._jecree_invalid_phone_message(call["phone"]))
        if call["email"] and not email_normalize(call["email"]):
            errors.append(
                self.env._("The email address %s is not valid.", call["email"])
            )
        zip_code, commune = call["zip_code"], call["commune_id"]
        if zip_code:
            communes = self.env["res.city"]._jecree_search_zip(zip_code)
            if not communes:
                errors.append(
                    self.env._(
                        "The postal code %s is unknown: check it or leave it empty.",
                        zip_code,
                    )
                )
            elif commune and commune not in communes:
                errors.append(
                    self.env._(
                        "The commune %(commune)s does not have the postal code "
                        "%(zip)s.",
                        commune=commune.exists().name or commune.id,
                        zip=zip_code,
                    )
                )
            elif not commune and len(communes) == 1:
                commune = communes
        elif commune and not commune.exists():
            errors.append(self.env._("The commune %s does not exist.", commune.id))
        call["commune"] = commune

    @api.model
    def _jecree_check_telephony_call(self, call, errors):
        """A call the phone system saw (``telephony_call_id``): logged once, with
        the real start and duration the phone system gave."""
        telephony_call = call["telephony_call_id"].sudo()
        if len(telephony_call) > 1:
            errors.append(self.env._("A call is one call of the phone system."))
        elif telephony_call.exists():
            if telephony_call.phonecall_id:
                errors.append(
                    self.env._(
                        "This call of the phone system is already logged (%s).",
                        telephony_call.phonecall_id.name,
                    )
                )
            times = telephony_call._jecree_phonecall_times()
            call["call_date"] = times.get("date", call["call_date"])
            call["duration"] = times.get("duration", call["duration"])

    @api.model
    def _jecree_check_call_porteur(self, call, values, errors):
        """The porteur named by the call (lead_id): a porteur, and none for an
        error or a prank call; who the caller is, for a new porteur."""
        no_porteur = call["qualification"] in NO_PORTEUR_QUALIFICATIONS
        lead = call["lead_id"]
        try:
            # read with the fields the call needs (one query): a porteur?
            unknown = lead and not lead.is_porteur
        except MissingError:
            unknown = True
        if unknown:
            errors.append(
                self.env._("There is no porteur de projet with the id %s.", lead.id)
            )
        if no_porteur and values.get("lead_id"):
            errors.append(
                self.env._(
                    "An error or prank call cannot be linked to a porteur de projet: "
                    "remove the porteur or qualify the call as useful."
                )
            )
        if not no_porteur and not (
            lead or call["phone"] or call["email"] or call["contact_name"]
        ):
            errors.append(
                self.env._(
                    "Give at least the caller's name, phone or email to record "
                    "the porteur de projet."
                )
            )
        call["lead"] = self.browse() if no_porteur else lead

    @api.model
    def _jecree_returning_caller(self, call):
        """The porteur who calls again (none for a new caller), or a UserError
        when several porteurs share the phone or email and the name."""
        callers = self._jecree_returning_callers(
            call["phone"], call["email"], call["contact_name"]
        )
        if len(callers) > 1:
            raise UserError(
                self.env._(
                    "Several porteurs de projet have this phone or email "
                    "(%(porteurs)s): give the lead_id of the caller's, or False "
                    "for a new porteur.",
                    porteurs=", ".join(
                        f"{lead.display_name} (id {lead.id})" for lead in callers
                    ),
                )
            )
        return callers

    @api.model
    def _jecree_call_lead_values(self, call):
        """What the call tells of the porteur: written on them (new or known)."""
        vals = {fname: call[fname] for fname in PROJECT_FIELDS if call[fname]}
        if "source_id" in vals:
            vals["source_id"] = call["source_id"].id
        if call["need_ids"]:
            vals["need_ids"] = [Command.link(need.id) for need in call["need_ids"]]
        if call["phone"]:
            vals["phone"] = self._jecree_format_phone(call["phone"], "INTERNATIONAL")
        if call["email"]:
            vals["email_from"] = email_normalize(call["email"])
        if call["contact_name"]:
            vals["contact_name"] = call["contact_name"]
        if call["consent"]:
            vals["consent"] = True
        commune = call["commune"]
        if commune:
            vals.update(
                commune_id=commune.id,
                zip=call["zip_code"] or commune.zipcode,
                city=commune.name,
                state_id=commune.state_id.id,
                country_id=commune.country_id.id,
            )
        return vals

    @api.model
    def _jecree_new_porteur_values(self, call):
        kind = dict(self._fields["project_kind"]._description_selection(self.env))
        label = call["contact_name"] or call["email"] or call["phone"]
        if call["project_kind"]:
            label = f"{label} – {kind[call['project_kind']]}"
        return {
            "name": label,
            "type": "opportunity",
            "is_porteur": True,
            "user_id": self.env.user.id,
            "team_id": self.env.company.jecree_team_id.id,
        }

    @api.model
    def _jecree_call_values(self, call, lead):
        """The crm.phonecall of the call, of `lead` (none for errors and pranks)."""
        phonecall_fields = self.env["crm.phonecall"]._fields
        nature = dict(phonecall_fields["nature"]._description_selection(self.env))
        qualification = dict(
            phonecall_fields["qualification"]._description_selection(self.env)
        )
        summary = nature.get(call["nature"]) or qualification[call["qualification"]]
        notes = call["notes"] and html2plaintext(call["notes"]).strip()
        return {
            "name": f"{summary} – {lead.contact_name or lead.name}"
            if lead
            else summary,
            "direction": call["direction"],
            "date": call["call_date"],
            "duration": call["duration"],
            "nature": call["nature"],
            "qualification": call["qualification"],
            "description": notes or False,
            "opportunity_id": lead.id,
            "partner_phone": lead.phone
            or (
                call["phone"]
                and self._jecree_format_phone(call["phone"], "INTERNATIONAL")
            ),
            "email_from": lead.email_from,
            "user_id": self.env.user.id,
            "team_id": lead.team_id.id or self.env.company.jecree_team_id.id,
            "state": "done",
        }

    @api.model
    def _jecree_after_log_call(self, lead, phonecall, call):
        """Hook of the follow-up addons, once the call is logged (the brochure…).

        :param lead: the porteur (none for an error or a prank call)
        :param phonecall: the crm.phonecall logged
        :param call: the checked values (see `_jecree_check_call_values`)
        """
        self.env["jecree.telephony.call"]._jecree_link_phonecall(
            call["telephony_call_id"], phonecall
        )
        self.env["jecree.missed.call"]._jecree_settle(phonecall)

    # ------------------------------------------------------------------ web
    @api.model
    def jecree_privacy_notice(self):
        """(version, text) of the privacy notice a caller agrees to on the web
        form: shown on the form, stored with the consent it was given with."""
        company = self.env.company.sudo()
        return PRIVACY_NOTICE_VERSION, self.env._(
            "%(company)s processes the information you give in this form to call "
            "you back and to follow your business project up; with your agreement "
            "it is shared with the support structure you are referred to, and with "
            "nobody else. It is kept %(months)s months after our last contact, then "
            "erased. You may access, correct or erase it, or object to its "
            "processing, by writing to %(contact)s, and lodge a complaint with the "
            "CNIL (www.cnil.fr).",
            company=company.name,
            months=self._jecree_retention_months(),
            contact=company.email or company.name,
        )

    @api.model
    def jecree_request_callback(self, values):
        """Ask to be called back, as the public web form does ("Être rappelé par
        un conseiller"): find the porteur by the returning-caller rule of
        `jecree_log_call` or create one (source "Formulaire web"), and put a
        "Call-back requested" activity in the call center's queue at the slot
        asked for, or the next opening hour.

        ``values``: ``contact_name``, ``phone`` (both required), ``email``,
        ``zip_code`` (required) and ``commune_id`` (required when the postal code
        has several communes), ``project_kind``, ``sector`` (required),
        ``notes``, ``slot`` (``"asap"`` or ``"2026-11-03:am"``/``":pm"``, see
        `jecree.callback.request._jecree_offered_slots`), ``consent`` (must be
        true) and ``consent_version`` (the version of the notice shown, see
        `jecree_privacy_notice`).

        It is not a call: no crm.phonecall is logged (the agent's call-back is
        one). A known porteur is not changed by what an anonymous form says: only
        what the porteur lacks is filled in, the rest is shown to the agent in
        the activity. Bad values raise a `CallbackRequestError` (a UserError)
        listing what is wrong, before anything is written. Called by the public
        form as superuser, after its own checks (CSRF, rate limit, honeypot); by
        the call center's agents otherwise.

        :return: ``{"lead_id", "request_id", "activity_id", "due_date",
            "returning"}``"""
        if not self.env.su:
            self._jecree_check_call_center_user()
        request, call = self._jecree_check_callback_request(values)
        Request = self.env["jecree.callback.request"]
        callers = self._jecree_returning_callers(
            call["phone"], call["email"], call["contact_name"]
        )
        call["lead"] = callers if len(callers) == 1 else self.browse()
        known = call["lead"]
        differences = self._jecree_request_differences(known, call)
        team = self.env.company.jecree_team_id
        lead = self._jecree_save_porteur(
            call, new_values={"user_id": False, "team_id": team.id}, only_empty=True
        )
        due = Request._jecree_due_date(request["day"], request["period"])
        version, notice = self.jecree_privacy_notice()
        activity = self._jecree_request_activity(lead, call, due, differences)
        record = Request.create(
            {
                "lead_id": lead.id,
                "company_id": self.env.company.id,
                "source_id": call["source_id"].id,
                "returning": bool(known),
                "preferred_day": request["day"],
                "preferred_period": request["period"],
                "due_date": due,
                "activity_id": activity.id,
                "sector": call["sector"],
                "project_kind": call["project_kind"],
                "commune_id": call["commune"].id,
                "consent_version": version,
                "consent_text": notice,
            }
        )
        lead.message_post(
            body=Markup("<p>%s</p><blockquote>%s</blockquote>")
            % (
                self.env._(
                    "Call-back requested on the web form. Consent given to the "
                    "privacy notice (version %(version)s) on %(date)s UTC:",
                    version=version,
                    date=fields.Datetime.to_string(record.create_date),
                ),
                notice,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return {
            "lead_id": lead.id,
            "request_id": record.id,
            "activity_id": activity.id,
            "due_date": due,
            "returning": bool(known),
        }

    def _jecree_answer_callback_requests(self, phonecall):
        """A call logged with the porteur answers their web call-back requests:
        the open "Call-back requested" activities are marked done, with the call.
        (A new porteur has none: not looked up.)"""
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", self.ids),
                (
                    "activity_type_id",
                    "=",
                    cached_ref(
                        self.env, "jecree_project.mail_activity_type_callback_request"
                    ).id,
                ),
            ]
        )
        if activities:
            activities.action_feedback(
                feedback=self.env._("Answered by the call %s.", phonecall.name)
            )

    @api.model
    def _jecree_check_callback_request(self, values):
        """The values of a web call-back request, checked: ({"day", "period"},
        call) where call is `_jecree_check_call_values`'s; or a
        `CallbackRequestError` naming each wrong field."""
        if not isinstance(values, dict):
            raise UserError(self.env._("The values of a request are a dictionary."))
        unknown = sorted(str(key) for key in set(values) - set(CALLBACK_REQUEST_KEYS))
        if unknown:
            raise UserError(
                self.env._("Unknown values for a request: %s.", ", ".join(unknown))
            )
        errors = {}
        for fname, limit in CALLBACK_REQUEST_MAX_LENGTHS.items():
            value = values.get(fname)
            if value and not isinstance(value, str):
                errors[fname] = self.env._("This field must be text.")
            elif value and len(value) > limit:
                errors[fname] = self.env._(
                    "At most %(limit)s characters (%(count)s typed).",
                    limit=limit,
                    count=len(value),
                )
        values = self._jecree_clean_text_values(
            {key: value for key, value in values.items() if key not in errors}
        )
        self._jecree_check_request_caller(values, errors)
        kinds = dict(self._fields["project_kind"]._description_selection(self.env))
        if values.get("project_kind") not in kinds:
            errors["project_kind"] = self.env._("Choose the kind of project.")
        sectors = dict(self._fields["sector"]._description_selection(self.env))
        if values.get("sector") not in sectors:
            errors["sector"] = self.env._(
                'Choose the sector of your project ("To be specified" if you do '
                "not know yet)."
            )
        slot = self.env["jecree.callback.request"]._jecree_parse_slot(
            values.get("slot")
        )
        if slot is None:
            errors["slot"] = self.env._("Choose when we may call you back.")
        if values.get("consent") is not True:
            errors["consent"] = self.env._(
                "Tick the box to agree to the privacy notice: we cannot call you "
                "back without it."
            )
        elif values.get("consent_version") != PRIVACY_NOTICE_VERSION:
            errors["consent"] = self.env._(
                "The privacy notice changed since the page was opened: read it "
                "again and tick the box."
            )
        if errors:
            raise CallbackRequestError(errors)
        call_values = {
            key: values.get(key) or False for key in CALLBACK_REQUEST_CALLER_KEYS
        }
        call_values.update(
            consent=True,
            lead_id=False,  # the caller is looked up by `jecree_request_callback`
            source_id=cached_ref(self.env, "jecree_project.utm_source_web_form").id,
        )
        try:
            call = self._jecree_check_call_values(call_values)
        except UserError as error:
            raise CallbackRequestError({"__all__": error.args[0]}) from error
        return {"day": slot[0], "period": slot[1]}, call

    @api.model
    def _jecree_check_request_caller(self, values, errors):
        """Name, phone (required), email and commune of a web request; what is
        wrong is added to `errors` {field: message}."""
        if "contact_name" not in errors and not values.get("contact_name"):
            errors["contact_name"] = self.env._("Give your name.")
        phone = values.get("phone")
        if "phone" not in errors:
            if not phone:
                errors["phone"] = self.env._(
                    "Give the phone number we may call you on."
                )
            elif not self._jecree_format_phone(phone):
                errors["phone"] = self._jecree_invalid_phone_message(phone)
        email = values.get("email")
        if email and "email" not in errors and not email_normalize(email):
            errors["email"] = self.env._("The email address %s is not valid.", email)
        if "zip_code" in errors:
            return
        zip_code = values.get("zip_code")
        communes = self.env["res.city"]._jecree_search_zip(zip_code)
        commune_id = values.get("commune_id")
        if not zip_code:
            errors["zip_code"] = self.env._("Give your postal code.")
        elif not communes:
            errors["zip_code"] = self.env._(
                "The postal code %s is unknown: check it.", zip_code
            )
        elif commune_id and (
            type(commune_id) is not int or commune_id not in communes.ids
        ):
            errors["commune_id"] = self.env._(
                "Choose your commune among those of the postal code %s.", zip_code
            )
        elif not commune_id and len(communes) > 1:
            errors["commune_id"] = self.env._(
                "Several communes have the postal code %s: choose yours.", zip_code
            )

    @api.model
    def _jecree_request_differences(self, lead, call):
        """What a web request says of a known porteur that differs from what was
        recorded (not written: shown to the agent who calls back)."""
        if not lead:
            return []
        labels = {
            "contact_name": self.env._("Name"),
            "email_from": self.env._("Email"),
            "commune_id": self.env._("Commune"),
            "project_kind": self.env._("Project kind"),
            "sector": self.env._("Sector"),
        }
        typed = self._jecree_call_lead_values(call)
        differences = []
        for fname, label in labels.items():
            value, recorded = typed.get(fname), lead[fname]
            if fname == "commune_id":
                value, recorded = call["commune"].display_name, recorded.display_name
            elif lead._fields[fname].type == "selection":
                selection = dict(lead._fields[fname]._description_selection(self.env))
                value, recorded = selection.get(value), selection.get(recorded)
            if value and recorded and value != recorded:
                differences.append(
                    self.env._(
                        "%(field)s typed: %(typed)s (recorded: %(recorded)s)",
                        field=label,
                        typed=value,
                        recorded=recorded,
                    )
                )
        return differences

    @api.model
    def _jecree_request_activity(self, lead, call, due, differences):
        """The "Call-back requested" activity of a web request, in the queue."""
        Request = self.env["jecree.callback.request"]
        activity_type = cached_ref(
            self.env, "jecree_project.mail_activity_type_callback_request"
        )
        due_label = Request._jecree_due_label(due)
        lines = [
            self.env._("Call back from %s.", due_label),
            self.env._("Phone: %s", lead.phone or call["phone"]),
        ]
        lines += differences
        note = Markup("<p>%s</p>") % Markup("<br/>").join(lines)
        if call["notes"]:
            note += plaintext2html(call["notes"])
        day = Request._jecree_calendar()._jecree_local_date(due)
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._(
                        "%(type)s – %(due)s",
                        type=activity_type.name,
                        due=due_label,
                    ),
                    "note": note,
                    "user_id": self._jecree_request_assignee(day).id,
                    "date_deadline": day,
                    "automated": True,
                }
            )
        )

    @api.model
    def _jecree_request_assignee(self, day):
        """Who calls back a web request due on `day`: the call center team's
        leader, else its first member (jecree_followup shares them out among
        the members who are not away)."""
        team = self.env.company.jecree_team_id
        return team.user_id or team.member_ids.filtered("active")[:1]
