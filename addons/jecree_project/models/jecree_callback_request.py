# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools.misc import format_date, format_datetime

#: the half-days a caller may ask for, in the call center's local time
PERIODS = [("am", "Morning"), ("pm", "Afternoon")]
#: local hour that splits the morning from the afternoon
NOON = time(12, 0)
ASAP = "asap"
#: opening half-days offered on the form, and how far ahead one may be asked
SLOTS_OFFERED = 10
SLOT_MAX_DAYS = 31
#: the privacy notice the caller agrees to: its version is stored with the consent
PRIVACY_NOTICE_VERSION = "2026-12-01"


class JecreeCallbackRequest(models.Model):
    """A call-back asked for on the public web form ("Être rappelé par un
    conseiller"): when, for whom, the slot asked, when it is due, and the proof of
    the consent given (the notice's version and text, the date). It is not a
    call: the call is logged when an agent calls back. Created only by
    `crm.lead.jecree_request_callback`."""

    _name = "jecree.callback.request"
    _description = "Web call-back request"
    _order = "create_date desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Porteur de projet",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    returning = fields.Boolean(
        string="Known porteur",
        readonly=True,
        help="The request came from a porteur already known (same phone or email).",
    )
    preferred_day = fields.Date(readonly=True)
    preferred_period = fields.Selection(PERIODS, readonly=True)
    due_date = fields.Datetime(
        string="Call back from",
        readonly=True,
        help="The slot asked for, or the next opening hour of the call center.",
    )
    # indexed: the agents' call-back queue reads each row's request by its activity
    activity_id = fields.Many2one(
        "mail.activity", readonly=True, index="btree_not_null", ondelete="set null"
    )
    # what the porteur's project was when asked: the analysis groups by it
    sector = fields.Selection(selection="_selection_sector", readonly=True)
    project_kind = fields.Selection(selection="_selection_project_kind", readonly=True)
    commune_id = fields.Many2one("res.city", readonly=True)
    consent_version = fields.Char(string="Privacy notice version", readonly=True)
    consent_text = fields.Text(string="Privacy notice agreed to", readonly=True)
    request_count = fields.Integer(
        string="Requests", default=1, readonly=True, aggregator="sum"
    )

    @api.model
    def _selection_sector(self):
        return self.env["crm.lead"]._fields["sector"]._description_selection(self.env)

    @api.model
    def _selection_project_kind(self):
        return (
            self.env["crm.lead"]
            ._fields["project_kind"]
            ._description_selection(self.env)
        )

    # ------------------------------------------------------------------ slots
    @api.model
    def _jecree_calendar(self):
        return self.env.company.sudo().jecree_calendar_id

    @api.model
    def _jecree_open_intervals(self, start, days):
        """The call center's opening intervals (aware datetimes in its time zone)
        from `start` (naive UTC) for `days` days: company closures and public
        holidays left out, as in every calendar computation."""
        calendar = self._jecree_calendar()
        tz = calendar._jecree_tz()
        begin = pytz.utc.localize(start).astimezone(tz)
        if not calendar:
            return []
        intervals = calendar._work_intervals_batch(begin, begin + timedelta(days=days))[
            False
        ]
        return [(since, until) for since, until, __ in intervals if until > since]

    @api.model
    def _jecree_period_of(self, moment):
        return "am" if moment.time() < NOON else "pm"

    @api.model
    def _jecree_offered_slots(self, now=None):
        """[(value, label)] of the form's time slots: as soon as possible, then the
        next opening half-days ("2026-11-03:am")."""
        now = now or fields.Datetime.now()
        slots = [(ASAP, self._jecree_slot_label())]
        seen = set()
        for since, until in self._jecree_open_intervals(now, SLOT_MAX_DAYS):
            for moment in (since, until - timedelta(seconds=1)):
                key = (moment.date(), self._jecree_period_of(moment))
                if key in seen or len(seen) >= SLOTS_OFFERED:
                    continue
                seen.add(key)
                slots.append(
                    (f"{key[0].isoformat()}:{key[1]}", self._jecree_slot_label(*key))
                )
        return slots

    @api.model
    def _jecree_slot_label(self, day=False, period=False):
        """A slot as the form offers it and the agents' queue shows it ("mardi 3
        novembre, matin"); as soon as possible without a day."""
        if not day:
            return self.env._("As soon as possible")
        periods = dict(
            self._fields["preferred_period"]._description_selection(self.env)
        )
        day_label = format_date(self.env, day, date_format="EEEE d MMMM")
        return f"{day_label}, {periods[period].lower()}"

    @api.model
    def _jecree_parse_slot(self, value):
        """(day, period) of a slot of the form, (False, False) for as soon as
        possible; None when it is not a slot one may ask for."""
        if value == ASAP:
            return False, False
        if not isinstance(value, str) or len(value) != 13 or value[10] != ":":
            return None
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
        period = value[11:]
        today = self.env.company._jecree_today()
        if period not in dict(PERIODS) or not (
            today <= day <= today + timedelta(days=SLOT_MAX_DAYS)
        ):
            return None
        return day, period

    @api.model
    def _jecree_due_date(self, day=False, period=False, now=None):
        """When the call-back is due (naive UTC): the first opening moment of the
        half-day asked for, or the next opening hour after it (after now for as
        soon as possible). Without any opening hour in two months: now."""
        now = now or fields.Datetime.now()
        start = now
        if day:
            tz = self._jecree_calendar()._jecree_tz()
            local = tz.localize(
                datetime.combine(day, time.min if period == "am" else NOON)
            )
            start = max(now, local.astimezone(pytz.utc).replace(tzinfo=None))
        utc_start = pytz.utc.localize(start)
        for since, until in self._jecree_open_intervals(start, 62):
            if until > utc_start:
                due = max(since, utc_start)
                return due.astimezone(pytz.utc).replace(tzinfo=None)
        return now

    @api.model
    def _jecree_due_label(self, due):
        """The due moment as the caller and the agent read it (local time)."""
        tz = self._jecree_calendar()._jecree_tz().zone
        return self.env._(
            "%(day)s at %(hour)s",
            day=format_date(
                self.env,
                pytz.utc.localize(due).astimezone(pytz.timezone(tz)).date(),
                date_format="EEEE d MMMM",
            ),
            hour=format_datetime(self.env, due, tz=tz, dt_format="HH:mm"),
        )
