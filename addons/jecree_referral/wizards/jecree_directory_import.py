# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import csv
import io
import re

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

#: the columns of the directory CSV, in order
COLUMNS = [
    "kind",
    "ref",
    "parent_ref",
    "name",
    "type_code",
    "street",
    "zip",
    "city_insee",
    "phone",
    "email",
    "services",
    "sectors",
    "project_kinds",
    "capacity",
    "keeps_calendar",
    "communes",
    "epcis",
    "arrondissements",
    "departments",
]
KINDS = ("structure", "antenna", "adviser")
#: the columns holding lists of codes; the others hold one short value
LIST_COLUMNS = (
    "services",
    "sectors",
    "project_kinds",
    "communes",
    "epcis",
    "arrondissements",
    "departments",
)
#: the longest value of the other columns (names and references are indexed)
MAX_CELL = 256
#: the largest monthly capacity of an antenna
MAX_CAPACITY = 100000
#: how much of a bad value a message quotes
QUOTE_LENGTH = 40


def _get(row, column):
    return (row.get(column) or "").strip()


def _short(value):
    """A value as a message quotes it: on one line, cut when long."""
    value = " ".join(str(value).split())
    if len(value) > QUOTE_LENGTH:
        return value[: QUOTE_LENGTH - 1] + "…"
    return value


def _codes(value):
    return [code.strip() for code in (value or "").split("|") if code.strip()]


class JecreeDirectoryImport(models.TransientModel):
    """Import (and export) the support network directory as CSV: one row per
    structure, antenna or adviser, territories by INSEE / SIREN / arrondissement /
    department codes, lists separated by "|". All or nothing: any bad row rejects
    the whole file, with each row's reason."""

    _name = "jecree.directory.import"
    _description = "Import the support network directory"

    file = fields.Binary(string="CSV file")
    filename = fields.Char()
    result = fields.Text(readonly=True)

    # reading
    def _read_rows(self):
        if not self.file:
            raise UserError(self.env._("Choose a CSV file."))
        try:
            text = base64.b64decode(self.file).decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError):
            text = None
        # a NUL character is no text (UTF-16, a spreadsheet's binary format…)
        if text is None or "\x00" in text:
            raise UserError(self.env._("The file is not a UTF-8 CSV file."))
        # lines end with "\n", "\r\n" or "\r" (newline=""), as csv wants them;
        # only the separator is guessed, from the header: the sniffer's other
        # guesses (no doubled quotes in a header without quotes) would misread
        # a name written "Les ""Amis""" by a spreadsheet
        stream = io.StringIO(text, newline="")
        try:
            delimiter = csv.Sniffer().sniff(stream.readline(), ",;").delimiter
        except csv.Error:
            delimiter = ","
        stream.seek(0)
        reader = csv.DictReader(stream, delimiter=delimiter)
        try:
            missing = {"kind", "ref", "name"} - set(reader.fieldnames or [])
            rows = [] if missing else list(reader)
        except csv.Error:
            raise UserError(
                self.env._(
                    "Line %(line)s of the file cannot be read: a cell is longer than "
                    "%(limit)s characters.",
                    line=reader.line_num,
                    limit=csv.field_size_limit(),
                )
            ) from None
        if missing:
            raise UserError(
                self.env._(
                    "Missing columns: %(columns)s.", columns=", ".join(sorted(missing))
                )
            )
        return rows

    def _lookups(self, rows):
        """Every code of the file, resolved in one query per model."""

        def collect(column):
            return {code for row in rows for code in _codes(row.get(column))}

        def by(model, field, codes, domain=None):
            records = self.env[model].search(
                [(field, "in", list(codes))] + (domain or [])
            )
            return {rec[field]: rec for rec in records}

        Partner = self.env["res.partner"].with_context(active_test=False)
        refs = {(row.get("parent_ref") or "").strip() for row in rows} | {
            (row.get("ref") or "").strip() for row in rows
        }
        return {
            "type": by("jecree.structure.type", "code", collect("type_code")),
            "need": by("jecree.need", "code", collect("services")),
            "sector": by("jecree.sector", "code", collect("sectors")),
            "kind": by("jecree.project.kind", "code", collect("project_kinds")),
            "city": by(
                "res.city", "insee_code", collect("communes") | collect("city_insee")
            ),
            "epci": by("jecree.epci", "code", collect("epcis")),
            "arrondissement": by(
                "jecree.arrondissement", "code", collect("arrondissements")
            ),
            "department": by(
                "res.country.department",
                "code",
                collect("departments"),
                [("country_id.code", "=", "FR")],
            ),
            "partner": {
                p.jecree_ref: p
                for p in Partner.search([("jecree_ref", "in", list(refs - {""}))])
            },
        }

    def _validate(self, rows, lookups):
        """Values to write per row, or the list of errors (row number, reason)."""
        kinds = {}
        for row in rows:
            kind, ref = _get(row, "kind"), _get(row, "ref")
            if kind in KINDS and ref:
                kinds.setdefault(ref, kind)
        errors, prepared, seen = [], [], set()
        for number, row in enumerate(rows, start=2):
            kind, ref = _get(row, "kind"), _get(row, "ref")
            reasons = []
            if kind not in KINDS:
                reasons.append(self.env._("unknown kind %(kind)r", kind=_short(kind)))
            if not ref:
                reasons.append(self.env._("no reference"))
            elif ref in seen:
                reasons.append(self.env._("reference %(ref)s twice", ref=_short(ref)))
            seen.add(ref)
            if not _get(row, "name"):
                reasons.append(self.env._("no name"))
            reasons += [
                self.env._(
                    "%(column)s longer than %(max)s characters",
                    column=column,
                    max=MAX_CELL,
                )
                for column in COLUMNS
                if column not in LIST_COLUMNS and len(_get(row, column)) > MAX_CELL
            ]
            vals = {"name": _get(row, "name"), "jecree_ref": ref}
            reasons += self._check_kind(ref, kind, lookups["partner"])
            reasons += self._check_parent(row, kind, kinds, lookups["partner"])
            reasons += self._kind_values(row, kind, lookups, vals)
            reasons += self._contact_values(row, lookups, vals)
            reasons += self._code_values(row, kind, lookups, vals)
            if reasons:
                errors.append((number, ref, "; ".join(reasons)))
            else:
                prepared.append((kind, _get(row, "parent_ref"), vals))
        return prepared, errors

    def _check_kind(self, ref, kind, existing):
        """A row does not turn an antenna into an adviser, or the like."""
        current = self._existing_kind(existing.get(ref))
        if kind in KINDS and current and current != kind:
            return [
                self.env._(
                    "reference %(ref)s is a %(current)s, not a %(kind)s",
                    ref=_short(ref),
                    current=current,
                    kind=kind,
                )
            ]
        return []

    def _check_parent(self, row, kind, kinds, existing):
        parent_ref = _get(row, "parent_ref")
        if kind == "structure" and parent_ref:
            return [
                self.env._(
                    "a structure has no parent (%(parent)r)", parent=_short(parent_ref)
                )
            ]
        if kind not in ("antenna", "adviser"):
            return []
        parent_kind = kinds.get(parent_ref) or self._existing_kind(
            existing.get(parent_ref)
        )
        allowed = ("structure",) if kind == "antenna" else KINDS[:2]
        if parent_ref and parent_kind in allowed:
            return []
        return [
            self.env._(
                "parent %(parent)r is not a known %(allowed)s",
                parent=_short(parent_ref),
                allowed=" / ".join(allowed),
            )
        ]

    def _kind_values(self, row, kind, lookups, vals):
        if kind == "antenna":
            vals.update(type="other", jecree_is_antenna=True)
        elif kind == "adviser":
            vals.update(type="contact", jecree_is_adviser=True)
        elif kind == "structure":
            stype = lookups["type"].get(_get(row, "type_code"))
            if not stype:
                return [
                    self.env._(
                        "unknown structure type %(code)r",
                        code=_short(_get(row, "type_code")),
                    )
                ]
            vals.update(
                is_company=True,
                jecree_structure_type_id=stype.id,
                jecree_keeps_calendar=(_get(row, "keeps_calendar") or "1").lower()
                not in ("0", "false", "no", "non"),
            )
        return []

    def _contact_values(self, row, lookups, vals):
        reasons = []
        email = _get(row, "email")
        if email and not email_normalize(email):
            reasons.append(self.env._("invalid email %(email)r", email=_short(email)))
        vals.update(
            street=_get(row, "street") or False,
            zip=_get(row, "zip") or False,
            phone=_get(row, "phone") or False,
            email=email or False,
        )
        insee = _get(row, "city_insee")
        if insee:
            city = lookups["city"].get(insee)
            if city:
                vals.update(
                    city_id=city.id, city=city.name, country_id=city.country_id.id
                )
            else:
                reasons.append(
                    self.env._("unknown commune %(code)s", code=_short(insee))
                )
        capacity = _get(row, "capacity")
        if capacity:
            # isdigit() takes "²" for a digit
            if re.fullmatch("[0-9]+", capacity) and int(capacity) <= MAX_CAPACITY:
                vals["jecree_capacity"] = int(capacity)
            else:
                reasons.append(
                    self.env._(
                        "capacity %(value)r is not a whole number from 0 to %(max)s",
                        value=_short(capacity),
                        max=MAX_CAPACITY,
                    )
                )
        return reasons

    def _code_values(self, row, kind, lookups, vals):
        reasons = []
        for column, lookup, fname, label in (
            ("services", "need", "jecree_service_ids", self.env._("service")),
            ("sectors", "sector", "jecree_sector_ids", self.env._("sector")),
            (
                "project_kinds",
                "kind",
                "jecree_project_kind_ids",
                self.env._("project kind"),
            ),
            ("communes", "city", "jecree_city_ids", self.env._("commune")),
            ("epcis", "epci", "jecree_epci_ids", self.env._("EPCI")),
            (
                "arrondissements",
                "arrondissement",
                "jecree_arrondissement_ids",
                self.env._("arrondissement"),
            ),
            (
                "departments",
                "department",
                "jecree_department_ids",
                self.env._("department"),
            ),
        ):
            if column not in row:
                continue
            codes = _codes(row.get(column))
            known = lookups[lookup]
            unknown = [code for code in codes if code not in known]
            if unknown:
                reasons.append(
                    self.env._(
                        "unknown %(what)s %(codes)s",
                        what=label,
                        codes=_short(", ".join(unknown)),
                    )
                )
            if codes and kind == "adviser":
                reasons.append(self.env._("an adviser has no %(what)s", what=label))
            vals[fname] = [
                fields.Command.set([known[code].id for code in codes if code in known])
            ]
        return reasons

    @staticmethod
    def _existing_kind(partner):
        if not partner:
            return None
        if partner.jecree_structure_type_id:
            return "structure"
        if partner.jecree_is_antenna:
            return "antenna"
        return "adviser" if partner.jecree_is_adviser else None

    def action_import(self):
        self.ensure_one()
        rows = self._read_rows()
        if not rows:
            raise UserError(self.env._("The file has no row."))
        lookups = self._lookups(rows)
        prepared, errors = self._validate(rows, lookups)
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was imported: %(count)s rows are rejected.\n%(rows)s",
                    count=len(errors),
                    rows="\n".join(
                        self.env._(
                            "Row %(row)s (%(ref)s): %(reason)s",
                            row=number,
                            ref=_short(ref) or "?",
                            reason=reason,
                        )
                        for number, ref, reason in errors
                    ),
                )
            )
        Partner = self.env["res.partner"].with_context(active_test=False)
        partners = dict(lookups["partner"])
        created = updated = 0
        with self.env.cr.savepoint():
            for kind in KINDS:
                for row_kind, parent_ref, vals in prepared:
                    if row_kind != kind:
                        continue
                    if parent_ref:
                        vals["parent_id"] = partners[parent_ref].id
                    partner = partners.get(vals["jecree_ref"])
                    if partner:
                        partner.write(vals)
                        updated += 1
                    else:
                        partners[vals["jecree_ref"]] = Partner.create(vals)
                        created += 1
        self.result = self.env._(
            "%(created)s created, %(updated)s updated.",
            created=created,
            updated=updated,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # export
    def _export_rows(self):
        Partner = self.env["res.partner"]
        structures = Partner.search(
            [("jecree_structure_type_id", "!=", False)], order="id"
        )
        antennas = Partner.search(
            [("jecree_is_antenna", "=", True), ("parent_id", "in", structures.ids)],
            order="id",
        )
        advisers = Partner.search(
            [
                ("jecree_is_adviser", "=", True),
                ("parent_id", "in", (structures | antennas).ids),
            ],
            order="id",
        )
        for partner in structures | antennas | advisers:
            if not partner.jecree_ref:
                partner.jecree_ref = f"P{partner.id}"

        def join(records, fname):
            return "|".join(records.mapped(fname))

        rows = []
        for kind, partners in (
            ("structure", structures),
            ("antenna", antennas),
            ("adviser", advisers),
        ):
            for p in partners:
                rows.append(
                    {
                        "kind": kind,
                        "ref": p.jecree_ref,
                        "parent_ref": (
                            p.parent_id.jecree_ref or "" if kind != "structure" else ""
                        ),
                        "name": p.name,
                        "type_code": p.jecree_structure_type_id.code or "",
                        "street": p.street or "",
                        "zip": p.zip or "",
                        "city_insee": p.city_id.insee_code or "",
                        "phone": p.phone or "",
                        "email": p.email or "",
                        "services": join(p.jecree_service_ids, "code"),
                        "sectors": join(p.jecree_sector_ids, "code"),
                        "project_kinds": join(p.jecree_project_kind_ids, "code"),
                        "capacity": str(p.jecree_capacity or ""),
                        "keeps_calendar": (
                            ("1" if p.jecree_keeps_calendar else "0")
                            if kind == "structure"
                            else ""
                        ),
                        "communes": join(p.jecree_city_ids, "insee_code"),
                        "epcis": join(p.jecree_epci_ids, "code"),
                        "arrondissements": join(p.jecree_arrondissement_ids, "code"),
                        "departments": join(p.jecree_department_ids, "code"),
                    }
                )
        return rows

    def action_export(self):
        self.ensure_one()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        rows = self._export_rows()
        writer.writerows(rows)
        self.write(
            {
                "file": base64.b64encode(buffer.getvalue().encode("utf-8")),
                "filename": "annuaire_structures.csv",
                "result": self.env._("%(count)s rows exported.", count=len(rows)),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
