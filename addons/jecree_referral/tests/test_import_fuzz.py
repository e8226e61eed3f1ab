# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import csv
import io
import logging
import random
import re
import time
from collections import Counter
from contextlib import closing
from functools import cache

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL
from odoo.tools.misc import file_path

from odoo.addons.jecree_project.tests.common import fuzz_cases

from ..wizards.jecree_directory_import import COLUMNS, KINDS
from .common import REFUSED, SEED, TEXTS, JecreeFuzzMixin, JecreeReferralMixin

_logger = logging.getLogger(__name__)

CASES = fuzz_cases()
REQUIRED = ["kind", "ref", "name"]
ENCODINGS = ["utf-8"] * 14 + ["utf-8-sig"] * 3 + ["latin-1", "cp1252", "utf-16"]
SEPARATORS = [","] * 12 + [";"] * 6 + ["\t", "|"]
NEWLINES = ["\n"] * 5 + ["\r\n"] * 4 + ["\r"]
BAD_VALUES = {
    "kind": ["club", "", "Structure", "<b>", "antenne"],
    "type_code": ["chambre_inconnue", "", "CMA", "'; --"],
    "zip": ["5900", "abcde", "6" * 300],
    "city_insee": ["99999", "62 012", "x" * 300],
    "phone": ["☎", "0" * 400],
    "email": ["pas-un-email", "a@", "<script>@x.fr", "é" * 300 + "@x.fr"],
    "capacity": ["-3", "²", "1e3", "3.5", "9" * 30, "100001", " 12 "],
    "keeps_calendar": ["oui", "non", "2"],
    "services": ["inconnu", "information|?"],
    "sectors": ["agriculture"],
    "project_kinds": ["transmission"],
    "communes": ["99999", "62012|00000"],
    "epcis": ["123"],
    "arrondissements": ["999"],
    "departments": ["999", "2A|XX"],
}


@tagged("post_install", "-at_install", "jecree_fuzz")
class TestDirectoryImportFuzz(JecreeFuzzMixin, JecreeReferralMixin, TransactionCase):
    """1,000 seeded CSV files imported by a manager in French: 0 to 8 rows of
    structures, antennas and advisers, new or updating the directory, with bad
    values in any column (unknown kinds, codes, communes, parents, emails,
    capacities like "²" or 30 digits, cells of 300 to 5,000 characters, HTML, SQL,
    emoji), doubled rows and references, columns missing, extra, doubled or
    shuffled, separators "," ";" tab "|", UTF-8 with or without BOM, Latin-1,
    UTF-16, CRLF or CR line ends, an empty file, a header alone, a NUL byte,
    a cell over the csv module's limit, an unclosed quote.

    Each file is imported whole or refused whole: a refused file leaves the
    partners (count and content) and the coverage as they were, and its message
    is French down to each row's reasons; an imported file has every row's
    reference with its name. Each case is rolled back: the files do not depend
    on one another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_directory()
        cls.setup_french(cls.manager)
        env = cls.env
        for partner, ref in (
            (cls.cma, "S-CMA"),
            (cls.cma_arras, "A-CMA"),
            (cls.adviser_cma, "C-CMA"),
            (cls.bge, "S-BGE"),
            (cls.bge_campagnes, "A-BGE"),
        ):
            partner.jecree_ref = ref
        cls.existing = {"structure": ["S-CMA", "S-BGE"], "antenna": ["A-CMA", "A-BGE"]}
        cls.existing["adviser"] = ["C-CMA"]

        def codes(model, field="code"):
            return env[model].search([], limit=6).mapped(field)

        cls.good = {
            "type_code": codes("jecree.structure.type"),
            "services": codes("jecree.need"),
            "sectors": codes("jecree.sector"),
            "project_kinds": codes("jecree.project.kind"),
            "communes": (cls.village | cls.arras | cls.lille).mapped("insee_code"),
            "epcis": [cls.village.epci_id.code],
            "arrondissements": [cls.village.arrondissement_id.code],
            "departments": ["59", "62"],
        }
        po = polib.pofile(file_path("jecree_referral/i18n/fr.po"))
        row = next(e for e in po if e.msgid == "Row %(row)s (%(ref)s): %(reason)s")
        head = row.msgstr.partition("%(reason)s")[0]
        cls.row_head = re.compile(cls.wildcards(head) + "$")
        cls.row_head_end = head.rpartition(")s")[2]
        reasons = [
            e
            for e in po
            # the reasons of a row, lowercase (not the file's messages)
            if "jecree_directory_import" in str(e.occurrences)
            and (e.msgid[:1].islower() or e.msgid.startswith("%("))
        ]
        cls.reasons = [
            (re.compile(cls.wildcards(e.msgstr) + "$", re.S), e.msgid) for e in reasons
        ]
        # the English words of the reasons (not the column names they quote)
        cls.english = {
            part.strip()
            for e in reasons
            for part in re.split(r"%\([a-z_]+\)[srd]", e.msgid)
            if len(part.strip()) >= 8
            and part.strip() not in COLUMNS
            and part.strip() not in e.msgstr
        }

    @staticmethod
    def wildcards(text):
        return "^" + re.sub(r"%\\\([a-z_]+\\\)[srd]", ".*", re.escape(text))

    def setUp(self):
        super().setUp()
        self.reasons_seen = Counter()

    # the directory a refused file must leave as it was
    def record_counts(self):
        counts = super().record_counts()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT md5(string_agg(concat_ws('|', id, name, jecree_ref,
                              parent_id, email, phone, jecree_capacity, active,
                              jecree_is_antenna, jecree_is_adviser,
                              jecree_structure_type_id), ',' ORDER BY id)),
                          (SELECT count(*) FROM jecree_coverage)
                     FROM res_partner"""
            )
        )
        counts["partners"], counts["coverage"] = self.env.cr.fetchone()
        return counts

    # French down to each reason
    def french_reasons(self, text):
        """The msgids of `text` if it is French reasons joined by "; ", else None
        (a value may hold "; " too: every way to cut it is tried, finest first)."""

        def reason(part):
            return next((m for regex, m in self.reasons if regex.match(part)), None)

        @cache
        def splits(start):
            rest = text[start:]
            cut = rest.find("; ")
            while cut != -1:
                if (msgid := reason(rest[:cut])) and (
                    others := splits(start + cut + 2)
                ):
                    return (msgid, *others)
                cut = rest.find("; ", cut + 1)
            msgid = reason(rest)
            return (msgid,) if msgid else None

        return splits(0)

    def assert_refusal(self, message, case):
        msgid = self.assert_french(message, case)
        if msgid.startswith("Nothing was imported"):
            for line in message.split("\n")[1:]:
                ends = [
                    m.end()
                    for m in re.finditer(re.escape(self.row_head_end), line)
                    if self.row_head.match(line[: m.end()])
                ]
                reasons = next(
                    filter(None, (self.french_reasons(line[end:]) for end in ends)),
                    None,
                )
                self.assertTrue(reasons, f"case {case}: not French reasons: {line!r}")
                # no English reason hides in a French one's value
                for fragment in self.english:
                    self.assertNotIn(fragment, line, f"case {case}")
                self.reasons_seen.update(reasons)
        return msgid

    # random files
    def value(self, rng, column, kind, badness, refs):
        """A cell: good, else bad with the file's probability."""
        if rng.random() < badness:
            return rng.choice(BAD_VALUES.get(column, []) + TEXTS)
        if column == "kind":
            return kind
        if column == "parent_ref":
            if kind == "antenna":
                return rng.choice(refs["structure"] or [""])
            if kind == "adviser":
                return rng.choice(refs["antenna"] + refs["structure"] or [""])
            return ""
        if column == "name":
            return f"Nom {rng.randint(1, 999)} {rng.choice(TEXTS[:8])}"
        if column == "type_code":
            return rng.choice(self.good["type_code"]) if kind == "structure" else ""
        if column in self.good and kind != "adviser" and rng.random() < 0.5:
            codes = self.good[column]
            return "|".join(rng.sample(codes, rng.randint(1, min(3, len(codes)))))
        return {
            "street": "1 rue des Tests",
            "zip": "62000",
            "city_insee": rng.choice(["", "62012"]),
            "phone": "+33 3 21 00 00 00",
            "email": rng.choice(["", "contact@example.com"]),
            "capacity": rng.choice(["", "0", "5", "100000"]),
            "keeps_calendar": rng.choice(["", "1", "0", "false"]),
        }.get(column, "")

    def random_rows(self, rng):
        badness = rng.choice([0, 0, 0, 0.02, 0.1, 0.3])
        refs = {kind: list(self.existing[kind]) for kind in KINDS}
        rows = []
        for number in range(rng.randint(0, 8)):
            kind = rng.choice(KINDS)
            roll = rng.random()
            if roll < 0.8:
                ref = f"F{number}"
            elif roll < 0.9:
                # mostly a row of its kind, else one that would change it
                ref = rng.choice(
                    self.existing[kind] * 3 + sum(self.existing.values(), [])
                )
            else:
                ref = rng.choice([r["ref"] for r in rows] + [""] + TEXTS)
            row = {
                column: self.value(rng, column, kind, badness, refs)
                for column in COLUMNS
            }
            row["ref"] = ref
            refs[kind].append(ref)
            rows.append(row)
            if rng.random() < 0.03:
                rows.append(dict(row))
        return rows

    def random_file(self, rng):
        """(bytes of the file, its rows as written)."""
        rows = self.random_rows(rng)
        columns = list(COLUMNS)
        roll = rng.random()
        if roll < 0.05:
            columns.remove(rng.choice(REQUIRED))
        elif roll < 0.1:
            columns = [c for c in columns if c in REQUIRED or rng.random() < 0.5]
        elif roll < 0.15:
            rng.shuffle(columns)
        elif roll < 0.2:
            columns += rng.choice([["foo"], ["name"], ["KIND"]])
        buffer = io.StringIO()
        writer = csv.writer(
            buffer,
            delimiter=rng.choice(SEPARATORS),
            lineterminator=rng.choice(NEWLINES),
        )
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
        text = buffer.getvalue()
        roll = rng.random()
        if roll < 0.03:
            at = rng.randint(0, len(text))
            text = text[:at] + "\x00" + text[at:]
        elif roll < 0.06:
            text += '"' + "x" * 140000 + '"\n'
        elif roll < 0.09:
            text += 'structure,"F99,Sans fin\n'
        elif roll < 0.11:
            text = ""
        data = text.encode(rng.choice(ENCODINGS), errors="replace")
        if rng.random() < 0.02:
            data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
        return data, rows

    def assert_imported(self, case, wizard, rows):
        created, updated = (int(n) for n in re.findall(r"\d+", wizard.result))
        self.assert_french(wizard.result, case)
        self.assertEqual(created + updated, len(rows), f"case {case}")
        partners = self.env["res.partner"].with_context(active_test=False)
        for row in rows:
            partner = partners.search([("jecree_ref", "=", row["ref"].strip())])
            self.assertEqual(partner.name, row["name"].strip(), f"case {case}")

    def test_random_files(self):
        rng = random.Random(SEED)
        started = time.perf_counter()
        Import = self.env["jecree.directory.import"].with_user(self.manager)
        Import = Import.with_context(lang="fr_FR")
        imported = 0
        for case in range(CASES):
            data, rows = self.random_file(rng)
            with closing(self.env.cr.savepoint()):
                wizard = Import.create(
                    {"file": base64.b64encode(data), "filename": "annuaire.csv"}
                )
                if self.attempt(case, wizard.action_import) is REFUSED:
                    continue
                imported += 1
                self.assert_imported(case, wizard, rows)
        seconds = time.perf_counter() - started
        refused = sum(self.refusals.values())
        self.log_summary(
            "directory import", CASES, seconds, imported=imported, refused=refused
        )
        _logger.info(
            "directory import fuzz: rows rejected for: %s",
            ", ".join(f"{n} «{m[:40]}»" for m, n in self.reasons_seen.most_common()),
        )
        self.assertGreater(imported, CASES // 10)
        self.assertGreater(refused, CASES // 10)
