# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMailRequeue(TransactionCase):
    """Mails that could not reach the mail server go back to the queue; the others
    stay in error."""

    def make_mail(self, failure_type):
        return self.env["mail.mail"].create(
            {
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
            "UPDATE mail_mail SET create_date = now() - interval '4 days'"
            " WHERE id = %s",
            [old.id],
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
