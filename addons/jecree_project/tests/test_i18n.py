# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, tagged

from .common import FrenchTranslationMixin


@tagged("post_install", "-at_install")
class TestFrenchTranslation(FrenchTranslationMixin, TransactionCase):
    """Every string an agent sees is French: fr.po covers the whole .pot."""

    MODULE = "jecree_project"

    def test_fr_po_complete(self):
        self.assert_fr_po_complete()

    def test_labels_in_french(self):
        fr = self.french_env()
        fields = fr["ir.model.fields"]
        self.assertEqual(
            fields._get("crm.lead", "project_kind").field_description, "Type de projet"
        )
        self.assertEqual(
            fields._get("jecree.call.intake", "zip_code").field_description,
            "Code postal",
        )
        selection = dict(
            fr["crm.phonecall"]._fields["qualification"]._description_selection(fr)
        )
        self.assertEqual(selection["hors_cible"], "Hors cible")
        menu = fr.ref("jecree_project.jecree_call_intake_menu")
        self.assertEqual(menu.name, "Nouvel appel")

    def test_crm_phonecall_labels_in_french(self):
        """i18n_extra/fr.po of jecree_project translates crm_phonecall's own terms."""
        fr = self.french_env()
        menu = fr.ref("crm_phonecall.menu_crm_case_phone")
        self.assertEqual(menu.name, "Appels téléphoniques")
        self.assertEqual(
            fr["ir.model.fields"]._get("crm.phonecall", "name").field_description,
            "Résumé de l'appel",
        )
