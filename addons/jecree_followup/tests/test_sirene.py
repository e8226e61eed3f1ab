# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.generate_sirene import (
    ESTABLISHMENT_HEADER,
    UNIT_HEADER,
    company,
    establishment,
    sole_trader,
    write_csv,
)
from .common import JecreeFollowupCase

ARRAS = "62041"
LILLE = "59350"
PARIS = "75056"
FIRST_CALL = datetime(2026, 1, 10, 9, 0)


def csv_file(header, rows):
    text = io.StringIO()
    write_csv(text, header, rows)
    return io.BytesIO(text.getvalue().encode())


@tagged("post_install", "-at_install")
class TestSirene(JecreeFollowupCase):
    """Businesses actually created: a generated SIRENE sample in INSEE's column
    layout, imported and matched against the porteurs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Establishment = cls.env["jecree.sirene.establishment"].with_user(
            cls.manager
        )
        cls.Match = cls.env["jecree.sirene.match"].with_user(cls.manager)
        cls.establishments = [
            # Marie Dupont, sole trader in Arras, a shop: exactly hers
            establishment("11111111100011", ARRAS, date(2026, 3, 1), naf="47.71Z"),
            # Jean Martin, two homonyms: in Lille (his) and in Arras
            establishment("22222222200011", LILLE, date(2026, 2, 1), naf="69.20Z"),
            establishment("33333333300011", ARRAS, date(2026, 2, 1), naf="69.20Z"),
            # Paul Bernard: two businesses in Arras, as likely: ambiguous
            establishment("44444444400011", ARRAS, date(2026, 4, 1), naf="43.21A"),
            establishment("44444444500011", ARRAS, date(2026, 4, 2), naf="43.22A"),
            # Sophie Petit: one before her first call, one far and late, other trade
            establishment("55555555500011", ARRAS, date(2025, 6, 1), naf="47.11B"),
            establishment("55555555600011", LILLE, date(2027, 6, 1), naf="86.21Z"),
            # a company whose name is the porteur's project
            establishment("66666666600011", ARRAS, date(2026, 5, 1), naf="10.71C"),
            # Luc Moreau opted out of diffusion: counted, never matched
            establishment("77777777700011", ARRAS, date(2026, 3, 1), diffusible=False),
            # outside the departments (Paris): skipped
            establishment("88888888800011", PARIS, date(2026, 3, 1)),
        ]
        cls.units = [
            sole_trader("111111111", "MARIE", "DUPONT", date(2026, 3, 1)),
            sole_trader("222222222", "JEAN", "MARTIN", date(2026, 2, 1)),
            sole_trader("333333333", "JEAN", "MARTIN", date(2026, 2, 1)),
            sole_trader("444444444", "PAUL", "BERNARD", date(2026, 4, 1)),
            sole_trader("444444445", "PAUL", "BERNARD", date(2026, 4, 2)),
            sole_trader("555555555", "SOPHIE", "PETIT", date(2025, 6, 1)),
            sole_trader("555555556", "SOPHIE", "PETIT", date(2027, 6, 1)),
            company("666666666", "SARL BOULANGERIE DU BEFFROI", date(2026, 5, 1)),
            sole_trader(
                "777777777", "LUC", "MOREAU", date(2026, 3, 1), diffusible=False
            ),
            sole_trader("888888888", "ANNE", "PARIS", date(2026, 3, 1)),
            # a unit none of whose establishments is in the departments
            company("999999999", "AILLEURS SA", date(2026, 3, 1)),
        ]
        porteurs = {
            "marie": (
                "Marie Dupont",
                {"commune_id": cls.arras.id, "sector": "commerce"},
            ),
            "jean": ("Jean MARTIN", {"commune_id": cls.lille.id, "sector": "services"}),
            "paul": (
                "Bernard Paul",
                {"commune_id": cls.arras.id, "sector": "artisanat"},
            ),
            "sophie": (
                "Sophie Petit",
                {"commune_id": cls.arras.id, "sector": "commerce"},
            ),
            "baker": (
                "Claire Vasseur",
                {
                    "commune_id": cls.arras.id,
                    "sector": "artisanat",
                    "partner_name": "Boulangerie du Beffroi",
                },
            ),
            "luc": ("Luc Moreau", {"commune_id": cls.arras.id, "sector": "commerce"}),
        }
        cls.leads = {}
        for key, (name, values) in porteurs.items():
            lead = cls.new_porteur(cls, name, **values)
            cls.log_call(cls, lead, FIRST_CALL)
            cls.leads[key] = lead

    def import_sample(self):
        est = self.Establishment._jecree_import_file(
            csv_file(ESTABLISHMENT_HEADER, self.establishments)
        )
        unit = self.Establishment._jecree_import_file(csv_file(UNIT_HEADER, self.units))
        return est, unit

    def matches(self, key):
        return self.Match.search([("lead_id", "=", self.leads[key].id)])

    def table_rows(self, table):
        self.env.flush_all()
        self.env.cr.execute(
            # ctid: where the row's version lies; an UPDATE writes a new version
            f"SELECT count(*), md5(string_agg(ctid::text, ',' ORDER BY id)) "  # noqa: S608
            f"FROM {table}"
        )
        return self.env.cr.fetchone()

    # ------------------------------------------------------------------ import
    def test_import_counts_and_skips_outside(self):
        est, unit = self.import_sample()
        self.assertEqual(
            (est["read"], est["inserted"], est["updated"], est["skipped"]),
            (10, 9, 0, 1),
        )
        self.assertEqual((unit["read"], unit["inserted"], unit["skipped"]), (11, 9, 2))
        found = self.Establishment.search([])
        self.assertNotIn("88888888800011", found.mapped("siret"))
        marie = found.filtered(lambda e: e.siret == "11111111100011")
        self.assertEqual(marie.commune_id, self.arras)
        self.assertEqual(marie.naf_section, "G")
        self.assertEqual(marie.unit_id.last_name, "DUPONT")
        opted_out = found.filtered(lambda e: e.siret == "77777777700011")
        self.assertFalse(opted_out.diffusible)
        self.assertFalse(opted_out.unit_id.last_name, "no name kept for [ND]")

    def test_reimport_changes_nothing(self):
        self.import_sample()
        before = (
            self.table_rows("jecree_sirene_establishment"),
            self.table_rows("jecree_sirene_unit"),
        )
        est, unit = self.import_sample()
        self.assertEqual((est["inserted"], est["updated"], est["unchanged"]), (0, 0, 9))
        self.assertEqual((unit["inserted"], unit["updated"]), (0, 0))
        after = (
            self.table_rows("jecree_sirene_establishment"),
            self.table_rows("jecree_sirene_unit"),
        )
        self.assertEqual(before, after, "a re-import wrote rows")

    def test_daily_update_changes_one_row(self):
        self.import_sample()
        changed = establishment(
            "11111111100011",
            ARRAS,
            date(2026, 3, 1),
            naf="47.71Z",
            enseigne1Etablissement="CHEZ MARIE",
        )
        counts = self.Establishment._jecree_import_file(
            csv_file(ESTABLISHMENT_HEADER, [changed])
        )
        self.assertEqual((counts["inserted"], counts["updated"]), (0, 1))
        self.assertEqual(
            self.Establishment.search([("siret", "=", "11111111100011")]).trade_name,
            "CHEZ MARIE",
        )

    def test_bad_files(self):
        cases = {
            "empty": b"",
            "no SIRENE header": b"a,b,c\n1,2,3\n",
            "columns missing": b"siret,siren\n11111111100011,111111111\n",
            "not UTF-8": ",".join(ESTABLISHMENT_HEADER).encode() + b"\n\xff\xfe\x00",
        }
        for label, content in cases.items():
            with self.subTest(label):
                before = self.table_rows("jecree_sirene_establishment")
                with self.assertRaises(UserError):
                    self.Establishment._jecree_import_file(io.BytesIO(content))
                self.assertEqual(self.table_rows("jecree_sirene_establishment"), before)

    def test_departments_required(self):
        self.env.company.jecree_sirene_department_ids = False
        self.env["res.city"].search([]).write({"insee_code": False})
        with self.assertRaisesRegex(UserError, "departments"):
            self.import_sample()

    def test_only_managers_import(self):
        with self.assertRaises(UserError):
            self.Establishment.with_user(self.agent)._jecree_import_file(
                csv_file(ESTABLISHMENT_HEADER, self.establishments)
            )
        with self.assertRaises(AccessError):
            self.env["jecree.sirene.establishment"].with_user(self.agent).search([])

    def test_long_name_fits_its_index(self):
        lead = self.new_porteur("Dupont " * 1000)
        lead.partner_name = "Boulangerie " + "x" * 5000
        self.env.flush_all()
        self.assertEqual(lead.jecree_person_key, "dupont")
        self.assertEqual(len(lead.jecree_project_key), 200)

    # ------------------------------------------------------------------ matching
    def test_exact_match(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        match = self.matches("marie")
        self.assertEqual(match.siret, "11111111100011")
        self.assertEqual(match.score, 100)
        self.assertFalse(match.ambiguous)
        self.assertIn("Arras", match.reasons)

    def test_homonyms_in_two_communes(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        matches = self.matches("jean").sorted("score", reverse=True)
        self.assertEqual(matches.mapped("siret"), ["22222222200011", "33333333300011"])
        self.assertGreater(matches[0].score, matches[1].score)
        self.assertFalse(any(matches.mapped("ambiguous")))

    def test_ambiguous(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        matches = self.matches("paul")
        self.assertEqual(len(matches), 2)
        self.assertTrue(all(matches.mapped("ambiguous")))

    def test_wrong_matches_not_proposed(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        # one created before the first call, the other elsewhere, late, another trade
        self.assertFalse(self.matches("sophie"))

    def test_company_name_matches_project(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        self.assertEqual(self.matches("baker").siret, "66666666600011")

    def test_opted_out_counted_not_matched(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        self.assertFalse(self.matches("luc"))
        self.assertEqual(
            self.Establishment.search_count([("diffusible", "=", False)]), 1
        )

    def test_confirm_sets_started(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        jean = self.leads["jean"]
        best, other = self.matches("jean").sorted("score", reverse=True)
        best.action_confirm()
        self.assertEqual(
            (jean.jecree_siret, jean.jecree_creation_date, jean.maturity),
            ("22222222200011", date(2026, 2, 1), "demarre"),
        )
        self.assertEqual(jean.started_date, date(2026, 2, 1))
        self.assertEqual(jean.jecree_created, "yes")
        self.assertEqual(other.state, "rejected")
        self.assertEqual(best.decided_by_id, self.manager)
        with self.assertRaises(UserError):
            best.action_confirm()
        figures = self.env.company._jecree_objective_figures(
            date(2026, 1, 1), date(2027, 1, 1)
        )
        self.assertEqual((figures["started"], figures["created"]), (1, 1))
        # a porteur with a confirmed business is not proposed others again
        self.assertEqual(self.Match._jecree_find_matches(self.leads["jean"]), 0)

    def test_rejected_not_proposed_again(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        self.matches("marie").action_reject()
        self.assertEqual(self.Match._jecree_find_matches(self.leads["marie"]), 0)
        self.assertEqual(self.matches("marie").state, "rejected")

    def test_agents_do_not_confirm(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        match = self.matches("marie")
        with self.assertRaises(AccessError):
            match.with_user(self.agent).read(["score"])
        with self.assertRaises(AccessError):
            match.with_user(self.agent).action_confirm()
        self.assertEqual(match.state, "proposed")
        self.assertFalse(self.leads["marie"].jecree_siret)

    def test_created_in_calls_analysis(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        self.matches("marie").action_confirm()
        self.leads["sophie"].maturity = "abandonne"
        groups = dict(
            self.env["jecree.call.report"]
            .with_user(self.manager)
            ._read_group(
                [("lead_id", "in", [lead.id for lead in self.leads.values()])],
                ["created"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {"yes": 1, "no": 1, "unknown": 4})

    def test_erasure_removes_the_match(self):
        self.import_sample()
        self.Match._jecree_find_matches()
        self.matches("marie").action_confirm()
        marie = self.leads["marie"]
        marie.sudo()._jecree_erase_personal_data()
        self.assertFalse(marie.jecree_siret)
        self.assertFalse(self.Match.sudo().search([("lead_id", "=", marie.id)]))
        self.assertEqual(marie.jecree_created, "yes", "the creation stays counted")
