# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""INSEE's open SIRENE files: their columns, and the keys our matching compares.

The files are INSEE's stock files (StockEtablissement, StockUniteLegale) or their
daily updates, in the published column layout; only the columns below are read.
"""

import re

from unidecode import unidecode

#: the establishment file's columns that we read (StockEtablissement)
ESTABLISHMENT_COLUMNS = (
    "siren",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "codeCommuneEtablissement",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
)
#: the legal unit file's columns that we read (StockUniteLegale)
UNIT_COLUMNS = (
    "siren",
    "statutDiffusionUniteLegale",
    "dateCreationUniteLegale",
    "prenom1UniteLegale",
    "prenomUsuelUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
)
#: categorieJuridiqueUniteLegale of a sole trader (entrepreneur individuel)
SOLE_TRADER = "1000"
#: statutDiffusion… of an entry that may be published; "P" (partial) and "N" are not
DIFFUSIBLE = "O"

#: NAF rev. 2 divisions (two first digits) -> section letter
NAF_SECTIONS = (
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
)
#: the NAF sections that fit each sector of a porteur (jecree_project SECTORS)
SECTOR_SECTIONS = {
    "commerce": frozenset("GI"),
    "services": frozenset("HIJKLMNPQRS"),
    "artisanat": frozenset("CFS"),
    "industrie": frozenset("BCDE"),
}
#: trancheEffectifs… code -> lowest number of employees of the bracket
EMPLOYEE_BRACKETS = {
    "00": 0,
    "01": 1,
    "02": 3,
    "03": 6,
    "11": 10,
    "12": 20,
    "21": 50,
    "22": 100,
    "31": 200,
    "32": 250,
    "41": 500,
    "42": 1000,
    "51": 2000,
    "52": 5000,
    "53": 10000,
}

#: the longest key kept (PostgreSQL's btree takes about 2,700 bytes a row)
KEY_SIZE = 200
_NON_WORD = re.compile(r"[^a-z0-9]+")
#: words that say nothing about who a business is (legal forms, articles)
_STOP_WORDS = frozenset(
    "sarl sas sasu eurl sa sci snc earl ei eirl scop the le la les l de du des d et"
    " and".split()
)


_SECTION_OF_DIVISION = {
    f"{division:02d}": section
    for low, high, section in NAF_SECTIONS
    for division in range(low, high + 1)
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def naf_section(code):
    """The NAF section letter of an activity code such as "47.11B" (or "4711B")."""
    return _SECTION_OF_DIVISION.get((code or "")[:2], False)


def name_key(*parts):
    """A comparable key of a name: lower case, no accents or punctuation, legal
    forms dropped, words sorted (so "Dupont Marie" and "Marie DUPONT" meet).
    False when nothing is left."""
    words = set()
    for part in parts:
        if not part or part == "[ND]":
            continue
        words.update(_NON_WORD.split(unidecode(str(part)).lower()))
    words -= _STOP_WORDS
    words.discard("")
    # a key is compared, never shown: a name typed at length still fits its index
    return " ".join(sorted(words))[:KEY_SIZE] or False


def sirene_date(value):
    """An ISO date of the files ("2026-03-02"), or False."""
    value = (value or "")[:10]
    return value if _DATE.fullmatch(value) else False


def department_of(commune_code):
    """The department of an INSEE commune code: 2 characters, 3 overseas (97x)."""
    if len(commune_code) != 5:
        return False
    return commune_code[:3] if commune_code[:2] == "97" else commune_code[:2]
