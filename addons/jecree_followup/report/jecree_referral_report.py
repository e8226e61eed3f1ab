# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.fields import Domain
from odoo.orm.models import parse_read_group_spec
from odoo.tools import SQL

from odoo.addons.jecree_project.models.crm_lead import PROJECT_KINDS, SECTORS
from odoo.addons.jecree_referral.models.jecree_referral import STATE_DATES, STATES

from .jecree_call_report import WEEKDAYS

#: the satisfaction survey's scale questions read by the analysis (xml id suffix)
SCORE_QUESTIONS = ("call_center", "structure", "recommend")
#: the answers to "How was the delay to get the appointment?" (xml id suffix)
DELAY_ANSWERS = ("quick", "fine", "long")
#: the measures of a structure's service level, as `_jecree_service_levels`
#: returns them (the aggregate read for each)
SERVICE_MEASURES = {
    "referrals": "referral_count:sum",
    "accepted": "accepted_count:sum",
    "accept_hours": "accept_hours:median",
    "accepted_in_time": "accepted_in_time_count:sum",
    "refused": "refused_count:sum",
    "kept": "kept_count:sum",
    "no_show": "no_show_count:sum",
    "support": "support_count:sum",
    "surveys_sent": "survey_sent_count:sum",
    "surveys_answered": "survey_answered_count:sum",
    "call_center": "call_center_score:avg",
    "structure": "structure_score:avg",
    "recommend": "recommend_score:avg",
    "nps": "nps_score:avg",
    "delay_quick": "delay_quick_count:sum",
    "delay_fine": "delay_fine_count:sum",
    "delay_long": "delay_long_count:sum",
    "to_watch": "to_watch:bool_or",
}
#: the measures that are an average or a median (None when nothing to average)
AVERAGES = ("accept_hours", "call_center", "structure", "recommend", "nps")


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
            "refusal_reason",
            "accept_opening_hours",
            "accepted_in_time",
            *STATE_DATES.values(),
        ],
        "survey.user_input": ["state"],
        "survey.user_input.line": [
            "user_input_id",
            "question_id",
            "value_scale",
            "suggested_answer_id",
        ],
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
    refusal_reason = fields.Char(string="Reason for declining", readonly=True)
    refusal_rate = fields.Float(
        string="Declined (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the referrals the structure declined.",
    )
    accept_hours = fields.Float(
        string="Median opening hours to accept",
        readonly=True,
        aggregator="median",
        help="Opening hours of the antenna between the proposal and the "
        "acceptance (public holidays and closures skipped); the median of the "
        "referrals accepted.",
    )
    accepted_in_time_count = fields.Integer(
        string="Accepted within 3 opening days",
        readonly=True,
        help="Accepted by the end of the third opening day of the antenna after "
        "the day of the proposal.",
    )
    accepted_in_time_rate = fields.Float(
        string="Accepted within 3 opening days (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the referrals (all of them, declined and unanswered ones "
        "included) accepted within 3 opening days of the antenna.",
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
        "a larger share of its referrals of the month than the rates set in the "
        "settings.",
    )
    survey_sent_count = fields.Integer(
        string="Surveys sent",
        readonly=True,
        help="The satisfaction survey was sent to the porteur after the "
        "appointment was kept.",
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
    call_center_score = fields.Float(
        string="Call center's help (0-10)",
        readonly=True,
        aggregator="avg",
        help="How well the call center helped, averaged over the surveys answered.",
    )
    structure_score = fields.Float(
        string="Structure's help (0-10)",
        readonly=True,
        aggregator="avg",
        help="How useful the appointment with the structure was, averaged over "
        "the surveys answered.",
    )
    nps_score = fields.Float(
        string="Net promoter score",
        readonly=True,
        aggregator="avg",
        help='Share of promoters (9 or 10 to "would you recommend") less the '
        "share of detractors (0 to 6), from -100 to 100.",
    )
    delay_quick_count = fields.Integer(string="Delay: quick", readonly=True)
    delay_fine_count = fields.Integer(string="Delay: acceptable", readonly=True)
    delay_long_count = fields.Integer(string="Delay: too long", readonly=True)
    escalated_count = fields.Integer(
        string="Escalated",
        readonly=True,
        help="Left unanswered despite the reminder: the call center called the "
        "porteur back.",
    )

    def _select(self):
        answers = self._survey_ids("answer_delay", DELAY_ANSWERS)
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
                   local.refused::int AS refused_count,
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
                   CASE WHEN local.refused
                        THEN left(btrim(ref.refusal_reason), 120) END
                       AS refusal_reason,
                   100.0 * local.refused::int AS refusal_rate,
                   CASE WHEN ref.date_accepted IS NOT NULL
                        THEN ref.accept_opening_hours END AS accept_hours,
                   local.in_time::int AS accepted_in_time_count,
                   100.0 * local.in_time::int AS accepted_in_time_rate,
                   (ref.ladder_step IS NOT NULL)::int AS reminded_count,
                   (ref.ladder_step = 'escalated')::int AS escalated_count,
                   (ref.survey_user_input_id IS NOT NULL)::int AS survey_sent_count,
                   COALESCE(answer.state = 'done', FALSE)::int AS survey_answered_count,
                   recommend.value_scale AS recommend_score,
                   call_center.value_scale AS call_center_score,
                   structure_help.value_scale AS structure_score,
                   CASE WHEN recommend.value_scale >= 9 THEN 100.0
                        WHEN recommend.value_scale <= 6 THEN -100.0
                        WHEN recommend.value_scale IS NOT NULL THEN 0.0 END
                       AS nps_score,
                   (delay.suggested_answer_id = %(quick)s)::int AS delay_quick_count,
                   (delay.suggested_answer_id = %(fine)s)::int AS delay_fine_count,
                   (delay.suggested_answer_id = %(long)s)::int AS delay_long_count,
                   -- a structure is watched over a month of its referrals
                   (100.0 * sum(local.refused::int) OVER watch
                        / count(*) OVER watch
                        > company.jecree_watch_refusal_rate
                    OR 100.0 * sum((ref.ladder_step = 'escalated')::int) OVER watch
                        / count(*) OVER watch
                        > company.jecree_watch_escalation_rate) AS to_watch
            """,
            **answers,
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
                  AND recommend.question_id = %(recommend)s
                  AND answer.state = 'done'
            LEFT JOIN survey_user_input_line call_center
                   ON call_center.user_input_id = answer.id
                  AND call_center.question_id = %(call_center)s
                  AND answer.state = 'done'
            LEFT JOIN survey_user_input_line structure_help
                   ON structure_help.user_input_id = answer.id
                  AND structure_help.question_id = %(structure)s
                  AND answer.state = 'done'
            LEFT JOIN survey_user_input_line delay
                   ON delay.user_input_id = answer.id
                  AND delay.question_id = %(delay)s
                  AND answer.state = 'done'
           -- the referral's local date and what the measures read of it
           CROSS JOIN LATERAL (
                 SELECT (ref.date_proposed AT TIME ZONE 'UTC')
                        AT TIME ZONE %(tz)s AS date,
                        (ref.date_refused IS NOT NULL
                         OR ref.state = 'refusee') AS refused,
                        COALESCE(ref.accepted_in_time, FALSE) AS in_time
           ) local
            """,
            **self._survey_ids("question", (*SCORE_QUESTIONS, "delay")),
            # the day, weekday and hour are the call center's local ones
            tz=self.env.company._jecree_tz().zone,
        )

    def _survey_ids(self, prefix, keys):
        """{key: id} of the satisfaction survey's records
        jecree_referral.survey_<prefix>_<key> (0 when one is missing)."""
        ids = {}
        for key in keys:
            record = self.env.ref(
                f"jecree_referral.survey_{prefix}_{key}", raise_if_not_found=False
            )
            ids[key] = record.id if record else 0
        return ids

    def _where(self):
        return SQL()

    def _group_by(self):
        return SQL()

    def _window(self):
        """The referrals a structure is watched over: its month's."""
        return SQL(
            "WINDOW watch AS (PARTITION BY ref.structure_id, "
            "to_char(local.date, 'YYYY-MM'))"
        )

    def _read_group_select(self, aggregate_spec, query):
        """The median ("field:median"), which the pivot reads for the delay to
        accept (the field's aggregator) and the pack per structure."""
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if func == "median" and fname in self._fields:
            return SQL(
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _jecree_service_levels(self, month_domains):
        """The service level of each structure and each of its antennas, for
        each of the months `month_domains` ({month "YYYY-MM": domain on the
        proposal's date}): {month: {structure: {"values": {measure: value},
        "reasons": [(reason, count)], "antennas": {antenna: {measure: value}}}}}
        with the measures of SERVICE_MEASURES and the rates derived from them
        (`_jecree_service_rates`). Two queries whatever the number of months and
        structures: the measures (GROUPING SETS structure / antenna, by month)
        and the reasons for declining."""
        domain = Domain.OR(month_domains.values())
        aggregates = list(SERVICE_MEASURES.values())
        by_structure, by_antenna = self._read_grouping_sets(
            domain,
            [["month", "structure_id"], ["month", "structure_id", "antenna_id"]],
            aggregates,
        )
        result = {month: {} for month in month_domains}
        for month, structure, *values in by_structure:
            if month in result:
                result[month][structure] = {
                    "values": self._jecree_service_rates(
                        dict(zip(SERVICE_MEASURES, values, strict=True))
                    ),
                    "reasons": [],
                    "antennas": {},
                }
        for month, structure, antenna, *values in by_antenna:
            if structure in result.get(month, {}):
                result[month][structure]["antennas"][antenna] = (
                    self._jecree_service_rates(
                        dict(zip(SERVICE_MEASURES, values, strict=True))
                    )
                )
        reasons = self._read_group(
            domain & Domain("refusal_reason", "!=", False),
            ["month", "structure_id", "refusal_reason"],
            ["__count"],
            order="__count desc, refusal_reason",
        )
        for month, structure, reason, count in reasons:
            if structure in result.get(month, {}):
                result[month][structure]["reasons"].append((reason, count))
        return result

    def _jecree_service_rates(self, values):
        """`values` (SERVICE_MEASURES) with the rates (fractions) derived from
        them: accepted within 3 opening days, declined (of the referrals),
        surveys answered (of those sent), each delay answer (of the answers);
        an average of nothing is None."""
        # an average or a median of nothing is None (the ORM reads it as False)
        values = {
            key: None if value is False and key in AVERAGES else value
            for key, value in values.items()
        }
        referrals = values["referrals"] or 0
        sent = values["surveys_sent"] or 0
        delays = sum(values[f"delay_{key}"] or 0 for key in DELAY_ANSWERS)
        rates = {
            "in_time_rate": values["accepted_in_time"] / referrals if referrals else 0,
            "refusal_rate": values["refused"] / referrals if referrals else 0,
            "answer_rate": values["surveys_answered"] / sent if sent else 0,
        }
        for key in DELAY_ANSWERS:
            rates[f"delay_{key}_rate"] = (
                values[f"delay_{key}"] / delays if delays else 0
            )
        return {**values, **rates, "to_watch": bool(values["to_watch"])}

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s %s %s %s %s %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._join(),
                self._where(),
                self._group_by(),
                self._window(),
            )
        )
