# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import JecreeFollowupCase, utc


@tagged("post_install", "-at_install")
class TestFollowupErasure(JecreeFollowupCase):
    """The follow-up addon's part of the erasure: the brochure sent (its address,
    its email and PDF), the J+8 call-back (its activities, open or done, and the
    call that records it), a call-back form left open."""

    @freeze_time("2026-07-15 09:00:00")
    def test_followup_erased(self):
        lead = self.new_porteur(
            "Ysolde Brochet",
            email_from="ysolde.brochet@example.org",
            phone="+33 6 98 76 54 32",
            project_kind="creation",
            sector="commerce",
        )
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        lead.with_user(self.agent).action_jecree_send_brochure()
        sending = lead.brochure_sending_ids
        pdf = sending.mail_id.attachment_ids
        self.assertTrue(pdf)
        activity = self.callbacks(lead)
        action = lead.with_user(self.agent).action_jecree_callback()
        form = Form(
            self.env["jecree.callback.wizard"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        form.outcome = "reached"
        form.next_step = "Ysolde Brochet rappelle au 06 98 76 54 32"
        form.save().action_confirm()
        left = (
            self.env["jecree.callback.wizard"]
            .with_user(self.agent)
            .create({"lead_id": lead.id, "notes": "Ysolde Brochet"})
        )
        self.assertFalse(activity.active, "done, archived")
        export = lead._jecree_personal_data()
        self.assertEqual(
            export["brochure_sendings"][0]["email"], "ysolde.brochet@example.org"
        )
        self.assertIn(
            "Ysolde Brochet rappelle au 06 98 76 54 32",
            [call["next_step"] for call in export["calls"]],
        )
        self.assertIn(
            self.callback_type.name,
            [activity["activity_type_id"] for activity in export["activities"]],
        )

        counts = lead.sudo()._jecree_erase_personal_data()
        self.assertEqual(counts["brochure_sendings"], 1)
        self.assertEqual(
            counts["callback_forms"], 2, "the confirmed form, the open one"
        )
        self.assertFalse(left.exists())
        self.assertFalse(sending.email)
        self.assertEqual(sending.brochure_id.name, "Creating a business", "kept")
        self.assertFalse(pdf.exists(), "the brochure's PDF went with its email")
        self.assertFalse(sending.mail_id)
        calls = lead.phonecall_ids
        self.assertFalse(any(calls.mapped("next_step")))
        self.assertNotIn("Ysolde", " ".join(calls.mapped("name")))
        self.assertEqual(
            sorted(calls.mapped("callback_outcome"), key=str), [False, "reached"]
        )
        # the call-backs are counted by the monthly pack: they stay, without text
        self.assertTrue(activity.exists())
        self.assertFalse(activity.active)
        self.assertFalse(activity.feedback or activity.note)
        self.assertNotIn("Ysolde", activity.res_name)
        self.assertEqual(activity.activity_type_id, self.callback_type)
