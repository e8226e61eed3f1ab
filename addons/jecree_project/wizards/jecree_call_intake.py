# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import email_normalize, html2plaintext

from ..models.crm_lead import MATURITIES, PROJECT_KINDS, SECTORS
from ..models.crm_phonecall import NATURES, NO_PORTEUR_QUALIFICATIONS, QUALIFICATIONS
from ..tools import cached_ref

# fields copied as they are between the intake and the porteur (crm.lead)
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
MATCH_LIMIT = 8


class JecreeCallIntake(models.TransientModel):
    """The "Nouvel appel" screen: an agent on the phone finds or creates the
    porteur de projet and logs the call in one save."""

    _name = "jecree.call.intake"
    _description = "New call"

    # --- the caller
    phone = fields.Char()
    email = fields.Char()
    contact_name = fields.Char(string="Name")
    zip_code = fields.Char(string="Postal code")
    commune_id = fields.Many2one(
        "res.city",
        compute="_compute_commune_id",
        store=True,
        readonly=False,
    )
    match_ids = fields.Many2many(
        "crm.lead", compute="_compute_match_ids", string="Known callers"
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Porteur de projet",
        domain=[("is_porteur", "=", True)],
        compute="_compute_lead_id",
        store=True,
        readonly=False,
        help="The known porteur this call is about; left empty, a new porteur "
        "is created.",
    )
    # --- the project
    project_kind = fields.Selection(PROJECT_KINDS, string="Project kind")
    sector = fields.Selection(SECTORS)
    maturity = fields.Selection(MATURITIES)
    need_ids = fields.Many2many("jecree.need", string="Needs")
    planned_start_date = fields.Date(string="Planned start date")
    jobs_planned = fields.Integer(string="Jobs planned")
    company_currency = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    funding_need = fields.Monetary(
        string="Funding need", currency_field="company_currency"
    )
    naf_code = fields.Char(string="NAF code", size=6)
    source_id = fields.Many2one("utm.source", string="Heard of us through")
    consent = fields.Boolean(string="Consent to data processing")
    # --- the call
    direction = fields.Selection(
        [("in", "Incoming"), ("out", "Outgoing")], default="in", required=True
    )
    call_date = fields.Datetime(
        string="Call date", default=fields.Datetime.now, required=True
    )
    duration = fields.Float(help="Duration in minutes.")
    nature = fields.Selection(NATURES, default="information")
    qualification = fields.Selection(QUALIFICATIONS, default="utile", required=True)
    notes = fields.Text()

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._clean_values(vals) for vals in vals_list]
        for vals in vals_list:
            # the commune of the postal code in the INSERT, not in an UPDATE after it
            if vals.get("zip_code") and "commune_id" not in vals:
                communes = self._communes_of_zip(vals["zip_code"])
                vals["commune_id"] = communes.id if len(communes) == 1 else False
        return super().create(vals_list)

    def write(self, vals):
        return super().write(self._clean_values(vals))

    @api.model
    def _clean_values(self, vals):
        """Text from a browser or an RPC client: no NUL byte (PostgreSQL refuses
        them), postal codes without spaces."""
        vals = {
            key: value.replace("\x00", "") if isinstance(value, str) else value
            for key, value in vals.items()
        }
        for fname in ("phone", "email", "contact_name"):
            if isinstance(vals.get(fname), str):
                vals[fname] = vals[fname].strip() or False
        if isinstance(vals.get("zip_code"), str):
            vals["zip_code"] = "".join(vals["zip_code"].split()) or False
        return vals

    # ------------------------------------------------------------------ computes
    @api.depends("zip_code")
    def _compute_commune_id(self):
        for intake in self:
            communes = intake._communes_of_zip()
            if intake.commune_id not in communes:
                intake.commune_id = communes if len(communes) == 1 else False

    @api.depends("phone", "email", "contact_name")
    def _compute_match_ids(self):
        for intake in self:
            intake.match_ids = intake._find_matches()

    @api.depends("phone", "email")
    def _compute_lead_id(self):
        for intake in self:
            if intake.lead_id or intake.qualification in NO_PORTEUR_QUALIFICATIONS:
                continue
            exact = intake._find_matches(exact_only=True)
            intake.lead_id = exact if len(exact) == 1 else False

    # ------------------------------------------------------------------ onchanges
    @api.onchange("zip_code")
    def _onchange_zip_code(self):
        if self.zip_code and not self._communes_of_zip():
            return {
                "warning": {
                    "title": self.env._("Unknown postal code"),
                    "message": self.env._(
                        "No commune of the territory has the postal code %s.",
                        self.zip_code,
                    ),
                }
            }

    @api.onchange("phone")
    def _onchange_phone(self):
        if self.phone and not self._format_phone(self.phone, raise_exception=False):
            return {
                "warning": {
                    "title": self.env._("Invalid phone number"),
                    "message": self._invalid_phone_message(),
                }
            }

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        """A returning caller: show what we know, the agent updates it."""
        lead = self.lead_id
        if not lead:
            return
        for fname in PROJECT_FIELDS:
            if not self[fname] and lead[fname]:
                self[fname] = lead[fname]
        self.need_ids |= lead.need_ids
        self.contact_name = self.contact_name or lead.contact_name
        self.email = self.email or lead.email_from
        self.phone = self.phone or lead.phone
        self.consent = self.consent or lead.consent
        if not self.zip_code and lead.commune_id:
            self.zip_code = lead.zip or lead.commune_id.zipcode
            self.commune_id = lead.commune_id

    # ------------------------------------------------------------------ helpers
    def _communes_of_zip(self, zip_code=None):
        """The communes of `zip_code` (by default, the intake's postal code)."""
        if zip_code is None:
            self.ensure_one()
            zip_code = self.zip_code
        if not zip_code:
            return self.env["res.city"]
        return self.env["res.city"].search(
            [("zip_ids.name", "=", "".join(zip_code.split()))]
        )

    def _invalid_phone_message(self):
        return self.env._(
            "The phone number %s is not valid. Type a French number, for example "
            "03 20 12 34 56, 06 12 34 56 78 or +33 3 20 12 34 56.",
            self.phone,
        )

    def _format_phone(self, number, force_format="E164", raise_exception=True):
        """Normalise a phone number typed in any French format."""
        lead_model = self.env["crm.lead"]
        formatted = lead_model._phone_format(
            number=number,
            country=cached_ref(self.env, "base.fr"),
            force_format=force_format,
        )
        if not formatted and raise_exception:
            raise UserError(self._invalid_phone_message())
        return formatted

    def _find_matches(self, exact_only=False):
        """Porteurs matching the phone (normalised), the email or the name."""
        self.ensure_one()
        domains = []
        phone = self.phone and self._format_phone(self.phone, raise_exception=False)
        if phone:
            domains.append([("phone_sanitized", "=", phone)])
        email = self.email and email_normalize(self.email)
        if email:
            domains.append([("email_normalized", "=", email)])
        name = (self.contact_name or "").strip()
        if not exact_only and len(name) >= 3:
            domains.append([("contact_name", "ilike", name)])
        if not domains:
            return self.env["crm.lead"]
        domain = Domain.OR(domains) & Domain("is_porteur", "=", True)
        return self.env["crm.lead"].search(domain, limit=MATCH_LIMIT)

    def _check_input(self):
        """Refuse what cannot be saved, with a message the agent understands."""
        self.ensure_one()
        errors = []
        if self.phone and not self._format_phone(self.phone, raise_exception=False):
            errors.append(self._invalid_phone_message())
        if self.email and not email_normalize(self.email):
            errors.append(self.env._("The email address %s is not valid.", self.email))
        if self.zip_code:
            communes = self._communes_of_zip()
            if not communes:
                errors.append(
                    self.env._(
                        "The postal code %s is unknown: check it or leave it empty.",
                        self.zip_code,
                    )
                )
            elif self.commune_id and self.commune_id not in communes:
                errors.append(
                    self.env._(
                        "The commune %(commune)s does not have the postal code "
                        "%(zip)s.",
                        commune=self.commune_id.name,
                        zip=self.zip_code,
                    )
                )
        if self.funding_need < 0:
            errors.append(self.env._("The funding need cannot be negative."))
        if self.jobs_planned < 0:
            errors.append(self.env._("The number of jobs planned cannot be negative."))
        if self.duration < 0:
            errors.append(self.env._("The duration of a call cannot be negative."))
        no_porteur = self.qualification in NO_PORTEUR_QUALIFICATIONS
        if no_porteur and self.lead_id:
            errors.append(
                self.env._(
                    "An error or prank call cannot be linked to a porteur de projet: "
                    "remove the porteur or qualify the call as useful."
                )
            )
        if not no_porteur and not (
            self.lead_id or self.phone or self.email or self.contact_name
        ):
            errors.append(
                self.env._(
                    "Give at least the caller's name, phone or email to record "
                    "the porteur de projet."
                )
            )
        if errors:
            raise UserError("\n".join(errors))

    def _lead_values(self):
        self.ensure_one()
        vals = {fname: self[fname] for fname in PROJECT_FIELDS if self[fname]}
        if "source_id" in vals:
            vals["source_id"] = self.source_id.id
        if self.need_ids:
            vals["need_ids"] = [fields.Command.link(need.id) for need in self.need_ids]
        if self.phone:
            vals["phone"] = self._format_phone(self.phone, "INTERNATIONAL")
        if self.email:
            vals["email_from"] = email_normalize(self.email)
        if self.contact_name:
            vals["contact_name"] = self.contact_name.strip()
        if self.consent:
            vals["consent"] = True
        if self.commune_id:
            vals.update(
                commune_id=self.commune_id.id,
                zip=self.zip_code or self.commune_id.zipcode,
                city=self.commune_id.name,
                state_id=self.commune_id.state_id.id,
                country_id=self.commune_id.country_id.id,
            )
        return vals

    def _new_lead_values(self):
        kind = dict(self._fields["project_kind"]._description_selection(self.env))
        label = self.contact_name or self.email or self.phone
        if self.project_kind:
            label = f"{label} – {kind[self.project_kind]}"
        team = self.env.company.jecree_team_id
        return {
            "name": label,
            "type": "opportunity",
            "is_porteur": True,
            "user_id": self.env.user.id,
            "team_id": team.id,
        }

    def _call_values(self, lead):
        self.ensure_one()
        nature = dict(self._fields["nature"]._description_selection(self.env))
        qualification = dict(
            self._fields["qualification"]._description_selection(self.env)
        )
        summary = (
            nature.get(self.nature) if self.qualification == "utile" else None
        ) or qualification[self.qualification]
        notes = self.notes and html2plaintext(self.notes).strip()
        return {
            "name": f"{summary} – {lead.contact_name or lead.name}"
            if lead
            else summary,
            "direction": self.direction,
            "date": self.call_date,
            "duration": self.duration,
            "nature": self.nature,
            "qualification": self.qualification,
            "description": notes or False,
            "opportunity_id": lead.id,
            "partner_phone": lead.phone
            or (self.phone and self._format_phone(self.phone, "INTERNATIONAL")),
            "email_from": lead.email_from,
            "user_id": self.env.user.id,
            "team_id": lead.team_id.id or self.env.company.jecree_team_id.id,
            "state": "done",
        }

    # ------------------------------------------------------------------ actions
    def action_save(self):
        """Create or update the porteur and log the call, all or nothing."""
        self.ensure_one()
        self._check_input()
        lead = self.env["crm.lead"]
        if self.qualification not in NO_PORTEUR_QUALIFICATIONS:
            vals = self._lead_values()
            if self.lead_id:
                lead = self.lead_id
                lead.write(vals)
            else:
                lead = lead.create(dict(self._new_lead_values(), **vals))
        call = self.env["crm.phonecall"].create(self._call_values(lead))
        self._after_save(lead, call)
        if not lead:
            return self._action_next_call(
                self.env._("Call logged as %s.", call.name.lower())
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _after_save(self, lead, call):
        """Hook for the follow-up addons (brochure, J+8 call-back…)."""

    def action_save_and_new(self):
        """Save and open a fresh intake for the next call."""
        self.action_save()
        return self._action_next_call(self.env._("Call saved."))

    def _action_next_call(self, message):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "jecree_project.jecree_call_intake_action"
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success",
                "sticky": False,
                "next": action,
            },
        }
