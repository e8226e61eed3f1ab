# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024  # bytes: an event is a few hundred


class JecreeTelephonyController(http.Controller):
    """The webhook of cloud phone systems: one call event per request, in JSON,
    authenticated by the phone system's token (``Authorization: Bearer <token>``).
    Answers JSON: 200 ``{"status": "ok"|"duplicate", ...}``, else 400 (not JSON),
    401 (token), 413 (too large), 422 (bad values, with the French reasons)."""

    @http.route(
        "/jecree/telephony/event",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def telephony_event(self, **kwargs):
        # the phone system's answers in French when French is installed
        installed = dict(request.env["res.lang"].sudo().get_installed())
        lang = "fr_FR" if "fr_FR" in installed else request.env.context.get("lang")
        env = request.env(context=dict(request.env.context, lang=lang))
        httprequest = request.httprequest
        token = httprequest.headers.get("Authorization", "")
        token = token[7:].strip() if token[:7].lower() == "bearer " else ""
        token = token or httprequest.headers.get("X-Jecree-Token", "")
        System = env["jecree.telephony.system"].sudo()
        system = System._jecree_authenticate(token)
        if not system:
            return self._answer(
                401, {"error": env._("Missing or wrong phone system token.")}
            )
        if (httprequest.content_length or 0) > MAX_BODY:
            return self._answer(413, {"error": env._("The body is too large.")})
        # cached: a request retried after a concurrent update reads it again
        body = httprequest.get_data()[: MAX_BODY + 1]
        if len(body) > MAX_BODY:
            return self._answer(413, {"error": env._("The body is too large.")})
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return self._answer(400, {"error": env._("The body is not valid JSON.")})
        env = env(
            user=SUPERUSER_ID,
            su=True,
            context=dict(
                env.context, allowed_company_ids=[system._jecree_company_id()]
            ),
        )
        try:
            # nothing written when it raises (_jecree_process_event)
            result = env["jecree.telephony.call"]._jecree_process_event(
                system.with_env(env), payload
            )
        except (UserError, ValidationError, AccessError) as error:
            return self._answer(422, {"error": str(error.args[0])})
        return self._answer(200, result)

    def _answer(self, http_status, values):
        return request.make_json_response(values, status=http_status)
