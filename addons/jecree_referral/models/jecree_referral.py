# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import bisect
import logging
import re
from datetime import datetime, time, timedelta

from pytz import utc

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, html2plaintext
from odoo.tools.misc import format_datetime

from odoo.addons.jecree_project.tools.locking import try_lock_batch

_logger = logging.getLogger(__name__)

#: how an appointment's date and time are written (screens, mails, portal)
APPOINTMENT_FORMAT = "EEEE d MMMM y HH:mm"
#: how the portal writes a date and a time (French, without seconds), and how an
#: adviser types them: jj/mm/aaaa (or aaaa-mm-jj, a browser's date) and 10:30 or 10h30
PORTAL_DATE_FORMAT = "dd/MM/y"
PORTAL_TIME_FORMAT = "HH:mm"
PORTAL_DATETIME_FORMAT = "d MMMM y HH:mm"
TYPED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{2})-(\d{2})")
TYPED_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})?")

STATES = [
    ("proposee", "Proposed"),
    ("acceptee", "Accepted"),
    ("refusee", "Declined"),
    ("rdv_fixe", "Appointment set"),
    ("honore", "Appointment kept"),
    ("non_honore", "Appointment not kept"),
    ("accompagnement", "Support started"),
    ("clos", "Closed"),
]
#: a referral waiting for its appointment: not answered by the structure yet, or
#: accepted without a date (the managers' dashboard counts them)
WAITING_STATES = ("proposee", "acceptee")
#: allowed moves: target state -> states it can be reached from
TRANSITIONS = {
    "acceptee": ("proposee",),
    "refusee": ("proposee", "acceptee"),
    "rdv_fixe": ("proposee", "acceptee", "rdv_fixe", "non_honore"),
    "honore": ("rdv_fixe",),
    "non_honore": ("rdv_fixe",),
    "accompagnement": ("honore",),
    "clos": ("refusee", "honore", "non_honore", "accompagnement"),
}
#: the date field set when a referral reaches a state
STATE_DATES = {
    "acceptee": "date_accepted",
    "refusee": "date_refused",
    "rdv_fixe": "date_appointment_set",
    "honore": "date_kept",
    "non_honore": "date_not_kept",
    "accompagnement": "date_support",
    "clos": "date_closed",
}
#: the porteur's data copied on a referral (and the adviser's free text about them):
#: the export shows them, the erasure empties them
REFERRAL_PERSONAL_FIELDS = (
    "porteur_name",
    "porteur_phone",
    "porteur_email",
    "project_summary",
    "refusal_reason",
)
#: the reminder ladder of a referral nobody answers (step reached, its date field)
LADDER_STEPS = [("reminded", "Reminded"), ("escalated", "Escalated")]
LADDER_DATES = {"reminded": "date_reminded", "escalated": "date_escalated"}
#: referrals of a ladder cron batch (one transaction each)
LADDER_BATCH = 500
#: referrals of a satisfaction survey cron batch
SURVEY_BATCH = 100
#: a porteur is asked about an appointment kept this recently at most
SURVEY_WINDOW = timedelta(days=30)
#: a structure answers in time when it accepts within this many opening days
ACCEPT_TARGET_DAYS = 3
#: what an adviser may change from the portal (or their RPC client)
PORTAL_WRITABLE = {
    "state",
    "refusal_reason",
    "appointment_start",
    "appointment_stop",
    *STATE_DATES.values(),
}


class JecreeReferral(models.Model):
    """A porteur sent to an antenna of a support structure, and its life
    (proposée → acceptée / refusée → rendez-vous fixé → honoré / non honoré →
    accompagnement engagé → clos). No Odoo model follows this hand-over."""

    _name = "jecree.referral"
    _description = "Referral to a support structure"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_proposed desc, id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Porteur",
        required=True,
        index=True,
        ondelete="cascade",
        groups="jecree_project.group_jecree_agent",
        domain=[("is_porteur", "=", True)],
    )
    porteur_partner_id = fields.Many2one(
        "res.partner",
        string="Porteur contact",
        groups="jecree_project.group_jecree_agent",
    )
    # what the structure may know of the porteur (copied at creation)
    porteur_name = fields.Char(string="Porteur name", readonly=True)
    porteur_phone = fields.Char(string="Porteur phone", readonly=True)
    porteur_email = fields.Char(string="Porteur email", readonly=True)
    commune_id = fields.Many2one("res.city", readonly=True)
    project_summary = fields.Text(readonly=True)
    structure_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        domain=[("jecree_structure_type_id", "!=", False)],
        tracking=True,
    )
    antenna_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        domain="[('jecree_is_antenna', '=', True), "
        "('jecree_structure_id', '=', structure_id)]",
        tracking=True,
    )
    adviser_id = fields.Many2one(
        "res.partner",
        domain="[('jecree_is_adviser', '=', True), "
        "('jecree_structure_id', '=', structure_id)]",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Agent", default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        STATES, default="proposee", required=True, tracking=True, index=True
    )
    refusal_reason = fields.Text(string="Reason for declining", tracking=True)
    score = fields.Integer(readonly=True)
    why = fields.Text(string="Why this structure", readonly=True)
    appointment_requested = fields.Boolean(
        readonly=True,
        help="The structure keeps no calendar in Odoo: the appointment is a request "
        "that the structure confirms or moves in the portal.",
    )
    appointment_start = fields.Datetime(tracking=True)
    appointment_stop = fields.Datetime()
    appointment_started = fields.Boolean(
        compute="_compute_appointment_started",
        help="The appointment has started: whether it was kept can be recorded.",
    )
    appointment_label = fields.Char(
        string="Appointment (local time)",
        compute="_compute_appointment_label",
        help="The appointment's date and time in the structure's time zone, as the "
        "porteur and the structure read them in mails, the .ics and the portal.",
    )
    appointment_tz = fields.Char(
        string="Time zone of the appointment", compute="_compute_appointment_label"
    )
    event_id = fields.Many2one("calendar.event", string="Meeting", readonly=True)
    antenna_address = fields.Text(compute="_compute_antenna_address")
    structure_recipient_id = fields.Many2one(
        "res.partner",
        string="Structure recipient",
        compute="_compute_structure_recipient_id",
        help="Who receives the structure's emails: the adviser, else the antenna, "
        "else the structure.",
    )
    date_proposed_label = fields.Char(
        string="Proposed on (local date)",
        compute="_compute_date_proposed_label",
        help="The day of the proposal in the structure's time zone, as the "
        "reminder mails write it.",
    )
    portal_full_url = fields.Char(
        string="Portal link",
        compute="_compute_portal_full_url",
        help="The referral's page in the structure's portal, as the mails give it.",
    )
    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        string="Satisfaction survey",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups="jecree_project.group_jecree_agent",
        help="The survey sent to the porteur after the appointment was kept: one "
        "per referral, never sent twice.",
    )
    manager_recipient_id = fields.Many2one(
        "res.partner",
        string="Escalation recipient",
        compute="_compute_manager_recipient_id",
        help="Who is told when the referral is escalated: the structure's "
        "manager, else the structure.",
    )
    date_proposed = fields.Datetime(
        string="Proposed on", default=fields.Datetime.now, required=True, index=True
    )
    date_accepted = fields.Datetime(string="Accepted on", readonly=True)
    date_refused = fields.Datetime(string="Declined on", readonly=True)
    date_appointment_set = fields.Datetime(string="Appointment set on", readonly=True)
    date_kept = fields.Datetime(string="Kept on", readonly=True)
    date_not_kept = fields.Datetime(string="Not kept on", readonly=True)
    date_support = fields.Datetime(string="Support started on", readonly=True)
    date_closed = fields.Datetime(string="Closed on", readonly=True)
    ladder_step = fields.Selection(
        LADDER_STEPS,
        string="Reminder step",
        readonly=True,
        copy=False,
        help="How far the reminders of this referral went while nobody answered "
        "it: reminded (the structure got a reminder), escalated (the call center "
        "calls the porteur back and the structure's manager was told).",
    )
    date_reminded = fields.Datetime(string="Reminded on", readonly=True, copy=False)
    date_escalated = fields.Datetime(string="Escalated on", readonly=True, copy=False)
    accept_opening_hours = fields.Float(
        string="Opening hours to accept",
        compute="_compute_accept_delay",
        store=True,
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="The antenna's opening hours between the proposal and the acceptance "
        "(its opening hours, else its structure's; public holidays, company "
        "closures and the structure's own closures skipped).",
    )
    accept_opening_days = fields.Integer(
        string="Opening days to accept",
        compute="_compute_accept_delay",
        store=True,
        readonly=True,
        copy=False,
        help="The antenna's opening days after the day of the proposal and before "
        "the day of the acceptance.",
    )
    accepted_in_time = fields.Boolean(
        string="Accepted within 3 opening days",
        compute="_compute_accept_delay",
        store=True,
        readonly=True,
        copy=False,
        help="Accepted by the end of the third opening day of the antenna after "
        "the day of the proposal, as the reminders count them.",
    )

    _appointment_check = models.Constraint(
        "CHECK(appointment_stop IS NULL OR appointment_stop > appointment_start)",
        "The appointment must end after it starts.",
    )

    # the ladder cron reads the referrals still proposed and not escalated only
    _ladder_index = models.Index(
        "(date_proposed) WHERE state = 'proposee' "
        "AND ladder_step IS DISTINCT FROM 'escalated'"
    )

    # the survey cron reads the kept referrals not yet surveyed only
    _survey_index = models.Index(
        "(date_kept) WHERE date_kept IS NOT NULL AND survey_user_input_id IS NULL"
    )

    @api.depends("appointment_start")
    def _compute_appointment_started(self):
        now = fields.Datetime.now()
        for referral in self:
            referral.appointment_started = referral._has_started(now)

    @api.depends("date_proposed", "date_accepted", "antenna_id")
    def _compute_accept_delay(self):
        """Set whenever the referral is accepted, whichever way: `action_accept`
        (`_move_to("acceptee")`), an appointment booked straight from proposed
        (`_book_appointment`), or the portal; existing referrals are computed when
        the field is installed."""
        accepted = self.filtered(
            lambda r: r.date_accepted and r.date_proposed and r.antenna_id
        )
        (self - accepted).update(
            {
                "accept_opening_hours": 0.0,
                "accept_opening_days": 0,
                "accepted_in_time": False,
            }
        )
        delays = accepted._jecree_opening_time()
        for referral in accepted:
            hours, days = delays[referral.id]
            referral.accept_opening_hours = hours
            referral.accept_opening_days = days
            referral.accepted_in_time = days < ACCEPT_TARGET_DAYS

    @api.depends("antenna_id")
    def _compute_antenna_address(self):
        for referral in self:
            referral.antenna_address = referral.antenna_id.sudo()._display_address(
                without_company=True
            )

    @api.depends(
        "appointment_start",
        "antenna_id.jecree_calendar_id.tz",
        "structure_id.jecree_calendar_id.tz",
    )
    @api.depends_context("lang")
    def _compute_appointment_label(self):
        for referral in self:
            tz = referral._jecree_tz()
            referral.appointment_tz = tz.zone
            referral.appointment_label = referral._jecree_format_appointment(
                referral.appointment_start
            )

    @api.depends("adviser_id.email", "antenna_id.email", "structure_id.email")
    def _compute_structure_recipient_id(self):
        for referral in self:
            referral.structure_recipient_id = referral._structure_email_to()

    @api.depends("date_proposed", "antenna_id")
    @api.depends_context("lang")
    def _compute_date_proposed_label(self):
        # a cron's mails list thousands of referrals of a few days: each day is
        # formatted once
        labels = {}
        for referral in self:
            if not referral.date_proposed:
                referral.date_proposed_label = ""
                continue
            tz = referral._jecree_tz()
            day = utc.localize(referral.date_proposed).astimezone(tz).date()
            if (tz.zone, day) not in labels:
                labels[tz.zone, day] = referral._jecree_format_appointment(
                    referral.date_proposed, dt_format="d MMMM y"
                )
            referral.date_proposed_label = labels[tz.zone, day]

    def _compute_portal_full_url(self):
        for referral in self:
            referral.portal_full_url = referral.get_base_url() + referral.access_url

    @api.depends("structure_id.jecree_manager_id")
    def _compute_manager_recipient_id(self):
        for referral in self:
            structure = referral.sudo().structure_id
            referral.manager_recipient_id = structure.jecree_manager_id or structure

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for referral in self:
            referral.access_url = f"/my/referrals/{referral.id}"
        return res

    @api.constrains("antenna_id", "structure_id", "adviser_id")
    def _check_antenna_structure(self):
        for referral in self:
            if referral.antenna_id.jecree_structure_id != referral.structure_id:
                raise ValidationError(
                    self.env._(
                        "The antenna %(antenna)s is not an antenna of %(structure)s.",
                        antenna=referral.antenna_id.display_name,
                        structure=referral.structure_id.display_name,
                    )
                )
            if (
                referral.adviser_id
                and referral.adviser_id.jecree_structure_id != referral.structure_id
            ):
                raise ValidationError(
                    self.env._(
                        "The adviser %(adviser)s does not work for %(structure)s.",
                        adviser=referral.adviser_id.display_name,
                        structure=referral.structure_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        leads = self.env["crm.lead"].browse(
            [vals["lead_id"] for vals in vals_list if vals.get("lead_id")]
        )
        leads.fetch(["contact_name", "partner_name", "phone", "email_from"])
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "jecree.referral"
                ) or self.env._("New")
            if vals.get("lead_id"):
                vals.update(
                    self._porteur_values(self.env["crm.lead"].browse(vals["lead_id"]))
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self.env.user.share and not set(vals) <= PORTAL_WRITABLE:
            raise AccessError(
                self.env._("Support structures cannot change these referral fields.")
            )
        if vals.get("state") in ("honore", "non_honore") and not self.env.su:
            # an adviser's or agent's RPC client writing the state directly
            self._check_appointment_started()
        return super().write(vals)

    @api.model
    def _porteur_values(self, lead):
        """The porteur's data a structure needs, and no more."""
        summary = [
            dict(lead._fields["project_kind"]._description_selection(self.env)).get(
                lead.project_kind, ""
            ),
            dict(lead._fields["sector"]._description_selection(self.env)).get(
                lead.sector, ""
            ),
            ", ".join(lead.need_ids.mapped("name")),
            html2plaintext(lead.description or ""),
        ]
        return {
            "porteur_name": lead.contact_name or lead.partner_name or lead.name,
            "porteur_phone": lead.phone,
            "porteur_email": lead.email_from,
            "commune_id": lead.commune_id.id,
            "project_summary": "\n".join(part for part in summary if part),
        }

    def _jecree_tz(self):
        """The time zone of the appointment: the antenna's (its opening hours',
        else its structure's), else the company's. Every screen, mail, .ics and
        portal page writes the appointment's times in it."""
        self.ensure_one()
        antenna = self.sudo().antenna_id
        if antenna:
            return antenna._jecree_tz()
        return self.company_id._jecree_tz()

    def _jecree_format_appointment(self, start, dt_format=APPOINTMENT_FORMAT):
        """`start` (naive UTC) as the structure's local date and time."""
        self.ensure_one()
        if not start:
            return ""
        return format_datetime(
            self.env, start, tz=self._jecree_tz().zone, dt_format=dt_format
        )

    def _jecree_localize(self, local):
        """The naive UTC datetime of `local`, a naive date and time typed in the
        structure's time zone."""
        self.ensure_one()
        return self._jecree_tz().localize(local).astimezone(utc).replace(tzinfo=None)

    def _jecree_parse_appointment(self, day, hour):
        """(start, stop) in naive UTC of an appointment typed in the structure's
        time zone, as the portal shows it: `day` as jj/mm/aaaa (or aaaa-mm-jj),
        `hour` as hh:mm (or 10h30); it lasts the appointment's duration."""
        self.ensure_one()
        day_match = TYPED_DATE.fullmatch((day or "").strip())
        hour_match = TYPED_TIME.fullmatch((hour or "").strip())
        try:
            if not day_match or not hour_match:
                raise ValueError(day, hour)
            dd, mm, yyyy, iso_y, iso_m, iso_d = day_match.groups()
            local = datetime(
                int(yyyy or iso_y),
                int(mm or iso_m),
                int(dd or iso_d),
                int(hour_match[1]),
                int(hour_match[2] or 0),
            )
            start = self._jecree_localize(local)
            return start, start + self._get_appointment_duration()
        except (ValueError, OverflowError):
            # not a date, or off the calendar once in UTC (year 1; year 9999 west
            # of UTC)
            raise UserError(
                self.env._(
                    "Give the date and time of the appointment: the date as "
                    "dd/mm/yyyy, the time as hh:mm."
                )
            ) from None

    def _jecree_porteur_call_notes(self):
        """The notes of the porteur's calls to Je crée, newest first, for the
        referral's structure: [{"date": local date and time, "notes": text}].

        The calls are read as the system, once the referral is readable by the
        user (record rules: an adviser reads their own structure's referrals);
        a portal adviser who is not the referral's adviser (when it has one) and
        a declined referral get none."""
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        if user.share and (
            self.state == "refusee"
            or (self.adviser_id and self.adviser_id != user.partner_id)
        ):
            return []
        calls = (
            self.env["crm.phonecall"]
            .sudo()
            .search(
                [
                    ("opportunity_id", "=", self.sudo().lead_id.id),
                    ("description", "!=", False),
                ],
                order="date desc, id desc",
            )
        )
        return [
            {
                "date": self._jecree_format_appointment(
                    call.date, PORTAL_DATETIME_FORMAT
                ),
                "notes": call.description,
            }
            for call in calls
        ]

    # state machine
    def _check_move(self, state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for referral in self:
            if referral.state not in TRANSITIONS[state]:
                raise UserError(
                    self.env._(
                        "Referral %(name)s is %(current)s: "
                        "it cannot become %(target)s.",
                        name=referral.name,
                        current=labels[referral.state],
                        target=labels[state],
                    )
                )

    def _move_to(self, state, **values):
        self._check_move(state)
        self.write(
            {"state": state, STATE_DATES[state]: fields.Datetime.now(), **values}
        )
        return True

    def action_accept(self):
        return self._move_to("acceptee")

    def action_refuse(self, reason=None):
        # a NUL character cannot be stored: a browser or a script may send one
        reason = (reason or "").replace("\x00", "").strip() or (
            len(self) == 1 and (self.refusal_reason or "").strip()
        )
        if not reason:
            raise UserError(self.env._("Give the reason for declining the referral."))
        return self._move_to("refusee", refusal_reason=reason)

    def action_mark_kept(self):
        self._check_move("honore")
        self._check_appointment_started()
        return self._move_to("honore")

    def action_mark_not_kept(self):
        self._check_move("non_honore")
        self._check_appointment_started()
        return self._move_to("non_honore")

    def _has_started(self, now):
        """Whether the appointment has started at `now` (naive UTC)."""
        self.ensure_one()
        return bool(self.appointment_start and self.appointment_start <= now)

    def _check_appointment_started(self):
        """Whether an appointment was kept is known once it has started."""
        now = fields.Datetime.now()
        for referral in self:
            if not referral._has_started(now):
                raise UserError(
                    self.env._(
                        "The appointment of referral %(name)s has not started yet: "
                        "whether it was kept can be recorded once it has started.",
                        name=referral.name,
                    )
                )

    def action_start_support(self):
        return self._move_to("accompagnement")

    def action_close(self):
        return self._move_to("clos")

    def action_open_booking(self):
        """Reopen the referral wizard on the appointment step."""
        self.ensure_one()
        wizard = self.env["jecree.referral.wizard"].create(
            {
                "lead_id": self.lead_id.id,
                "state": "book",
                "referral_ids": [fields.Command.set(self.ids)],
                "referral_id": self.id,
            }
        )
        wizard._jecree_load_referral()
        return wizard._reopen()

    # appointments
    def _check_appointment(self, start, stop, adviser):
        """Refuse a bad appointment before anything is written: a meeting, the
        porteur's contact or a mail would otherwise be made for nothing."""
        self.ensure_one()
        if not start or not stop or stop <= start:
            raise UserError(self.env._("The appointment must end after it starts."))
        if start < fields.Datetime.now():
            raise UserError(self.env._("The appointment cannot be in the past."))
        self._check_move("rdv_fixe")
        # advisers and structures are read as the system: a portal adviser may not
        # read their colleagues' contacts
        structure = self.sudo().structure_id
        adviser = (adviser or self.env["res.partner"]).sudo()
        if adviser and (
            not adviser.jecree_is_adviser or adviser.jecree_structure_id != structure
        ):
            raise UserError(
                self.env._(
                    "The adviser %(adviser)s does not work for %(structure)s.",
                    adviser=adviser.display_name,
                    structure=structure.display_name,
                )
            )

    def _request_appointment(self, start, stop, adviser=None):
        """The structure keeps no calendar in Odoo: ask it for this time."""
        self.ensure_one()
        self._check_appointment(start, stop, adviser)
        values = {
            "appointment_requested": True,
            "appointment_start": start,
            "appointment_stop": stop,
        }
        if adviser:
            values["adviser_id"] = adviser.id
        self.write(values)
        self._notify_structure()
        self._jecree_log_appointment()
        return True

    def _jecree_appointment_summary(self):
        """The appointment as the agent tells the porteur: when (the structure's
        local time), where (the antenna and its address), and whether the
        structure still has to confirm it. Shown when it is booked and logged on
        the porteur."""
        self.ensure_one()
        referral = self.sudo()
        values = {
            "when": referral.appointment_label,
            "tz": referral.appointment_tz,
            "antenna": referral.antenna_id.display_name,
            "address": ", ".join(
                line.strip()
                for line in (referral.antenna_address or "").splitlines()
                if line.strip(" ,")
            )
            or self.env._("address not known"),
            "referral": referral.name,
        }
        if referral.appointment_requested:
            return self.env._(
                "Appointment requested for %(when)s (%(tz)s) with %(antenna)s, "
                "%(address)s: the structure confirms it (referral %(referral)s).",
                **values,
            )
        return self.env._(
            "Appointment set on %(when)s (%(tz)s) with %(antenna)s, %(address)s "
            "(referral %(referral)s).",
            **values,
        )

    def _jecree_log_appointment(self):
        """Log the appointment on the porteur's chatter, as the user who set it."""
        for referral in self:
            referral.sudo().lead_id.message_post(
                body=referral._jecree_appointment_summary(),
                author_id=self.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def _book_appointment(self, start, stop, adviser=None):
        """Create the meeting with the porteur and the adviser, move the referral to
        "appointment set" and send the porteur the confirmation with its .ics."""
        self.ensure_one()
        adviser = adviser or self.adviser_id
        self._check_appointment(start, stop, adviser)
        referral = self.sudo()
        lead = referral.lead_id
        porteur = referral.porteur_partner_id
        if not porteur and not lead.partner_id:
            lead._jecree_check_contact_names()
        if not porteur:
            lead._handle_partner_assignment(create_missing=True)
            porteur = lead.partner_id
            referral.porteur_partner_id = porteur
        antenna = referral.antenna_id
        event_vals = {
            "name": referral._meeting_name(),
            "start": start,
            "stop": stop,
            "location": antenna._display_address(without_company=True).replace(
                "\n", ", "
            ),
            "partner_ids": [fields.Command.set((porteur | adviser).ids)],
            "description": referral.project_summary,
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }
        adviser_user = adviser.user_ids[:1]
        if adviser_user and not adviser_user.share:
            event_vals["user_id"] = adviser_user.id
        # the meeting's activity is moved in a time zone: calendar reads it from the
        # context; the structure's, whatever the user's (a portal adviser has none)
        events = (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                no_mail_to_attendees=True,
                mail_create_nosubscribe=True,
                tz=self._jecree_tz().zone,
            )
        )
        event = events.browse(referral.event_id.id)
        if event:
            event.write({k: event_vals[k] for k in ("start", "stop", "partner_ids")})
        else:
            event = events.create(event_vals)
        # the meeting and the adviser are set by the system; the move itself is
        # done with the user's rights (record rules apply)
        referral.write(
            {"event_id": event.id, "adviser_id": adviser.id or referral.adviser_id.id}
        )
        if event.opportunity_id != lead:
            # the porteur's meetings (CRM's smart button) count it; written after
            # the create so that CRM does not log a second, less precise note
            event.opportunity_id = lead
        values = {"appointment_start": start, "appointment_stop": stop}
        if self.state == "proposee":
            values["date_accepted"] = fields.Datetime.now()
        self._move_to("rdv_fixe", **values)
        self._send_appointment_confirmation()
        self._jecree_log_appointment()
        return event

    def _meeting_name(self):
        self.ensure_one()
        return self.env._(
            "Appointment %(structure)s – %(porteur)s",
            structure=self.antenna_id.display_name,
            porteur=self.porteur_name,
        )

    # RGPD
    def _jecree_anonymize(self):
        """Empty the porteur's data copied on the referrals; the hand-over's
        figures (structure, antenna, adviser, states and their dates) stay."""
        for referral in self:
            referral.write(
                dict(
                    dict.fromkeys(REFERRAL_PERSONAL_FIELDS, False),
                    porteur_name=referral.lead_id.name,
                )
            )

    def _jecree_anonymize_meetings(self, events, porteurs):
        """The meetings stay in the advisers' calendars, without the porteur: no
        name (but the anonymised one), no project, no porteur attendee."""
        names = {referral.event_id: referral._meeting_name() for referral in self}
        for event in events:
            event.write(
                {
                    "name": names.get(event) or self.env._("Appointment"),
                    "description": False,
                    "partner_ids": [
                        fields.Command.unlink(partner.id)
                        for partner in porteurs.exists() & event.partner_ids
                    ],
                }
            )

    def _send_appointment_confirmation(self):
        self.ensure_one()
        referral = self.sudo()
        template = self.env.ref("jecree_referral.mail_template_referral_appointment")
        attachment_ids = []
        ics = referral.event_id._get_ics_file().get(referral.event_id.id)
        if ics:
            attachment_ids = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "rendez-vous.ics",
                        "datas": base64.b64encode(ics),
                        "mimetype": "text/calendar",
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                )
                .ids
            )
        template.sudo().send_mail(
            self.id,
            email_values={"attachment_ids": [fields.Command.set(attachment_ids)]},
        )

    def _notify_structure(self):
        """Mail the new referral (or appointment request) to the structure."""
        template = self.env.ref("jecree_referral.mail_template_referral_new")
        for referral in self:
            template.sudo().send_mail(referral.id)

    def _structure_email_to(self):
        """The adviser, else the antenna, else the structure."""
        self.ensure_one()
        for partner in (self.adviser_id, self.antenna_id, self.structure_id):
            if partner.email:
                return partner
        return self.env["res.partner"]

    def _month_start(self):
        """The first local midnight of this month (call center's time zone), as a
        naive UTC datetime."""
        company = self.env.company
        first = company._jecree_today().replace(day=1)
        return company._jecree_day_bounds(first, first)[0]

    def _get_appointment_duration(self):
        return timedelta(hours=1)

    # ranking
    @api.model
    def _rank_antennas(self, lead, limit=15):
        """The antennas that can take the porteur's project, best first.

        Returns a list of dicts (antenna, structure, level, score, why, load,
        capacity). The number of queries does not depend on the size of the
        directory: one indexed query on the materialised coverage, batched reads of
        the candidates, one grouped count of this month's referrals."""
        if not lead.commune_id:
            return []
        self.env["jecree.coverage"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT antenna_id, level FROM jecree_coverage WHERE city_id = %s",
                lead.commune_id.id,
            )
        )
        levels = dict(self.env.cr.fetchall())
        if not levels:
            return []
        partners = self.env["res.partner"].sudo()
        antennas = partners.browse(list(levels))
        antennas.fetch(
            [
                "name",
                "parent_id",
                "jecree_structure_id",
                "jecree_capacity",
                "active",
                "city",
            ]
        )
        structures = antennas.jecree_structure_id
        structures.fetch(
            [
                "name",
                "jecree_structure_type_id",
                "jecree_capacity",
                "jecree_service_ids",
                "jecree_sector_ids",
                "jecree_project_kind_ids",
            ]
        )
        structures.jecree_structure_type_id.fetch(["name", "priority_sector_ids"])
        loads = dict(
            self.sudo()._read_group(
                [
                    ("antenna_id", "in", antennas.ids),
                    ("date_proposed", ">=", self._month_start()),
                    ("state", "!=", "refusee"),
                ],
                ["antenna_id"],
                ["__count"],
            )
        )
        commune = lead.commune_id
        level_text = {
            "1": (40, self.env._("covers the commune of %(name)s", name=commune.name)),
            "2": (
                30,
                self.env._("covers its EPCI (%(name)s)", name=commune.epci_id.name),
            ),
            "3": (
                20,
                self.env._(
                    "covers its arrondissement (%(name)s)",
                    name=commune.arrondissement_id.name,
                ),
            ),
            "4": (
                10,
                self.env._(
                    "covers its department (%(name)s)", name=commune.department_id.name
                ),
            ),
        }
        needs = lead.need_ids
        suggestions = []
        for antenna in antennas:
            structure = antenna.jecree_structure_id
            sectors = structure.jecree_sector_ids
            if lead.sector and sectors and lead.sector not in sectors.mapped("code"):
                continue
            kinds = structure.jecree_project_kind_ids
            if (
                lead.project_kind
                and kinds
                and lead.project_kind not in kinds.mapped("code")
            ):
                continue
            level = levels[antenna.id]
            score, why_territory = level_text[level]
            why = [why_territory]
            stype = structure.jecree_structure_type_id
            if lead.sector and lead.sector in stype.priority_sector_ids.mapped("code"):
                score += 30
                why.append(
                    self.env._(
                        "first choice for %(sector)s (%(type)s)",
                        sector=dict(
                            lead._fields["sector"]._description_selection(self.env)
                        )[lead.sector],
                        type=stype.name,
                    )
                )
            if needs:
                matched = needs & structure.jecree_service_ids
                score += round(20 * len(matched) / len(needs))
                if matched:
                    why.append(
                        self.env._(
                            "gives %(services)s (%(count)s of %(total)s needs)",
                            services=", ".join(matched.mapped("name")),
                            count=len(matched),
                            total=len(needs),
                        )
                    )
                else:
                    why.append(self.env._("gives none of the needs"))
            load = loads.get(antenna, 0)
            capacity = antenna.jecree_capacity or structure.jecree_capacity
            if not capacity:
                score += 10
                why.append(self.env._("no monthly limit"))
            elif load >= capacity:
                score -= 50
                why.append(
                    self.env._(
                        "full this month (%(load)s of %(capacity)s referrals)",
                        load=load,
                        capacity=capacity,
                    )
                )
            else:
                score += round(10 * (capacity - load) / capacity)
                why.append(
                    self.env._(
                        "%(load)s of %(capacity)s referrals this month",
                        load=load,
                        capacity=capacity,
                    )
                )
            # a separator right in French and in English
            text = " · ".join(why)
            suggestions.append(
                {
                    "antenna": antenna,
                    "structure": structure,
                    "level": level,
                    "score": score,
                    "why": text[:1].upper() + text[1:],
                    "load": load,
                    "capacity": capacity,
                }
            )
        suggestions.sort(
            key=lambda s: (-s["score"], s["level"], s["load"], s["antenna"].name or "")
        )
        return suggestions[:limit]

    @api.model
    def _jecree_structures_with_closures(self, structures, start, end):
        """Ids of `structures` with closures of their own between `start` and
        `end`: they get a calendar computation of their own; the others share
        their calendar's (the company-wide closures only)."""
        groups = (
            self.env["resource.calendar.leaves"]
            .sudo()
            ._read_group(
                [
                    ("jecree_structure_id", "in", structures.ids),
                    ("date_to", ">=", start),
                    ("date_from", "<=", end),
                ],
                ["jecree_structure_id"],
            )
        )
        return {structure.id for (structure,) in groups}

    # reminders of the referrals nobody answers
    @api.model
    def _jecree_ladder_cutoffs(self, structures, now):
        """{structure id: {step: naive UTC datetime}}: a referral of the structure
        still proposed reaches the step when it was proposed before that instant.

        The steps are counted in the structure's opening days (its opening hours,
        else the company's working hours; public holidays, company closures and
        the structure's own closures skipped): N opening days (its type's
        reminder_days, M escalation_days) have passed, not counting the day of
        the proposal nor today, when the proposal's day comes before the N-th
        opening day before today. Structures that share opening hours and have no
        closure of their own share one calendar computation."""
        result = {}
        if not structures:
            return result
        structures = structures.sudo()
        structures.fetch(["jecree_structure_type_id", "jecree_calendar_id"])
        structures.jecree_structure_type_id.fetch(["reminder_days", "escalation_days"])
        longest = max(structures.jecree_structure_type_id.mapped("escalation_days"))
        # M opening days fit in M weeks even with a single opening day a week
        window = timedelta(weeks=longest + 1)
        own_closures = self._jecree_structures_with_closures(
            structures, now - window, now
        )
        opening_days = {}
        for structure in structures:
            stype = structure.jecree_structure_type_id
            if not stype:
                continue
            calendar = structure._jecree_calendar()
            if not calendar:
                continue
            key = (calendar.id, structure.id if structure.id in own_closures else 0)
            if key not in opening_days:
                opening_days[key] = self._jecree_opening_days_before(
                    calendar, structure, now, window
                )
            tz, days = opening_days[key]
            cutoffs = {}
            for step, count in (
                ("reminded", stype.reminder_days),
                ("escalated", stype.escalation_days),
            ):
                if 0 < count <= len(days):
                    local = tz.localize(datetime.combine(days[count - 1], time.min))
                    cutoffs[step] = local.astimezone(utc).replace(tzinfo=None)
            result[structure.id] = cutoffs
        return result

    def _jecree_opening_time(self):
        """{referral id: (opening hours, opening days)} between the proposal and
        the acceptance of the referrals `self`, on their antenna's opening hours
        (else its structure's, else the company's) with the closures the slot
        finder and the reminders honour (`res.partner._jecree_leave_domain`):
        the hours of the intervals that fall between the two instants, and the
        opening days strictly after the local day of the proposal and before the
        local day of the acceptance (the day of the proposal not counted, as the
        reminders count them). One calendar computation per calendar and
        structure, over the span of their referrals; (0.0, 0) for a referral
        not accepted."""
        result = dict.fromkeys(self._ids, (0.0, 0))
        groups = {}
        referrals = self.sudo().filtered(
            lambda r: r.date_proposed and r.date_accepted and r.antenna_id
        )
        if not referrals:
            return result
        own_closures = self._jecree_structures_with_closures(
            referrals.structure_id,
            min(referrals.mapped("date_proposed")),
            max(referrals.mapped("date_accepted")),
        )
        for referral in referrals:
            antenna = referral.antenna_id
            calendar = antenna._jecree_calendar()
            if not calendar or referral.date_accepted < referral.date_proposed:
                continue  # (0.0, 0)
            structure = antenna.jecree_structure_id
            key = (calendar, structure.id if structure.id in own_closures else 0)
            groups.setdefault(key, []).append(referral)
        for (calendar, __), referrals in groups.items():
            tz = calendar._jecree_tz()
            first = min(r.date_proposed for r in referrals)
            start = tz.localize(
                datetime.combine(utc.localize(first).astimezone(tz).date(), time.min)
            )
            end = utc.localize(max(r.date_accepted for r in referrals))
            intervals = self._jecree_opening_intervals(
                calendar, referrals[0].antenna_id, start, end
            )
            stops = [stop for __, stop in intervals]
            days = sorted({begin.astimezone(tz).date() for begin, __ in intervals})
            for referral in referrals:
                proposed = utc.localize(referral.date_proposed)
                accepted = utc.localize(referral.date_accepted)
                seconds = 0.0
                # the first interval that ends after the proposal
                for begin, stop in intervals[bisect.bisect_right(stops, proposed) :]:
                    if begin >= accepted:
                        break
                    seconds += (
                        min(stop, accepted) - max(begin, proposed)
                    ).total_seconds()
                day_from = proposed.astimezone(tz).date()
                day_to = accepted.astimezone(tz).date()
                opening_days = bisect.bisect_left(days, day_to) - bisect.bisect_right(
                    days, day_from
                )
                result[referral.id] = (round(seconds / 3600, 2), max(opening_days, 0))
        return result

    @api.model
    def _jecree_opening_days_before(self, calendar, structure, now, window):
        """(time zone, the opening days of `structure` on `calendar` before the
        local day of `now`, latest first, over `window`)."""
        tz = calendar._jecree_tz()
        today = utc.localize(now).astimezone(tz).date()
        end = tz.localize(datetime.combine(today, time.min))
        days = {
            begin.astimezone(tz).date()
            for begin, __ in self._jecree_opening_intervals(
                calendar, structure, end - window, end
            )
            if begin.astimezone(tz).date() < today
        }
        return tz, sorted(days, reverse=True)

    @api.model
    def _jecree_opening_intervals(self, calendar, partner, start, end):
        """[(begin, stop)] in UTC, the non-empty opening intervals of `calendar`
        between the aware datetimes `start` and `end`, with the closures that
        `partner` (a structure or an antenna) honours
        (`res.partner._jecree_leave_domain`): the opening hours the reminders
        and the delay to accept count in."""
        return [
            (begin.astimezone(utc), stop.astimezone(utc))
            for begin, stop, __ in calendar._work_intervals_batch(
                start, end, domain=partner._jecree_leave_domain()
            )[False]
            if stop > begin
        ]

    @api.model
    def _jecree_ladder_due(self, now):
        """{referral id: step} of the referrals due for a step of the ladder, in
        two queries whatever the number of referrals: the structures that have
        referrals waiting (partial index: proposed, not escalated), then the due
        ones against each structure's cut-offs."""
        cr = self.env.cr
        self.flush_model(["state", "ladder_step", "date_proposed", "structure_id"])
        types = self.env["jecree.structure.type"].sudo().with_context(active_test=False)
        shortest = types._read_group([], aggregates=["reminder_days:min"])[0][0] or 0
        cr.execute(
            SQL(
                """
            SELECT DISTINCT structure_id FROM jecree_referral
             WHERE state = 'proposee' AND ladder_step IS DISTINCT FROM 'escalated'
               AND date_proposed < %s
                """,
                now - timedelta(days=shortest),
            )
        )
        structures = self.env["res.partner"].browse([row[0] for row in cr.fetchall()])
        cutoffs = self._jecree_ladder_cutoffs(structures, now)
        rows = [
            SQL(
                "(%s, %s::timestamp, %s::timestamp)",
                structure_id,
                steps.get("reminded"),
                steps.get("escalated"),
            )
            for structure_id, steps in cutoffs.items()
            if steps
        ]
        if not rows:
            return {}
        cr.execute(
            SQL(
                """
            SELECT r.id, CASE WHEN r.date_proposed < c.escalate
                              THEN 'escalated' ELSE 'reminded' END
              FROM jecree_referral r
              JOIN (VALUES %s) AS c(structure_id, remind, escalate)
                ON c.structure_id = r.structure_id
             WHERE r.state = 'proposee' AND r.ladder_step IS DISTINCT FROM 'escalated'
               AND (r.date_proposed < c.escalate
                    OR (r.ladder_step IS NULL AND r.date_proposed < c.remind))
          ORDER BY r.structure_id, r.id
                """,
                SQL(", ").join(rows),
            )
        )
        return dict(cr.fetchall())

    @api.model
    def _cron_jecree_ladder(self, batch_size=LADDER_BATCH):
        """Remind the structures of the referrals they leave unanswered, then
        escalate them (see `_jecree_ladder_step`).

        Idempotent: a referral reaches each step once (the step and its date are
        stored in the same transaction as the mails and the activity). In batches
        committed one by one, a structure's referrals together (one mail per
        recipient and batch); two workers at the same time take different
        referrals (rows locked FOR UPDATE SKIP LOCKED)."""
        now = fields.Datetime.now()
        due = self._jecree_ladder_due(now)
        ir_cron = self.env["ir.cron"]
        ir_cron._commit_progress(remaining=len(due))
        ids = list(due)
        done = 0
        for start in range(0, len(ids), batch_size):
            batch = self.browse(ids[start : start + batch_size])
            locked = batch._jecree_lock_ladder_batch()
            steps = {}
            for referral in locked:
                steps.setdefault(due[referral.id], self.browse())
                steps[due[referral.id]] |= referral
            for step, referrals in steps.items():
                done += len(referrals._jecree_ladder_step(step, now))
            if not ir_cron._commit_progress(len(batch)):
                break
        _logger.info("Unanswered referrals reminded or escalated: %s", done)
        return done

    def _jecree_lock_ladder_batch(self):
        """Lock the referrals of a batch no other transaction holds, before
        anything is written in the batch's transaction (`try_lock_batch`)."""
        return try_lock_batch(lambda: self, allow_referencing=True)

    def _jecree_ladder_step(self, step, now=None):
        """Move the referrals `self` to the ladder's `step` and tell whom it
        concerns; the ones already there (or further), or no longer proposed,
        are left as they are. Returns the referrals moved.

        - reminded: the structure (adviser, else antenna, else structure) gets a
          reminder mail listing its referrals reminded; the portal shows them as
          reminded;
        - escalated: an activity for the call center (the agent who made the
          referral, else the call center team's leader) to call each porteur and
          offer another structure, and a mail to the structure's manager listing
          the referrals escalated."""
        now = now or fields.Datetime.now()
        # read again: the referral may have been answered or stepped meanwhile
        self.invalidate_recordset(["state", "ladder_step"])
        order = [False, "reminded", "escalated"]
        referrals = self.sudo().filtered(
            lambda r: (
                r.state == "proposee" and order.index(r.ladder_step) < order.index(step)
            )
        )
        if not referrals:
            return referrals
        referrals.write({"ladder_step": step, LADDER_DATES[step]: now})
        if step == "reminded":
            template = self.env.ref("jecree_referral.mail_template_referral_reminder")
            recipient = "structure_recipient_id"
        else:
            template = self.env.ref("jecree_referral.mail_template_referral_escalated")
            recipient = "manager_recipient_id"
            referrals._jecree_schedule_escalation_activities()
        # one mail per recipient, listing its referrals of the batch: a structure
        # with many referrals late gets one reminder, not one per referral
        for partner, group in referrals.grouped(recipient).items():
            if partner:
                template.sudo().with_context(
                    ladder_referral_ids=tuple(group.ids)
                ).send_mail(partner.id)
        return referrals

    def _jecree_schedule_escalation_activities(self):
        activity_type = self.env.ref(
            "jecree_referral.mail_activity_type_referral_unanswered"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = self.env.company._jecree_today()
        vals_list = []
        for referral in self:
            agent = referral.user_id
            if not agent.active or agent.share:
                agent = referral.company_id.jecree_team_id.user_id or agent
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": referral.id,
                    "activity_type_id": activity_type.id,
                    "user_id": agent.id or self.env.user.id,
                    "date_deadline": today,
                    "summary": self.env._(
                        "%(structure)s has not answered: call the porteur and "
                        "offer another structure",
                        structure=referral.structure_id.name,
                    ),
                }
            )
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    # satisfaction survey after an appointment kept
    def _jecree_survey_allowed(self):
        """The referrals whose porteur may receive the satisfaction survey: an
        email, consent to the processing of their data, not erased, the email
        not opted out (mail blacklist)."""
        referrals = self.sudo()
        emails = {
            referral: tools.email_normalize(referral.porteur_email or "")
            for referral in referrals
        }
        blacklisted = set(
            self.env["mail.blacklist"]
            .sudo()
            .search([("email", "in", [e for e in emails.values() if e])])
            .mapped("email")
        )
        return referrals.filtered(
            lambda referral: (
                emails[referral]
                and emails[referral] not in blacklisted
                and referral.lead_id.consent
                and not referral.lead_id.anonymized_date
            )
        )

    def _jecree_send_survey(self):
        """Send the satisfaction survey to the porteurs of the referrals `self`
        kept and not surveyed yet, if they may receive it; returns the referrals
        surveyed. The answer is linked to the referral in the same transaction
        as the mail: never twice."""
        survey = self.env.ref("jecree_referral.survey_referral_satisfaction").sudo()
        self.invalidate_recordset(["survey_user_input_id", "date_kept"])
        todo = (
            self.sudo()
            .filtered(
                lambda referral: (
                    referral.date_kept and not referral.survey_user_input_id
                )
            )
            ._jecree_survey_allowed()
        )
        template = self.env.ref("jecree_referral.mail_template_referral_survey")
        for referral in todo:
            answer = survey._create_answer(
                partner=referral.porteur_partner_id,
                email=referral.porteur_email,
                check_attempts=False,
            )
            referral.survey_user_input_id = answer
        if todo:
            template.sudo().send_mail_batch(todo.ids)
        return todo

    @api.model
    def _cron_jecree_send_surveys(self, batch_size=SURVEY_BATCH):
        """Survey the porteurs whose appointment was kept (not at the kept mark:
        a cron, in batches committed one by one, rows locked SKIP LOCKED)."""
        now = fields.Datetime.now()
        self.flush_model(["date_kept", "survey_user_input_id"])
        self.env.cr.execute(
            SQL(
                """
            SELECT id FROM jecree_referral
             WHERE date_kept IS NOT NULL AND survey_user_input_id IS NULL
               AND date_kept >= %s AND date_kept <= %s
          ORDER BY id
                """,
                now - SURVEY_WINDOW,
                now,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        ir_cron = self.env["ir.cron"]
        ir_cron._commit_progress(remaining=len(ids))
        done = 0
        for start in range(0, len(ids), batch_size):
            batch = self.browse(ids[start : start + batch_size])
            locked = try_lock_batch(lambda b=batch: b, allow_referencing=True)
            done += len(locked._jecree_send_survey())
            if not ir_cron._commit_progress(len(batch)):
                break
        return done

    def _jecree_satisfaction_rows(self):
        """The answered surveys of the referrals `self`, as dicts (referral,
        scores by question, delay): what a structure sees of its results."""
        questions = {
            key: self.env.ref(f"jecree_referral.survey_question_{key}")
            for key in ("call_center", "structure", "delay", "recommend")
        }
        rows = []
        for referral in self.filtered(
            lambda r: r.sudo().survey_user_input_id.state == "done"
        ):
            lines = referral.sudo().survey_user_input_id.user_input_line_ids
            row = {"referral": referral}
            for key, question in questions.items():
                line = lines.filtered(lambda li, q=question: li.question_id == q)[:1]
                row[key] = (
                    (
                        line.suggested_answer_id.value
                        if key == "delay"
                        else line.value_scale
                    )
                    if line
                    else ""
                )
            rows.append(row)
        return rows
