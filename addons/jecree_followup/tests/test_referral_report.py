# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date, datetime

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_referral.tests.common import JecreeReferralMixin

MEASURES = [
    "referral_count:sum",
    "accepted_count:sum",
    "refused_count:sum",
    "appointment_count:sum",
    "kept_count:sum",
    "no_show_count:sum",
    "support_count:sum",
]


@tagged("post_install", "-at_install")
class TestReferralReport(JecreeReferralMixin, TransactionCase):
    """The referrals analysis and the "Referrals" sheet of the monthly pack, from
    referrals moved through their steps in May 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.setup_directory()
        cls.manager.email = "manager@je-cree.example"
        cls.porteur = cls.make_porteur("Porteur Mai", commune_id=cls.arras.id)
        cls.other = cls.make_porteur(
            "Porteur Services", sector="services", project_kind="reprise"
        )
        # May 2026: the CMA gets 4 referrals, the BGE 2, the CCI 1
        with freeze_time("2026-05-04 08:00:00"):
            cls.cma_done = cls.refer(cls.porteur, cls.cma_arras)
            cls.cma_no_show = cls.refer(cls.other, cls.cma_bapaume)
            cls.cma_refused = cls.refer(cls.other, cls.cma_arras)
            cls.cma_waiting = cls.refer(cls.porteur, cls.cma_bapaume)
            cls.bge_kept = cls.refer(cls.porteur, cls.bge_campagnes)
            cls.bge_refused = cls.refer(cls.other, cls.bge_62)
        with freeze_time("2026-05-31 21:30:00"):  # Sunday 31 May 23:30 in Paris
            cls.cci_accepted = cls.refer(cls.other, cls.cci_arras)
        with freeze_time("2026-05-31 22:30:00"):  # 1 June 00:30 in Paris: June
            cls.cci_june = cls.refer(cls.other, cls.cci_arras)
        with freeze_time("2026-04-30 08:00:00"):  # April
            cls.cma_april = cls.refer(cls.porteur, cls.cma_arras)
        with freeze_time("2026-05-05 09:00:00"):
            (
                cls.cma_done
                | cls.cma_no_show
                | cls.cma_refused
                | cls.bge_kept
                | cls.cma_april
            ).action_accept()
            cls.cci_accepted.action_accept()
            cls.cma_refused.action_refuse("Projet hors de notre champ")
            cls.bge_refused.action_refuse("Pas de place ce mois-ci")
        with freeze_time("2026-05-06 09:00:00"):
            for referral in cls.cma_done | cls.cma_no_show | cls.bge_kept:
                referral._move_to(
                    "rdv_fixe",
                    appointment_start=datetime(2026, 5, 11, 8, 0),
                    appointment_stop=datetime(2026, 5, 11, 9, 0),
                )
        with freeze_time("2026-05-12 09:00:00"):
            (cls.cma_done | cls.bge_kept).action_mark_kept()
            cls.cma_no_show.action_mark_not_kept()
        with freeze_time("2026-05-20 09:00:00"):
            cls.cma_done.action_start_support()
        with freeze_time("2026-05-28 09:00:00"):
            cls.cma_done.action_close()

    @classmethod
    def refer(cls, lead, antenna):
        return cls.make_referral(lead, antenna).with_user(cls.agent)

    def report(self, user=None):
        return self.env["jecree.referral.report"].with_user(user or self.manager)

    def test_referral_in_the_report(self):
        row = self.report().browse(self.cma_done.id)
        self.assertEqual(row.name, self.cma_done.name)
        self.assertEqual(row.referral_date, date(2026, 5, 4))
        self.assertEqual((row.month, row.weekday), ("2026-05", "1"), "a Monday")
        self.assertEqual(row.structure_id, self.cma)
        self.assertEqual(row.antenna_id, self.cma_arras)
        self.assertEqual(
            row.structure_type_id,
            self.env.ref("jecree_referral.jecree_structure_type_cma"),
        )
        self.assertEqual(row.user_id, self.env.user, "who made the referral")
        self.assertEqual(row.lead_id, self.porteur)
        self.assertEqual((row.sector, row.project_kind), ("artisanat", "creation"))
        self.assertEqual(row.commune_id, self.arras)
        self.assertEqual(row.epci_id, self.arras.epci_id)
        self.assertEqual(row.department_id.code, "62")
        self.assertEqual(row.state, "clos")
        # closed after the support: every step it went through still counts
        self.assertEqual(
            [
                row.referral_count,
                row.accepted_count,
                row.refused_count,
                row.appointment_count,
                row.kept_count,
                row.no_show_count,
                row.support_count,
            ],
            [1, 1, 0, 1, 1, 0, 1],
        )

    def test_local_day_of_the_referral(self):
        late, june = self.report().browse((self.cci_accepted | self.cci_june).ids)
        self.assertEqual(
            (late.referral_date, late.month, late.weekday),
            (date(2026, 5, 31), "2026-05", "7"),
        )
        self.assertEqual(
            (june.referral_date, june.month), (date(2026, 6, 1), "2026-06")
        )

    def test_pivot_by_structure(self):
        groups = self.report()._read_group(
            [("month", "=", "2026-05")],
            ["structure_id"],
            MEASURES,
            order="structure_id",
        )
        self.assertEqual(
            groups,
            [
                # structure, made, accepted, declined, set, kept, no-show, support
                (self.bge, 2, 1, 1, 1, 1, 0, 0),
                (self.cci, 1, 1, 0, 0, 0, 0, 0),
                (self.cma, 4, 3, 1, 2, 1, 1, 1),
            ],
        )

    def test_pivot_by_month_and_state(self):
        groups = self.report()._read_group(
            [("structure_id", "=", self.cma.id)],
            ["referral_date:month", "state"],
            ["__count"],
        )
        self.assertEqual(
            {(month, state): count for month, state, count in groups},
            {
                (date(2026, 4, 1), "acceptee"): 1,
                (date(2026, 5, 1), "proposee"): 1,
                (date(2026, 5, 1), "refusee"): 1,
                (date(2026, 5, 1), "non_honore"): 1,
                (date(2026, 5, 1), "clos"): 1,
            },
        )
        by_sector = self.report()._read_group(
            [("month", "=", "2026-05")],
            ["sector", "project_kind"],
            ["referral_count:sum", "accepted_count:sum"],
        )
        self.assertEqual(
            set(by_sector),
            {("services", "reprise", 4, 3), ("artisanat", "creation", 3, 2)},
        )

    def test_agents_do_not_see_the_analysis(self):
        with self.assertRaises(AccessError):
            self.report(self.agent).search([])
        with self.assertRaises(AccessError):
            self.report(self.agent)._read_group([], ["structure_id"], ["__count"])

    def render(self, year, month):
        wizard = (
            self.env["jecree.monthly.pack.wizard"]
            .with_user(self.manager)
            .create({"year": year, "month": str(month)})
        )
        content, extension = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render("jecree_followup.monthly_pack_xlsx_report", wizard.ids)
        )
        self.assertEqual(extension, "xlsx")
        return load_workbook(io.BytesIO(content))

    def test_referrals_sheet(self):
        book = self.render(2026, 5)
        self.assertEqual(book.sheetnames[1], "Referrals")
        sheet = book["Referrals"]
        self.assertEqual(sheet["A1"].value, "Referrals per structure – 05/2026")
        rows = [[cell.value for cell in row] for row in sheet["A3:G7"]]
        self.assertEqual(
            rows,
            [
                [
                    "Structure",
                    "Referrals",
                    "Referrals accepted",
                    "Referrals declined",
                    "Appointments kept",
                    "No-shows",
                    "Support started",
                ],
                ["BGE Test", 2, 1, 1, 1, 0, 0],
                ["CCI Test", 1, 1, 0, 0, 0, 0],
                ["CMA Test", 4, 3, 1, 1, 1, 1],
                ["Total", 7, 5, 2, 2, 1, 1],
            ],
        )
        self.assertTrue(sheet["A7"].font.b)
        self.assertEqual(sheet["B7"].number_format, "#,##0")
        self.assertEqual(sheet.max_row, 7, "nothing below the total")

    def test_referrals_sheet_of_another_month(self):
        sheet = self.render(2026, 4)["Referrals"]
        self.assertEqual(
            [[cell.value for cell in row] for row in sheet["A4:G5"]],
            [["CMA Test", 1, 1, 0, 0, 0, 0], ["Total", 1, 1, 0, 0, 0, 0]],
        )
        # beside April: March (none) and April 2025 (none)
        self.assertEqual([cell.value for cell in sheet[4]][7:], [0] * 12)
        empty = self.render(2026, 2)["Referrals"]
        self.assertEqual([cell.value for cell in empty[4]], ["Total"] + [0] * 18)

    def test_referrals_sheet_other_company(self):
        """Another company's referrals stay out of the managers' pack."""
        other_company = self.env["res.company"].create({"name": "Autre centre"})
        self.cma_waiting.sudo().company_id = other_company
        sheet = self.render(2026, 5)["Referrals"]
        self.assertEqual(
            [cell.value for cell in sheet[6]],
            # May, then April (the previous month), then May 2025
            ["CMA Test", 3, 3, 1, 1, 1, 1] + [1, 1, 0, 0, 0, 0] + [0] * 6,
        )

    def test_referrals_sheet_queries_do_not_grow_with_structures(self):
        """One grouped query for the figures and one read of the structures' names,
        whatever the number of structures."""
        pack = self.env["report.jecree_followup.monthly_pack_xlsx"].with_user(
            self.manager
        )

        def structure_names():
            return [
                structure.display_name
                for structure, __ in pack._referral_figures(2026, 5)
            ]

        def counted_structure_names():
            """(names, queries): compared between 3 and 4 structures, since the
            absolute number depends on the other installed addons."""
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            names = structure_names()
            return names, self.env.cr.sql_log_count - start

        structure_names()  # warm the caches (access rules)
        names, queries = counted_structure_names()
        self.assertEqual(names, ["BGE Test", "CCI Test", "CMA Test"])
        with freeze_time("2026-05-18 08:00:00"):
            self.refer(self.other, self.adie_antenna)
            self.refer(self.porteur, self.cma_bapaume)
        names, queries_more = counted_structure_names()
        self.assertEqual(names, ["ADIE Test", "BGE Test", "CCI Test", "CMA Test"])
        self.assertEqual(queries_more, queries, "queries do not grow with structures")
        sheet = self.render(2026, 5)["Referrals"]
        self.assertEqual(
            [sheet.cell(row, 1).value for row in range(4, 9)],
            ["ADIE Test", "BGE Test", "CCI Test", "CMA Test", "Total"],
        )
        self.assertEqual(sheet["B8"].value, 9)
