# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, format_datetime

from odoo.addons.jecree_project.models.crm_lead import MATURITIES, PersonalData
from odoo.addons.jecree_project.models.crm_phonecall import USEFUL_QUALIFICATION
from odoo.addons.jecree_project.tools import cached_ref
from odoo.addons.jecree_project.tools.locking import try_lock_batch

from ..tools.sirene import name_key

_logger = logging.getLogger(__name__)

CRON_BATCH = 1000
MAX_ATTEMPTS = 3  # call-back attempts before the porteur is unreachable
#: what a call-back records (see `jecree_record_callback`)
CALLBACK_KEYS = (
    "outcome",
    "maturity",
    "next_step",
    "duration",
    "notes",
    "appointments",
    "activity_id",
)
#: whether an appointment was kept, as said at the call-back: the referral's method
APPOINTMENT_ACTIONS = {
    "kept": "action_mark_kept",
    "not_kept": "action_mark_not_kept",
}
CALLBACK_STATES = [
    ("planned", "Planned"),
    ("reached", "Reached"),
    ("unreachable", "Unreachable"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    callback_scheduled = fields.Boolean(
        string="J+8 call-back scheduled",
        copy=False,
        readonly=True,
        help="Set in the transaction that schedules the J+8 call-back: a porteur "
        "gets one, even when the cron and an agent schedule it at the same time.",
    )
    callback_state = fields.Selection(
        CALLBACK_STATES,
        string="J+8 call-back",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    callback_attempt_count = fields.Integer(
        string="Call-back attempts", copy=False, readonly=True
    )
    started_date = fields.Date(
        string="Started on",
        copy=False,
        index="btree_not_null",
        help="Day the project was first marked as started (maturity Démarré).",
    )

    brochure_sending_ids = fields.One2many(
        "jecree.brochure.sending", "lead_id", string="Brochures sent"
    )
    # businesses actually created (open SIRENE data), see jecree.sirene.match
    jecree_person_key = fields.Char(
        compute="_compute_jecree_sirene_keys", store=True, index="btree_not_null"
    )
    jecree_project_key = fields.Char(
        compute="_compute_jecree_sirene_keys", store=True, index="btree_not_null"
    )
    jecree_siret = fields.Char(string="SIRET", size=14, readonly=True, copy=False)
    jecree_creation_date = fields.Date(
        string="Business created on",
        readonly=True,
        copy=False,
        help="Creation date of the business found in the SIRENE file and "
        "confirmed by a manager.",
    )
    jecree_created = fields.Selection(
        [("yes", "Yes"), ("no", "No"), ("unknown", "Not yet known")],
        string="Business created",
        compute="_compute_jecree_created",
        store=True,
        help="Yes: a business of the SIRENE file confirmed by a manager; no: the "
        "project was abandoned; not yet known otherwise.",
    )
    jecree_sirene_match_ids = fields.One2many(
        "jecree.sirene.match", "lead_id", string="SIRENE matches"
    )

    _callback_todo_idx = models.Index(
        "(id) WHERE is_porteur AND callback_scheduled IS NOT TRUE"
    )

    @api.depends("contact_name", "partner_name")
    def _compute_jecree_sirene_keys(self):
        for lead in self:
            lead.jecree_person_key = name_key(lead.contact_name)
            lead.jecree_project_key = name_key(lead.partner_name)

    @api.depends("jecree_creation_date", "maturity")
    def _compute_jecree_created(self):
        for lead in self:
            if lead.jecree_creation_date:
                lead.jecree_created = "yes"
            elif lead.maturity == "abandonne":
                lead.jecree_created = "no"
            else:
                lead.jecree_created = "unknown"

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("maturity") == "demarre" and not vals.get("started_date"):
                vals["started_date"] = today
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("maturity") == "demarre" and "started_date" not in vals:
            not_started = self.filtered(lambda lead: not lead.started_date)
            res = super().write(vals)
            if not_started:
                super(CrmLead, not_started).write(
                    {"started_date": fields.Date.context_today(self)}
                )
            return res
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_jecree_callback(self):
        """Open the call-back form of the porteur's open J+8 activity."""
        self.ensure_one()
        return self.env["jecree.callback.wizard"]._action_open(
            self, self._jecree_open_callback_activity()
        )

    def jecree_record_callback(self, values):
        """Record the outcome of the porteur's J+8 call-back.

        The one way to record it: the call-back form collects the input and calls
        this method; an agent's RPC client (JSON-RPC, XML-RPC) calls it too::

            lead.jecree_record_callback({
                "outcome": "reached",            # or "not_reached" (required)
                "maturity": "financement",       # where the project stands now
                "next_step": "Rendez-vous banque le 20 juillet",
                "duration": 4,                   # minutes
                "notes": "…",
                # whether each appointment with a structure was kept, recorded on
                # the referral (its own rule: only once the appointment started)
                "appointments": [{"referral_id": 7, "appointment": "kept"}],
                # optional: the J+8 activity the form was opened on (refused if
                # someone recorded the call-back meanwhile)
                "activity_id": 51,
            })

        Logs the call-back as an outgoing call, closes the J+8 activity, and
        plans what comes next: the follow-up plan (J+30, J+90 from the first
        useful call) when reached; else another attempt on the next opening day,
        or the porteur is unreachable after the third. Bad values raise a French
        `UserError` listing what is wrong, before anything is written. Returns
        ``{"call_id", "callback_state", "attempt", "activity_ids"}`` (the
        activities planned next)."""
        self.ensure_one()
        self._jecree_check_call_center_user(
            self.env._("Only the call center's agents record call-backs.")
        )
        self.check_access("write")
        activity = self._jecree_check_callback_open(values)
        values = self._jecree_check_callback_values(values)
        reached = values["outcome"] == "reached"
        attempt = self.callback_attempt_count + 1
        last = not reached and attempt >= MAX_ATTEMPTS
        outcome = "reached" if reached else "unreachable" if last else "not_reached"
        call = (
            self.env["crm.phonecall"]
            .with_context(jecree_no_callback=True)
            .create(self._jecree_callback_call_values(values, outcome, attempt))
        )
        lead_vals = {
            "callback_attempt_count": attempt,
            # not reached before the last attempt: still planned (a retry)
            "callback_state": "planned" if outcome == "not_reached" else outcome,
        }
        if reached and values["maturity"] and values["maturity"] != self.maturity:
            lead_vals["maturity"] = values["maturity"]
        self.write(lead_vals)
        for referral, appointment in values["appointments"]:
            getattr(referral, APPOINTMENT_ACTIONS[appointment])()
        outcomes = dict(
            call._fields["callback_outcome"]._description_selection(self.env)
        )
        feedback = self.env._(
            "%(outcome)s (attempt %(attempt)s of %(max)s)",
            outcome=outcomes[outcome],
            attempt=attempt,
            max=MAX_ATTEMPTS,
        )
        if reached and values["next_step"]:
            feedback = f"{feedback}\n{values['next_step']}"
        agent = activity.user_id
        activity.callback_call_id = call
        activity.action_feedback(feedback=feedback)
        if reached:
            planned = self._jecree_launch_followup_plan()
        elif not last:
            planned = self._jecree_schedule_callback_retry(attempt + 1, agent)
        else:
            planned = self.env["mail.activity"]
        return {
            "call_id": call.id,
            "callback_state": self.callback_state,
            "attempt": attempt,
            "activity_ids": planned.ids,
        }

    def action_jecree_send_brochure(self):
        """Send the porteur's brochure, once (the button says when it went out)."""
        sendings = self._jecree_send_brochure()
        return self._jecree_brochure_notification(sendings)

    def action_jecree_resend_brochure(self):
        """The agent asks explicitly: send the brochure again."""
        sendings = self._jecree_send_brochure(force=True)
        return self._jecree_brochure_notification(sendings)

    def _jecree_brochure_notification(self, sendings):
        failed = sendings.filtered(lambda sending: sending.state == "failed_prepare")
        if failed:
            message = self.env._(
                "The brochure could not be prepared: %(reason)s It is kept in the "
                'porteur\'s brochures with its reason: use "Retry" once the cause '
                "is fixed.",
                reason=failed[0].prepare_error,
            )
        else:
            message = self.env._(
                "Brochure sent to %s.", ", ".join(sendings.mapped("email"))
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "warning" if failed else "success",
                "sticky": bool(failed),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------ RGPD
    def _jecree_personal_records(self):
        """Brochure sendings keep the address the brochure went to; a call-back
        form left open keeps what the agent typed. (The call-backs are calls and
        activities: `crm.phonecall._jecree_personal_fields` and the activities of
        the porteur.)"""
        holdings = super()._jecree_personal_records()
        holdings["brochure_sendings"] = PersonalData(
            self.env._("Brochure sendings"),
            self.brochure_sending_ids,
            ("date", "brochure_id", "email", "state", "prepare_error"),
            lambda sendings: sendings.write({"email": False, "prepare_error": False}),
        )
        holdings["callback_forms"] = PersonalData(
            self.env._("Unfinished call-back forms"),
            self.env["jecree.callback.wizard"].search([("lead_id", "in", self.ids)]),
            ("create_date", "outcome", "next_step", "notes"),
            lambda wizards: wizards.unlink(),
        )
        holdings["sirene_matches"] = PersonalData(
            self.env._("Businesses found in the SIRENE file"),
            self.env["jecree.sirene.match"].search([("lead_id", "in", self.ids)]),
            ("siret", "creation_date", "score", "reasons", "state"),
            lambda matches: matches.unlink(),
        )
        return holdings

    def _jecree_anonymize_leads(self):
        """The SIRET of a sole trader's business names them: erased; that a
        business was created (and when) stays counted."""
        res = super()._jecree_anonymize_leads()
        self.write({"jecree_siret": False})
        return res

    # ------------------------------------------------------------------ calls
    @api.model
    def _jecree_log_call_fields(self):
        """`send_brochure`: email the porteur the brochure (default: the
        company's setting "send the brochure automatically")."""
        return (*super()._jecree_log_call_fields(), "send_brochure")

    @api.model
    def _jecree_after_log_call(self, lead, phonecall, call):
        """The brochure of a useful call is queued: the email and its PDF are built
        by a cron started at once. (The J+8 call-back is scheduled by the creation
        of the porteur's first useful call itself, see crm.phonecall.create; the
        context key `jecree_no_callback` turns it off.)"""
        res = super()._jecree_after_log_call(lead, phonecall, call)
        send = call.get("send_brochure", self.env.company.jecree_brochure_auto)
        if (
            lead
            and send
            and lead.email_from
            and phonecall.qualification == USEFUL_QUALIFICATION
        ):
            lead._jecree_send_brochure(skip_sent=True, queue=True)
        return res

    # ------------------------------------------------------------------ business
    def _jecree_send_brochure(self, force=False, skip_sent=False, queue=False):
        """Email each porteur the brochure of its project kind and sector.

        A brochure already sent to the porteur is not sent again unless `force`
        (refused, or skipped with `skip_sent`). The email goes through Odoo's mail
        queue; its state is kept on the sending record. With `queue` (the intake),
        the email and its PDF are built by a cron started at once, out of the
        agent's way; without (the button), at once. Both go through
        `jecree.brochure.sending._jecree_prepare_mails`: a brochure whose PDF cannot
        be rendered (no working wkhtmltopdf) is kept with its reason and Retry, and
        the call is saved all the same."""
        sendings = self.env["jecree.brochure.sending"]
        brochures = self.env["jecree.brochure"]
        for lead in self:
            if not lead.email_from:
                raise UserError(
                    self.env._(
                        "%s has no email address: the brochure cannot be sent.",
                        lead.display_name,
                    )
                )
            brochure = brochures._for_lead(lead)
            if not brochure:
                raise UserError(
                    self.env._(
                        "No brochure matches the project of %s: set its project "
                        "kind and sector, or add a brochure.",
                        lead.display_name,
                    )
                )
            sent = lead.brochure_sending_ids.filtered(
                lambda sending, b=brochure: sending.brochure_id == b
            )
            if sent and not force:
                if skip_sent:
                    continue
                raise UserError(
                    self.env._(
                        "The brochure %(brochure)s was already sent to %(porteur)s on "
                        '%(date)s. Use "Send brochure again" to send it once more.',
                        brochure=brochure.name,
                        porteur=lead.display_name,
                        date=format_datetime(self.env, sent[0].date),
                    )
                )
            sendings |= sendings.create(
                {
                    "lead_id": lead.id,
                    "brochure_id": brochure.id,
                    "email": lead.email_from,
                    "queued": queue,
                }
            )
        if queue and sendings:
            sendings._jecree_trigger_preparation()
        elif sendings:
            # built now, as the queue does: one that cannot be (no working
            # wkhtmltopdf) stays with its reason and Retry
            sendings._jecree_prepare_mails()
        return sendings

    @api.model
    def _jecree_callback_type(self):
        return cached_ref(self.env, "jecree_followup.mail_activity_type_callback")

    def _jecree_open_callback_activity(self):
        self.ensure_one()
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", self.id),
                ("activity_type_id", "=", self._jecree_callback_type().id),
                # a done call-back is archived: never the open one, whatever
                # the caller's context (active_test)
                ("active", "=", True),
            ],
            order="date_deadline",
            limit=1,
        )

    def _jecree_caller_summary(self):
        summary = super()._jecree_caller_summary()
        activity = self._jecree_open_callback_activity()
        if activity:
            summary.append(
                self.env._(
                    "call-back planned on %s",
                    format_date(self.env, activity.date_deadline),
                )
            )
        return summary

    def _jecree_check_callback_open(self, values):
        """The porteur's open J+8 activity; refused when there is none (or not
        the one the form was opened on: someone recorded it meanwhile)."""
        self.ensure_one()
        if not self.is_porteur:
            raise UserError(self.env._("Only a porteur de projet is called back."))
        activity = self._jecree_open_callback_activity()
        expected = values.get("activity_id") if isinstance(values, dict) else None
        if (
            self.callback_state != "planned"
            or not activity
            or (expected and expected != activity.id)
        ):
            raise UserError(
                self.env._(
                    "%s has no J+8 call-back to make: it was not scheduled or is "
                    "already closed.",
                    self.display_name,
                )
            )
        return activity

    def _jecree_open_callback_referrals(self):
        """The porteur's referrals still under way (neither declined nor closed)."""
        self.ensure_one()
        return self.jecree_referral_ids.filtered(
            lambda referral: referral.state not in ("refusee", "clos")
        ).sorted(lambda referral: referral.appointment_start or referral.date_proposed)

    def _jecree_check_callback_values(self, values):
        """`values` of `jecree_record_callback`, checked and cleaned; every
        mistake found is listed in one French UserError."""
        self.ensure_one()
        if not isinstance(values, dict):
            raise UserError(self.env._("The call-back's values must be a dictionary."))
        errors = []
        unknown = sorted(str(key) for key in set(values) - set(CALLBACK_KEYS))
        if unknown:
            errors.append(
                self.env._("Unknown call-back values: %s.", ", ".join(unknown))
            )
        outcome = values.get("outcome")
        if outcome not in ("reached", "not_reached"):
            errors.append(self.env._("Say whether the porteur was reached."))
        maturity = values.get("maturity") or False
        if maturity and maturity not in dict(MATURITIES):
            errors.append(
                self.env._("%s is not a stage of a project.", str(maturity)[:50])
            )
        duration = values.get("duration") or 0
        if isinstance(duration, bool) or not isinstance(duration, (int, float)):
            errors.append(self.env._("The duration must be a number of minutes."))
            duration = 0
        elif duration < 0:
            errors.append(self.env._("The duration of a call cannot be negative."))
        texts = {}
        for key in ("next_step", "notes"):
            text = values.get(key) or False
            if text and not isinstance(text, str):
                errors.append(self.env._("The notes and next step must be text."))
                text = False
            # a NUL character cannot be stored: a script may send one
            texts[key] = text and (text.replace("\x00", "").strip() or False)
        appointments = self._jecree_check_callback_appointments(
            values.get("appointments") or [], outcome == "reached", errors
        )
        if errors:
            raise UserError("\n".join(dict.fromkeys(errors)))
        return {
            "outcome": outcome,
            "maturity": maturity,
            "duration": duration,
            "appointments": appointments,
            **texts,
        }

    def _jecree_check_callback_appointments(self, appointments, reached, errors):
        """[(referral, "kept" | "not_kept")] of the call-back; the mistakes are
        added to `errors`. The referral's own checks apply (its state, the
        appointment started); an appointment that has started and is not
        recorded yet must be told when the porteur is reached."""
        result = []
        if not isinstance(appointments, (list, tuple)) or not all(
            isinstance(item, dict) for item in appointments
        ):
            errors.append(
                self.env._(
                    "The appointments must be a list of "
                    '{"referral_id": id, "appointment": "kept" or "not_kept"}.'
                )
            )
            return result
        if appointments and not reached:
            errors.append(
                self.env._(
                    "Whether an appointment was kept is recorded when the porteur "
                    "is reached."
                )
            )
            return result
        referrals = self._jecree_open_callback_referrals()
        for item in appointments:
            referral_id = item.get("referral_id")
            referral = referrals.filtered(lambda ref, rid=referral_id: ref.id == rid)
            appointment = item.get("appointment")
            if not referral or isinstance(referral_id, bool):
                errors.append(
                    self.env._(
                        "The referral %(referral)s is not one of %(porteur)s's "
                        "referrals under way.",
                        referral=str(referral_id)[:20],
                        porteur=self.display_name,
                    )
                )
                continue
            if appointment not in APPOINTMENT_ACTIONS:
                errors.append(
                    self.env._(
                        "Say whether the appointment of referral %s was kept.",
                        referral.name,
                    )
                )
                continue
            if referral in [done for done, __ in result]:
                errors.append(
                    self.env._(
                        "The referral %s is given twice.",
                        referral.name,
                    )
                )
                continue
            try:
                referral._check_move(
                    "honore" if appointment == "kept" else "non_honore"
                )
                referral._check_appointment_started()
            except UserError as error:
                errors.append(error.args[0])
                continue
            result.append((referral, appointment))
        if reached:
            told = {referral for referral, __ in result}
            for referral in referrals:
                if (
                    referral.state == "rdv_fixe"
                    and referral.appointment_started
                    and referral not in told
                ):
                    errors.append(
                        self.env._(
                            "Say whether the appointment with %(structure)s "
                            "(referral %(referral)s) was kept.",
                            structure=referral.antenna_id.display_name,
                            referral=referral.name,
                        )
                    )
        return result

    def _jecree_callback_call_values(self, values, outcome, attempt):
        reached = outcome == "reached"
        return {
            "name": self.env._(
                "J+8 call-back – %(porteur)s (attempt %(attempt)s)",
                porteur=self.contact_name or self.name,
                attempt=attempt,
            ),
            "direction": "out",
            "date": fields.Datetime.now(),
            "duration": values["duration"],
            "nature": "autre",
            "qualification": USEFUL_QUALIFICATION if reached else False,
            "opportunity_id": self.id,
            "partner_phone": self.phone,
            "user_id": self.env.user.id,
            "team_id": self.team_id.id or self.env.company.jecree_team_id.id,
            "state": "done",
            "callback_attempt": attempt,
            "callback_outcome": outcome,
            "next_step": values["next_step"] if reached else False,
            "description": values["notes"],
        }

    def _jecree_schedule_callback_retry(self, attempt, agent):
        """The next attempt, on the next opening day after today."""
        self.ensure_one()
        calendar = self.env.company.jecree_calendar_id
        tomorrow = fields.Date.context_today(self) + timedelta(days=1)
        day = calendar._jecree_next_opening_day(tomorrow)
        agent = agent or self.env.user
        return self._jecree_create_callback_activities(
            [(self.id, agent, day)],
            summary=self.with_context(lang=agent.lang).env._(
                "J+8 call-back (attempt %(attempt)s of %(max)s)",
                attempt=attempt,
                max=MAX_ATTEMPTS,
            ),
        )

    def _jecree_first_useful_call(self):
        """The porteur's first useful call (a call-back is not one)."""
        self.ensure_one()
        return self.env["crm.phonecall"].search(
            [
                ("opportunity_id", "=", self.id),
                ("qualification", "=", USEFUL_QUALIFICATION),
                ("callback_outcome", "=", False),
            ],
            order="date, id",
            limit=1,
        )

    def _jecree_launch_followup_plan(self):
        """The later steps (J+30, J+90…) of the company's activity plan, counted
        from the porteur's first useful call (not from a late call-back), each on
        the next opening day."""
        self.ensure_one()
        plan = self.env.company.jecree_followup_plan_id
        if not plan:
            return self.env["mail.activity"]
        calendar = self.env.company.jecree_calendar_id
        first_call = self._jecree_first_useful_call()
        plan_date = (
            calendar._jecree_local_date(first_call.date)
            if first_call.date
            else fields.Date.context_today(self)
        )
        activities = self.env["mail.activity"]
        for template in plan.template_ids:
            responsible = template._determine_responsible(self.env.user, self)[
                "responsible"
            ]
            day = calendar._jecree_next_opening_day(
                template._get_date_deadline(plan_date)
            )
            activities |= self.activity_schedule(
                activity_type_id=template.activity_type_id.id,
                summary=template.summary,
                note=template.note,
                user_id=(responsible or self.env.user).id,
                date_deadline=day,
            )
        return activities

    @api.model
    def _jecree_callback_day(self, call_day):
        """The J+8 call-back's day for a call on `call_day`, before it is moved to
        an opening day: the delay managers set on the "J+8 call-back" activity
        type, by Odoo's own computation (`mail.activity.type._get_date_deadline`),
        the call being the activity before."""
        return (
            self._jecree_callback_type()
            .with_context(activity_previous_deadline=fields.Date.to_string(call_day))
            ._get_date_deadline()
        )

    def _jecree_schedule_callbacks(self):
        """Schedule the J+8 call-back of the porteurs that have none yet.

        The activity is due the delay of the "J+8 call-back" activity type (eight
        days) after the porteur's first useful call, moved to the next opening day
        of the call center, and assigned to the agent who
        took the call or, when that agent is away, to the team member with the
        fewest call-backs due that day. The marker `callback_scheduled` is set by
        one UPDATE in the same transaction, so that a porteur never gets two."""
        leads = self.filtered(
            lambda lead: lead.is_porteur and not lead.callback_scheduled
        )
        if not leads:
            return self.env["mail.activity"]
        cr = self.env.cr
        self.env["crm.phonecall"].flush_model(
            ["opportunity_id", "qualification", "date", "active"]
        )
        leads.flush_recordset(["callback_scheduled", "callback_state"])
        # the first useful call of each porteur, and the marker, in one statement
        cr.execute(
            SQL(
                """
            UPDATE crm_lead lead
               SET callback_scheduled = TRUE,
                   callback_state = 'planned',
                   callback_attempt_count = 0
              FROM (
                    SELECT DISTINCT ON (opportunity_id) opportunity_id, id
                      FROM crm_phonecall
                     WHERE opportunity_id IN %s AND qualification = %s
                       AND active
                  ORDER BY opportunity_id, date, id
                   ) first_call
             WHERE lead.id = first_call.opportunity_id
               AND lead.callback_scheduled IS NOT TRUE
         RETURNING lead.id, first_call.id
                """,
                tuple(leads.ids),
                USEFUL_QUALIFICATION,
            )
        )
        first_calls = dict(cr.fetchall())
        leads.invalidate_recordset(
            ["callback_scheduled", "callback_state", "callback_attempt_count"]
        )
        if not first_calls:
            return self.env["mail.activity"]
        marked = sorted(first_calls)
        calls = self.env["crm.phonecall"].browse(first_calls[i] for i in marked)
        calendar = self.env.company.jecree_calendar_id
        plans = []  # (lead id, agent, day)
        for call in calls:
            day = self._jecree_callback_day(calendar._jecree_local_date(call.date))
            plans.append((call.opportunity_id.id, call.user_id, day))
        opening = calendar._jecree_opening_days({day for __, __, day in plans})
        plans = [(lead_id, agent, opening[day]) for lead_id, agent, day in plans]
        return self._jecree_create_callback_activities(plans)

    @api.model
    def _jecree_create_callback_activities(self, plans, summary=None):
        """Create the call-back activities of `plans` [(lead id, agent, day)]."""
        activity_type = self._jecree_callback_type()
        assignees = self._jecree_callback_assignees(plans)
        model_id = self.env["ir.model"]._get_id("crm.lead")
        # the porteur's name given, not left to mail.activity's compute: it is not
        # precomputed, and would cost an UPDATE per activity at the next flush
        names = {
            lead.id: lead.display_name
            for lead in self.browse(plan[0] for plan in plans).sudo()
        }
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": lead_id,
                "res_name": names[lead_id],
                "activity_type_id": activity_type.id,
                # the title in the agent's language: it is stored as it is
                "summary": summary
                or activity_type.with_context(lang=assignee.lang).summary
                or activity_type.with_context(lang=assignee.lang).name,
                "user_id": assignee.id,
                "date_deadline": day,
                "automated": True,
            }
            for (lead_id, __, day), assignee in zip(plans, assignees, strict=True)
        ]
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
            .sudo(False)
        )

    @api.model
    def _jecree_request_assignee(self, day):
        """A web call-back request goes, as a J+8 call-back without its agent, to
        the member of the call center's team with the fewest call-backs due that
        day among those who are not away."""
        assignee = self._jecree_callback_assignees(
            [(False, self.env["res.users"], day)]
        )
        if assignee and assignee[0] and not assignee[0].share:
            return assignee[0]
        return super()._jecree_request_assignee(day)

    @api.model
    def _jecree_callback_assignees(self, plans):
        """The user of each plan: its agent, or the least loaded available member."""
        team = self.env.company.jecree_team_id
        members = team.member_ids.filtered("active")
        agents = self.env["res.users"].union(*(agent for __, agent, __ in plans))
        days = {day for __, __, day in plans}
        away = self._jecree_users_away(agents | members, min(days), max(days))
        load = defaultdict(int)  # (user id, day) -> call-backs due
        if members:
            groups = (
                self.env["mail.activity"]
                .sudo()
                ._read_group(
                    [
                        ("activity_type_id", "=", self._jecree_callback_type().id),
                        ("user_id", "in", members.ids),
                        ("date_deadline", ">=", min(days)),
                        ("date_deadline", "<=", max(days)),
                    ],
                    ["user_id", "date_deadline:day"],
                    ["__count"],
                )
            )
            for user, day, count in groups:
                load[user.id, fields.Date.to_date(day)] = count
        result = []
        for __, agent, day in plans:
            assignee = agent
            if not agent or not agent.active or day in away[agent.id]:
                available = members.filtered(lambda user, d=day: d not in away[user.id])
                if available:
                    assignee = min(
                        available, key=lambda user, d=day: (load[user.id, d], user.id)
                    )
                elif not (agent and agent.active):
                    assignee = team.user_id or self.env.user
            load[assignee.id, day] += 1
            result.append(assignee)
        return result

    @api.model
    def _jecree_users_away(self, users, day_from, day_to):
        """{user id: days of [day_from, day_to] covered by a leave of the user}."""
        away = defaultdict(set)
        resources = users.resource_ids
        if not resources:
            return away
        calendar = self.env.company.jecree_calendar_id
        date_from, date_to = calendar._jecree_day_bounds(day_from, day_to)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "in", resources.ids),
                    ("time_type", "=", "leave"),
                    ("date_from", "<", date_to),
                    ("date_to", ">", date_from),
                ]
            )
        )
        for leave in leaves:
            first = max(calendar._jecree_local_date(leave.date_from), day_from)
            last = min(calendar._jecree_local_date(leave.date_to), day_to)
            user_id = leave.resource_id.user_id.id
            while first <= last:
                away[user_id].add(first)
                first += timedelta(days=1)
        return away

    @api.model
    def _cron_jecree_schedule_callbacks(self, batch_size=CRON_BATCH):
        """Schedule the J+8 call-backs missing for calls imported without the ORM.

        Idempotent, in batches committed one by one; two workers at the same time
        take different leads (rows locked FOR UPDATE SKIP LOCKED) and the marker is
        set in the same transaction as the activities."""
        cr = self.env.cr
        self.env["crm.phonecall"].flush_model(["opportunity_id", "qualification"])
        self.flush_model(["is_porteur", "callback_scheduled", "active"])
        cr.execute(
            SQL(
                """
            SELECT lead.id
              FROM crm_lead lead
             WHERE lead.is_porteur AND lead.active
               AND lead.callback_scheduled IS NOT TRUE
               AND EXISTS (
                   SELECT 1 FROM crm_phonecall call
                    WHERE call.opportunity_id = lead.id
                      AND call.qualification = %s AND call.active)
          ORDER BY lead.id
                """,
                USEFUL_QUALIFICATION,
            )
        )
        todo = [row[0] for row in cr.fetchall()]
        ir_cron = self.env["ir.cron"]
        ir_cron._commit_progress(remaining=len(todo))
        done = 0
        for start in range(0, len(todo), batch_size):
            batch = self.browse(todo[start : start + batch_size])
            locked = batch._jecree_lock_cron_batch()
            activities = locked._jecree_schedule_callbacks()
            done += len(activities)
            if not ir_cron._commit_progress(len(batch)):
                break
        _logger.info("J+8 call-backs scheduled by the cron: %s", done)
        return done

    def _jecree_lock_cron_batch(self):
        """Lock the leads of a cron batch that no other transaction holds; the
        others are left to the transaction that holds them. Called before the
        batch's transaction writes anything (see `try_lock_batch`: a lead an
        agent saves at that moment must not make the cron fail)."""
        return try_lock_batch(lambda: self, allow_referencing=True)

    # ------------------------------------------------------------------ SIRENE
    def _jecree_set_created(self, establishment):
        """The porteur created `establishment` (a confirmed SIRENE match): they
        are started, with its SIRET and creation date."""
        self.ensure_one()
        values = {
            "jecree_siret": establishment.siret,
            "jecree_creation_date": establishment.creation_date,
            "maturity": "demarre",
        }
        if not self.started_date:
            values["started_date"] = establishment.creation_date
        self.write(values)
        self.message_post(
            body=self.env._(
                "Business created: SIRET %(siret)s, created on %(date)s "
                "(SIRENE, confirmed by %(user)s).",
                siret=establishment.siret,
                date=establishment.creation_date,
                user=self.env.user.name,
            )
        )
