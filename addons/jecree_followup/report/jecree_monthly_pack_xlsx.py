# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import models
from odoo.tools import float_round

from odoo.addons.jecree_project.models.crm_lead import SECTOR_CODES
from odoo.addons.jecree_project.models.crm_phonecall import NO_PORTEUR_QUALIFICATIONS

from ..tools.erlang_c import agents_needed

SIZING = (6000, 30000)  # calls a year the call center is sized for (the article)
TARGET_LEVEL, ANSWER_SECONDS = 0.8, 20  # 80 % of the calls answered within 20 s
FIRST_HOUR, LAST_HOUR = 7, 21  # hours shown in the week tables
# Cells of the "Activity" sheet (row, column), 0-based as in xlsxwriter
ACTIVITY_CELLS = {
    "calls": (3, 1),
    "requests": (4, 1),
    "errors_share": (5, 1),
    "errors": (5, 2),
    "sectors": 7,  # first sector row; share in column 1, count in column 2
}
#: columns of the "Referrals" sheet after the structure: the report's measures
REFERRAL_MEASURES = (
    "referral_count",
    "accepted_count",
    "refused_count",
    "kept_count",
    "no_show_count",
    "support_count",
)

#: the referral states an appointment of the month is counted under
APPOINTMENT_STATES = {
    "honore": "kept",
    "accompagnement": "kept",
    "non_honore": "not_kept",
    "rdv_fixe": "to_record",
    "clos": None,  # by its dates
}
APPOINTMENT_ROWS = ("kept", "not_kept", "to_record")


def ratio(part, whole):
    """Share rounded to the percent, as a fraction (0.54 prints 54 %)."""
    return float_round(part / whole, precision_digits=2) if whole else 0.0


class JecreeMonthlyPackXlsx(models.AbstractModel):
    """The managers' monthly pack: activity, call-backs, capacity, staffing."""

    _name = "report.jecree_followup.monthly_pack_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly pack (XLSX)"

    def get_workbook_options(self):
        # a workbook of a few hundred cells: built in memory (xlsxwriter writes a
        # temporary file per sheet otherwise)
        return {**super().get_workbook_options(), "in_memory": True}

    # ------------------------------------------------------------------ figures
    def _month_domain(self, year, month, field="date"):
        """The calls of the month in the call center's time zone, as bounds on the
        stored UTC date: PostgreSQL reads the month through the index on the
        calls' date instead of computing the local day of every call."""
        tz = self.env.company._jecree_tz()
        start = date(year, month, 1)
        bounds = [
            tz.localize(datetime.combine(day, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for day in (start, start + relativedelta(months=1))
        ]
        return [(field, ">=", bounds[0]), (field, "<", bounds[1])]

    def _calls_figures(self, year, month):
        """The incoming calls of the month, in one pass over the calls analysis:
        the activity table (calls handled, requests, errors and pranks, requests
        per sector) and the week ({(ISO weekday, hour): (calls, minutes)})."""
        return self._calls_figures_in(self._month_domain(year, month), week=True)

    def _activity_figures(self, year, month):
        """Calls handled, requests, errors and pranks, requests per sector."""
        return self._activity_figures_in(self._month_domain(year, month))

    def _activity_figures_in(self, date_domain):
        """The activity figures of the incoming calls of `date_domain` (bounds
        on the calls' date): the month of the pack, the day of the dashboard."""
        return self._calls_figures_in(date_domain)[0]

    def _calls_figures_in(self, date_domain, week=False):
        """(activity, week) of the incoming calls of `date_domain`; the week
        ({(ISO weekday, hour): (calls, minutes)}) only when asked."""
        groupby = ["qualification", "is_request", "sector"]
        if week:
            groupby += ["weekday", "hour"]
        groups = self.env["jecree.call.report"]._read_group(
            date_domain + [("direction", "=", "in")],
            groupby,
            ["__count", "duration:sum"],
        )
        activity = {"calls": 0, "requests": 0, "errors": 0, "sectors": {}}
        by_hour = {}
        for row in groups:
            qualification, is_request, sector = row[:3]
            count, minutes = row[-2:]
            activity["calls"] += count
            if qualification in NO_PORTEUR_QUALIFICATIONS:
                activity["errors"] += count
            if is_request:
                activity["requests"] += count
                key = sector or "a_preciser"
                activity["sectors"][key] = activity["sectors"].get(key, 0) + count
            if week:
                key = (int(row[3]), row[4])
                calls, total = by_hour.get(key, (0, 0.0))
                by_hour[key] = (calls + count, total + (minutes or 0.0))
        return activity, by_hour

    def _callback_figures(self, year, month):
        """The J+8 call-backs due in the month: how many, how many done, and how
        each done one ended: the outcome recorded on the call-back call that
        closed it (`crm.lead.jecree_record_callback`), whenever it was made; a
        call-back closed another way (Odoo's "Mark done") has none."""
        start = date(year, month, 1)
        groups = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            ._read_group(
                [
                    (
                        "activity_type_id",
                        "=",
                        self.env["crm.lead"]._jecree_callback_type().id,
                    ),
                    ("date_deadline", ">=", start),
                    ("date_deadline", "<", start + relativedelta(months=1)),
                ],
                ["active", "callback_call_id.callback_outcome"],
                ["__count"],
            )
        )
        due = sum(count for __, __, count in groups)
        done = sum(count for active, __, count in groups if not active)
        outcomes = {}
        for active, outcome, count in groups:
            if not active:
                key = outcome or False
                outcomes[key] = outcomes.get(key, 0) + count
        return {
            "due": due,
            "done": done,
            "reached": outcomes.get("reached", 0),
            "outcomes": outcomes,  # {outcome or False (none recorded): count}
            "appointments": self._appointment_figures(year, month),
        }

    def _appointment_figures(self, year, month):
        """{"kept", "not_kept", "to_record"}: the appointments with a structure
        that took place in the month, from their one source, the referral's state
        (set by the adviser in the portal, or at the J+8 call-back)."""
        groups = self.env["jecree.referral"]._read_group(
            self._month_domain(year, month, "appointment_start")
            + [("state", "in", list(APPOINTMENT_STATES))],
            ["state"],
            ["__count", "date_kept:count", "date_not_kept:count"],
        )
        figures = dict.fromkeys(APPOINTMENT_ROWS, 0)
        for state, count, kept, not_kept in groups:
            if state == "clos":  # closed after the appointment: its dates say
                figures["kept"] += kept
                figures["not_kept"] += not_kept
            else:
                figures[APPOINTMENT_STATES[state]] += count
        return figures

    def _referral_figures(self, year, month):
        """[(structure, [referrals, accepted, declined, kept, no-shows, support])]
        of the referrals proposed in the month, by structure name; the steps are
        those reached so far."""
        groups = self.env["jecree.referral.report"]._read_group(
            # the local month as bounds on the proposal's stored date (indexed)
            self._month_domain(year, month),
            ["structure_id"],
            [f"{measure}:sum" for measure in REFERRAL_MEASURES],
            order="structure_id",  # the structures' order: by name
        )
        # the structures' names in one query (stored: no display name to compute)
        self.env["res.partner"].browse(group[0].id for group in groups).fetch(
            ["complete_name"]
        )
        return [(structure, list(values)) for structure, *values in groups]

    def _opening_hours(self, calendar):
        """{(ISO weekday, hour)} of the hours the calendar opens."""
        attendances = self.env["resource.calendar.attendance"].search_fetch(
            [
                ("calendar_id", "=", calendar.id),
                ("display_type", "=", False),
                ("week_type", "!=", "1"),
            ],
            ["dayofweek", "hour_from", "hour_to"],
            order="id",
        )
        hours = set()
        for attendance in attendances:
            weekday = int(attendance.dayofweek) + 1
            for hour in range(24):
                if attendance.hour_from < hour + 1 and attendance.hour_to > hour:
                    hours.add((weekday, hour))
        return hours

    def _open_days(self, calendar, year, month):
        """{ISO weekday: number of opening days in the month}."""
        start = date(year, month, 1)
        end = start + relativedelta(months=1, days=-1)
        closed = calendar._jecree_closed_days(start, end)
        counts = {}
        for day in range(1, end.day + 1):
            current = date(year, month, day)
            if current not in closed:
                weekday = current.isoweekday()
                counts[weekday] = counts.get(weekday, 0) + 1
        return counts

    def _scheduled_agents(self, team, calendar, opening=None):
        """{(ISO weekday, hour): team members whose calendar covers that hour};
        a member without working hours of their own works the call center's
        (`opening`: its hours, when already read)."""
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [("crm_team_id", "=", team.id), ("user_id.active", "=", True)],
                ["user_id"],
            )
        )
        resources = (
            self.env["resource.resource"]
            .sudo()
            .search_fetch(
                [("user_id", "in", members.user_id.ids)], ["user_id", "calendar_id"]
            )
        )
        calendars = {}  # a user's working hours: those of their first resource
        for resource in resources:
            calendars.setdefault(resource.user_id.id, resource.calendar_id)
        hours = {}  # the hours of each calendar, read once
        if opening is not None:
            hours[calendar] = opening
        scheduled = {}
        for user in members.user_id:
            user_calendar = calendars.get(user.id) or calendar
            if user_calendar not in hours:
                hours[user_calendar] = self._opening_hours(user_calendar)
            for key in hours[user_calendar]:
                scheduled[key] = scheduled.get(key, 0) + 1
        return scheduled

    def _pack_figures(self, year, month):
        company = self.env.company
        # the three settings read here only (not the whole company row)
        company.fetch(
            ["jecree_calendar_id", "jecree_team_id", "jecree_target_projects"]
        )
        calendar = company.jecree_calendar_id
        activity, week = self._calls_figures(year, month)
        opening = self._opening_hours(calendar)
        return {
            "activity": activity,
            "callbacks": self._callback_figures(year, month),
            "referrals": self._referral_figures(year, month),
            "week": week,
            "opening": opening,
            "open_days": self._open_days(calendar, year, month),
            "scheduled": self._scheduled_agents(
                company.jecree_team_id, calendar, opening
            ),
            "objective": company._jecree_objective_figures(
                date(year, 1, 1), date(year, month, 1) + relativedelta(months=1)
            ),
        }

    # ------------------------------------------------------------------ workbook
    def _period(self, data, objs):
        if data and data.get("year") and data.get("month"):
            return int(data["year"]), int(data["month"])
        wizard = objs[:1]
        return wizard.year, int(wizard.month)

    def generate_xlsx_report(self, workbook, data, objs):
        year, month = self._period(data, objs)
        figures = self._pack_figures(year, month)
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1}
            ),
            "bold": workbook.add_format({"bold": True}),
            "percent": workbook.add_format({"num_format": "0 %"}),
            "int": workbook.add_format({"num_format": "#,##0"}),
            "total": workbook.add_format({"bold": True, "num_format": "#,##0"}),
            "closed": workbook.add_format({"bg_color": "#D9D9D9"}),
            "open": workbook.add_format({"bg_color": "#E2EFDA"}),
            "decimal": workbook.add_format({"num_format": "0.0"}),
        }
        period = f"{month:02d}/{year}"
        self._sheet_activity(workbook, styles, period, figures["activity"])
        self._sheet_referrals(workbook, styles, period, figures["referrals"])
        self._sheet_callbacks(workbook, styles, period, figures["callbacks"])
        self._sheet_capacity(workbook, styles, period, figures)
        self._sheet_staffing(workbook, styles, period, figures)
        self._sheet_objective(workbook, styles, year, figures)

    def _sheet_activity(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Activity"))
        sheet.set_column(0, 0, 52)
        sheet.set_column(1, 2, 14)
        sheet.write(
            0, 0, self.env._("Call center activity – %s", period), styles["title"]
        )
        sheet.write_row(
            2,
            0,
            [self.env._("Figure"), self.env._("Value"), self.env._("Calls")],
            styles["header"],
        )
        calls, requests = figures["calls"], figures["requests"]
        sheet.write(3, 0, self.env._("Calls handled"))
        sheet.write_number(*ACTIVITY_CELLS["calls"], calls, styles["int"])
        sheet.write(4, 0, self.env._("Information, orientation or financing requests"))
        sheet.write_number(*ACTIVITY_CELLS["requests"], requests, styles["int"])
        sheet.write(5, 0, self.env._("Errors or prank calls, share of the volume"))
        sheet.write_number(
            *ACTIVITY_CELLS["errors_share"],
            ratio(figures["errors"], calls),
            styles["percent"],
        )
        sheet.write_number(*ACTIVITY_CELLS["errors"], figures["errors"], styles["int"])
        sheet.write(6, 0, self.env._("Sector split of the requests"), styles["bold"])
        sectors = dict(
            self.env["crm.lead"]._fields["sector"]._description_selection(self.env)
        )
        # jecree_project's sectors in their order, then any other value found
        keys = list(SECTOR_CODES) + sorted(set(figures["sectors"]) - set(SECTOR_CODES))
        row = ACTIVITY_CELLS["sectors"]
        for key in keys:
            count = figures["sectors"].get(key, 0)
            if key not in SECTOR_CODES and not count:
                continue
            sheet.write(row, 0, sectors.get(key, key))
            sheet.write_number(row, 1, ratio(count, requests), styles["percent"])
            sheet.write_number(row, 2, count, styles["int"])
            row += 1

    def _sheet_referrals(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Referrals"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(REFERRAL_MEASURES), 14)
        sheet.write(
            0, 0, self.env._("Referrals per structure – %s", period), styles["title"]
        )
        sheet.write_row(
            2,
            0,
            [
                self.env._("Structure"),
                self.env._("Referrals"),
                self.env._("Referrals accepted"),
                self.env._("Referrals declined"),
                self.env._("Appointments kept"),
                self.env._("No-shows"),
                self.env._("Support started"),
            ],
            styles["header"],
        )
        totals = [0] * len(REFERRAL_MEASURES)
        row = 3
        for structure, values in figures:
            sheet.write(row, 0, structure.complete_name)
            for col, value in enumerate(values):
                sheet.write_number(row, col + 1, value, styles["int"])
                totals[col] += value
            row += 1
        sheet.write(row, 0, self.env._("Total"), styles["bold"])
        for col, value in enumerate(totals):
            sheet.write_number(row, col + 1, value, styles["total"])

    def _sheet_callbacks(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("J+8 call-backs"))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 1, 14)
        sheet.write(0, 0, self.env._("J+8 call-backs – %s", period), styles["title"])
        sheet.write_row(
            2, 0, [self.env._("Figure"), self.env._("Value")], styles["header"]
        )
        rows = [
            (self.env._("Call-backs due in the month"), figures["due"]),
            (self.env._("Call-backs done"), figures["done"]),
        ]
        # how the done ones ended: they add up to the call-backs done
        phonecall = self.env["crm.phonecall"]
        outcomes = dict(
            phonecall._fields["callback_outcome"]._description_selection(self.env)
        )
        for key, label in outcomes.items():
            rows.append(
                (
                    self.env._("Call-backs done: %s", label),
                    figures["outcomes"].get(key, 0),
                )
            )
        rows.append(
            (
                self.env._("Call-backs done: no outcome recorded"),
                figures["outcomes"].get(False, 0),
            )
        )
        appointments = figures["appointments"]
        rows += [
            (self.env._("Appointments of the month: kept"), appointments["kept"]),
            (
                self.env._("Appointments of the month: not kept"),
                appointments["not_kept"],
            ),
            (
                self.env._("Appointments of the month: not recorded yet"),
                appointments["to_record"],
            ),
        ]
        for row, (label, value) in enumerate(rows, 3):
            sheet.write(row, 0, label)
            sheet.write_number(row, 1, value, styles["int"])

    def _weekday_labels(self):
        return dict(
            self.env["jecree.call.report"]
            ._fields["weekday"]
            ._description_selection(self.env)
        )

    def _sheet_capacity(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Capacity"))
        sheet.set_column(0, 0, 40)
        sheet.write(0, 0, self.env._("Capacity – %s", period), styles["title"])
        calls = figures["activity"]["calls"]
        annual = calls * 12
        if annual < SIZING[0]:
            status = self.env._("below the sizing")
        elif annual > SIZING[1]:
            status = self.env._("above the sizing: to be revised")
        else:
            status = self.env._("within the sizing")
        sheet.write_row(
            2, 0, [self.env._("Figure"), self.env._("Value")], styles["header"]
        )
        rows = [
            (self.env._("Calls handled in the month"), calls),
            (self.env._("Annualised volume (calls × 12)"), annual),
            (self.env._("Sizing: minimum calls a year"), SIZING[0]),
            (self.env._("Sizing: maximum calls a year"), SIZING[1]),
        ]
        for row, (label, value) in enumerate(rows, 3):
            sheet.write(row, 0, label)
            sheet.write_number(row, 1, value, styles["int"])
        sheet.write(7, 0, self.env._("Against the sizing"))
        sheet.write(7, 1, status)
        # calls per hour of the week, opening hours shaded
        top = 9
        sheet.write(top, 0, self.env._("Calls per hour of the week"), styles["bold"])
        weekdays = self._weekday_labels()
        sheet.write_row(
            top + 1, 0, [self.env._("Hour")] + list(weekdays.values()), styles["header"]
        )
        week, opening = figures["week"], figures["opening"]
        outside = sum(count for key, (count, __) in week.items() if key not in opening)
        for offset, hour in enumerate(self._hours(week, opening)):
            row = top + 2 + offset
            sheet.write(row, 0, f"{hour:02d}:00–{hour + 1:02d}:00")
            for weekday in range(1, 8):
                count = week.get((weekday, hour), (0, 0.0))[0]
                style = (
                    styles["open"] if (weekday, hour) in opening else styles["closed"]
                )
                sheet.write_number(row, weekday, count, style)
            last = row
        sheet.write(last + 2, 0, self.env._("Calls outside the opening hours"))
        sheet.write_number(last + 2, 1, outside, styles["int"])

    def _hours(self, week, opening):
        hours = {hour for __, hour in week} | {hour for __, hour in opening}
        return range(min(hours | {FIRST_HOUR}), max(hours | {LAST_HOUR - 1}) + 1)

    def _sheet_staffing(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Staffing"))
        sheet.set_column(0, 1, 14)
        sheet.set_column(2, 6, 16)
        sheet.write(
            0,
            0,
            self.env._(
                "Staffing (Erlang C: 80 %% of the calls answered within 20 s) – %s",
                period,
            ),
            styles["title"],
        )
        sheet.write_row(
            2,
            0,
            [
                self.env._("Weekday"),
                self.env._("Hour"),
                self.env._("Calls per hour"),
                self.env._("Handling time (s)"),
                self.env._("Agents needed"),
                self.env._("Agents scheduled"),
            ],
            styles["header"],
        )
        weekdays = self._weekday_labels()
        week, opening = figures["week"], figures["opening"]
        open_days, scheduled = figures["open_days"], figures["scheduled"]
        row = 3
        for weekday in range(1, 8):
            for hour in self._hours(week, opening):
                key = (weekday, hour)
                if key not in opening and key not in week:
                    continue
                count, minutes = week.get(key, (0, 0.0))
                days = open_days.get(weekday) or 1
                arrivals = count / days
                aht = minutes * 60 / count if count else 0.0
                needed = agents_needed(arrivals, aht, TARGET_LEVEL, ANSWER_SECONDS)
                sheet.write(row, 0, weekdays[str(weekday)])
                sheet.write(row, 1, f"{hour:02d}:00")
                sheet.write_number(row, 2, float_round(arrivals, 1), styles["decimal"])
                sheet.write_number(row, 3, round(aht), styles["int"])
                sheet.write_number(row, 4, needed, styles["int"])
                sheet.write_number(row, 5, scheduled.get(key, 0), styles["int"])
                row += 1

    def _sheet_objective(self, workbook, styles, year, figures):
        sheet = workbook.add_worksheet(self.env._("Objective"))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 1, 14)
        sheet.write(0, 0, self.env._("Projects started in %s", year), styles["title"])
        sheet.write_row(
            2, 0, [self.env._("Figure"), self.env._("Value")], styles["header"]
        )
        objective = figures["objective"]
        started, target = objective["started"], objective["target"]
        sheet.write(3, 0, self.env._("Projects started since 1 January"))
        sheet.write_number(3, 1, started, styles["int"])
        sheet.write(4, 0, self.env._("Target of the year"))
        sheet.write_number(4, 1, target, styles["int"])
        sheet.write(5, 0, self.env._("Share of the target reached"))
        sheet.write_number(5, 1, ratio(started, target), styles["percent"])
        # businesses found in the SIRENE file and confirmed by a manager
        sheet.write(6, 0, self.env._("Businesses created (SIRENE, confirmed)"))
        sheet.write_number(6, 1, objective["created"], styles["int"])
        sheet.write(7, 0, self.env._("Share of the target (businesses created)"))
        sheet.write_number(7, 1, ratio(objective["created"], target), styles["percent"])
        sheet.write(8, 0, self.env._("Employees declared to INSEE (created)"))
        sheet.write_number(8, 1, objective["jobs"], styles["int"])
