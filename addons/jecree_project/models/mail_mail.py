# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models

REQUEUE_MAX_AGE_DAYS = 3


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def _cron_jecree_requeue_connection_failures(self):
        """Mails that failed only because the outgoing mail server could not be
        reached go back to the queue, so that they go out once it is back (Odoo
        leaves them in error until someone clicks Retry). When the connection
        fails, Odoo 19 puts the mail in error without a failure type (the type
        "mail_smtp" goes on its notifications); sending errors of the mail itself
        (invalid address, refused message…) carry a type and stay in error, as
        do mails older than three days, for a person to look at. Safe to run
        twice: a requeued mail is no longer in error."""
        since = fields.Datetime.now() - timedelta(days=REQUEUE_MAX_AGE_DAYS)
        mails = self.sudo().search(
            [
                ("state", "=", "exception"),
                ("failure_type", "in", (False, "mail_smtp")),
                ("create_date", ">=", since),
            ]
        )
        mails.action_retry()
        return len(mails)
