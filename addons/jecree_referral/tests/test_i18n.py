# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

MODULE = "jecree_referral"


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TransactionCase):
    """Every string an agent or an adviser sees is French: fr.po covers the .pot."""

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
