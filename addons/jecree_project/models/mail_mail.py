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
        do mails older than three days, for a person to look at. Only the mails
        our addons sent are touched (see `_jecree_sent_by_us`): the failed mails
        of other applications are theirs to handle. Safe to run twice: a
        requeued mail is no longer in error."""
        since = fields.Datetime.now() - timedelta(days=REQUEUE_MAX_AGE_DAYS)
        mails = self.sudo().search(
            [
                ("state", "=", "exception"),
                ("failure_type", "in", (False, "mail_smtp")),
                ("create_date", ">=", since),
            ]
        )
        mails = mails._jecree_sent_by_us()
        mails.action_retry()
        return len(mails)

    def _jecree_sent_by_us(self):
        """The mails of `self` our addons sent, told by the record they are about:
        here a porteur de projet (the brochures, the call center's mails to the
        caller); each addon adds the models whose mails are all its own
        (jecree_referral: the referrals). The record is reliable where a marker
        would not be: Odoo keeps it on every mail (template or chatter), whereas
        a header would have to be added on each way of sending."""
        lead_ids = {mail.res_id for mail in self if mail.model == "crm.lead"}
        porteurs = set(
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", list(lead_ids)), ("is_porteur", "=", True)])
            .ids
        )
        return self.filtered(
            lambda mail: mail.model == "crm.lead" and mail.res_id in porteurs
        )
