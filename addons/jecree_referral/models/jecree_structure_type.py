# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class JecreeStructureType(models.Model):
    """Kind of support structure (CCI, CMA, BGE, Initiative…).

    It carries the sector rule of the ranking: a CMA comes first for crafts, a CCI
    for commerce and industry, as Conseillers-Entreprises does."""

    _name = "jecree.structure.type"
    _description = "Support structure type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    priority_sector_ids = fields.Many2many(
        "jecree.sector",
        "jecree_structure_type_sector_rel",
        "type_id",
        "sector_id",
        string="First choice for sectors",
        help="Porteurs of these sectors are sent to this kind of structure first.",
    )
    is_general_network = fields.Boolean(
        string="General support network",
        help="Counts as a general support network in the coverage view "
        "(BGE, Initiative, ADIE…).",
    )

    reminder_days = fields.Integer(
        string="Reminder after (opening days)",
        default=3,
        help="A referral still proposed after this many opening days of the "
        "structure sends it a reminder (mail and portal badge).",
    )
    escalation_days = fields.Integer(
        string="Escalation after (opening days)",
        default=7,
        help="A referral still proposed after this many opening days of the "
        "structure is escalated: the call center calls the porteur back to offer "
        "another structure, and the structure's manager is told.",
    )

    _code_uniq = models.UniqueIndex(
        "(code)", "A structure type with this code already exists."
    )
    _ladder_check = models.Constraint(
        "CHECK(reminder_days > 0 AND escalation_days > reminder_days)",
        "The reminder comes after at least one opening day, and the escalation "
        "after the reminder.",
    )
