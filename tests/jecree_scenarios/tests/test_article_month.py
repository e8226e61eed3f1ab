# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from .common import JecreeScenarioMixin

# the repository's generator (data/generate_calls.py), as a manager would run it
GENERATOR = Path(__file__).resolve().parents[3] / "data" / "generate_calls.py"


def load_generator():
    spec = importlib.util.spec_from_file_location("jecree_generate_calls", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestArticleMonth(JecreeScenarioMixin, TransactionCase):
    """The article's month generated from raw calls with data/generate_calls.py and
    reported exactly in the pack (2,341 / 1,807 / 7 % / 54-32-11-3); the same
    generator makes another month of another volume."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_call_center()
        cls.generator = load_generator()
        agents = cls.agent | cls.agent2
        # March 2026: the article's figures (the generator's default)
        cls.march = cls.generator.generate_month(cls.env, 2026, 3, agents=agents)
        # April 2026: 500 calls, the article's shares
        cls.april_figures = cls.generator.scaled_figures(500)
        cls.april = cls.generator.generate_month(
            cls.env, 2026, 4, agents=agents, figures=cls.april_figures
        )

    def test_generator_counts(self):
        self.assertEqual(
            (self.march["calls"], self.march["requests"], self.march["errors_pranks"]),
            (2341, 1807, 164),
        )
        self.assertEqual(
            self.march["sectors"],
            {"commerce": 975, "services": 578, "artisanat": 199, "industrie": 55},
        )
        self.assertEqual(
            (self.april["calls"], self.april["requests"], self.april["errors_pranks"]),
            (500, 386, 35),
        )
        self.assertEqual(
            self.april["sectors"],
            {"commerce": 208, "services": 123, "artisanat": 43, "industrie": 12},
        )
        # the raw calls really are in the database, month by month
        Report = self.env["jecree.call.report"]
        for month, calls in (("2026-03", 2341), ("2026-04", 500)):
            self.assertEqual(
                Report.search_count([("month", "=", month), ("direction", "=", "in")]),
                calls,
            )

    def test_article_month_reported_exactly(self):
        sheet = self.render_pack(2026, 3)["Activity"]
        self.assertEqual(sheet["A1"].value, "Call center activity – 03/2026")
        self.assertEqual(
            [cell.value for cell in sheet[3][:3]], ["Figure", "Value", "Calls"]
        )
        expected = [
            ["Calls handled", 2341, None],
            ["Information, orientation or financing requests", 1807, None],
            ["Errors or prank calls, share of the volume", 0.07, 164],
            ["Sector split of the requests", None, None],
            ["Commerce", 0.54, 975],
            ["Services", 0.32, 578],
            ["Artisanat", 0.11, 199],
            ["Industrie", 0.03, 55],
            [None, None, None],
        ]
        rows = [[cell.value for cell in row] for row in sheet["A4:C12"]]
        self.assertEqual(rows, expected)
        for cell in ("B6", "B8", "B9", "B10", "B11"):
            self.assertEqual(sheet[cell].number_format, "0 %", cell)
        # the capacity sheet counts the same calls
        book = self.render_pack(2026, 3)
        self.assertEqual(book["Capacity"]["B4"].value, 2341)

    def test_other_month_other_volume(self):
        head, sectors = self.activity_table(self.render_pack(2026, 4))
        self.assertEqual(head, (500, 386, 0.07, 35))
        self.assertEqual(
            sectors,
            [
                ["Commerce", 0.54, 208],
                ["Services", 0.32, 123],
                ["Artisanat", 0.11, 43],
                ["Industrie", 0.03, 12],
            ],
        )
        self.assertEqual(
            sum(count for __, __, count in sectors), self.april["requests"]
        )
        # a month without calls is empty, not the neighbours' figures
        head, __ = self.activity_table(self.render_pack(2026, 5))
        self.assertEqual(head, (0, 0, 0, 0))
