# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import csv
import io
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.sirene import (
    DIFFUSIBLE,
    EMPLOYEE_BRACKETS,
    ESTABLISHMENT_COLUMNS,
    SOLE_TRADER,
    UNIT_COLUMNS,
    department_of,
    naf_section,
    name_key,
    sirene_date,
)

_logger = logging.getLogger(__name__)

#: rows sent to PostgreSQL at once (COPY into a temporary table, then one upsert)
IMPORT_CHUNK = 20000

#: the columns of our tables, in the order of the rows built from the files
ESTABLISHMENT_FIELDS = (
    "siret",
    "siren",
    "creation_date",
    "commune_code",
    "naf_code",
    "naf_section",
    "trade_name",
    "trade_key",
    "is_open",
    "diffusible",
    "employees",
)
UNIT_FIELDS = (
    "siren",
    "creation_date",
    "diffusible",
    "is_sole_trader",
    "first_name",
    "last_name",
    "company_name",
    "legal_category",
    "naf_code",
    "person_key",
    "company_key",
)


class JecreeSireneEstablishment(models.Model):
    """An establishment (SIRET) of INSEE's open SIRENE file in the call center's
    departments: the businesses actually created, matched against the porteurs."""

    _name = "jecree.sirene.establishment"
    _description = "SIRENE establishment"
    _rec_name = "siret"
    _order = "creation_date desc, siret"
    # INSEE's rows, written by the import in SQL only: no author or write date
    # (their foreign keys would cost as much as the rows themselves)
    _log_access = False

    siret = fields.Char(string="SIRET", size=14, required=True, readonly=True)
    siren = fields.Char(
        string="SIREN", size=9, required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    unit_id = fields.Many2one(
        "jecree.sirene.unit",
        string="Legal unit",
        compute="_compute_unit_id",
        help="The legal unit of the same SIREN (the files come apart: the link is "
        "the SIREN, not a stored reference, so that neither file rewrites the "
        "other's rows).",
    )
    creation_date = fields.Date(readonly=True)
    commune_code = fields.Char(string="Commune code (INSEE)", readonly=True)
    commune_id = fields.Many2one("res.city", compute="_compute_commune_id")
    naf_code = fields.Char(string="NAF code", readonly=True)
    naf_section = fields.Char(string="NAF section", size=1, readonly=True)
    trade_name = fields.Char(readonly=True)
    trade_key = fields.Char(readonly=True, index="btree_not_null")
    is_open = fields.Boolean(string="Open", readonly=True)
    diffusible = fields.Boolean(
        readonly=True,
        help="INSEE may publish this entry. The others (people who opted out) are "
        "counted but never matched to a porteur.",
    )
    employees = fields.Integer(
        string="Employees (bracket floor)",
        readonly=True,
        help="Lowest number of the employee bracket declared to INSEE.",
    )
    person_name = fields.Char(string="Last name", compute="_compute_unit_id")
    company_name = fields.Char(compute="_compute_unit_id")

    _siret_company_uniq = models.UniqueIndex("(company_id, siret)")

    def _compute_commune_id(self):
        cities = self.env["res.city"].search(
            [("insee_code", "in", list(set(self.mapped("commune_code"))))]
        )
        by_code = {city.insee_code: city for city in cities}
        for est in self:
            est.commune_id = by_code.get(est.commune_code, cities.browse())

    def _compute_unit_id(self):
        units = self.env["jecree.sirene.unit"].search(
            [("siren", "in", list(set(self.mapped("siren"))))]
        )
        by_siren = {(unit.company_id.id, unit.siren): unit for unit in units}
        for est in self:
            unit = by_siren.get((est.company_id.id, est.siren), units.browse())
            est.unit_id = unit
            est.person_name = unit.last_name
            est.company_name = unit.company_name

    # ------------------------------------------------------------------ import
    @api.model
    def _jecree_import_file(self, stream, departments=None):
        """Import one SIRENE CSV file (establishments or legal units, a stock file
        or a daily update: the header says which), streamed in chunks.

        Establishments outside the company's departments are skipped; legal units
        are kept when one of their establishments was imported (import the
        establishments first). Importing the same file again changes nothing.
        Returns the counts {kind, read, inserted, updated, unchanged, skipped}."""
        self._jecree_check_sirene_manager()
        company = self.env.company
        departments = departments or company._jecree_sirene_departments()
        if not departments:
            raise UserError(
                self.env._(
                    "Choose the departments of the call center in the settings "
                    "before importing SIRENE files."
                )
            )
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader)
        except (StopIteration, UnicodeDecodeError, csv.Error) as exc:
            raise UserError(
                self.env._("This is not a SIRENE CSV file: it has no header.")
            ) from exc
        if "siret" in header:
            kind, columns = "establishments", ESTABLISHMENT_COLUMNS
        elif "siren" in header and "nomUniteLegale" in header:
            kind, columns = "units", UNIT_COLUMNS
        else:
            raise UserError(
                self.env._(
                    "This is not a SIRENE file: its header has neither the "
                    "establishments' columns (siret…) nor the legal units' ones "
                    "(siren, nomUniteLegale…)."
                )
            )
        missing = [column for column in columns if column not in header]
        if missing:
            raise UserError(
                self.env._(
                    "The SIRENE file lacks the columns %(columns)s.",
                    columns=", ".join(missing),
                )
            )
        index = [header.index(column) for column in columns]
        counts = {"kind": kind, "read": 0, "inserted": 0, "updated": 0, "skipped": 0}
        self._jecree_sirene_temp_tables()
        chunk = []
        row_of = (
            self._jecree_establishment_row
            if kind == "establishments"
            else self._jecree_unit_row
        )
        departments = frozenset(departments)
        try:
            for line in reader:
                counts["read"] += 1
                if len(line) < len(header):
                    counts["skipped"] += 1
                    continue
                row = row_of([line[i] for i in index], departments)
                if row is None:
                    counts["skipped"] += 1
                    continue
                chunk.append(row)
                if len(chunk) >= IMPORT_CHUNK:
                    self._jecree_sirene_upsert(kind, chunk, counts)
                    chunk = []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UserError(
                self.env._(
                    "The SIRENE file could not be read at line %(line)s: %(error)s",
                    line=counts["read"] + 1,
                    error=exc,
                )
            ) from exc
        if chunk:
            self._jecree_sirene_upsert(kind, chunk, counts)
        counts["unchanged"] = (
            counts["read"] - counts["skipped"] - counts["inserted"] - counts["updated"]
        )
        _logger.info("SIRENE import: %s", counts)
        return counts

    def _jecree_check_sirene_manager(self):
        if not self.env.is_superuser() and not self.env.user.has_group(
            "jecree_project.group_jecree_manager"
        ):
            raise UserError(
                self.env._("Only a call-center manager can import SIRENE files.")
            )

    @api.model
    def _jecree_establishment_row(self, values, departments):
        (
            siren,
            siret,
            diffusion,
            created,
            bracket,
            commune,
            state,
            sign,
            usual_name,
            naf,
        ) = values
        if department_of(commune) not in departments or len(siret) != 14:
            return None
        diffusible = diffusion == DIFFUSIBLE
        trade_name = ((sign or usual_name).strip() if diffusible else "") or None
        if trade_name == "[ND]":
            trade_name = None
        return (
            siret,
            siren,
            sirene_date(created) or None,
            commune,
            naf or None,
            naf_section(naf) or None,
            trade_name,
            (name_key(trade_name) if trade_name else False) or None,
            state == "A",
            diffusible,
            EMPLOYEE_BRACKETS.get(bracket, 0),
        )

    @api.model
    def _jecree_unit_row(self, values, departments):
        (
            siren,
            diffusion,
            created,
            first_name,
            usual_first_name,
            last_name,
            usage_name,
            company_name,
            category,
            naf,
        ) = (value.strip() for value in values)
        if len(siren) != 9:
            return None
        diffusible = diffusion == DIFFUSIBLE
        sole_trader = category == SOLE_TRADER
        if not diffusible:
            first_name = usual_first_name = last_name = usage_name = company_name = ""
        first = first_name or usual_first_name
        person_key = name_key(first, usage_name or last_name) if sole_trader else False
        return (
            siren,
            sirene_date(created) or None,
            diffusible,
            sole_trader,
            (first if first != "[ND]" else "") or None,
            (last_name if last_name != "[ND]" else "") or None,
            (company_name if company_name != "[ND]" else "") or None,
            category or None,
            naf or None,
            person_key or None,
            (name_key(company_name) if not sole_trader else False) or None,
        )

    @api.model
    def _jecree_sirene_temp_tables(self):
        self.env.cr.execute(
            """
            CREATE TEMPORARY TABLE IF NOT EXISTS jecree_sirene_est_in (
                siret varchar, siren varchar, creation_date date, commune_code varchar,
                naf_code varchar, naf_section varchar, trade_name varchar,
                trade_key varchar, is_open boolean, diffusible boolean,
                employees integer
            ) ON COMMIT DROP;
            CREATE TEMPORARY TABLE IF NOT EXISTS jecree_sirene_unit_in (
                siren varchar, creation_date date, diffusible boolean,
                is_sole_trader boolean, first_name varchar, last_name varchar,
                company_name varchar, legal_category varchar, naf_code varchar,
                person_key varchar, company_key varchar
            ) ON COMMIT DROP;
            TRUNCATE jecree_sirene_est_in, jecree_sirene_unit_in;
            """
        )

    @api.model
    def _jecree_sirene_upsert(self, kind, rows, counts):
        """COPY `rows` into the temporary table, then insert the new ones and
        update those that changed (an unchanged row is not written)."""
        cr = self.env.cr
        if kind == "establishments":
            temp, table, fields_ = (
                "jecree_sirene_est_in",
                "jecree_sirene_establishment",
                ESTABLISHMENT_FIELDS,
            )
            key = "siret"
        else:
            temp, table, fields_ = (
                "jecree_sirene_unit_in",
                "jecree_sirene_unit",
                UNIT_FIELDS,
            )
            key = "siren"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(["\\N" if value is None else value for value in row])
        buffer.seek(0)
        cr.execute(SQL("TRUNCATE %s", SQL.identifier(temp)))
        cr.copy_expert(
            f"COPY {temp} FROM STDIN WITH (FORMAT csv, NULL '\\N')",  # noqa: S608
            buffer,
        )
        columns = SQL(", ").join(SQL.identifier(name) for name in fields_)
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
            for name in fields_
        )
        old = SQL(", ").join(SQL("target.%s", SQL.identifier(name)) for name in fields_)
        new = SQL(", ").join(
            SQL("EXCLUDED.%s", SQL.identifier(name)) for name in fields_
        )
        if kind == "units":
            # a legal unit is kept when one of its establishments was imported
            cr.execute(
                SQL(
                    """DELETE FROM %s src
                        WHERE NOT EXISTS (
                              SELECT 1 FROM jecree_sirene_establishment est
                               WHERE est.siren = src.siren AND est.company_id = %s)""",
                    SQL.identifier(temp),
                    self.env.company.id,
                )
            )
            counts["skipped"] += cr.rowcount
        cr.execute(
            SQL(
                """
                INSERT INTO %(table)s AS target
                       (%(columns)s, company_id)
                SELECT DISTINCT ON (src.%(key)s) %(src_columns)s, %(company)s
                  FROM %(temp)s src
                ON CONFLICT (company_id, %(key)s) DO UPDATE
                   SET %(updates)s
                 WHERE (%(old)s) IS DISTINCT FROM (%(new)s)
                RETURNING (xmax = 0)
                """,
                table=SQL.identifier(table),
                columns=columns,
                src_columns=SQL(", ").join(
                    SQL("src.%s", SQL.identifier(name)) for name in fields_
                ),
                key=SQL.identifier(key),
                company=self.env.company.id,
                temp=SQL.identifier(temp),
                updates=updates,
                old=old,
                new=new,
            )
        )
        written = cr.fetchall()
        inserted = sum(1 for (is_new,) in written if is_new)
        counts["inserted"] += inserted
        counts["updated"] += len(written) - inserted
        self.env.invalidate_all()
