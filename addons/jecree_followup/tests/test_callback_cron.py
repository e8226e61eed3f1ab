# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from ..tools.generate_calls import generate_month
from .common import SMALL_MONTH, JecreeFollowupCase, run_cron_method


@tagged("post_install", "-at_install")
class TestCallbackCron(JecreeFollowupCase):
    """Calls imported without the ORM get their J+8 call-back from the cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]

    def run_cron(self, **kwargs):
        return run_cron_method(self.Lead._cron_jecree_schedule_callbacks, **kwargs)

    def generated_leads(self):
        return self.Lead.search([("name", "=like", "Porteur 2026-03-%")])

    def test_cron_twice_no_duplicate(self):
        counts = generate_month(
            self.env, 2026, 3, agents=self.agent | self.agent2, figures=SMALL_MONTH
        )
        leads = self.generated_leads()
        self.assertEqual(len(leads), counts["porteurs"])
        self.assertFalse(self.callbacks(leads), "SQL imports bypass the ORM hook")
        done, progress = self.run_cron(batch_size=15)
        self.assertEqual(done, 40)
        # remaining announced, then 15 + 15 + 10 processed
        self.assertEqual(progress, [(0, 40), (15, None), (15, None), (10, None)])
        activities = self.callbacks(leads)
        self.assertEqual(len(activities), 40)
        self.assertEqual(set(activities.mapped("res_id")), set(leads.ids))
        self.assertTrue(all(leads.mapped("callback_scheduled")))
        done, __ = self.run_cron()
        self.assertEqual(done, 0)
        self.assertEqual(len(self.callbacks(leads)), 40, "run twice: no duplicate")

    def test_locked_leads_are_left_to_the_other_worker(self):
        """Leads another worker holds (SKIP LOCKED) are not scheduled twice nor lost."""
        generate_month(self.env, 2026, 3, agents=self.agent, figures=SMALL_MONTH)
        leads = self.generated_leads()
        held = leads[:10]
        original = type(self.Lead)._jecree_lock_cron_batch

        def try_lock(records):
            return original(records) - held

        with patch.object(type(self.Lead), "_jecree_lock_cron_batch", try_lock):
            done, __ = self.run_cron()
        self.assertEqual(done, 30)
        self.assertFalse(self.callbacks(held))
        # the other worker schedules its leads; our next run finds nothing left
        held._jecree_schedule_callbacks()
        done, __ = self.run_cron()
        self.assertEqual(done, 0)
        self.assertEqual(len(self.callbacks(leads)), 40)

    def test_marker_set_by_another_transaction(self):
        """A lead marked meanwhile (the UPDATE finds it done) gets no activity."""
        generate_month(self.env, 2026, 3, agents=self.agent, figures=SMALL_MONTH)
        leads = self.generated_leads()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET callback_scheduled = TRUE WHERE id = %s",
                leads[0].id,
            )
        )
        activities = leads._jecree_schedule_callbacks()
        self.assertEqual(len(activities), 39)
        self.assertFalse(self.callbacks(leads[0]))

    def test_cron_query_count_does_not_grow_with_the_batch(self):
        generate_month(
            self.env, 2026, 3, agents=self.agent | self.agent2, figures=SMALL_MONTH
        )
        leads = self.generated_leads()
        self.env.registry.clear_cache()  # the closed days read by both batches
        self.env.invalidate_all()
        with self.assertQueryCount(36):
            leads[:5]._jecree_schedule_callbacks()
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        with self.assertQueryCount(36):
            leads[5:]._jecree_schedule_callbacks()
