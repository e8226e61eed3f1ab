# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import contextlib
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import JecreeReferralMixin
from .test_ladder import run_cron_method


class Undo(Exception):
    """Rolls a case's savepoint back."""


class JecreeSurveyMixin(JecreeReferralMixin):
    @classmethod
    def setup_survey(cls):
        cls.setup_directory()
        cls.lead = cls.make_porteur(
            name="Porteuse Avis", email_from="avis@example.org", consent=True
        )
        cls.referral = cls.make_referral(
            cls.lead,
            cls.cma_arras,
            state="rdv_fixe",
            appointment_start=datetime(2026, 11, 10, 9, 0),
            appointment_stop=datetime(2026, 11, 10, 10, 0),
        )

    def answers(self):
        survey = self.env.ref("jecree_referral.survey_referral_satisfaction")
        return self.env["survey.user_input"].search([("survey_id", "=", survey.id)])

    def survey_mails(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "jecree.referral"),
                ("subject", "like", "How did your appointment go"),
            ]
        )

    def run_cron(self, when="2026-11-10 12:00:00"):
        with freeze_time(when):
            return run_cron_method(
                self.env["jecree.referral"]._cron_jecree_send_surveys
            )[0]


@tagged("post_install", "-at_install")
class TestSurvey(JecreeSurveyMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_survey()

    def test_sent_by_the_cron_once(self):
        with freeze_time("2026-11-10 11:00:00"):
            self.referral.action_mark_kept()
        self.assertFalse(self.referral.survey_user_input_id, "not at the kept mark")
        self.assertFalse(self.survey_mails())
        self.assertEqual(self.run_cron(), 1)
        answer = self.referral.survey_user_input_id
        self.assertEqual(answer.email, "avis@example.org")
        mail = self.survey_mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "avis@example.org")
        self.assertIn(answer.access_token, mail.body_html, "survey and opt-out links")
        # never twice
        self.assertEqual(self.run_cron("2026-11-11 12:00:00"), 0)
        self.assertEqual(self.answers(), answer)
        self.assertEqual(len(self.survey_mails()), 1)

    def test_consent_respected(self):
        """No email, no consent, erased, opted out: nothing sent nor written."""
        cases = {
            "no email": lambda: self.referral.write({"porteur_email": False}),
            "no consent": lambda: self.lead.write({"consent": False}),
            "erased": lambda: self.lead.write(
                {"anonymized_date": datetime(2026, 11, 10)}
            ),
            "opted out": lambda: self.env["mail.blacklist"]._add("Avis@Example.org"),
        }
        for case, make in cases.items():
            with (
                self.subTest(case=case),
                contextlib.suppress(Undo),
                self.env.cr.savepoint(),
            ):
                make()
                with freeze_time("2026-11-10 11:00:00"):
                    self.referral.action_mark_kept()
                self.assertEqual(self.run_cron(), 0)
                self.assertFalse(self.referral.survey_user_input_id)
                self.assertFalse(self.answers())
                self.assertFalse(self.survey_mails())
                raise Undo
            self.env.invalidate_all()

    def test_old_appointments_are_not_surveyed(self):
        with freeze_time("2026-11-10 11:00:00"):
            self.referral.action_mark_kept()
        self.assertEqual(
            self.run_cron(str(datetime(2026, 11, 10) + timedelta(days=45))), 0
        )

    def test_erasure_removes_the_answers(self):
        with freeze_time("2026-11-10 11:00:00"):
            self.referral.action_mark_kept()
        self.run_cron()
        answer = self.referral.survey_user_input_id
        holdings = self.lead._jecree_personal_records()
        self.assertEqual(holdings["surveys"].records, answer)
        self.lead._jecree_erase_personal_data()
        self.assertFalse(answer.exists())


@tagged("post_install", "-at_install")
class TestSurveyOptout(JecreeSurveyMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_survey()

    def test_unsubscribe_link(self):
        with freeze_time("2026-11-10 11:00:00"):
            self.referral.action_mark_kept()
        self.run_cron()
        answer = self.referral.survey_user_input_id
        Blacklist = self.env["mail.blacklist"]
        page = self.url_open(f"/jecree/survey/optout/{answer.id}/wrong-token")
        self.assertEqual(page.status_code, 404)
        self.assertFalse(Blacklist.search([("email", "=", "avis@example.org")]))
        page = self.url_open(f"/jecree/survey/optout/{answer.id}/{answer.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertTrue(Blacklist.search([("email", "=", "avis@example.org")]))
        # the next referral kept: nothing
        other = self.make_referral(
            self.lead,
            self.cma_bapaume,
            state="honore",
            date_kept=datetime(2026, 11, 10, 11, 0),
        )
        self.assertEqual(self.run_cron(), 0)
        self.assertFalse(other.survey_user_input_id)

    def answer(self, referral, recommend):
        survey = self.env.ref("jecree_referral.survey_referral_satisfaction")
        question = self.env.ref("jecree_referral.survey_question_recommend")
        answer = survey._create_answer(email="avis@example.org", check_attempts=False)
        answer.write(
            {
                "state": "done",
                "user_input_line_ids": [
                    Command.create(
                        {
                            "question_id": question.id,
                            "answer_type": "scale",
                            "value_scale": recommend,
                        }
                    )
                ],
            }
        )
        referral.write({"survey_user_input_id": answer.id})
        return answer

    def test_each_structure_sees_its_own_results(self):
        cma = self.make_referral(
            self.lead, self.cma_arras, state="honore", date_kept=datetime(2026, 11, 10)
        )
        bge = self.make_referral(
            self.lead,
            self.bge_campagnes,
            state="honore",
            date_kept=datetime(2026, 11, 10),
        )
        cma_answer = self.answer(cma, 9)
        self.answer(bge, 3)
        for login, own, other in (
            ("jr_portal_cma", cma, bge),
            ("jr_portal_bge", bge, cma),
        ):
            with self.subTest(login=login):
                self.authenticate(login, login)
                page = self.url_open("/my/referrals/satisfaction")
                self.assertEqual(page.status_code, 200)
                self.assertIn(own.name, page.text)
                self.assertNotIn(other.name, page.text)
        # the answers themselves are not readable by an adviser
        with self.assertRaises(AccessError):
            cma_answer.with_user(self.portal_cma).check_access("read")
        with self.assertRaises(AccessError):
            bge.with_user(self.portal_cma).check_access("read")
