# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from odoo.addons.jecree_project.models.crm_phonecall import USEFUL_QUALIFICATION
from odoo.addons.jecree_project.tools import cached_ref
from odoo.addons.jecree_project.tools.locking import select_skip_locked

_logger = logging.getLogger(__name__)

CALLBACK_DELAY = 8  # days after the first useful call
CRON_BATCH = 1000
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

    _callback_todo_idx = models.Index(
        "(id) WHERE is_porteur AND callback_scheduled IS NOT TRUE"
    )

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

    def action_jecree_send_brochure(self):
        """Send the porteur's brochure, once (the button says when it went out)."""
        sendings = self._jecree_send_brochure()
        return self._jecree_brochure_notification(sendings)

    def action_jecree_resend_brochure(self):
        """The agent asks explicitly: send the brochure again."""
        sendings = self._jecree_send_brochure(force=True)
        return self._jecree_brochure_notification(sendings)

    def _jecree_brochure_notification(self, sendings):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "Brochure sent to %s.", ", ".join(sendings.mapped("email"))
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

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
        agent's way: the call is saved even when the PDF cannot be rendered, and
        the failure shows on the sending, with Retry."""
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
            sending = sendings.create(
                {
                    "lead_id": lead.id,
                    "brochure_id": brochure.id,
                    "email": lead.email_from,
                    "queued": queue,
                }
            )
            if not queue:
                sending._jecree_prepare_mail()
            sendings |= sending
        if queue and sendings:
            sendings._jecree_trigger_preparation()
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
            ],
            order="date_deadline",
            limit=1,
        )

    def _jecree_schedule_callbacks(self):
        """Schedule the J+8 call-back of the porteurs that have none yet.

        The activity is due eight days after the porteur's first useful call, moved
        to the next opening day of the call center, and assigned to the agent who
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
            """
            UPDATE crm_lead lead
               SET callback_scheduled = TRUE,
                   callback_state = 'planned',
                   callback_attempt_count = 0
              FROM (
                    SELECT DISTINCT ON (opportunity_id) opportunity_id, id
                      FROM crm_phonecall
                     WHERE opportunity_id IN %s AND qualification = 'utile'
                       AND active
                  ORDER BY opportunity_id, date, id
                   ) first_call
             WHERE lead.id = first_call.opportunity_id
               AND lead.callback_scheduled IS NOT TRUE
         RETURNING lead.id, first_call.id
            """,
            [tuple(leads.ids)],
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
            day = calendar._jecree_local_date(call.date) + timedelta(CALLBACK_DELAY)
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
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": lead_id,
                "activity_type_id": activity_type.id,
                "summary": summary or activity_type.summary or activity_type.name,
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
            """
            SELECT lead.id
              FROM crm_lead lead
             WHERE lead.is_porteur AND lead.active
               AND lead.callback_scheduled IS NOT TRUE
               AND EXISTS (
                   SELECT 1 FROM crm_phonecall call
                    WHERE call.opportunity_id = lead.id
                      AND call.qualification = 'utile' AND call.active)
          ORDER BY lead.id
            """
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
        batch's transaction writes anything (see `select_skip_locked`: a lead an
        agent saves at that moment must not make the cron fail)."""
        rows = select_skip_locked(
            self.env.cr,
            SQL(
                "SELECT id FROM crm_lead WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
                tuple(self.ids),
            ),
        )
        locked = {row[0] for row in rows}
        return self.browse(lead_id for lead_id in self.ids if lead_id in locked)
