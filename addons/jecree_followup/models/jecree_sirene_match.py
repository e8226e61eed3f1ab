# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.jecree_project.models.crm_phonecall import USEFUL_QUALIFICATION

from ..tools.sirene import SECTOR_SECTIONS

MATCH_STATES = [
    ("proposed", "To check"),
    ("confirmed", "Confirmed"),
    ("rejected", "Rejected"),
]
#: the points of each clue, and the score from which a match is proposed
SCORE_NAME = 50
SCORE_COMMUNE = 25
SCORE_EPCI = 15
SCORE_DEPARTMENT = 5
SCORE_SECTOR = 15
SCORE_SOON = 10
SCORE_LATER = 5
SCORE_PROPOSED = 65
#: a business created within this many months of the first call scores SCORE_SOON
SOON_MONTHS = 12
#: porteurs read per query when matching
MATCH_BATCH = 5000


class JecreeSireneMatch(models.Model):
    """A business of the SIRENE file that may be a porteur's project: a score and
    its reasons, confirmed or rejected by a manager."""

    _name = "jecree.sirene.match"
    _description = "Business created (SIRENE match)"
    _order = "state, score desc, id desc"
    _rec_name = "establishment_id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Porteur de projet",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    establishment_id = fields.Many2one(
        "jecree.sirene.establishment",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True)
    siret = fields.Char(related="establishment_id.siret", string="SIRET")
    creation_date = fields.Date(related="establishment_id.creation_date")
    commune_id = fields.Many2one(related="establishment_id.commune_id")
    naf_code = fields.Char(related="establishment_id.naf_code")
    score = fields.Integer(readonly=True, aggregator="max")
    reasons = fields.Text(readonly=True)
    ambiguous = fields.Boolean(
        readonly=True,
        help="Another business scores as high for this porteur: check which.",
    )
    state = fields.Selection(
        MATCH_STATES, default="proposed", required=True, readonly=True, index=True
    )
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decided_date = fields.Datetime(string="Decided on", readonly=True)

    _lead_establishment_uniq = models.UniqueIndex("(lead_id, establishment_id)")

    # ------------------------------------------------------------------ actions
    def action_confirm(self):
        """The porteur created this business: they become started, with its SIRET
        and its creation date (their other proposals are rejected)."""
        self._jecree_check_decider()
        self.lock_for_update()
        for match in self:
            if match.state != "proposed":
                raise UserError(
                    self.env._(
                        "The match %(siret)s of %(porteur)s was already decided.",
                        siret=match.siret,
                        porteur=match.lead_id.display_name,
                    )
                )
        if len(self.lead_id) != len(self):
            raise UserError(self.env._("Confirm one business per porteur at a time."))
        now = fields.Datetime.now()
        decided = {"decided_by_id": self.env.uid, "decided_date": now}
        self.write(dict(decided, state="confirmed"))
        others = self.search(
            [
                ("lead_id", "in", self.lead_id.ids),
                ("state", "=", "proposed"),
                ("id", "not in", self.ids),
            ]
        )
        others.write(dict(decided, state="rejected"))
        for match in self:
            match.lead_id._jecree_set_created(match.establishment_id)
        return True

    def action_reject(self):
        self._jecree_check_decider()
        if self.filtered(lambda match: match.state != "proposed"):
            raise UserError(self.env._("Only a match to check can be rejected."))
        self.write(
            {
                "state": "rejected",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        return True

    def _jecree_check_decider(self):
        if not self.env.is_superuser() and not self.env.user.has_group(
            "jecree_project.group_jecree_manager"
        ):
            raise AccessError(
                self.env._("Only a call-center manager confirms businesses created.")
            )

    # ------------------------------------------------------------------ matching
    @api.model
    def _jecree_find_matches(self, leads=None):
        """Propose the SIRENE businesses that may be porteurs' projects.

        A porteur without a confirmed business is compared with the diffusible
        establishments created after their first useful call: the person's name
        for sole traders, the porteur's company or project name against the
        company's or the sign's name; then the commune, EPCI or department, the
        NAF section against the sector and the delay. A proposal already decided
        is never proposed again. Returns the number of new proposals."""
        self._jecree_check_decider()
        company = self.env.company
        months = company.jecree_sirene_window_months or 24
        lead_filter = SQL("TRUE")
        if leads is not None:
            lead_filter = SQL("lead.id IN %s", tuple(leads.ids) or (0,))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT lead.id FROM crm_lead lead
                 WHERE lead.is_porteur AND lead.active
                   AND lead.jecree_siret IS NULL AND lead.anonymized_date IS NULL
                   AND lead.company_id = %s
                   AND (lead.jecree_person_key IS NOT NULL
                        OR lead.jecree_project_key IS NOT NULL)
                   AND %s
                 ORDER BY lead.id
                """,
                company.id,
                lead_filter,
            )
        )
        lead_ids = [row[0] for row in self.env.cr.fetchall()]
        created = 0
        for start in range(0, len(lead_ids), MATCH_BATCH):
            batch = lead_ids[start : start + MATCH_BATCH]
            created += self._jecree_match_batch(batch, months)
        return created

    @api.model
    def _jecree_match_batch(self, lead_ids, months):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH porteur AS (
                    SELECT lead.id, lead.jecree_person_key AS person_key,
                           lead.jecree_project_key AS project_key,
                           lead.commune_id, city.epci_id, city.department_id,
                           lead.sector,
                           COALESCE(first_call.date, lead.create_date)::date AS since
                      FROM crm_lead lead
                      LEFT JOIN res_city city ON city.id = lead.commune_id
                      LEFT JOIN LATERAL (
                           SELECT min(call.date) AS date FROM crm_phonecall call
                            WHERE call.opportunity_id = lead.id
                              AND call.qualification = %(useful)s
                      ) first_call ON TRUE
                     WHERE lead.id IN %(leads)s
                ), candidate AS (
                    SELECT p.id AS lead_id, est.id AS est_id, 'person' AS clue
                      FROM porteur p
                      JOIN jecree_sirene_unit unit
                        ON unit.person_key = p.person_key
                       AND unit.company_id = %(company)s
                      JOIN jecree_sirene_establishment est
                        ON est.siren = unit.siren AND est.company_id = unit.company_id
                    UNION
                    SELECT p.id, est.id, 'company'
                      FROM porteur p
                      JOIN jecree_sirene_unit unit
                        ON unit.company_key = p.project_key
                       AND unit.company_id = %(company)s
                      JOIN jecree_sirene_establishment est
                        ON est.siren = unit.siren AND est.company_id = unit.company_id
                    UNION
                    SELECT p.id, est.id, 'sign'
                      FROM porteur p
                      JOIN jecree_sirene_establishment est
                        ON est.trade_key = p.project_key
                       AND est.company_id = %(company)s
                )
                SELECT c.lead_id, c.est_id, c.clue, est.creation_date, p.since,
                       city.id = p.commune_id,
                       city.epci_id = p.epci_id,
                       city.department_id = p.department_id,
                       est.naf_section, est.naf_code, p.sector,
                       city.id
                  FROM candidate c
                  JOIN porteur p ON p.id = c.lead_id
                  JOIN jecree_sirene_establishment est ON est.id = c.est_id
                  LEFT JOIN LATERAL (
                       SELECT city.id, city.epci_id, city.department_id
                         FROM res_city city
                        WHERE city.insee_code = est.commune_code
                        ORDER BY city.id LIMIT 1
                  ) city ON TRUE
                 WHERE est.diffusible
                   AND est.creation_date >= p.since
                   AND est.creation_date < p.since + %(months)s * interval '1 month'
                   AND NOT EXISTS (
                       SELECT 1 FROM jecree_sirene_match done
                        WHERE done.lead_id = c.lead_id
                          AND done.establishment_id = c.est_id)
                """,
                useful=USEFUL_QUALIFICATION,
                leads=tuple(lead_ids),
                company=self.env.company.id,
                months=months,
            )
        )
        rows = cr.fetchall()
        communes = self.env["res.city"].browse({row[-1] for row in rows if row[-1]})
        names = {commune.id: commune.name for commune in communes}
        found = defaultdict(dict)
        for row in rows:
            lead_id, est_id = row[0], row[1]
            score, reasons = self._jecree_score(*row[2:-1], names.get(row[-1], "?"))
            best = found[lead_id].get(est_id)
            if not best or best[0] < score:
                found[lead_id][est_id] = (score, reasons)
        vals_list = []
        for lead_id, candidates in found.items():
            kept = {
                est_id: value
                for est_id, value in candidates.items()
                if value[0] >= SCORE_PROPOSED
            }
            if not kept:
                continue
            top = max(score for score, __ in kept.values())
            ambiguous = sum(1 for score, __ in kept.values() if score == top) > 1
            for est_id, (score, reasons) in kept.items():
                vals_list.append(
                    {
                        "lead_id": lead_id,
                        "establishment_id": est_id,
                        "score": score,
                        "reasons": "\n".join(reasons),
                        "ambiguous": ambiguous and score == top,
                    }
                )
        if vals_list:
            self.create(vals_list)
        return len(vals_list)

    @api.model
    def _jecree_score(
        self,
        clue,
        creation_date,
        since,
        same_commune,
        same_epci,
        same_department,
        section,
        naf_code,
        sector,
        commune_name,
    ):
        """The score of a candidate business and the reasons, in French."""
        score, reasons = SCORE_NAME, []
        reasons.append(
            {
                "person": self.env._("Same first and last name (sole trader)"),
                "company": self.env._("Same name as the company"),
                "sign": self.env._("Same name as the establishment's sign"),
            }[clue]
        )
        if same_commune:
            score += SCORE_COMMUNE
            reasons.append(
                self.env._("Same commune (%(commune)s)", commune=commune_name)
            )
        elif same_epci:
            score += SCORE_EPCI
            reasons.append(
                self.env._(
                    "Same intercommunality (EPCI), in %(commune)s", commune=commune_name
                )
            )
        elif same_department:
            score += SCORE_DEPARTMENT
            reasons.append(
                self.env._("Same department, in %(commune)s", commune=commune_name)
            )
        else:
            reasons.append(self.env._("Another department"))
        if sector in SECTOR_SECTIONS and section in SECTOR_SECTIONS[sector]:
            score += SCORE_SECTOR
            reasons.append(
                self.env._("Activity %(naf)s fits the sector", naf=naf_code or section)
            )
        elif sector in SECTOR_SECTIONS:
            reasons.append(
                self.env._(
                    "Activity %(naf)s does not fit the sector", naf=naf_code or "?"
                )
            )
        days = (creation_date - since).days
        if creation_date < since + relativedelta(months=SOON_MONTHS):
            score += SCORE_SOON
        else:
            score += SCORE_LATER
        reasons.append(
            self.env._("Created %(days)s days after the first call", days=days)
        )
        return score, reasons
