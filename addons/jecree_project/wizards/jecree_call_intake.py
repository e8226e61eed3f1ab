# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..models.crm_lead import MATURITIES, PROJECT_FIELDS, PROJECT_KINDS, SECTORS
from ..models.crm_phonecall import (
    NATURES,
    NO_PORTEUR_QUALIFICATIONS,
    QUALIFICATIONS,
    USEFUL_QUALIFICATION,
)
from ..tools import cached_ref


class JecreeCallIntake(models.TransientModel):
    """The "Nouvel appel" screen: an agent on the phone finds or creates the
    porteur de projet and logs the call in one save. The screen collects the
    input; ``crm.lead.jecree_log_call`` checks it and logs the call."""

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
    commune_choice_ids = fields.Many2many(
        "res.city",
        compute="_compute_commune_choice_ids",
        string="Communes of the postal code",
    )
    commune_choice_count = fields.Integer(compute="_compute_commune_choice_ids")
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
    caller_summary = fields.Char(
        string="Returning caller",
        compute="_compute_caller_summary",
        help="What the call center already knows of this porteur: calls, "
        "referrals, next call-back.",
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
    opened_at = fields.Datetime(
        string="Screen opened at",
        default=fields.Datetime.now,
        help="When the agent opened the screen: left at 00:00, the call's duration "
        "is the time from then to the save.",
    )
    duration = fields.Float(
        help="Duration in minutes; left at 00:00, the time the screen was open."
    )
    qualification = fields.Selection(
        QUALIFICATIONS, default=USEFUL_QUALIFICATION, required=True
    )
    no_porteur = fields.Boolean(
        string="Error or prank",
        compute="_compute_no_porteur",
        help="An error or prank call: no porteur, no project.",
    )
    nature = fields.Selection(
        NATURES,
        compute="_compute_nature",
        store=True,
        readonly=False,
        help="Only a useful call has a nature.",
    )
    notes = fields.Text()
    telephony_call_id = fields.Many2one(
        "jecree.telephony.call",
        string="Phone system call",
        readonly=True,
        help="The call the phone system saw: its real start and duration are logged.",
    )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        Lead = self.env["crm.lead"]
        vals_list = [Lead._jecree_clean_text_values(vals) for vals in vals_list]
        for vals in vals_list:
            # the commune of the postal code in the INSERT, not in an UPDATE after it
            if vals.get("zip_code") and "commune_id" not in vals:
                communes = self._communes_of_zip(vals["zip_code"])
                vals["commune_id"] = communes.id if len(communes) == 1 else False
        return super().create(vals_list)

    def write(self, vals):
        return super().write(self.env["crm.lead"]._jecree_clean_text_values(vals))

    # ------------------------------------------------------------------ computes
    @api.depends("zip_code")
    def _compute_commune_id(self):
        for intake in self:
            communes = intake._communes_of_zip()
            if intake.commune_id not in communes:
                intake.commune_id = communes if len(communes) == 1 else False

    @api.depends("zip_code")
    def _compute_commune_choice_ids(self):
        for intake in self:
            communes = intake._communes_of_zip()
            intake.commune_choice_ids = communes
            intake.commune_choice_count = len(communes)

    @api.depends("lead_id")
    def _compute_caller_summary(self):
        for intake in self:
            lead = intake.lead_id
            intake.caller_summary = (
                " · ".join(lead._jecree_caller_summary()) if lead else False
            )

    @api.depends("phone", "email", "contact_name")
    def _compute_match_ids(self):
        for intake in self:
            intake.match_ids = intake._find_matches()

    @api.depends("phone", "email")
    def _compute_lead_id(self):
        for intake in self:
            if intake.lead_id or intake.no_porteur:
                continue
            callers = self.env["crm.lead"]._jecree_returning_callers(
                intake.phone, intake.email, intake.contact_name
            )
            intake.lead_id = callers if len(callers) == 1 else False

    @api.depends("qualification")
    def _compute_no_porteur(self):
        for intake in self:
            intake.no_porteur = intake.qualification in NO_PORTEUR_QUALIFICATIONS

    @api.depends("qualification")
    def _compute_nature(self):
        """A call that is not useful has no nature; a useful one is an
        information request unless the agent says otherwise."""
        for intake in self:
            if intake.qualification != USEFUL_QUALIFICATION:
                intake.nature = False
            elif not intake.nature:
                intake.nature = "information"

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
        Lead = self.env["crm.lead"]
        if self.phone and not Lead._jecree_format_phone(self.phone):
            return {
                "warning": {
                    "title": self.env._("Invalid phone number"),
                    "message": Lead._jecree_invalid_phone_message(self.phone),
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
        return self.env["res.city"]._jecree_search_zip(zip_code)

    def _find_matches(self):
        """Porteurs matching the phone, the email or the name: shown to the agent."""
        self.ensure_one()
        return self.env["crm.lead"]._jecree_find_callers(
            self.phone, self.email, self.contact_name
        )

    def _log_call_values(self):
        """The values of `crm.lead.jecree_log_call`: what the agent typed, and the
        porteur they chose (False: a new porteur). Every key the method takes has
        a field of the same name on the screen."""
        self.ensure_one()
        values = {}
        for fname in self.env["crm.lead"]._jecree_log_call_fields():
            field = self._fields.get(fname)
            if field is None:
                continue
            value = self[fname]
            if fname == "duration":
                value = self._call_duration()
            elif field.type == "many2one":
                value = value.id
            elif field.type == "many2many":
                value = value.ids
            values[fname] = value
        return values

    def _call_duration(self, now=None):
        """The duration the agent typed, else the minutes since the screen
        opened (the call's timer)."""
        self.ensure_one()
        if self.duration or not self.opened_at:
            return self.duration
        now = now or fields.Datetime.now()
        return round(max((now - self.opened_at).total_seconds(), 0) / 60, 2)

    # ------------------------------------------------------------------ actions
    def action_save(self):
        """Create or update the porteur and log the call, all or nothing."""
        self.ensure_one()
        result = self.env["crm.lead"].jecree_log_call(self._log_call_values())
        if not result["lead_id"]:
            call = self.env["crm.phonecall"].browse(result["call_id"])
            return self._action_next_call(
                self.env._("Call logged as %s.", call.name.lower())
            )
        # the porteur's own form, on a fresh breadcrumb: call after call, the
        # agent's breadcrumbs do not pile up
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": result["lead_id"],
            "view_mode": "form",
            "views": [
                (
                    cached_ref(
                        self.env, "jecree_project.crm_lead_view_form_porteur"
                    ).id,
                    "form",
                )
            ],
            "target": "main",
        }

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
