# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_project.tests.common import load_french

from .common import JecreeReferralMixin


@tagged("post_install", "-at_install")
class TestDirectory(JecreeReferralMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def covered(self, antenna):
        return {c.city_id: c.level for c in antenna.jecree_coverage_ids}

    def test_structure_links(self):
        self.assertEqual(self.cma_arras.jecree_structure_id, self.cma)
        self.assertEqual(self.adviser_cma.jecree_structure_id, self.cma)
        self.assertEqual(self.cma.jecree_structure_id, self.cma)
        self.assertEqual(self.cma_arras.display_name, "CMA – Arras")
        self.assertEqual(self.adviser_cma.commercial_partner_id, self.cma)

    def test_directory_list(self):
        """The structures' list: the name once, the phone whole and callable, the
        capacity "Unlimited" when none is set (0), else the antenna's own or its
        structure's (as the referral ranking reads it)."""
        arch = self.env["res.partner"].get_views(
            [
                (
                    self.env.ref("jecree_referral.res_partner_view_list_structure").id,
                    "list",
                )
            ]
        )["views"]["list"]["arch"]
        self.assertNotIn('name="display_name"', arch)
        self.assertIn('name="phone" widget="phone" width="150px"', arch)
        self.assertIn('name="jecree_capacity_label"', arch)
        self.cma.jecree_capacity = self.cma_arras.jecree_capacity = 0
        labels = (self.cma | self.cma_arras).mapped("jecree_capacity_label")
        self.assertEqual(labels, ["Unlimited", "Unlimited"])
        self.cma.jecree_capacity = 12
        self.assertEqual(self.cma_arras.jecree_capacity_label, "12", "its structure's")
        self.cma_arras.jecree_capacity = 3
        self.assertEqual(self.cma_arras.jecree_capacity_label, "3")
        self.cma.jecree_capacity = 0
        load_french(self.env, "jecree_referral")
        self.assertEqual(
            self.cma.with_context(lang="fr_FR").jecree_capacity_label, "Illimitée"
        )

    def test_coverage_levels(self):
        arras_communes = self.env["res.city"].search(
            [("arrondissement_id.code", "=", "621")]
        )
        cov = self.covered(self.cma_arras)
        self.assertEqual(set(cov), set(arras_communes))
        self.assertEqual(cov[self.village], "3")
        self.assertEqual(self.covered(self.bge_campagnes)[self.village], "2")
        self.assertEqual(self.covered(self.adie_antenna), {self.village: "1"})
        # an antenna without its own territory takes its structure's
        self.assertEqual(self.covered(self.bge_62)[self.village], "4")
        self.assertEqual(
            self.bge_62.jecree_covered_city_count,
            self.env["res.city"].search_count([("department_id.code", "=", "62")]),
        )

    def test_antenna_territory_overrides_structure(self):
        self.assertEqual(self.covered(self.bge_62)[self.village], "4")
        self.bge_62.jecree_city_ids = [Command.set(self.arras.ids)]
        self.assertEqual(self.covered(self.bge_62), {self.arras: "1"})
        # back to the structure's territory when its own is emptied
        self.bge_62.jecree_city_ids = [Command.clear()]
        self.assertEqual(
            len(self.covered(self.bge_62)), self.bge_62.jecree_covered_city_count
        )
        self.assertIn(self.village, self.covered(self.bge_62))

    def test_structure_territory_change_reaches_antennas(self):
        self.bge.jecree_department_ids = [Command.clear()]
        self.bge.jecree_city_ids = [Command.set(self.lille.ids)]
        self.assertEqual(self.covered(self.bge_62), {self.lille: "1"})
        # the antenna with its own territory is untouched
        self.assertEqual(self.covered(self.bge_campagnes)[self.village], "2")

    def test_refresh_after_commune_moves_epci(self):
        other_epci = self.arras.epci_id
        self.village.epci_id = other_epci
        self.assertIn(self.village, self.covered(self.bge_campagnes))
        self.bge_campagnes.action_jecree_refresh_coverage()
        self.assertNotIn(self.village, self.covered(self.bge_campagnes))

    def test_archived_antenna_covers_nothing(self):
        self.bge_62.active = False
        self.assertFalse(
            self.env["jecree.coverage"].search([("antenna_id", "=", self.bge_62.id)])
        )

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self.cma_arras.jecree_capacity = -1
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create(
                {"name": "Lost antenna", "jecree_is_antenna": True}
            )
