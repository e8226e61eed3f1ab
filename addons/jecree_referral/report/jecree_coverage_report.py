# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


class JecreeCoverageReport(models.Model):
    """For each commune, whether a CCI, a CMA and a general support network cover
    it (SQL view on the materialised coverage), to find the gaps of the directory."""

    _name = "jecree.coverage.report"
    _description = "Coverage of the communes by the support network"
    _auto = False
    _order = "gap_count desc, city_id"

    city_id = fields.Many2one("res.city", string="Commune", readonly=True)
    insee_code = fields.Char(string="INSEE code", readonly=True)
    department_id = fields.Many2one("res.country.department", readonly=True)
    epci_id = fields.Many2one("jecree.epci", string="EPCI", readonly=True)
    has_cci = fields.Boolean(string="CCI", readonly=True)
    has_cma = fields.Boolean(string="CMA", readonly=True)
    has_general = fields.Boolean(string="General network", readonly=True)
    antenna_count = fields.Integer(string="Antennas", readonly=True)
    gap_count = fields.Integer(string="Number of gaps", readonly=True)
    gaps = fields.Char(string="Missing", compute="_compute_gaps")

    def _compute_gaps(self):
        labels = (
            ("has_cci", "CCI"),
            ("has_cma", "CMA"),
            ("has_general", self.env._("general network")),
        )
        for line in self:
            line.gaps = ", ".join(label for fname, label in labels if not line[fname])

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT c.id, c.id AS city_id, c.insee_code, c.department_id,
                       c.epci_id, cov.has_cci, cov.has_cma, cov.has_general,
                       cov.antenna_count,
                       (NOT cov.has_cci)::int + (NOT cov.has_cma)::int
                       + (NOT cov.has_general)::int AS gap_count
                  FROM res_city c
                  JOIN LATERAL (
                        SELECT COALESCE(bool_or(t.code = 'cci'), FALSE) AS has_cci,
                               COALESCE(bool_or(t.code = 'cma'), FALSE) AS has_cma,
                               COALESCE(bool_or(t.is_general_network), FALSE)
                                   AS has_general,
                               COUNT(DISTINCT v.antenna_id) AS antenna_count
                          FROM jecree_coverage v
                          JOIN res_partner s ON s.id = v.structure_id
                          JOIN jecree_structure_type t
                            ON t.id = s.jecree_structure_type_id
                         WHERE v.city_id = c.id
                  ) cov ON TRUE
                 WHERE c.insee_code IS NOT NULL
            )
                """,
                SQL.identifier(self._table),
            )
        )
