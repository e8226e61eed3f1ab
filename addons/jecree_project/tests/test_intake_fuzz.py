# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import random

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.crm_phonecall import NO_PORTEUR_QUALIFICATIONS
from .common import (
    JecreeProjectCase,
    NothingWrittenMixin,
    french_patterns,
    fuzz_cases,
    load_french,
    random_fields,
)

_logger = logging.getLogger(__name__)

CASES = fuzz_cases()
SEED = 20261129

PHONES = [
    "03 20 12 34 56",
    "+33 6 12 34 56 78",
    "0033 7 11 22 33 44",
    "06.12.34.56.78",
    "(0)3-21-00-00-00",
    "12",
    "abc",
    "+1 202 555 0143",
    "0" * 40,
    "<b>06</b>",
    "☎ 06 12 34 56 78",
    "",
    " ",
    "+33 (0)9 77 66 55 44",
    "0612345678901234",
]
EMAILS = [
    "a@b.fr",
    "Jean.Dupont@Example.COM",
    "pas-un-email",
    "x@",
    "@y.fr",
    "é@é.fr",
    "a@b.fr, c@d.fr",
    "<script>@x.fr",
    "",
    "a" * 300 + "@example.com",
]
NAMES = [
    "Zoé Fuzz",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE crm_lead; --",
    "🙂 Émoji",
    "x" * 500,
    "",
    "  ",
    "O'Brien",
    "Jean\nDupont",
]
ZIPS = ["59000", "62170", "75001", "00000", "5900", "abcde", "", "59 000", "62000"]
NOTES = ["", "<script>alert(1)</script>", "Projet <b>gras</b>", "é" * 5000, "\x00"]
AMOUNTS = [0, 1, -1, 10**9, -(10**6), 12.5]


@tagged("post_install", "-at_install", "jecree_fuzz")
class TestIntakeFuzz(NothingWrittenMixin, JecreeProjectCase):
    """A seeded generator throws 1,000 random intakes at the screen's code path:
    each is either saved whole or refused with French messages, never a traceback,
    never half-written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.agent.lang = "fr_FR"
        cls.patterns = french_patterns("jecree_project")

    def random_values(self, rng, porteurs):
        values = random_fields(
            rng,
            (
                ("phone", PHONES),
                ("email", EMAILS),
                ("contact_name", NAMES),
                ("zip_code", ZIPS),
                ("notes", NOTES),
            ),
            0.7,
        )
        for fname in ("funding_need", "jobs_planned", "duration"):
            if rng.random() < 0.3:
                value = rng.choice(AMOUNTS)
                values[fname] = int(value) if fname == "jobs_planned" else value
        values["qualification"] = rng.choice(
            ["utile", "utile", "utile", "erreur", "plaisantin", "hors_cible"]
        )
        values["sector"] = rng.choice([False, "commerce", "artisanat", "a_preciser"])
        if porteurs and rng.random() < 0.2:
            values["lead_id"] = rng.choice(porteurs).id
        return values

    def test_random_intakes(self):
        rng = random.Random(SEED)
        # as in the agent's browser: their language in the context
        Intake = self.env["jecree.call.intake"].with_user(self.agent)
        Intake = Intake.with_context(lang=self.agent.lang)
        Call = self.env["crm.phonecall"]
        saved = refused = 0
        porteurs = list(self.porteurs()[:20])
        for case in range(CASES):
            values = self.random_values(rng, porteurs)
            calls_before = Call.search_count([])
            # no savepoint around the save: a refused intake must leave the
            # porteurs, calls and activities as they were by itself
            before = self.table_states()
            try:
                Intake.create(values).action_save()
            except (UserError, ValidationError) as error:
                refused += 1
                message = str(error.args[0])
                for line in message.split("\n"):
                    self.assertTrue(
                        any(p.match(line) for p in self.patterns),
                        f"case {case} {values!r}: not a French message: {line!r}",
                    )
                self.assertEqual(self.table_states(), before, f"case {case} written")
                continue
            saved += 1
            self.assertEqual(Call.search_count([]), calls_before + 1, f"case {case}")
            call = Call.search([], order="id desc", limit=1)
            self.assertNotIn("<", call.description or "", f"case {case}")
            if call.opportunity_id:
                lead = call.opportunity_id
                self.assertNotIn(call.qualification, NO_PORTEUR_QUALIFICATIONS)
                self.assertGreaterEqual(lead.funding_need, 0)
                self.assertGreaterEqual(lead.jobs_planned, 0)
                if values.get("phone", "").strip():
                    self.assertTrue(lead.phone_sanitized, f"case {case}: {lead.phone}")
                if lead not in porteurs:
                    porteurs.append(lead)
        _logger.info(
            "intake fuzz: %s cases, %s saved, %s refused", CASES, saved, refused
        )
        # both branches really ran
        self.assertGreater(saved, CASES // 10)
        self.assertGreater(refused, CASES // 10)
