# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Agents and cron workers at the same moment: threads, each with its own
PostgreSQL connection.

The cursors of Odoo's test mode share the test's one connection and take turns
(see test_concurrency.py); here each agent or worker has a real connection
(``sql_db.db_connect``), as in a server with several workers, and a
``threading.Barrier`` releases them together.

A thread sees only committed rows: the test's own transaction is invisible to it.
So the records are created through a real cursor and committed, and removed at the
end of the class, even when a test fails: the highest id of every table is noted
before anything is committed, the cleanup unlinks through the ORM every row above
it, then fails if a table still holds one (the database is shared by the whole run:
later tests must not see our records). French, activated for the agents, is put
back as it was. A copy of the database was not an option: PostgreSQL copies a
database only when nobody is connected to it, and the test run is.

Nothing can block the run: each connection has a lock_timeout and a
statement_timeout, the barrier and the joins a timeout."""

import logging
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from types import SimpleNamespace
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.modules.registry import DummyRLock, Registry
from odoo.service import model as service_model
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.jecree_followup.tools.generate_calls import generate_month

from .common import JecreeScenarioMixin

_logger = logging.getLogger(__name__)

#: on every real connection: a wait for a lock, or a query, fails instead of hanging
TIMEOUTS = "SET lock_timeout = '5s'; SET statement_timeout = '15s'"
BARRIER_TIMEOUT = 10  # seconds a thread waits for the other one
JOIN_TIMEOUT = 20  # seconds a round of threads may take
#: a month of calls with 100 porteurs due a J+8 call-back
CALL_MONTH = {
    "total": 130,
    "sectors": (
        ("commerce", 50),
        ("services", 30),
        ("artisanat", 15),
        ("industrie", 5),
    ),
    "errors": 10,
    "pranks": 5,
    "off_target": 10,
}
#: removed first, in this order (what refers to a record goes before it); then
#: any other model with new rows
CLEANUP_ORDER = [
    "jecree.referral.wizard",
    "jecree.brochure.sending",
    "jecree.referral",
    "mail.activity",
    "mail.mail",
    "mail.message",
    "crm.phonecall",
    "crm.lead",
    "res.users",
    "res.partner",
]


@contextmanager
def real_cursor(dbname):
    """A cursor on a connection of its own, closed (uncommitted work rolled back)
    on exit. The pool resets the session (timeouts) when it lends it again."""
    cr = sql_db.db_connect(dbname).cursor()
    try:
        cr.execute(TIMEOUTS)
        yield cr
    finally:
        cr.close()


@contextmanager
def dropped_log_lines(logger_name, text):
    """Drop the lines of `logger_name` containing `text`, and count them.

    Odoo logs each failed query at ERROR ("bad query"); a serialization failure
    between two agents is expected (Odoo retries the request): only those lines are
    dropped, any other failed query still fails the run."""
    dropped = []

    def keep(record):
        if text in record.getMessage():
            dropped.append(record)
            return False
        return True

    logger = logging.getLogger(logger_name)
    logger.addFilter(keep)
    try:
        yield dropped
    finally:
        logger.removeFilter(keep)


class CommittedRecords(JecreeScenarioMixin):
    """The scenario helpers (directory, porteurs) on a committed environment."""

    env = None


@tagged("post_install", "-at_install")
class TestSimultaneous(TransactionCase):
    """Two agents, two cron workers, truly at the same moment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname
        with real_cursor(cls.dbname) as cr:
            marks = cls.high_water_marks(cr)
            cr.execute("SELECT id, active FROM res_lang WHERE code = 'fr_FR'")
            french_id, french_active = cr.fetchone()
        # class cleanups run last first: the records go, then French
        cls.addClassCleanup(cls.restore_lang, french_id, french_active)
        cls.addClassCleanup(cls.remove_committed, marks)
        with cls.committed() as env:
            env["res.lang"]._activate_lang("fr_FR")
            data = CommittedRecords
            data.setup_directory()
            agent2 = new_test_user(
                env,
                login="js_agent2",
                name="Agent Deux",
                groups="jecree_project.group_jecree_agent",
            )
            agents = data.agent | agent2
            agents.lang = "fr_FR"
            cls.agents = agents.ids
            cls.antenna_id = data.cma_arras.id

    # ------------------------------------------------------------------ committed
    @classmethod
    @contextmanager
    def committed(cls):
        """A superuser environment on a real cursor, committed on exit."""
        with real_cursor(cls.dbname) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            CommittedRecords.env = env
            yield env
            cr.commit()

    @staticmethod
    def high_water_marks(cr):
        """{table: highest id} of every table with an id."""
        cr.execute(
            """
            SELECT c.table_name
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.column_name = 'id' AND c.data_type IN ('integer', 'bigint')
            """
        )
        tables = [row[0] for row in cr.fetchall()]
        cr.execute(
            SQL(" UNION ALL ").join(
                SQL(
                    "SELECT %s, COALESCE(MAX(id), 0) FROM %s",
                    table,
                    SQL.identifier(table),
                )
                for table in tables
            )
        )
        return dict(cr.fetchall())

    @staticmethod
    def new_rows(cr, marks):
        """{table: ids above its mark}, for the tables that have some."""
        cr.execute(
            SQL(" UNION ALL ").join(
                SQL(
                    "SELECT %s, ARRAY_AGG(id ORDER BY id) FROM %s WHERE id > %s "
                    "HAVING COUNT(*) > 0",
                    table,
                    SQL.identifier(table),
                    mark,
                )
                for table, mark in marks.items()
            )
        )
        return dict(cr.fetchall())

    @classmethod
    def remove_committed(cls, marks):
        """Unlink every row committed by the class, then check that none is left."""
        with cls.committed() as env:
            env = env(context={"active_test": False})
            models = {
                model._table: model._name
                for model in env.registry.values()
                if model._auto and not model._abstract
            }
            order = CLEANUP_ORDER + sorted(
                models[table]
                for table in cls.new_rows(env.cr, marks)
                if table in models and models[table] not in CLEANUP_ORDER
            )
            for name in order:
                table = env[name]._table
                env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id > %s",
                        SQL.identifier(table),
                        marks[table],
                    )
                )
                env[name].browse(row[0] for row in env.cr.fetchall()).unlink()
            env.flush_all()
            left = cls.new_rows(env.cr, marks)
        if left:
            raise AssertionError(f"rows left in the shared database: {left}")

    @classmethod
    def restore_lang(cls, lang_id, active):
        with cls.committed() as env:
            env["res.lang"].browse(lang_id).active = active

    # ------------------------------------------------------------------ threads
    def run_together(self, *jobs):
        """Run each job in a thread of its own, on a real cursor; the jobs call the
        `together` they are given (a barrier) to start their work at once.

        Returns per job (its result, its exception, when it crossed the barrier)."""
        barrier = threading.Barrier(len(jobs), timeout=BARRIER_TIMEOUT)
        outcomes = [None] * len(jobs)

        def run(index, job):
            crossed = None

            def together():
                nonlocal crossed
                barrier.wait()
                crossed = time.monotonic()

            threading.current_thread().dbname = self.dbname  # for the log lines
            try:
                with real_cursor(self.dbname) as cr:
                    outcomes[index] = (job(cr, together), None, crossed)
            except Exception as error:  # noqa: BLE001 reported by the test
                barrier.abort()
                outcomes[index] = (None, error, crossed)

        threads = [
            threading.Thread(target=run, args=(i, job), name=f"jecree-sim-{i}")
            for i, job in enumerate(jobs)
        ]
        # Odoo's test server holds the registry lock while the tests run; the
        # threads only look the loaded registry up (HttpCase lifts it the same way)
        with patch.object(Registry, "_lock", DummyRLock()):
            for thread in threads:
                thread.daemon = True  # a hung thread cannot keep the run alive
                thread.start()
            deadline = time.monotonic() + JOIN_TIMEOUT
            for thread in threads:
                thread.join(max(deadline - time.monotonic(), 0))
        hung = [thread for thread in threads if thread.is_alive()]
        if hung:
            barrier.abort()
            frames = sys._current_frames()
            stacks = "\n".join(
                f"{thread.name}:\n{''.join(traceback.format_stack(frames[thread.ident]))}"
                for thread in hung
            )
            self.fail(f"still running after {JOIN_TIMEOUT} s:\n{stacks}")
        for __, error, __ in outcomes:
            if error and not isinstance(error, UserError):
                raise error
        return outcomes

    # ------------------------------------------------------------------ referrals
    def refer_job(self, agent_id, lead_id):
        """The agent opens the referral wizard of the porteur, ticks the antenna,
        then (together with the other agent) clicks Refer: the click goes through
        Odoo's request retry, as an RPC does."""

        def job(cr, together):
            env = api.Environment(cr, agent_id, {"lang": "fr_FR"})
            action = env["crm.lead"].browse(lead_id).action_jecree_refer()
            wizard = env["jecree.referral.wizard"].browse(action["res_id"])
            line = wizard.line_ids.filtered(
                lambda line: line.antenna_id.id == self.antenna_id
            )
            line.ensure_one().selected = True
            cr.commit()  # the web client saves the wizard, then calls its button
            together()
            service_model.retrying(wizard.action_refer, env)
            return wizard.referral_ids.ids

        return job

    def test_two_agents_refer_the_same_porteur_at_once(self):
        """Round after round, two agents refer a new porteur to the same antenna
        at the same moment: one referral, the other agent refused in French, the
        winner's referral whole, one mail."""
        rounds = 10
        with self.committed():
            leads = [
                CommittedRecords.make_porteur(name=f"Porteur Simultané {i}").id
                for i in range(rounds)
            ]
        waits = []
        wins = dict.fromkeys(self.agents, 0)
        refusals, skews = [], []
        start = time.monotonic()
        # Odoo waits up to 2 s before retrying a request; the winner has committed
        # when the loser's serialization failure is raised: no need to wait here
        with (
            patch.object(service_model, "time", SimpleNamespace(sleep=waits.append)),
            dropped_log_lines(
                "odoo.sql_db", "could not serialize access"
            ) as serialization_failures,
        ):
            for lead_id in leads:
                outcomes = self.run_together(
                    *(self.refer_job(agent_id, lead_id) for agent_id in self.agents)
                )
                skews.append(abs(outcomes[0][2] - outcomes[1][2]))
                winners = [
                    agent_id
                    for agent_id, (__, error, __) in zip(
                        self.agents, outcomes, strict=True
                    )
                    if not error
                ]
                self.assertEqual(len(winners), 1, "one agent refers, the other not")
                wins[winners[0]] += 1
                refusals += [str(error) for __, error, __ in outcomes if error]
        duration = time.monotonic() - start
        for message in refusals:
            self.assertRegex(message, r"est déjà orienté vers CMA – Arras \(ORI/")

        with real_cursor(self.dbname) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            referrals = env["jecree.referral"].search([("lead_id", "in", leads)])
            self.assertEqual(sorted(referrals.lead_id.ids), sorted(leads), "no dup")
            # no lost update: each winner's referral is whole, its mail the only one
            self.assertEqual(set(referrals.mapped("state")), {"proposee"})
            self.assertEqual(referrals.antenna_id.ids, [self.antenna_id])
            self.assertEqual(
                sorted(referrals.user_id.ids),
                sorted(agent_id for agent_id in self.agents if wins[agent_id]),
            )
            for agent_id, count in wins.items():
                self.assertEqual(
                    len(referrals.filtered_domain([("user_id", "=", agent_id)])), count
                )
            mails = env["mail.mail"].search(
                [("model", "=", "jecree.referral"), ("res_id", "in", referrals.ids)]
            )
            self.assertEqual(sorted(mails.mapped("res_id")), sorted(referrals.ids))
        _logger.info(
            "simultaneous referrals: %s rounds in %.2f s, wins per agent %s, "
            "%s refusals (%s after waiting for the winner's lock: serialization "
            "failure, request retried), barrier skew max %.1f ms",
            rounds,
            duration,
            list(wins.values()),
            len(refusals),
            len(serialization_failures),
            max(skews) * 1000,
        )
        self.assertEqual(len(refusals), rounds)
        self.assertEqual(len(waits), len(serialization_failures))

    # ------------------------------------------------------------------ crons
    def run_cron_twice_at_once(self, model, method, batch_size):
        """Two workers run the cron's method at the same moment, each on its own
        connection. Out of a cron job, `ir.cron._commit_progress` commits the
        worker's cursor: each batch is really committed, as in a cron worker.

        Returns what each worker's method returned, and the duration."""

        def worker(cr, together):
            env = api.Environment(cr, SUPERUSER_ID, {})
            together()
            return getattr(env[model], method)(batch_size=batch_size)

        start = time.monotonic()
        outcomes = self.run_together(worker, worker)
        return [result for result, __, __ in outcomes], time.monotonic() - start

    def test_two_workers_run_the_callback_cron_at_once(self):
        """Calls inserted without the ORM, then two workers schedule their J+8
        call-backs at the same moment: each porteur gets one, none is missed."""
        rounds, batch_size = 3, 5
        splits, durations = [], []
        for month in range(3, 3 + rounds):
            with self.committed() as env:
                agents = env["res.users"].browse(self.agents)
                self.assertFalse(self.due_porteurs(env), "nothing due beforehand")
                generate_month(env, 2026, month, agents=agents, figures=CALL_MONTH)
                due = self.due_porteurs(env)
            self.assertEqual(len(due), 100)
            done, duration = self.run_cron_twice_at_once(
                "crm.lead", "_cron_jecree_schedule_callbacks", batch_size
            )
            splits.append(done)
            durations.append(duration)
            with real_cursor(self.dbname) as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                activities = env["mail.activity"].search(
                    [
                        ("res_model", "=", "crm.lead"),
                        ("res_id", "in", due),
                        (
                            "activity_type_id",
                            "=",
                            env.ref("jecree_followup.mail_activity_type_callback").id,
                        ),
                    ]
                )
                self.assertEqual(sorted(activities.mapped("res_id")), due)
                leads = env["crm.lead"].browse(due)
                self.assertEqual(set(leads.mapped("callback_state")), {"planned"})
                self.assertFalse(self.due_porteurs(env), "none missed")
            self.assertEqual(sum(done), len(due), "the workers' counts add up")
        _logger.info(
            "simultaneous J+8 crons: %s rounds of 100 due porteurs, batches of %s, "
            "call-backs per worker %s, %s s",
            rounds,
            batch_size,
            splits,
            [round(duration, 2) for duration in durations],
        )
        self.assertTrue(
            any(min(done) for done in splits), "the two workers shared the work"
        )

    @staticmethod
    def due_porteurs(env):
        """The porteurs the J+8 cron has to schedule (its own query)."""
        env.cr.execute(
            """
            SELECT lead.id FROM crm_lead lead
             WHERE lead.is_porteur AND lead.active
               AND lead.callback_scheduled IS NOT TRUE
               AND EXISTS (SELECT 1 FROM crm_phonecall call
                            WHERE call.opportunity_id = lead.id
                              AND call.qualification = 'utile' AND call.active)
          ORDER BY lead.id
            """
        )
        return [row[0] for row in env.cr.fetchall()]

    def test_two_workers_prepare_the_brochure_queue_at_once(self):
        """Brochures queued by an agent, then two workers build their emails at
        the same moment: each queued sending gets one email, one note."""
        count, batch_size = 20, 3
        with self.committed() as env:
            Sending = env["jecree.brochure.sending"]
            self.assertFalse(Sending.search([("queued", "=", True)]))
            leads = env["crm.lead"].union(
                *(
                    CommittedRecords.make_porteur(
                        name=f"Porteur Brochure {i}",
                        email_from=f"porteur.{i}@example.com",
                    )
                    for i in range(count)
                )
            )
            sendings = leads.with_user(self.agents[0])._jecree_send_brochure(queue=True)
            self.assertEqual(len(sendings), count)
            lead_ids, sending_ids = leads.ids, sendings.ids
        done, duration = self.run_cron_twice_at_once(
            "jecree.brochure.sending", "_cron_jecree_prepare_brochures", batch_size
        )
        with real_cursor(self.dbname) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            sendings = env["jecree.brochure.sending"].browse(sending_ids)
            self.assertEqual(set(sendings.mapped("state")), {"outgoing"})
            mails = env["mail.mail"].search(
                [("model", "=", "crm.lead"), ("res_id", "in", lead_ids)]
            )
            self.assertEqual(sorted(mails.mapped("res_id")), sorted(lead_ids))
            self.assertEqual(sendings.mail_id, mails, "one email a sending")
            notes = env["mail.message"].search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "in", lead_ids),
                    ("body", "ilike", "sent to porteur."),
                ]
            )
            self.assertEqual(sorted(notes.mapped("res_id")), sorted(lead_ids))
        self.assertEqual(sum(done), count)
        _logger.info(
            "simultaneous brochure crons: %s queued sendings, batches of %s, "
            "sendings per worker %s, %.2f s",
            count,
            batch_size,
            done,
            duration,
        )

    def test_lead_committed_between_the_batch_snapshot_and_its_lock(self):
        """The race two simultaneous workers showed (J+8 cron, brochure queue, with
        batches of one), step by step: an agent saves a porteur of the batch after
        the worker's snapshot, before its lock; under REPEATABLE READ the lock
        raises a serialization failure instead of skipping the lead. The worker
        locks again on a fresh snapshot and takes the lead."""
        with self.committed():
            leads = [
                CommittedRecords.make_porteur(name=f"Porteur Verrou {i}").id
                for i in range(3)
            ]
        with (
            real_cursor(self.dbname) as worker_cr,
            real_cursor(self.dbname) as agent_cr,
        ):
            worker = api.Environment(worker_cr, SUPERUSER_ID, {})
            worker_cr.execute("SELECT phone FROM crm_lead WHERE id = %s", [leads[1]])
            agent = api.Environment(agent_cr, self.agents[0], {})
            agent["crm.lead"].browse(leads[1]).phone = "+33 6 00 00 00 01"
            agent_cr.commit()
            # (logging.INFO: Odoo names its level 25 "INFO" too)
            with self.assertLogs(
                "odoo.addons.jecree_project.tools.locking", logging.INFO
            ) as logs:
                locked = worker["crm.lead"].browse(leads)._jecree_lock_cron_batch()
            self.assertEqual(locked.ids, leads, "every lead locked, none skipped")
            self.assertIn("committed meanwhile, lock attempt 1 of 3", logs.output[0])
            self.assertEqual(locked[1].phone, "+33 6 00 00 00 01", "fresh snapshot")
