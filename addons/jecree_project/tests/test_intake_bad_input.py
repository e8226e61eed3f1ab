# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import JecreeProjectCase, NothingWrittenMixin

#: (case, part of the French message, what the agent typed): each refused on
#: saving, with nothing written
BAD_INTAKES = (
    ("phone too short", "is not valid", {"phone": "12", "contact_name": "X Y"}),
    ("phone letters", "is not valid", {"phone": "abc", "contact_name": "X Y"}),
    ("phone cut", "is not valid", {"phone": "03 20 12", "contact_name": "X Y"}),
    ("phone +33 cut", "is not valid", {"phone": "+33 1 23", "contact_name": "X Y"}),
    (
        "email",
        "email address",
        {"email": "not-an-email", "contact_name": "X Y"},
    ),
    ("unknown postal code", "postal code 75001 is unknown", {"zip_code": "75001"}),
    (
        "negative funding need",
        "cannot be negative",
        {"contact_name": "X Y", "funding_need": -1},
    ),
    (
        "negative jobs planned",
        "cannot be negative",
        {"contact_name": "X Y", "jobs_planned": -2},
    ),
    (
        "negative duration",
        "cannot be negative",
        {"contact_name": "X Y", "duration": -3},
    ),
    ("nobody", "at least the caller's name", {}),
    (
        "all errors at once",
        "postal code",
        {"phone": "12", "email": "bad", "zip_code": "00000", "funding_need": -5},
    ),
)


@tagged("post_install", "-at_install")
class TestIntakeBadInput(NothingWrittenMixin, JecreeProjectCase):
    """Bad input gets a clear error and leaves nothing half-written."""

    def test_bad_intakes(self):
        for case, message, values in BAD_INTAKES:
            with self.subTest(case):
                # the screen warns while typing (logged by Form); saving refuses
                with mute_logger("odoo.tests.form.onchange"):
                    intake = self.intake_form(**values).save()
                self.assertRefusedNothingWritten(UserError, intake.action_save, message)

    def test_commune_not_of_postal_code(self):
        intake = self.intake_form(zip_code="59000", contact_name="X Y").save()
        intake.commune_id = self.arras
        self.assertRefusedNothingWritten(
            UserError, intake.action_save, "does not have the postal code"
        )

    def test_prank_call_with_porteur(self):
        self.save_intake(phone="0920555555", contact_name="Real Caller")
        lead = self.porteurs().filtered(lambda lead: lead.contact_name == "Real Caller")
        form = self.intake_form(phone="0920555555")
        self.assertEqual(form.lead_id, lead)
        intake = form.save()
        intake.qualification = "plaisantin"
        intake.lead_id = lead
        self.assertRefusedNothingWritten(UserError, intake.action_save)
        self.assertEqual(len(lead.phonecall_ids), 1)

    def test_warnings_while_typing(self):
        form = self.intake_form()
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.phone = "0000"
            form.zip_code = "75001"
        self.assertIn("The phone number 0000 is not valid", logs.output[0])
        self.assertIn("postal code 75001", logs.output[1])

    def test_model_refuses_whatever_the_screen(self):
        """The models' own constraints (an RPC client writing directly). These
        are checked once the values are in the ORM: the request's transaction
        is rolled back by Odoo on the error, as `assertRaises` rolls back its
        savepoint here, so what is asserted is the refusal (the intake's own
        checks, above, come before anything is written)."""
        lead = self.env["crm.lead"].create({"name": "P", "is_porteur": True})
        Call = self.env["crm.phonecall"].with_user(self.agent)
        attempts = (
            (
                "funding need",
                lambda: lead.with_user(self.agent).write({"funding_need": -10}),
            ),
            (
                "jobs planned",
                lambda: lead.with_user(self.agent).write({"jobs_planned": -1}),
            ),
            (
                "call duration",
                lambda: Call.create(
                    {"name": "x", "duration": -1, "opportunity_id": lead.id}
                ),
            ),
            (
                "prank with a porteur",
                lambda: Call.create(
                    {"name": "x", "qualification": "erreur", "opportunity_id": lead.id}
                ),
            ),
        )
        for case, attempt in attempts:
            with self.subTest(case), self.assertRaises(ValidationError):
                attempt()

    def test_nothing_written_check_sees_a_write(self):
        """The check above fails when a refused call wrote before refusing."""

        def write_then_refuse():
            self.env["crm.lead"].create({"name": "Half-written"})
            raise UserError(self.env._("refused"))

        with self.assertRaisesRegex(AssertionError, r"written in \['crm_lead'\]"):
            self.assertRefusedNothingWritten(UserError, write_then_refuse)
