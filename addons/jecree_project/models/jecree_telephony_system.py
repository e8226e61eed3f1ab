# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import secrets

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError

TOKEN_BYTES = 32
#: the hash of no token: compared when no phone system has one, so that a
#: request costs the same time whatever the database holds
_NO_HASH = hashlib.sha256(b"").hexdigest()


class JecreeTelephonySystem(models.Model):
    """A phone system (an on-site Asterisk/FreePBX or a cloud PBX) allowed to send
    its call events to ``/jecree/telephony/event``. It authenticates with a token
    of its own: only its SHA-256 is stored (the token is 256 random bits, so a
    plain hash is enough: nothing to guess from it), compared in constant time."""

    _name = "jecree.telephony.system"
    _description = "Phone system"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    token_hash = fields.Char(copy=False, groups="base.group_system")
    token_date = fields.Datetime(string="Token generated on", readonly=True, copy=False)
    has_token = fields.Boolean(compute="_compute_has_token")
    last_event_date = fields.Datetime(
        string="Last event", compute="_compute_last_event_date"
    )

    @api.depends("token_date")
    def _compute_has_token(self):
        for system in self:
            system.has_token = bool(system.token_date)

    def _compute_last_event_date(self):
        """Read from the event log (not written at each event: every event of
        every call would update this one row, and wait for each other)."""
        groups = dict(
            self.env["jecree.telephony.event"]
            .sudo()
            ._read_group(
                [("system_id", "in", self.ids)],
                ["system_id"],
                ["create_date:max"],
            )
        )
        for system in self:
            system.last_event_date = groups.get(system, False)

    @api.model_create_multi
    def create(self, vals_list):
        systems = super().create(vals_list)
        self.env.registry.clear_cache()  # _jecree_token_hashes
        return systems

    def write(self, vals):
        result = super().write(vals)
        if {"token_hash", "active", "company_id"} & set(vals):
            self.env.registry.clear_cache()  # _jecree_token_hashes
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _jecree_token_hashes
        return result

    # ------------------------------------------------------------------ actions
    def action_jecree_rotate_token(self):
        """A new token for the phone system (the former one stops working at once),
        shown once to the manager: only its hash is kept."""
        self.ensure_one()
        if not self.env.user.has_group("jecree_project.group_jecree_manager"):
            raise AccessError(
                self.env._(
                    "Only call-center managers can change a phone system's token."
                )
            )
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.sudo().write(
            {
                "token_hash": self._jecree_hash(token),
                "token_date": fields.Datetime.now(),
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("New token of %s", self.name),
                "message": self.env._(
                    "Copy it into the phone system now: it will not be shown again. %s",
                    token,
                ),
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------ business
    @api.model
    def _jecree_hash(self, token):
        return hashlib.sha256(token.encode()).hexdigest()

    @api.model
    def _jecree_authenticate(self, token):
        """The active phone system whose token is `token` (none if no system's).

        Every system's hash is compared, in constant time, whatever matches: the
        answer's time does not tell how much of a token was right."""
        hashes = self._jecree_token_hashes()
        given = self._jecree_hash(token) if isinstance(token, str) and token else ""
        found = ()
        for system_id, token_hash, __ in hashes:
            if hmac.compare_digest(given or _NO_HASH, token_hash) and given:
                found = (system_id,)
        if not hashes:
            hmac.compare_digest(given or _NO_HASH, _NO_HASH)
        return self.browse(found)

    def _jecree_company_id(self):
        """The company of this authenticated phone system, without a query."""
        self.ensure_one()
        return next(
            company_id
            for system_id, __, company_id in self._jecree_token_hashes()
            if system_id == self.id
        )

    @api.model
    @tools.ormcache()
    def _jecree_token_hashes(self):
        """``((system id, token hash, company id), ...)`` of the active phone
        systems that have a token: read at every event, so cached; cleared when a
        token is replaced, a phone system archived, moved to another company,
        created or deleted."""
        systems = self.sudo().search_fetch(
            [("token_hash", "!=", False)], ["token_hash", "company_id"]
        )
        return tuple(
            (system.id, system.token_hash, system.company_id.id) for system in systems
        )
