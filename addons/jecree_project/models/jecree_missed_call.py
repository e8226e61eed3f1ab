# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.locking import insert_or_lock


class JecreeMissedCall(models.Model):
    """A number that called and was not answered, one per number and local day
    (the "Appels manqués" queue): how many times it rang, due at the next opening
    hour of the call center after its first ring. It is settled when a call with
    that number is logged (an agent called back, or the person called again and
    was answered)."""

    _name = "jecree.missed.call"
    _description = "Missed call"
    _order = "state, due_date, id"
    _rec_name = "phone"

    company_id = fields.Many2one("res.company", required=True, index=True)
    phone = fields.Char(required=True, readonly=True)
    day = fields.Date(required=True, readonly=True)
    call_ids = fields.One2many(
        "jecree.telephony.call", "missed_call_id", string="Calls", readonly=True
    )
    attempts = fields.Integer(compute="_compute_calls", store=True)
    first_date = fields.Datetime(
        string="First call", compute="_compute_calls", store=True
    )
    last_date = fields.Datetime(
        string="Last call", compute="_compute_calls", store=True
    )
    due_date = fields.Datetime(
        string="Call back from",
        compute="_compute_due_date",
        store=True,
        index=True,
        help="The first opening hour of the call center after the first call.",
    )
    state = fields.Selection(
        [("open", "To call back"), ("done", "Called back")],
        default="open",
        required=True,
        index=True,
    )
    phonecall_id = fields.Many2one(
        "crm.phonecall", string="Call-back", readonly=True, ondelete="set null"
    )
    lead_ids = fields.Many2many(
        "crm.lead", string="Known callers", compute="_compute_lead_ids"
    )

    _jecree_one_per_day = models.UniqueIndex(
        "(company_id, phone, day)", "This number already has a missed call this day."
    )

    @api.depends("call_ids.ring_date", "call_ids.end_date")
    def _compute_calls(self):
        for missed in self:
            dates = [
                call.ring_date or call.end_date
                for call in missed.call_ids
                if call.ring_date or call.end_date
            ]
            missed.attempts = len(missed.call_ids)
            missed.first_date = min(dates, default=False)
            missed.last_date = max(dates, default=False)

    @api.depends("first_date", "company_id")
    def _compute_due_date(self):
        for missed in self:
            calendar = missed.company_id.jecree_calendar_id
            missed.due_date = missed.first_date and calendar._jecree_next_opening(
                missed.first_date
            )

    def _compute_lead_ids(self):
        Lead = self.env["crm.lead"]
        for missed in self:
            missed.lead_ids = Lead._jecree_find_callers(missed.phone, exact=True)

    # ------------------------------------------------------------------ actions
    def action_jecree_call_back(self):
        """Rappeler: the phone system dials the number (click-to-dial, a tel: link
        without one) and the "Nouvel appel" screen opens, filled with the number
        and the porteur when the number is one porteur's; saving it settles the
        missed call."""
        self.ensure_one()
        return self.env["jecree.phone.common"]._jecree_dial_action(self.phone)

    # ------------------------------------------------------------------ business
    @api.model
    def _jecree_add_call(self, call):
        """Count the unanswered `call` in its number's missed call of the day
        (created at its first one; two calls at once wait for each other)."""
        company = call.company_id
        moment = call.ring_date or call.end_date
        day = pytz.utc.localize(moment).astimezone(company._jecree_tz()).date()
        missed = insert_or_lock(
            self,
            {"company_id": company.id, "phone": call.phone, "day": day},
            {"state": "open", "attempts": 0},
        )
        call.missed_call_id = missed
        if (
            missed.state == "done"
            and missed.phonecall_id.date
            and (missed.phonecall_id.date < moment)
        ):
            # called again after the call-back: to call back again
            missed.write({"state": "open", "phonecall_id": False})
        return missed

    @api.model
    def _jecree_remove_call(self, call):
        """`call` was answered after all (its answer came after its hang-up): it
        is no missed call; a missed call left without calls goes."""
        missed = call.missed_call_id
        call.missed_call_id = False
        if not missed.call_ids:
            missed.unlink()

    @api.model
    def _jecree_settle(self, phonecall):
        """A call with this number was logged: its open missed calls are settled."""
        phone = phonecall.partner_phone and self.env["crm.lead"]._jecree_format_phone(
            phonecall.partner_phone
        )
        if not phone:
            return self.browse()
        # asked at every call logged, and almost always answered "none": one plain
        # query on the (company, phone, day) index, the ORM only for what it finds
        self.flush_model(["phone", "state", "company_id", "first_date"])
        self.env.cr.execute(
            SQL(
                """
            SELECT id FROM jecree_missed_call
             WHERE phone = %s AND state = 'open' AND company_id = %s
               AND first_date <= %s
                """,
                phone,
                self.env.company.id,
                phonecall.date + timedelta(minutes=1),
            )
        )
        missed = self.sudo().browse(row[0] for row in self.env.cr.fetchall())
        missed.write({"state": "done", "phonecall_id": phonecall.id})
        return missed
