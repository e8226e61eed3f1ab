#!/usr/bin/env python3
"""Re-export the .pot of our addons and merge it into their i18n/fr.po.

    python3 scripts/i18n.py                    # every addon of addons/
    python3 scripts/i18n.py jecree_project     # one addon
    python3 scripts/i18n.py --check            # exit 1 if a French string is missing

A throw-away database gets the addons installed, Odoo exports each addon's .pot
(`odoo i18n export`), then fr.po keeps its translations, gains the new msgids (empty
msgstr, to translate) and loses the ones no longer used. Proper nouns loaded from the
addon's data CSV files (communes, EPCI…) are their own French translation.
"""

import argparse
import csv
import os
import subprocess
import sys

import polib

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
ADDONS = os.path.join(REPO, "addons")


def addons():
    return sorted(
        name
        for name in os.listdir(ADDONS)
        if os.path.exists(os.path.join(ADDONS, name, "__manifest__.py"))
    )


def data_names(module):
    folder = os.path.join(ADDONS, module, "data")
    names = set()
    for filename in os.listdir(folder) if os.path.isdir(folder) else []:
        if filename.endswith(".csv"):
            with open(os.path.join(folder, filename), encoding="utf-8") as f:
                names.update(row["name"] for row in csv.DictReader(f) if "name" in row)
    return names


def merge(module):
    pot = polib.pofile(os.path.join(ADDONS, module, "i18n", f"{module}.pot"))
    po_path = os.path.join(ADDONS, module, "i18n", "fr.po")
    old = polib.pofile(po_path) if os.path.exists(po_path) else polib.POFile()
    known = {entry.msgid: entry.msgstr for entry in old if entry.msgstr}
    keep = data_names(module)
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "Odoo Server 19.0",
        "Last-Translator": "Je crée",
        "Language-Team": "French",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    missing = []
    for entry in pot:
        msgstr = known.get(entry.msgid) or (entry.msgid if entry.msgid in keep else "")
        if not msgstr:
            missing.append(entry.msgid)
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=msgstr,
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=entry.flags,
            )
        )
    po.save(po_path)
    return len(po), missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    modules = args.modules or addons()
    db = f"jecree_i18n_{os.getpid()}"
    common = ["odoo", f"--addons-path={ADDONS}"]
    subprocess.run(
        [*common, "-d", db, "-i", ",".join(modules), "--stop-after-init"]
        + ["--log-level=warn", "--http-interface=127.0.0.1"],
        check=True,
    )
    status = 0
    try:
        for module in modules:
            subprocess.run([*common, "i18n", "export", "-d", db, module], check=True)
            count, missing = merge(module)
            print(f"{module}: {count} entries, {len(missing)} to translate")
            for msgid in missing:
                print(f"  - {msgid!r}")
            status = status or (1 if missing and args.check else 0)
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)
    sys.exit(status)


if __name__ == "__main__":
    main()
