#!/usr/bin/env python3
"""P3 monthly XLSX pack: a year of raw calls, call-backs and referrals; June's pack.

Ours: a database with our three addons and their demo data (the demo directory of
structures). The year is seeded with the generator
(``jecree_followup.tools.generate_calls.generate_month``, the article's shares), run
for each of the twelve months with its own random seed and its own volume (a seasonal
profile: August at 60 %, September at 120 %… of the mean; CALLS a year in all, default
30,000, 1,000,000 for the national scale): every month has its own calls and its own
porteurs. Then, so that every sheet has rows:

- the J+8 cron (``crm.lead._cron_jecree_schedule_callbacks``, batches committed)
  schedules the call-back of every porteur; in SQL, three call-backs in four of the
  days before the end of June are done (activity archived, as Odoo does) and each
  done one but one in sixteen (closed by "Mark done") gets its call-back call
  (outgoing, outcome reached / not reached / unreachable, one in eight made the
  month after), linked from the activity (``callback_call_id``) as
  ``crm.lead.jecree_record_callback`` does;
- in SQL, the porteurs of one orientation request in two are referred
  (``jecree_referral``) to an antenna covering their commune, on the day of the
  call, the referrals spread over the states (proposed, accepted, declined,
  appointment set, kept, not kept, support started) with their dates (and the
  appointment's, a week after);
- one porteur in fifty is marked started (for the objective sheet);
- the referrals' delay to accept in opening hours is computed by the model
  (``jecree.referral._compute_accept_delay``, as on install: the backfill's time is
  printed); a declined referral gets one of four reasons; two kept referrals in
  three get a satisfaction survey, two in three of those answered (SQL).

June of the year before is generated as well, so that every sheet's three
periods (June, May, June a year earlier) have figures.

The pack of June (``ir.actions.report._render`` of the XLSX, all sheets: activity,
referrals, service levels, satisfaction, J+8 call-backs, capacity, staffing,
objective, each with the month, the previous month and the same month a year
earlier) is rendered REPEAT times;
the peak memory of the rendering (tracemalloc) and of the process (peak RSS, seeding
included) are measured.

Baseline: hand-written SQL giving the same sheets' figures for the three periods
(activity and sector split, referrals per structure with their steps, J+8 due /
done / outcomes / appointments, calls and minutes per weekday and hour, opening
days of the month, projects started, businesses created and their employees: one
query per figure set and period; opening hours and agents scheduled once; the
service levels and satisfaction per structure and antenna with the median of the
stored opening hours to accept, GROUPING SETS over the three months, and the
reasons for declining), no XLSX written. The figures of both sides are compared
(activity, referrals, J+8, week, objective for each period; the service levels)
and the run fails if they differ. Runs alternate ours and the baseline.

    python3 bench/bench_pack.py [--calls 30000|1000000] [--repeat 5]
    python3 bench/bench_pack.py --smoke [--db DB]

Goal (issue 5, issue 11): under 3 s for 30,000 calls; under 60 s and 512 MB for
1,000,000; the whole pack at most 2x the hand-written SQL.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from datetime import date

from dateutil.relativedelta import relativedelta

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data"))

from common import (
    QueryCounter,
    add_db_arguments,
    bench_database,
    median,
    ms,
    odoo_env,
    report,
)

MODULES = ["jecree_project", "jecree_referral", "jecree_followup"]
MONTH = 6
YEAR = 2026
#: monthly volume relative to the mean (a call center's year: summer low)
SEASON = (1.05, 1.05, 1.1, 1.0, 1.0, 1.0, 0.85, 0.6, 1.2, 1.1, 1.05, 1.0)
STARTED_EVERY = 50  # one porteur in fifty marked started

# ---------------------------------------------------------------- the baseline
SQL_ACTIVITY = """
    SELECT c.qualification,
           c.qualification = 'utile'
               AND c.nature IN ('information', 'orientation', 'financement'),
           l.sector, count(*)
      FROM crm_phonecall c
 LEFT JOIN crm_lead l ON l.id = c.opportunity_id
     WHERE c.direction = 'in' AND c.active
       AND c.date >= %(start)s AND c.date < %(stop)s
  GROUP BY 1, 2, 3
"""
#: the call-backs due in the month, done, and the outcome of the call that closed
#: each done one (mail_activity.callback_call_id)
SQL_CALLBACKS = """
    SELECT NOT a.active, c.callback_outcome, count(*)
      FROM mail_activity a
 LEFT JOIN crm_phonecall c ON c.id = a.callback_call_id
     WHERE a.activity_type_id = %(type)s
       AND a.date_deadline >= %(first)s AND a.date_deadline < %(next)s
  GROUP BY 1, 2
"""
#: the appointments' outcome, where it is recorded: on the call-back call (main at
#: the time of writing) or on the referral (its one source, issue 10)
SQL_APPOINTMENTS_OF_CALLS = """
    SELECT appointment_kept, count(*)
      FROM crm_phonecall
     WHERE active AND callback_outcome IS NOT NULL AND appointment_kept IS NOT NULL
       AND date >= %(start)s AND date < %(stop)s
  GROUP BY 1
"""
SQL_APPOINTMENTS_OF_REFERRALS = """
    SELECT CASE WHEN state IN ('honore', 'accompagnement') THEN 'kept'
                WHEN state = 'non_honore' THEN 'not_kept'
                WHEN state = 'rdv_fixe' THEN 'to_record'
                WHEN date_kept IS NOT NULL THEN 'kept'
                WHEN date_not_kept IS NOT NULL THEN 'not_kept' END,
           count(*)
      FROM jecree_referral
     WHERE appointment_start >= %(start)s AND appointment_start < %(stop)s
       AND state IN ('honore', 'accompagnement', 'non_honore', 'rdv_fixe', 'clos')
  GROUP BY 1
"""
SQL_REFERRALS = """
    SELECT r.structure_id,
           count(*),
           count(*) FILTER (WHERE r.date_accepted IS NOT NULL
               OR r.date_appointment_set IS NOT NULL OR r.date_kept IS NOT NULL
               OR r.date_not_kept IS NOT NULL OR r.date_support IS NOT NULL
               OR r.state IN ('acceptee', 'rdv_fixe', 'honore', 'non_honore',
                              'accompagnement')),
           count(*) FILTER (WHERE r.date_refused IS NOT NULL
                               OR r.state = 'refusee'),
           count(*) FILTER (WHERE r.date_kept IS NOT NULL
                               OR r.state IN ('honore', 'accompagnement')),
           count(*) FILTER (WHERE r.date_not_kept IS NOT NULL
                               OR r.state = 'non_honore'),
           count(*) FILTER (WHERE r.date_support IS NOT NULL
                               OR r.state = 'accompagnement')
      FROM jecree_referral r
      JOIN res_partner s ON s.id = r.structure_id
     WHERE r.date_proposed >= %(start)s AND r.date_proposed < %(stop)s
  GROUP BY r.structure_id, s.name
  ORDER BY s.name, r.structure_id
"""
SQL_WEEK = """
    SELECT EXTRACT(ISODOW FROM local)::int, EXTRACT(HOUR FROM local)::int,
           count(*), sum(duration)
      FROM crm_phonecall,
           LATERAL (SELECT (date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s) l(local)
     WHERE direction = 'in' AND active
       AND date >= %(start)s AND date < %(stop)s
  GROUP BY 1, 2
"""
SQL_OPENING = """
    SELECT dayofweek::int + 1, hour_from, hour_to
      FROM resource_calendar_attendance
     WHERE calendar_id = %(calendar)s AND display_type IS NULL
       AND (week_type IS NULL OR week_type <> '1')
"""
SQL_OPEN_DAYS = """
    SELECT EXTRACT(ISODOW FROM d)::int, count(*)
      FROM generate_series(%(first)s::date, %(next)s::date - 1, '1 day') d
     WHERE EXTRACT(ISODOW FROM d) <> 7
       AND EXISTS (SELECT 1 FROM resource_calendar_attendance a
                    WHERE a.calendar_id = %(calendar)s AND a.display_type IS NULL
                      AND a.dayofweek::int = EXTRACT(ISODOW FROM d) - 1)
       AND NOT EXISTS (
           SELECT 1 FROM resource_calendar_leaves v
            WHERE v.resource_id IS NULL
              AND (v.calendar_id = %(calendar)s OR v.calendar_id IS NULL)
              AND (v.date_from AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s <= d
              AND (v.date_to AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s
                  >= d + interval '1 day' - interval '1 second')
  GROUP BY 1
"""
SQL_SCHEDULED = """
    SELECT a.dayofweek::int + 1, a.hour_from, a.hour_to
      FROM crm_team_member m
      JOIN res_users u ON u.id = m.user_id AND u.active
      JOIN resource_resource r ON r.user_id = u.id
      JOIN resource_calendar_attendance a
        ON a.calendar_id = COALESCE(r.calendar_id, %(calendar)s)
     WHERE m.crm_team_id = %(team)s AND m.active AND a.display_type IS NULL
       AND (a.week_type IS NULL OR a.week_type <> '1')
"""
SQL_STARTED = """
    SELECT count(*) FILTER (WHERE lead.started_date >= %(year_start)s
                              AND lead.started_date < %(next)s),
           count(*) FILTER (WHERE lead.jecree_creation_date >= %(year_start)s
                              AND lead.jecree_creation_date < %(next)s),
           COALESCE(sum(est.employees) FILTER (
                    WHERE lead.jecree_creation_date >= %(year_start)s
                      AND lead.jecree_creation_date < %(next)s), 0)
      FROM crm_lead lead
      LEFT JOIN jecree_sirene_establishment est ON est.siret = lead.jecree_siret
     WHERE lead.is_porteur AND lead.active
       AND (lead.started_date >= %(year_start)s
            OR lead.jecree_creation_date >= %(year_start)s)
"""

#: the service levels and satisfaction per month, structure and antenna (the
#: analysis' rules: a step counts once reached; watched over the month)
SQL_SERVICE = """
    WITH r AS (
        SELECT r.structure_id, r.antenna_id,
               to_char((r.date_proposed AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s,
                       'YYYY-MM') AS month,
               CASE WHEN r.date_accepted IS NOT NULL
                    THEN r.accept_opening_hours END AS hours,
               COALESCE(r.accepted_in_time, FALSE) AS in_time,
               r.date_refused IS NOT NULL OR r.state = 'refusee' AS refused,
               r.date_kept IS NOT NULL OR r.state IN ('honore', 'accompagnement')
                   AS kept,
               r.date_not_kept IS NOT NULL OR r.state = 'non_honore' AS no_show,
               r.date_support IS NOT NULL OR r.state = 'accompagnement' AS support,
               r.ladder_step = 'escalated' AS escalated,
               r.survey_user_input_id IS NOT NULL AS sent,
               a.state = 'done' AS answered,
               (SELECT value_scale FROM survey_user_input_line l
                 WHERE l.user_input_id = a.id AND l.question_id = %(q_recommend)s
                   AND a.state = 'done' LIMIT 1) AS recommend,
               (SELECT value_scale FROM survey_user_input_line l
                 WHERE l.user_input_id = a.id AND l.question_id = %(q_call_center)s
                   AND a.state = 'done' LIMIT 1) AS call_center,
               (SELECT value_scale FROM survey_user_input_line l
                 WHERE l.user_input_id = a.id AND l.question_id = %(q_structure)s
                   AND a.state = 'done' LIMIT 1) AS structure_help,
               (SELECT suggested_answer_id FROM survey_user_input_line l
                 WHERE l.user_input_id = a.id AND l.question_id = %(q_delay)s
                   AND a.state = 'done' LIMIT 1) AS delay
          FROM jecree_referral r
     LEFT JOIN survey_user_input a ON a.id = r.survey_user_input_id
         WHERE r.company_id = %(company)s
           AND ((r.date_proposed >= %(start)s AND r.date_proposed < %(stop)s)
             OR (r.date_proposed >= %(start_1)s AND r.date_proposed < %(stop_1)s)
             OR (r.date_proposed >= %(start_2)s AND r.date_proposed < %(stop_2)s))
    ), watch AS (
        SELECT structure_id, month,
               100.0 * count(*) FILTER (WHERE refused) / count(*)
                   > %(refusal_rate)s
               OR 100.0 * count(*) FILTER (WHERE escalated) / count(*)
                   > %(escalation_rate)s AS to_watch
          FROM jecree_referral r2
          JOIN LATERAL (SELECT to_char((r2.date_proposed AT TIME ZONE 'UTC')
                                        AT TIME ZONE %(tz)s, 'YYYY-MM') AS month) m
            ON TRUE
          CROSS JOIN LATERAL (
               SELECT r2.date_refused IS NOT NULL OR r2.state = 'refusee' AS refused,
                      r2.ladder_step = 'escalated' AS escalated) f
         WHERE r2.company_id = %(company)s
      GROUP BY structure_id, month
    )
    SELECT r.month, r.structure_id, r.antenna_id, GROUPING(r.antenna_id),
           count(*),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.hours),
           count(*) FILTER (WHERE r.in_time),
           count(*) FILTER (WHERE r.refused),
           count(*) FILTER (WHERE r.kept),
           count(*) FILTER (WHERE r.no_show),
           count(*) FILTER (WHERE r.support),
           count(*) FILTER (WHERE r.sent),
           count(*) FILTER (WHERE r.answered),
           avg(r.call_center), avg(r.structure_help), avg(r.recommend),
           avg(CASE WHEN r.recommend >= 9 THEN 100.0
                    WHEN r.recommend <= 6 THEN -100.0
                    WHEN r.recommend IS NOT NULL THEN 0.0 END),
           count(*) FILTER (WHERE r.delay = %(a_quick)s),
           count(*) FILTER (WHERE r.delay = %(a_fine)s),
           count(*) FILTER (WHERE r.delay = %(a_long)s),
           bool_or(w.to_watch)
      FROM r JOIN watch w ON w.structure_id = r.structure_id AND w.month = r.month
  GROUP BY GROUPING SETS ((r.month, r.structure_id),
                          (r.month, r.structure_id, r.antenna_id))
"""
SQL_REASONS = """
    SELECT to_char((date_proposed AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s,
                   'YYYY-MM'),
           structure_id, left(btrim(refusal_reason), 120), count(*)
      FROM jecree_referral
     WHERE company_id = %(company)s AND refusal_reason IS NOT NULL
       AND (date_refused IS NOT NULL OR state = 'refusee')
       AND ((date_proposed >= %(start)s AND date_proposed < %(stop)s)
         OR (date_proposed >= %(start_1)s AND date_proposed < %(stop_1)s)
         OR (date_proposed >= %(start_2)s AND date_proposed < %(stop_2)s))
  GROUP BY 1, 2, 3
  ORDER BY 4 DESC, 3
"""
#: the service level's measures compared between both sides (the analysis'
#: names, in SQL_SERVICE's order after the counts' first)
SERVICE_COMPARED = (
    "referrals",
    "accept_hours",
    "accepted_in_time",
    "refused",
    "kept",
    "no_show",
    "support",
    "surveys_sent",
    "surveys_answered",
    "call_center",
    "structure",
    "recommend",
    "nps",
    "delay_quick",
    "delay_fine",
    "delay_long",
    "to_watch",
)


def period_params(params, index):
    """The parameters of the period `index` (0: the month, 1: the previous
    month, 2: the same month a year earlier) under the month's names."""
    if not index:
        return params
    return {
        **params,
        **{key: params[f"{key}_{index}"] for key in PERIOD_KEYS},
    }


PERIOD_KEYS = ("start", "stop", "first", "next", "year_start")


def baseline_figures(cr, params):
    """The pack's figures by hand-written SQL: each period's, the hours, the
    service levels of the three months."""
    periods = [baseline_period(cr, period_params(params, index)) for index in range(3)]
    cr.execute(SQL_OPENING, params)
    opening = set(hours_of(cr.fetchall()))
    cr.execute(SQL_SCHEDULED, params)
    scheduled = hours_of(cr.fetchall())
    cr.execute(SQL_SERVICE, params)
    service = {}
    for month, structure, antenna, is_structure, *values in cr.fetchall():
        values = dict(zip(SERVICE_COMPARED, values, strict=True))
        key = (month, structure, None if is_structure else antenna)
        service[key] = values
    cr.execute(SQL_REASONS, params)
    reasons = {}
    for month, structure, reason, count in cr.fetchall():
        reasons.setdefault((month, structure), []).append((reason, count))
    return {
        **periods[0],
        "opening": opening,
        "scheduled": scheduled,
        "by_period": periods,
        "service": service,
        "reasons": reasons,
    }


def hours_of(rows):
    counts = {}
    for weekday, hour_from, hour_to in rows:
        for hour in range(24):
            if hour_from < hour + 1 and hour_to > hour:
                counts[weekday, hour] = counts.get((weekday, hour), 0) + 1
    return counts


def baseline_period(cr, params):
    """The pack's figures by hand-written SQL (one query per figure set)."""
    cr.execute(SQL_ACTIVITY, params)
    activity = {"calls": 0, "requests": 0, "errors": 0, "sectors": {}}
    for qualification, is_request, sector, count in cr.fetchall():
        activity["calls"] += count
        if qualification in ("erreur", "plaisantin"):
            activity["errors"] += count
        if is_request:
            activity["requests"] += count
            key = sector or "a_preciser"
            activity["sectors"][key] = activity["sectors"].get(key, 0) + count
    cr.execute(SQL_CALLBACKS, params)
    due = done = 0
    outcomes = {}
    for is_done, outcome, count in cr.fetchall():
        due += count
        if is_done:
            done += count
            outcomes[outcome or False] = outcomes.get(outcome or False, 0) + count
    if params["appointment_on_call"]:
        cr.execute(SQL_APPOINTMENTS_OF_CALLS, params)
    else:
        cr.execute(SQL_APPOINTMENTS_OF_REFERRALS, params)
    appointments = {key: count for key, count in cr.fetchall() if key}
    cr.execute(SQL_REFERRALS, params)
    referrals = [(row[0], list(row[1:])) for row in cr.fetchall()]
    cr.execute(SQL_WEEK, params)
    week = {(d, h): (count, minutes or 0.0) for d, h, count, minutes in cr.fetchall()}
    cr.execute(SQL_OPEN_DAYS, params)
    open_days = dict(cr.fetchall())
    cr.execute(SQL_STARTED, params)
    started, created, jobs = cr.fetchone()
    return {
        "activity": activity,
        "callbacks": {
            "due": due,
            "done": done,
            "reached": outcomes.get("reached", 0),
            "outcomes": outcomes,
            "appointments": appointments,
        },
        "referrals": referrals,
        "week": week,
        "open_days": open_days,
        "objective": {"started": started, "created": created, "jobs": jobs},
    }


def comparable_period(figures):
    callbacks = figures["callbacks"]
    week = {
        key: (count, round(minutes, 2))
        for key, (count, minutes) in figures["week"].items()
    }
    return {
        "activity": figures["activity"],
        "callbacks": {k: callbacks[k] for k in ("due", "done", "reached", "outcomes")},
        "referrals": [
            (getattr(s, "id", s), [int(v) for v in values])
            for s, values in figures["referrals"]
        ],
        "week": week,
        "objective": {
            key: figures["objective"][key] for key in ("started", "created", "jobs")
        },
    }


def rounded(value):
    return round(value, 6) if isinstance(value, float) else value


def comparable(figures, periods=None):
    """The figures both sides must agree on, each period's and the service
    levels (the appointments' source is the call-back call here and may move to
    the referral: not compared). `periods`: the months' keys ("YYYY-MM") of
    ours, whose service levels are {structure: level}."""
    result = {"by_period": [comparable_period(p) for p in figures["by_period"]]}
    if periods is None:  # the baseline's, already flat
        service = {
            key: {k: rounded(v) for k, v in values.items()}
            for key, values in figures["service"].items()
        }
        reasons = figures["reasons"]
    else:
        service, reasons = {}, {}
        for month, levels in zip(periods, figures["service"], strict=True):
            for structure, level in levels.items():
                service[month, structure.id, None] = {
                    k: rounded(level["values"][k]) for k in SERVICE_COMPARED
                }
                for antenna, values in level["antennas"].items():
                    service[month, structure.id, antenna.id] = {
                        k: rounded(values[k]) for k in SERVICE_COMPARED
                    }
                if level["reasons"]:
                    reasons[month, structure.id] = level["reasons"]
    for values in service.values():
        values["to_watch"] = bool(values["to_watch"])
    result["service"] = service
    result["reasons"] = {key: sorted(value) for key, value in reasons.items()}
    return result


# ---------------------------------------------------------------- the year
def seed_calls(env, calls):
    """A year of calls: the generator month by month (each its seed and volume)."""
    from generate_calls import generate_month, scaled_figures

    mean = calls / 12
    for month in range(1, 13):
        figures = scaled_figures(round(mean * SEASON[month - 1]))
        generate_month(env, YEAR, month, seed=month, figures=figures)
        env.cr.commit()
    # the same month a year earlier, for the pack's third period
    figures = scaled_figures(round(mean * SEASON[MONTH - 1]))
    generate_month(env, YEAR - 1, MONTH, seed=100 + MONTH, figures=figures)
    env.cr.commit()


def appointment_on_call(cr):
    """Whether the call-back call records the appointment's outcome (else the
    referral does)."""
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'crm_phonecall' AND column_name = 'appointment_kept'"
    )
    return bool(cr.fetchone())


def seed_follow_up(env):
    """The J+8 cron, call-backs done with their calls, referrals, started
    projects (see the docstring)."""
    cr = env.cr
    t0 = time.perf_counter()
    env["crm.lead"]._cron_jecree_schedule_callbacks()  # commits its batches
    print(
        f"[bench] J+8 cron over the year: {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )
    activity_type = env["crm.lead"]._jecree_callback_type().id
    end = date(YEAR, MONTH + 1, 1)
    cr.execute(
        """
        UPDATE mail_activity SET active = false, date_done = date_deadline
         WHERE activity_type_id = %s AND date_deadline < %s AND id %% 4 <> 0
     RETURNING id, res_id, user_id, date_deadline
        """,
        [activity_type, end],
    )
    done = cr.fetchall()
    on_call = appointment_on_call(cr)
    appointment = (
        """, CASE WHEN d.id %% 4 < 2
                  THEN (ARRAY['kept', 'not_kept', 'none'])[1 + d.id %% 3] END"""
        if on_call
        else ""
    )
    # each done call-back gets its call, linked from the activity as
    # jecree_record_callback does (one in eight recorded the next month), but
    # one in sixteen closed by Odoo's "Mark done" (no call, no outcome)
    cr.execute(
        f"""
        WITH d AS MATERIALIZED (
            SELECT d.*, nextval('crm_phonecall_id_seq') AS call_id
              FROM unnest(%s::int[], %s::int[], %s::int[], %s::date[])
                   AS d(id, lead_id, user_id, deadline)
        ), calls AS (
            INSERT INTO crm_phonecall (id, name, direction, state, priority, active,
                date, duration, opportunity_id, user_id, team_id, company_id,
                callback_attempt, create_uid, create_date, write_uid, write_date,
                callback_outcome{", appointment_kept" if on_call else ""})
            SELECT d.call_id, 'Rappel J+8', 'out', 'done', '1', true,
                   d.deadline + interval '9 hours' + (d.id %% 480) * interval '1 minute'
                       + CASE WHEN d.id %% 8 = 1 THEN interval '1 month' ELSE '0' END,
                   3.0, d.lead_id, d.user_id, l.team_id, l.company_id, 1,
                   1, now(), 1, now(),
                   (ARRAY['reached', 'reached', 'not_reached', 'unreachable'])
                       [1 + d.id %% 4]{appointment}
              FROM d JOIN crm_lead l ON l.id = d.lead_id
             WHERE d.id %% 16 <> 2
        )
        UPDATE mail_activity a SET callback_call_id = d.call_id
          FROM d WHERE a.id = d.id AND d.id %% 16 <> 2
        """,
        [[row[i] for row in done] for i in range(4)],
    )
    cr.execute(
        """
        WITH candidates AS (
            SELECT c.id AS call_id, c.date, c.opportunity_id AS lead_id,
                   c.user_id, l.commune_id, l.company_id,
                   row_number() OVER (ORDER BY c.id) AS n
              FROM crm_phonecall c JOIN crm_lead l ON l.id = c.opportunity_id
             WHERE c.nature = 'orientation' AND c.qualification = 'utile'
               AND c.id %% 2 = 0
        ), picked AS (
            SELECT c.*, v.antenna_id, v.structure_id,
                   (ARRAY['proposee', 'acceptee', 'refusee', 'rdv_fixe', 'honore',
                          'non_honore', 'accompagnement'])[1 + c.n %% 7] AS state
              FROM candidates c
              JOIN LATERAL (
                   SELECT antenna_id, structure_id FROM jecree_coverage
                    WHERE city_id = c.commune_id
                 ORDER BY level, antenna_id
                    LIMIT 1 OFFSET c.n %% 2) v ON TRUE
        )
        INSERT INTO jecree_referral (name, lead_id, commune_id, structure_id,
            antenna_id, user_id, company_id, state, refusal_reason,
            date_proposed, date_accepted,
            date_refused, date_appointment_set, date_kept, date_not_kept,
            date_support, appointment_start, appointment_stop, create_uid,
            create_date, write_uid, write_date)
        SELECT 'BENCH/' || n, lead_id, commune_id, structure_id, antenna_id,
               user_id, company_id, state,
               CASE WHEN state = 'refusee'
                    THEN (ARRAY['Complet ce mois-ci', 'Hors de notre champ',
                                'Porteur injoignable', 'Projet non mûr'])
                         [1 + n %% 4] END,
               date,
               -- accepted a few hours to a few days after the proposal
               CASE WHEN state NOT IN ('proposee', 'refusee')
                    THEN date + (n %% 97) * interval '1 hour' END,
               CASE WHEN state = 'refusee' THEN date + interval '1 day' END,
               CASE WHEN state IN ('rdv_fixe', 'honore', 'non_honore',
                                   'accompagnement')
                    THEN date + interval '2 days' END,
               CASE WHEN state IN ('honore', 'accompagnement')
                    THEN date + interval '9 days' END,
               CASE WHEN state = 'non_honore' THEN date + interval '9 days' END,
               CASE WHEN state = 'accompagnement' THEN date + interval '20 days' END,
               CASE WHEN state IN ('rdv_fixe', 'honore', 'non_honore',
                                   'accompagnement')
                    THEN date + interval '8 days' END,
               CASE WHEN state IN ('rdv_fixe', 'honore', 'non_honore',
                                   'accompagnement')
                    THEN date + interval '8 days 1 hour' END,
               1, now(), 1, now()
          FROM picked
        """,
        {},
    )
    cr.execute(
        """
        UPDATE crm_lead SET started_date = create_date::date, maturity = 'demarre'
         WHERE is_porteur AND id %% %s = 0
        """,
        [STARTED_EVERY],
    )
    seed_surveys(env)
    cr.commit()
    # the delays to accept, as the install computes them for existing referrals
    Referral = env["jecree.referral"]
    accepted = Referral.search(
        [("name", "=like", "BENCH/%"), ("date_accepted", "!=", False)]
    )
    t0 = time.perf_counter()
    env.add_to_compute(Referral._fields["accept_opening_hours"], accepted)
    env.flush_all()
    print(
        f"[bench] delays to accept of {len(accepted):,} referrals (opening hours, "
        f"as the install's backfill): {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    cr.execute("ANALYZE")
    cr.commit()


def seed_surveys(env):
    """Two kept referrals in three surveyed, two answers in three done (the four
    questions answered), in SQL."""
    ref = env.ref
    cr = env.cr
    cr.execute(
        """
        WITH k AS MATERIALIZED (
            SELECT id AS referral_id, nextval('survey_user_input_id_seq') AS answer_id
              FROM jecree_referral
             WHERE name LIKE 'BENCH/%%' AND date_kept IS NOT NULL AND id %% 3 <> 0
        ), answers AS (
            INSERT INTO survey_user_input (id, survey_id, access_token, state, email,
                create_uid, create_date, write_uid, write_date)
            SELECT answer_id, %(survey)s, md5(answer_id::text),
                   CASE WHEN referral_id %% 3 = 1 THEN 'done' ELSE 'in_progress' END,
                   'porteur@example.com', 1, now(), 1, now()
              FROM k
        ), scales AS (
            INSERT INTO survey_user_input_line (user_input_id, question_id,
                answer_type, skipped, value_scale, create_uid, create_date,
                write_uid, write_date)
            SELECT k.answer_id, q.question_id, 'scale', false,
                   (k.referral_id * q.factor) %% 11, 1, now(), 1, now()
              FROM k, (VALUES (%(call_center)s, 7), (%(structure)s, 5),
                              (%(recommend)s, 3)) q(question_id, factor)
             WHERE k.referral_id %% 3 = 1
        ), delays AS (
            INSERT INTO survey_user_input_line (user_input_id, question_id,
                answer_type, skipped, suggested_answer_id, create_uid,
                create_date, write_uid, write_date)
            SELECT k.answer_id, %(delay)s, 'suggestion', false,
                   (ARRAY[%(quick)s, %(fine)s, %(long)s])[1 + k.referral_id %% 3],
                   1, now(), 1, now()
              FROM k WHERE k.referral_id %% 3 = 1
        )
        UPDATE jecree_referral r SET survey_user_input_id = k.answer_id
          FROM k WHERE r.id = k.referral_id
        """,
        {
            "survey": ref("jecree_referral.survey_referral_satisfaction").id,
            **{
                key: ref(f"jecree_referral.survey_question_{key}").id
                for key in ("call_center", "structure", "recommend", "delay")
            },
            **{
                key: ref(f"jecree_referral.survey_answer_delay_{key}").id
                for key in ("quick", "fine", "long")
            },
        },
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=30000, help="calls a year")
    parser.add_argument("--repeat", type=int, default=5)
    add_db_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.calls, args.repeat = 2400, 3
    with bench_database(MODULES, demo=True, template=args.db) as dbname:
        with odoo_env(dbname) as env:
            t0 = time.perf_counter()
            seed_calls(env, args.calls)
            seed_follow_up(env)
            env.cr.execute("SELECT count(*) FROM crm_phonecall WHERE direction = 'in'")
            total_calls = env.cr.fetchone()[0]
            print(
                f"[bench] {total_calls:,} calls in the database, seeded in "
                f"{time.perf_counter() - t0:.0f} s",
                file=sys.stderr,
            )
        with odoo_env(dbname) as env:
            wizard = env["jecree.monthly.pack.wizard"].create(
                {"year": YEAR, "month": str(MONTH)}
            )
            Report = env["ir.actions.report"]
            name = "jecree_followup.monthly_pack_xlsx_report"
            pack = env["report.jecree_followup.monthly_pack_xlsx"]
            company = env.company
            periods = pack._pack_periods(YEAR, MONTH)
            params = {}
            for index, (year, month) in enumerate(periods):
                month_domain = pack._month_domain(year, month)
                first = date(year, month, 1)
                suffix = f"_{index}" if index else ""
                params.update(
                    {
                        # UTC bounds of the local month
                        f"start{suffix}": month_domain[0][2],
                        f"stop{suffix}": month_domain[1][2],
                        f"first{suffix}": first,
                        f"next{suffix}": first + relativedelta(months=1),
                        f"year_start{suffix}": date(year, 1, 1),
                    }
                )
            params.update(
                {
                    "company": company.id,
                    "refusal_rate": company.jecree_watch_refusal_rate,
                    "escalation_rate": company.jecree_watch_escalation_rate,
                    **{
                        f"q_{key}": env.ref(f"jecree_referral.survey_question_{key}").id
                        for key in ("call_center", "structure", "recommend", "delay")
                    },
                    **{
                        f"a_{key}": env.ref(
                            f"jecree_referral.survey_answer_delay_{key}"
                        ).id
                        for key in ("quick", "fine", "long")
                    },
                }
            )
            params.update(
                {
                    "type": env["crm.lead"]._jecree_callback_type().id,
                    "calendar": company.jecree_calendar_id.id,
                    "team": company.jecree_team_id.id,
                    "tz": company.jecree_calendar_id.tz or "Europe/Paris",
                    "appointment_on_call": appointment_on_call(env.cr),
                }
            )
            months = [f"{year:04d}-{month:02d}" for year, month in periods]
            counts = []

            def render():
                env.invalidate_all()
                with QueryCounter(env.cr) as qc:
                    content, __ = Report._render(name, wizard.ids)
                counts.append(qc.count)
                assert content[:2] == b"PK"

            base_counts = []

            def baseline():
                env.invalidate_all()
                with QueryCounter(env.cr) as qc:
                    figures = baseline_figures(env.cr, params)
                base_counts.append(qc.count)
                return figures

            ours_figures = comparable(pack._pack_figures(YEAR, MONTH), months)
            base_figures = comparable(baseline())
            differ = [
                key for key in ours_figures if ours_figures[key] != base_figures[key]
            ]
            if differ:
                for key in differ:
                    print(f"ours {key}: {ours_figures[key]}", file=sys.stderr)
                    print(f"SQL  {key}: {base_figures[key]}", file=sys.stderr)
                raise AssertionError(f"the pack and the SQL differ on: {differ}")
            empty = [
                f"{key} of period {index}"
                for index, period in enumerate(ours_figures["by_period"])
                for key in ("referrals", "week")
                if not period[key]
            ] + [
                key
                for key in ("due", "done", "reached")
                if not ours_figures["by_period"][0]["callbacks"][key]
            ]
            if not any(
                values["surveys_answered"]
                for values in ours_figures["service"].values()
            ):
                empty.append("satisfaction")
            if empty:
                raise AssertionError(f"sheets without rows: {empty}")
            render()  # warm-up
            baseline()
            ours, base = [], []
            for __ in range(args.repeat):
                t0 = time.perf_counter()
                render()
                ours.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                baseline()
                base.append(time.perf_counter() - t0)
            tracemalloc.start()
            render()
            __, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            env.cr.execute(
                "SELECT count(*) FROM crm_phonecall"
                " WHERE direction = 'in' AND date >= %(start)s AND date < %(stop)s",
                params,
            )
            month_calls = env.cr.fetchone()[0]
            env.cr.execute(
                "SELECT count(*) FROM jecree_referral"
                " WHERE date_proposed >= %(start)s AND date_proposed < %(stop)s",
                params,
            )
            month_referrals = env.cr.fetchone()[0]
            ratio = median(ours) / median(base)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB
            goal_s = 3 if args.calls <= 30000 else 60
            cb = ours_figures["by_period"][0]["callbacks"]
            report(
                f"P3 monthly pack: {total_calls:,} incoming calls a year (months "
                f"differ), the pack of {MONTH:02d}/{YEAR} ({month_calls:,} calls, "
                f"{month_referrals:,} referrals of "
                f"{len(ours_figures['by_period'][0]['referrals'])} structures, "
                f"J+8: {cb['due']:,} "
                f"due, {cb['done']:,} done, {cb['reached']:,} reached); "
                f"{args.repeat} runs alternating",
                [
                    (
                        "whole pack (XLSX, all sheets, 3 periods)",
                        ms(median(ours)),
                        f"{ms(median(base))} (hand-written SQL, same sheets/periods)",
                        f"{ratio:.2f}x",
                        f"<= 2x, < {goal_s} s",
                        "OK" if ratio <= 2 and median(ours) < goal_s else "MISSED",
                    ),
                    (
                        "SQL queries per pack",
                        median(counts),
                        median(base_counts),
                        "",
                        "",
                        "",
                    ),
                    (
                        "figures compared (3 periods): activity, referrals, J+8, "
                        "week, started, service levels, satisfaction",
                        "equal",
                        "",
                        "",
                        "equal",
                        "OK",
                    ),
                    (
                        "peak Python memory (tracemalloc)",
                        f"{peak / 2**20:.1f} MB",
                        "",
                        "",
                        "< 512 MB",
                        "OK" if peak < 512 * 2**20 else "MISSED",
                    ),
                    (
                        "peak RSS of the process (seeding included)",
                        f"{rss:.0f} MB",
                        "",
                        "",
                        "< 512 MB",
                        "OK" if rss < 512 else "MISSED",
                    ),
                ],
            )


if __name__ == "__main__":
    main()
