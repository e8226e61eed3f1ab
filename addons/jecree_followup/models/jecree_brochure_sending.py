# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.jecree_project.tools import cached_ref
from odoo.addons.jecree_project.tools.locking import try_lock_batch

_logger = logging.getLogger(__name__)

PREPARE_BATCH = 50
SENDING_STATES = [
    ("queued", "Being prepared"),
    ("failed_prepare", "Could not be prepared"),
    ("outgoing", "In the mail queue"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("exception", "Failed"),
    ("cancel", "Cancelled"),
]


class JecreeBrochureSending(models.Model):
    """When which brochure went out to a porteur, and the state of its email.

    A sending made from the intake is queued: a cron builds its email and PDF
    right after the call is saved (`_cron_jecree_prepare_brochures`)."""

    _name = "jecree.brochure.sending"
    _description = "Brochure sent"
    _order = "date desc, id desc"
    _rec_name = "brochure_id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Porteur de projet",
        required=True,
        index=True,
        ondelete="cascade",
    )
    brochure_id = fields.Many2one(
        "jecree.brochure", required=True, index=True, ondelete="restrict"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Sent by", default=lambda self: self.env.user
    )
    email = fields.Char(string="Sent to")
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null")
    mail_state = fields.Selection(related="mail_id.state", string="Email state")
    failure_reason = fields.Text(related="mail_id.failure_reason")
    queued = fields.Boolean(
        string="To prepare",
        readonly=True,
        copy=False,
        help="The email and its PDF are still to be built by the cron.",
    )
    prepare_error = fields.Text(
        string="Preparation error",
        readonly=True,
        copy=False,
        help="Why the email or its PDF could not be built.",
    )
    state = fields.Selection(SENDING_STATES, compute="_compute_state")

    _queued_idx = models.Index("(id) WHERE queued")

    @api.depends("queued", "prepare_error", "mail_state")
    def _compute_state(self):
        for sending in self:
            if sending.queued:
                sending.state = "queued"
            elif sending.prepare_error:
                sending.state = "failed_prepare"
            else:
                sending.state = sending.mail_state or "sent"

    def _jecree_prepare_mail(self):
        """Build and queue the email (and its PDF) of each sending."""
        for sending in self:
            lead = sending.lead_id
            template = sending.brochure_id.mail_template_id
            mail_id = template.send_mail(lead.id)
            sending.sudo().write(
                {"mail_id": mail_id, "queued": False, "prepare_error": False}
            )
            lead.message_post(
                body=self.env._(
                    "Brochure %(brochure)s sent to %(email)s.",
                    brochure=sending.brochure_id.name,
                    email=sending.email,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=sending.user_id.partner_id.id or None,
            )

    def _jecree_prepare_mails(self):
        """Build the email (and PDF) of each sending, as the agent who asked for it.

        A sending that cannot be built (no working wkhtmltopdf, a broken
        template...) leaves the queue with its error, for Retry: nothing is lost and
        the others go on. The cron and the "Send brochure" button both come here.
        Returns the sendings that could not be built."""
        failed = self.browse()
        for sending in self:
            user = sending.user_id if sending.user_id.active else None
            try:
                with self.env.cr.savepoint():
                    sending.with_user(user or SUPERUSER_ID)._jecree_prepare_mail()
            except Exception as error:  # noqa: BLE001 one bad sending must not block the others
                _logger.warning(
                    "Brochure sending %s could not be prepared: %s", sending.id, error
                )
                sending.sudo().write({"queued": False, "prepare_error": str(error)})
                failed |= sending
        return failed

    @api.model
    def _jecree_trigger_preparation(self):
        """Start the preparation cron now (queued sendings, a Retry)."""
        cached_ref(self.env, "jecree_followup.ir_cron_prepare_brochures")._trigger()

    @api.model
    def _cron_jecree_prepare_brochures(self, batch_size=PREPARE_BATCH):
        """Build the emails of the queued sendings, as the agent who queued them.

        Batches are committed one by one; two workers at the same time take
        different sendings (FOR UPDATE SKIP LOCKED) and a sending leaves the queue
        in the transaction that builds its email, so none goes out twice. A
        sending that cannot be built leaves the queue with its error, for Retry."""
        ir_cron = self.env["ir.cron"]
        done = 0
        while True:
            self.flush_model(["queued"])
            # nothing is written yet in the batch's transaction: a sending the
            # other worker commits at that moment must not make this one fail
            batch = try_lock_batch(
                lambda: self.search([("queued", "=", True)], order="id"),
                limit=batch_size,
            )
            if not batch:
                break
            batch._jecree_prepare_mails()
            done += len(batch)
            if not ir_cron._commit_progress(len(batch)):
                break
        return done

    def action_retry(self):
        """Put the failed emails back in Odoo's mail queue, or prepare them again."""
        failed_mails = self.filtered(lambda sending: sending.mail_state == "exception")
        unprepared = self.filtered(lambda sending: sending.state == "failed_prepare")
        if not (failed_mails or unprepared):
            raise UserError(self.env._("Only a failed email can be sent again."))
        failed_mails.mail_id.sudo().action_retry()
        if unprepared:
            unprepared.sudo().write({"queued": True, "prepare_error": False})
            self._jecree_trigger_preparation()
        return True
