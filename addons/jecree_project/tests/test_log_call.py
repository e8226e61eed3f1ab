# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import ANY, patch

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import load_script
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import JecreeProjectCase

#: one returning caller typed five ways (and the way they first called)
FIRST_PHONE = "09 12 34 56 78"
PHONE_FORMATS = (
    "+33 9 12 34 56 78",
    "0912345678",
    "+33912345678",
    "09.12.34.56.78",
    "+33 (0)9 12 34 56 78",
)


@tagged("post_install", "-at_install")
class TestLogCall(JecreeProjectCase):
    """crm.lead.jecree_log_call: the one way to log a call (the screen, RPC
    clients, a phone system), called here as a program would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, login="jc_log_employee", groups="base.group_user"
        )
        cls.portal = new_test_user(
            cls.env, login="jc_log_portal", groups="base.group_portal"
        )
        cls.porteur = cls.env["crm.lead"].create(
            {
                "name": "Porteur connu",
                "contact_name": "Porteur Connu",
                "is_porteur": True,
                "phone": "+33 9 20 55 55 55",
            }
        )
        cls.classic_lead = cls.env["crm.lead"].create({"name": "Classic lead"})

    def log_call(self, values, user=None):
        return (
            self.env["crm.lead"].with_user(user or self.agent).jecree_log_call(values)
        )

    def counts(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        Call = self.env["crm.phonecall"].with_context(active_test=False)
        return Lead.search_count([]), Call.search_count([])

    def assertRefused(self, values, message, exception=UserError, user=None):
        """Refused with `message`, and nothing written: counted without rolling
        back (no savepoint around the call), so a write before the check shows."""
        before = self.counts()
        try:
            self.log_call(values, user=user)
        except exception as error:
            self.assertIn(message, str(error))
        else:
            self.fail(f"{values} accepted")
        self.assertEqual(self.counts(), before, f"{values}: something was written")

    # ------------------------------------------------------------------ callers
    def test_new_caller(self):
        before = self.counts()
        result = self.log_call(
            {
                "phone": "06 12 34 56 78",
                "email": " Lea.Program@Example.com ",
                "contact_name": "Léa Programme",
                "zip_code": "59 000",
                "project_kind": "reprise",
                "sector": "services",
                "maturity": "financement",
                "need_ids": [self.need_info.id, self.need_funding.id],
                "planned_start_date": "2026-09-01",
                "jobs_planned": 2,
                "funding_need": 25000,
                "naf_code": "56.10A",
                "source_id": self.env.ref("jecree_project.utm_source_presse").id,
                "consent": True,
                "direction": "in",
                "call_date": "2026-07-06 08:30:00",
                "duration": 7.5,
                "nature": "financement",
                "notes": "Reprise d'un café",
            }
        )
        self.assertEqual(self.counts(), (before[0] + 1, before[1] + 1))
        lead = self.env["crm.lead"].browse(result["lead_id"])
        call = self.env["crm.phonecall"].browse(result["call_id"])
        self.assertEqual(
            result, {"lead_id": lead.id, "call_id": call.id, "returning": False}
        )
        self.assertTrue(lead.is_porteur)
        self.assertEqual(lead.name, "Léa Programme – Reprise")
        self.assertEqual(lead.phone_sanitized, "+33612345678")
        self.assertEqual(lead.email_from, "lea.program@example.com")
        self.assertEqual((lead.commune_id, lead.zip), (self.lille, "59000"))
        self.assertEqual(
            (lead.project_kind, lead.sector, lead.maturity),
            ("reprise", "services", "financement"),
        )
        self.assertEqual(lead.need_ids, self.need_info | self.need_funding)
        self.assertEqual(str(lead.planned_start_date), "2026-09-01")
        self.assertEqual((lead.jobs_planned, lead.funding_need), (2, 25000))
        self.assertEqual(
            lead.source_id, self.env.ref("jecree_project.utm_source_presse")
        )
        self.assertTrue(lead.consent)
        self.assertEqual(lead.user_id, self.agent)
        self.assertEqual(call.opportunity_id, lead)
        self.assertEqual(str(call.date), "2026-07-06 08:30:00")
        self.assertEqual(
            (call.nature, call.qualification, call.duration),
            ("financement", "utile", 7.5),
        )
        self.assertEqual(call.user_id, self.agent)
        self.assertEqual(call.description, "Reprise d'un café")

    def test_returning_caller_five_phone_formats(self):
        first = self.log_call(
            {
                "phone": FIRST_PHONE,
                "contact_name": "Hugo Programme",
                "sector": "industrie",
            }
        )
        for typed in PHONE_FORMATS:
            before = self.counts()
            result = self.log_call({"phone": typed, "maturity": "construction"})
            self.assertEqual(result["lead_id"], first["lead_id"], typed)
            self.assertTrue(result["returning"], typed)
            self.assertEqual(
                self.counts(), (before[0], before[1] + 1), f"{typed}: no duplicate"
            )
        lead = self.env["crm.lead"].browse(first["lead_id"])
        self.assertEqual(len(lead.phonecall_ids), 1 + len(PHONE_FORMATS))
        self.assertEqual(lead.sector, "industrie", "what the call does not say stays")
        self.assertEqual(lead.maturity, "construction")

    def test_returning_caller_by_email(self):
        result = self.log_call({"email": "CHLOE.Program@example.com "})
        self.assertFalse(result["returning"])
        again = self.log_call({"email": "chloe.program@example.com"})
        self.assertEqual(again["lead_id"], result["lead_id"])
        self.assertTrue(again["returning"])

    def test_known_porteur_and_new_porteur(self):
        """lead_id names the porteur; False asks for a new one, whatever the phone
        (as the screen does when the agent leaves the porteur empty)."""
        result = self.log_call({"lead_id": self.porteur.id, "nature": "orientation"})
        self.assertEqual(result["lead_id"], self.porteur.id)
        self.assertTrue(result["returning"])
        result = self.log_call(
            {"lead_id": False, "phone": "09 20 55 55 55", "contact_name": "Homonyme"}
        )
        self.assertNotEqual(result["lead_id"], self.porteur.id)
        self.assertFalse(result["returning"])

    def test_several_porteurs_share_a_phone(self):
        """Two porteurs on one phone (a couple): the name tells them apart; without
        it, the caller is asked which one, nothing written."""
        twin = self.porteur.copy({"contact_name": "Autre Porteur"})
        result = self.log_call({"phone": "0920555555", "contact_name": "autre porteur"})
        self.assertEqual(result["lead_id"], twin.id)
        self.assertRefused({"phone": "0920555555"}, f"(id {twin.id})")

    def test_error_and_prank_calls(self):
        for qualification in ("erreur", "plaisantin"):
            before = self.counts()
            result = self.log_call(
                {"phone": "09 00 00 00 01", "qualification": qualification}
            )
            self.assertEqual(self.counts(), (before[0], before[1] + 1), "no porteur")
            self.assertEqual(
                (result["lead_id"], result["returning"]), (False, False), qualification
            )
            call = self.env["crm.phonecall"].browse(result["call_id"])
            self.assertEqual(call.partner_phone, "+33 9 00 00 00 01")
            self.assertEqual(call.qualification, qualification)

    # ------------------------------------------------------------------ bad values
    def test_bad_values_refused_nothing_written(self):
        cases = [
            (
                {"phone": "12", "contact_name": "X Y"},
                "The phone number 12 is not valid",
            ),
            ({"email": "not-an-email"}, "The email address not-an-email is not valid"),
            ({"zip_code": "75001", "contact_name": "X Y"}, "75001 is unknown"),
            (
                {"zip_code": "59000", "commune_id": self.arras.id, "contact_name": "X"},
                "does not have the postal code 59000",
            ),
            (
                {"qualification": "plaisantin", "lead_id": self.porteur.id},
                "cannot be linked to a porteur",
            ),
            ({"contact_name": "X", "funding_need": -1}, "funding need cannot be"),
            ({"contact_name": "X", "jobs_planned": -2}, "jobs planned cannot be"),
            ({"contact_name": "X", "duration": -3}, "duration of a call cannot be"),
            ({"contact_name": "X", "jobs_planned": 1.5}, "1.5 is not a valid value"),
            ({"contact_name": "X", "funding_need": "lots"}, "lots is not a valid"),
            ({"contact_name": "X", "call_date": "yesterday"}, "yesterday is not a"),
            ({"contact_name": "X", "qualification": "spam"}, "spam is not a valid"),
            ({"contact_name": "X", "sector": "banque"}, "banque is not a valid"),
            ({"contact_name": "X", "need_ids": [999999999]}, "no record has the id"),
            ({"contact_name": "X", "need_ids": "info"}, "info is not a valid value"),
            ({"lead_id": 999999999}, "no porteur de projet with the id 999999999"),
            ({"lead_id": self.classic_lead.id}, "no porteur de projet with the id"),
            ({"contact_name": "X", "phone_number": "0612345678"}, "Unknown values"),
            ({}, "at least the caller's name"),
            (["0612345678"], "dictionary"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                self.assertRefused(values, message)

    def test_all_errors_at_once(self):
        values = {"phone": "12", "email": "bad", "zip_code": "00000", "duration": -5}
        before = self.counts()
        with self.assertRaises(UserError) as caught:
            self.log_call(values)
        for message in ("12 is not valid", "bad is not", "00000", "duration"):
            self.assertIn(message, str(caught.exception))
        self.assertEqual(self.counts(), before)

    # ------------------------------------------------------------------ access
    def test_outside_the_call_center_refused(self):
        for user in (self.employee, self.portal):
            with self.subTest(user=user.login):
                self.assertRefused(
                    {"phone": "06 98 76 54 32", "contact_name": "Intrus"},
                    "Only the call center's agents and managers can log a call",
                    exception=AccessError,
                    user=user,
                )

    def test_manager_logs_calls(self):
        result = self.log_call({"contact_name": "Par Manager"}, user=self.manager)
        self.assertEqual(
            self.env["crm.phonecall"].browse(result["call_id"]).user_id, self.manager
        )


@tagged("post_install", "-at_install")
class TestCallNature(JecreeProjectCase):
    """A call that is not useful (error, prank, off target) has no nature: the
    intake kept its hidden default "Information" on them."""

    def test_screen(self):
        for qualification in ("plaisantin", "erreur", "hors_cible"):
            with self.subTest(qualification=qualification):
                form = self.intake_form(
                    phone="09 00 00 00 02", contact_name="Pas Utile"
                )
                self.assertEqual(form.nature, "information", "a useful call's default")
                form.qualification = qualification
                self.assertFalse(form.nature, "cleared with the qualification")
                intake = form.save()
                intake.lead_id = False
                intake.action_save()
                call = self.env["crm.phonecall"].search([], order="id desc", limit=1)
                self.assertEqual(call.qualification, qualification)
                self.assertFalse(call.nature)

    def test_model_method(self):
        Lead = self.env["crm.lead"].with_user(self.agent)
        result = Lead.jecree_log_call(
            {
                "contact_name": "Hors Cible",
                "qualification": "hors_cible",
                "nature": "information",
            }
        )
        call = self.env["crm.phonecall"].browse(result["call_id"])
        self.assertTrue(result["lead_id"], "an off-target caller is a porteur")
        self.assertFalse(call.nature)
        self.assertEqual(call.name, "Hors cible – Hors Cible")

    def test_other_writers(self):
        Call = self.env["crm.phonecall"].with_user(self.agent)
        prank = Call.create(
            {"name": "x", "qualification": "plaisantin", "nature": "information"}
        )
        self.assertFalse(prank.nature)
        no_qualification = Call.create({"name": "y", "nature": "autre"})
        self.assertFalse(no_qualification.nature)
        useful = Call.create({"name": "z", "qualification": "utile", "nature": "autre"})
        self.assertEqual(useful.nature, "autre")
        useful.write({"qualification": "erreur"})
        self.assertFalse(useful.nature, "not useful any more: no nature")
        (prank | useful).write({"nature": "orientation"})
        self.assertFalse(prank.nature)
        self.assertFalse(useful.nature)
        useful.write({"qualification": "utile", "nature": "orientation"})
        self.assertEqual(useful.nature, "orientation")

    def test_migration_clears_existing_rows(self):
        Call = self.env["crm.phonecall"]
        calls = Call.create(
            [
                {"name": "a", "qualification": "utile", "nature": "information"},
                {"name": "b", "qualification": "utile", "nature": "orientation"},
                {"name": "c", "qualification": "utile", "nature": "autre"},
            ]
        )
        self.env.flush_all()
        # rows written before the fix: a nature on calls that are not useful
        self.env.cr.execute(
            SQL(
                "UPDATE crm_phonecall SET qualification = v.q "
                "FROM (VALUES (%s, 'plaisantin'), (%s, NULL)) AS v(id, q) "
                "WHERE crm_phonecall.id = v.id",
                calls[1].id,
                calls[2].id,
            )
        )
        script = load_script(
            "jecree_project/migrations/19.0.1.1.0/post-migrate.py", "post_migrate"
        )
        with patch.object(script._logger, "info") as log:
            script.migrate(self.env.cr, "19.0.1.0.0")
        log.assert_called_once_with(ANY, 2)  # the count of calls fixed
        calls.invalidate_recordset()
        self.assertEqual(calls.mapped("nature"), ["information", False, False])
        with patch.object(script._logger, "info") as log:
            script.migrate(self.env.cr, "19.0.1.0.0")
        log.assert_called_once_with(ANY, 0)
