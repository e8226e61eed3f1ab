#!/usr/bin/env python3
"""Build the commune data of Je crée from Etalab's official package.

Source: the npm package ``@etalab/decoupage-administratif`` (Licence Ouverte /
Open Licence 2.0), which carries communes, EPCI, arrondissements and
departments as JSON.  The script downloads it with ``npm pack`` (npm registry),
keeps the current communes ("commune-actuelle") of the requested departments
and writes the CSV files that the ``jecree_project`` addon loads:

    jecree.arrondissement.csv  jecree.epci.csv  res.city.csv  res.city.zip.csv

Usage:
    # regenerate the addon's data (Nord and Pas-de-Calais)
    python3 data/communes.py
    # write another department's files elsewhere, then load them into a database
    python3 data/communes.py --departments 80 --out /tmp/somme
    odoo shell -d DB --addons-path=addons < /dev/null  # see README: make communes
    python3 data/communes.py --departments 80 --load DB
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
HERE = os.path.dirname(os.path.abspath(__file__))
ADDON_DATA = os.path.join(HERE, "..", "addons", "jecree_project", "data")


def fetch_package(cache_dir):
    """Return the folder of the unpacked npm package (downloaded once)."""
    target = os.path.join(cache_dir, f"decoupage-administratif-{VERSION}")
    if os.path.isdir(os.path.join(target, "package", "data")):
        return os.path.join(target, "package")
    os.makedirs(target, exist_ok=True)
    out = (
        subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
            cwd=target,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with tarfile.open(os.path.join(target, out)) as tar:
        tar.extractall(target, filter="data")
    return os.path.join(target, "package")


def load(package_dir, name):
    with open(os.path.join(package_dir, "data", name), encoding="utf-8") as f:
        return json.load(f)


def build_rows(package_dir, departments):
    """Return the rows of the four files for the given department codes."""
    communes = [
        c
        for c in load(package_dir, "communes.json")
        if c.get("departement") in departments and c["type"] == "commune-actuelle"
    ]
    epci_of = {}
    epcis = {}
    for epci in load(package_dir, "epci.json"):
        for member in epci["membres"]:
            epci_of[member["code"]] = epci["code"]
        epcis[epci["code"]] = epci
    arrondissements = {
        a["code"]: a
        for a in load(package_dir, "arrondissements.json")
        if a["departement"] in departments
    }
    # Homonyms in the same region would break base_location's unique
    # (name, state, country): they get their department code, as in "Saint-Aubin (62)".
    homonyms = {n for n, k in Counter(c["nom"] for c in communes).items() if k > 1}

    arr_rows = [
        {
            "id": f"jecree_arrondissement_{a['code']}",
            "code": a["code"],
            "name": a["nom"],
            "department_id/id": f"__dept__{a['departement']}",
        }
        for a in sorted(arrondissements.values(), key=lambda a: a["code"])
    ]
    used_epci = sorted({epci_of[c["code"]] for c in communes if c["code"] in epci_of})
    epci_rows = [
        {
            "id": f"jecree_epci_{code}",
            "code": code,
            "name": epcis[code]["nom"],
            "epci_type": epcis[code]["type"],
        }
        for code in used_epci
    ]
    city_rows, zip_rows = [], []
    for c in sorted(communes, key=lambda c: c["code"]):
        name = c["nom"] + (f" ({c['departement']})" if c["nom"] in homonyms else "")
        city_rows.append(
            {
                "id": f"res_city_fr_{c['code']}",
                "name": name,
                "insee_code": c["code"],
                "zipcode": (c.get("codesPostaux") or [""])[0],
                "country_id/id": "base.fr",
                "state_id/id": f"__state__{c['departement']}",
                "department_id/id": f"__dept__{c['departement']}",
                "arrondissement_id/id": f"jecree_arrondissement_{c['arrondissement']}"
                if c.get("arrondissement")
                else "",
                "epci_id/id": f"jecree_epci_{epci_of[c['code']]}"
                if c["code"] in epci_of
                else "",
                "population": c.get("population") or 0,
            }
        )
        for cp in c.get("codesPostaux") or []:
            zip_rows.append(
                {
                    "id": f"res_city_zip_fr_{c['code']}_{cp}",
                    "name": cp,
                    "city_id/id": f"res_city_fr_{c['code']}",
                }
            )
    return arr_rows, epci_rows, city_rows, zip_rows


def write_csv(path, rows, dept_xmlids):
    if not rows:
        return
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            row = dict(row)
            if str(row.get("department_id/id", "")).startswith("__dept__"):
                row["department_id/id"] = dept_xmlids[row["department_id/id"][8:]][0]
            if str(row.get("state_id/id", "")).startswith("__state__"):
                row["state_id/id"] = dept_xmlids[row["state_id/id"][9:]][1]
            writer.writerow(row)


def department_xmlids(departments):
    """Map department codes to the xml ids of OCA l10n_fr_department's records
    and of their region (res.country.state from l10n_fr_state)."""
    import importlib.util
    import xml.etree.ElementTree as ET

    spec = importlib.util.find_spec("odoo.addons.l10n_fr_department")
    if spec is None:  # pragma: no cover - l10n_fr_department comes with requirements
        sys.exit("l10n_fr_department is not installed: run make install first")
    path = os.path.join(
        list(spec.submodule_search_locations)[0], "data", "res_country_department.xml"
    )
    result = {}
    for record in ET.parse(path).getroot().iter("record"):
        code = record.find("field[@name='code']").text.strip()
        if code in departments:
            state = record.find("field[@name='state_id']").get("ref")
            result[code] = ("l10n_fr_department." + record.get("id"), state)
    missing = set(departments) - set(result)
    if missing:
        sys.exit(f"Unknown department code(s): {', '.join(sorted(missing))}")
    return result


FILES = ("jecree.arrondissement", "jecree.epci", "res.city", "res.city.zip")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", nargs="+", default=["59", "62"])
    parser.add_argument("--out", default=ADDON_DATA, help="folder for the CSV files")
    parser.add_argument(
        "--load", metavar="DB", help="also load the files into this database"
    )
    parser.add_argument(
        "--cache", default=os.path.join(tempfile.gettempdir(), "jecree-etalab")
    )
    args = parser.parse_args()
    package_dir = fetch_package(args.cache)
    rows = build_rows(package_dir, set(args.departments))
    dept = department_xmlids(set(args.departments))
    os.makedirs(args.out, exist_ok=True)
    for name, file_rows in zip(FILES, rows, strict=True):
        write_csv(os.path.join(args.out, f"{name}.csv"), file_rows, dept)
    print(
        f"{len(rows[2])} communes, {len(rows[3])} postal codes, {len(rows[1])} EPCI, "
        f"{len(rows[0])} arrondissements written to {os.path.abspath(args.out)}"
    )
    if args.load:
        load_into(args.load, args.out)


def load_into(dbname, folder):
    """Load the CSV files into a database with Odoo's own CSV data loader."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config, convert_file

    addons = os.path.abspath(os.path.join(HERE, "..", "addons"))
    config.parse_config(["-d", dbname, f"--addons-path={addons}"])
    odoo.modules.module.initialize_sys_path()
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for name in FILES:
            path = os.path.join(folder, f"{name}.csv")
            if os.path.exists(path):
                convert_file(
                    env, "jecree_project", path, {}, mode="init", noupdate=True
                )
    print(f"loaded into {dbname}")


if __name__ == "__main__":
    main()
