# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models, tools

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
        return self.browse(
            self._jecree_best_id(lead.project_kind or False, lead.sector or False)
        )

    @api.model
    @tools.ormcache("project_kind", "sector")
    def _jecree_best_id(self, project_kind, sector):
        """Id of the most specific active brochure (kind and sector, then kind,
        then sector, then any), looked up on every intake: cached per worker,
        the cache cleared when a brochure is created, changed or deleted."""
        best, best_score = False, -1
        candidates = (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("project_kind", "in", [False, project_kind]),
                    ("sector", "in", [False, sector]),
                ]
            )
        )
        for brochure in candidates:
            score = 2 * bool(brochure.project_kind) + bool(brochure.sector)
            if score > best_score:
                best, best_score = brochure.id, score
        return best

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _jecree_best_id
        return super().create(vals_list)

    def write(self, vals):
        if {"active", "project_kind", "sector"} & set(vals):
            self.env.registry.clear_cache()  # _jecree_best_id
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _jecree_best_id
        return super().unlink()
