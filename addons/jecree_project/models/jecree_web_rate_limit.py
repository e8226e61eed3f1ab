# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

#: windows kept this long (then removed by the autovacuum)
KEEP_DAYS = 2


class JecreeWebRateLimit(models.Model):
    """How many posts an address sent to a public form in a window of time.

    One row per (form, address, window), counted up by one INSERT … ON CONFLICT
    statement: two workers serving the same address at once both count. The
    address is stored as a keyed hash (HMAC with the database secret), never as
    it is."""

    _name = "jecree.web.rate.limit"
    _description = "Public form posts per address"
    _log_access = False

    scope = fields.Char(required=True, readonly=True)
    key = fields.Char(required=True, readonly=True, help="Keyed hash of the address.")
    window_start = fields.Datetime(required=True, readonly=True)
    count = fields.Integer(readonly=True)

    _scope_key_window_uniq = models.UniqueIndex("(scope, key, window_start)")

    @api.model
    def _jecree_address_key(self, address):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(
            (secret or "").encode(), (address or "").encode(), hashlib.sha256
        ).hexdigest()

    @api.model
    def _jecree_hit(self, scope, address, limit, window_minutes=60):
        """Count one post of `address` to the form `scope`; False when the address
        has posted more than `limit` times in the current window."""
        now = fields.Datetime.now()
        window = now.replace(second=0, microsecond=0) - timedelta(
            minutes=(now.hour * 60 + now.minute) % window_minutes
        )
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO jecree_web_rate_limit (scope, key, window_start, count)
                 VALUES (%s, %s, %s, 1)
            ON CONFLICT (scope, key, window_start)
              DO UPDATE SET count = jecree_web_rate_limit.count + 1
              RETURNING count
                """,
                scope,
                self._jecree_address_key(address),
                window,
            )
        )
        return self.env.cr.fetchone()[0] <= limit

    @api.autovacuum
    def _gc_jecree_windows(self):
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.env.cr.execute(
            SQL("DELETE FROM jecree_web_rate_limit WHERE window_start < %s", limit)
        )
