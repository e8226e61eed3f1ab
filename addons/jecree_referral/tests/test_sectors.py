# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_project.models.crm_lead import (
    PROJECT_KINDS,
    SECTOR_CODES,
    SECTORS,
)

from ..models.jecree_sector import JecreeSector


@tagged("post_install", "-at_install")
class TestSectors(TransactionCase):
    """The sectors and project kinds a structure takes are jecree_project's lists:
    same codes, labels and order, one record per value, external ids kept."""

    def test_records_are_the_lists_of_jecree_project(self):
        sectors = self.env["jecree.sector"].search([])
        self.assertEqual(tuple(sectors.mapped("code")), SECTOR_CODES)
        labels = dict(SECTORS)
        self.assertEqual(
            sectors.mapped("display_name"), [labels[code] for code in SECTOR_CODES]
        )
        kinds = self.env["jecree.project.kind"].search([])
        self.assertEqual(kinds.mapped("code"), [code for code, __ in PROJECT_KINDS])
        for code in SECTOR_CODES:
            self.assertEqual(
                self.env.ref(f"jecree_referral.jecree_sector_{code}").code, code
            )
        for code, __ in PROJECT_KINDS:
            self.assertEqual(
                self.env.ref(f"jecree_referral.jecree_project_kind_{code}").code, code
            )

    def test_a_sector_added_to_the_list_gets_its_record(self):
        """A sector added to jecree_project's list has its record and external id
        at the next update, in the list's place; nothing is made twice."""
        Sector = self.env["jecree.sector"]
        choices = (
            *JecreeSector._jecree_choices[:2],
            ("numerique", "Numérique"),
            *JecreeSector._jecree_choices[2:],
        )
        with patch.object(JecreeSector, "_jecree_choices", choices):
            Sector._jecree_sync()
            Sector._jecree_sync()
            sectors = Sector.search([])
            self.assertEqual(
                sectors.mapped("code"), [code for code, __ in choices], "in order"
            )
            new = self.env.ref("jecree_referral.jecree_sector_numerique")
            self.assertEqual(new.display_name, "Numérique")
            self.assertEqual(len(sectors), len(choices), "none twice")

    def test_only_a_value_of_the_list(self):
        """ "To be specified" is a porteur's sector no structure takes."""
        for code in ("a_preciser", "numerique"):
            with self.subTest(code=code), self.assertRaises(ValidationError) as error:
                self.env["jecree.sector"].create({"code": code})
            self.assertIn(
                "commerce, services, artisanat, industrie", str(error.exception)
            )
