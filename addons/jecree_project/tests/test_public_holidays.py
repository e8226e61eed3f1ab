# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime
from unittest.mock import patch

import pytz
from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from ..tools.french_holidays import french_public_holidays


@tagged("post_install", "-at_install")
class TestPublicHolidays(TransactionCase):
    """French public holidays, Easter-based ones included, as company-wide
    closures that every calendar of the company honours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.calendar = cls.company.jecree_calendar_id
        cls.leaves = cls.env["resource.calendar.leaves"]

    def company_wide(self, since):
        return self.leaves.search(
            self.leaves._jecree_company_closure_domain(self.company)
            + [("date_from", ">=", since)]
        )

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
        self.assertFalse(self.company_wide("2030-12-31"))
        created = self.env["res.company"]._cron_jecree_public_holidays()
        created = created.filtered(lambda leave: leave.company_id == self.company)
        self.assertEqual(len(created), 33)
        self.assertFalse(created.calendar_id, "company-wide: no calendar")
        self.assertFalse(created.resource_id)
        self.assertEqual(
            {
                self.calendar._jecree_local_date(leave.date_from).year
                for leave in created
            },
            {2031, 2032, 2033},
        )
        self.assertFalse(self.env["res.company"]._cron_jecree_public_holidays())
        self.assertEqual(len(self.company_wide("2030-12-31")), 33)
        # Christmas 2031 closes the whole day in Paris
        christmas = created.filtered(
            lambda leave: leave.name == "Noël" and leave.date_to.year == 2031
        )
        self.assertEqual(
            self.calendar._jecree_local_date(christmas.date_from), date(2031, 12, 25)
        )
        self.assertEqual(
            self.calendar._jecree_local_date(christmas.date_to), date(2031, 12, 25)
        )
        self.assertIn(
            date(2031, 12, 25),
            self.calendar._jecree_closed_days(date(2031, 12, 24), date(2031, 12, 26)),
        )

    def test_every_calendar_skips_the_holidays(self):
        """An ordinary calendar of the company (not the call center's) has no
        working hours on 14 July nor 11 November."""
        self.company._jecree_generate_public_holidays(range(2027, 2028))
        ordinary = self.env["resource.calendar"].create(
            {"name": "Horaires de bureau", "tz": self.company._jecree_tz().zone}
        )
        tz = pytz.timezone(ordinary.tz)
        for day in (date(2027, 7, 14), date(2027, 11, 11)):
            start = tz.localize(datetime(day.year, day.month, day.day, 0, 0))
            stop = tz.localize(datetime(day.year, day.month, day.day, 23, 59))
            self.assertFalse(
                list(ordinary._work_intervals_batch(start, stop)[False]), day
            )
        # the day after is worked
        start = tz.localize(datetime(2027, 7, 15, 0, 0))
        stop = tz.localize(datetime(2027, 7, 15, 23, 59))
        self.assertTrue(list(ordinary._work_intervals_batch(start, stop)[False]))

    def test_holidays_of_the_call_center_calendar_become_company_wide(self):
        """Existing databases: holidays stored on the call center's calendar move to
        the company; the call center's own closures stay on its calendar."""
        start, stop = self.calendar._jecree_day_bounds(
            date(2035, 7, 14), date(2035, 7, 14)
        )
        holiday = self.leaves.create(
            {
                "name": "Fête nationale",
                "calendar_id": self.calendar.id,
                "date_from": start,
                "date_to": stop,
            }
        )
        start, stop = self.calendar._jecree_day_bounds(
            date(2035, 8, 1), date(2035, 8, 15)
        )
        closure = self.leaves.create(
            {
                "name": "Fermeture estivale",
                "calendar_id": self.calendar.id,
                "date_from": start,
                "date_to": stop,
            }
        )
        self.env["res.company"]._jecree_holidays_company_wide()
        self.assertFalse(holiday.calendar_id)
        self.assertEqual(holiday.company_id, self.company)
        self.assertEqual(closure.calendar_id, self.calendar)
        self.env["res.company"]._jecree_holidays_company_wide()  # idempotent
        self.assertFalse(holiday.calendar_id)

    def test_time_off_keeps_the_cached_closed_days(self):
        """An employee's time off does not clear the cache; a closure does."""
        resource = self.env["resource.resource"].create(
            {"name": "Employé", "calendar_id": self.env.company.resource_calendar_id.id}
        )
        start, stop = self.calendar._jecree_day_bounds(
            date(2035, 3, 5), date(2035, 3, 6)
        )
        registry = type(self.env.registry)
        with patch.object(registry, "clear_cache", autospec=True) as clear:
            leave = self.leaves.create(
                {
                    "name": "Congés",
                    "resource_id": resource.id,
                    "date_from": start,
                    "date_to": stop,
                }
            )
            leave.name = "Congés payés"
            leave.unlink()
            self.assertFalse(clear.called, "an employee's time off")
            self.leaves.create(
                {"name": "Fermeture", "date_from": start, "date_to": stop}
            )
            self.assertTrue(clear.called, "a company-wide closure")

    def test_time_zone_from_the_calendar_or_the_company(self):
        self.calendar.tz = "America/Martinique"
        self.assertEqual(self.company._jecree_tz().zone, "America/Martinique")
        self.assertEqual(self.calendar._jecree_tz().zone, "America/Martinique")
        other = self.env["resource.calendar"].create(
            {"name": "Réunion", "tz": "Indian/Reunion"}
        )
        self.assertEqual(other._jecree_tz().zone, "Indian/Reunion")
        self.assertEqual(
            self.env["resource.calendar"]._jecree_tz().zone, "America/Martinique"
        )
