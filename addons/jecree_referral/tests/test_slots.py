# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import JecreeReferralMixin

# Monday 7 December 2026, 8:00 in Paris (UTC+1)
MONDAY_8 = "2026-12-07 07:00:00"


@tagged("post_install", "-at_install")
class TestSlots(JecreeReferralMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()

    def slots(self, adviser=None, start=MONDAY_8):
        adviser = self.adviser_cma if adviser is None else adviser
        return adviser._jecree_free_slots(self.cma_arras, datetime.fromisoformat(start))

    def adviser_calendar(self, user):
        """The adviser `user` works on their own (ordinary) calendar, 9:00-17:00."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Ordinary hours",
                "tz": self.env.company._jecree_tz().zone,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": "Day",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "full_day",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        self.env["resource.resource"].create(
            {"name": user.name, "user_id": user.id, "calendar_id": calendar.id}
        )
        return calendar

    def slot_days(self, adviser, antenna, first_day):
        """The days with a free slot over the ten opening days from `first_day`."""
        start = datetime.combine(first_day, time(0, 0))
        return {s.date() for s, _e in adviser._jecree_free_slots(antenna, start)}

    def closure(self, day, **values):
        """A closure of the whole `day` (Paris) entered by a manager."""
        start, stop = self.env.company.jecree_calendar_id._jecree_day_bounds(day, day)
        return (
            self.env["resource.calendar.leaves"]
            .with_user(self.manager)
            .create(dict(name="Fermeture", date_from=start, date_to=stop, **values))
        )

    def test_no_slot_on_public_holidays_whatever_the_calendar(self):
        """14 July and 11 November: no slot for an antenna on its own opening hours
        nor for an adviser on their own working hours (the holidays of the current
        and next two years are stored at install, for the whole company)."""
        year = date.today().year + 1
        Partner = self.env["res.partner"]
        for holiday, monday in (
            (date(year, 7, 14), date(year, 7, 14) - timedelta(days=3)),
            (date(year, 11, 11), date(year, 11, 11) - timedelta(days=3)),
        ):
            # the antenna's own calendar, no adviser
            days = self.slot_days(Partner, self.cma_arras, monday)
            self.assertNotIn(holiday, days)
            self.assertEqual(len(days), 10)
        self.adviser_calendar(self.portal_cma)
        for holiday in (date(year, 7, 14), date(year, 11, 11)):
            days = self.slot_days(
                self.adviser_cma, self.cma_arras, holiday - timedelta(days=3)
            )
            self.assertNotIn(holiday, days, "the adviser's own working hours")
            self.assertEqual(len(days), 10)
            start = datetime.combine(holiday, time(8, 0))
            self.assertFalse(
                self.adviser_cma._jecree_slot_is_free(
                    self.cma_arras, start, start + timedelta(hours=1)
                ),
                "nor can a slot be booked then",
            )

    def test_no_slot_on_a_company_closure(self):
        day = date(2027, 3, 17)  # a Wednesday
        self.closure(day)
        Partner = self.env["res.partner"]
        self.assertNotIn(
            day, self.slot_days(Partner, self.cci_arras, date(2027, 3, 15))
        )
        self.adviser_calendar(self.portal_cma)
        self.assertNotIn(
            day, self.slot_days(self.adviser_cma, self.cma_arras, date(2027, 3, 15))
        )

    def test_structure_closure_applies_to_it_only(self):
        """A bridge day of the CMA: no slot at its antennas nor with its advisers;
        the CCI on the same opening hours and the call center are open."""
        day = date(2027, 3, 19)  # a Friday
        closure = self.closure(day, jecree_structure_id=self.cma.id)
        self.assertEqual(closure, self.cma.jecree_closure_ids)
        Partner = self.env["res.partner"]
        monday = date(2027, 3, 15)
        self.assertNotIn(day, self.slot_days(Partner, self.cma_arras, monday))
        self.assertNotIn(day, self.slot_days(self.adviser_cma, self.cma_arras, monday))
        self.assertIn(day, self.slot_days(Partner, self.cci_arras, monday))
        start = datetime.combine(day, time(9, 0))
        self.assertTrue(
            Partner._jecree_slot_is_free(
                self.cci_arras, start, start + timedelta(hours=1)
            )
        )
        self.assertFalse(
            Partner._jecree_slot_is_free(
                self.cma_arras, start, start + timedelta(hours=1)
            )
        )
        # Odoo's own computations (and the call center's opening days) ignore it
        call_center = self.env.company.jecree_calendar_id
        self.assertNotIn(day, call_center._jecree_closed_days(day, day))
        # the company's closures list (Configuration > Closures) leaves it out
        action = self.env.ref("jecree_project.resource_calendar_leaves_action_closures")
        company_closure = self.closure(date(2027, 3, 22))
        listed = self.env["resource.calendar.leaves"].search(safe_eval(action.domain))
        self.assertIn(company_closure, listed)
        self.assertNotIn(closure, listed)

    def test_ten_opening_days_within_working_hours(self):
        slots = self.slots()
        days = sorted({start.date() for start, _stop in slots})
        self.assertEqual(len(days), 10)
        self.assertEqual(days[0].isoformat(), "2026-12-07")
        self.assertEqual(days[-1].isoformat(), "2026-12-18")
        self.assertTrue(all(day.weekday() < 5 for day in days))
        # 9-12 and 14-17 Paris = 8-11 and 13-16 UTC: 6 one-hour slots a day
        self.assertEqual(len(slots), 60)
        hours = {start.hour for start, _stop in slots}
        self.assertEqual(hours, {8, 9, 10, 13, 14, 15})
        self.assertTrue(
            all(stop - start == timedelta(hours=1) for start, stop in slots)
        )

    def test_existing_events_are_skipped(self):
        self.env["calendar.event"].with_context(no_mail_to_attendees=True).create(
            [
                {
                    "name": "Busy",
                    "start": "2026-12-07 09:00:00",  # 10:00-10:30 Paris
                    "stop": "2026-12-07 09:30:00",
                    "partner_ids": [Command.set(self.adviser_cma.ids)],
                },
                {
                    "name": "Afternoon meeting",
                    "start": "2026-12-07 13:30:00",  # 14:30-16:00 Paris
                    "stop": "2026-12-07 15:00:00",
                    "partner_ids": [Command.set(self.adviser_cma.ids)],
                },
                {
                    "name": "Someone else's",
                    "start": "2026-12-07 08:00:00",
                    "stop": "2026-12-07 09:00:00",
                    "partner_ids": [Command.set(self.adviser_bge.ids)],
                },
            ]
        )
        monday = [
            start.strftime("%H:%M")
            for start, _stop in self.slots()
            if start.date().isoformat() == "2026-12-07"
        ]
        self.assertEqual(monday, ["08:00", "10:00", "15:00"])

    def test_start_inside_working_hours(self):
        # Monday 10:20 Paris: the first slot starts at 10:30, the last at 16:00
        slots = self.slots(start="2026-12-07 09:20:00")
        monday = [
            s.strftime("%H:%M")
            for s, _e in slots
            if s.date().isoformat() == "2026-12-07"
        ]
        self.assertEqual(monday, ["09:30", "13:00", "14:00", "15:00"])

    def test_weekend_start(self):
        # Saturday evening: nothing before Monday
        slots = self.slots(start="2026-12-05 18:00:00")
        self.assertEqual(slots[0][0], datetime(2026, 12, 7, 8, 0))

    def test_adviser_user_hours_win(self):
        user = self.portal_cma
        self.env["resource.resource"].create(
            {
                "name": "Conseillère CMA",
                "user_id": user.id,
                "calendar_id": self.env["resource.calendar"]
                .create(
                    {
                        "name": "Mornings",
                        "tz": self.env.company._jecree_tz().zone,
                        "attendance_ids": [Command.clear()]
                        + [
                            Command.create(
                                {
                                    "name": "Morning",
                                    "dayofweek": str(day),
                                    "hour_from": 9,
                                    "hour_to": 11,
                                    "day_period": "morning",
                                }
                            )
                            for day in range(5)
                        ],
                    }
                )
                .id,
            }
        )
        self.assertEqual({s.hour for s, _e in self.slots()}, {8, 9})

    @freeze_time("2026-12-07 07:00:00")
    def test_wizard_books_and_skips_the_booked_slot(self):
        lead = self.make_porteur().with_user(self.agent)
        wizard = self.env["jecree.referral.wizard"].browse(
            lead.action_jecree_refer()["res_id"]
        )
        wizard.line_ids.filtered(
            lambda line: line.antenna_id == self.cma_arras
        ).selected = True
        wizard.action_refer()
        slot = wizard.slot_ids[0]
        self.assertEqual(slot.start, datetime(2026, 12, 7, 8, 0))
        self.assertTrue(slot.name)
        slot.action_book()
        referral = lead.jecree_referral_ids
        self.assertEqual(referral.state, "rdv_fixe")
        self.assertEqual(referral.event_id.start, datetime(2026, 12, 7, 8, 0))
        # the booked hour is no longer free
        self.assertNotIn(datetime(2026, 12, 7, 8, 0), [s for s, _e in self.slots()])
