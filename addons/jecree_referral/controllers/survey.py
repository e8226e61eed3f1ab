# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.exceptions import NotFound

from odoo.http import Controller, request, route
from odoo.tools.misc import consteq


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
