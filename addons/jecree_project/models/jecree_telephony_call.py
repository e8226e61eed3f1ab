# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import math
from datetime import UTC, datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..tools.locking import insert_or_lock
from .jecree_telephony_event import EVENTS

_logger = logging.getLogger(__name__)

#: what a phone system sends for a hidden caller id
HIDDEN_NUMBERS = ("", "anonymous", "unknown", "private", "restricted", "unavailable")
MAX_TEXT = 128
MAX_DURATION = 24 * 3600  # seconds
#: how far from now an event's time may be (a replay of yesterday is fine)
MAX_PAST = timedelta(days=31)
MAX_FUTURE = timedelta(hours=1)
STATES = [
    ("ringing", "Ringing"),
    ("answered", "In progress"),
    ("done", "Answered"),
    ("missed", "Missed"),
]


class JecreeTelephonyCall(models.Model):
    """A call as the phone system saw it (one per phone system and call id): when
    it rang, on which extension, whether it was answered and how long it lasted.

    The agent qualifies the call in the "Nouvel appel" screen, which logs it
    through ``crm.lead.jecree_log_call``: the logged call (crm.phonecall) takes
    the real start and duration from here, and gets them when the call ends after
    it was logged. A call that rang out is counted in the day's missed call of
    its number (``jecree.missed.call``)."""

    _name = "jecree.telephony.call"
    _description = "Phone system call"
    _order = "ring_date desc, id desc"
    _rec_name = "call_ref"

    system_id = fields.Many2one(
        "jecree.telephony.system", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="system_id.company_id", store=True)
    call_ref = fields.Char(string="Call id", required=True)
    direction = fields.Selection(
        [("in", "Incoming"), ("out", "Outgoing")], default="in", required=True
    )
    phone = fields.Char(help="The other party's number (E.164); empty when hidden.")
    extension = fields.Char()
    user_id = fields.Many2one("res.users", string="Agent", index="btree_not_null")
    ring_date = fields.Datetime(string="Rang at")
    answer_date = fields.Datetime(string="Answered at")
    end_date = fields.Datetime(string="Ended at")
    talk_seconds = fields.Integer(string="Talk time (s)")
    state = fields.Selection(STATES, default="ringing", required=True, index=True)
    phonecall_id = fields.Many2one(
        "crm.phonecall",
        string="Logged call",
        ondelete="set null",
        index="btree_not_null",
    )
    missed_call_id = fields.Many2one(
        "jecree.missed.call", ondelete="set null", index="btree_not_null"
    )

    _jecree_once_per_system = models.UniqueIndex(
        "(system_id, call_ref)", "This call is already known."
    )

    # ------------------------------------------------------------------ events
    @api.model
    def _jecree_process_event(self, system, payload):
        """Apply one event of `system` (see ``/jecree/telephony/event``).

        Idempotent per call id and event (a replay changes nothing), tolerant of
        events in any order: each event writes its own facts, and the call's
        state is read from all the facts known. Bad values raise one UserError
        listing them, before anything is written; an error while applying the
        event leaves nothing written either (a savepoint).

        :return: ``{"status": "ok" | "duplicate", "call": call id, "state": ...}``
        """
        event = self._jecree_check_event(payload)
        if event["event"] == "ringing":
            call_id = self._jecree_insert_ringing_call(system, event)
            if call_id:
                if event["agent"]:
                    self._jecree_send_screen_pop(
                        *event["agent"], event["phone"], event["direction"], call_id
                    )
                return {
                    "status": "ok",
                    "call_id": event["call_ref"],
                    "state": "ringing",
                }
        with self.env.cr.savepoint():
            return self._jecree_apply_logged_event(system, event)

    @api.model
    def _jecree_apply_logged_event(self, system, event):
        """Apply the checked `event` to its call, unless already applied."""
        call = self._jecree_get_call(system, event)
        if not self.env["jecree.telephony.event"]._jecree_log_once(
            call, event["event"], event["time"]
        ):
            return {"status": "duplicate", "call_id": event["call_ref"]}
        # the agent whose screen shows the call ringing
        popped = call.user_id if call.state == "ringing" else call.user_id.browse()
        call._jecree_apply_event(event)
        call._jecree_settle()
        if event["event"] == "ringing" and call.state == "ringing":
            call._jecree_notify_ringing()
        elif popped and (
            event["event"] == "hangup"
            or (call.state == "answered" and call.user_id != popped)
        ):
            call._jecree_close_screen_pop(popped)
        return {"status": "ok", "call_id": call.call_ref, "state": call.state}

    @api.model
    def _jecree_check_event(self, payload):
        """The event's values, typed; a UserError lists what is wrong."""
        if not isinstance(payload, dict):
            raise UserError(self.env._("The body must be a JSON object."))
        errors = []
        event = payload.get("event")
        if not isinstance(event, str) or event not in dict(EVENTS):
            errors.append(
                self.env._(
                    "Unknown event %s: ringing, answered or hangup.",
                    str(event)[:MAX_TEXT],
                )
            )
        call_ref = payload.get("call_id")
        if isinstance(call_ref, int) and not isinstance(call_ref, bool):
            call_ref = str(call_ref)
        if not isinstance(call_ref, str) or not call_ref.strip():
            errors.append(self.env._("The call id (call_id) is missing."))
        elif len(call_ref) > MAX_TEXT or "\x00" in call_ref:
            errors.append(self.env._("The call id (call_id) is too long."))
        direction = payload.get("direction") or "in"
        if direction not in ("in", "out"):
            errors.append(
                self.env._(
                    "The direction must be in or out, not %s.",
                    str(direction)[:MAX_TEXT],
                )
            )
            direction = "in"
        # the other party: the caller of an incoming call, the called of an outgoing
        phone = self._jecree_check_number(
            payload.get("from" if direction == "in" else "to"), errors
        )
        extension, agent = self._jecree_check_extension(
            payload.get("extension"), errors
        )
        time = self._jecree_check_time(payload.get("time"), errors)
        duration = self._jecree_check_duration(payload.get("duration"), errors)
        if errors:
            raise UserError("\n".join(errors))
        return {
            "event": event,
            "call_ref": call_ref.strip(),
            "direction": direction,
            "phone": phone,
            "extension": extension,
            "user": self.env["res.users"].browse(agent[0] if agent else ()),
            "agent": agent,
            "time": time,
            "duration": duration,
        }

    @api.model
    def _jecree_check_number(self, number, errors):
        """The other party's number in E.164; False when hidden or not given."""
        if number is None:
            return False
        if not isinstance(number, (str, int)) or isinstance(number, bool):
            errors.append(self.env._("The phone number must be a text."))
            return False
        number = str(number)
        if number.strip().lower() in HIDDEN_NUMBERS:
            return False
        phone = len(number) <= MAX_TEXT and self.env["crm.lead"]._jecree_format_phone(
            number.replace("\x00", "")
        )
        if not phone:
            errors.append(
                self.env._("The phone number %s is not valid.", number[:MAX_TEXT])
            )
        return phone or False

    @api.model
    def _jecree_check_extension(self, extension, errors):
        """(extension, its agent: ``(user id, partner id, language)``); (False,
        None) when not given."""
        Users = self.env["res.users"]
        if isinstance(extension, int) and not isinstance(extension, bool):
            extension = str(extension)
        if extension is None or extension == "":
            return False, None
        if not isinstance(extension, str) or len(extension) > MAX_TEXT:
            errors.append(self.env._("The extension must be a text."))
            return False, None
        agent = Users._jecree_agent_of_extension(extension)
        if not agent:
            errors.append(
                self.env._(
                    "No agent has the extension %s: enter it in the agent's "
                    "preferences.",
                    extension.replace("\x00", ""),
                )
            )
            return False, None
        # the agent's extension is this one, cleaned (found by equality)
        return Users._jecree_clean_extension(extension), agent

    @api.model
    def _jecree_check_duration(self, duration, errors):
        """The talk time in seconds; None when not given."""
        if duration is None:
            return None
        try:
            if isinstance(duration, bool):
                raise ValueError(duration)
            duration = float(duration)
            if not math.isfinite(duration) or not 0 <= duration <= MAX_DURATION:
                raise ValueError(duration)
        except (TypeError, ValueError):
            errors.append(
                self.env._(
                    "The duration must be a number of seconds between 0 and %s.",
                    MAX_DURATION,
                )
            )
            return None
        return duration

    @api.model
    def _jecree_check_time(self, value, errors):
        """An event's time: ISO 8601 (UTC when it has no offset) or seconds since
        1970; now when not given. As a naive UTC datetime."""
        now = fields.Datetime.now()
        if value is None or value == "":
            return now
        try:
            if isinstance(value, bool):
                raise ValueError(value)
            if isinstance(value, (int, float)):
                moment = datetime.fromtimestamp(value, UTC)
            elif isinstance(value, str) and len(value) <= 40:
                moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            else:
                raise ValueError(value)
            if moment.tzinfo:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            moment = moment.replace(microsecond=0)
            if not now - MAX_PAST <= moment <= now + MAX_FUTURE:
                raise ValueError(value)
        except (TypeError, ValueError, OverflowError, OSError):
            errors.append(
                self.env._(
                    "The time %s is not valid: an ISO 8601 date and time of the last "
                    "31 days, for example 2026-03-02T09:15:00+01:00.",
                    str(value)[:MAX_TEXT],
                )
            )
            return now
        return moment

    @api.model
    def _jecree_insert_ringing_call(self, system, event):
        """The usual first event of a call, its ringing, in one statement: the
        call inserted with what the event tells (as `_jecree_apply_event` and
        `_jecree_settle` would write it: ringing) and the event logged. The id of
        the new call; None when the call is already known (an event replayed, or
        come after another of the call): the general path applies it."""
        self.flush_model()
        self.env["jecree.telephony.event"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                WITH new_call AS (
                    INSERT INTO jecree_telephony_call
                        (system_id, company_id, call_ref, direction, state, phone,
                         extension, user_id, ring_date,
                         create_uid, create_date, write_uid, write_date)
                    SELECT id, company_id, %(ref)s, %(direction)s, 'ringing',
                           %(phone)s, %(extension)s, %(user)s, %(time)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM jecree_telephony_system
                     WHERE id = %(system)s
                    ON CONFLICT DO NOTHING
                    RETURNING id, system_id, company_id
                )
                INSERT INTO jecree_telephony_event
                    (system_id, company_id, call_ref, call_id, event, event_date,
                     create_uid, create_date, write_uid, write_date)
                SELECT system_id, company_id, %(ref)s, id, 'ringing',
                       %(time)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM new_call
                ON CONFLICT DO NOTHING
                RETURNING call_id
                """,
                system=system.id,
                ref=event["call_ref"],
                direction=event["direction"],
                phone=event["phone"] or None,
                extension=event["extension"] or None,
                user=event["agent"][0] if event["agent"] else None,
                time=event["time"],
                uid=self.env.uid,
                # the transaction's time, as the ORM writes it (and reads it once)
                now=self.env.cr.now(),
            )
        )
        return rows[0][0] if rows else None

    @api.model
    def _jecree_get_call(self, system, event):
        """The call of the event, created if it is its first event, locked (two
        events of one call wait for each other)."""
        return insert_or_lock(
            self,
            {"system_id": system.id, "call_ref": event["call_ref"]},
            {
                "company_id": system.company_id.id,
                "direction": event["direction"],
                "state": "ringing",
            },
        )

    def _jecree_apply_event(self, event):
        """Write what the event tells: each event its own facts, the earliest
        time kept when two tell the same."""
        self.ensure_one()
        vals = {}
        if event["phone"] and not self.phone:
            vals["phone"] = event["phone"]
        if event["user"] and (event["event"] == "answered" or not self.user_id):
            vals.update(user_id=event["user"].id, extension=event["extension"])
        time = event["time"]
        if event["event"] == "ringing":
            vals["ring_date"] = min(time, self.ring_date or time)
        elif event["event"] == "answered":
            vals["answer_date"] = min(time, self.answer_date or time)
            vals["ring_date"] = min(time, self.ring_date or time)
        else:
            vals["end_date"] = time
            if event["duration"] is not None:
                vals["talk_seconds"] = round(event["duration"])
        self.write(vals)

    def _jecree_settle(self):
        """The call's state from the facts known, and what follows from it: a
        missed call counted in its number's missed call of the day (and counted
        out again if the answer comes after the hang-up), the real start and
        duration on the logged call."""
        for call in self:
            if call.end_date and call.answer_date:
                state = "done"
            elif call.end_date:
                state = "missed"
            elif call.answer_date:
                state = "answered"
            else:
                state = "ringing"
            vals = {"state": state}
            if state == "done" and not call.talk_seconds:
                vals["talk_seconds"] = max(
                    round((call.end_date - call.answer_date).total_seconds()), 0
                )
            call.write(vals)
            missed = self.env["jecree.missed.call"]
            if state == "missed" and call.phone and call.direction == "in":
                if not call.missed_call_id:
                    missed._jecree_add_call(call)
            elif call.missed_call_id:
                missed._jecree_remove_call(call)
            if call.phonecall_id:
                call.phonecall_id.sudo().write(call._jecree_phonecall_times())

    def _jecree_phonecall_times(self):
        """The real start and duration (minutes) of the call, as known now."""
        self.ensure_one()
        vals = {}
        if self.answer_date or self.ring_date:
            vals["date"] = self.answer_date or self.ring_date
        if self.state == "done":
            vals["duration"] = round(self.talk_seconds / 60.0, 2)
        return vals

    # ------------------------------------------------------------------ screen pop
    def _jecree_notify_ringing(self):
        """Show the caller on the screen of the agent whose phone rings: only on
        that agent's own bus channel (their partner's)."""
        for call in self.filtered("user_id"):
            user = call.user_id
            call._jecree_send_screen_pop(
                user.id,
                user.partner_id.id,
                user.lang,
                call.phone,
                call.direction,
                call.id,
            )

    def _jecree_close_screen_pop(self, user):
        """The call stopped ringing for `user` (hung up, or answered by another
        agent): their screen pop of it closes (bus notification
        ``jecree_call_closed`` on their own channel)."""
        self.ensure_one()
        self.env["bus.bus"]._sendone(
            user.partner_id, "jecree_call_closed", {"call_id": self.id}
        )

    @api.model
    def _jecree_send_screen_pop(
        self, user_id, partner_id, lang, phone, direction="in", call_id=False
    ):
        """The screen pop of a call from `phone` on the screen of the agent
        `user_id` (partner `partner_id`), in their language `lang`: one bus
        notification on that agent's own channel."""
        payload = (
            self.with_user(user_id)
            .with_context(lang=lang)
            ._jecree_screen_pop_values(phone, direction, call_id)
        )
        self.env["bus.bus"]._sendone(
            self.env["res.partner"].browse(partner_id), "jecree_incoming_call", payload
        )

    def _jecree_screen_pop(self):
        """What the agent sees when the phone rings (`_jecree_screen_pop_values`)."""
        self.ensure_one()
        return self._jecree_screen_pop_values(
            self.phone, self.direction, self._origin.id
        )

    @api.model
    def _jecree_screen_pop_values(self, phone, direction="in", call_id=False):
        """What the agent sees when the phone rings: the known porteurs of the
        number `phone` (E.164, False when hidden) and the "Nouvel appel" screen's
        defaults."""
        Lead = self.env["crm.lead"].sudo()
        summary = Lead._jecree_screen_pop_callers(phone) if phone else []
        context = {
            "default_phone": phone
            and Lead._jecree_format_phone(phone, "INTERNATIONAL"),
            "default_direction": direction,
        }
        if call_id:
            context["default_telephony_call_id"] = call_id
        if len(summary) == 1:
            context["default_lead_id"] = summary[0]["id"]
        number = context["default_phone"] or self.env._("Hidden number")
        return {
            "call_id": call_id or False,
            "title": self.env._("Incoming call: %s", number),
            "number": number,
            "new_caller": not summary,
            "callers": summary,
            "lines": self._jecree_screen_pop_lines(summary),
            "context": context,
        }

    @api.model
    def _jecree_screen_pop_lines(self, summary):
        """The screen pop's text, line by line, in the agent's language."""
        if not summary:
            return [self.env._("New caller: no porteur has this number.")]
        lines = []
        for caller in summary:
            lines.append(
                self.env._(
                    "Returning caller: %(name)s (%(commune)s)",
                    name=caller["name"],
                    commune=caller["commune"] or "-",
                )
            )
            lines.extend(
                self.env._(
                    "Call of %(date)s: %(name)s (%(agent)s)",
                    date=call["date"],
                    name=call["name"],
                    agent=call["agent"] or "-",
                )
                for call in caller["last_calls"]
            )
            lines.extend(
                self.env._(
                    "To do on %(date)s: %(summary)s",
                    date=activity["date"],
                    summary=activity["summary"],
                )
                for activity in caller["activities"]
            )
            lines.extend(caller["lines"])
        return lines

    @api.model
    def _jecree_intake_context(self):
        """The context of the "Nouvel appel" action (its dialog size…)."""
        action = self.env.ref("jecree_project.jecree_call_intake_action").sudo()
        return safe_eval(action.context or "{}")

    def action_jecree_qualify(self):
        """Qualifier: the "Nouvel appel" screen for this call of the phone system,
        with its number, porteur, start and duration."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "jecree_project.jecree_call_intake_action"
        )
        action["context"] = dict(
            self._jecree_intake_context(), **self._jecree_screen_pop()["context"]
        )
        return action

    # ------------------------------------------------------------------ logged call
    @api.model
    def _jecree_link_phonecall(self, telephony_call, phonecall):
        """The call the agent logged is this phone system's call: it takes the real
        start and duration (now, and when the call ends later)."""
        if not telephony_call:
            return
        telephony_call = telephony_call.sudo()
        telephony_call.phonecall_id = phonecall
        times = telephony_call._jecree_phonecall_times()
        if times:
            phonecall.sudo().write(times)
