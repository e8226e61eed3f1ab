# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.exceptions import NotFound

from odoo.http import Controller, request, route
from odoo.tools.misc import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal


class JecreeSurveyOptout(Controller):
    """The unsubscribe link of the satisfaction survey's mail: the porteur's email
    goes to Odoo's mail blacklist, which the survey cron (and every mass mail)
    honours. The link carries the survey answer's secret token."""

    @route(
        "/jecree/survey/optout/<int:answer_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def jecree_survey_optout(self, answer_id, token, **kw):
        answer = request.env["survey.user_input"].sudo().browse(answer_id).exists()
        if not answer or not consteq(str(token), answer.access_token or ""):
            raise NotFound()
        if answer.email:
            request.env["mail.blacklist"].sudo()._add(
                answer.email,
                message=request.env._("Unsubscribed from the satisfaction survey"),
            )
        return request.render("jecree_referral.survey_optout_done", {})


class JecreeSurveyPortal(CustomerPortal):
    """A structure's satisfaction results in its portal: the referrals are read
    with the adviser's rights (record rules: their structure's only), then the
    answers of those referrals only, as the system (advisers have no access to
    survey answers themselves)."""

    @route("/my/referrals/satisfaction", type="http", auth="user", website=True)
    def portal_my_jecree_satisfaction(self, **kw):
        Referral = request.env["jecree.referral"]
        referrals = (
            Referral.search([("date_kept", "!=", False)], order="date_kept desc")
            if Referral.has_access("read")
            else Referral
        )
        rows = referrals.sudo()._jecree_satisfaction_rows()
        values = self._prepare_portal_layout_values()
        values.update({"rows": rows, "page_name": "jecree_satisfaction"})
        return request.render("jecree_referral.portal_my_satisfaction", values)
