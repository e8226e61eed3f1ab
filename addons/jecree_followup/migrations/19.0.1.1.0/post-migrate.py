# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 10: one source per fact.

1. Whether the appointment with a structure was kept is the referral's state.
   The J+8 call-backs stored it on the call (`crm_phonecall.appointment_kept`,
   a field removed now; its column is left in place, unread). A call-back that
   said "kept" or "not kept" while the porteur had exactly one referral still
   "appointment set", whose appointment had started before the call-back, moves
   that referral to "kept" / "not kept" (dated by the call-back). Other cases
   (no referral, several, already moved by the adviser) are left as they are and
   counted in the log.
2. J+30 and J+90 are counted from the porteur's first useful call: the steps of
   the follow-up plan shipped with the addon move from 22 and 82 days (after the
   call-back) to 30 and 90 days, unless a manager changed them.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def _move_appointments_to_referrals(cr):
    if not _column_exists(cr, "crm_phonecall", "appointment_kept"):
        return
    cr.execute(
        SQL(
            """
            WITH said AS (
                SELECT DISTINCT ON (call.opportunity_id)
                       call.opportunity_id AS lead_id,
                       call.appointment_kept AS kept,
                       call.date AS date
                  FROM crm_phonecall call
                 WHERE call.appointment_kept IN ('kept', 'not_kept')
                   AND call.callback_outcome = 'reached'
              ORDER BY call.opportunity_id, call.date DESC, call.id DESC
            ), single AS (
                SELECT said.lead_id, said.kept, said.date, min(ref.id) AS referral_id
                  FROM said
                  JOIN jecree_referral ref ON ref.lead_id = said.lead_id
                 WHERE ref.state = 'rdv_fixe'
                   AND ref.appointment_start <= said.date
              GROUP BY said.lead_id, said.kept, said.date
                HAVING count(*) = 1
            )
            UPDATE jecree_referral ref
               SET state = CASE single.kept
                               WHEN 'kept' THEN 'honore' ELSE 'non_honore' END,
                   date_kept = CASE single.kept
                                   WHEN 'kept' THEN single.date ELSE ref.date_kept END,
                   date_not_kept = CASE single.kept
                                       WHEN 'not_kept' THEN single.date
                                       ELSE ref.date_not_kept END
              FROM single
             WHERE ref.id = single.referral_id
         RETURNING ref.id
            """
        )
    )
    moved = len(cr.fetchall())
    cr.execute(
        "SELECT count(*) FROM crm_phonecall "
        "WHERE appointment_kept IN ('kept', 'not_kept')"
    )
    said = cr.fetchone()[0]
    _logger.info(
        "%s call-backs said whether the appointment was kept; %s referrals "
        "moved (the others had no single referral awaiting its outcome)",
        said,
        moved,
    )


def _followup_plan_from_first_call(cr):
    cr.execute(
        """
        UPDATE mail_activity_plan_template template
           SET delay_count = CASE template.delay_count WHEN 22 THEN 30 ELSE 90 END
          FROM ir_model_data data
         WHERE data.module = 'jecree_followup'
           AND data.model = 'mail.activity.plan.template'
           AND data.res_id = template.id
           AND (data.name, template.delay_count) IN (
                   ('mail_activity_plan_template_j30', 22),
                   ('mail_activity_plan_template_j90', 82))
           AND template.delay_unit = 'days'
           AND template.delay_from = 'after_plan_date'
        """
    )


def migrate(cr, version):
    if not version:
        return
    _move_appointments_to_referrals(cr)
    _followup_plan_from_first_call(cr)
