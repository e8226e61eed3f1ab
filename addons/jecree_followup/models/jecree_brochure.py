# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

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
