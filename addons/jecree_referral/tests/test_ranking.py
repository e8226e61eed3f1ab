# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import gc
import time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import JecreeReferralMixin

#: upper bound of the queries of one ranking, whatever the size of the directory
#: (22 with jecree_referral alone, the user's time zone read once; 20 when a cached
#: one survives, see count_queries; up to 22 seen with every addon installed, when some
#: registry caches are cold). The test below also checks that the count stays the same
#: with 30 more structures.
QUERIES = 24


def by_name(suggestions, antenna):
    return next(s for s in suggestions if s["antenna"] == antenna)


@tagged("post_install", "-at_install")
class TestRanking(JecreeReferralMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def rank(self, lead, user=None):
        Referral = lead.env["jecree.referral"].with_user(user or self.agent)
        return Referral._rank_antennas(lead.with_user(user or self.agent))

    def antennas(self, suggestions):
        return [s["antenna"] for s in suggestions]

    def test_artisan_in_village_gets_cma_first_then_cci(self):
        lead = self.make_porteur()
        suggestions = self.rank(lead)
        antennas = self.antennas(suggestions)
        self.assertEqual(antennas[0], self.cma_arras)
        self.assertIn(self.cci_arras, antennas)
        self.assertGreater(
            antennas.index(self.cci_arras), antennas.index(self.cma_bapaume)
        )
        first = suggestions[0]
        self.assertGreater(
            first["score"], by_name(suggestions, self.cci_arras)["score"]
        )
        self.assertIn("arrondissement (Arras)", first["why"])
        self.assertIn("first choice for Artisanat", first["why"])
        self.assertIn("0 of 2 referrals this month", first["why"])

    def test_why_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "in", ("jecree_project", "jecree_referral"))]
        )._update_translations("fr_FR")
        self.agent.lang = "fr_FR"
        lead = self.make_porteur().with_context(lang="fr_FR")
        first = self.rank(lead)[0]
        self.assertEqual(
            first["why"],
            "Couvre son arrondissement (Arras) · premier choix pour le secteur "
            "Artisanat (Chambre de métiers et de l'artisanat (CMA)) · propose "
            "Information, Financement (2 besoins sur 2) · 0 orientations sur 2 "
            "ce mois-ci",
        )

    def test_commerce_goes_to_cci_not_cma(self):
        lead = self.make_porteur(sector="commerce")
        antennas = self.antennas(self.rank(lead))
        self.assertNotIn(self.cma_arras, antennas)
        self.assertNotIn(self.cma_bapaume, antennas)
        self.assertEqual(antennas[0], self.cci_arras)

    def test_most_local_antenna_first(self):
        lead = self.make_porteur(
            sector="services", need_ids=[Command.set(self.need["formation"].ids)]
        )
        antennas = self.antennas(self.rank(lead))
        # same BGE structure: the EPCI antenna before the department one
        self.assertLess(antennas.index(self.bge_campagnes), antennas.index(self.bge_62))

    def test_project_kind(self):
        creation = self.antennas(self.rank(self.make_porteur()))
        self.assertIn(self.adie_antenna, creation)
        takeover = self.antennas(self.rank(self.make_porteur(project_kind="reprise")))
        self.assertNotIn(self.adie_antenna, takeover)

    def test_needs_against_services(self):
        lead = self.make_porteur(
            sector="services", need_ids=[Command.set(self.need["formation"].ids)]
        )
        by_antenna = {s["antenna"]: s for s in self.rank(lead)}
        self.assertIn(
            "gives Training (1 of 1 needs)", by_antenna[self.bge_campagnes]["why"]
        )
        self.assertIn("gives none of the needs", by_antenna[self.cci_arras]["why"])

    def test_full_capacity_moves_next_equivalent_up(self):
        lead = self.make_porteur()
        self.assertEqual(
            self.antennas(self.rank(lead))[:2], [self.cma_arras, self.cma_bapaume]
        )
        for i in range(2):
            self.make_referral(self.make_porteur(name=f"Other {i}"), self.cma_arras)
        suggestions = self.rank(lead)
        self.assertEqual(self.antennas(suggestions)[0], self.cma_bapaume)
        full = next(s for s in suggestions if s["antenna"] == self.cma_arras)
        self.assertIn("full this month (2 of 2 referrals)", full["why"])
        # a declined referral frees its place
        self.env["jecree.referral"].search(
            [("antenna_id", "=", self.cma_arras.id)], limit=1
        ).action_refuse("Hors champ")
        freed = by_name(self.rank(lead), self.cma_arras)
        self.assertIn("1 of 2 referrals this month", freed["why"])

    def count_queries(self, lead):
        """Queries of one ranking, record cache empty, registry caches warm."""
        for _warm in range(2):
            self.rank(lead)
            self.env.flush_all()
            self.env.invalidate_all()
        # the ranking's sudo environment caches the user's time zone; whether the
        # one of the warm-up is still alive depends on the garbage collector (2
        # queries more or less): collect it, every measure starts the same
        gc.collect()
        before = self.env.cr.sql_log_count
        with self.assertQueryCount(QUERIES):
            suggestions = self.rank(lead)
        return self.env.cr.sql_log_count - before, suggestions

    def test_query_count_does_not_grow_with_directory(self):
        lead = self.make_porteur()
        count, suggestions = self.count_queries(lead)
        self.assertEqual(len(suggestions), 6)
        # 30 more structures covering the commune: same number of queries
        stype = self.env.ref("jecree_referral.jecree_structure_type_initiative")
        self.env["res.partner"].create(
            [
                {
                    "name": f"Initiative {i}",
                    "is_company": True,
                    "jecree_structure_type_id": stype.id,
                    "jecree_service_ids": [Command.set(self.need["financement"].ids)],
                    "jecree_city_ids": [Command.set(self.village.ids)],
                    "child_ids": [
                        Command.create(
                            {
                                "name": f"Initiative {i} – antenne",
                                "type": "other",
                                "jecree_is_antenna": True,
                            }
                        )
                    ],
                }
                for i in range(30)
            ]
        )
        count_after, suggestions = self.count_queries(lead)
        self.assertEqual(len(suggestions), 15)  # the limit
        self.assertEqual(count_after, count)

    def test_wizard_refers_several(self):
        lead = self.make_porteur().with_user(self.agent)
        action = lead.action_jecree_refer()
        wizard = (
            self.env["jecree.referral.wizard"]
            .with_user(self.agent)
            .browse(action["res_id"])
        )
        self.assertEqual(wizard.line_ids[0].antenna_id, self.cma_arras)
        self.assertTrue(wizard.line_ids[0].why)
        wizard.line_ids[:2].selected = True
        start = time.perf_counter()
        wizard.action_refer()
        self.assertLess(time.perf_counter() - start, 5)
        referrals = lead.jecree_referral_ids
        self.assertEqual(len(referrals), 2)
        self.assertEqual(lead.jecree_referral_count, 2)
        self.assertEqual(set(referrals.mapped("state")), {"proposee"})
        self.assertEqual(referrals.antenna_id, self.cma_arras | self.cma_bapaume)
        self.assertEqual(wizard.state, "book")
        self.assertEqual(
            wizard.referral_id,
            referrals.filtered(lambda r: r.antenna_id == self.cma_arras),
        )
        self.assertEqual(wizard.adviser_id, self.adviser_cma)
        self.assertTrue(wizard.slot_ids)
        self.assertEqual(referrals[0].porteur_name, "Porteur Test")
        self.assertIn("Artisanat", referrals[0].project_summary)

    def test_wizard_bad_input(self):
        from odoo.exceptions import UserError

        lead = self.make_porteur().with_user(self.agent)
        wizard = self.env["jecree.referral.wizard"].browse(
            lead.action_jecree_refer()["res_id"]
        )
        with self.assertRaises(UserError):
            wizard.action_refer()
        self.assertFalse(lead.jecree_referral_ids)
        with self.assertRaises(UserError):
            self.make_porteur(commune_id=False).with_user(
                self.agent
            ).action_jecree_refer()
        with self.assertRaises(UserError):
            self.make_porteur(is_porteur=False).with_user(
                self.agent
            ).action_jecree_refer()
