#!/usr/bin/env python3
"""Ladder cron: remind and escalate the unanswered referrals among 10,000 then 100,000.

Each size gets a database of its own (the smallest is seeded, then copied and grown),
with jecree_referral and STRUCTURES support structures (one antenna each) on the
company's working hours; a few of them have a closure of their own in the last weeks
(they need a calendar computation of their own). Referrals are seeded in SQL
(``jecree_referral``), spread over the structures:

- DUE of them (default 2,000) still proposed and due: half proposed 8 days ago (due
  for the reminder: 3 to 5 opening days whatever the weekday), half 20 days ago (due
  for the escalation: 7 opening days or more);
- 1 in 100 proposed today (not due yet) and 1 in 100 proposed long ago and already
  escalated (out of the cron's partial index);
- the others answered (accepted, declined, an appointment, closed…) over 3 years.

The cron's method ``jecree.referral._cron_jecree_ladder()`` is called as the cron
calls it, its batches committed (``ir.cron._commit_progress`` is not patched): the
reminder and escalation mails are generated (mail.mail, queued), the activities
created, the step tracked in the chatter. After each run the database is put back in
SQL (the rows it added deleted, the due referrals' step cleared, VACUUM ANALYZE).

The plain SQL equivalent does the same writes in three statements with the same
cut-offs (read once from ``_jecree_ladder_cutoffs``): the step and its date set on
the due referrals, one queued mail.mail per referral (a fixed body), one
mail.activity per escalation. Runs alternate between the sizes and the two ways,
REPEAT times (one warm-up first). Each run is checked: DUE referrals moved, all the
due ones, no other.

    python3 bench/bench_ladder.py [--referrals 10000,100000] [--due 2000] [--repeat 3]
    python3 bench/bench_ladder.py --smoke [--db DB]

Goal (issue 12): under 10 s with 100,000 referrals, at most 1.5x the time with
10,000 (the work grows with what is due, not with the table).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from common import (
    QueryCounter,
    add_db_arguments,
    bench_database,
    close_connections,
    delete_above,
    drop_database,
    median,
    odoo_env,
    report,
    run,
    table_maxima,
    vacuum,
)

MODULES = ["jecree_project", "jecree_referral"]
STRUCTURES = 50
OWN_CLOSURES = 5  # structures with a closure of their own in the last weeks
#: rows the cron adds, deleted after each run (id above the maximum before it)
CRON_TABLES = (
    "mail_mail",
    "mail_message",
    "mail_tracking_value",
    "mail_activity",
    "bus_bus",
)


def setup_directory(env):
    """STRUCTURES structures with an antenna each, a porteur; returns
    (antenna ids, structure ids, lead id)."""
    Partner = env["res.partner"]
    stype = env.ref("jecree_referral.jecree_structure_type_cma")
    structures = Partner.create(
        [
            {
                "name": f"Bench structure {n}",
                "is_company": True,
                "jecree_structure_type_id": stype.id,
                "email": f"structure{n}@example.com",
            }
            for n in range(STRUCTURES)
        ]
    )
    antennas = Partner.create(
        [
            {
                "name": f"Bench antenna {n}",
                "type": "other",
                "parent_id": structure.id,
                "jecree_is_antenna": True,
                "email": f"antenna{n}@example.com",
            }
            for n, structure in enumerate(structures)
        ]
    )
    env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    now = env.cr.fetchone()[0]
    from datetime import timedelta

    env["resource.calendar.leaves"].create(
        [
            {
                "name": "Bench closure",
                "jecree_structure_id": structure.id,
                "date_from": now - timedelta(days=12),
                "date_to": now - timedelta(days=11),
                "time_type": "leave",
            }
            for structure in structures[:OWN_CLOSURES]
        ]
    )
    lead = env["crm.lead"].create(
        {
            "name": "Bench porteur",
            "contact_name": "Bench Porteur",
            "is_porteur": True,
            "email_from": "porteur@example.com",
        }
    )
    env.cr.commit()
    return antennas.ids, structures.ids, lead.id


def seed(env, first, count, due, antennas, structures, lead):
    """Referrals number first..first+count-1 (see the docstring); `due` of them
    (every count/due-th) due; returns (seconds, due referral ids)."""
    cr = env.cr
    every = count // due if due else 0
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM jecree_referral")
    before = cr.fetchone()[0]
    t0 = time.perf_counter()
    cr.execute(
        """
        INSERT INTO jecree_referral (name, lead_id, porteur_name, structure_id,
            antenna_id, company_id, state, ladder_step, date_proposed,
            date_accepted, create_uid, create_date, write_uid, write_date, why)
        SELECT 'BENCH/' || g, %(lead)s, 'Porteur ' || g,
            (%(structures)s::int[])[1 + g %% %(n)s],
            (%(antennas)s::int[])[1 + g %% %(n)s], %(company)s,
            CASE WHEN k.kind IN ('remind', 'escalate', 'recent', 'escalated')
                 THEN 'proposee'
                 ELSE (ARRAY['acceptee', 'refusee', 'rdv_fixe', 'honore',
                             'non_honore', 'accompagnement', 'clos'])[1 + g %% 7]
            END,
            CASE WHEN k.kind = 'escalated' THEN 'escalated' END,
            CASE k.kind
                 WHEN 'remind' THEN now() - interval '8 days'
                 WHEN 'escalate' THEN now() - interval '20 days'
                 WHEN 'recent' THEN now() - interval '1 hour'
                 ELSE now() - interval '30 days' - (g %% 1000) * interval '1 day'
            END AT TIME ZONE 'UTC',
            CASE WHEN k.kind = 'answered'
                 THEN (now() - interval '29 days' - (g %% 1000) * interval '1 day')
                      AT TIME ZONE 'UTC' END,
            1, now(), 1, now(), k.kind
          FROM generate_series(%(first)s, %(last)s) g,
               LATERAL (SELECT CASE
                   WHEN %(every)s > 0 AND g %% GREATEST(%(every)s, 1) = 0
                        AND g / GREATEST(%(every)s, 1) <= %(due)s
                        THEN CASE WHEN g / GREATEST(%(every)s, 1) %% 2 = 0
                                  THEN 'remind' ELSE 'escalate' END
                   WHEN g %% 100 = 1 THEN 'recent'
                   WHEN g %% 100 = 2 THEN 'escalated'
                   ELSE 'answered' END AS kind) k
        """,
        {
            "lead": lead,
            "structures": structures,
            "antennas": antennas,
            "n": len(structures),
            "company": env.company.id,
            "first": first,
            "last": first + count - 1,
            "every": every,
            "due": due,
        },
    )
    cr.execute(
        "SELECT id FROM jecree_referral WHERE id > %s"
        " AND why IN ('remind', 'escalate') ORDER BY id",
        [before],
    )
    due_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE jecree_referral SET why = NULL WHERE id > %s", [before])
    env.cr.commit()
    return time.perf_counter() - t0, due_ids


def sql_equivalent(env):
    """The same writes in plain SQL, with the same cut-offs; returns the count."""
    cr = env.cr
    Referral = env["jecree.referral"]
    now = Referral.env.cr.now().replace(tzinfo=None)
    cr.execute(
        "SELECT DISTINCT structure_id FROM jecree_referral WHERE state = 'proposee'"
        " AND ladder_step IS DISTINCT FROM 'escalated'"
    )
    structures = env["res.partner"].browse([row[0] for row in cr.fetchall()])
    cutoffs = Referral._jecree_ladder_cutoffs(structures, now)
    rows = [
        (sid, steps.get("reminded"), steps.get("escalated"))
        for sid, steps in cutoffs.items()
        if steps
    ]
    values = ", ".join(["(%s, %s::timestamp, %s::timestamp)"] * len(rows))
    params = [value for row in rows for value in row]
    activity_type = env.ref("jecree_referral.mail_activity_type_referral_unanswered")
    model_id = env["ir.model"]._get_id("jecree.referral")
    cr.execute(
        f"""
        WITH due AS (
            SELECT r.id, CASE WHEN r.date_proposed < c.escalate
                              THEN 'escalated' ELSE 'reminded' END AS step
              FROM jecree_referral r
              JOIN (VALUES {values}) AS c(structure_id, remind, escalate)
                ON c.structure_id = r.structure_id
             WHERE r.state = 'proposee'
               AND r.ladder_step IS DISTINCT FROM 'escalated'
               AND (r.date_proposed < c.escalate
                    OR (r.ladder_step IS NULL AND r.date_proposed < c.remind))
               FOR UPDATE OF r SKIP LOCKED
        ), moved AS (
            UPDATE jecree_referral r
               SET ladder_step = due.step,
                   date_reminded = CASE WHEN due.step = 'reminded'
                                        THEN %s ELSE r.date_reminded END,
                   date_escalated = CASE WHEN due.step = 'escalated'
                                         THEN %s END
              FROM due WHERE r.id = due.id
         RETURNING r.id, due.step, r.structure_id
        ), messages AS (
            INSERT INTO mail_message (model, res_id, message_type, subject, body,
                                      date, create_uid, create_date)
            SELECT 'jecree.referral', moved.id, 'email', 'Referral ' || moved.id,
                   'Referral ' || moved.id || ': ' || moved.step, now(), 1, now()
              FROM moved
         RETURNING id
        ), mails AS (
            INSERT INTO mail_mail (mail_message_id, state, email_to, body_html,
                                   auto_delete, create_uid, create_date)
            SELECT messages.id, 'outgoing', 'structure@example.com',
                   'Referral', false, 1, now()
              FROM messages
         RETURNING 1
        ), activities AS (
            INSERT INTO mail_activity (res_model_id, res_model, res_id,
                activity_type_id, user_id, date_deadline, summary, active,
                create_uid, create_date)
            SELECT %s, 'jecree.referral', moved.id, %s, 1, %s::date,
                   'Call the porteur', true, 1, now()
              FROM moved WHERE moved.step = 'escalated'
         RETURNING 1
        )
        SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM mails),
               (SELECT count(*) FROM activities)
        """,  # noqa: S608 values are placeholders
        [*params, now, now, model_id, activity_type.id, now],
    )
    moved, mails, activities = cr.fetchone()
    assert mails == moved and activities <= moved
    return moved


class Size:
    """One database of the benchmark, its due referrals and its results."""

    #: the referrals up to this id were there before the seeding (demo data)
    floor = 0

    def __init__(self, dbname, referrals):
        self.dbname = dbname
        self.referrals = referrals
        self.due_ids = []
        self.durations = {"orm": [], "sql": []}
        self.queries, self.checks = [], []
        self.kinds = {}

    def maxima(self, cr):
        return table_maxima(cr, CRON_TABLES)

    def reset(self, env, maxima):
        """Put the database back as before the run, in SQL."""
        cr = env.cr
        delete_above(cr, maxima)
        cr.execute(
            """
            UPDATE jecree_referral SET ladder_step = NULL, date_reminded = NULL,
                   date_escalated = NULL
             WHERE id = ANY(%s)
            """,
            [self.due_ids],
        )
        cr.commit()
        env.invalidate_all()
        vacuum(self.dbname, ["jecree_referral", *maxima])

    def run(self, way, record=True):
        """One run (the cron, or its SQL equivalent), committed, timed, checked,
        then undone."""
        with odoo_env(self.dbname) as env:
            cr = env.cr
            maxima = self.maxima(cr)
            cr.commit()
            env.invalidate_all()
            env.registry.clear_cache()
            t0 = time.perf_counter()
            with QueryCounter(cr) as qc:
                if way == "orm":
                    done = env["jecree.referral"]._cron_jecree_ladder()
                    env.flush_all()
                else:
                    done = sql_equivalent(env)
                cr.commit()
            seconds = time.perf_counter() - t0
            cr.execute(
                """
                SELECT COUNT(*) FILTER (WHERE id = ANY(%s)
                                          AND ladder_step IS NOT NULL),
                       COUNT(*) FILTER (WHERE id <> ALL(%s) AND id > %s
                                          AND (date_reminded IS NOT NULL
                                               OR date_escalated IS NOT NULL))
                  FROM jecree_referral
                """,
                [self.due_ids, self.due_ids, self.floor],
            )
            moved, others = cr.fetchone()
            if record:
                self.durations[way].append(seconds)
                if way == "orm":
                    self.queries.append(qc.count)
                due = len(self.due_ids)
                check = (done, moved, others)
                self.checks.append(check)
                if check != (due, due, 0):
                    raise AssertionError(
                        f"{way} on {self.referrals:,} referrals: done / due moved / "
                        f"others moved = {check}, expected {due} / {due} / 0"
                    )
            self.reset(env, maxima)


def counts(env):
    env.cr.execute(
        "SELECT state, ladder_step IS NOT NULL, count(*) FROM jecree_referral"
        " GROUP BY 1, 2"
    )
    return env.cr.fetchall()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--referrals",
        default="10000,100000",
        help="table sizes, comma-separated, increasing",
    )
    parser.add_argument("--due", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    add_db_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.referrals, args.due, args.repeat = "2000,6000", 100, 1
    sizes_wanted = [int(size) for size in args.referrals.split(",")]
    with bench_database(MODULES, template=args.db) as dbname:
        sizes = [Size(dbname, sizes_wanted[0])]
        with odoo_env(dbname) as env:
            # the demo referrals due, if any, are moved once and for all, and left
            # out of the checks (only the seeded referrals, above `floor`, count)
            env["jecree.referral"]._cron_jecree_ladder()
            env.cr.commit()
            env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM jecree_referral")
            Size.floor = env.cr.fetchone()[0]
            antennas, structures, lead = setup_directory(env)
            print(f"[bench] seeding {sizes_wanted[0]:,} referrals…", file=sys.stderr)
            seconds, sizes[0].due_ids = seed(
                env, 1, sizes_wanted[0], args.due, antennas, structures, lead
            )
            print(f"[bench] seeded in {seconds:.0f} s", file=sys.stderr)
        vacuum(dbname)
        copies = []
        try:
            for size in sizes_wanted[1:]:
                close_connections(dbname)
                copy = f"{dbname}_{size}"
                copies.append(copy)
                drop_database(copy)
                run(["createdb", "-T", dbname, copy])
                grown = Size(copy, size)
                grown.due_ids = sizes[0].due_ids
                with odoo_env(copy) as env:
                    print(f"[bench] growing {copy} to {size:,}…", file=sys.stderr)
                    seconds, __ = seed(
                        env,
                        sizes_wanted[0] + 1,
                        size - sizes_wanted[0],
                        0,
                        antennas,
                        structures,
                        lead,
                    )
                    print(f"[bench] seeded in {seconds:.0f} s", file=sys.stderr)
                vacuum(copy)
                sizes.append(grown)
            for size in sizes:
                with odoo_env(size.dbname) as env:
                    size.kinds = counts(env)
                size.run("orm", record=False)  # warm-up
                size.run("sql", record=False)
            for __ in range(args.repeat):
                for size in sizes:
                    size.run("orm")
                    size.run("sql")
        finally:
            for copy in copies:
                close_connections(copy)
                drop_database(copy, check=False)
    rows = []
    first = median(sizes[0].durations["orm"])
    for size in sizes:
        seconds = median(size.durations["orm"])
        sql = median(size.durations["sql"])
        big = size is not sizes[0]
        rows.append(
            (
                f"cron, {size.referrals:,} referrals, median of {args.repeat}",
                f"{seconds:.2f} s",
                f"{sql:.3f} s (plain SQL)",
                f"{seconds / sql:.1f}x",
                "< 10 s",
                "OK" if seconds < 10 else "MISSED",
            )
        )
        if big:
            rows.append(
                (
                    f"  growth: {size.referrals:,} vs {sizes[0].referrals:,}",
                    f"{seconds:.2f} s",
                    f"{first:.2f} s",
                    f"{seconds / first:.2f}x",
                    "<= 1.5x",
                    "OK" if seconds <= 1.5 * first else "MISSED",
                )
            )
        done, moved, others = size.checks[-1]
        rows.append(
            (
                "  check: done / due moved / others moved",
                f"{done} / {moved} / {others}",
                "",
                "",
                f"{args.due} / {args.due} / 0",
                "OK",
            )
        )
        rows.append(
            (
                "  SQL queries per cron run (median)",
                median(size.queries),
                "",
                "",
                "",
                "",
            )
        )
    report(
        f"Ladder cron: _cron_jecree_ladder, {args.due:,} due referrals "
        f"({STRUCTURES} structures, {OWN_CLOSURES} with a closure of their own), "
        "batches committed, beside the same writes in plain SQL",
        rows,
    )


if __name__ == "__main__":
    main()
