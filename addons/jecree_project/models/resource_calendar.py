# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

import pytz

from odoo import models, tools

from ..tools.french_holidays import french_public_holidays
from ..tools.local_time import day_bounds

SEARCH_DAYS = 60  # an opening day is looked for this far at most
OPENING_WINDOW = 14  # looked for this far first


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _jecree_tz(self):
        """The calendar's time zone (a pytz zone), else its company's."""
        if self[:1].tz:
            return pytz.timezone(self[:1].tz)
        return (self[:1].company_id or self.env.company)._jecree_tz()

    def _jecree_is_call_center(self):
        """Whether one of the calendars is a company's call-center calendar."""
        return bool(
            self.ids
            and self.env["res.company"]
            .sudo()
            .search_count([("jecree_calendar_id", "in", self.ids)], limit=1)
        )

    def _jecree_local_date(self, value):
        """The calendar's local date of a naive UTC datetime."""
        return pytz.utc.localize(value).astimezone(self._jecree_tz()).date()

    def _jecree_day_bounds(self, day_from, day_to):
        """Naive UTC datetimes of the start of `day_from` and the end of `day_to`."""
        return day_bounds(self._jecree_tz(), day_from, day_to)

    def write(self, vals):
        if "tz" in vals or self._jecree_is_call_center():
            # _jecree_closed_days (hours, zone), res.company._jecree_calendar_tz
            self.env.registry.clear_cache()
        return super().write(vals)

    def _jecree_closed_days(self, day_from, day_to):
        """Days of [day_from, day_to] when the call center is closed.

        Closed: Sundays, days without attendance, and days whose attendance is all
        covered by closures: the company-wide ones (public holidays, closures
        entered by managers), which every calendar honours, and the calendar's
        own leaves without resource. Without a calendar: Sundays and the French
        public holidays.

        Cached (every intake asks for the next fortnight); the cache is cleared
        when a call-center calendar, its attendances or a closure change, not
        on an employee's time off."""
        return self.sudo()._jecree_closed_days_cached(day_from, day_to)

    @tools.ormcache("self.id", "day_from", "day_to")
    def _jecree_closed_days_cached(self, day_from, day_to):
        days = [
            day_from + timedelta(days=n) for n in range((day_to - day_from).days + 1)
        ]
        if not self:
            holidays = set()
            for year in range(day_from.year, day_to.year + 1):
                holidays.update(french_public_holidays(year))
            return frozenset(
                day for day in days if day.weekday() == 6 or day in holidays
            )
        self.ensure_one()
        tz = self._jecree_tz()
        start = tz.localize(datetime.combine(day_from, time.min))
        end = tz.localize(datetime.combine(day_to + timedelta(days=1), time.min))
        intervals = self._work_intervals_batch(start, end)[False]
        open_days = {begin.date() for begin, stop, __ in intervals if stop > begin}
        return frozenset(
            day for day in days if day not in open_days or day.weekday() == 6
        )

    def _jecree_next_opening_day(self, day):
        """`day` if the call center opens that day, else the next opening day."""
        return self._jecree_opening_days({day})[day]

    def _jecree_opening_days(self, days):
        """{day: `day` or the next opening day} for each of `days`.

        The calendar is read over a fortnight after the last day first (enough
        but for a long closure), then over SEARCH_DAYS for the days left without
        an opening day in it: the intake pays for two weeks, not two months."""
        result = {}
        todo = set(days)
        for window in (OPENING_WINDOW, SEARCH_DAYS):
            if not todo:
                break
            closed = self._jecree_closed_days(
                min(todo), max(todo) + timedelta(days=window)
            )
            for day in list(todo):
                for offset in range(window):
                    candidate = day + timedelta(days=offset)
                    if candidate not in closed:
                        result[day] = candidate
                        todo.discard(day)
                        break
        result.update((day, day) for day in todo)  # closed for two months
        return result

    def _jecree_next_opening(self, moment):
        """The naive UTC datetime at which the call center is open at or after
        `moment` (a naive UTC datetime): `moment` itself during opening hours,
        else the start of the next opening hours (closures honoured). Without
        opening hours within SEARCH_DAYS, `moment`."""
        if not self:
            return moment
        self.ensure_one()
        start = pytz.utc.localize(moment)
        end = start + timedelta(days=SEARCH_DAYS)
        intervals = self.sudo()._work_intervals_batch(start, end)[False]
        for begin, stop, __ in intervals:
            if stop > start:
                return max(begin, start).astimezone(pytz.utc).replace(tzinfo=None)
        return moment
