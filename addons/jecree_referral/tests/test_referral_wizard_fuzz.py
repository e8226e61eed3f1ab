# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import random
import time
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.jecree_project.tests.common import fuzz_cases

from .common import REFUSED, SEED, TEXTS, JecreeFuzzMixin, JecreeReferralMixin

CASES = fuzz_cases()
#: Monday 7 December 2026, 8:00 in Paris: the slots are the same in every run
NOW = datetime(2026, 12, 7, 7, 0)
#: the next Monday, 9:00 in Paris
MONDAY = datetime(2026, 12, 14, 8, 0)
#: slots an RPC client may write: past, at night, on Sunday, upside down, empty,
#: across lunch or closing time, far ahead (in the hours), and one often taken
FORGED_SLOTS = [
    (NOW - timedelta(days=1), NOW - timedelta(hours=23)),
    (MONDAY.replace(hour=2), MONDAY.replace(hour=3)),
    (MONDAY + timedelta(days=6), MONDAY + timedelta(days=6, hours=1)),
    (MONDAY + timedelta(hours=1), MONDAY),
    (MONDAY, MONDAY),
    (MONDAY.replace(hour=10, minute=30), MONDAY.replace(hour=11, minute=30)),
    (MONDAY.replace(hour=15, minute=30), MONDAY.replace(hour=16, minute=30)),
    (datetime(2099, 1, 5, 9, 0), datetime(2099, 1, 5, 10, 0)),
    (MONDAY, MONDAY + timedelta(hours=1)),
]
DURATIONS = [0.25, 0.5, 1.5, 2, 12, 0, -1, 12.5, 1e6, 1e12, float("nan")]
EMAILS = ["porteur@example.com", "", "pas-un-email", "<b>@x.fr", "é@é.fr"]
PHONES = ["+33 6 12 34 56 78", "", "abc", "☎ 06"]


@tagged("post_install", "-at_install", "jecree_fuzz")
class TestReferralWizardFuzz(JecreeFuzzMixin, JecreeReferralMixin, TransactionCase):
    """1,000 seeded cases through the referral wizard, as an agent in French, the
    clock frozen on a Monday morning: random porteurs (no commune, not a porteur,
    names with HTML, SQL, emoji, 5,000 characters, 3,000 that PostgreSQL cannot
    compress), already referred porteurs, lines set by hand to a structure, an
    adviser, an archived antenna or another structure's antenna, doubled lines,
    0 to 3 antennas, another porteur's referral, foreign advisers, bad durations,
    slots in the past, at night, on Sunday, upside down, across lunch or taken.

    Each step either goes through or is refused with a French message of the addon
    without leaving a referral, meeting, mail, contact, porteur or attachment
    behind; never a traceback. A referral's mail shows the porteur's text escaped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.setup_french(cls.agent)
        Partner = cls.env["res.partner"]
        cls.closed = Partner.create(
            {
                "name": "CMA – Fermée",
                "type": "other",
                "parent_id": cls.cma.id,
                "jecree_is_antenna": True,
                "active": False,
            }
        )
        cls.plain = Partner.create({"name": "Société quelconque", "is_company": True})
        antennas = Partner.search([("jecree_is_antenna", "=", True)])
        # what a line's antenna or the wizard's adviser can be written to (RPC)
        cls.bad_antennas = list(
            antennas | cls.cma | cls.adviser_cma | cls.closed | cls.plain
        )
        cls.structures = list(antennas.jecree_structure_id | cls.plain)
        cls.advisers = list(
            cls.adviser_cma | cls.adviser_bge | cls.plain | cls.cma_arras
        ) + [Partner]
        cls.communes = [cls.village.id] * 8 + [cls.arras.id, cls.lille.id, False]
        cls.needs = list(cls.need.values())

    def random_porteur(self, rng):
        """A porteur as any path may have saved it (intake, import, RPC)."""
        name = rng.choice(TEXTS)
        leads = self.env["crm.lead"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        return leads.create(
            {
                "name": rng.choice([f"Projet de {name}", rng.choice(TEXTS) or "?"]),
                "contact_name": name,
                "type": "lead",
                "is_porteur": rng.random() < 0.95,
                "commune_id": rng.choice(self.communes),
                "sector": rng.choice(
                    [False, "commerce", "services", "artisanat", "industrie"]
                ),
                "project_kind": rng.choice([False, "creation", "reprise"]),
                "need_ids": [
                    Command.set(
                        [n.id for n in rng.sample(self.needs, rng.randint(0, 4))]
                    )
                ],
                "description": rng.choice(TEXTS),
                "email_from": rng.choice(EMAILS),
                "phone": rng.choice(PHONES),
            }
        )

    def open_wizard(self, rng, case, lead):
        """The agent's button on the porteur, or a wizard created by RPC."""
        lead = lead.with_user(self.agent).with_context(lang="fr_FR")
        Wizard = self.env["jecree.referral.wizard"].with_user(self.agent)
        Wizard = Wizard.with_context(lang="fr_FR")
        if rng.random() < 0.9:
            action = self.attempt(case, lead.action_jecree_refer)
            return None if action is REFUSED else Wizard.browse(action["res_id"])
        return Wizard.create({"lead_id": lead.id})

    def choose_lines(self, rng, wizard):
        """Tick 0 to 3 lines; sometimes write a line by hand first."""
        lines = wizard.line_ids
        roll = rng.random()
        if roll < 0.1 and lines:
            rng.choice(lines).antenna_id = rng.choice(self.bad_antennas)
        elif roll < 0.2:
            wizard.line_ids = [
                Command.create(
                    {
                        "antenna_id": rng.choice(self.bad_antennas).id,
                        "structure_id": rng.choice(self.structures).id,
                    }
                )
            ]
        elif roll < 0.25 and lines:
            line = rng.choice(lines)
            wizard.line_ids = [
                Command.create(
                    {
                        "antenna_id": line.antenna_id.id,
                        "structure_id": line.structure_id.id,
                    }
                )
            ]
        lines = list(wizard.line_ids)
        count = rng.choice([0, 1, 1, 1, 1, 2, 2, 2, 3, 3])
        for line in rng.sample(lines, min(count, len(lines))):
            line.selected = True

    def random_slot(self, rng, wizard):
        """One of the slots shown, or a slot written by hand."""
        if wizard.slot_ids and rng.random() < 0.6:
            return rng.choice(wizard.slot_ids)
        start, stop = rng.choice(FORGED_SLOTS)
        return wizard.slot_ids.create(
            {"wizard_id": wizard.id, "start": start, "stop": stop, "name": "?"}
        )

    def assert_escaped(self, case, referrals):
        """The porteur's text is shown as text in the structures' mails."""
        mails = self.env["mail.mail"].search(
            [("model", "=", "jecree.referral"), ("res_id", "in", referrals.ids)]
        )
        self.assertTrue(mails, f"case {case}: no mail to the structure")
        for body in mails.mapped("body_html"):
            self.assertNotIn("<img src=x", body, f"case {case}")
            self.assertNotIn("<script>", body, f"case {case}")

    def book(self, rng, case, wizard):
        """The appointment step: maybe another referral, adviser or duration,
        then a slot. True if booked."""
        # what the form's onchanges do after each change
        if rng.random() < 0.1:
            wizard.referral_id = rng.choice(self.env["jecree.referral"].search([]))
            wizard._onchange_referral_id()
        if rng.random() < 0.3:
            wizard.adviser_id = rng.choice(self.advisers)
            wizard._onchange_adviser_id()
        if rng.random() < 0.2:
            duration = rng.choice(DURATIONS)
            if self.attempt(case, wizard.write, {"duration": duration}) is REFUSED:
                return False
            wizard._onchange_adviser_id()
        slot = self.random_slot(rng, wizard)
        if self.attempt(case, slot.action_book) is REFUSED:
            return False
        referral = wizard.referral_id
        if wizard.keeps_calendar:
            self.assertEqual(referral.state, "rdv_fixe", f"case {case}")
            self.assertEqual(referral.sudo().event_id.start, slot.start)
        else:
            self.assertTrue(referral.appointment_requested, f"case {case}")
        self.assertEqual(referral.appointment_start, slot.start, f"case {case}")
        return True

    def test_random_referrals(self):
        rng = random.Random(SEED)
        started = time.perf_counter()
        porteurs = []
        referred = booked = accepted = 0
        with freeze_time(NOW):
            for case in range(CASES):
                if porteurs and rng.random() < 0.35:
                    lead = rng.choice(porteurs)
                else:
                    lead = self.random_porteur(rng)
                    porteurs.append(lead)
                wizard = self.open_wizard(rng, case, lead)
                if not wizard:
                    continue
                self.choose_lines(rng, wizard)
                if self.attempt(case, wizard.action_refer) is REFUSED:
                    continue
                referred += 1
                referrals = wizard.referral_ids
                antennas = wizard.line_ids.filtered("selected").antenna_id
                self.assertEqual(referrals.antenna_id, antennas, f"case {case}")
                self.assert_escaped(case, referrals)
                if rng.random() < 0.8:
                    if not self.book(rng, case, wizard):
                        continue
                    booked += 1
                accepted += 1
        seconds = time.perf_counter() - started
        refused = sum(self.refusals.values())
        self.log_summary(
            "referral wizard",
            CASES,
            seconds,
            accepted=accepted,
            referred=referred,
            booked=booked,
            refused=refused,
        )
        # every kind of step went through and was refused
        self.assertGreater(booked, CASES // 20)
        self.assertGreater(refused, CASES // 10)
        self.assertGreaterEqual(len(self.refusals), 10 if CASES >= 1000 else 5)
