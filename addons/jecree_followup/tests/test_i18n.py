# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io

from openpyxl import load_workbook

from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_project.tests.common import FrenchTranslationMixin


@tagged("post_install", "-at_install")
class TestFrenchTranslation(FrenchTranslationMixin, TransactionCase):
    """Every string an agent or a manager sees is French: fr.po covers the .pot."""

    MODULE = "jecree_followup"
    MIN_ENTRIES = 200

    def test_fr_po_complete(self):
        self.assert_fr_po_complete()

    def test_labels_and_pack_in_french(self):
        fr = self.french_env()
        self.assertEqual(
            fr.ref("jecree_followup.mail_activity_type_callback").name, "Rappel J+8"
        )
        self.assertEqual(
            fr["ir.model.fields"]
            ._get("jecree.callback.wizard", "outcome")
            .field_description,
            "Porteur joint ?",
        )
        self.assertEqual(
            fr.ref("jecree_followup.jecree_monthly_pack_wizard_menu").name,
            "Pack mensuel",
        )
        self.assertEqual(
            fr.ref("jecree_followup.mail_activity_callback_menu").name, "À rappeler"
        )
        self.assertEqual(
            fr["ir.model.fields"]
            ._get("mail.activity", "jecree_requested_slot")
            .field_description,
            "Créneau demandé",
        )
        self.assertEqual(
            fr.ref("jecree_followup.mail_template_brochure_creation").subject,
            "Votre projet de création d'entreprise – Je crée",
        )
        self.assertIn(
            "Vous trouverez ci-joint le pack mensuel",
            fr.ref("jecree_followup.mail_template_monthly_pack").body_html,
        )
        wizard = fr["jecree.monthly.pack.wizard"].create({"year": 2026, "month": "3"})
        content, __ = fr["ir.actions.report"]._render(
            "jecree_followup.monthly_pack_xlsx_report", wizard.ids
        )
        book = load_workbook(io.BytesIO(content))
        self.assertEqual(
            book.sheetnames,
            [
                "Activité",
                "Orientations",
                "Qualité de service",
                "Satisfaction",
                "Rappels J+8",
                "Capacité",
                "Effectifs",
                "Objectif",
            ],
        )
        self.assertEqual(book["Activité"]["A4"].value, "Appels traités")
        self.assertEqual(book["Activité"]["A8"].value, "Commerce")
        self.assertEqual(book["Activité"]["D2"].value, "Mois précédent (02/2026)")
        self.assertEqual(book["Activité"]["F2"].value, "Même mois N-1 (03/2025)")
