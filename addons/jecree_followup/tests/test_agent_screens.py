# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.jecree_project.tests.common import load_french

from .common import JecreeFollowupCase, utc


@tagged("post_install", "-at_install")
class TestAgentScreens(JecreeFollowupCase):
    """The agent's day: the returning caller's banner says everything we know
    (calls, referrals, next call-back); the J+8 list opens on what is due, with
    French titles."""

    @freeze_time("2026-07-06 08:30:00")
    def test_banner_of_a_returning_caller(self):
        __, action = self.save_intake(
            phone="06 12 34 56 79",
            contact_name="Rémi Retour",
            sector="commerce",
            zip_code="59000",
        )
        lead = self.env["crm.lead"].browse(action["res_id"])
        antenna = self.structure_antenna()
        self.appointment(lead, utc(2026, 7, 8, 8, 0), antenna=antenna)
        form = self.intake_form(phone="06 12 34 56 79")
        self.assertEqual(form.lead_id, lead)
        self.assertEqual(
            form.caller_summary,
            " · ".join(
                (
                    "1 call(s)",
                    "last on 07/06/2026",
                    f"1 referral(s): {antenna.display_name}",
                    # 6 July + 8 days is 14 July, a public holiday
                    "call-back planned on 07/15/2026",
                )
            ),
        )

    def test_banner_in_french(self):
        load_french(self.env, "jecree_followup")
        load_french(self.env, "jecree_referral")
        load_french(self.env, "jecree_project")
        self.agent.lang = "fr_FR"
        # the web client sends the user's language in the context
        self.env = self.env(context=dict(self.env.context, lang="fr_FR"))
        with freeze_time("2026-07-06 08:30:00"):
            self.save_intake(phone="06 12 34 56 80", contact_name="Rose Française")
            form = self.intake_form(phone="06 12 34 56 80")
        self.assertEqual(
            form.caller_summary,
            "1 appel(s) · dernier le 06/07/2026 · aucune orientation"
            " · rappel prévu le 15/07/2026",
        )

    def test_callback_title_in_the_agents_language(self):
        """The call-back's title is stored: it is written in the agent's language,
        whoever (a cron, a colleague in English) plans it."""
        load_french(self.env, "jecree_followup")
        self.agent.lang = "fr_FR"
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.assertEqual(self.callbacks(lead).summary, "Rappel J+8")
        self.agent2.lang = "en_US"
        other = self.new_porteur(name="Other")
        self.log_call(other, utc(2026, 7, 6, 8, 0), user=self.agent2)
        self.assertEqual(self.callbacks(other).summary, "J+8 call-back")

    def test_callback_list_opens_on_what_is_due(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "jecree_followup.mail_activity_callback_action"
        )
        self.assertIn("'search_default_due': 1", action["context"])
        self.assertIn("'search_default_mine': 1", action["context"])
        search = self.env["mail.activity"].get_views(
            [(action["search_view_id"][0], "search")]
        )["views"]["search"]["arch"]
        self.assertIn('name="this_week"', search)

    def test_outcome_title_in_french(self):
        """A call-back done: its outcome is titled in French ("Feedback :" is
        Odoo's French for every activity)."""
        load_french(self.env, "jecree_followup")
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        activity = self.callbacks(lead).with_context(lang="fr_FR")
        activity.action_feedback(feedback="Joint")
        body = lead.message_ids[:1].body
        self.assertIn("Compte rendu de l'appel", body)
        self.assertNotIn("Feedback", body)
