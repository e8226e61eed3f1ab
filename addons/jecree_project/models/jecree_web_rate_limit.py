# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

#: windows kept this long (then removed by the autovacuum)
KEEP_DAYS = 2
#: the public call-back form's defaults (Settings > CRM > Je crée): posts accepted
#: from one address per hour, good or bad ones, then HTTP 429; the largest body
FORM_RATE_LIMIT = 10
FORM_MAX_KB = 32


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

    @api.model
    def _jecree_form_limits(self):
        """(posts per address per hour, largest body in bytes) of the public
        call-back form: the settings, or the defaults when they are unset or not a
        positive number (a wrong value never opens the form to floods)."""
        get_param = self.env["ir.config_parameter"].sudo().get_param

        def positive(key, default):
            try:
                value = int(get_param(key) or default)
            except ValueError:
                return default
            return value if value > 0 else default

        return (
            positive("jecree_project.web_form_rate_limit", FORM_RATE_LIMIT),
            positive("jecree_project.web_form_max_kb", FORM_MAX_KB) * 1024,
        )

    @api.autovacuum
    def _gc_jecree_windows(self):
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.env.cr.execute(
            SQL("DELETE FROM jecree_web_rate_limit WHERE window_start < %s", limit)
        )
