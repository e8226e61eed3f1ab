# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public call-back form ("Être rappelé par un conseiller"), /jecree/rappel.

A plain `http.route` rendering a QWeb page in Odoo's frontend layout
(`web.frontend_layout`): no `website` module, no account. The controller only
reads the request (size, rate limit per address, CSRF token, honeypot) and
parses the form; what a valid request is and what it writes is
`crm.lead.jecree_request_callback`."""

from odoo.exceptions import UserError
from odoo.http import Controller, request, route

from ..models.crm_lead import CALLBACK_REQUEST_KEYS, CallbackRequestError

ROUTE = "/jecree/rappel"
THANKS_ROUTE = "/jecree/rappel/merci"
#: the rate limit's window: posts per address per hour (how many: a setting, see
#: jecree.web.rate.limit._jecree_form_limits, as the largest body accepted)
RATE_WINDOW_MINUTES = 60
RATE_SCOPE = "callback_form"
#: a field hidden from people, that robots fill in
HONEYPOT = "website"
#: the session key of the last request's due moment, for the thank-you page
SESSION_DUE = "jecree_callback_due"


class JecreeCallbackForm(Controller):
    def _jecree_french(self):
        """The page is in French (the public user's language otherwise)."""
        if request.env["res.lang"]._get_code("fr_FR"):
            request.update_context(lang="fr_FR")

    def _jecree_render(self, template, status=200, **qcontext):
        return request.render(
            template, dict(qcontext, html_data={"lang": "fr"}), status=status
        )

    def _jecree_form(self, values=None, errors=None, status=200):
        """The form, filled with what was typed, with the errors of each field."""
        values = values or {}
        lead = request.env["crm.lead"].sudo()
        zip_code = values.get("zip_code") or ""
        communes = request.env["res.city"].sudo().browse()
        if 0 < len(zip_code) <= 10:
            communes = communes._jecree_search_zip(zip_code)
        version, notice = lead.jecree_privacy_notice()
        selection = {
            fname: lead._fields[fname]._description_selection(request.env)
            for fname in ("project_kind", "sector")
        }
        return self._jecree_render(
            "jecree_project.callback_form_page",
            status=status,
            values=values,
            errors=errors or {},
            communes=communes,
            project_kinds=selection["project_kind"],
            sectors=selection["sector"],
            slots=request.env["jecree.callback.request"].sudo()._jecree_offered_slots(),
            notice=notice,
            notice_version=version,
            honeypot=HONEYPOT,
        )

    @route(ROUTE, type="http", auth="public", methods=["GET"])
    def jecree_callback_form(self, **kw):
        self._jecree_french()
        return self._jecree_form()

    @route(ROUTE, type="http", auth="public", methods=["POST"], csrf=False)
    def jecree_callback_post(self, **post):
        """The form posted. The CSRF token is checked here, not by the route, so
        that a page left open too long is shown again in French with what was
        typed (a refusal all the same: status 400, nothing written)."""
        self._jecree_french()
        httprequest = request.httprequest
        RateLimit = request.env["jecree.web.rate.limit"].sudo()
        rate_limit, max_body = RateLimit._jecree_form_limits()
        if (httprequest.content_length or 0) > max_body:
            return self._jecree_render("jecree_project.callback_form_too_large", 413)
        allowed = RateLimit._jecree_hit(
            RATE_SCOPE, httprequest.remote_addr, rate_limit, RATE_WINDOW_MINUTES
        )
        if not allowed:
            response = self._jecree_render(
                "jecree_project.callback_form_rate_limited", 429
            )
            response.headers["Retry-After"] = str(RATE_WINDOW_MINUTES * 60)
            return response
        # what was typed, shown again on errors (a NUL byte is no text)
        typed = {
            key: value.replace("\x00", "") if isinstance(value, str) else value
            for key, value in post.items()
            if key in CALLBACK_REQUEST_KEYS
        }
        token = post.get("csrf_token")
        if not isinstance(token, str) or not request.validate_csrf(token):
            error = request.env._(
                "This page was open too long: check what you typed and send it again."
            )
            return self._jecree_form(typed, {"__all__": error}, status=400)
        if post.get(HONEYPOT):
            # a robot: answered as a person would be, nothing written
            return request.redirect(THANKS_ROUTE, code=303)
        try:
            with request.env.cr.savepoint():
                result = (
                    request.env["crm.lead"]
                    .sudo()
                    .jecree_request_callback(self._jecree_parse(typed))
                )
        except CallbackRequestError as error:
            return self._jecree_form(typed, error.errors, status=422)
        except UserError as error:
            return self._jecree_form(typed, {"__all__": error.args[0]}, status=422)
        request.session[SESSION_DUE] = (
            request.env["jecree.callback.request"]
            .sudo()
            ._jecree_due_label(result["due_date"])
        )
        return request.redirect(THANKS_ROUTE, code=303)

    @route(THANKS_ROUTE, type="http", auth="public", methods=["GET"])
    def jecree_callback_thanks(self, **kw):
        self._jecree_french()
        return self._jecree_render(
            "jecree_project.callback_form_thanks",
            due_label=request.session.pop(SESSION_DUE, False),
        )

    def _jecree_parse(self, typed):
        """The request's values from the form's text: the commune's id as a
        number, the box ticked as True; the rest is checked by the model."""
        values = dict(typed)
        commune = values.get("commune_id") or ""
        if isinstance(commune, str) and commune.isdecimal() and len(commune) < 10:
            values["commune_id"] = int(commune)
        elif not commune:
            values.pop("commune_id", None)
        values["consent"] = typed.get("consent") == "on"
        return values
