# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import random
import string
from collections import Counter

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import SQL

from odoo.addons.jecree_project.tests.common import french_messages

_logger = logging.getLogger(__name__)

#: the seed of the fuzz tests: a failing case is replayed by its number
SEED = 20261130
#: what `JecreeFuzzMixin.attempt` returns for a refused step
REFUSED = object()


def random_text(rng, length):
    """Text that PostgreSQL cannot compress: indexes refuse it when long."""
    alphabet = string.ascii_letters + string.digits + "éèàçœ🙂€ "
    return "".join(rng.choice(alphabet) for _ in range(length))


#: what people (and scripts) type in a text box
TEXTS = [
    "Zoé",
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "'; DROP TABLE jecree_referral; --",
    '" OR 1=1 --',
    "🙂🚀 Émoji",
    "O'Brien & fils",
    "Jean\nDupont",
    "  ",
    "",
    "x" * 5000,
    "%s %(name)s {0}",
    "\u202etxt.exe",
    random_text(random.Random(SEED), 3000),
]


class JecreeReferralMixin:
    """A small directory around Agnières (62012), a village of the Campagnes de
    l'Artois (arrondissement of Arras): two CMA antennas, a CCI, two BGE antennas
    (EPCI and department), a creation-only network; and the least-privileged
    users: an agent, a manager and one portal adviser in each of two structures."""

    @classmethod
    def setup_directory(cls):
        env = cls.env
        ref = env.ref
        cls.agent = new_test_user(
            env,
            login="jr_agent",
            name="Agent Test",
            groups="jecree_project.group_jecree_agent",
        )
        cls.manager = new_test_user(
            env,
            login="jr_manager",
            name="Manager Test",
            groups="jecree_project.group_jecree_manager",
        )
        cls.village = ref("jecree_project.res_city_fr_62012")
        cls.arras = ref("jecree_project.res_city_fr_62041")
        cls.lille = ref("jecree_project.res_city_fr_59350")
        cls.need = {
            code: ref(f"jecree_project.jecree_need_{code}")
            for code in ("information", "financement", "formation", "hebergement")
        }
        cls.sector = {
            code: ref(f"jecree_referral.jecree_sector_{code}")
            for code in ("commerce", "services", "artisanat", "industrie")
        }
        cls.calendar = env["resource.calendar"].create(
            {
                "name": "Antenna hours",
                # the call center's zone (its calendar's), as an antenna's is
                "tz": env.company._jecree_tz().zone,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hours[0],
                            "hour_to": hours[1],
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, hours in (("morning", (9, 12)), ("afternoon", (14, 17)))
                ],
            }
        )
        Partner = env["res.partner"]
        stype = "jecree_referral.jecree_structure_type_"
        pas_de_calais = ref("l10n_fr_department.res_country_department_pasdecalais")
        arr_arras = ref("jecree_project.jecree_arrondissement_621")
        cls.cma = Partner.create(
            {
                "name": "CMA Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}cma").id,
                "jecree_sector_ids": [
                    Command.set([cls.sector["artisanat"].id, cls.sector["services"].id])
                ],
                "jecree_service_ids": [
                    Command.set(
                        [cls.need["information"].id, cls.need["financement"].id]
                    )
                ],
                "jecree_department_ids": [Command.set(pas_de_calais.ids)],
                "jecree_calendar_id": cls.calendar.id,
                "email": "cma@example.com",
            }
        )
        cls.cma_arras, cls.cma_bapaume = Partner.create(
            [
                {
                    "name": name,
                    "type": "other",
                    "parent_id": cls.cma.id,
                    "jecree_is_antenna": True,
                    "jecree_capacity": 2,
                    "street": street,
                    "city": city,
                    "zip": "62000",
                    "phone": "+33 3 21 00 00 00",
                    "jecree_arrondissement_ids": [Command.set(arr_arras.ids)],
                }
                for name, street, city in (
                    ("CMA – Arras", "1 rue des Artisans", "Arras"),
                    ("CMA – Bapaume", "2 rue des Métiers", "Bapaume"),
                )
            ]
        )
        cls.cci = Partner.create(
            {
                "name": "CCI Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}cci").id,
                "jecree_service_ids": [Command.set(cls.need["information"].ids)],
                "jecree_calendar_id": cls.calendar.id,
                "email": "cci@example.com",
            }
        )
        cls.cci_arras = Partner.create(
            {
                "name": "CCI – Arras",
                "type": "other",
                "parent_id": cls.cci.id,
                "jecree_is_antenna": True,
                "jecree_arrondissement_ids": [Command.set(arr_arras.ids)],
            }
        )
        cls.bge = Partner.create(
            {
                "name": "BGE Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}bge").id,
                "jecree_service_ids": [Command.set(cls.need["formation"].ids)],
                "jecree_department_ids": [Command.set(pas_de_calais.ids)],
                "jecree_keeps_calendar": False,
                "email": "bge@example.com",
            }
        )
        cls.bge_campagnes, cls.bge_62 = Partner.create(
            [
                {
                    "name": "BGE – Campagnes de l'Artois",
                    "type": "other",
                    "parent_id": cls.bge.id,
                    "jecree_is_antenna": True,
                    "jecree_epci_ids": [Command.set(cls.village.epci_id.ids)],
                },
                {
                    "name": "BGE – Pas-de-Calais",
                    "type": "other",
                    "parent_id": cls.bge.id,
                    "jecree_is_antenna": True,
                },
            ]
        )
        cls.adie = Partner.create(
            {
                "name": "ADIE Test",
                "is_company": True,
                "jecree_structure_type_id": ref(f"{stype}adie").id,
                "jecree_project_kind_ids": [
                    Command.set(ref("jecree_referral.jecree_project_kind_creation").ids)
                ],
                "jecree_city_ids": [Command.set(cls.village.ids)],
                "child_ids": [
                    Command.create(
                        {
                            "name": "ADIE – Agnières",
                            "type": "other",
                            "jecree_is_antenna": True,
                        }
                    )
                ],
            }
        )
        cls.adie_antenna = cls.adie.child_ids
        # advisers, two of them portal users
        cls.adviser_cma, cls.adviser_bge = Partner.create(
            [
                {
                    "name": "Conseillère CMA",
                    "parent_id": cls.cma_arras.id,
                    "jecree_is_adviser": True,
                    "email": "conseillere.cma@example.com",
                },
                {
                    "name": "Conseiller BGE",
                    "parent_id": cls.bge_campagnes.id,
                    "jecree_is_adviser": True,
                    "email": "conseiller.bge@example.com",
                },
            ]
        )
        cls.portal_cma = new_test_user(
            env,
            login="jr_portal_cma",
            password="jr_portal_cma",
            name="Conseillère CMA",
            email="conseillere.cma@example.com",
            groups="base.group_portal",
            partner_id=cls.adviser_cma.id,
        )
        cls.portal_bge = new_test_user(
            env,
            login="jr_portal_bge",
            password="jr_portal_bge",
            name="Conseiller BGE",
            email="conseiller.bge@example.com",
            groups="base.group_portal",
            partner_id=cls.adviser_bge.id,
        )

    @classmethod
    def make_porteur(cls, name="Porteur Test", **values):
        vals = {
            "name": f"Projet de {name}",
            "contact_name": name,
            "is_porteur": True,
            "type": "lead",
            "commune_id": cls.village.id,
            "sector": "artisanat",
            "project_kind": "creation",
            "phone": "+33 6 12 34 56 78",
            "email_from": "porteur@example.com",
            "need_ids": [
                Command.set([cls.need["information"].id, cls.need["financement"].id])
            ],
        }
        vals.update(values)
        return cls.env["crm.lead"].create(vals)

    @classmethod
    def make_referral(cls, lead, antenna, **values):
        vals = {
            "lead_id": lead.id,
            "structure_id": antenna.jecree_structure_id.id,
            "antenna_id": antenna.id,
        }
        vals.update(values)
        return cls.env["jecree.referral"].create(vals)


class JecreeFuzzMixin:
    """What the seeded fuzz tests share: refusals in French, counted by message,
    and the records a refused step must not leave behind."""

    #: the records a refused step must not create
    COUNTED = (
        "jecree.referral",
        "calendar.event",
        "mail.mail",
        "res.partner",
        "crm.lead",
        "ir.attachment",
    )

    @classmethod
    def setup_french(cls, *users):
        """Users in French, and the addon's French messages, most specific first
        (a message is counted under the first one it matches)."""
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search(
            [("name", "=", "jecree_referral")]
        )._update_translations("fr_FR")
        for user in users:
            user.lang = "fr_FR"
        cls.french = sorted(
            french_messages("jecree_referral"), key=lambda m: -len(m[0].pattern)
        )

    def setUp(self):
        super().setUp()
        #: refusals by msgid
        self.refusals = Counter()

    def french_msgid(self, text):
        """The msgid of the French message `text`, None if it is not one."""
        return next((msgid for regex, msgid in self.french if regex.match(text)), None)

    def assert_french(self, message, case):
        msgid = self.french_msgid(message)
        self.assertTrue(msgid, f"case {case}: not a French message: {message!r}")
        return msgid

    def record_counts(self):
        """The rows of COUNTED, archived ones too, in one query."""
        counts = SQL(", ").join(
            SQL("(SELECT count(*) FROM %s)", SQL.identifier(self.env[model]._table))
            for model in self.COUNTED
        )
        self.env.cr.execute(SQL("SELECT %s", counts))
        return dict(zip(self.COUNTED, self.env.cr.fetchone(), strict=True))

    def attempt(self, case, func, *args):
        """Call `func`: its result when it went through; REFUSED when it was
        refused, with a French message and without a record left behind (counted
        before the step's savepoint is rolled back). Anything else fails the test."""
        before = self.record_counts()
        try:
            with self.env.cr.savepoint():
                try:
                    return func(*args)
                except (UserError, ValidationError) as error:
                    self.assertEqual(
                        self.record_counts(),
                        before,
                        f"case {case}: records left by a refusal: {error}",
                    )
                    raise
        except (UserError, ValidationError) as error:
            self.refusals[self.assert_refusal(str(error.args[0]), case)] += 1
            return REFUSED

    def assert_refusal(self, message, case):
        """The msgid of a refusal's message, which must be French."""
        return self.assert_french(message, case)

    def log_summary(self, name, cases, seconds, **figures):
        """One line with the figures of the fuzz, the refusals by message."""
        kinds = ", ".join(
            f"{count} «{msgid[:50]}»" for msgid, count in self.refusals.most_common()
        )
        _logger.info(
            "%s fuzz: %s cases in %.1f s, %s; refused: %s",
            name,
            cases,
            seconds,
            ", ".join(f"{count} {what}" for what, count in figures.items()),
            kinds or "none",
        )
