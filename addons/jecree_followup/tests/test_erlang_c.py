# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import BaseCase, tagged

from ..tools.erlang_c import agents_needed, erlang_c, service_level


@tagged("post_install", "-at_install")
class TestErlangC(BaseCase):
    def test_published_worked_example(self):
        """Call Centre Helper, "Erlang C Formula – Made Simple with an Easy Worked
        Example": 100 calls in 30 minutes (200 an hour), average handling time
        180 s, target 80 % answered within 20 s. Traffic A = 200 × 180 / 3600 = 10
        erlangs. With N = 11 agents, Pw = (10^11/11! × 11/1) / (Σ_{k=0..10} 10^k/k!
        + 10^11/11! × 11) = 0.6821, so 68.21 % of the calls wait, and the service
        level is 1 − 0.6821 × e^(−(11 − 10) × 20/180) = 39.0 %. Raising N: 12 → 64.0 %,
        13 → 79.6 %, 14 → 88.8 %: 14 agents are needed (the article's result)."""
        self.assertAlmostEqual(erlang_c(10, 11), 0.6821, places=4)
        self.assertAlmostEqual(service_level(200, 180, 11), 0.3896, places=3)
        self.assertAlmostEqual(service_level(200, 180, 13), 0.7956, places=3)
        self.assertAlmostEqual(service_level(200, 180, 14), 0.8884, places=3)
        self.assertEqual(agents_needed(200, 180), 14)

    def test_hand_computed_small_case(self):
        """A = 1 erlang, N = 2: Pw = (1/2 × 2) / (1 + 1 + 1) = 1/3."""
        self.assertAlmostEqual(erlang_c(1, 2), 1 / 3)

    def test_edges(self):
        self.assertEqual(agents_needed(0, 180), 0)
        self.assertEqual(erlang_c(5, 5), 1.0)
        self.assertEqual(service_level(200, 180, 10), 0.0)
        # large traffic without overflow
        self.assertGreater(agents_needed(3000, 300), 250)
        with self.assertRaises(ValueError):
            agents_needed(-1, 180)
        with self.assertRaises(ValueError):
            agents_needed(10, 180, target_level=1.5)
