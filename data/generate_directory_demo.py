#!/usr/bin/env python3
"""Generate the demo directory of the support network for ``jecree_referral``.

Reads the territory that ``jecree_project`` loads (communes, EPCI, arrondissements of
Nord and Pas-de-Calais) and writes ``addons/jecree_referral/demo/res_partner_demo.xml``:
structures (companies with a ``jecree_structure_type_id``), their antennas (with their
competence territory), one adviser per antenna and two portal users. Every name ends
with " (démo)"; addresses, phones and emails are fictitious (example.com).

Coverage, so that every commune has a CCI, a CMA and a general network:
- CCI: antennas by arrondissement (plus Roubaix and Tourcoing by commune);
- CMA Hauts-de-France: one antenna per arrondissement;
- BGE Hauts-de-France: one antenna per EPCI;
- Initiative: one platform per arrondissement, competent for its EPCIs;
- Réseau Entreprendre, France Active, chambre d'agriculture, experts-comptables:
  by department; ADIE: by arrondissement;
- pépinières and the economic services of the EPCIs: by EPCI.

Usage:  python3 data/generate_directory_demo.py
"""

import csv
import os
from collections import Counter, defaultdict
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT_DATA = os.path.join(ROOT, "addons", "jecree_project", "data")
OUT = os.path.join(ROOT, "addons", "jecree_referral", "demo", "res_partner_demo.xml")

DEPT = {
    "59": "l10n_fr_department.res_country_department_nord",
    "62": "l10n_fr_department.res_country_department_pasdecalais",
}
NEED = "jecree_project.jecree_need_"
SECTOR = "jecree_sector_"
FIRST_NAMES = [
    "Camille",
    "Julien",
    "Sophie",
    "Karim",
    "Nathalie",
    "Thomas",
    "Aurélie",
    "Mehdi",
    "Isabelle",
    "Pierre",
    "Claire",
    "Yann",
    "Sandrine",
    "Hugo",
    "Amandine",
    "Rachid",
    "Émilie",
    "Vincent",
]
LAST_NAMES = [
    "Lefebvre",
    "Dubois",
    "Delattre",
    "Lemaire",
    "Vandamme",
    "Duhamel",
    "Caron",
    "Lecomte",
    "Boulanger",
    "Desmet",
    "Carpentier",
    "Leroy",
    "Wallart",
    "Hennebelle",
    "Delannoy",
    "Bekaert",
    "Vasseur",
]
STREETS = [
    "rue de la République",
    "place du Général-de-Gaulle",
    "rue Nationale",
    "boulevard Carnot",
    "rue Pasteur",
    "avenue Jean-Jaurès",
    "rue du Marché",
    "place de l'Hôtel-de-Ville",
]
INITIATIVE = {
    "591": "Initiative Avesnois",
    "592": "Initiative Cambrésis",
    "593": "Initiative Douaisis",
    "594": "Initiative Flandre",
    "595": "Initiative Lille Métropole",
    "596": "Initiative Valenciennes",
    "621": "Initiative Arras",
    "622": "Initiative Béthune-Bruay",
    "623": "Initiative Boulogne-sur-Mer Côte d'Opale",
    "624": "Initiative Montreuillois",
    "625": "Initiative Pays de Saint-Omer",
    "626": "Initiative Calaisis",
    "627": "Initiative Lens-Liévin",
}
CCI = {
    "CCI Grand Lille": ["595"],
    "CCI Grand Hainaut": ["591", "592", "593", "596"],
    "CCI Littoral Hauts-de-France": ["594", "623", "624", "625", "626"],
    "CCI Artois": ["621", "622", "627"],
}


def read(name):
    with open(os.path.join(PROJECT_DATA, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def de(name):
    """French elision: "de Lille", "d'Arras"."""
    return f"d'{name}" if name[0].lower() in "aeiouyéèh" else f"de {name}"


def slug(text):
    keep = []
    for char in text.lower():
        if char.isalnum() and char.isascii():
            keep.append(char)
        elif keep and keep[-1] != "_":
            keep.append("_")
    return "".join(keep).strip("_")


class Generator:
    def __init__(self):
        self.cities = read("res.city.csv")
        self.epcis = {row["id"]: row for row in read("jecree.epci.csv")}
        self.arrs = {row["code"]: row for row in read("jecree.arrondissement.csv")}
        self.records = []
        self.counter = 0
        self.by_arr = defaultdict(list)
        self.by_epci = defaultdict(list)
        for city in self.cities:
            city["population"] = int(city["population"] or 0)
            self.by_arr[city["arrondissement_id/id"].rsplit("_", 1)[1]].append(city)
            self.by_epci[city["epci_id/id"]].append(city)
        # the arrondissement holding most of each EPCI's communes
        self.epci_arr = {
            epci: Counter(
                c["arrondissement_id/id"].rsplit("_", 1)[1] for c in cities
            ).most_common(1)[0][0]
            for epci, cities in self.by_epci.items()
        }

    @staticmethod
    def main_city(cities):
        return max(cities, key=lambda c: c["population"])

    def _next(self):
        self.counter += 1
        return self.counter

    def field(self, name, value=None, ref=None, eval_=None):
        if ref:
            return f'<field name="{name}" ref="{ref}" />'
        if eval_:
            return (
                f'<field name="{name}" eval="{escape(eval_, {chr(34): "&quot;"})}" />'
            )
        return f'<field name="{name}">{escape(str(value))}</field>'

    def record(self, xmlid, model, fields):
        body = "\n".join(f"        {f}" for f in fields)
        self.records.append(
            f'    <record id="{xmlid}" model="{model}">\n{body}\n    </record>'
        )

    def address(self, city):
        n = self._next()
        return [
            self.field("street", f"{n % 90 + 1} {STREETS[n % len(STREETS)]}"),
            self.field("zip", city["zipcode"]),
            self.field("city", city["name"]),
            self.field("city_id", ref=f"jecree_project.{city['id']}"),
            self.field("country_id", ref="base.fr"),
            self.field(
                "phone",
                f"+33 3 2{n % 10} {n * 7 % 90 + 10} {n * 13 % 90 + 10} "
                f"{n * 17 % 90 + 10}",
            ),
        ]

    def structure(self, key, name, type_code, services, sectors=(), kinds=(), **kw):
        xmlid = f"res_partner_structure_{key}_demo"
        fields = [
            self.field("name", f"{name} (démo)"),
            self.field("is_company", eval_="True"),
            self.field(
                "jecree_structure_type_id",
                ref=f"jecree_structure_type_{type_code}",
            ),
            self.field("email", f"contact@{slug(name).replace('_', '-')}.example.com"),
            self.field(
                "jecree_service_ids",
                eval_="[Command.set([%s])]"
                % ", ".join(f"ref('{NEED}{s}')" for s in services),
            ),
            self.field("jecree_calendar_id", ref="resource_calendar_antenna_demo"),
        ]
        if sectors:
            fields.append(
                self.field(
                    "jecree_sector_ids",
                    eval_="[Command.set([%s])]"
                    % ", ".join(f"ref('{SECTOR}{s}')" for s in sectors),
                )
            )
        if kinds:
            fields.append(
                self.field(
                    "jecree_project_kind_ids",
                    eval_="[Command.set([%s])]"
                    % ", ".join(f"ref('jecree_project_kind_{k}')" for k in kinds),
                )
            )
        if kw.get("keeps_calendar") is False:
            fields.append(self.field("jecree_keeps_calendar", eval_="False"))
        fields += self.territory(**kw.get("territory", {}))
        if kw.get("city"):
            fields += self.address(kw["city"])
        self.record(xmlid, "res.partner", fields)
        return xmlid

    def territory(self, cities=(), epcis=(), arrs=(), depts=()):
        out = []
        for fname, values, fmt in (
            ("jecree_city_ids", cities, "jecree_project.{}"),
            ("jecree_epci_ids", epcis, "jecree_project.{}"),
            (
                "jecree_arrondissement_ids",
                arrs,
                "jecree_project.jecree_arrondissement_{}",
            ),
            ("jecree_department_ids", depts, "{}"),
        ):
            if values:
                refs = ", ".join(f"ref('{fmt.format(v)}')" for v in values)
                out.append(self.field(fname, eval_=f"[Command.set([{refs}])]"))
        return out

    def antenna(self, structure, key, name, city, capacity, **territory):
        xmlid = f"res_partner_antenna_{key}_demo"
        fields = [
            self.field("name", f"{name} (démo)"),
            self.field("type", "other"),
            self.field("parent_id", ref=structure),
            self.field("jecree_is_antenna", eval_="True"),
            self.field("jecree_capacity", capacity),
            self.field("email", f"{key.replace('_', '.')}@antennes.example.com"),
            *self.address(city),
            *self.territory(**territory),
        ]
        self.record(xmlid, "res.partner", fields)
        n = self._next()
        first = FIRST_NAMES[n % len(FIRST_NAMES)]
        last = LAST_NAMES[n * 7 % len(LAST_NAMES)]
        self.record(
            f"res_partner_adviser_{key}_demo",
            "res.partner",
            [
                self.field("name", f"{first} {last} (démo)"),
                self.field("type", "contact"),
                self.field("parent_id", ref=xmlid),
                self.field("jecree_is_adviser", eval_="True"),
                self.field("function", "Conseiller·ère création-reprise"),
                self.field(
                    "email",
                    f"{slug(first)}.{slug(last)}.{n}@conseillers.example.com",
                ),
            ],
        )
        return xmlid

    def build(self):
        all_depts = list(DEPT.values())
        # CCI
        for name, arrs in CCI.items():
            struct = self.structure(
                slug(name),
                name,
                "cci",
                [
                    "information",
                    "accompagnement",
                    "formation",
                    "juridique",
                    "implantation",
                ],
                territory={"arrs": arrs},
                city=self.main_city(self.by_arr[arrs[0]]),
            )
            for arr in arrs:
                city = self.main_city(self.by_arr[arr])
                self.antenna(
                    struct,
                    f"{slug(name)}_{arr}",
                    f"{name} – antenne {de(city['name'])}",
                    city,
                    60,
                    arrs=[arr],
                )
        lille = self.by_arr["595"]
        for town in ("Roubaix", "Tourcoing"):
            city = next(c for c in lille if c["name"] == town)
            self.antenna(
                "res_partner_structure_cci_grand_lille_demo",
                f"cci_grand_lille_{slug(town)}",
                f"CCI Grand Lille – antenne de {town}",
                city,
                40,
                cities=[city["id"]],
            )
        # CMA
        cma = self.structure(
            "cma_hdf",
            "CMA Hauts-de-France",
            "cma",
            ["information", "accompagnement", "formation", "juridique", "financement"],
            sectors=["artisanat", "services"],
            territory={"depts": all_depts},
            city=self.main_city(self.by_arr["595"]),
        )
        for arr in sorted(self.arrs):
            city = self.main_city(self.by_arr[arr])
            self.antenna(
                cma,
                f"cma_{arr}",
                f"CMA Hauts-de-France – {city['name']}",
                city,
                40,
                arrs=[arr],
            )
        # BGE: one antenna per EPCI
        bge = self.structure(
            "bge_hdf",
            "BGE Hauts-de-France",
            "bge",
            ["information", "orientation", "accompagnement", "formation"],
            territory={"depts": all_depts},
            city=self.main_city(self.by_arr["595"]),
        )
        for epci in sorted(self.by_epci):
            city = self.main_city(self.by_epci[epci])
            self.antenna(
                bge,
                f"bge_{epci.rsplit('_', 1)[1]}",
                f"BGE Hauts-de-France – {city['name']}",
                city,
                25,
                epcis=[epci],
            )
        # Initiative platforms, competent for the EPCIs of their arrondissement
        for arr, name in INITIATIVE.items():
            epcis = sorted(e for e, a in self.epci_arr.items() if a == arr)
            city = self.main_city(self.by_arr[arr])
            territory = {"epcis": epcis} if epcis else {"arrs": [arr]}
            struct = self.structure(
                slug(name),
                name,
                "initiative",
                ["financement", "accompagnement"],
                territory=territory,
                city=city,
            )
            self.antenna(struct, f"{slug(name)}_main", name, city, 15)
        # department-wide networks
        for key, name, type_code, services, kinds, sectors in (
            (
                "re",
                "Réseau Entreprendre",
                "reseau_entreprendre",
                ["financement", "accompagnement"],
                ["creation", "reprise"],
                [],
            ),
            (
                "france_active",
                "France Active",
                "france_active",
                ["financement"],
                [],
                [],
            ),
            (
                "agri",
                "Chambre d'agriculture",
                "chambre_agriculture",
                ["information", "implantation"],
                [],
                ["commerce"],
            ),
            (
                "oec",
                "Ordre des experts-comptables",
                "experts_comptables",
                ["juridique", "financement"],
                [],
                [],
            ),
        ):
            struct = self.structure(
                key,
                f"{name} Nord-Pas-de-Calais",
                type_code,
                services,
                sectors=sectors,
                kinds=kinds,
                territory={"depts": all_depts},
                keeps_calendar=False if key in ("re", "oec") else None,
                city=self.main_city(self.by_arr["595"]),
            )
            for code, arr in (("59", "595"), ("62", "621")):
                city = self.main_city(self.by_arr[arr])
                self.antenna(
                    struct,
                    f"{key}_{code}",
                    f"{name} – {city['name']}",
                    city,
                    20,
                    depts=[DEPT[code]],
                )
        # ADIE by arrondissement
        adie = self.structure(
            "adie",
            "ADIE Hauts-de-France",
            "adie",
            ["financement", "accompagnement"],
            kinds=["creation"],
            territory={"depts": all_depts},
            city=self.main_city(self.by_arr["595"]),
        )
        for arr in ("595", "596", "594", "627", "626", "621"):
            city = self.main_city(self.by_arr[arr])
            self.antenna(
                adie, f"adie_{arr}", f"ADIE – {city['name']}", city, 30, arrs=[arr]
            )
        # nurseries and the economic services of the EPCIs
        nurseries = sorted(
            self.by_epci, key=lambda e: -sum(c["population"] for c in self.by_epci[e])
        )[:6]
        for epci in sorted(self.by_epci):
            row = self.epcis[epci]
            city = self.main_city(self.by_epci[epci])
            key = epci.rsplit("_", 1)[1]
            struct = self.structure(
                f"epci_{key}",
                f"{row['name']} – développement économique",
                "collectivite",
                ["information", "implantation", "orientation"],
                territory={"epcis": [epci]},
                city=city,
            )
            self.antenna(
                struct,
                f"epci_{key}",
                f"{row['name']} – accueil entreprises",
                city,
                0,
            )
            if epci in nurseries:
                struct = self.structure(
                    f"pepiniere_{key}",
                    f"Pépinière d'entreprises de {city['name']}",
                    "pepiniere",
                    ["hebergement", "accompagnement"],
                    kinds=["creation"],
                    territory={"epcis": [epci]},
                    city=city,
                )
                self.antenna(
                    struct,
                    f"pepiniere_{key}",
                    f"Pépinière d'entreprises de {city['name']}",
                    city,
                    10,
                )

    def users(self):
        out = []
        for login, adviser in (
            ("conseiller.cma.arras", "res_partner_adviser_cma_621_demo"),
            ("conseiller.cci.artois", "res_partner_adviser_cci_artois_627_demo"),
        ):
            out.append(
                f'    <record id="res_users_{slug(login)}_demo" model="res.users">\n'
                f'        <field name="login">{login}@example.com</field>\n'
                f'        <field name="password">demo</field>\n'
                '        <field name="tz">Europe/Paris</field>\n'
                f'        <field name="partner_id" ref="{adviser}" />\n'
                '        <field name="group_ids"'
                " eval=\"[Command.set([ref('base.group_portal')])]\" />\n"
                f"    </record>"
            )
        return out

    def write(self):
        days = "['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi']"
        lines = ["[Command.clear()]"]
        for label, start, stop, period in (
            ("matin", 9, 12, "morning"),
            ("après-midi", 14, 17.5, "afternoon"),
        ):
            lines.append(
                f"+ [Command.create({{'name': d + ' {label}', 'dayofweek': str(i), "
                f"'hour_from': {start}, 'hour_to': {stop}, 'day_period': '{period}'}}) "
                f"for i, d in enumerate({days})]"
            )
        attendances = "\n            ".join(lines)
        calendar = (
            '    <record id="resource_calendar_antenna_demo"'
            ' model="resource.calendar">\n'
            '        <field name="name">Antenna opening hours (démo)</field>\n'
            '        <field name="tz">Europe/Paris</field>\n'
            '        <field\n            name="attendance_ids"\n'
            f'            eval="{attendances}"\n        />\n'
            "    </record>"
        )
        with open(OUT, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="utf-8" ?>\n')
            f.write(
                "<!-- Generated by data/generate_directory_demo.py: do not edit. -->\n"
            )
            f.write("<odoo>\n")
            f.write(calendar + "\n")
            f.write("\n".join(self.records) + "\n")
            f.write("\n".join(self.users()) + "\n")
            f.write("</odoo>\n")


def main():
    generator = Generator()
    generator.build()
    generator.write()
    antennas = sum(
        'model="res.partner"' in r and "jecree_is_antenna" in r
        for r in generator.records
    )
    structures = sum("jecree_structure_type_id" in r for r in generator.records)
    print(f"{structures} structures, {antennas} antennas -> {OUT}")


if __name__ == "__main__":
    main()
