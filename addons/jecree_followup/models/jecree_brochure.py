# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.jecree_project.models.crm_lead import PROJECT_KINDS, SECTORS


class JecreeBrochure(models.Model):
    """An information brochure: the email (and its PDF) sent to a porteur whose
    project kind and sector match. Empty kind or sector: any."""

    _name = "jecree.brochure"
    _description = "Brochure"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    project_kind = fields.Selection(
        PROJECT_KINDS, string="Project kind", help="Empty: any project kind."
    )
    sector = fields.Selection(SECTORS, help="Empty: any sector.")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        required=True,
        domain=[("model", "=", "crm.lead")],
        help="The email sent to the porteur; its attachments (the PDF brochure) "
        "go with it.",
    )
    sending_count = fields.Integer(compute="_compute_sending_count", string="Sent")

    _kind_sector_uniq = models.UniqueIndex(
        "(COALESCE(project_kind, ''), COALESCE(sector, '')) WHERE active",
        "A brochure already exists for this project kind and sector.",
    )

    def _compute_sending_count(self):
        counts = dict(
            self.env["jecree.brochure.sending"]._read_group(
                [("brochure_id", "in", self.ids)], ["brochure_id"], ["__count"]
            )
        )
        for brochure in self:
            brochure.sending_count = counts.get(brochure, 0)

    @api.model
    def _for_lead(self, lead):
        """The most specific active brochure for the porteur's kind and sector."""
        best, best_score = self.browse(), -1
        candidates = self.search(
            [
                ("project_kind", "in", [False, lead.project_kind or False]),
                ("sector", "in", [False, lead.sector or False]),
            ]
        )
        for brochure in candidates:
            score = 2 * bool(brochure.project_kind) + bool(brochure.sector)
            if score > best_score:
                best, best_score = brochure, score
        return best


class JecreeBrochureSending(models.Model):
    """When which brochure went out to a porteur, and the state of its email."""

    _name = "jecree.brochure.sending"
    _description = "Brochure sent"
    _order = "date desc, id desc"
    _rec_name = "brochure_id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Porteur de projet",
        required=True,
        index=True,
        ondelete="cascade",
    )
    brochure_id = fields.Many2one(
        "jecree.brochure", required=True, index=True, ondelete="restrict"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Sent by", default=lambda self: self.env.user
    )
    email = fields.Char(string="Sent to")
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null")
    mail_state = fields.Selection(related="mail_id.state", string="Email state")
    failure_reason = fields.Text(related="mail_id.failure_reason")

    def action_retry(self):
        """Put the failed emails back in Odoo's mail queue."""
        failed = self.filtered(lambda sending: sending.mail_state == "exception")
        if not failed:
            raise UserError(self.env._("Only a failed email can be sent again."))
        failed.mail_id.sudo().action_retry()
        return True
