# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from ..tools.french_holidays import french_public_holidays


@tagged("post_install", "-at_install")
class TestPublicHolidays(TransactionCase):
    """French public holidays, Easter-based ones included, as calendar closures."""

    def test_computed_holidays(self):
        holidays = french_public_holidays(2026)
        self.assertEqual(len(holidays), 11)
        self.assertEqual(holidays[date(2026, 4, 6)], "Lundi de Pâques")
        self.assertEqual(holidays[date(2026, 5, 14)], "Ascension")
        self.assertEqual(holidays[date(2026, 5, 25)], "Lundi de Pentecôte")
        self.assertIn(date(2026, 7, 14), holidays)
        # Easter 2027 is on 28 March, 2028 on 16 April
        self.assertIn(date(2027, 3, 29), french_public_holidays(2027))
        self.assertIn(date(2028, 5, 25), french_public_holidays(2028))  # Ascension
        self.assertIn(date(2028, 6, 5), french_public_holidays(2028))  # Pentecôte

    @freeze_time("2031-02-01 10:00:00")
    def test_cron_stores_three_years_idempotent(self):
        calendar = self.env.company.jecree_calendar_id
        leaves = self.env["resource.calendar.leaves"]
        domain = [
            ("calendar_id", "=", calendar.id),
            ("resource_id", "=", False),
            ("date_from", ">=", "2030-12-31"),
        ]
        self.assertFalse(leaves.search(domain))
        created = self.env["resource.calendar"]._cron_jecree_public_holidays()
        self.assertEqual(len(created), 33)
        self.assertEqual(
            {calendar._jecree_local_date(leave.date_from).year for leave in created},
            {2031, 2032, 2033},
        )
        self.assertFalse(self.env["resource.calendar"]._cron_jecree_public_holidays())
        self.assertEqual(len(leaves.search(domain)), 33)
        # Christmas 2031 closes the whole day in Paris
        christmas = created.filtered(
            lambda leave: leave.name == "Noël" and leave.date_to.year == 2031
        )
        self.assertEqual(
            calendar._jecree_local_date(christmas.date_from), date(2031, 12, 25)
        )
        self.assertEqual(
            calendar._jecree_local_date(christmas.date_to), date(2031, 12, 25)
        )
        self.assertIn(
            date(2031, 12, 25),
            calendar._jecree_closed_days(date(2031, 12, 24), date(2031, 12, 26)),
        )
