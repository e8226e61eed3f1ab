# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""`odoo [--addons-path=...] jecree_sirene -d DB FILE...`: import INSEE's open SIRENE
files (establishments first, then legal units) into the call center's database and
propose the businesses created by its porteurs. The same import as the settings'
button: `jecree.sirene.establishment._jecree_import_file`, then
`jecree.sirene.match._jecree_find_matches`."""

import argparse
import sys

from odoo import SUPERUSER_ID
from odoo.api import Environment
from odoo.cli.command import Command
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tools import config


class JecreeSirene(Command):
    """Import SIRENE files (open data of INSEE) for Je crée"""

    name = "jecree_sirene"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog=self.prog, description=self.__doc__)
        parser.add_argument("-c", "--config", help="Odoo configuration file")
        parser.add_argument("-d", "--database", dest="db_name", required=True)
        parser.add_argument(
            "--company", type=int, default=None, help="company id (default: main)"
        )
        parser.add_argument(
            "--no-match",
            action="store_true",
            help="import only, do not look for the porteurs' businesses",
        )
        parser.add_argument("files", nargs="+", help="SIRENE CSV files")
        args = parser.parse_args(cmdargs)
        config_args = ["-d", args.db_name]
        if args.config:
            config_args += ["-c", args.config]
        config.parse_config(config_args, setup_logging=True)
        registry = Registry(args.db_name)
        for path in args.files:
            with registry.cursor() as cr:
                env = Environment(cr, SUPERUSER_ID, {})
                company = (
                    env["res.company"].browse(args.company)
                    if args.company
                    else env.ref("base.main_company")
                )
                env = env(context=dict(env.context, allowed_company_ids=company.ids))
                try:
                    with open(path, "rb") as stream:
                        counts = env["jecree.sirene.establishment"]._jecree_import_file(
                            stream
                        )
                except (OSError, UserError) as exc:
                    cr.rollback()
                    sys.exit(f"{path}: {exc}")
                sys.stdout.write(f"{path}: {counts}\n")
        if not args.no_match:
            with registry.cursor() as cr:
                env = Environment(cr, SUPERUSER_ID, {})
                if args.company:
                    env = env(context={"allowed_company_ids": [args.company]})
                proposed = env["jecree.sirene.match"]._jecree_find_matches()
                sys.stdout.write(f"{proposed} businesses to check\n")
