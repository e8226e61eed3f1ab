# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

MODULE = "jecree_project"


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TransactionCase):
    """Every string an agent sees is French: fr.po covers the whole .pot."""

    def _msgids(self, filename):
        po = polib.pofile(file_path(f"{MODULE}/i18n/{filename}"))
        return {entry.msgid: entry.msgstr for entry in po}

    def test_fr_po_complete(self):
        pot = self._msgids(f"{MODULE}.pot")
        fr = self._msgids("fr.po")
        self.assertGreater(len(pot), 100)
        missing = sorted(set(pot) - {src for src, value in fr.items() if value})
        self.assertFalse(missing, f"untranslated in fr.po: {missing[:20]}")

    def test_labels_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations("fr_FR")
        fr = self.env(context={"lang": "fr_FR"})
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
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search(
            [("name", "=", MODULE)]
        )._update_translations("fr_FR")
        fr = self.env(context={"lang": "fr_FR"})
        menu = fr.ref("crm_phonecall.menu_crm_case_phone")
        self.assertEqual(menu.name, "Appels téléphoniques")
        self.assertEqual(
            fr["ir.model.fields"]._get("crm.phonecall", "name").field_description,
            "Résumé de l'appel",
        )
