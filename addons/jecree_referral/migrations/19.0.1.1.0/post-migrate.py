# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The appointment mails write the time in the structure's time zone (the
`appointment_label` field) instead of a literal Europe/Paris. Their templates are
noupdate (managers may have edited them): only that expression is replaced, in
every language, and the rest of a manager's text is kept."""

OLD = (
    "format_datetime(object.appointment_start, tz='Europe/Paris', "
    "dt_format='EEEE d MMMM y HH:mm')"
)
NEW = "object.appointment_label"
TEMPLATES = ("mail_template_referral_appointment", "mail_template_referral_new")


def migrate(cr, version):
    cr.execute(
        """
        UPDATE mail_template t
           SET body_html = replace(t.body_html::text, %s, %s)::jsonb
          FROM ir_model_data d
         WHERE d.module = 'jecree_referral' AND d.name IN %s
           AND d.model = 'mail.template' AND d.res_id = t.id
           AND t.body_html::text LIKE %s
        """,
        [OLD, NEW, TEMPLATES, f"%{OLD}%"],
    )
