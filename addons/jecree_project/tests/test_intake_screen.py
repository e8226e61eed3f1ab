# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import JecreeProjectCase


@tagged("post_install", "-at_install")
class TestIntakeScreen(JecreeProjectCase):
    """What the agent meets on the "New call" screen: the communes of a postal
    code offered at once, the call's timer, the returning caller's banner, and
    the porteur's own form after the save."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dainville = cls.env.ref("jecree_project.res_city_fr_62263")

    def test_postal_code_with_several_communes_offers_them(self):
        form = self.intake_form(zip_code="62000")
        self.assertFalse(form.commune_id, "two communes: the agent chooses")
        self.assertEqual(form.commune_choice_count, 2)
        self.assertEqual(
            set(form.commune_choice_ids.ids), {self.arras.id, self.dainville.id}
        )
        form.commune_id = self.dainville
        form.phone = "09 11 22 33 44"
        form.contact_name = "Camille Choix"
        intake = form.save()
        action = intake.action_save()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.commune_id, self.dainville)
        # another postal code: the choice follows it
        form = self.intake_form(zip_code="62000")
        form.zip_code = "59000"
        self.assertEqual(form.commune_choice_count, 1)
        self.assertEqual(form.commune_id, self.lille, "one commune: chosen for me")
        with self.assertLogs("odoo.tests.form.onchange", "WARNING"):
            form.zip_code = "00000"  # the agent is warned: no commune
        self.assertEqual(form.commune_choice_count, 0)
        self.assertFalse(form.commune_id)

    def test_timer_gives_the_call_its_duration(self):
        with freeze_time("2026-12-07 09:00:00"):
            form = self.intake_form(
                phone="09 11 22 33 55", contact_name="Tim Chrono", zip_code="59000"
            )
            self.assertEqual(form.opened_at, datetime(2026, 12, 7, 9, 0))
            intake = form.save()
        with freeze_time("2026-12-07 09:04:30"):
            action = intake.action_save()
        call = self.env["crm.lead"].browse(action["res_id"]).phonecall_ids
        self.assertEqual(call.duration, 4.5, "4 min 30 s: from the opening to the save")

    def test_typed_duration_wins_over_the_timer(self):
        with freeze_time("2026-12-07 09:00:00"):
            intake = self.intake_form(
                phone="09 11 22 33 66", contact_name="Tim Saisi", duration=12.0
            ).save()
        with freeze_time("2026-12-07 09:04:30"):
            action = intake.action_save()
        call = self.env["crm.lead"].browse(action["res_id"]).phonecall_ids
        self.assertEqual(call.duration, 12.0)

    def test_timer_never_negative(self):
        """A screen whose opening time is after the save (a client's clock, an
        RPC value): no negative duration, the call is logged."""
        with freeze_time("2026-12-07 09:00:00"):
            intake = self.intake_form(
                phone="09 11 22 33 77", contact_name="Tim Futur"
            ).save()
            intake.opened_at = datetime(2026, 12, 7, 10, 0)
            action = intake.action_save()
        call = self.env["crm.lead"].browse(action["res_id"]).phonecall_ids
        self.assertEqual(call.duration, 0.0)

    @freeze_time("2026-12-07 09:00:00")
    def test_returning_caller_banner(self):
        self.save_intake(phone="09 11 22 33 88", contact_name="Rita Revient")
        self.save_intake(phone="09 11 22 33 88", contact_name="Rita Revient")
        form = self.intake_form(phone="+33 9 11 22 33 88")
        self.assertTrue(form.lead_id)
        summary = form.caller_summary.split(" · ")
        self.assertEqual(summary[:2], ["2 call(s)", "last on 12/07/2026"])
        # a new caller: no banner
        form = self.intake_form(phone="09 99 88 77 66")
        self.assertFalse(form.lead_id)
        self.assertFalse(form.caller_summary)

    def test_save_opens_the_porteur_form_on_fresh_breadcrumbs(self):
        __, action = self.save_intake(phone="09 11 22 33 99", contact_name="Bruno Fil")
        self.assertEqual(action["target"], "main", "the breadcrumbs start again")
        self.assertEqual(
            action["views"],
            [(self.env.ref("jecree_project.crm_lead_view_form_porteur").id, "form")],
        )
        porteurs = self.env.ref("jecree_project.crm_lead_action_porteur")
        self.assertIn(
            self.env.ref("jecree_project.crm_lead_view_form_porteur"),
            porteurs.view_ids.view_id,
        )

    def test_last_request_on_the_porteur(self):
        """The porteur's path names their last request, not a call that was
        none (an outgoing call, an "other" nature)."""
        with freeze_time("2026-12-07 09:00:00"):
            __, action = self.save_intake(
                phone="09 11 22 44 11", contact_name="Léa Demande", nature="financement"
            )
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.last_request, "financement")
        with freeze_time("2026-12-08 09:00:00"):
            self.save_intake(lead_id=lead, nature="orientation")
        with freeze_time("2026-12-09 09:00:00"):
            self.save_intake(lead_id=lead, nature="autre")
            self.save_intake(lead_id=lead, nature="information", direction="out")
        lead.invalidate_recordset(["last_request"])
        self.assertEqual(lead.last_request, "orientation")
        other = self.env["crm.lead"].create({"name": "Sans appel", "is_porteur": True})
        self.assertFalse(other.last_request)

    def test_porteur_form_hides_the_sales_fields(self):
        """The porteur's form: no revenue, probability, stars or won/lost; the
        project's stage instead. Odoo's lead form keeps them."""
        Lead = self.env["crm.lead"].with_user(self.agent)
        porteur_form = self.env.ref("jecree_project.crm_lead_view_form_porteur")
        arch = Lead.get_views([(porteur_form.id, "form")])["views"]["form"]["arch"]
        stock = Lead.get_views([(False, "form")])["views"]["form"]["arch"]
        for name, doc in (("porteur", arch), ("stock", stock)):
            tree = etree.fromstring(doc)
            shown = {
                field.get("name")
                for field in tree.iter("field")
                if field.get("invisible") not in ("1", "True")
                and not any(
                    parent.get("invisible") in ("1", "True")
                    for parent in field.iterancestors()
                )
            }
            sales = {"expected_revenue", "probability", "priority", "stage_id"}
            if name == "porteur":
                self.assertFalse(sales & shown, sales & shown)
                self.assertIn("maturity", shown)
            else:
                self.assertEqual(sales & shown, sales, "Odoo's form is untouched")
