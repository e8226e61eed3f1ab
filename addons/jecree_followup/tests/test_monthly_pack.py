# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import logging
import time
from datetime import date

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from ..tools.erlang_c import agents_needed
from ..tools.generate_calls import generate_month
from .common import JecreeFollowupCase, utc

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestMonthlyPack(JecreeFollowupCase):
    """The managers' XLSX pack, read back cell by cell."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager.email = "manager@je-cree.example"
        # the article's first month, as raw calls (March 2026)
        cls.counts = generate_month(
            cls.env, 2026, 3, agents=cls.agent | cls.agent2 | cls.agent3
        )

    def render(self, year, month, user=None):
        wizard = (
            self.env["jecree.monthly.pack.wizard"]
            .with_user(user or self.manager)
            .create({"year": year, "month": str(month)})
        )
        start = time.perf_counter()
        content, extension = (
            self.env["ir.actions.report"]
            .with_user(user or self.manager)
            ._render("jecree_followup.monthly_pack_xlsx_report", wizard.ids)
        )
        _logger.info(
            "monthly pack %s/%s rendered in %.2f s",
            month,
            year,
            time.perf_counter() - start,
        )
        self.assertEqual(extension, "xlsx")
        return load_workbook(io.BytesIO(content))

    def test_generated_month(self):
        self.assertEqual(self.counts["calls"], 2341)
        self.assertEqual(self.counts["requests"], 1807)
        self.assertEqual(self.counts["errors_pranks"], 164)

    def test_activity_sheet_is_the_articles_table(self):
        book = self.render(2026, 3)
        self.assertEqual(
            book.sheetnames,
            [
                "Activity",
                "Referrals",
                "Service levels",
                "Satisfaction",
                "J+8 call-backs",
                "Capacity",
                "Staffing",
                "Objective",
            ],
        )
        sheet = book["Activity"]
        self.assertEqual(sheet["A4"].value, "Calls handled")
        self.assertEqual(sheet["B4"].value, 2341)
        self.assertEqual(
            sheet["A5"].value, "Information, orientation or financing requests"
        )
        self.assertEqual(sheet["B5"].value, 1807)
        self.assertEqual(sheet["B6"].value, 0.07)
        self.assertEqual(sheet["B6"].number_format, "0 %")
        self.assertEqual(sheet["C6"].value, 164)
        rows = [[cell.value for cell in row] for row in sheet["A8:C11"]]
        self.assertEqual(
            rows,
            [
                ["Commerce", 0.54, 975],
                ["Services", 0.32, 578],
                ["Artisanat", 0.11, 199],
                ["Industrie", 0.03, 55],
            ],
        )
        self.assertIsNone(sheet["A12"].value, "no other sector")

    def test_capacity_sheet(self):
        sheet = self.render(2026, 3)["Capacity"]
        self.assertEqual(sheet["B4"].value, 2341)
        self.assertEqual(sheet["B5"].value, 2341 * 12)
        self.assertEqual((sheet["B6"].value, sheet["B7"].value), (6000, 30000))
        self.assertEqual(sheet["B8"].value, "within the sizing")
        # the week table: hours in column A from row 12, Monday..Sunday in B..H
        total, sunday = 0, 0
        row = 12
        while sheet.cell(row, 1).value and ":00" in sheet.cell(row, 1).value:
            values = [sheet.cell(row, col).value for col in range(2, 9)]
            total += sum(values)
            sunday += values[6]
            row += 1
        self.assertEqual(total, 2341)
        self.assertEqual(sunday, 0, "the generated calls are within opening hours")
        self.assertEqual(
            sheet.cell(row + 1, 1).value, "Calls outside the opening hours"
        )
        self.assertEqual(sheet.cell(row + 1, 2).value, 0)

    def test_staffing_sheet(self):
        sheet = self.render(2026, 3)["Staffing"]
        self.assertEqual(sheet["E3"].value, "Agents needed")
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        self.assertTrue(rows)
        # the month's columns (then the previous month's and N-1's)
        for weekday, _hour, arrivals, aht, needed, scheduled, *__ in rows:
            self.assertNotEqual(weekday, "Sunday")
            if arrivals:
                self.assertEqual(needed, agents_needed(arrivals, aht))
                self.assertGreaterEqual(needed, 1)
            self.assertEqual(scheduled, 3, "3 team members on the call-center hours")
        saturday_hours = {hour for weekday, hour, *__ in rows if weekday == "Saturday"}
        self.assertEqual(saturday_hours, {"08:00", "09:00", "10:00", "11:00"})

    def test_staffing_hours_are_the_call_centers(self):
        """A call at 09:30 in Paris is counted in the 09:00 hour of the staffing
        and capacity sheets, in winter (UTC+1) and in summer (UTC+2)."""
        for month, when in ((1, utc(2026, 1, 14, 8, 30)), (7, utc(2026, 7, 15, 7, 30))):
            with self.subTest(month=month):
                self.log_call(False, when, qualification="erreur")
                book = self.render(2026, month)
                called = [
                    (weekday, hour)
                    for weekday, hour, arrivals, *__ in book["Staffing"].iter_rows(
                        min_row=4, values_only=True
                    )
                    if arrivals
                ]
                self.assertEqual(called, [("Wednesday", "09:00")])
                capacity = book["Capacity"]
                rows = {
                    capacity.cell(row, 1).value: capacity.cell(row, 4).value
                    for row in range(12, capacity.max_row + 1)
                }
                self.assertEqual(rows["09:00–10:00"], 1, "Wednesday 09:00")
                self.assertEqual(rows["08:00–09:00"], 0)
                self.assertNotIn("00:00–01:00", rows, "no call at night")

    def test_call_report_follows_the_time_zone(self):
        """The calls analysis reads hours in the call center's time zone as it is
        now, not as it was when the addon was installed."""
        call = self.log_call(False, utc(2026, 1, 14, 12, 30), qualification="erreur")
        report = self.env["jecree.call.report"]
        self.assertEqual(report.browse(call.id).hour, 13)
        self.env.company.jecree_calendar_id.tz = "Indian/Reunion"  # UTC+4
        self.env.invalidate_all()
        self.assertEqual(report.browse(call.id).hour, 16)
        self.assertEqual(self.env.company._jecree_tz().zone, "Indian/Reunion")

    def test_callbacks_sheet(self):
        lead = self.new_porteur("Rappel juillet")
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        other = self.new_porteur("Rappel juillet 2")
        self.log_call(other, utc(2026, 7, 7, 8, 0))  # due on the 15th as well
        # the appointments of July, whether kept read from the referrals only:
        # one said kept at the call-back, one said not kept by the adviser, one
        # not recorded yet, one closed after it was kept; June's is not counted
        antenna = self.structure_antenna()
        kept = self.appointment(lead, utc(2026, 7, 10, 8, 0), antenna=antenna)
        self.appointment(other, utc(2026, 7, 9, 8, 0), "non_honore", antenna)
        self.appointment(other, utc(2026, 7, 13, 8, 0), antenna=antenna)
        closed = self.appointment(other, utc(2026, 7, 2, 8, 0), "clos", antenna)
        closed.date_kept = utc(2026, 7, 3, 8, 0)
        self.appointment(other, utc(2026, 6, 30, 8, 0), "honore", antenna)
        with freeze_time("2026-07-15 09:00:00"):
            action = lead.with_user(self.agent).action_jecree_callback()
            form = Form(
                self.env["jecree.callback.wizard"]
                .with_user(self.agent)
                .with_context(**action["context"])
            )
            form.outcome = "reached"
            with form.referral_line_ids.edit(0) as line:
                self.assertEqual(line.referral_id, kept)
                line.appointment = "kept"
            form.save().action_confirm()
        self.assertEqual(kept.state, "honore")
        sheet = self.render(2026, 7)["J+8 call-backs"]
        values = {
            sheet.cell(row, 1).value: sheet.cell(row, 2).value
            for row in range(4, sheet.max_row + 1)
        }
        self.assertEqual(values["Call-backs due in the month"], 2)
        self.assertEqual(values["Call-backs done"], 1)
        self.assertEqual(values["Call-backs done: Reached"], 1)
        self.assertEqual(values["Call-backs done: Not reached"], 0)
        self.assertEqual(values["Call-backs done: no outcome recorded"], 0)
        self.assertEqual(values["Appointments of the month: kept"], 2)
        self.assertEqual(values["Appointments of the month: not kept"], 1)
        self.assertEqual(values["Appointments of the month: not recorded yet"], 1)
        self.assertNotIn("Appointment: Kept", values, "no copy on the calls")

    def callback_values(self, year, month):
        sheet = self.render(year, month)["J+8 call-backs"]
        return {
            sheet.cell(row, 1).value: sheet.cell(row, 2).value
            for row in range(4, sheet.max_row + 1)
        }

    def record_callback(self, lead, outcome):
        return lead.with_user(self.agent).jecree_record_callback(
            {"outcome": outcome, "duration": 2}
        )

    def test_callbacks_sheet_outcomes_of_the_month_due(self):
        """The call-backs due in July are counted with how they ended, even when
        recorded in August; one closed by Odoo's "Mark done" has no outcome."""
        leads = [self.new_porteur(f"Rappel {n}") for n in range(4)]
        for day, lead in enumerate(leads, 6):  # due on the 15th to the 20th
            self.log_call(lead, utc(2026, 7, day, 8, 0))
        with freeze_time("2026-07-20 09:00:00"):
            self.record_callback(leads[0], "reached")
        with freeze_time("2026-08-03 09:00:00"):  # a month later, overdue
            self.record_callback(leads[1], "reached")
            self.record_callback(leads[2], "not_reached")
            # the retry is due in August: not July's
            self.callbacks(leads[3]).with_user(self.agent).action_feedback("vu")
        july = self.callback_values(2026, 7)
        self.assertEqual(
            [
                july["Call-backs due in the month"],
                july["Call-backs done"],
                july["Call-backs done: Reached"],
                july["Call-backs done: Not reached"],
                july["Call-backs done: Unreachable (last attempt)"],
                july["Call-backs done: no outcome recorded"],
            ],
            [4, 4, 2, 1, 0, 1],
        )
        august = self.callback_values(2026, 8)
        self.assertEqual(
            (august["Call-backs due in the month"], august["Call-backs done"]), (1, 0)
        )

    def test_objective_sheet(self):
        self.env.company.jecree_target_projects = 20
        with freeze_time("2026-03-10"):
            leads = self.env["crm.lead"].search(
                [("name", "=like", "Porteur 2026-03-%")], limit=5
            )
            leads.with_user(self.agent).write({"maturity": "demarre"})
        self.assertEqual(leads.mapped("started_date"), [date(2026, 3, 10)] * 5)
        sheet = self.render(2026, 3)["Objective"]
        self.assertEqual(sheet["B4"].value, 5)
        self.assertEqual(sheet["B5"].value, 20)
        self.assertEqual(sheet["B6"].value, 0.25)
        # no business confirmed from the SIRENE file yet
        self.assertEqual((sheet["B7"].value, sheet["B8"].value), (0, 0))

    def test_render_query_count(self):
        wizard = (
            self.env["jecree.monthly.pack.wizard"]
            .with_user(self.manager)
            .create({"year": 2026, "month": "3"})
        )
        report = self.env["ir.actions.report"].with_user(self.manager)
        report._render("jecree_followup.monthly_pack_xlsx_report", wizard.ids)
        self.env.invalidate_all()
        # the closed days cached by the first render; the figures of three
        # months (the month, the previous one, a year earlier: 19 for one)
        with self.assertQueryCount(28):
            report._render("jecree_followup.monthly_pack_xlsx_report", wizard.ids)

    def test_wizard(self):
        with freeze_time("2026-04-02"):
            form = Form(self.env["jecree.monthly.pack.wizard"].with_user(self.manager))
            self.assertEqual((form.month, form.year), ("3", 2026))
            action = form.save().action_print()
        self.assertEqual(action["report_type"], "xlsx")
        # the web client closes the dialog once the file is downloaded
        self.assertTrue(action["close_on_report_download"])
        self.assertEqual(action["report_name"], "jecree_followup.monthly_pack_xlsx")
        with self.assertRaises(ValidationError):
            self.env["jecree.monthly.pack.wizard"].with_user(self.manager).create(
                {"year": 26, "month": "3"}
            )

    @freeze_time("2026-04-01 05:00:00")
    def test_monthly_cron_emails_the_pack(self):
        cron = self.env.ref("jecree_followup.ir_cron_monthly_pack")
        self.assertEqual(cron.model_id.model, "res.company", "not a TransientModel")
        template = self.env.ref("jecree_followup.mail_template_monthly_pack")
        self.assertEqual(template.model, "res.company")
        mail = self.env["mail.mail"].browse(
            self.env["res.company"]._cron_jecree_send_monthly_pack()
        )
        self.assertTrue(mail)
        self.assertIn(self.manager.partner_id, mail.recipient_ids)
        self.assertIn("03/2026", mail.subject)
        attachment = mail.attachment_ids
        self.assertEqual(attachment.name, "Je cree 2026-03.xlsx")
        sheet = load_workbook(io.BytesIO(attachment.raw))["Activity"]
        self.assertEqual(sheet["B4"].value, 2341)
