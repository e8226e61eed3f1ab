# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import datetime

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_referral.tests.common import JecreeReferralMixin

PACK = "jecree_followup.monthly_pack_xlsx_report"
#: the columns of a period in the "Service levels" sheet
SERVICE_WIDTH = 10
#: the columns of a period in the "Satisfaction" sheet
SATISFACTION_WIDTH = 10


@tagged("post_install", "-at_install")
class TestServiceLevels(JecreeReferralMixin, TransactionCase):
    """The structures' service levels (delay to accept in opening hours,
    accepted within 3 opening days, declined, satisfaction) in the referrals
    analysis and the pack, for November 2026, October 2026 (the previous
    month) and November 2025 (a year earlier). The antennas open Monday to
    Friday, 9-12 and 14-17 in Paris; 11 November is a public holiday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.setup_directory()
        cls.env.company._jecree_generate_public_holidays(range(2025, 2028))
        cls.env.company.write(
            {"jecree_watch_refusal_rate": 30, "jecree_watch_escalation_rate": 100}
        )
        cls.porteur = cls.make_porteur("Porteur Service")

        def accepted(antenna, proposed, accepted):
            referral = cls.make_referral(cls.porteur, antenna, date_proposed=proposed)
            with freeze_time(accepted):
                referral.action_accept()
            return referral

        def refused(antenna, proposed, reason):
            referral = cls.make_referral(cls.porteur, antenna, date_proposed=proposed)
            with freeze_time(proposed):
                referral.action_refuse(reason)
            return referral

        # November 2026: CMA 4 referrals (2 h, 8 h, 23 h, one declined), CCI 1
        cls.weekend = accepted(
            cls.cma_arras, datetime(2026, 11, 13, 15, 0), datetime(2026, 11, 16, 9, 0)
        )
        cls.holiday = accepted(
            cls.cma_arras, datetime(2026, 11, 10, 10, 0), datetime(2026, 11, 12, 14, 0)
        )
        cls.late = accepted(
            cls.cma_bapaume, datetime(2026, 11, 9, 9, 0), datetime(2026, 11, 16, 7, 0)
        )
        cls.declined = refused(cls.cma_bapaume, datetime(2026, 11, 9, 9, 0), "Complet")
        cls.cci_referral = accepted(
            cls.cci_arras, datetime(2026, 11, 9, 9, 0), datetime(2026, 11, 10, 9, 0)
        )
        # October 2026 (summer time): Monday 10:00 -> Tuesday 10:00 in Paris
        cls.october = accepted(
            cls.cma_arras, datetime(2026, 10, 5, 8, 0), datetime(2026, 10, 6, 8, 0)
        )
        # November 2025: the CMA declines its only referral
        cls.last_year = refused(
            cls.cma_arras, datetime(2025, 11, 3, 9, 0), "Hors champ"
        )
        # satisfaction: two surveys answered of three sent, all November 2026's
        cls.answer(cls.weekend, {"call_center": 8, "structure": 9, "recommend": 10})
        cls.answer(cls.holiday, {"call_center": 6, "structure": 7, "recommend": 5})
        cls.answer(cls.late, {}, state="in_progress")

    @classmethod
    def answer(cls, referral, scores, state="done"):
        ref = cls.env.ref
        survey = ref("jecree_referral.survey_referral_satisfaction")
        answer = survey._create_answer(
            email="porteur@example.com", check_attempts=False
        )
        lines = [
            (
                0,
                0,
                {
                    "question_id": ref(f"jecree_referral.survey_question_{key}").id,
                    "answer_type": "scale",
                    "value_scale": value,
                },
            )
            for key, value in scores.items()
        ]
        if scores:
            delay = "quick" if scores["recommend"] >= 9 else "long"
            lines.append(
                (
                    0,
                    0,
                    {
                        "question_id": ref("jecree_referral.survey_question_delay").id,
                        "answer_type": "suggestion",
                        "suggested_answer_id": ref(
                            f"jecree_referral.survey_answer_delay_{delay}"
                        ).id,
                    },
                )
            )
        answer.write({"state": state, "user_input_line_ids": lines})
        referral.survey_user_input_id = answer

    def render(self, year=2026, month=11):
        wizard = (
            self.env["jecree.monthly.pack.wizard"]
            .with_user(self.manager)
            .create({"year": year, "month": str(month)})
        )
        content, __ = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render(PACK, wizard.ids)
        )
        return load_workbook(io.BytesIO(content))

    @staticmethod
    def rows(sheet, width, first_row=4):
        """{column A: [the values of each period's block]} from `first_row`."""
        result = {}
        for row in sheet.iter_rows(min_row=first_row, values_only=True):
            if row[0]:
                values = list(row[1:])
                result[row[0]] = [
                    values[i * width : (i + 1) * width] for i in range(3)
                ] + [values[3 * width :]]
        return result

    def test_analysis_median_and_share_in_time(self):
        """The pivot's measures: the median of the opening hours to accept (the
        field's aggregator), the share accepted within 3 opening days and the
        share declined, of all the structure's referrals."""
        Report = self.env["jecree.referral.report"].with_user(self.manager)
        fields = Report.fields_get(["accept_hours"], ["aggregator"])
        self.assertEqual(fields["accept_hours"]["aggregator"], "median")
        groups = Report._read_group(
            [("month", "=", "2026-11")],
            ["structure_id"],
            [
                "referral_count:sum",
                "accept_hours:median",
                "accept_hours:avg",
                "accepted_in_time_count:sum",
                "accepted_in_time_rate:avg",
                "refusal_rate:avg",
            ],
            order="structure_id",
        )
        self.assertEqual(
            sorted(groups, key=lambda g: g[0].name),
            [
                (self.cci, 1, 6.0, 6.0, 1, 100.0, 0.0),
                (self.cma, 4, 8.0, 11.0, 2, 50.0, 25.0),
            ],
        )
        # the web client's pivot asks for the field's aggregator
        [group] = Report.formatted_read_group(
            [("structure_id", "=", self.cma.id), ("month", "=", "2026-11")],
            ["antenna_id"],
            ["accept_hours:median"],
        )[:1] or [None]
        self.assertEqual(group["accept_hours:median"], 5.0)  # Arras: 2 h and 8 h

    def test_service_levels_method(self):
        pack = self.env["report.jecree_followup.monthly_pack_xlsx"].with_user(
            self.manager
        )
        levels = (
            self.env["jecree.referral.report"]
            .with_user(self.manager)
            ._jecree_service_levels({"2026-11": pack._month_domain(2026, 11)})
        )
        cma = levels["2026-11"][self.cma]
        values = cma["values"]
        self.assertEqual(
            (
                values["referrals"],
                values["accept_hours"],
                values["in_time_rate"],
                values["refusal_rate"],
                values["to_watch"],
            ),
            (4, 8.0, 0.5, 0.25, False),
        )
        self.assertEqual(cma["reasons"], [("Complet", 1)])
        self.assertEqual(
            {
                antenna: (level["referrals"], level["accept_hours"])
                for antenna, level in cma["antennas"].items()
            },
            {self.cma_arras: (2, 5.0), self.cma_bapaume: (2, 23.0)},
        )

    def test_service_levels_sheet(self):
        book = self.render()
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
        sheet = book["Service levels"]
        self.assertEqual(
            [sheet.cell(2, col).value for col in (2, 12, 22)],
            [
                "Month (11/2026)",
                "Previous month (10/2026)",
                "Same month last year (11/2025)",
            ],
        )
        self.assertEqual(
            [sheet.cell(3, col).value for col in range(1, 12)],
            [
                "Structure / antenna",
                "Referrals",
                "Median opening hours to accept",
                "Accepted within 3 opening days",
                "Declined",
                "Appointments kept",
                "No-shows",
                "Support started",
                "Surveys answered",
                "Would recommend (0-10)",
                "To watch",
            ],
        )
        rows = self.rows(sheet, SERVICE_WIDTH)
        self.assertEqual(
            list(rows),
            [
                "CCI Test",
                "CCI Test, CCI – Arras",
                "CMA Test",
                "CMA Test, CMA – Arras",
                "CMA Test, CMA – Bapaume",
            ],
        )
        month, previous, last_year, reasons = rows["CMA Test"]
        self.assertEqual(month, [4, 8, 0.5, 0.25, 0, 0, 0, 2, 7.5, None])
        self.assertEqual(previous, [1, 6, 1, 0, 0, 0, 0, 0, None, None])
        # a year earlier the CMA declined its only referral: to watch (> 30 %)
        self.assertEqual(last_year, [1, None, 0, 1, 0, 0, 0, 0, None, "yes"])
        self.assertEqual(reasons, ["Complet (1)"])
        self.assertEqual(
            rows["CMA Test, CMA – Bapaume"][0], [2, 23, 0, 0.5, 0, 0, 0, 0, None, None]
        )
        self.assertEqual(rows["CMA Test, CMA – Arras"][1][:3], [1, 6, 1])
        self.assertEqual(rows["CCI Test"][0][:4], [1, 6, 1, 0])
        self.assertEqual(rows["CCI Test"][1][:2], [0, None], "no referral in October")

    def test_satisfaction_sheet(self):
        sheet = self.render()["Satisfaction"]
        self.assertEqual(
            [sheet.cell(3, col).value for col in range(1, 12)],
            [
                "Structure",
                "Surveys sent",
                "Surveys answered",
                "Answer rate",
                "Call center's help (0-10)",
                "Structure's help (0-10)",
                "Delay: quick",
                "Delay: acceptable",
                "Delay: too long",
                "Would recommend (0-10)",
                "Net promoter score",
            ],
        )
        rows = self.rows(sheet, SATISFACTION_WIDTH)
        self.assertEqual(list(rows), ["CMA Test"], "only structures with surveys")
        month, previous, last_year, __ = rows["CMA Test"]
        # a promoter (10) and a detractor (5): NPS 0
        self.assertEqual(month[:4], [3, 2, 2 / 3, 7])
        self.assertEqual(month[4:], [8, 0.5, 0, 0.5, 7.5, 0])
        self.assertEqual(previous, [0, 0] + [None] * 8)
        self.assertEqual(last_year, [0, 0] + [None] * 8)

    def test_previous_month_and_last_year_beside_the_month(self):
        """Each sheet gives the month, the previous month and the same month a
        year earlier, each from its own referrals."""
        book = self.render()
        referrals = self.rows(book["Referrals"], 6)
        self.assertEqual(
            referrals["CMA Test"][:3],
            [[4, 3, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0], [1, 0, 1, 0, 0, 0]],
        )
        self.assertEqual(
            referrals["Total"][:3],
            [[5, 4, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0], [1, 0, 1, 0, 0, 0]],
        )
        callbacks = book["J+8 call-backs"]
        self.assertEqual(
            [callbacks.cell(3, col).value for col in range(1, 5)],
            [
                "Figure",
                "Month (11/2026)",
                "Previous month (10/2026)",
                "Same month last year (11/2025)",
            ],
        )
        objective = book["Objective"]
        self.assertEqual(objective["C3"].value, "Previous month (10/2026)")
        capacity = book["Capacity"]
        self.assertEqual(capacity["D3"].value, "Same month last year (11/2025)")
        activity = book["Activity"]
        self.assertEqual(activity["F2"].value, "Same month last year (11/2025)")
        # a month whose previous month is in the year before
        january = self.render(2027, 1)
        self.assertEqual(
            [january["Service levels"].cell(2, col).value for col in (2, 12, 22)],
            [
                "Month (01/2027)",
                "Previous month (12/2026)",
                "Same month last year (01/2026)",
            ],
        )

    def test_structures_see_only_their_own(self):
        """A structure's portal adviser reads the delay of its own referrals
        only, and neither the analysis nor the service levels; nor do agents."""
        referrals = (
            self.env["jecree.referral"]
            .with_user(self.portal_cma)
            .search_read([], ["structure_id", "accept_opening_hours"])
        )
        self.assertTrue(referrals)
        self.assertEqual({row["structure_id"][0] for row in referrals}, {self.cma.id})
        self.assertNotIn(
            self.cci_referral.id, [row["id"] for row in referrals], "not the CCI's"
        )
        month = {"2026-11": [("date", ">=", datetime(2026, 10, 31, 23, 0))]}
        for user in (self.portal_cma, self.portal_bge, self.agent):
            Report = self.env["jecree.referral.report"].with_user(user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Report._jecree_service_levels(month)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Report.formatted_read_group(
                    [], ["structure_id"], ["accept_hours:median"]
                )
