# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import MagicMock, patch

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models.ir_mail_server import IrMail_Server
from odoo.addons.jecree_followup.tests.common import SMALL_MONTH
from odoo.addons.jecree_followup.tools.generate_calls import generate_month

from .common import JecreeScenarioMixin


class WorkerKilled(Exception):
    """The cron worker dies in the middle of a batch (killed, out of memory…)."""


@tagged("post_install", "-at_install")
class TestFaults(JecreeScenarioMixin, TransactionCase):
    """Faults: a cron interrupted in the middle of its batches, then run again; the
    mail server down while agents make referrals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_call_center()

    def setUp(self):
        super().setUp()
        # registry.cursor() gives cursors whose commit/rollback are savepoints of
        # the test's transaction: a cron batch really commits or rolls back
        self.registry_enter_test_mode()

    # ------------------------------------------------------------------ cron
    def due_porteurs(self, leads):
        """The porteurs of `leads` with a useful call: each is due one call-back."""
        calls = self.env["crm.phonecall"].search(
            [("opportunity_id", "in", leads.ids), ("qualification", "=", "utile")]
        )
        return calls.opportunity_id.filtered("is_porteur")

    def run_cron_in_worker(self, batch_size):
        """The cron's method in its own cursor, as a worker runs it: each batch is
        committed; an exception rolls back the batch in progress."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["crm.lead"]._cron_jecree_schedule_callbacks(
                batch_size=batch_size
            )

    def test_cron_interrupted_mid_batch_then_run_again(self):
        generate_month(
            self.env, 2026, 3, agents=self.agent | self.agent2, figures=SMALL_MONTH
        )
        self.env.flush_all()
        Lead = self.env["crm.lead"]
        leads = Lead.search([("name", "=like", "Porteur 2026-03-%")])
        due = self.due_porteurs(leads)
        self.assertEqual(len(due), 40)
        self.assertFalse(self.callbacks(leads), "SQL imports bypass the ORM hook")

        # the worker dies while creating the activities of its second batch, after
        # that batch's marker UPDATE: batch 1 is committed, batch 2 rolled back
        original = type(Lead)._jecree_create_callback_activities
        batches = []

        def dies_on_second_batch(records, plans, summary=None):
            batches.append(len(plans))
            if len(batches) == 2:
                raise WorkerKilled()
            return original(records, plans, summary=summary)

        # (not assertRaises: Odoo's rolls back a savepoint of the test's transaction,
        # which would undo the committed batch too)
        with patch.object(
            type(Lead), "_jecree_create_callback_activities", dies_on_second_batch
        ):
            interrupted = False
            try:
                self.run_cron_in_worker(batch_size=15)
            except WorkerKilled:
                interrupted = True
        self.assertTrue(interrupted, "the worker was not interrupted")
        self.assertEqual(batches, [15, 15])
        self.env.invalidate_all()
        scheduled = due.filtered("callback_scheduled")
        self.assertEqual(len(scheduled), 15, "only the committed batch is marked")
        self.assertEqual(
            set(self.callbacks(leads).mapped("res_id")), set(scheduled.ids)
        )
        self.assertEqual(len(self.callbacks(leads)), 15)

        # the next run takes the 25 left, the one after finds nothing to do
        self.assertEqual(self.run_cron_in_worker(batch_size=15), 25)
        self.assertEqual(self.run_cron_in_worker(batch_size=15), 0)
        self.env.invalidate_all()
        activities = self.callbacks(leads, active=False)
        self.assertEqual(len(activities), len(due), "no duplicate")
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(due.ids))
        self.assertTrue(all(due.mapped("callback_scheduled")))
        self.assertEqual(set(due.mapped("callback_state")), {"planned"})
        self.assertFalse(self.callbacks(leads - due), "no call-back without a call")

    # ------------------------------------------------------------------ mail
    def refer(self, lead, user, antennas):
        """The referral wizard as `user`: rank, tick `antennas`, refer."""
        action = lead.with_user(user).action_jecree_refer()
        wizard = (
            self.env["jecree.referral.wizard"].with_user(user).browse(action["res_id"])
        )
        lines = wizard.line_ids.filtered(lambda line: line.antenna_id in antennas)
        self.assertEqual(lines.antenna_id, antennas)
        lines.selected = True
        wizard.action_refer()
        return wizard.referral_ids

    def referral_mails(self, referrals):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("model", "=", "jecree.referral"), ("res_id", "in", referrals.ids)]
            )
        )

    def test_mail_server_down_while_referring(self):
        refused = ConnectionRefusedError(111, "Connection refused")
        sent = []

        def send_email(server, message, *args, **kwargs):
            sent.append(message["To"])
            return message["Message-Id"]

        leads = self.make_porteur(name="Porteur Un") | self.make_porteur(
            name="Porteur Deux", email_from="deux@example.com"
        )
        # Odoo skips sending in tests: send for real, up to the SMTP session
        self.startPatcher(
            patch.object(IrMail_Server, "_disable_send", return_value=False)
        )
        with (
            patch.object(IrMail_Server, "_connect__", side_effect=refused),
            patch.object(IrMail_Server, "send_email", side_effect=refused),
        ):
            referrals = self.refer(leads[0], self.agent, self.cma_arras | self.bge_62)
            referrals |= self.refer(leads[1], self.agent2, self.cma_arras)
            # the agents' referrals are saved, their mails are queued
            self.assertEqual(len(referrals), 3)
            self.assertEqual(set(referrals.mapped("state")), {"proposee"})
            mails = self.referral_mails(referrals)
            self.assertEqual(len(mails), 3)
            self.assertEqual(set(mails.mapped("state")), {"outgoing"})
            # the queue's cron runs while the server is down: the mails fail,
            # they are kept (not deleted), with the reason
            self.env["mail.mail"].process_email_queue()
            self.env.invalidate_all()
            self.assertEqual(self.referral_mails(referrals), mails)
            self.assertEqual(set(mails.mapped("state")), {"exception"})
            self.assertIn("Connection refused", mails[0].failure_reason)
        self.assertEqual(set(referrals.mapped("state")), {"proposee"})

        # the server is back: our cron puts the mails that could not reach it back
        # in the queue, and the queue sends each of them once
        with (
            patch.object(IrMail_Server, "_connect__", return_value=MagicMock()),
            patch.object(
                IrMail_Server, "send_email", autospec=True, side_effect=send_email
            ),
        ):
            requeued = self.env["mail.mail"]._cron_jecree_requeue_connection_failures()
            self.assertEqual(requeued, 3)
            self.assertEqual(set(mails.mapped("state")), {"outgoing"})
            self.env["mail.mail"].process_email_queue()
            self.env.invalidate_all()
            self.assertEqual(set(mails.mapped("state")), {"sent"})
            self.assertEqual(len(sent), 3, "each mail sent once")
            self.env["mail.mail"].process_email_queue()
            self.assertEqual(len(sent), 3, "a second run sends nothing again")
        self.assertEqual(self.referral_mails(referrals), mails, "no duplicate mail")
        self.assertEqual(
            sorted(mails.mapped("recipient_ids.email")),
            sorted(referrals.mapped("structure_recipient_id.email")),
        )
