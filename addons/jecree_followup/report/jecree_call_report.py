# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.jecree_project.models.crm_lead import (
    MATURITIES,
    PROJECT_KINDS,
    SECTORS,
)
from odoo.addons.jecree_project.models.crm_phonecall import (
    NATURES,
    QUALIFICATIONS,
    REQUEST_NATURES,
    USEFUL_QUALIFICATION,
)

from ..models.crm_phonecall import CALLBACK_OUTCOMES

WEEKDAYS = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]


class JecreeCallReport(models.Model):
    """Calls and call-backs, with their porteur's project and territory."""

    _name = "jecree.call.report"
    _description = "Calls analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "date"
    # flushed before the view is read; an addon adding a column adds its source
    _depends = {
        "crm.phonecall": [
            "date",
            "user_id",
            "team_id",
            "company_id",
            "direction",
            "nature",
            "qualification",
            "opportunity_id",
            "callback_attempt",
            "callback_outcome",
            "duration",
            "active",
        ],
        "crm.lead": [
            "company_id",
            "sector",
            "project_kind",
            "maturity",
            "commune_id",
            "jecree_created",
            "source_id",
        ],
        "res.city": ["epci_id", "department_id"],
    }

    date = fields.Datetime(readonly=True)
    call_date = fields.Date(string="Day", readonly=True)
    month = fields.Char(readonly=True, help="Year and month, e.g. 2026-07.")
    weekday = fields.Selection(WEEKDAYS, readonly=True)
    hour = fields.Integer(readonly=True, aggregator=False)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    direction = fields.Selection(
        [("in", "Incoming"), ("out", "Outgoing")], readonly=True
    )
    nature = fields.Selection(NATURES, readonly=True)
    qualification = fields.Selection(QUALIFICATIONS, readonly=True)
    is_request = fields.Boolean(
        string="Request",
        readonly=True,
        help="An incoming useful call asking for information, orientation or "
        "financing.",
    )
    lead_id = fields.Many2one("crm.lead", string="Porteur de projet", readonly=True)
    sector = fields.Selection(SECTORS, readonly=True)
    project_kind = fields.Selection(PROJECT_KINDS, readonly=True)
    maturity = fields.Selection(MATURITIES, readonly=True)
    created = fields.Selection(
        [("yes", "Yes"), ("no", "No"), ("unknown", "Not yet known")],
        string="Business created",
        readonly=True,
        help="Whether the porteur's business was found in the SIRENE file "
        "(confirmed by a manager), the project abandoned, or not yet known.",
    )
    commune_id = fields.Many2one("res.city", readonly=True)
    source_id = fields.Many2one(
        "utm.source",
        readonly=True,
        help="How the porteur came to the call center (Formulaire web: the public "
        "call-back form).",
    )
    epci_id = fields.Many2one("jecree.epci", string="EPCI", readonly=True)
    department_id = fields.Many2one("res.country.department", readonly=True)
    callback_attempt = fields.Integer(
        string="Call-back attempt", readonly=True, aggregator="max"
    )
    callback_outcome = fields.Selection(
        CALLBACK_OUTCOMES, string="Call-back outcome", readonly=True
    )
    duration = fields.Float(string="Duration (min)", readonly=True, aggregator="sum")
    call_count = fields.Integer(string="Calls", readonly=True, aggregator="sum")

    def _select(self):
        return SQL(
            """
            SELECT call.id AS id,
                   call.date AS date,
                   local.date::date AS call_date,
                   to_char(local.date, 'YYYY-MM') AS month,
                   EXTRACT(ISODOW FROM local.date)::varchar AS weekday,
                   EXTRACT(HOUR FROM local.date)::integer AS hour,
                   call.user_id AS user_id,
                   call.team_id AS team_id,
                   COALESCE(call.company_id, lead.company_id) AS company_id,
                   call.direction AS direction,
                   call.nature AS nature,
                   call.qualification AS qualification,
                   (call.direction = 'in'
                    AND call.qualification = %s
                    AND call.nature IN %s) AS is_request,
                   call.opportunity_id AS lead_id,
                   lead.sector AS sector,
                   lead.project_kind AS project_kind,
                   lead.maturity AS maturity,
                   lead.jecree_created AS created,
                   lead.commune_id AS commune_id,
                   lead.source_id AS source_id,
                   city.epci_id AS epci_id,
                   city.department_id AS department_id,
                   call.callback_attempt AS callback_attempt,
                   call.callback_outcome AS callback_outcome,
                   call.duration AS duration,
                   1 AS call_count
            """,
            USEFUL_QUALIFICATION,
            REQUEST_NATURES,
        )

    def _from(self):
        return SQL("FROM crm_phonecall call")

    def _join(self):
        return SQL(
            """
            LEFT JOIN crm_lead lead ON lead.id = call.opportunity_id
            LEFT JOIN res_city city ON city.id = lead.commune_id
           CROSS JOIN LATERAL (
                 SELECT (call.date AT TIME ZONE 'UTC') AT TIME ZONE %s AS date
           ) local
            """,
            # the day, weekday and hour are the call center's local ones
            self.env.company._jecree_tz().zone,
        )

    def _where(self):
        return SQL("WHERE call.active")

    def _group_by(self):
        return SQL()

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s %s %s %s %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._join(),
                self._where(),
                self._group_by(),
            )
        )
