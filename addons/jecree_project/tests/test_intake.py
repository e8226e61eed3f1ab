# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import JecreeProjectCase


@tagged("post_install", "-at_install")
class TestIntake(JecreeProjectCase):
    """The "New call" screen as an agent on the phone uses it."""

    def test_new_caller(self):
        before = len(self.porteurs())
        intake, action = self.save_intake(
            phone="09 20 12 34 56",
            contact_name="Zoé Testard",
            email="Zoe.Testard@Example.com",
            zip_code="59000",
            project_kind="creation",
            sector="commerce",
            nature="orientation",
            duration=6.5,
            consent=True,
            notes="Ouverture d'une épicerie fine",
        )
        self.assertEqual(intake.commune_id, self.lille, "one commune: chosen for me")
        porteurs = self.porteurs()
        self.assertEqual(len(porteurs), before + 1)
        lead = porteurs.filtered(lambda lead: lead.contact_name == "Zoé Testard")
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["res_id"], lead.id)
        self.assertEqual(lead.phone_sanitized, "+33920123456")
        self.assertEqual(lead.email_normalized, "zoe.testard@example.com")
        self.assertEqual(lead.commune_id, self.lille)
        self.assertEqual(lead.zip, "59000")
        self.assertEqual(lead.city, "Lille")
        self.assertEqual(lead.department_id.code, "59")
        self.assertEqual(lead.epci_id, self.lille.epci_id)
        self.assertEqual((lead.project_kind, lead.sector), ("creation", "commerce"))
        self.assertEqual(lead.maturity, "idee")
        self.assertTrue(lead.consent)
        self.assertTrue(lead.consent_date)
        self.assertEqual(lead.user_id, self.agent)
        self.assertEqual(
            lead.team_id, self.env.ref("jecree_project.crm_team_call_center")
        )
        self.assertEqual(lead.name, "Zoé Testard – Création")
        call = lead.phonecall_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.direction, "in")
        self.assertEqual((call.nature, call.qualification), ("orientation", "utile"))
        self.assertEqual(call.duration, 6.5)
        self.assertEqual(call.user_id, self.agent)
        self.assertEqual(call.description, "Ouverture d'une épicerie fine")
        self.assertEqual(call.state, "done")

    def test_returning_caller_other_phone_format(self):
        self.save_intake(
            phone="09 12 34 56 78", contact_name="Hugo Testeur", sector="artisanat"
        )
        lead = self.porteurs().filtered(
            lambda lead: lead.contact_name == "Hugo Testeur"
        )
        count = len(self.porteurs())
        for typed in (
            "+33 9 12 34 56 78",
            "0912345678",
            "+33912345678",
            "09.12.34.56.78",
        ):
            form = self.intake_form(phone=typed)
            self.assertEqual(form.lead_id, lead, f"{typed} is the same caller")
            self.assertIn(lead, form.match_ids)
            self.assertEqual(form.sector, "artisanat", "what we know is shown")
        form = self.intake_form(user=self.agent2, phone="+33 (0)9 12 34 56 78")
        form.maturity = "financement"
        form.need_ids.add(self.need_funding)
        form.save().action_save()
        self.assertEqual(len(self.porteurs()), count, "no duplicate porteur")
        self.assertEqual(lead.maturity, "financement")
        self.assertIn(self.need_funding, lead.need_ids)
        self.assertEqual(len(lead.phonecall_ids), 2)
        self.assertEqual(lead.user_id, self.agent, "the porteur keeps their agent")
        self.assertEqual(lead.phonecall_ids.mapped("user_id"), self.agent | self.agent2)

    def test_returning_caller_by_email_and_name(self):
        self.save_intake(contact_name="Chloé Essai", email="chloe.essai@example.com")
        lead = self.porteurs().filtered(lambda lead: lead.contact_name == "Chloé Essai")
        form = self.intake_form(email=" CHLOE.ESSAI@example.com ")
        self.assertEqual(form.lead_id, lead)
        form = self.intake_form(contact_name="essai")
        self.assertIn(lead, form.match_ids, "a name is a suggestion")
        self.assertFalse(form.lead_id, "a name alone does not choose for the agent")

    def test_prank_call(self):
        before_porteurs = len(self.porteurs())
        calls = self.env["crm.phonecall"].search_count([])
        intake, action = self.save_intake(
            phone="09 00 00 00 01", qualification="plaisantin", duration=0.5
        )
        self.assertEqual(len(self.porteurs()), before_porteurs, "no porteur")
        call = self.env["crm.phonecall"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["crm.phonecall"].search_count([]), calls + 1)
        self.assertEqual(call.qualification, "plaisantin")
        self.assertFalse(call.opportunity_id)
        self.assertEqual(call.partner_phone, "+33 9 00 00 00 01")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"]["res_model"], "jecree.call.intake")

    def test_postal_code_with_several_communes(self):
        form = self.intake_form(zip_code="62170")
        self.assertFalse(form.commune_id, "the agent chooses among several communes")
        montreuil = self.env["res.city"].search(
            [("zip_ids.name", "=", "62170"), ("name", "=", "Montreuil")]
        )
        form.commune_id = montreuil
        form.contact_name = "Nathan Essai"
        form.save().action_save()
        lead = self.porteurs().filtered(
            lambda lead: lead.contact_name == "Nathan Essai"
        )
        self.assertEqual(lead.commune_id, montreuil)

    def test_save_and_next_call(self):
        form = self.intake_form(contact_name="Inès Essai", phone="0920000000")
        action = form.save().action_save_and_new()
        self.assertEqual(action["params"]["next"]["res_model"], "jecree.call.intake")
        self.assertTrue(
            self.porteurs().filtered(lambda lead: lead.contact_name == "Inès Essai")
        )

    def test_html_in_notes_is_stripped(self):
        self.save_intake(
            contact_name="Mehdi Essai",
            notes="<script>alert('x')</script><b>Projet</b> de boulangerie",
        )
        lead = self.porteurs().filtered(lambda lead: lead.contact_name == "Mehdi Essai")
        self.assertNotIn("<", lead.phonecall_ids.description)
        self.assertIn("boulangerie", lead.phonecall_ids.description)


@tagged("at_install", "-post_install")
class TestIntakeQueryCount(JecreeProjectCase):
    """The intake save is the agent's hot path. Counted at install, before the
    follow-up addons hook their own work (J+8 call-back, brochure) on it: those count
    theirs in their own tests."""

    def test_intake_query_count(self):
        form = self.intake_form(
            phone="09 21 00 00 00",
            contact_name="Sarah Essai",
            zip_code="62000",
            project_kind="reprise",
            sector="services",
        )
        intake = form.save()
        self.env.invalidate_all()
        # 30: the porteur form's id, looked up once per worker (ormcache), counted
        # here as the first call of the process; one query settles the open
        # missed calls of the number (telephony); the communes of the postal code
        # are cached since the screen's own look-up (res.city._jecree_zip_city_ids)
        with self.assertQueryCount(30):
            intake.action_save()
