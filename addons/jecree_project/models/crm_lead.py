# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

PROJECT_KINDS = [("creation", "Création"), ("reprise", "Reprise")]
SECTORS = [
    ("commerce", "Commerce"),
    ("services", "Services"),
    ("artisanat", "Artisanat"),
    ("industrie", "Industrie"),
    ("a_preciser", "À préciser"),
]
MATURITIES = [
    ("idee", "Idée"),
    ("construction", "En construction"),
    ("financement", "Financement"),
    ("pret", "Prêt à démarrer"),
    ("demarre", "Démarré"),
    ("abandonne", "Abandonné"),
]


def check_manager_unlink(records, message):
    """Only call-center managers delete calls (agents cannot).

    Stock CRM already keeps lead deletion to sales administrators; OCA
    crm_phonecall lets contact creators delete calls, which agents may be."""
    env = records.env
    if (
        records
        and not env.su
        and env.user.has_group("jecree_project.group_jecree_agent")
        and not env.user.has_group("jecree_project.group_jecree_manager")
    ):
        raise AccessError(message)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # the intake looks returning callers up by name on every keystroke pause
    contact_name = fields.Char(index="trigram")
    is_porteur = fields.Boolean(
        string="Porteur de projet",
        index="btree_not_null",
        help="Set for the leads of the call center (porteurs de projet).",
    )
    project_kind = fields.Selection(PROJECT_KINDS, string="Project kind", tracking=True)
    sector = fields.Selection(SECTORS, tracking=True)
    maturity = fields.Selection(MATURITIES, default="idee", tracking=True)
    need_ids = fields.Many2many("jecree.need", string="Needs")
    planned_start_date = fields.Date(string="Planned start date")
    jobs_planned = fields.Integer(string="Jobs planned")
    funding_need = fields.Monetary(
        string="Funding need", currency_field="company_currency"
    )
    naf_code = fields.Char(string="NAF code", size=6)
    commune_id = fields.Many2one("res.city", index="btree_not_null", tracking=True)
    epci_id = fields.Many2one(related="commune_id.epci_id", store=True)
    department_id = fields.Many2one(related="commune_id.department_id", store=True)
    consent = fields.Boolean(
        string="Consent to data processing",
        tracking=True,
        help="The caller agreed that the call center and the support structures "
        "process their data to follow their project up.",
    )
    consent_date = fields.Datetime(string="Consent date", readonly=True)

    @api.constrains("funding_need", "jobs_planned")
    def _check_positive_amounts(self):
        for lead in self:
            if lead.funding_need < 0:
                raise ValidationError(
                    self.env._("The funding need cannot be negative.")
                )
            if lead.jobs_planned < 0:
                raise ValidationError(
                    self.env._("The number of jobs planned cannot be negative.")
                )

    @api.onchange("commune_id")
    def _onchange_commune_id(self):
        if self.commune_id:
            self.city = self.commune_id.name
            self.country_id = self.commune_id.country_id
            self.state_id = self.commune_id.state_id
            if not self.zip or self.zip not in self.commune_id.zip_ids.mapped("name"):
                self.zip = self.commune_id.zipcode

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("consent") and not vals.get("consent_date"):
                vals["consent_date"] = now
        return super().create(vals_list)

    def write(self, vals):
        if "consent" in vals and "consent_date" not in vals:
            if not vals["consent"]:
                return super().write(dict(vals, consent_date=False))
            newly_given = self.filtered(lambda lead: not lead.consent)
            res = super().write(vals)
            # the date of a consent already given is kept
            super(CrmLead, newly_given).write({"consent_date": fields.Datetime.now()})
            return res
        return super().write(vals)
