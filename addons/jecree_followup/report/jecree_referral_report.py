# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.jecree_project.models.crm_lead import PROJECT_KINDS, SECTORS
from odoo.addons.jecree_referral.models.jecree_referral import STATE_DATES, STATES

from .jecree_call_report import WEEKDAYS


class JecreeReferralReport(models.Model):
    """Referrals to the support structures, with the steps each one reached and
    its porteur's project and territory. A step counts once reached (its date is
    set, or the referral is in it or beyond), whatever the current state."""

    _name = "jecree.referral.report"
    _description = "Referrals analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "name"
    # flushed before the view is read (it is not a table the ORM writes)
    _depends = {
        "jecree.referral": [
            "name",
            "date_proposed",
            "structure_id",
            "antenna_id",
            "user_id",
            "company_id",
            "lead_id",
            "commune_id",
            "state",
            "ladder_step",
            "survey_user_input_id",
            *STATE_DATES.values(),
        ],
        "survey.user_input": ["state"],
        "survey.user_input.line": ["user_input_id", "question_id", "value_scale"],
        "crm.lead": ["sector", "project_kind", "commune_id"],
        "res.partner": ["jecree_structure_type_id"],
        "res.company": ["jecree_watch_refusal_rate", "jecree_watch_escalation_rate"],
        "res.city": ["epci_id", "department_id"],
    }

    name = fields.Char(string="Reference", readonly=True)
    date = fields.Datetime(string="Proposed on", readonly=True)
    referral_date = fields.Date(string="Day", readonly=True)
    month = fields.Char(readonly=True, help="Year and month, e.g. 2026-07.")
    weekday = fields.Selection(WEEKDAYS, readonly=True)
    structure_id = fields.Many2one("res.partner", readonly=True)
    antenna_id = fields.Many2one("res.partner", readonly=True)
    structure_type_id = fields.Many2one(
        "jecree.structure.type", string="Structure type", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Porteur de projet", readonly=True)
    sector = fields.Selection(SECTORS, readonly=True)
    project_kind = fields.Selection(PROJECT_KINDS, readonly=True)
    commune_id = fields.Many2one("res.city", readonly=True)
    epci_id = fields.Many2one("jecree.epci", string="EPCI", readonly=True)
    department_id = fields.Many2one("res.country.department", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    referral_count = fields.Integer(string="Referrals", readonly=True)
    accepted_count = fields.Integer(string="Referrals accepted", readonly=True)
    refused_count = fields.Integer(string="Referrals declined", readonly=True)
    appointment_count = fields.Integer(string="Appointments set", readonly=True)
    kept_count = fields.Integer(string="Appointments kept", readonly=True)
    no_show_count = fields.Integer(string="No-shows", readonly=True)
    support_count = fields.Integer(string="Support started", readonly=True)
    answered_in_time_count = fields.Integer(
        string="Accepted before the reminder",
        readonly=True,
        help="Accepted before the structure was reminded, that is within its "
        "type's reminder delay (3 opening days by default).",
    )
    reminded_count = fields.Integer(
        string="Reminded",
        readonly=True,
        help="Left unanswered until the reminder (escalated ones included).",
    )
    to_watch = fields.Boolean(
        string="Structure to watch",
        readonly=True,
        help="The structure declines, or leaves unanswered until the escalation, "
        "a larger share of its referrals than the rates set in the settings.",
    )
    survey_answered_count = fields.Integer(
        string="Surveys answered",
        readonly=True,
        help="The porteur answered the satisfaction survey sent after the "
        "appointment was kept.",
    )
    recommend_score = fields.Float(
        string="Would recommend (0-10)",
        readonly=True,
        aggregator="avg",
        help='The porteur\'s answer to "Would you recommend Je crée?" in the '
        "satisfaction survey, averaged over the surveys answered.",
    )
    escalated_count = fields.Integer(
        string="Escalated",
        readonly=True,
        help="Left unanswered despite the reminder: the call center called the "
        "porteur back.",
    )

    def _select(self):
        return SQL(
            """
            SELECT ref.id AS id,
                   ref.name AS name,
                   ref.date_proposed AS date,
                   local.date::date AS referral_date,
                   to_char(local.date, 'YYYY-MM') AS month,
                   EXTRACT(ISODOW FROM local.date)::varchar AS weekday,
                   ref.structure_id AS structure_id,
                   ref.antenna_id AS antenna_id,
                   structure.jecree_structure_type_id AS structure_type_id,
                   ref.user_id AS user_id,
                   ref.company_id AS company_id,
                   ref.lead_id AS lead_id,
                   lead.sector AS sector,
                   lead.project_kind AS project_kind,
                   city.id AS commune_id,
                   city.epci_id AS epci_id,
                   city.department_id AS department_id,
                   ref.state AS state,
                   1 AS referral_count,
                   (ref.date_accepted IS NOT NULL
                    OR ref.date_appointment_set IS NOT NULL
                    OR ref.date_kept IS NOT NULL
                    OR ref.date_not_kept IS NOT NULL
                    OR ref.date_support IS NOT NULL
                    OR ref.state IN ('acceptee', 'rdv_fixe', 'honore',
                                     'non_honore', 'accompagnement')
                   )::int AS accepted_count,
                   (ref.date_refused IS NOT NULL
                    OR ref.state = 'refusee')::int AS refused_count,
                   (ref.date_appointment_set IS NOT NULL
                    OR ref.state IN ('rdv_fixe', 'honore', 'non_honore',
                                     'accompagnement'))::int AS appointment_count,
                   (ref.date_kept IS NOT NULL
                    OR ref.state IN ('honore', 'accompagnement'))::int
                       AS kept_count,
                   (ref.date_not_kept IS NOT NULL
                    OR ref.state = 'non_honore')::int AS no_show_count,
                   (ref.date_support IS NOT NULL
                    OR ref.state = 'accompagnement')::int AS support_count,
                   ((ref.date_accepted IS NOT NULL
                     OR ref.date_appointment_set IS NOT NULL
                     OR ref.state IN ('acceptee', 'rdv_fixe', 'honore',
                                      'non_honore', 'accompagnement'))
                    AND ref.ladder_step IS NULL)::int AS answered_in_time_count,
                   (ref.ladder_step IS NOT NULL)::int AS reminded_count,
                   (ref.ladder_step = 'escalated')::int AS escalated_count,
                   COALESCE(answer.state = 'done', FALSE)::int AS survey_answered_count,
                   recommend.value_scale AS recommend_score,
                   (100.0 * sum((ref.date_refused IS NOT NULL
                                 OR ref.state = 'refusee')::int)
                              OVER (PARTITION BY ref.structure_id)
                        / count(*) OVER (PARTITION BY ref.structure_id)
                        > company.jecree_watch_refusal_rate
                    OR 100.0 * sum((ref.ladder_step = 'escalated')::int)
                              OVER (PARTITION BY ref.structure_id)
                        / count(*) OVER (PARTITION BY ref.structure_id)
                        > company.jecree_watch_escalation_rate) AS to_watch
            """
        )

    def _from(self):
        return SQL("FROM jecree_referral ref")

    def _join(self):
        return SQL(
            """
                 JOIN res_partner structure ON structure.id = ref.structure_id
            LEFT JOIN crm_lead lead ON lead.id = ref.lead_id
            -- the porteur's commune, else the referral's; read by id (not through
            -- the join above) so that PostgreSQL drops both joins from a query
            -- that reads neither (the pack's referrals per structure)
            LEFT JOIN res_city city
                   ON city.id = COALESCE(
                       (SELECT porteur.commune_id FROM crm_lead porteur
                         WHERE porteur.id = ref.lead_id),
                       ref.commune_id)
                 JOIN res_company company ON company.id = ref.company_id
            LEFT JOIN survey_user_input answer
                   ON answer.id = ref.survey_user_input_id
            LEFT JOIN survey_user_input_line recommend
                   ON recommend.user_input_id = answer.id
                  AND recommend.question_id = %s
                  AND answer.state = 'done'
           CROSS JOIN LATERAL (
                 SELECT (ref.date_proposed AT TIME ZONE 'UTC')
                        AT TIME ZONE %s AS date
           ) local
            """,
            self._recommend_question_id(),
            # the day, weekday and hour are the call center's local ones
            self.env.company._jecree_tz().zone,
        )

    def _recommend_question_id(self):
        question = self.env.ref(
            "jecree_referral.survey_question_recommend", raise_if_not_found=False
        )
        return question.id if question else 0

    def _where(self):
        return SQL()

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
