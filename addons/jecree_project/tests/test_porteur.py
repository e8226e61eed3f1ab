# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import JecreeProjectCase


@tagged("post_install", "-at_install")
class TestPorteur(JecreeProjectCase):
    def test_consent_date_kept(self):
        with freeze_time("2026-03-02 10:00:00"):
            lead = self.env["crm.lead"].create(
                {"name": "P", "is_porteur": True, "consent": True}
            )
        self.assertEqual(str(lead.consent_date), "2026-03-02 10:00:00")
        with freeze_time("2026-04-01 10:00:00"):
            lead.write({"consent": True, "maturity": "pret"})
        self.assertEqual(str(lead.consent_date), "2026-03-02 10:00:00")
        lead.consent = False
        self.assertFalse(lead.consent_date)

    def test_commune_fills_address(self):
        form = Form(self.env["crm.lead"].with_context(default_is_porteur=True))
        form.name = "Projet"
        form.commune_id = self.arras
        self.assertEqual(form.city, "Arras")
        self.assertEqual(form.zip, "62000")

    def test_opening_hours(self):
        calendar = self.env.company.jecree_calendar_id
        self.assertEqual(
            calendar, self.env.ref("jecree_project.resource_calendar_call_center")
        )
        hours = {a.dayofweek: (a.hour_from, a.hour_to) for a in calendar.attendance_ids}
        self.assertEqual(hours["0"], (8, 21))
        self.assertEqual(hours["4"], (8, 21))
        self.assertEqual(hours["5"], (8, 12))
        self.assertNotIn("6", hours, "closed on Sunday")

    def test_settings_edit_opening_hours(self):
        other = self.env["resource.calendar"].create({"name": "Fermeture à 20h"})
        settings = Form(self.env["res.config.settings"])
        settings.jecree_calendar_id = other
        settings.save().execute()
        self.assertEqual(self.env.company.jecree_calendar_id, other)
