# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from urllib.parse import quote

import requests

from odoo import api, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

ORIGINATE_URL_PARAM = "jecree_project.originate_url"
#: Settings > "Originate through": none (tel: links), url, ami, ari
ORIGINATE_THROUGH_PARAM = "jecree_project.originate_through"
ORIGINATE_WAYS = ("none", "url", "ami", "ari")
ORIGINATE_TIMEOUT = 5  # seconds: the agent waits for it


class JecreePhoneCommon(models.AbstractModel):
    """The methods OCA ``base_phone`` (``phone.common``) gives phone systems, with
    the same names, arguments and answers: an Asterisk AGI script written for
    ``base_phone`` works against ``jecree.phone.common`` (the model name changed).

    Called over RPC by a technical user of the group "Telephony (technical)"
    (or by an agent); they see nothing but what these methods answer."""

    _name = "jecree.phone.common"
    _description = "Phone system API (OCA base_phone conventions)"

    @api.model
    def _jecree_check_telephony_user(self):
        user = self.env.user
        if not self.env.su and not (
            user.has_group("jecree_project.group_jecree_telephony")
            or user.has_group("jecree_project.group_jecree_agent")
        ):
            raise AccessError(
                self.env._(
                    "Only the phone system's technical user and the call center's "
                    "agents can use the phone system API."
                )
            )

    @api.model
    def get_record_from_phone_number(self, presented_number):
        """``("crm.lead", id, name)`` of the porteur who has this number (any
        format; the most recent porteur when several have it), else False."""
        self._jecree_check_telephony_user()
        if not isinstance(presented_number, str) or not presented_number.strip():
            return False
        Lead = self.env["crm.lead"].sudo()
        callers = Lead._jecree_find_callers(
            presented_number[:64], exact=True, fetch=["contact_name", "name"]
        )
        if not callers:
            return False
        lead = callers.sorted("id", reverse=True)[:1]
        return ("crm.lead", lead.id, lead.contact_name or lead.name)

    @api.model
    def get_name_from_phone_number(self, presented_number):
        """The caller's name for the phone's display, else False."""
        record = self.get_record_from_phone_number(presented_number)
        return record[2] if record else False

    @api.model
    def incall_notify_by_login(self, number, login_list):
        """Show the incoming call from `number` on the screens of the agents with
        these logins (unknown logins and non-agents are skipped). Returns the
        caller's name, else False, as ``base_phone_popup`` does."""
        self._jecree_check_telephony_user()
        if not isinstance(login_list, list) or not all(
            isinstance(login, str) for login in login_list
        ):
            raise AccessError(self.env._("login_list must be a list of logins."))
        users = (
            self.env["res.users"]
            .sudo()
            .search([("login", "in", login_list), ("share", "=", False)])
        )
        return self._jecree_notify(number, users)

    @api.model
    def incall_notify_by_extension(self, number, extension_list):
        """As `incall_notify_by_login`, the agents named by their extension."""
        self._jecree_check_telephony_user()
        if not isinstance(extension_list, list):
            raise AccessError(
                self.env._("extension_list must be a list of extensions.")
            )
        Users = self.env["res.users"]
        users = Users.browse()
        for extension in extension_list:
            users |= Users._jecree_user_of_extension(extension)
        return self._jecree_notify(number, users)

    @api.model
    def _jecree_notify(self, number, users):
        agents = self.env.ref("jecree_project.group_jecree_agent")
        users = users.sudo().filtered(lambda user: agents in user.all_group_ids)
        Call = self.env["jecree.telephony.call"].sudo()
        Lead = self.env["crm.lead"]
        phone = isinstance(number, str) and Lead._jecree_format_phone(number[:64])
        for user in users:
            # a call not stored (the RPC API has no call id): the same screen pop
            Call._jecree_send_screen_pop(
                user.id, user.partner_id.id, user.lang, phone or False, "in"
            )
        return self.get_name_from_phone_number(number) if phone else False

    # ------------------------------------------------------------------ click-to-dial
    @api.model
    def click2dial(self, erp_number):
        """Ring the agent's extension, then `erp_number` (OCA ``click2dial``).

        The way is the setting "Originate through" (``ORIGINATE_THROUGH_PARAM``):

        - ``none``: nothing is asked of the phone system; the answer carries a
          ``tel:`` link for the agent's softphone;
        - ``url``: the originate URL (Settings) gets a POST in JSON:
          ``{"extension": "201", "number": "+33320...", "login": "agent"}``;
        - ``ami`` / ``ari``: Asterisk directly, through the phone system of the
          agent's company (``jecree.telephony.system._jecree_originate``).

        Errors are UserErrors in the agent's language saying the call was not
        made; nothing is logged as called.

        :return: ``{"dialed_number": E.164, "url": "tel:..." or False}``
        """
        self.env["crm.lead"]._jecree_check_call_center_user(
            self.env._("Only the call center's agents and managers can call a porteur.")
        )
        Lead = self.env["crm.lead"]
        number = isinstance(erp_number, str) and Lead._jecree_format_phone(
            erp_number[:64]
        )
        if not number:
            raise UserError(Lead._jecree_invalid_phone_message(str(erp_number)[:64]))
        Params = self.env["ir.config_parameter"].sudo()
        way = Params.get_param(ORIGINATE_THROUGH_PARAM) or "none"
        url = way == "url" and Params.get_param(ORIGINATE_URL_PARAM)
        if way not in ORIGINATE_WAYS or way == "none" or (way == "url" and not url):
            return {"dialed_number": number, "url": f"tel:{quote(number)}"}
        extension = self.env.user.jecree_phone_extension
        if not extension:
            raise UserError(
                self.env._(
                    "Enter your phone extension in your preferences: the phone "
                    "system rings it before calling the number."
                )
            )
        if way == "url":
            self._jecree_originate_url(url, extension, number)
        else:
            System = self.env["jecree.telephony.system"]
            System._jecree_dial_system()._jecree_originate(
                way, extension, number, ORIGINATE_TIMEOUT
            )
        return {"dialed_number": number, "url": False}

    @api.model
    def _jecree_originate_url(self, url, extension, number):
        try:
            response = requests.post(
                url,
                json={
                    "extension": extension,
                    "number": number,
                    "login": self.env.user.login,
                },
                timeout=ORIGINATE_TIMEOUT,
            )
        except requests.RequestException as error:
            _logger.info("click-to-dial: the phone system did not answer: %s", error)
            raise UserError(self._jecree_unreachable_message()) from None
        if response.status_code >= 300:
            _logger.info(
                "click-to-dial: the phone system answered %s", response.status_code
            )
            raise UserError(self._jecree_refused_message(response.status_code))

    @api.model
    def _jecree_unreachable_message(self):
        return self.env._(
            "The phone system did not answer: the call was not made. Try "
            "again, or dial the number on your phone."
        )

    @api.model
    def _jecree_refused_message(self, status_code):
        return self.env._(
            "The phone system refused the call (error %s): the call was not "
            "made. Check your extension, or dial the number on your phone.",
            status_code,
        )

    @api.model
    def _jecree_dial_action(self, number, lead=None):
        """Dial `number` (click2dial) and open the "Nouvel appel" screen for the
        outgoing call: its number, its porteur (`lead`, else the number's one
        porteur), the time it was dialled. Without a phone system, the tel: link
        link of the phone fields is the way to dial."""
        result = self.click2dial(number)
        Lead = self.env["crm.lead"]
        if not lead:
            callers = Lead._jecree_returning_callers(result["dialed_number"])
            lead = callers if len(callers) == 1 else Lead
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "jecree_project.jecree_call_intake_action"
        )
        context = dict(
            self.env["jecree.telephony.call"]._jecree_intake_context(),
            default_phone=Lead._jecree_format_phone(
                result["dialed_number"], "INTERNATIONAL"
            ),
            default_direction="out",
        )
        if lead:
            context["default_lead_id"] = lead.id
        action["context"] = context
        # without a phone system (result["url"]), the agent dials through the
        # tel: link of the number's phone widget (Odoo's), shown on every screen
        return action
