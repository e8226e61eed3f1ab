# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCommunes(TransactionCase):
    """The territory: Etalab's communes of Nord (59) and Pas-de-Calais (62)."""

    def test_all_communes_of_nord_and_pas_de_calais(self):
        cities = self.env["res.city"].search([("insee_code", "!=", False)])
        self.assertEqual(len(cities), 1534)
        by_dept = {
            dept.code: count
            for dept, count in self.env["res.city"]._read_group(
                [("insee_code", "!=", False)], ["department_id"], ["__count"]
            )
        }
        self.assertEqual(by_dept, {"59": 647, "62": 887})
        self.assertFalse(cities.filtered(lambda c: not c.zip_ids))
        self.assertFalse(cities.filtered(lambda c: not c.epci_id))
        self.assertFalse(cities.filtered(lambda c: not c.arrondissement_id))
        self.assertFalse(cities.filtered(lambda c: c.population <= 0))
        self.assertEqual(len(set(cities.mapped("insee_code"))), 1534)

    def test_lille(self):
        lille = self.env.ref("jecree_project.res_city_fr_59350")
        self.assertEqual(lille.name, "Lille")
        self.assertEqual(lille.department_id.code, "59")
        self.assertEqual(lille.epci_id.name, "Métropole Européenne de Lille")
        self.assertEqual(lille.arrondissement_id.name, "Lille")
        self.assertIn("59000", lille.zip_ids.mapped("name"))
        self.assertGreater(lille.population, 200000)
        self.assertEqual(lille.state_id.name, "Hauts-de-France")

    def test_homonyms_are_told_apart(self):
        names = self.env["res.city"].search([("name", "=like", "Saint-Aubin (%)")])
        self.assertEqual(
            sorted(names.mapped("name")), ["Saint-Aubin (59)", "Saint-Aubin (62)"]
        )

    def test_postal_code_with_several_communes(self):
        communes = self.env["res.city"].search([("zip_ids.name", "=", "62170")])
        self.assertGreater(len(communes), 1)

    def test_postal_code_look_up_follows_changes(self):
        """The communes of a postal code are cached per worker: a commune or a
        postal code created, moved or deleted is seen at the next look-up."""
        City = self.env["res.city"]
        lille = self.env.ref("jecree_project.res_city_fr_59350")
        self.assertEqual(City._jecree_search_zip("59 000"), lille)
        self.assertFalse(City._jecree_search_zip("59999"))
        new = City.create(
            {
                "name": "Commune Nouvelle",
                "country_id": lille.country_id.id,
                "zip_ids": [(0, 0, {"name": "59999"})],
            }
        )
        self.assertEqual(City._jecree_search_zip("59999"), new)
        new.zip_ids.name = "59998"
        self.assertFalse(City._jecree_search_zip("59999"))
        self.assertEqual(City._jecree_search_zip("59998"), new)
        self.env["res.city.zip"].create({"name": "59000", "city_id": new.id})
        self.assertEqual(City._jecree_search_zip("59000"), lille | new)
        new.zip_ids.unlink()
        self.assertEqual(City._jecree_search_zip("59000"), lille)
        self.assertFalse(City._jecree_search_zip("59998"))
