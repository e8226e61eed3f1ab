# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import logging
import re
import secrets

import phonenumbers
import requests

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.asterisk_ami import (
    AmiActionRefused,
    AmiLoginRefused,
    AmiUnreachable,
    ami_originate,
)

_logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
#: what an AMI or ARI value may hold (it goes into a protocol header or a URL)
_CHANNEL_TECH = re.compile(r"[A-Za-z0-9]{1,16}")
_DIAL_CONTEXT = re.compile(r"[A-Za-z0-9_.-]{1,80}")
_PRINTABLE = re.compile(r"[\x21-\x7e]{1,128}")  # ASCII, no blank, no line break
_HOST = re.compile(r"[A-Za-z0-9.:\[\]-]{1,253}")

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

    # Click-to-dial through Asterisk (Settings > "Originate through": AMI or ARI).
    # Names and defaults follow OCA asterisk_click2dial's asterisk.server.
    asterisk_host = fields.Char(
        string="Asterisk IP address or DNS",
        help="The Asterisk server that rings the agent's extension then the number "
        "(AMI: the Asterisk Manager Interface of this server).",
    )
    ami_port = fields.Integer(
        string="AMI port",
        default=5038,
        help="TCP port of the Asterisk Manager Interface (manager.conf, "
        "[general] port).",
    )
    ari_url = fields.Char(
        string="ARI URL",
        help="Base URL of the Asterisk REST Interface (http.conf), without /ari: "
        "for example http://pbx.example.org:8088.",
    )
    asterisk_login = fields.Char(
        string="AMI or ARI login",
        copy=False,
        help="The user of manager.conf (AMI, with the originate permission) or of "
        "ari.conf (ARI). Only one active phone system per company has one: "
        "click-to-dial uses it.",
    )
    asterisk_password = fields.Char(
        string="AMI or ARI password",
        copy=False,
        groups="jecree_project.group_jecree_manager",
        help="The secret of the AMI user (manager.conf) or the password of the ARI "
        "user (ari.conf). Readable by the call center's managers only.",
    )
    channel_tech = fields.Char(
        string="Channel type",
        default="PJSIP",
        help="The channel technology of the agents' phones, as in Dial(PJSIP/201): "
        "PJSIP, SIP, IAX2...",
    )
    dial_context = fields.Char(
        string="Dialplan context",
        default="from-internal",
        help="The dialplan context the number is dialled from (FreePBX: "
        "from-internal).",
    )
    out_prefix = fields.Char(
        string="Out prefix",
        help="Digits dialled before the number to get an outside line (for example "
        "0 or 9); empty if none. The number is dialled in the national format "
        "(0321445566), a foreign number with 00.",
    )

    _jecree_one_asterisk_per_company = models.UniqueIndex(
        "(company_id) WHERE active AND asterisk_login IS NOT NULL",
        "Only one active phone system per company can have an AMI or ARI login: "
        "click-to-dial goes through it.",
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

    @api.constrains(
        "asterisk_host",
        "ami_port",
        "ari_url",
        "asterisk_login",
        "asterisk_password",
        "channel_tech",
        "dial_context",
        "out_prefix",
    )
    def _check_asterisk_connection(self):
        """What goes into an AMI header or the ARI URL: no blank, no line break."""
        for system in self.sudo():
            errors = []
            if system.asterisk_host and not _HOST.fullmatch(system.asterisk_host):
                errors.append(self.env._("the Asterisk address is not a host name"))
            if not 1 <= system.ami_port <= 65535:
                errors.append(self.env._("the AMI port must be between 1 and 65535"))
            if system.ari_url and not re.fullmatch(
                r"https?://[^\s/?#@]+(/[^\s?#@]*)?", system.ari_url
            ):
                # no user:password@ in it: the password has its own field (and
                # the URL is logged when the server does not answer)
                errors.append(
                    self.env._(
                        "the ARI URL must start with http:// or https:// and hold no "
                        "login"
                    )
                )
            if system.asterisk_login and not _PRINTABLE.fullmatch(
                system.asterisk_login
            ):
                errors.append(
                    self.env._("the login must be ASCII characters without blanks")
                )
            if system.asterisk_password and not _PRINTABLE.fullmatch(
                system.asterisk_password
            ):
                errors.append(
                    self.env._("the password must be ASCII characters without blanks")
                )
            if system.channel_tech and not _CHANNEL_TECH.fullmatch(system.channel_tech):
                errors.append(
                    self.env._("the channel type must be letters and digits (PJSIP)")
                )
            if system.dial_context and not _DIAL_CONTEXT.fullmatch(system.dial_context):
                errors.append(
                    self.env._(
                        "the dialplan context must be letters, digits, - or _ "
                        "(from-internal)"
                    )
                )
            if system.out_prefix and not re.fullmatch(r"[0-9]{1,4}", system.out_prefix):
                errors.append(
                    self.env._("the out prefix must be at most 4 digits (0 or 9)")
                )
            if errors:
                raise ValidationError(
                    self.env._(
                        "Phone system %(name)s: %(errors)s.",
                        name=system.name,
                        errors="; ".join(errors),
                    )
                )

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

    # ------------------------------------------------------------------ click-to-dial
    @api.model
    def _jecree_dial_system(self):
        """The phone system that rings the current agent's extension: the active
        one of the current company with an AMI or ARI login (one at most, by
        ``_jecree_one_asterisk_per_company``). Read as superuser: agents do not
        read phone systems (their secret least of all)."""
        system = self.sudo().search(
            [
                ("company_id", "=", self.env.company.id),
                ("asterisk_login", "!=", False),
            ],
            limit=1,
        )
        if not system:
            raise UserError(
                self.env._(
                    "No phone system of %s has an AMI or ARI login: the call was "
                    "not made. A manager sets it in CRM > Configuration > Je crée "
                    "> Phone systems.",
                    self.env.company.name,
                )
            )
        return system

    def _jecree_dial_number(self, number):
        """`number` (E.164) as the phone system dials it, as OCA
        ``convert_to_dial_number`` does: the national format for a French number
        (0321445566), 00 and the country code for a foreign one, digits only,
        after the out prefix.

        :return: (number to dial, the same number to read: ``03 21 44 55 66``)"""
        self.ensure_one()
        country, __ = self.env["crm.lead"]._jecree_phone_country()
        readable = phonenumbers.format_out_of_country_calling_number(
            phonenumbers.parse(number, None), country.upper()
        )
        digits = "".join(filter(str.isdigit, readable))
        return (self.out_prefix or "") + digits, readable

    def _jecree_originate(self, way, extension, number, timeout):
        """Ring `extension` (the agent's phone) then `number` (E.164), through
        the Asterisk Manager Interface (`way` ``ami``) or the Asterisk REST
        Interface (``ari``). Errors are UserErrors saying the call was not made;
        they are logged at INFO, without the secret.

        :return: the number as the phone system dialled it"""
        self.ensure_one()
        system = self.sudo()
        dialled, readable = system._jecree_dial_number(number)
        channel = f"{system.channel_tech or 'PJSIP'}/{extension}"
        context = system.dial_context or "from-internal"
        # the agent's phone shows the number it is calling; the number part is
        # the extension, which tells the dialplan who calls (FreePBX: the
        # extension's outbound caller ID, its outbound routes)
        caller_id = f'"{readable}" <{extension}>'
        originate = {
            "ami": system._jecree_originate_ami,
            "ari": system._jecree_originate_ari,
        }[way]
        originate(channel, dialled, context, caller_id, timeout)
        return dialled

    def _jecree_check_asterisk_settings(self, *required):
        if not all(self[fname] for fname in required):
            raise UserError(
                self.env._(
                    "The phone system %s lacks its address, login or password for "
                    "click-to-dial: the call was not made. A manager completes it in "
                    "CRM > Configuration > Je crée > Phone systems.",
                    self.name,
                )
            )

    def _jecree_originate_ami(self, channel, dialled, context, caller_id, timeout):
        self._jecree_check_asterisk_settings(
            "asterisk_host", "asterisk_login", "asterisk_password"
        )
        where = f"{self.asterisk_host}:{self.ami_port}"
        try:
            ami_originate(
                self.asterisk_host,
                self.ami_port,
                self.asterisk_login,
                self.asterisk_password,
                {
                    "Channel": channel,
                    "Exten": dialled,
                    "Context": context,
                    "Priority": 1,
                    "CallerID": caller_id,
                    "Async": "true",
                },
                timeout,
            )
        except AmiUnreachable as error:
            _logger.info("click-to-dial: AMI %s did not answer: %s", where, error)
            raise UserError(self._jecree_unreachable_message()) from None
        except AmiLoginRefused as error:
            _logger.info(
                "click-to-dial: AMI %s refused the login of %s: %s",
                where,
                self.asterisk_login,
                error,
            )
            raise UserError(self._jecree_login_refused_message()) from None
        except AmiActionRefused as error:
            _logger.info(
                "click-to-dial: AMI %s refused to originate %s: %s",
                where,
                channel,
                error,
            )
            raise UserError(
                self.env._(
                    "The phone system refused the call (%s): the call was not "
                    "made. Check your extension, or dial the number on your phone.",
                    error.message,
                )
            ) from None

    def _jecree_originate_ari(self, channel, dialled, context, caller_id, timeout):
        self._jecree_check_asterisk_settings(
            "ari_url", "asterisk_login", "asterisk_password"
        )
        base = self.ari_url.rstrip("/").removesuffix("/ari")
        try:
            response = requests.post(
                f"{base}/ari/channels",
                params={
                    "endpoint": channel,
                    "extension": dialled,
                    "context": context,
                    "priority": 1,
                    "callerId": caller_id,
                },
                auth=(self.asterisk_login, self.asterisk_password),
                timeout=timeout,
            )
        except requests.RequestException as error:
            _logger.info(
                "click-to-dial: ARI %s did not answer: %s", base, type(error).__name__
            )
            raise UserError(self._jecree_unreachable_message()) from None
        if response.status_code in (401, 403):
            _logger.info(
                "click-to-dial: ARI %s refused the login of %s (%s)",
                base,
                self.asterisk_login,
                response.status_code,
            )
            raise UserError(self._jecree_login_refused_message())
        if response.status_code != 200:
            _logger.info(
                "click-to-dial: ARI %s refused to originate %s (%s)",
                base,
                channel,
                response.status_code,
            )
            raise UserError(
                self.env["jecree.phone.common"]._jecree_refused_message(
                    response.status_code
                )
            )

    def _jecree_unreachable_message(self):
        return self.env["jecree.phone.common"]._jecree_unreachable_message()

    def _jecree_login_refused_message(self):
        return self.env._(
            "The phone system refused Odoo's login: the call was not made. A manager "
            "checks the AMI or ARI login and password of the phone system %s.",
            self.name,
        )
