# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_project.tests.common import FrenchTranslationMixin


@tagged("post_install", "-at_install")
class TestFrenchTranslation(FrenchTranslationMixin, TransactionCase):
    """Every string an agent or an adviser sees is French: fr.po covers the .pot."""

    MODULE = "jecree_referral"

    def test_fr_po_complete(self):
        self.assert_fr_po_complete()

    def test_labels_in_french(self):
        fr = self.french_env()
        fields = fr["ir.model.fields"]
        self.assertEqual(
            fields._get("jecree.referral", "refusal_reason").field_description,
            "Motif du refus",
        )
        states = dict(fr["jecree.referral"]._fields["state"]._description_selection(fr))
        self.assertEqual(states["rdv_fixe"], "Rendez-vous fixé")
        self.assertEqual(
            fr.ref("jecree_referral.jecree_structure_type_cma").name,
            "Chambre de métiers et de l'artisanat (CMA)",
        )
        self.assertEqual(
            fr.ref("jecree_referral.jecree_referral_menu").name, "Orientations"
        )
