# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, time
from unittest.mock import patch

import pytz
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_cron import IrCron

from .common import JecreeReferralMixin
from .test_portal import JecreePortalCase


def utc(env, day, hour=10):
    """Naive UTC datetime of `hour` o'clock on `day`, in the call center's time
    zone (its calendar's, else the company's; the structures' calendars share it)."""
    tz = env.company._jecree_tz()
    local = tz.localize(datetime.combine(day, time(hour)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def run_cron_method(method, **kwargs):
    """Run a cron's method, its progress recorded instead of committed."""
    progress = []

    def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
        progress.append((processed, remaining))
        return float("inf")

    with patch.object(IrCron, "_commit_progress", commit_progress):
        result = method(**kwargs)
    return result, progress


class JecreeLadderCase(JecreeReferralMixin, TransactionCase):
    """Referrals proposed on Monday 9 November 2026 to the CMA and the CCI (the
    same opening hours: Monday to Friday); Wednesday 11 November is a public
    holiday. Reminder after 3 opening days, escalation after 7 (the defaults)."""

    MONDAY = date(2026, 11, 9)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.env.company._jecree_generate_public_holidays(range(2026, 2028))
        cls.env.company.jecree_team_id.user_id = cls.manager
        cls.Referral = cls.env["jecree.referral"]
        cls.cma_manager = cls.env["res.partner"].create(
            {
                "name": "Directrice CMA",
                "parent_id": cls.cma.id,
                "email": "directrice.cma@example.com",
            }
        )
        cls.cma.jecree_manager_id = cls.cma_manager
        cls.lead = cls.make_porteur(name="Porteuse Relance")
        cls.referral_cma = cls.make_referral(
            cls.lead,
            cls.cma_arras,
            adviser_id=cls.adviser_cma.id,
            date_proposed=utc(cls.env, cls.MONDAY),
            user_id=cls.agent.id,
        )
        cls.referral_cci = cls.make_referral(
            cls.lead, cls.cci_arras, date_proposed=utc(cls.env, cls.MONDAY)
        )

    def run_cron(self, day, hour=8, **kwargs):
        with freeze_time(utc(self.env, day, hour)):
            return run_cron_method(self.Referral._cron_jecree_ladder, **kwargs)[0]

    def mails(self, referral, subject):
        """The ladder's mails (one per recipient) that list `referral`."""
        return (
            self.env["mail.mail"]
            .search([("model", "=", "res.partner"), ("subject", "like", subject)])
            .filtered(lambda mail: referral.name in mail.body_html)
        )

    def activities(self, referrals):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "jecree.referral"),
                ("res_id", "in", referrals.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "jecree_referral.mail_activity_type_referral_unanswered"
                    ).id,
                ),
            ]
        )


@tagged("post_install", "-at_install")
class TestLadder(JecreeLadderCase):
    def test_reminder_counts_opening_days_across_a_holiday(self):
        """Tuesday, Thursday, Friday: the reminder goes on Monday 16, not on
        Friday 13 as it would without the 11 November holiday."""
        self.assertEqual(self.run_cron(date(2026, 11, 13)), 0)
        self.assertFalse(self.referral_cma.ladder_step)
        self.assertFalse(self.mails(self.referral_cma, "Reminder"))
        self.assertEqual(self.run_cron(date(2026, 11, 16)), 2)
        self.assertEqual(self.referral_cma.ladder_step, "reminded")
        self.assertEqual(
            self.referral_cma.date_reminded, utc(self.env, date(2026, 11, 16), 8)
        )
        mail = self.mails(self.referral_cma, "Reminder")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.adviser_cma)
        self.assertFalse(self.activities(self.referral_cma))

    def test_structure_closure_counts_for_that_structure_only(self):
        """A closure of the CMA on Thursday 12 delays its reminder by one
        opening day; the CCI, open that day, is reminded on Monday 16."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Pont",
                "jecree_structure_id": self.cma.id,
                "date_from": utc(self.env, date(2026, 11, 12), 0),
                "date_to": utc(self.env, date(2026, 11, 12), 23),
                "time_type": "leave",
            }
        )
        self.assertEqual(self.run_cron(date(2026, 11, 16)), 1)
        self.assertFalse(self.referral_cma.ladder_step)
        self.assertEqual(self.referral_cci.ladder_step, "reminded")
        self.assertEqual(self.run_cron(date(2026, 11, 17)), 1)
        self.assertEqual(self.referral_cma.ladder_step, "reminded")

    def test_escalation_after_seven_opening_days(self):
        """Tue 10, Thu 12, Fri 13, Mon 16, Tue 17, Wed 18, Thu 19: escalated on
        Friday 20; the call center gets an activity, the manager a mail."""
        self.run_cron(date(2026, 11, 16))
        self.assertEqual(self.run_cron(date(2026, 11, 19)), 0)
        self.assertEqual(self.referral_cma.ladder_step, "reminded")
        self.assertEqual(self.run_cron(date(2026, 11, 20)), 2)
        self.assertEqual(self.referral_cma.ladder_step, "escalated")
        self.assertEqual(
            self.referral_cma.date_escalated, utc(self.env, date(2026, 11, 20), 8)
        )
        activity = self.activities(self.referral_cma)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.agent, "the agent who referred")
        self.assertEqual(activity.date_deadline, date(2026, 11, 20))
        mail = self.mails(self.referral_cma, "left unanswered")
        self.assertEqual(mail.recipient_ids, self.cma_manager)
        # no manager: the structure itself; no agent: the team's leader
        self.assertEqual(
            self.mails(self.referral_cci, "left unanswered").recipient_ids, self.cci
        )
        self.assertEqual(self.activities(self.referral_cci).user_id, self.manager)

    def test_twice_run_is_idempotent(self):
        self.assertEqual(self.run_cron(date(2026, 11, 16)), 2)
        self.assertEqual(self.run_cron(date(2026, 11, 16), hour=9), 0)
        self.assertEqual(self.run_cron(date(2026, 11, 18)), 0)
        self.assertEqual(len(self.mails(self.referral_cma, "Reminder")), 1)
        self.assertEqual(self.run_cron(date(2026, 11, 20)), 2)
        self.assertEqual(self.run_cron(date(2026, 11, 27)), 0)
        self.assertEqual(len(self.mails(self.referral_cma, "Reminder")), 1)
        self.assertEqual(len(self.mails(self.referral_cma, "left unanswered")), 1)
        self.assertEqual(len(self.activities(self.referral_cma)), 1)

    def test_late_cron_escalates_without_reminding_first(self):
        """A cron down for two weeks: the referral is escalated once, the
        structure is not reminded after the escalation."""
        self.assertEqual(self.run_cron(date(2026, 11, 27)), 2)
        self.assertEqual(self.referral_cma.ladder_step, "escalated")
        self.assertFalse(self.referral_cma.date_reminded)
        self.assertFalse(self.mails(self.referral_cma, "Reminder"))
        self.assertEqual(len(self.activities(self.referral_cma)), 1)

    def test_answered_referrals_are_left_alone(self):
        self.referral_cma.action_accept()
        self.referral_cci.action_refuse("Complet")
        self.assertEqual(self.run_cron(date(2026, 11, 27)), 0)
        for referral in self.referral_cma | self.referral_cci:
            self.assertFalse(referral.ladder_step)
            self.assertFalse(self.mails(referral, "Reminder"))
            self.assertFalse(self.mails(referral, "left unanswered"))
        self.assertFalse(self.activities(self.referral_cma | self.referral_cci))

    def test_answered_between_the_query_and_the_batch(self):
        """The due list is read, then the adviser accepts: the batch, which reads
        the referral again under its lock, leaves it."""
        with freeze_time(utc(self.env, date(2026, 11, 16), 8)):
            due = self.Referral._jecree_ladder_due(datetime(2026, 11, 16, 7))
            self.assertEqual(due[self.referral_cma.id], "reminded")
            self.referral_cma.action_accept()
            moved = self.referral_cma._jecree_ladder_step("reminded")
        self.assertFalse(moved)
        self.assertFalse(self.mails(self.referral_cma, "Reminder"))

    def test_locked_referrals_are_left_to_the_other_worker(self):
        """A referral another worker holds (SKIP LOCKED) is neither reminded twice
        nor lost."""
        original = type(self.Referral)._jecree_lock_ladder_batch
        held = self.referral_cma

        def try_lock(records):
            return original(records) - held

        with patch.object(type(self.Referral), "_jecree_lock_ladder_batch", try_lock):
            self.assertEqual(self.run_cron(date(2026, 11, 16)), 1)
        self.assertFalse(held.ladder_step)
        # the other worker reminds it; our next run finds nothing left
        with freeze_time(utc(self.env, date(2026, 11, 16), 8)):
            held._jecree_ladder_step("reminded")
        self.assertEqual(self.run_cron(date(2026, 11, 16), hour=9), 0)
        self.assertEqual(len(self.mails(held, "Reminder")), 1)

    def test_batches_and_progress(self):
        leads = [self.make_porteur(name=f"Porteur {n}") for n in range(5)]
        for lead in leads:
            self.make_referral(
                lead, self.cma_bapaume, date_proposed=utc(self.env, self.MONDAY)
            )
        with freeze_time(utc(self.env, date(2026, 11, 16), 8)):
            done, progress = run_cron_method(
                self.Referral._cron_jecree_ladder, batch_size=3
            )
        self.assertEqual(done, 7)
        self.assertEqual(progress, [(0, 7), (3, None), (3, None), (1, None)])

    def test_query_count_does_not_grow_with_the_table(self):
        """The cron's queries depend on what is due, not on the referrals
        answered or not yet due."""

        def add(count, **values):
            for n in range(count):
                lead = self.make_porteur(name=f"Porteur {n}")
                self.make_referral(lead, self.cma_bapaume, **values)

        def cron_queries(day):
            self.env.registry.clear_cache()
            self.env.invalidate_all()
            self.env.flush_all()
            with freeze_time(utc(self.env, day, 8)):
                with patch.object(
                    IrCron, "_commit_progress", lambda *a, **k: float("inf")
                ):
                    before = self.env.cr.sql_log_count
                    self.Referral._cron_jecree_ladder()
                    return self.env.cr.sql_log_count - before

        add(3, date_proposed=utc(self.env, self.MONDAY))
        first = cron_queries(date(2026, 11, 16))
        # as many due again, and many more answered or too recent
        add(5, date_proposed=utc(self.env, date(2026, 11, 10)))
        add(20, date_proposed=utc(self.env, date(2026, 11, 10)), state="acceptee")
        add(20, date_proposed=utc(self.env, date(2026, 11, 17)))
        self.referral_cma.ladder_step = self.referral_cci.ladder_step = "escalated"
        second = cron_queries(date(2026, 11, 17))
        # measured: 48 (3 recipients), then fewer (5 due at one antenna)
        self.assertLessEqual(first, 48, "5 due referrals, one batch")
        self.assertLessEqual(second, first, "5 due again, 40 more not due")

    def test_steps_per_structure_type(self):
        """N and M are read from the structure's type."""
        self.env.ref("jecree_referral.jecree_structure_type_cci").write(
            {"reminder_days": 1, "escalation_days": 2}
        )
        # Tuesday 10 only (11 November is a holiday): reminded on Thursday
        self.assertEqual(self.run_cron(date(2026, 11, 12)), 1)
        self.assertEqual(self.referral_cci.ladder_step, "reminded")
        self.assertEqual(self.run_cron(date(2026, 11, 13)), 1)
        self.assertEqual(self.referral_cci.ladder_step, "escalated")
        self.assertFalse(self.referral_cma.ladder_step)

    def test_bad_steps_are_refused(self):
        stype = self.env.ref("jecree_referral.jecree_structure_type_cma")
        for reminder, escalation in ((0, 7), (-1, 7), (3, 3), (5, 2), (3, 0)):
            with self.subTest(reminder=reminder, escalation=escalation):
                with (
                    self.assertRaises(IntegrityError),
                    mute_logger("odoo.sql_db"),
                    self.env.cr.savepoint(),
                ):
                    stype.write(
                        {"reminder_days": reminder, "escalation_days": escalation}
                    )
                    stype.flush_recordset()
                stype.invalidate_recordset()
                self.assertEqual((stype.reminder_days, stype.escalation_days), (3, 7))


@tagged("post_install", "-at_install")
class TestDigest(JecreeLadderCase):
    def run_digest(self, day):
        with freeze_time(utc(self.env, day, 6)):
            return run_cron_method(
                self.env["res.partner"]._cron_jecree_referral_digest
            )[0]

    def digests(self):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("subject", "like", "this week")]
        )

    def test_once_a_week_to_the_advisers(self):
        self.referral_cma.write(
            {
                "state": "rdv_fixe",
                "appointment_start": utc(self.env, date(2026, 11, 18)),
                "appointment_stop": utc(self.env, date(2026, 11, 18), 11),
            }
        )
        self.make_referral(
            self.make_porteur(name="Autre"),
            self.cma_bapaume,
            date_proposed=utc(self.env, self.MONDAY),
        )
        self.assertTrue(self.run_digest(date(2026, 11, 16)))
        mails = self.digests()
        cma = mails.filtered(lambda m: m.res_id == self.cma.id)
        self.assertEqual(cma.recipient_ids, self.adviser_cma)
        body = " ".join(cma.body_html.split())
        self.assertIn("new last week: <strong>2</strong>", body)
        self.assertIn("waiting for your answer: <strong>1</strong>", body)
        self.assertIn("appointments this week: <strong>1</strong>", body)
        # structures without advisers get none
        self.assertFalse(mails.filtered(lambda m: m.res_id == self.cci.id))
        self.assertEqual(self.cma.jecree_digest_week, date(2026, 11, 16))
        # again the same week (Wednesday): nothing; next week: one more
        self.assertFalse(self.run_digest(date(2026, 11, 18)))
        self.assertEqual(self.digests(), mails)
        self.run_digest(date(2026, 11, 23))
        self.assertEqual(
            len(self.digests().filtered(lambda m: m.res_id == self.cma.id)), 2
        )


@tagged("post_install", "-at_install")
class TestLadderPortal(JecreePortalCase):
    def test_reminded_badge_in_the_list(self):
        self.referral_cma.write({"ladder_step": "reminded"})
        self.authenticate("jr_portal_cma", "jr_portal_cma")
        page = self.url_open("/my/referrals")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_jecree_referral_reminded", page.text)
        self.referral_cma.action_accept()
        page = self.url_open("/my/referrals")
        self.assertNotIn("o_jecree_referral_reminded", page.text, "answered")
