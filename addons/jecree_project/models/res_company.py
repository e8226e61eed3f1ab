# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models, tools

from ..tools import iap_enabled
from ..tools.french_holidays import french_public_holidays
from ..tools.local_time import day_bounds

HOLIDAY_YEARS = 3  # the current year and the next two


class ResCompany(models.Model):
    _inherit = "res.company"

    jecree_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Call center opening hours",
        default=lambda self: self.env.ref(
            "jecree_project.resource_calendar_call_center", raise_if_not_found=False
        ),
        help="Opening hours of the call center: call-backs are planned on its "
        "opening days.",
    )
    jecree_team_id = fields.Many2one(
        "crm.team",
        string="Call center team",
        default=lambda self: self.env.ref(
            "jecree_project.crm_team_call_center", raise_if_not_found=False
        ),
    )

    def write(self, vals):
        if {"jecree_calendar_id", "resource_calendar_id"} & set(vals):
            # the cached closed days and time zone (_jecree_calendar_tz)
            self.env.registry.clear_cache()
        return super().write(vals)

    @api.model
    def _jecree_set_defaults(self):
        """At install, give existing companies the call center's calendar and team."""
        calendar = self.env.ref("jecree_project.resource_calendar_call_center")
        team = self.env.ref("jecree_project.crm_team_call_center")
        self.search([("jecree_calendar_id", "=", False)]).jecree_calendar_id = calendar
        self.search([("jecree_team_id", "=", False)]).jecree_team_id = team

    def iap_enrich_auto(self):
        """partner_autocomplete enriches a new company from its website's domain
        through Odoo's online service: only when a manager turned it on."""
        if not iap_enabled(self.env):
            return True
        return super().iap_enrich_auto()

    def _jecree_tz(self):
        """The company's time zone (a pytz zone): the call center's calendar's,
        else the company's working hours', else its partner's, else UTC.

        Every local date or hour of the call center (call-backs, reports, month
        bounds) is read in it; nothing names a time zone literally."""
        company = self[:1] or self.env.company
        name = company._jecree_calendar_tz() or company.sudo().partner_id.tz
        return pytz.timezone(name or "UTC")

    @tools.ormcache("self.id")
    def _jecree_calendar_tz(self):
        """The time zone of the company's calendars (cached: read by every report
        and call-back; cleared when the company's calendars or a calendar's time
        zone change)."""
        # employees read their company's calendars with their own rights (as the
        # code around does: the record rules it needs are computed once); a portal
        # user (an adviser's page) through the system
        company = self.sudo() if self.env.user.share else self
        return company.jecree_calendar_id.tz or company.resource_calendar_id.tz or None

    def _jecree_day_bounds(self, day_from, day_to):
        """Naive UTC datetimes of the local start of `day_from` and end of `day_to`."""
        return day_bounds(self._jecree_tz(), day_from, day_to)

    def _jecree_today(self):
        """Today in the company's time zone."""
        return datetime.now(self._jecree_tz()).date()

    def _jecree_generate_public_holidays(self, years):
        """Store the French public holidays of `years` as company-wide closures:
        leaves without calendar nor resource, which Odoo's resource computations
        honour in every calendar of the company (the call center's hours, the
        antennas' opening hours, the advisers' working hours). Idempotent: a day
        already covered by a company-wide closure is left as it is."""
        leaves = self.env["resource.calendar.leaves"].sudo()
        vals_list = []
        for company in self:
            date_from, date_to = company._jecree_day_bounds(
                datetime(min(years), 1, 1).date(), datetime(max(years), 12, 31).date()
            )
            existing = leaves.search(
                leaves._jecree_company_closure_domain(company)
                + [("date_from", "<", date_to), ("date_to", ">", date_from)]
            )
            for year in years:
                for day, label in french_public_holidays(year).items():
                    start, stop = company._jecree_day_bounds(day, day)
                    noon = start + (stop - start) / 2
                    if any(
                        leave.date_from <= noon <= leave.date_to for leave in existing
                    ):
                        continue
                    vals_list.append(
                        {
                            "name": label,
                            "company_id": company.id,
                            "calendar_id": False,
                            "resource_id": False,
                            "date_from": start,
                            "date_to": stop - timedelta(seconds=1),
                            "time_type": "leave",
                        }
                    )
        return leaves.create(vals_list)

    @api.model
    def _cron_jecree_public_holidays(self):
        """The holidays of the current and next two years, in every company."""
        created = self.env["resource.calendar.leaves"]
        for company in self.search([("active", "=", True)]):
            year = company._jecree_today().year
            created |= company._jecree_generate_public_holidays(
                range(year, year + HOLIDAY_YEARS)
            )
        return created

    @api.model
    def _jecree_holidays_company_wide(self):
        """Existing databases: the French public holidays stored as closures of the
        call center's calendar only (before they were company-wide) become
        company-wide closures, so that every calendar of the company skips them.
        Idempotent (called at every update)."""
        leaves = self.env["resource.calendar.leaves"].sudo()
        for company in self.search([("jecree_calendar_id", "!=", False)]):
            calendar = company.jecree_calendar_id
            candidates = leaves.search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("resource_id", "=", False),
                ]
            )
            holidays = candidates.filtered(
                lambda leave, cal=calendar: (
                    french_public_holidays(
                        cal._jecree_local_date(leave.date_from).year
                    ).get(cal._jecree_local_date(leave.date_from))
                    == leave.name
                )
            )
            holidays.write({"calendar_id": False, "company_id": company.id})
        return True

    def action_jecree_open_calendar(self):
        """CRM > Configuration > Je crée > Opening hours: the calendar form."""
        calendar = self.env.company.jecree_calendar_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call center opening hours"),
            "res_model": "resource.calendar",
            "res_id": calendar.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
