# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import JecreeProjectCase


@tagged("post_install", "-at_install")
class TestIntakeBadInput(JecreeProjectCase):
    """Bad input gets a clear error and leaves nothing half-written."""

    def assertRefused(self, message_part, **values):
        porteurs = self.env["crm.lead"].search_count([])
        calls = self.env["crm.phonecall"].search_count([])
        # the screen warns while typing (logged by Form); saving must refuse
        with mute_logger("odoo.tests.form.onchange"):
            intake = self.intake_form(**values).save()
        with self.assertRaises(UserError) as caught:
            intake.action_save()
        self.assertIn(message_part, str(caught.exception))
        self.assertEqual(self.env["crm.lead"].search_count([]), porteurs)
        self.assertEqual(self.env["crm.phonecall"].search_count([]), calls)

    def test_invalid_phone(self):
        for phone in ("12", "abc", "03 20 12", "+33 1 23"):
            self.assertRefused("is not valid", phone=phone, contact_name="X Y")

    def test_warnings_while_typing(self):
        form = self.intake_form()
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.phone = "0000"
            form.zip_code = "75001"
        self.assertIn("The phone number 0000 is not valid", logs.output[0])
        self.assertIn("postal code 75001", logs.output[1])

    def test_invalid_email(self):
        self.assertRefused("email address", email="not-an-email", contact_name="X Y")

    def test_unknown_postal_code(self):
        self.assertRefused("postal code 75001 is unknown", zip_code="75001")

    def test_commune_not_of_postal_code(self):
        form = self.intake_form(zip_code="59000", contact_name="X Y")
        intake = form.save()
        intake.commune_id = self.arras
        with self.assertRaises(UserError) as caught:
            intake.action_save()
        self.assertIn("does not have the postal code", str(caught.exception))

    def test_prank_call_with_porteur(self):
        self.save_intake(phone="0920555555", contact_name="Real Caller")
        lead = self.porteurs().filtered(lambda lead: lead.contact_name == "Real Caller")
        form = self.intake_form(phone="0920555555")
        self.assertEqual(form.lead_id, lead)
        intake = form.save()
        intake.qualification = "plaisantin"
        intake.lead_id = lead
        with self.assertRaises(UserError):
            intake.action_save()
        self.assertEqual(len(lead.phonecall_ids), 1)
        # the model refuses it too, whatever the screen
        with self.assertRaises(ValidationError):
            self.env["crm.phonecall"].with_user(self.agent).create(
                {"name": "x", "qualification": "erreur", "opportunity_id": lead.id}
            )

    def test_negative_amounts(self):
        self.assertRefused("cannot be negative", contact_name="X Y", funding_need=-1)
        self.assertRefused("cannot be negative", contact_name="X Y", jobs_planned=-2)
        self.assertRefused("cannot be negative", contact_name="X Y", duration=-3)

    def test_negative_amount_on_porteur(self):
        lead = self.env["crm.lead"].create({"name": "P", "is_porteur": True})
        with self.assertRaises(ValidationError):
            lead.with_user(self.agent).write({"funding_need": -10})
        with self.assertRaises(ValidationError):
            lead.with_user(self.agent).write({"jobs_planned": -1})
        with self.assertRaises(ValidationError):
            self.env["crm.phonecall"].with_user(self.agent).create(
                {"name": "x", "duration": -1, "opportunity_id": lead.id}
            )
        self.assertEqual(lead.funding_need, 0)

    def test_nobody(self):
        self.assertRefused("at least the caller's name")

    def test_all_errors_at_once(self):
        self.assertRefused(
            "postal code", phone="12", email="bad", zip_code="00000", funding_need=-5
        )
