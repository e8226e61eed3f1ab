# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    jecree_followup_plan_id = fields.Many2one(
        "mail.activity.plan",
        string="Follow-up plan after a call-back",
        domain=[("res_model", "=", "crm.lead")],
        default=lambda self: self.env.ref(
            "jecree_followup.mail_activity_plan_followup", raise_if_not_found=False
        ),
        help="Activities planned when a porteur is reached at J+8 (J+30, J+90…).",
    )
    jecree_target_projects = fields.Integer(
        string="Projects started per year (target)",
        default=15000,
        help="Objective of projects started (maturity Démarré) per year.",
    )

    jecree_brochure_auto = fields.Boolean(
        string="Send the brochure automatically",
        help='New calls tick "Send the brochure" by default.',
    )

    _jecree_target_projects_positive = models.Constraint(
        "CHECK(jecree_target_projects >= 0)",
        "The target of projects started cannot be negative.",
    )

    @api.model
    def _jecree_followup_set_defaults(self):
        """At install, give existing companies the follow-up plan."""
        plan = self.env.ref("jecree_followup.mail_activity_plan_followup")
        self.search([("jecree_followup_plan_id", "=", False)]).write(
            {"jecree_followup_plan_id": plan.id}
        )
