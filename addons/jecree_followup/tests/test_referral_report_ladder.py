# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_referral.tests.common import JecreeReferralMixin


@tagged("post_install", "-at_install")
class TestReferralReportLadder(JecreeReferralMixin, TransactionCase):
    """The ladder's figures per structure in the referrals analysis: accepted
    within 3 opening days (the one accepted a week later is not), reminded,
    escalated."""

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
                "accepted_in_time_count:sum",
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

    def test_satisfaction_per_structure(self):
        """The surveys answered and the average "would recommend" per structure;
        a survey sent but not answered counts for neither."""
        survey = self.env.ref("jecree_referral.survey_referral_satisfaction")
        question = self.env.ref("jecree_referral.survey_question_recommend")
        for referral, score, state in (
            (self.in_time, 9, "done"),
            (self.late, 6, "done"),
            (self.escalated, 0, "in_progress"),
        ):
            answer = survey._create_answer(
                email="porteur@example.com", check_attempts=False
            )
            answer.write(
                {
                    "state": state,
                    "user_input_line_ids": [
                        (
                            0,
                            0,
                            {
                                "question_id": question.id,
                                "answer_type": "scale",
                                "value_scale": score,
                            },
                        )
                    ],
                }
            )
            referral.survey_user_input_id = answer
        [(structure, answered, recommend)] = self.env[
            "jecree.referral.report"
        ]._read_group(
            [("structure_id", "=", self.cma.id)],
            ["structure_id"],
            ["survey_answered_count:sum", "recommend_score:avg"],
        )
        self.assertEqual((structure, answered, recommend), (self.cma, 2, 7.5))

    def test_structures_to_watch(self):
        """CMA: 1 escalated of 3 (33 %), CCI: none. With an unanswered rate to
        watch of 20 %, the CMA is flagged; at 40 %, neither."""
        Report = self.env["jecree.referral.report"]
        ids = (self.in_time | self.late | self.escalated | self.waiting).ids

        def flagged():
            Report.invalidate_model()
            return set(
                Report.search([("id", "in", ids), ("to_watch", "=", True)]).structure_id
            )

        self.env.company.jecree_watch_escalation_rate = 20
        self.assertEqual(flagged(), {self.cma})
        self.env.company.jecree_watch_escalation_rate = 40
        self.assertEqual(flagged(), set())
        # refusals: the CCI declines its only referral (100 %)
        self.waiting.action_refuse("Complet")
        self.assertEqual(flagged(), {self.cci})
