# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL

EVENTS = [("ringing", "Ringing"), ("answered", "Answered"), ("hangup", "Hung up")]


class JecreeTelephonyEvent(models.Model):
    """The log of the events a phone system sent: one row per call and event, so
    that an event sent twice is applied once (the unique index decides, also
    between two requests at the same time). No phone number is kept here."""

    _name = "jecree.telephony.event"
    _description = "Phone system event"
    _order = "id desc"

    system_id = fields.Many2one(
        "jecree.telephony.system", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="system_id.company_id", store=True)
    call_ref = fields.Char(string="Call id", required=True)
    event = fields.Selection(EVENTS, required=True)
    event_date = fields.Datetime(string="Time", required=True)
    call_id = fields.Many2one("jecree.telephony.call", ondelete="cascade", index=True)

    _jecree_once_per_call = models.UniqueIndex(
        "(system_id, call_ref, event)",
        "This event of this call is already logged.",
    )

    @api.model
    def _jecree_log_once(self, call, event, event_date):
        """Log the event of `call`; False when it was already logged (a replay)."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO jecree_telephony_event
                    (system_id, company_id, call_ref, call_id, event, event_date,
                     create_uid, create_date, write_uid, write_date)
                VALUES (%(system)s, %(company)s, %(ref)s, %(call)s, %(event)s,
                        %(date)s, %(uid)s, now() at time zone 'UTC', %(uid)s,
                        now() at time zone 'UTC')
                ON CONFLICT DO NOTHING
                RETURNING id
                """,
                system=call.system_id.id,
                company=call.company_id.id,
                ref=call.call_ref,
                call=call.id,
                event=event,
                date=event_date,
                uid=self.env.uid,
            )
        )
        return self.browse(rows[0][0]) if rows else False
