# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import JecreeScenarioMixin


@tagged("post_install", "-at_install")
class TestConcurrentReferrals(JecreeScenarioMixin, TransactionCase):
    """Two agents refer the same porteur to the same antenna at the same time.

    Each agent works in its own cursor (registry test mode: a commit is a
    savepoint of the test's transaction), so the second agent's wizard was opened
    before the first one committed, as in the call center."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_call_center()

    def setUp(self):
        super().setUp()
        self.registry_enter_test_mode()
        self.lead = self.make_porteur(name="Porteur Partagé")
        self.env.flush_all()

    def open_wizard(self, user):
        """`user` opens the referral wizard of the porteur, in its own transaction."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, user.id, {"lang": user.lang})
            action = env["crm.lead"].browse(self.lead.id).action_jecree_refer()
            return action["res_id"]

    def refer(self, user, wizard_id, antennas):
        """`user` ticks `antennas` in its wizard and refers, in its own transaction
        (committed, or rolled back when refused)."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, user.id, {"lang": user.lang})
            wizard = env["jecree.referral.wizard"].browse(wizard_id)
            wizard.line_ids.filtered(
                lambda line: line.antenna_id.id in antennas.ids
            ).selected = True
            wizard.action_refer()
            return wizard.referral_ids.ids

    @contextmanager
    def refused(self, message):
        """The block raises a UserError matching `message`; unlike Odoo's
        assertRaises, no savepoint of the test's transaction is rolled back: what
        the refused agent's own cursor did not roll back would stay visible."""
        try:
            yield
        except UserError as error:
            self.assertRegex(str(error), message)
        else:
            self.fail("the second referral was not refused")

    def referrals(self):
        self.env.invalidate_all()
        return self.env["jecree.referral"].search([("lead_id", "=", self.lead.id)])

    def test_two_agents_same_antenna(self):
        wizard_1 = self.open_wizard(self.agent)
        wizard_2 = self.open_wizard(self.agent2)
        first = self.refer(self.agent, wizard_1, self.cma_arras)
        self.assertEqual(len(first), 1)
        with self.refused("is already referred to"):
            # the second agent also ticks another antenna: nothing is created
            self.refer(self.agent2, wizard_2, self.cma_arras | self.bge_62)
        referrals = self.referrals()
        self.assertEqual(referrals.ids, first, "no duplicate, no partial referral")
        # no lost update: the first agent's referral is intact, and its mail is
        # the only one
        self.assertEqual(referrals.user_id, self.agent)
        self.assertEqual(referrals.state, "proposee")
        self.assertEqual(referrals.antenna_id, self.cma_arras)
        mails = self.env["mail.mail"].search(
            [("model", "=", "jecree.referral"), ("res_id", "in", referrals.ids)]
        )
        self.assertEqual(len(mails), 1)
        wizard = self.env["jecree.referral.wizard"].browse(wizard_2)
        self.assertEqual(wizard.state, "rank")
        self.assertFalse(wizard.referral_ids)

        # the second agent refers to the other antenna only: accepted
        second = self.refer(self.agent2, wizard_2, self.bge_62)
        referrals = self.referrals()
        self.assertEqual(sorted(referrals.ids), sorted(first + second))
        self.assertEqual(referrals.antenna_id, self.cma_arras | self.bge_62)

    def test_french_refusal(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", "jecree_referral")]
        )._update_translations("fr_FR")
        self.agent2.lang = "fr_FR"
        self.env.flush_all()
        wizard_1 = self.open_wizard(self.agent)
        wizard_2 = self.open_wizard(self.agent2)
        self.refer(self.agent, wizard_1, self.cma_arras)
        with self.refused("est déjà orienté"):
            self.refer(self.agent2, wizard_2, self.cma_arras)
        self.assertEqual(len(self.referrals()), 1)

    def test_referred_again_once_declined(self):
        """The guard is on open referrals: a declined one can be made again."""
        wizard_1 = self.open_wizard(self.agent)
        first = self.env["jecree.referral"].browse(
            self.refer(self.agent, wizard_1, self.cma_arras)
        )
        first.action_refuse("Pas de créneau")
        self.assertEqual(first.state, "refusee")
        self.env.flush_all()
        wizard_2 = self.open_wizard(self.agent2)
        second = self.refer(self.agent2, wizard_2, self.cma_arras)
        self.assertEqual(len(second), 1)
        self.assertEqual(len(self.referrals()), 2)
