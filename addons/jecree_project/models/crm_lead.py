# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging
import math
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, email_normalize, html2plaintext

from ..tools import cached_ref
from ..tools.locking import select_skip_locked
from .crm_phonecall import NO_PORTEUR_QUALIFICATIONS, USEFUL_QUALIFICATION

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

PROJECT_KINDS = [("creation", "Création"), ("reprise", "Reprise")]
SECTORS = [
    ("commerce", "Commerce"),
    ("services", "Services"),
    ("artisanat", "Artisanat"),
    ("industrie", "Industrie"),
    ("a_preciser", "À préciser"),
]
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
)
# values typed by a person: stripped, empty means not given
CALL_TEXT_FIELDS = ("phone", "email", "contact_name", "zip_code", "naf_code", "notes")
CALLER_MATCH_LIMIT = 8


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
            batch = Lead.search(domain, limit=ANONYMIZE_BATCH, order="id")
            if not batch:
                break
            rows = select_skip_locked(
                self.env.cr,
                SQL(
                    "SELECT id FROM crm_lead WHERE id IN %s "
                    "AND anonymized_date IS NULL FOR UPDATE SKIP LOCKED",
                    tuple(batch.ids),
                ),
            )
            locked = Lead.browse(row[0] for row in rows)
            if not locked:  # another worker holds this batch
                break
            locked._jecree_anonymize()
            if not cron._commit_progress(len(locked)):
                break

    # ------------------------------------------------------------------ calls
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
            lead_values = self._jecree_call_lead_values(call)
            if lead:
                lead.write(lead_values)
            else:
                lead = self.create(
                    dict(self._jecree_new_porteur_values(call), **lead_values)
                )
        phonecall = self.env["crm.phonecall"].create(
            self._jecree_call_values(call, lead)
        )
        self._jecree_after_log_call(lead, phonecall, call)
        return {
            "lead_id": lead.id or False,
            "call_id": phonecall.id,
            "returning": call["returning"],
        }

    @api.model
    def _jecree_log_call_fields(self):
        """The keys `jecree_log_call` accepts (extended by the follow-up addons)."""
        return (*PROJECT_FIELDS, *CALL_FIELDS)

    @api.model
    def _jecree_check_call_center_user(self):
        if not self.env.su and not self.env.user.has_group(
            "jecree_project.group_jecree_agent"
        ):
            raise AccessError(
                self.env._("Only the call center's agents and managers can log a call.")
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
        not a valid number."""
        return self._phone_format(
            number=number,
            country=cached_ref(self.env, "base.fr"),
            force_format=force_format,
        )

    @api.model
    def _jecree_invalid_phone_message(self, number):
        return self.env._(
            "The phone number %s is not valid. Type a French number, for example "
            "03 20 12 34 56, 06 12 34 56 78 or +33 3 20 12 34 56.",
            number,
        )

    @api.model
    def _jecree_find_callers(self, phone=False, email=False, name=False, exact=False):
        """Porteurs matching the phone (in any French format), the email
        (normalised) or, unless `exact`, a part of the name."""
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
            for fname in ("source_id", "need_ids")
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
