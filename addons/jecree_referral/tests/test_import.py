# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import JecreeReferralMixin

HEADER = (
    "kind,ref,parent_ref,name,type_code,street,zip,city_insee,phone,email,services,"
    "sectors,project_kinds,capacity,keeps_calendar,communes,epcis,arrondissements,"
    "departments\n"
)


@tagged("post_install", "-at_install")
class TestDirectoryImport(JecreeReferralMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def wizard(self, text):
        return (
            self.env["jecree.directory.import"]
            .with_user(self.manager)
            .create({"file": base64.b64encode(text.encode()), "filename": "a.csv"})
        )

    def good_file(self):
        epci = self.village.epci_id.code
        return HEADER + (
            f"structure,S1,,Initiative Test,initiative,,,,,s1@example.com,"
            f"financement|accompagnement,,creation,,0,,{epci},,\n"
            "antenna,A1,S1,Initiative Test – Agnières,,1 rue X,62810,62012,"
            "+33 3 21 00 00 01,,,,,5,,62012,,,\n"
            "adviser,C1,A1,Jean Conseil,,,,,,jean@example.com,,,,,,,,,\n"
        )

    def test_import_creates_and_updates(self):
        wizard = self.wizard(self.good_file())
        wizard.action_import()
        self.assertEqual(wizard.result, "3 created, 0 updated.")
        Partner = self.env["res.partner"]
        structure = Partner.search([("jecree_ref", "=", "S1")])
        antenna = Partner.search([("jecree_ref", "=", "A1")])
        adviser = Partner.search([("jecree_ref", "=", "C1")])
        self.assertEqual(structure.jecree_structure_type_id.code, "initiative")
        self.assertFalse(structure.jecree_keeps_calendar)
        self.assertEqual(structure.jecree_epci_ids, self.village.epci_id)
        self.assertEqual(antenna.parent_id, structure)
        self.assertEqual(antenna.jecree_capacity, 5)
        self.assertEqual(antenna.city_id, self.village)
        self.assertEqual(
            {c.city_id: c.level for c in antenna.jecree_coverage_ids},
            {self.village: "1"},
        )
        self.assertEqual(adviser.jecree_structure_id, structure)
        # the same file again updates, creates nothing
        wizard = self.wizard(self.good_file().replace(",5,", ",7,"))
        wizard.action_import()
        self.assertEqual(wizard.result, "0 created, 3 updated.")
        self.assertEqual(antenna.jecree_capacity, 7)

    def test_bad_rows_reject_the_whole_file(self):
        bad = self.good_file() + (
            "structure,S2,,Bad type,chambre_inconnue,,,,,,,,,,,,,,\n"
            "antenna,A2,NOPE,Orphan,,,,,,,,,,,,,,,\n"
            "antenna,A3,S1,Bad commune,,,,99999,,,,,,-3,,,,,\n"
            "adviser,C1,A1,Duplicate,,,,,,not-an-email,,,,,,,,,\n"
            "adviser,C3,A1,Adviser with territory,,,,,,,,,,,,62012,,,\n"
            "club,X1,,Unknown kind,,,,,,,information,,,,,,,,999\n"
        )
        before = self.env["res.partner"].search_count([])
        with self.assertRaises(UserError) as error:
            self.wizard(bad).action_import()
        message = error.exception.args[0]
        self.assertIn("6 rows are rejected", message)
        self.assertIn("Row 5 (S2): unknown structure type 'chambre_inconnue'", message)
        self.assertIn("Row 6 (A2): parent 'NOPE' is not a known structure", message)
        self.assertIn("unknown commune 99999", message)
        self.assertIn("capacity '-3' is not a whole number", message)
        self.assertIn("reference C1 twice", message)
        self.assertIn("invalid email 'not-an-email'", message)
        self.assertIn("an adviser has no commune", message)
        self.assertIn("unknown kind 'club'", message)
        self.assertIn("unknown department 999", message)
        self.assertEqual(self.env["res.partner"].search_count([]), before)

    def test_file_errors(self):
        with self.assertRaises(UserError):
            self.env["jecree.directory.import"].with_user(self.manager).create(
                {}
            ).action_import()
        with self.assertRaises(UserError):
            self.wizard("a,b\n1,2\n").action_import()
        with self.assertRaises(UserError):
            self.wizard(HEADER).action_import()

    def test_export_round_trip(self):
        wizard = self.env["jecree.directory.import"].with_user(self.manager).create({})
        wizard.action_export()
        text = base64.b64decode(wizard.file).decode()
        self.assertTrue(text.startswith(HEADER.strip()))
        self.assertIn("CMA – Arras", text)
        coverage = self.env["jecree.coverage"].search_count([])
        count = self.env["res.partner"].search_count([])
        again = (
            self.env["jecree.directory.import"]
            .with_user(self.manager)
            .create({"file": wizard.file})
        )
        again.action_import()
        self.assertTrue(again.result.startswith("0 created"))
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.assertEqual(self.env["jecree.coverage"].search_count([]), coverage)
        self.assertEqual(self.cma_arras.jecree_capacity, 2)


@tagged("post_install", "-at_install")
class TestCoverageReport(JecreeReferralMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def line(self, city):
        self.env.flush_all()
        return self.env["jecree.coverage.report"].search([("city_id", "=", city.id)])

    def test_gaps(self):
        village = self.line(self.village)
        self.assertTrue(village.has_cma and village.has_cci and village.has_general)
        self.assertFalse(village.gaps)
        self.assertEqual(village.gap_count, 0)
        lille = self.line(self.lille)
        self.assertEqual(lille.gaps, "CCI, CMA, general network")
        # Lens: the CMA's antennas only cover Arras (their own territory wins over
        # the CMA's Pas-de-Calais); the BGE's department antenna covers it
        lens = self.line(self.env.ref("jecree_project.res_city_fr_62498"))
        self.assertEqual(lens.gaps, "CCI, CMA")
        self.assertEqual(lens.antenna_count, 1)
