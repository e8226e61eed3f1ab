# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

#: the longest appointment, in hours
MAX_DURATION = 12


class JecreeReferralWizard(models.TransientModel):
    """Refer a porteur: rank the antennas, create the referrals, then book an
    appointment (or request one) while the caller is on the line."""

    _name = "jecree.referral.wizard"
    _description = "Refer a porteur to support structures"

    lead_id = fields.Many2one("crm.lead", string="Porteur", required=True)
    commune_id = fields.Many2one(related="lead_id.commune_id")
    state = fields.Selection(
        [
            ("rank", "Choose structures"),
            ("book", "Appointment"),
            ("done", "Appointment set"),
        ],
        default="rank",
        required=True,
    )
    line_ids = fields.One2many(
        "jecree.referral.wizard.line", "wizard_id", string="Suggestions"
    )
    referral_ids = fields.Many2many("jecree.referral", string="Referrals created")
    referral_id = fields.Many2one(
        "jecree.referral",
        domain="[('id', 'in', referral_ids)]",
    )
    antenna_id = fields.Many2one(related="referral_id.antenna_id")
    structure_id = fields.Many2one(related="referral_id.structure_id")
    keeps_calendar = fields.Boolean(
        related="referral_id.structure_id.jecree_keeps_calendar"
    )
    adviser_id = fields.Many2one(
        "res.partner",
        domain="[('jecree_is_adviser', '=', True), "
        "('jecree_structure_id', '=', structure_id)]",
    )
    appointment_tz = fields.Char(
        related="referral_id.appointment_tz",
        help="The slots are the structure's local times, whatever your own time "
        "zone: the porteur and the structure read the same hour.",
    )
    appointment_summary = fields.Char(
        string="Appointment",
        compute="_compute_appointment_summary",
        help="What to tell the porteur: the date and time (the structure's), the "
        "place and its address.",
    )
    duration = fields.Float(string="Duration (hours)", default=1.0)
    slot_ids = fields.One2many(
        "jecree.referral.wizard.slot", "wizard_id", string="Free slots"
    )

    @api.constrains("duration")
    def _check_duration(self):
        if any(not 0 < wizard.duration <= MAX_DURATION for wizard in self):
            raise ValidationError(
                self.env._(
                    "An appointment lasts more than 0 and at most %(hours)s hours.",
                    hours=MAX_DURATION,
                )
            )

    @api.depends("state", "referral_id.appointment_start")
    def _compute_appointment_summary(self):
        for wizard in self:
            wizard.appointment_summary = (
                wizard.referral_id._jecree_appointment_summary()
                if wizard.state == "done" and wizard.referral_id.appointment_start
                else False
            )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refer to a structure"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _jecree_fill_suggestions(self):
        """Fill the lines with the ranked antennas of the porteur."""
        for wizard in self:
            suggestions = self.env["jecree.referral"]._rank_antennas(wizard.lead_id)
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "sequence": rank,
                        "antenna_id": s["antenna"].id,
                        "structure_id": s["structure"].id,
                        "level": s["level"],
                        "score": s["score"],
                        "why": s["why"],
                        "load": s["load"],
                        "capacity": s["capacity"],
                    }
                )
                for rank, s in enumerate(suggestions, 1)
            ]

    @api.onchange("referral_id")
    def _onchange_referral_id(self):
        self._jecree_load_referral()

    def _jecree_load_referral(self):
        """The referral's adviser (else its antenna's first) and free slots."""
        for wizard in self:
            referral = wizard.referral_id
            wizard.adviser_id = (
                referral.adviser_id or referral.antenna_id._jecree_advisers()[:1]
            )
            wizard._jecree_fill_slots()

    @api.onchange("adviser_id", "duration")
    def _onchange_adviser_id(self):
        self._jecree_fill_slots()

    def _jecree_fill_slots(self):
        """Fill the free slots of the chosen adviser for the referral's antenna."""
        for wizard in self:
            if not wizard.referral_id or not 0 < wizard.duration <= MAX_DURATION:
                wizard.slot_ids = [fields.Command.clear()]
                continue
            slots = wizard.adviser_id._jecree_free_slots(
                wizard.referral_id.antenna_id,
                fields.Datetime.now(),
                duration=timedelta(hours=wizard.duration),
            )
            # the structure's local time, whatever the agent's time zone: the
            # caller is told the hour the structure and the mails will say
            referral = wizard.referral_id
            wizard.slot_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "start": start,
                        "stop": stop,
                        "name": referral._jecree_format_appointment(
                            start, dt_format="EEEE d MMMM HH:mm"
                        ),
                        # the day and the hour, to show the slots day by day
                        "day": referral._jecree_format_appointment(
                            start, dt_format="EEEE d MMMM"
                        ),
                        "hour": referral._jecree_format_appointment(
                            start, dt_format="HH:mm"
                        ),
                    }
                )
                for start, stop in slots[:60]
            ]

    def action_refer(self):
        """Create a referral for each chosen antenna, tell the structures, then
        go to the appointment step."""
        self.ensure_one()
        self.lead_id._jecree_check_referable()
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(self.env._("Choose at least one structure."))
        # one referral per antenna, even if a line was doubled
        first = {}
        for line in lines:
            first.setdefault(line.antenna_id, line.id)
        lines = lines.browse(list(first.values()))
        self._check_antennas(lines)
        self._check_not_referred(lines.antenna_id)
        referrals = self.env["jecree.referral"].create(
            [
                {
                    "lead_id": self.lead_id.id,
                    "structure_id": line.structure_id.id,
                    "antenna_id": line.antenna_id.id,
                    "adviser_id": line.antenna_id._jecree_advisers()[:1].id,
                    "score": line.score,
                    "why": line.why,
                }
                for line in lines
            ]
        )
        referrals._notify_structure()
        self.write(
            {
                "state": "book",
                "referral_ids": [fields.Command.set(referrals.ids)],
                "referral_id": referrals[0].id,
            }
        )
        self._jecree_load_referral()
        return self._reopen()

    def _check_antennas(self, lines):
        """Each line names an open antenna of its structure (the lines can be
        written by an RPC client, not only by the ranking)."""
        for line in lines:
            antenna, structure = line.antenna_id, line.structure_id
            if not antenna.active:
                raise UserError(
                    self.env._(
                        "The antenna %(antenna)s is archived.",
                        antenna=antenna.display_name,
                    )
                )
            if not antenna.jecree_is_antenna or (
                antenna.jecree_structure_id != structure
            ):
                raise UserError(
                    self.env._(
                        "The antenna %(antenna)s is not an antenna of %(structure)s.",
                        antenna=antenna.display_name,
                        structure=structure.display_name,
                    )
                )

    def _check_not_referred(self, antennas):
        """Refuse to refer the porteur again to an antenna that has its referral
        open (another agent may have just done it).

        The porteur's row is locked by an UPDATE, not a SELECT FOR UPDATE: under
        Odoo's REPEATABLE READ, a second agent referring at the same moment waits,
        then fails with a serialization error once the first commits; Odoo retries
        the request, and the retry sees the first referral and is refused here.

        Not Odoo's `lock_for_update()`: it takes the lock with SKIP LOCKED and,
        when another transaction holds the row, raises at once a LockError
        ("Cannot grab a lock on records", a UserError that Odoo does not retry)
        instead of waiting; the second agent would get that instead of being told
        the porteur was just referred, and by whom."""
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET write_date = write_date WHERE id = %s",
                self.lead_id.id,
            )
        )
        existing = self.env["jecree.referral"].search(
            [
                ("lead_id", "=", self.lead_id.id),
                ("antenna_id", "in", antennas.ids),
                ("state", "not in", ("refusee", "clos")),
            ]
        )
        if existing:
            raise UserError(
                self.env._(
                    "%(porteur)s is already referred to %(antennas)s (%(referrals)s): "
                    "open that referral instead of creating another one.",
                    porteur=self.lead_id.display_name,
                    antennas=", ".join(existing.antenna_id.mapped("display_name")),
                    referrals=", ".join(existing.mapped("name")),
                )
            )

    def action_refresh_slots(self):
        self._jecree_fill_slots()
        return self._reopen()
