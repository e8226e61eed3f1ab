# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import JecreeFollowupCase, run_cron_method


@tagged("post_install", "-at_install")
class TestBrochure(JecreeFollowupCase):
    """The brochure of the porteur's project goes out once, with its PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.creation = cls.env.ref("jecree_followup.jecree_brochure_creation")
        cls.reprise = cls.env.ref("jecree_followup.jecree_brochure_reprise")
        cls.generic = cls.env.ref("jecree_followup.jecree_brochure_generic")
        cls.Sending = cls.env["jecree.brochure.sending"]

    def porteur_with_email(self, **values):
        return self.new_porteur(
            "Léa Brochure", email_from="lea.brochure@example.com", **values
        )

    def test_most_specific_brochure(self):
        lead = self.porteur_with_email(project_kind="reprise", sector="artisanat")
        brochures = self.env["jecree.brochure"]
        self.assertEqual(brochures._for_lead(lead), self.reprise)
        crafts = brochures.create(
            {
                "name": "Reprise artisanale",
                "project_kind": "reprise",
                "sector": "artisanat",
                "mail_template_id": self.reprise.mail_template_id.id,
            }
        )
        self.assertEqual(brochures._for_lead(lead), crafts)
        # the choice is cached per worker: archiving or changing a brochure is
        # seen at once
        crafts.active = False
        self.assertEqual(brochures._for_lead(lead), self.reprise)
        crafts.active = True
        self.assertEqual(brochures._for_lead(lead), crafts)
        crafts.sector = "industrie"
        self.assertEqual(brochures._for_lead(lead), self.reprise)
        crafts.unlink()
        lead.sector = "industrie"
        self.assertEqual(brochures._for_lead(lead), self.reprise)
        lead.project_kind = False
        self.assertEqual(brochures._for_lead(lead), self.generic)

    def test_sent_once_with_its_pdf(self):
        lead = self.porteur_with_email(project_kind="creation", sector="commerce")
        lead.with_user(self.agent).action_jecree_send_brochure()
        sending = lead.brochure_sending_ids
        self.assertEqual(len(sending), 1)
        self.assertEqual(sending.brochure_id, self.creation)
        self.assertEqual(sending.user_id, self.agent)
        self.assertEqual(sending.email, "lea.brochure@example.com")
        mail = sending.mail_id
        self.assertEqual(mail.email_to, "lea.brochure@example.com")
        self.assertEqual(
            sending.mail_state, "outgoing", "queued, sent by the mail queue"
        )
        # the QWeb PDF report (rendered as HTML when Odoo runs tests)
        self.assertRegex(mail.attachment_ids.name, r"^Brochure Je cree\.(pdf|html)$")
        content = mail.attachment_ids.raw.decode()
        self.assertIn("Creating a business", content)
        self.assertIn("Retail: the CCI", content, "the porteur's sector")
        self.assertIn("Léa Brochure", content)
        with self.assertRaisesRegex(UserError, "already sent"):
            lead.with_user(self.agent).action_jecree_send_brochure()
        self.assertEqual(len(lead.brochure_sending_ids), 1)
        # the agent asks explicitly
        lead.with_user(self.agent).action_jecree_resend_brochure()
        self.assertEqual(len(lead.brochure_sending_ids), 2)

    def test_failure_visible(self):
        lead = self.porteur_with_email(project_kind="reprise")
        lead.with_user(self.agent).action_jecree_send_brochure()
        sending = lead.brochure_sending_ids
        # the mail queue fails to send it
        sending.mail_id.sudo().write(
            {"state": "exception", "failure_reason": "SMTP down"}
        )
        failed = (
            self.env["jecree.brochure.sending"]
            .with_user(self.agent)
            .search([("mail_state", "=", "exception")])
        )
        self.assertEqual(failed, sending)
        self.assertEqual(failed.failure_reason, "SMTP down")
        failed.action_retry()
        self.assertEqual(sending.mail_state, "outgoing", "back in the mail queue")
        with self.assertRaisesRegex(UserError, "failed"):
            failed.action_retry()

    def test_no_email(self):
        lead = self.new_porteur(project_kind="creation")
        with self.assertRaisesRegex(UserError, "no email"):
            lead.with_user(self.agent).action_jecree_send_brochure()
        self.assertFalse(lead.brochure_sending_ids)

    def prepare_queued(self):
        return run_cron_method(self.Sending._cron_jecree_prepare_brochures)[0]

    def test_from_the_intake_queued_then_prepared_once(self):
        """The intake queues the brochure; the cron builds it, once."""
        values = {
            "email": "nina.intake@example.com",
            "contact_name": "Nina Intake",
            "project_kind": "creation",
            "sector": "services",
            "send_brochure": True,
        }
        mails_before = self.env["mail.mail"].search_count([])
        __, action = self.save_intake(**values)
        lead = self.env["crm.lead"].browse(action["res_id"])
        sending = lead.brochure_sending_ids
        self.assertEqual(len(sending), 1)
        self.assertEqual(sending.state, "queued")
        self.assertFalse(sending.mail_id, "no PDF rendered while the caller waits")
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        self.assertEqual(self.prepare_queued(), 1)
        self.assertEqual(sending.state, "outgoing")
        self.assertEqual(sending.mail_id.email_to, "nina.intake@example.com")
        self.assertIn("Nina Intake", sending.mail_id.attachment_ids.raw.decode())
        note = lead.message_ids.filtered(lambda m: "Brochure" in (m.body or ""))
        self.assertEqual(note.author_id, self.agent.partner_id, "as the agent")
        self.assertEqual(self.prepare_queued(), 0, "run again: nothing to do")
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 1)
        self.save_intake(**values)  # the same caller again
        self.assertEqual(len(lead.brochure_sending_ids), 1, "not sent twice")

    def test_from_a_program(self):
        """crm.lead.jecree_log_call (RPC, phone system) queues the brochure when
        asked, by default as the company's setting says; not for a call that is
        not useful."""
        Lead = self.env["crm.lead"].with_user(self.agent)
        caller = {"email": "prog.brochure@example.com", "project_kind": "creation"}
        result = Lead.jecree_log_call(dict(caller, send_brochure=False))
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.assertFalse(lead.brochure_sending_ids)
        Lead.jecree_log_call(dict(caller, qualification="hors_cible"))
        self.assertFalse(lead.brochure_sending_ids, "not for an off-target call")
        self.env.company.jecree_brochure_auto = True
        result = Lead.jecree_log_call(caller)
        self.assertEqual(result["lead_id"], lead.id)
        self.assertEqual(lead.brochure_sending_ids.state, "queued")

    def test_brochure_that_cannot_be_prepared(self):
        """The PDF cannot be rendered: the call is saved, the sending shows why,
        and Retry queues it again once the cause is fixed."""
        __, action = self.save_intake(
            email="pdf.ko@example.com",
            contact_name="Paul Sans PDF",
            project_kind="reprise",
            send_brochure=True,
        )
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertTrue(lead.phonecall_ids, "the call is saved")
        broken = UserError("Unable to find Wkhtmltopdf on this system.")
        with (
            patch.object(
                type(self.env["mail.template"]), "send_mail", side_effect=broken
            ),
            mute_logger("odoo.addons.jecree_followup.models.jecree_brochure_sending"),
        ):
            self.assertEqual(self.prepare_queued(), 1)
        sending = lead.brochure_sending_ids
        self.assertEqual(sending.state, "failed_prepare")
        self.assertIn("Wkhtmltopdf", sending.prepare_error)
        self.assertFalse(sending.mail_id)
        failed = self.Sending.with_user(self.agent).search(
            ["|", ("mail_state", "=", "exception"), ("prepare_error", "!=", False)]
        )
        self.assertEqual(failed, sending)
        failed.action_retry()
        self.assertEqual(sending.state, "queued")
        self.assertEqual(self.prepare_queued(), 1)
        self.assertEqual(sending.state, "outgoing")
        self.assertFalse(sending.prepare_error)

    def test_button_without_wkhtmltopdf(self):
        """ "Send brochure" where wkhtmltopdf is missing: Odoo's own error (the
        PDF cannot be created) does not reach the agent as a failure; the sending
        is kept with its reason and Retry, as from the intake, and nothing is lost."""
        lead = self.porteur_with_email(project_kind="creation", sector="services")
        mails_before = self.env["mail.mail"].search_count([])
        notes_before = len(lead.message_ids)
        Report = type(self.env["ir.actions.report"])
        with (
            # the check Odoo makes before rendering; force_report_rendering: render
            # the PDF even in a test (Odoo renders HTML in tests otherwise)
            patch.object(Report, "get_wkhtmltopdf_state", return_value="install"),
            mute_logger("odoo.addons.jecree_followup.models.jecree_brochure_sending"),
        ):
            action = (
                lead.with_user(self.agent)
                .with_context(force_report_rendering=True)
                .action_jecree_send_brochure()
            )
        sending = lead.brochure_sending_ids
        self.assertEqual(len(sending), 1, "the sending is kept")
        self.assertEqual(sending.state, "failed_prepare")
        self.assertIn("Wkhtmltopdf", sending.prepare_error)
        self.assertEqual(
            (sending.email, sending.brochure_id, sending.user_id),
            ("lea.brochure@example.com", self.creation, self.agent),
        )
        self.assertFalse(sending.mail_id)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        self.assertEqual(len(lead.message_ids), notes_before, "no 'sent' note")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Wkhtmltopdf", action["params"]["message"])
        self.assertIn("Retry", action["params"]["message"])
        # wkhtmltopdf installed: Retry queues it, the cron builds it, once
        sending.with_user(self.agent).action_retry()
        self.assertEqual(sending.state, "queued")
        self.assertEqual(self.prepare_queued(), 1)
        self.assertEqual(sending.state, "outgoing")
        self.assertFalse(sending.prepare_error)
        self.assertEqual(sending.mail_id.email_to, "lea.brochure@example.com")
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 1)
        self.assertEqual(len(lead.brochure_sending_ids), 1, "no second sending")

    def test_automatic_setting(self):
        self.env.company.jecree_brochure_auto = True
        form = self.intake_form(email="auto@example.com", contact_name="Auto")
        self.assertTrue(form.send_brochure)
        self.env.company.jecree_brochure_auto = False
        form = self.intake_form(email="auto@example.com", contact_name="Auto")
        self.assertFalse(form.send_brochure)
