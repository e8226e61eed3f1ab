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
#: first sector row of the "Activity" sheet, 0-based as in xlsxwriter (each
#: period's share, then count, in its two columns)
ACTIVITY_SECTOR_ROW = 7
#: columns of the "Referrals" sheet after the structure: the service levels'
#: measures (jecree.referral.report SERVICE_MEASURES)
REFERRAL_MEASURES = (
    "referrals",
    "accepted",
    "refused",
    "kept",
    "no_show",
    "support",
)

#: the columns of a period in the "Service levels" sheet: (measure, style)
SERVICE_COLUMNS = (
    ("referrals", "int"),
    ("accept_hours", "decimal"),
    ("in_time_rate", "percent"),
    ("refusal_rate", "percent"),
    ("kept", "int"),
    ("no_show", "int"),
    ("support", "int"),
    ("surveys_answered", "int"),
    ("recommend", "decimal"),
    ("to_watch", None),
)
#: the columns of a period in the "Satisfaction" sheet: (measure, style)
SATISFACTION_COLUMNS = (
    ("surveys_sent", "int"),
    ("surveys_answered", "int"),
    ("answer_rate", "percent"),
    ("call_center", "decimal"),
    ("structure", "decimal"),
    ("delay_quick_rate", "percent"),
    ("delay_fine_rate", "percent"),
    ("delay_long_rate", "percent"),
    ("recommend", "decimal"),
    ("nps", "int"),
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
        return self._referral_rows(self._service_figures([(year, month)])[0])

    def _referral_rows(self, levels):
        """The Referrals sheet's rows (see `_referral_figures`) from a month's
        service levels ({structure: level}), by structure name."""
        return [
            (structure, [levels[structure]["values"][key] for key in REFERRAL_MEASURES])
            for structure in sorted(levels, key=lambda s: (s.complete_name or "", s.id))
        ]

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

    def _pack_periods(self, year, month):
        """[(year, month)] of the pack's columns: the month, the previous month
        and the same month a year earlier."""
        previous = date(year, month, 1) - relativedelta(months=1)
        return [(year, month), (previous.year, previous.month), (year - 1, month)]

    def _period_figures(self, year, month, calendar, service):
        """The figures of one month (every sheet shows three); `service`: the
        month's service levels, read with the other months'."""
        activity, week = self._calls_figures(year, month)
        return {
            "activity": activity,
            "callbacks": self._callback_figures(year, month),
            "referrals": self._referral_rows(service),
            "week": week,
            "open_days": self._open_days(calendar, year, month),
            "objective": self.env.company._jecree_objective_figures(
                date(year, 1, 1), date(year, month, 1) + relativedelta(months=1)
            ),
        }

    def _service_figures(self, periods):
        """[{structure: service level}] of each period (`_jecree_service_levels`
        of the referrals analysis, one reading for the three months), the
        structures' and antennas' names read at once."""
        months = {
            f"{year:04d}-{month:02d}": self._month_domain(year, month)
            for year, month in periods
        }
        levels = self.env["jecree.referral.report"]._jecree_service_levels(months)
        partner_ids = {
            partner.id
            for structures in levels.values()
            for structure, level in structures.items()
            for partner in (structure, *level["antennas"])
        }
        self.env["res.partner"].browse(partner_ids).fetch(["complete_name"])
        return [levels[key] for key in months]

    def _pack_figures(self, year, month):
        """The month's figures (as the keys of `_period_figures`), the opening
        and scheduled hours, and "periods" ([(year, month)]: the month, the
        previous one, a year earlier), "by_period" (each one's figures, the
        month's first), "service" (each one's service levels)."""
        company = self.env.company
        # the three settings read here only (not the whole company row)
        company.fetch(
            ["jecree_calendar_id", "jecree_team_id", "jecree_target_projects"]
        )
        calendar = company.jecree_calendar_id
        periods = self._pack_periods(year, month)
        service = self._service_figures(periods)
        by_period = [
            self._period_figures(y, m, calendar, levels)
            for (y, m), levels in zip(periods, service, strict=True)
        ]
        opening = self._opening_hours(calendar)
        return {
            **by_period[0],
            "opening": opening,
            "scheduled": self._scheduled_agents(
                company.jecree_team_id, calendar, opening
            ),
            "periods": periods,
            "by_period": by_period,
            "service": service,
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
            "period": workbook.add_format(
                {"bold": True, "align": "center", "bg_color": "#B4C6E7", "border": 1}
            ),
            "bold": workbook.add_format({"bold": True}),
            "percent": workbook.add_format({"num_format": "0 %"}),
            "int": workbook.add_format({"num_format": "#,##0"}),
            "total": workbook.add_format({"bold": True, "num_format": "#,##0"}),
            "closed": workbook.add_format({"bg_color": "#D9D9D9"}),
            "open": workbook.add_format({"bg_color": "#E2EFDA"}),
            "decimal": workbook.add_format({"num_format": "0.0"}),
            "indent": workbook.add_format({"indent": 1}),
        }
        period = f"{month:02d}/{year}"
        figures["labels"] = self._period_labels(figures["periods"])
        self._sheet_activity(workbook, styles, period, figures)
        self._sheet_referrals(workbook, styles, period, figures)
        self._sheet_service_levels(workbook, styles, period, figures)
        self._sheet_satisfaction(workbook, styles, period, figures)
        self._sheet_callbacks(workbook, styles, period, figures)
        self._sheet_capacity(workbook, styles, period, figures)
        self._sheet_staffing(workbook, styles, period, figures)
        self._sheet_objective(workbook, styles, year, figures)

    def _period_labels(self, periods):
        """The headers of the three periods' columns."""
        labels = (
            self.env._("Month (%s)"),
            self.env._("Previous month (%s)"),
            self.env._("Same month last year (%s)"),
        )
        return [
            label % f"{month:02d}/{year}"
            for label, (year, month) in zip(labels, periods, strict=True)
        ]

    def _write_periods(self, sheet, styles, row, col, width, labels):
        """The periods' labels on `row`, over `width` columns each from `col`."""
        for index, label in enumerate(labels):
            first = col + index * width
            if width > 1:
                sheet.merge_range(
                    row, first, row, first + width - 1, label, styles["period"]
                )
            else:
                sheet.write(row, first, label, styles["period"])

    def _write_value(self, sheet, row, col, value, style):
        """A number, or an empty cell for a figure that has no value (a median
        or an average of nothing)."""
        if value is None or value is False:
            sheet.write_blank(row, col, None, style)
        else:
            sheet.write_number(row, col, value, style)

    def _sheet_activity(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Activity"))
        sheet.set_column(0, 0, 52)
        sheet.set_column(1, 6, 14)
        sheet.write(
            0, 0, self.env._("Call center activity – %s", period), styles["title"]
        )
        # the month in B:C (value, calls), the previous month in D:E, N-1 in F:G
        self._write_periods(sheet, styles, 1, 1, 2, figures["labels"])
        sheet.write_row(
            2,
            0,
            [self.env._("Figure")] + [self.env._("Value"), self.env._("Calls")] * 3,
            styles["header"],
        )
        sheet.write(3, 0, self.env._("Calls handled"))
        sheet.write(4, 0, self.env._("Information, orientation or financing requests"))
        sheet.write(5, 0, self.env._("Errors or prank calls, share of the volume"))
        sheet.write(6, 0, self.env._("Sector split of the requests"), styles["bold"])
        sectors = dict(
            self.env["crm.lead"]._fields["sector"]._description_selection(self.env)
        )
        activities = [period["activity"] for period in figures["by_period"]]
        found = set().union(*(activity["sectors"] for activity in activities))
        # jecree_project's sectors in their order, then any other value found in
        # one of the periods (a request without sector: "a_preciser")
        keys = list(SECTOR_CODES) + sorted(found - set(SECTOR_CODES))
        for offset, key in enumerate(keys):
            sheet.write(ACTIVITY_SECTOR_ROW + offset, 0, sectors.get(key, key))
        for index, activity in enumerate(activities):
            col = 1 + 2 * index
            calls, requests = activity["calls"], activity["requests"]
            sheet.write_number(3, col, calls, styles["int"])
            sheet.write_number(4, col, requests, styles["int"])
            sheet.write_number(
                5, col, ratio(activity["errors"], calls), styles["percent"]
            )
            sheet.write_number(5, col + 1, activity["errors"], styles["int"])
            for offset, key in enumerate(keys):
                row = ACTIVITY_SECTOR_ROW + offset
                count = activity["sectors"].get(key, 0)
                sheet.write_number(row, col, ratio(count, requests), styles["percent"])
                sheet.write_number(row, col + 1, count, styles["int"])

    def _sheet_referrals(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Referrals"))
        width = len(REFERRAL_MEASURES)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 3 * width, 14)
        sheet.write(
            0, 0, self.env._("Referrals per structure – %s", period), styles["title"]
        )
        self._write_periods(sheet, styles, 1, 1, width, figures["labels"])
        headers = [
            self.env._("Referrals"),
            self.env._("Referrals accepted"),
            self.env._("Referrals declined"),
            self.env._("Appointments kept"),
            self.env._("No-shows"),
            self.env._("Support started"),
        ]
        sheet.write_row(2, 0, [self.env._("Structure")] + headers * 3, styles["header"])
        by_period = [dict(period["referrals"]) for period in figures["by_period"]]
        structures = self._partners(by_period)
        totals = [0] * (3 * width)
        row = 3
        for structure in structures.sorted(lambda s: (s.complete_name or "", s.id)):
            sheet.write(row, 0, structure.complete_name)
            for index, values in enumerate(by_period):
                for offset, value in enumerate(values.get(structure, [0] * width)):
                    col = 1 + index * width + offset
                    sheet.write_number(row, col, value, styles["int"])
                    totals[col - 1] += value
            row += 1
        sheet.write(row, 0, self.env._("Total"), styles["bold"])
        for col, value in enumerate(totals):
            sheet.write_number(row, col + 1, value, styles["total"])

    def _partners(self, mappings):
        """The partners that are keys of any of `mappings`."""
        return self.env["res.partner"].browse(
            dict.fromkeys(partner.id for mapping in mappings for partner in mapping)
        )

    def _service_rows(self, figures, keep=None):
        """[(structure, [level of each period or None])] of the structures that
        have referrals in one of the periods (and `keep(level)`), by name."""
        service = figures["service"]
        structures = self._partners(service)
        rows = []
        for structure in structures.sorted(lambda s: (s.complete_name or "", s.id)):
            levels = [period.get(structure) for period in service]
            if keep and not any(level and keep(level) for level in levels):
                continue
            rows.append((structure, levels))
        return rows

    def _sheet_service_levels(self, workbook, styles, period, figures):
        """Per structure, then each of its antennas: referrals, median opening
        hours to accept, share accepted within 3 opening days, share declined
        (the reasons of the month in the last column), appointments kept,
        no-shows, support started, surveys answered, average recommendation,
        and whether the structure is to watch (settings' rates)."""
        sheet = workbook.add_worksheet(self.env._("Service levels"))
        columns = SERVICE_COLUMNS
        labels = [
            self.env._("Referrals"),
            self.env._("Median opening hours to accept"),
            self.env._("Accepted within 3 opening days"),
            self.env._("Declined"),
            self.env._("Appointments kept"),
            self.env._("No-shows"),
            self.env._("Support started"),
            self.env._("Surveys answered"),
            self.env._("Would recommend (0-10)"),
            self.env._("To watch"),
        ]
        width = len(columns)
        reasons_col = 1 + 3 * width
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 3 * width, 14)
        sheet.set_column(reasons_col, reasons_col, 60)
        sheet.write(
            0,
            0,
            self.env._("Service levels of the structures – %s", period),
            styles["title"],
        )
        self._write_periods(sheet, styles, 1, 1, width, figures["labels"])
        sheet.write_row(
            2,
            0,
            [self.env._("Structure / antenna")]
            + labels * 3
            + [self.env._("Reasons for declining (month)")],
            styles["header"],
        )
        yes = self.env._("yes")
        row = 3
        for structure, levels in self._service_rows(figures):
            lines = [(structure.complete_name, styles["bold"], levels)]
            antennas = self._partners(level["antennas"] for level in levels if level)
            for antenna in antennas.sorted(lambda a: (a.complete_name or "", a.id)):
                lines.append(
                    (
                        antenna.complete_name,
                        styles["indent"],
                        [
                            level and {"values": level["antennas"].get(antenna)}
                            for level in levels
                        ],
                    )
                )
            for name, name_style, line_levels in lines:
                sheet.write(row, 0, name, name_style)
                for index, level in enumerate(line_levels):
                    values = (level or {}).get("values") or {}
                    for offset, (key, style) in enumerate(columns):
                        col = 1 + index * width + offset
                        if key == "to_watch":
                            if name_style is styles["bold"] and values.get(key):
                                sheet.write(row, col, yes)
                            continue
                        value = values.get(key)
                        if value is None and style == "int":
                            value = 0
                        self._write_value(sheet, row, col, value, styles[style])
                row += 1
                if name_style is styles["bold"] and levels[0]:
                    sheet.write(
                        row - 1,
                        reasons_col,
                        "; ".join(
                            f"{reason} ({count})"
                            for reason, count in levels[0]["reasons"]
                        ),
                    )

    def _sheet_satisfaction(self, workbook, styles, period, figures):
        """Per structure: the surveys sent after an appointment kept, answered,
        the answer rate, the average of each 0-10 question, the delay's answers
        and the net promoter score (promoters 9-10 less detractors 0-6)."""
        sheet = workbook.add_worksheet(self.env._("Satisfaction"))
        columns = SATISFACTION_COLUMNS
        labels = [
            self.env._("Surveys sent"),
            self.env._("Surveys answered"),
            self.env._("Answer rate"),
            self.env._("Call center's help (0-10)"),
            self.env._("Structure's help (0-10)"),
            self.env._("Delay: quick"),
            self.env._("Delay: acceptable"),
            self.env._("Delay: too long"),
            self.env._("Would recommend (0-10)"),
            self.env._("Net promoter score"),
        ]
        width = len(columns)
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 3 * width, 14)
        sheet.write(
            0,
            0,
            self.env._("Satisfaction of the porteurs – %s", period),
            styles["title"],
        )
        self._write_periods(sheet, styles, 1, 1, width, figures["labels"])
        sheet.write_row(
            2,
            0,
            [self.env._("Structure")] + labels * 3,
            styles["header"],
        )
        rows = self._service_rows(
            figures, keep=lambda level: level["values"]["surveys_sent"]
        )
        for row, (structure, levels) in enumerate(rows, 3):
            sheet.write(row, 0, structure.complete_name)
            for index, level in enumerate(levels):
                values = level["values"] if level else {}
                for offset, (key, style) in enumerate(columns):
                    value = values.get(key)
                    if key == "nps" and value is not None and value is not False:
                        value = round(value)
                    if value is None and key in ("surveys_sent", "surveys_answered"):
                        value = 0
                    if (
                        value is not None
                        and style == "percent"
                        and not values.get(
                            "surveys_answered"
                            if key != "answer_rate"
                            else "surveys_sent"
                        )
                    ):
                        value = None  # a share of nothing
                    self._write_value(
                        sheet, row, 1 + index * width + offset, value, styles[style]
                    )

    def _sheet_callbacks(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("J+8 call-backs"))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 3, 22)
        sheet.write(0, 0, self.env._("J+8 call-backs – %s", period), styles["title"])
        sheet.write_row(
            2, 0, [self.env._("Figure"), *figures["labels"]], styles["header"]
        )
        # how the done ones ended: they add up to the call-backs done
        phonecall = self.env["crm.phonecall"]
        outcomes = dict(
            phonecall._fields["callback_outcome"]._description_selection(self.env)
        )
        rows = [
            (self.env._("Call-backs due in the month"), lambda f: f["due"]),
            (self.env._("Call-backs done"), lambda f: f["done"]),
        ]
        for key, label in outcomes.items():
            rows.append(
                (
                    self.env._("Call-backs done: %s", label),
                    lambda f, key=key: f["outcomes"].get(key, 0),
                )
            )
        rows += [
            (
                self.env._("Call-backs done: no outcome recorded"),
                lambda f: f["outcomes"].get(False, 0),
            ),
            (
                self.env._("Appointments of the month: kept"),
                lambda f: f["appointments"]["kept"],
            ),
            (
                self.env._("Appointments of the month: not kept"),
                lambda f: f["appointments"]["not_kept"],
            ),
            (
                self.env._("Appointments of the month: not recorded yet"),
                lambda f: f["appointments"]["to_record"],
            ),
        ]
        callbacks = [period["callbacks"] for period in figures["by_period"]]
        for row, (label, value) in enumerate(rows, 3):
            sheet.write(row, 0, label)
            for index, period_figures in enumerate(callbacks):
                sheet.write_number(row, 1 + index, value(period_figures), styles["int"])

    def _weekday_labels(self):
        return dict(
            self.env["jecree.call.report"]
            ._fields["weekday"]
            ._description_selection(self.env)
        )

    def _sizing_status(self, annual):
        if annual < SIZING[0]:
            return self.env._("below the sizing")
        if annual > SIZING[1]:
            return self.env._("above the sizing: to be revised")
        return self.env._("within the sizing")

    def _sheet_capacity(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Capacity"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 3, 14)
        sheet.write(0, 0, self.env._("Capacity – %s", period), styles["title"])
        sheet.write_row(
            2, 0, [self.env._("Figure"), *figures["labels"]], styles["header"]
        )
        labels = [
            self.env._("Calls handled in the month"),
            self.env._("Annualised volume (calls × 12)"),
            self.env._("Sizing: minimum calls a year"),
            self.env._("Sizing: maximum calls a year"),
        ]
        for row, label in enumerate(labels, 3):
            sheet.write(row, 0, label)
        sheet.write(7, 0, self.env._("Against the sizing"))
        for index, period_figures in enumerate(figures["by_period"]):
            calls = period_figures["activity"]["calls"]
            values = [calls, calls * 12, SIZING[0], SIZING[1]]
            for row, value in enumerate(values, 3):
                sheet.write_number(row, 1 + index, value, styles["int"])
            sheet.write(7, 1 + index, self._sizing_status(calls * 12))
        # the month's calls per hour of the week, opening hours shaded; beside
        # it the calls of each hour (all days) of the two other periods
        top = 9
        sheet.write(top, 0, self.env._("Calls per hour of the week"), styles["bold"])
        weekdays = self._weekday_labels()
        others = figures["by_period"][1:]
        sheet.write_row(
            top + 1,
            0,
            [self.env._("Hour")] + list(weekdays.values()) + figures["labels"][1:],
            styles["header"],
        )
        opening = figures["opening"]
        weeks = [period_figures["week"] for period_figures in figures["by_period"]]
        week = weeks[0]
        hourly = [{} for __ in others]
        for index, other in enumerate(weeks[1:]):
            for (__, hour), (count, __) in other.items():
                hourly[index][hour] = hourly[index].get(hour, 0) + count
        for offset, hour in enumerate(self._hours(weeks, opening)):
            row = top + 2 + offset
            sheet.write(row, 0, f"{hour:02d}:00–{hour + 1:02d}:00")
            for weekday in range(1, 8):
                count = week.get((weekday, hour), (0, 0.0))[0]
                style = (
                    styles["open"] if (weekday, hour) in opening else styles["closed"]
                )
                sheet.write_number(row, weekday, count, style)
            for index, counts in enumerate(hourly):
                sheet.write_number(row, 8 + index, counts.get(hour, 0), styles["int"])
            last = row
        sheet.write(last + 2, 0, self.env._("Calls outside the opening hours"))
        for index, other in enumerate(weeks):
            outside = sum(
                count for key, (count, __) in other.items() if key not in opening
            )
            sheet.write_number(last + 2, 1 + index, outside, styles["int"])

    def _hours(self, weeks, opening):
        hours = {hour for __, hour in opening}
        for week in weeks:
            hours |= {hour for __, hour in week}
        return range(min(hours | {FIRST_HOUR}), max(hours | {LAST_HOUR - 1}) + 1)

    def _sheet_staffing(self, workbook, styles, period, figures):
        sheet = workbook.add_worksheet(self.env._("Staffing"))
        sheet.set_column(0, 1, 14)
        sheet.set_column(2, 9, 16)
        sheet.write(
            0,
            0,
            self.env._(
                "Staffing (Erlang C: 80 %% of the calls answered within 20 s) – %s",
                period,
            ),
            styles["title"],
        )
        # the month in C:F, then the calls and agents needed of the two others
        self._write_periods(sheet, styles, 1, 2, 4, figures["labels"][:1])
        self._write_periods(sheet, styles, 1, 6, 2, figures["labels"][1:])
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
            ]
            + [self.env._("Calls per hour"), self.env._("Agents needed")] * 2,
            styles["header"],
        )
        weekdays = self._weekday_labels()
        opening, scheduled = figures["opening"], figures["scheduled"]
        by_period = figures["by_period"]
        weeks = [period_figures["week"] for period_figures in by_period]
        row = 3
        for weekday in range(1, 8):
            for hour in self._hours(weeks, opening):
                key = (weekday, hour)
                if key not in opening and not any(key in week for week in weeks):
                    continue
                sheet.write(row, 0, weekdays[str(weekday)])
                sheet.write(row, 1, f"{hour:02d}:00")
                for index, period_figures in enumerate(by_period):
                    count, minutes = period_figures["week"].get(key, (0, 0.0))
                    days = period_figures["open_days"].get(weekday) or 1
                    arrivals = count / days
                    aht = minutes * 60 / count if count else 0.0
                    needed = agents_needed(arrivals, aht, TARGET_LEVEL, ANSWER_SECONDS)
                    if index == 0:
                        sheet.write_number(
                            row, 2, float_round(arrivals, 1), styles["decimal"]
                        )
                        sheet.write_number(row, 3, round(aht), styles["int"])
                        sheet.write_number(row, 4, needed, styles["int"])
                        sheet.write_number(row, 5, scheduled.get(key, 0), styles["int"])
                        continue
                    col = 6 + 2 * (index - 1)
                    sheet.write_number(
                        row, col, float_round(arrivals, 1), styles["decimal"]
                    )
                    sheet.write_number(row, col + 1, needed, styles["int"])
                row += 1

    def _sheet_objective(self, workbook, styles, year, figures):
        sheet = workbook.add_worksheet(self.env._("Objective"))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 3, 22)
        sheet.write(0, 0, self.env._("Projects started in %s", year), styles["title"])
        sheet.write_row(
            2, 0, [self.env._("Figure"), *figures["labels"]], styles["header"]
        )
        labels = [
            (self.env._("Projects started since 1 January"), "int"),
            (self.env._("Target of the year"), "int"),
            (self.env._("Share of the target reached"), "percent"),
            # businesses found in the SIRENE file and confirmed by a manager
            (self.env._("Businesses created (SIRENE, confirmed)"), "int"),
            (self.env._("Share of the target (businesses created)"), "percent"),
            (self.env._("Employees declared to INSEE (created)"), "int"),
        ]
        for row, (label, __) in enumerate(labels, 3):
            sheet.write(row, 0, label)
        # each period's figures since the 1 January of its year
        for index, period_figures in enumerate(figures["by_period"]):
            objective = period_figures["objective"]
            started, target = objective["started"], objective["target"]
            values = [
                started,
                target,
                ratio(started, target),
                objective["created"],
                ratio(objective["created"], target),
                objective["jobs"],
            ]
            for row, ((__, style), value) in enumerate(
                zip(labels, values, strict=True), 3
            ):
                sheet.write_number(row, 1 + index, value, styles[style])
