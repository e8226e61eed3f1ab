# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_referral.tests.common import JecreeReferralMixin


@tagged("post_install", "-at_install")
class TestReferralReportLadder(JecreeReferralMixin, TransactionCase):
    """The ladder's figures per structure in the referrals analysis: accepted
    before the reminder, reminded, escalated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        porteur = cls.make_porteur("Porteur Relance")
        proposed = datetime(2026, 11, 9, 9, 0)  # Monday 9 November 2026
        cls.in_time, cls.late, cls.escalated, cls.waiting = (
            cls.make_referral(porteur, antenna, date_proposed=proposed)
            for antenna in (
                cls.cma_arras,
                cls.cma_arras,
                cls.cma_bapaume,
                cls.cci_arras,
            )
        )
        with freeze_time("2026-11-10 09:00:00"):
            cls.in_time.action_accept()
        with freeze_time("2026-11-16 07:00:00"):
            (cls.late | cls.escalated)._jecree_ladder_step("reminded")
            cls.late.action_accept()
        with freeze_time("2026-11-20 07:00:00"):
            cls.escalated._jecree_ladder_step("escalated")

    def test_ladder_figures_per_structure(self):
        groups = self.env["jecree.referral.report"]._read_group(
            [
                (
                    "id",
                    "in",
                    (self.in_time | self.late | self.escalated | self.waiting).ids,
                )
            ],
            ["structure_id"],
            [
                "referral_count:sum",
                "accepted_count:sum",
                "answered_in_time_count:sum",
                "reminded_count:sum",
                "escalated_count:sum",
            ],
            order="structure_id",
        )
        self.assertEqual(
            sorted(groups, key=lambda g: g[0].name),
            [
                # structure, made, accepted, in time, reminded, escalated
                (self.cci, 1, 0, 0, 0, 0),
                (self.cma, 3, 2, 1, 2, 1),
            ],
        )
