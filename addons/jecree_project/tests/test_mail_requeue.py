# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestMailRequeue(TransactionCase):
    """Mails of our addons that could not reach the mail server go back to the
    queue; the others stay in error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.porteur = cls.env["crm.lead"].create(
            {"name": "Porteur Relance", "is_porteur": True}
        )

    def make_mail(self, failure_type, record=None):
        record = self.porteur if record is None else record
        return self.env["mail.mail"].create(
            {
                "model": record._name,
                "res_id": record.id,
                "subject": f"Test {failure_type}",
                "email_to": "porteur@example.com",
                "body_html": "<p>Bonjour</p>",
                "state": "exception",
                "failure_type": failure_type,
                "failure_reason": "test",
            }
        )

    def test_requeue_connection_failures_only(self):
        smtp = self.make_mail("mail_smtp")
        connection = self.make_mail(False)  # as Odoo 19 leaves it when connect fails
        invalid = self.make_mail("mail_email_invalid")
        unknown = self.make_mail("unknown")
        old = self.make_mail(False)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE mail_mail SET create_date = now() - interval '4 days'"
                " WHERE id = %s",
                old.id,
            )
        )
        old.invalidate_recordset()
        Mail = self.env["mail.mail"]
        with freeze_time(self.env.cr.now()):
            self.assertEqual(Mail._cron_jecree_requeue_connection_failures(), 2)
            self.assertEqual((smtp | connection).mapped("state"), ["outgoing"] * 2)
            self.assertEqual(
                (invalid | unknown | old).mapped("state"), ["exception"] * 3
            )
            # twice: nothing more
            self.assertEqual(Mail._cron_jecree_requeue_connection_failures(), 0)

    def test_mails_of_other_applications_stay_in_error(self):
        """A failed mail about another model, or about a lead that is not a
        porteur, is not ours: it stays in error for its application."""
        partner = self.env["res.partner"].create({"name": "Autre application"})
        lead = self.env["crm.lead"].create({"name": "Opportunité commerciale"})
        other_model = self.make_mail(False, partner)
        other_lead = self.make_mail("mail_smtp", lead)
        no_record = self.make_mail(False, self.env["res.partner"])
        ours = self.make_mail(False)
        Mail = self.env["mail.mail"]
        self.assertEqual(Mail._cron_jecree_requeue_connection_failures(), 1)
        self.assertEqual(ours.state, "outgoing")
        self.assertEqual(
            (other_model | other_lead | no_record).mapped("state"), ["exception"] * 3
        )
