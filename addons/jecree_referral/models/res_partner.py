# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.jecree_project.tools.locking import try_lock_batch

#: structures of a weekly digest cron batch (one transaction each)
DIGEST_BATCH = 50
TERRITORY_FIELDS = (
    "jecree_city_ids",
    "jecree_epci_ids",
    "jecree_arrondissement_ids",
    "jecree_department_ids",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    jecree_ref = fields.Char(
        string="Directory reference",
        copy=False,
        help="Key of the structure, antenna or adviser in the directory CSV files.",
    )
    # the structure (a company)
    jecree_structure_type_id = fields.Many2one(
        "jecree.structure.type",
        string="Support structure type",
        index="btree_not_null",
        help="Set on the companies of the support network (CCI, CMA, BGE…).",
    )
    jecree_keeps_calendar = fields.Boolean(
        string="Appointments in Odoo",
        default=True,
        help="The advisers' agendas are kept in Odoo: agents book appointments "
        "directly. Otherwise an appointment request is sent, which the structure "
        "confirms in the portal.",
    )
    jecree_service_ids = fields.Many2many(
        "jecree.need",
        "jecree_partner_service_rel",
        "partner_id",
        "need_id",
        string="Services",
    )
    jecree_sector_ids = fields.Many2many(
        "jecree.sector",
        "jecree_partner_sector_rel",
        "partner_id",
        "sector_id",
        string="Sectors taken",
        help="Empty: every sector.",
    )
    jecree_project_kind_ids = fields.Many2many(
        "jecree.project.kind",
        "jecree_partner_project_kind_rel",
        "partner_id",
        "kind_id",
        string="Project kinds taken",
        help="Empty: every project kind.",
    )
    # antennas
    jecree_is_antenna = fields.Boolean(
        string="Antenna",
        index="btree_not_null",
        help="An office of a support structure that receives porteurs.",
    )
    jecree_structure_id = fields.Many2one(
        "res.partner",
        string="Support structure",
        compute="_compute_jecree_structure_id",
        store=True,
        recursive=True,
        index="btree_not_null",
    )
    jecree_antenna_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Antennas",
        domain=[("jecree_is_antenna", "=", True)],
    )
    jecree_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening hours",
        help="Opening hours of the antenna (or, when it has none, of its structure).",
    )
    jecree_closure_ids = fields.One2many(
        "resource.calendar.leaves",
        "jecree_structure_id",
        string="Closures",
        help="Days the structure is closed (a bridge day) besides the public "
        "holidays and the company's closures: no appointment is offered then at "
        "its antennas nor with its advisers.",
    )
    jecree_capacity = fields.Integer(
        string="Monthly capacity",
        help="Referrals the antenna can take per month; 0: no limit.",
    )
    jecree_manager_id = fields.Many2one(
        "res.partner",
        string="Structure manager",
        domain="[('jecree_structure_id', '=', id)]",
        help="Told when a referral of the structure stays unanswered "
        "(escalation); empty: the structure's own address.",
    )
    jecree_digest_week = fields.Date(
        string="Last weekly digest",
        readonly=True,
        copy=False,
        help="Monday of the last week whose digest the advisers received.",
    )
    # advisers
    jecree_is_adviser = fields.Boolean(
        string="Adviser", help="A professional of the structure who receives porteurs."
    )
    # competence territory
    jecree_city_ids = fields.Many2many(
        "res.city",
        "jecree_partner_city_rel",
        "partner_id",
        "city_id",
        string="Communes",
    )
    jecree_epci_ids = fields.Many2many(
        "jecree.epci",
        "jecree_partner_epci_rel",
        "partner_id",
        "epci_id",
        string="EPCIs",
    )
    jecree_arrondissement_ids = fields.Many2many(
        "jecree.arrondissement",
        "jecree_partner_arrondissement_rel",
        "partner_id",
        "arrondissement_id",
        string="Arrondissements",
    )
    jecree_department_ids = fields.Many2many(
        "res.country.department",
        "jecree_partner_department_rel",
        "partner_id",
        "department_id",
        string="Departments",
    )
    jecree_coverage_ids = fields.One2many(
        "jecree.coverage", "antenna_id", string="Communes covered"
    )
    jecree_covered_city_count = fields.Integer(
        string="Communes covered count", compute="_compute_jecree_covered_city_count"
    )
    jecree_capacity_label = fields.Char(
        string="Capacity",
        compute="_compute_jecree_capacity_label",
        help="Referrals a month the antenna takes: its own capacity, else its "
        "structure's; “Unlimited” when neither sets one (0).",
    )

    _jecree_ref_uniq = models.UniqueIndex(
        "(jecree_ref) WHERE jecree_ref IS NOT NULL",
        "Another partner has this directory reference.",
    )

    @api.depends("jecree_structure_type_id", "parent_id.jecree_structure_id")
    def _compute_jecree_structure_id(self):
        for partner in self:
            if partner.jecree_structure_type_id:
                partner.jecree_structure_id = partner
            else:
                partner.jecree_structure_id = partner.parent_id.jecree_structure_id

    @api.depends("jecree_is_antenna")
    def _compute_display_name(self):
        """An antenna's name already says its structure ("CCI Grand Lille – antenne
        de Roubaix"): it is not prefixed by its parent's."""
        res = super()._compute_display_name()
        for partner in self:
            if partner.jecree_is_antenna and partner.name:
                partner.display_name = partner.name
        return res

    @api.depends("jecree_capacity", "jecree_structure_id.jecree_capacity")
    def _compute_jecree_capacity_label(self):
        # the capacity the referral ranking applies (jecree.referral): 0 is no limit
        for partner in self:
            capacity = (
                partner.jecree_capacity or partner.jecree_structure_id.jecree_capacity
            )
            partner.jecree_capacity_label = (
                str(capacity) if capacity else self.env._("Unlimited")
            )

    def _compute_jecree_covered_city_count(self):
        counts = dict(
            self.env["jecree.coverage"]._read_group(
                [("antenna_id", "in", self.ids)], ["antenna_id"], ["__count"]
            )
        )
        for partner in self:
            partner.jecree_covered_city_count = counts.get(partner, 0)

    @api.constrains("jecree_capacity")
    def _check_jecree_capacity(self):
        if any(partner.jecree_capacity < 0 for partner in self):
            raise ValidationError(
                self.env._("The monthly capacity cannot be negative.")
            )

    @api.constrains("jecree_is_antenna", "parent_id")
    def _check_jecree_antenna_parent(self):
        for partner in self.filtered("jecree_is_antenna"):
            if not partner.parent_id.jecree_structure_id:
                raise ValidationError(
                    self.env._(
                        "The antenna %(name)s must belong to a support structure.",
                        name=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if any(
            vals.get("jecree_is_antenna") or any(f in vals for f in TERRITORY_FIELDS)
            for vals in vals_list
        ):
            partners._jecree_refresh_coverage()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if any(
            f in vals
            for f in (*TERRITORY_FIELDS, "jecree_is_antenna", "parent_id", "active")
        ):
            self._jecree_refresh_coverage()
        return res

    def _jecree_refresh_coverage(self):
        """Rewrite the coverage rows of the antennas concerned by `self` (antennas
        themselves, or structures whose antennas inherit their territory)."""
        partners = self.filtered(lambda p: p.jecree_structure_id)
        if not partners:
            return
        antennas = self.search(
            [
                ("jecree_is_antenna", "=", True),
                "|",
                ("id", "in", partners.ids),
                ("parent_id", "in", partners.ids),
            ]
        )
        # also drop rows of partners that stopped being antennas
        stale = partners - antennas
        self.env["jecree.coverage"].flush_model()
        self.env["res.city"].flush_model(
            ["epci_id", "arrondissement_id", "department_id"]
        )
        self.flush_model(
            [*TERRITORY_FIELDS, "jecree_is_antenna", "parent_id", "active"]
        )
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM jecree_coverage WHERE antenna_id = ANY(%s)",
                (antennas | stale).ids,
            )
        )
        antennas = antennas.filtered("active")
        if antennas:
            # the territory of an antenna is its own when it has one, otherwise
            # its structure's
            own = {
                a.id for a in antennas if any(a[fname] for fname in TERRITORY_FIELDS)
            }
            sources = [a.id if a.id in own else a.parent_id.id for a in antennas]
            cr.execute(
                SQL(
                    """
                INSERT INTO jecree_coverage (antenna_id, structure_id, city_id, level)
                SELECT a.antenna_id, a.structure_id, t.city_id, MIN(t.level)
                  FROM unnest(%s::int[], %s::int[], %s::int[])
                       AS a(antenna_id, source_id, structure_id)
                  JOIN (
                        SELECT partner_id, city_id, '1' AS level
                          FROM jecree_partner_city_rel
                     UNION ALL
                        SELECT r.partner_id, c.id, '2'
                          FROM jecree_partner_epci_rel r
                          JOIN res_city c ON c.epci_id = r.epci_id
                     UNION ALL
                        SELECT r.partner_id, c.id, '3'
                          FROM jecree_partner_arrondissement_rel r
                          JOIN res_city c ON c.arrondissement_id = r.arrondissement_id
                     UNION ALL
                        SELECT r.partner_id, c.id, '4'
                          FROM jecree_partner_department_rel r
                          JOIN res_city c ON c.department_id = r.department_id
                  ) t ON t.partner_id = a.source_id
              GROUP BY a.antenna_id, a.structure_id, t.city_id
                    """,
                    antennas.ids,
                    sources,
                    [a.jecree_structure_id.id for a in antennas],
                )
            )
        self.env["jecree.coverage"].invalidate_model()
        self.invalidate_model(["jecree_coverage_ids"])

    def action_jecree_refresh_coverage(self):
        self._jecree_refresh_coverage()
        return True

    def _jecree_calendar(self):
        """Opening hours of an antenna, else of its structure, else the company's."""
        self.ensure_one()
        return (
            self.jecree_calendar_id
            or self.jecree_structure_id.jecree_calendar_id
            or self.env.company.resource_calendar_id
        )

    def _jecree_tz(self):
        """The time zone (pytz) of an antenna or structure: its opening hours',
        else its structure's, else the company's working hours', else the
        company's (call center's). An appointment's times are
        always shown and written in it, whatever the viewer's own setting."""
        self.ensure_one()
        calendar = self.sudo()._jecree_calendar()
        if calendar.tz:
            return timezone(calendar.tz)
        return self.env.company._jecree_tz()

    def _jecree_leave_domain(self):
        """The leaves the slot finder honours for an antenna, a structure or an
        adviser: time off, company-wide closures and this structure's own
        closures, not another structure's."""
        self.ensure_one()
        structure = self.sudo().jecree_structure_id
        return [
            ("time_type", "=", "leave"),
            ("jecree_structure_id", "in", [False, *structure.ids]),
        ]

    def _jecree_advisers(self):
        """Advisers of an antenna, else of its structure."""
        self.ensure_one()
        advisers = self.child_ids.filtered("jecree_is_adviser")
        if not advisers and self.jecree_structure_id:
            advisers = self.search(
                [
                    ("jecree_structure_id", "=", self.jecree_structure_id.id),
                    ("jecree_is_adviser", "=", True),
                ]
            )
        return advisers

    def _jecree_work_calendar(self, antenna):
        """Working hours of the adviser `self` (their user's resource calendar),
        else the antenna's opening hours."""
        return self.user_ids[:1].sudo().resource_calendar_id or (
            antenna._jecree_calendar()
        )

    def _jecree_busy(self, start, stop, exclude=None):
        """The meetings of the advisers `self` between `start` and `stop` (naive
        UTC), but `exclude`, as (start, stop) aware UTC datetimes."""
        if not self:
            return []
        events = (
            self.env["calendar.event"]
            .sudo()
            .search_fetch(
                [
                    ("partner_ids", "in", self.ids),
                    ("start", "<", stop),
                    ("stop", ">", start),
                    ("show_as", "=", "busy"),
                    ("id", "not in", exclude.ids if exclude else []),
                ],
                ["start", "stop"],
            )
        )
        return [(utc.localize(e.start), utc.localize(e.stop)) for e in events]

    def _jecree_slot_is_free(self, antenna, start, stop, exclude=None):
        """Whether the adviser `self` (may be empty) works at `antenna` during the
        whole slot (naive UTC) and has no other meeting then (`exclude`: the
        meeting being moved)."""
        calendar = self._jecree_work_calendar(antenna)
        if not calendar or stop <= start:
            return False
        intervals = calendar._work_intervals_batch(
            utc.localize(start),
            utc.localize(stop),
            domain=antenna._jecree_leave_domain(),
        )[False]
        worked = sum(
            (
                interval_stop - interval_start
                for interval_start, interval_stop, _meta in intervals
            ),
            timedelta(),
        )
        return worked >= stop - start and not self._jecree_busy(start, stop, exclude)

    def _jecree_free_slots(self, antenna, start, days=10, duration=None):
        """Free appointment slots of the adviser `self` (may be empty) at `antenna`.

        Working hours are the adviser user's (resource calendar), else the antenna's
        opening hours; the slots cover the next `days` opening days from `start`
        (naive UTC) and skip the adviser's meetings. Returns a list of
        (start, stop) naive UTC datetimes. Public holidays, the company's
        closures and the structure's own closures have no slot, whatever the
        calendar (they are leaves that every calendar honours)."""
        duration = duration or timedelta(hours=1)
        calendar = self._jecree_work_calendar(antenna)
        if not calendar:
            return []
        tz = calendar._jecree_tz()
        start_utc = utc.localize(start)
        # 10 opening days fit in 10 weeks even with a single opening day a week
        end_utc = start_utc + timedelta(weeks=days)
        intervals = calendar._work_intervals_batch(
            start_utc, end_utc, domain=antenna._jecree_leave_domain()
        )[False]
        busy = self._jecree_busy(start, end_utc.replace(tzinfo=None))
        slots = []
        dates = []
        for interval_start, interval_stop, _meta in intervals:
            day = interval_start.astimezone(tz).date()
            if day not in dates:
                if len(dates) == days:
                    break
                dates.append(day)
            current = interval_start
            # begin on a round quarter-hour
            extra = (current.minute % 15) * 60 + current.second
            if extra or current.microsecond:
                current += timedelta(seconds=15 * 60 - extra) - timedelta(
                    microseconds=current.microsecond
                )
            while current + duration <= interval_stop:
                slot_stop = current + duration
                if not any(b0 < slot_stop and b1 > current for b0, b1 in busy):
                    slots.append(
                        (
                            current.astimezone(utc).replace(tzinfo=None),
                            slot_stop.astimezone(utc).replace(tzinfo=None),
                        )
                    )
                current = slot_stop
        return slots

    # weekly digest of the structures' referrals
    @api.model
    def _cron_jecree_referral_digest(self, batch_size=DIGEST_BATCH):
        """Mail each structure's advisers the digest of the week: referrals new
        since last Monday's digest, still waiting for an answer, appointments of
        the week. Once a week per structure (the week is stored with the mail, in
        the same transaction), in batches committed one by one; two workers at
        the same time take different structures."""
        company = self.env.company
        today = company._jecree_today()
        monday = today - timedelta(days=today.weekday())
        structures = self.sudo().search(
            [
                ("jecree_structure_type_id", "!=", False),
                "|",
                ("jecree_digest_week", "=", False),
                ("jecree_digest_week", "<", monday),
            ],
            order="id",
        )
        ir_cron = self.env["ir.cron"]
        ir_cron._commit_progress(remaining=len(structures))
        done = 0
        for start in range(0, len(structures), batch_size):
            batch = structures[start : start + batch_size]
            locked = try_lock_batch(lambda b=batch: b, allow_referencing=True)
            done += len(locked._jecree_send_referral_digest(monday))
            if not ir_cron._commit_progress(len(batch)):
                break
        return done

    def _jecree_send_referral_digest(self, monday):
        """Send the digest of the week starting `monday` to the advisers of the
        structures `self` that have not had it; returns the structures mailed."""
        self.invalidate_recordset(["jecree_digest_week"])
        structures = self.sudo().filtered(
            lambda s: not s.jecree_digest_week or s.jecree_digest_week < monday
        )
        if not structures:
            return structures
        company = self.env.company
        week_start, week_end = company._jecree_day_bounds(
            monday, monday + timedelta(days=6)
        )
        previous = week_start - timedelta(days=7)
        Referral = self.env["jecree.referral"].sudo()

        def count(domain):
            return dict(
                Referral._read_group(
                    [("structure_id", "in", structures.ids), *domain],
                    ["structure_id"],
                    ["__count"],
                )
            )

        new = count(
            [("date_proposed", ">=", previous), ("date_proposed", "<", week_start)]
        )
        waiting = count([("state", "=", "proposee")])
        appointments = count(
            [
                ("state", "=", "rdv_fixe"),
                ("appointment_start", ">=", week_start),
                ("appointment_start", "<", week_end),
            ]
        )
        advisers = dict(
            self.sudo()._read_group(
                [
                    ("jecree_structure_id", "in", structures.ids),
                    ("jecree_is_adviser", "=", True),
                    ("email", "!=", False),
                ],
                ["jecree_structure_id"],
                ["id:array_agg"],
            )
        )
        template = self.env.ref("jecree_referral.mail_template_referral_digest")
        for structure in structures:
            recipients = advisers.get(structure)
            if recipients:
                template.sudo().with_context(
                    digest_partner_ids=",".join(map(str, recipients)),
                    digest_week=monday,
                    digest_new=new.get(structure, 0),
                    digest_waiting=waiting.get(structure, 0),
                    digest_appointments=appointments.get(structure, 0),
                ).send_mail(structure.id)
        structures.write({"jecree_digest_week": monday})
        return structures
