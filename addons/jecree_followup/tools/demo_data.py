# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's day: dated from the day it is installed, made by the model methods.

Loaded by `demo/jecree_followup_demo.xml` (`res.company._jecree_load_demo`) with
`--with-demo` only. Every record goes through the rule that makes it in production:
calls and porteurs through `crm.lead.jecree_log_call` (which schedules the J+8
call-back and queues the brochure), referrals through the referral wizard
(`action_refer`), their life through `jecree.referral` (`_move_to`,
`_book_appointment`, `action_mark_kept`...), call-backs through
`crm.lead.jecree_record_callback`, the previous month through
`tools/generate_calls.generate_month`. Only the history's timestamps (the days a
referral was proposed, accepted...) are written afterwards, as an import would.
"""

import logging
from datetime import datetime, time, timedelta
from time import perf_counter as timer

import pytz

from odoo import fields

from .generate_calls import generate_month

_logger = logging.getLogger(__name__)

#: the previous month, at a small scale (the article's shares: 54/32/11/3 % of the
#: requests by sector, 7 % errors and pranks): generated in under a second; recording
#: its porteurs' J+8 call-backs is most of the demo's install time
DEMO_MONTH = {
    "total": 240,
    "sectors": (
        ("commerce", 100),
        ("services", 60),
        ("artisanat", 20),
        ("industrie", 6),
    ),
    "errors": 10,
    "pranks": 7,
    "off_target": 19,
}
#: share of the previous month's call-backs recorded as not reached (the others
#: reached); the call-backs due in the last RECENT_DAYS days stay to do
NOT_REACHED_EVERY = 6
RECENT_DAYS = 3

#: (porteur, sector, project kind, maturity, commune xmlid, postal code, needs)
PORTEURS = [
    (
        "Amandine Caron",
        "artisanat",
        "creation",
        "construction",
        "62041",
        "62000",
        "fin",
    ),
    ("Baptiste Leclercq", "services", "creation", "idee", "62041", "62000", "acc"),
    ("Céline Dufour", "artisanat", "reprise", "financement", "62263", "62000", "fin"),
    ("Damien Lefranc", "services", "creation", "construction", "62041", "62000", "jur"),
    ("Élise Vasseur", "artisanat", "creation", "pret", "62263", "62000", "acc"),
    ("Farid Benali", "services", "creation", "construction", "62041", "62000", "acc"),
    ("Gaëlle Poulain", "artisanat", "creation", "pret", "62041", "62000", "fin"),
    ("Hervé Deschamps", "services", "reprise", "construction", "62041", "62000", "jur"),
    (
        "Isabelle Cordier",
        "commerce",
        "creation",
        "construction",
        "62041",
        "62000",
        "acc",
    ),
    ("Jérémy Lambert", "commerce", "creation", "idee", "62263", "62000", "fin"),
    ("Karine Moreau", "commerce", "reprise", "financement", "62041", "62000", "jur"),
    (
        "Laurent Fontaine",
        "industrie",
        "creation",
        "construction",
        "62041",
        "62000",
        "acc",
    ),
    ("Maëlle Guilbert", "commerce", "creation", "pret", "62263", "62000", "fin"),
    (
        "Nicolas Hennebert",
        "commerce",
        "creation",
        "construction",
        "62041",
        "62000",
        "acc",
    ),
    ("Océane Delcourt", "commerce", "reprise", "pret", "62041", "62000", "jur"),
    ("Pierre Wattez", "industrie", "creation", "construction", "62041", "62000", "acc"),
]
#: the J+8 call-backs of the agents' day: due on the opening day of the demo's
#: day, and overdue
CALLBACK_PORTEURS = [
    ("Quentin Roussel", "commerce", "59350", "59000", "today"),
    ("Rachida Haddad", "services", "59350", "59000", "today"),
    ("Sébastien Carpentier", "artisanat", "62041", "62000", "today"),
    ("Tiphaine Masclet", "commerce", "59350", "59000", "overdue"),
    ("Ulysse Verhaeghe", "services", "62041", "62000", "overdue"),
]
NEEDS = {
    "fin": ("jecree_need_financement",),
    "acc": ("jecree_need_accompagnement", "jecree_need_information"),
    "jur": ("jecree_need_juridique",),
}
#: the life of the eight referrals of each structure: every state
LIVES = (
    "proposee",
    "acceptee",
    "refusee",
    "rdv_fixe",
    "honore",
    "non_honore",
    "accompagnement",
    "clos",
)


def _email(name):
    return (
        name.lower()
        .translate(str.maketrans("éèëêàçïôüœ", "eeeeacioue"))
        .replace(" ", ".")
        + "@example.com"
    )


class DemoDay:
    """Builds the demo for the company's current day (the call center's zone)."""

    def __init__(self, env):
        installed = dict(env["res.lang"].get_installed())
        lang = "fr_FR" if "fr_FR" in installed else env.lang
        self.env = env(context=dict(env.context, lang=lang))
        self.company = self.env.company
        self.calendar = self.company.jecree_calendar_id
        self.tz = self.company._jecree_tz()
        self.today = self.company._jecree_today()
        ref = self.env.ref
        self.agent = ref("jecree_project.res_users_agent_demo")
        self.agent2 = ref("jecree_project.res_users_agent2_demo")
        # the demo users are French (jecree_project's demo); in a database without
        # French, they get the database's language: Odoo writes in a user's language
        demo_users = (
            self.agent | self.agent2 | ref("jecree_project.res_users_manager_demo")
        )
        demo_users.filtered(lambda user: user.lang not in installed).write(
            {"lang": self.env.lang or "en_US"}
        )
        self.structures = [
            (
                ref("jecree_referral.res_partner_antenna_cma_621_demo"),
                ref("jecree_referral.res_users_conseiller_cma_arras_demo"),
            ),
            (
                ref("jecree_referral.res_partner_antenna_cci_artois_627_demo"),
                ref("jecree_referral.res_users_conseiller_cci_artois_demo"),
            ),
        ]
        self.phone = 612340000
        # the call-backs the demo shows as due today and overdue: left to do
        self.open_callbacks = self.env["crm.lead"]

    # ------------------------------------------------------------------ helpers
    def at(self, day, hour=10, minute=0):
        """The naive UTC datetime of `day` at `hour` in the call center's zone."""
        local = self.tz.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def opening_day_before(self, day):
        """The last opening day of the call center on or before `day`."""
        for back in range(0, 15):
            candidate = day - timedelta(days=back)
            if self.calendar._jecree_next_opening_day(candidate) == candidate:
                return candidate
        return day

    def call_day_for(self, due):
        """An opening day whose call's J+8 call-back falls on `due`."""
        Lead = self.env["crm.lead"]
        for back in range(1, 20):
            day = due - timedelta(days=back)
            if self.calendar._jecree_next_opening_day(day) != day:
                continue
            callback = self.calendar._jecree_next_opening_day(
                Lead._jecree_callback_day(day)
            )
            if callback == due:
                return day
        return None

    def name(self, record, name):
        """An xml id ending in _demo, for the tests and for who explores the demo
        (noupdate: an update of the addon keeps it)."""
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"jecree_followup.{name}_demo",
                    "record": record,
                    "noupdate": True,
                }
            ]
        )

    def log_call(self, user, name, sector, commune, zip_code, day, **values):
        self.phone += 7321
        commune = self.env.ref(f"jecree_project.res_city_fr_{commune}")
        call = {
            "phone": f"+33{self.phone}",
            "email": _email(name),
            "contact_name": name,
            "zip_code": zip_code,
            "commune_id": commune.id,
            "project_kind": "creation",
            "sector": sector,
            "maturity": "idee",
            "consent": True,
            "nature": "information",
            "duration": 6,
            "call_date": day if isinstance(day, datetime) else self.at(day),
            "send_brochure": True,
            **values,
        }
        result = self.env["crm.lead"].with_user(user).jecree_log_call(call)
        return self.env["crm.lead"].browse(result["lead_id"])

    # ------------------------------------------------------------------ steps
    def load(self):
        steps = (
            self.load_translations,
            self.closures,
            self.previous_month,
            self.referrals,
            self.callbacks_due,
            self.calls_today,
            self.replay_callbacks,
            self.home_actions,
        )
        for step in steps:
            started = timer()
            step()
            _logger.info("Demo: %s in %.1f s", step.__name__, timer() - started)
        return True

    def home_actions(self):
        """The demo users land where their day starts (created before this
        addon: `res.users.create` gives it to the users created after)."""
        users = (
            self.agent
            | self.agent2
            | self.env.ref("jecree_project.res_users_manager_demo")
        )
        users._jecree_set_home_action()

    def load_translations(self):
        """The French of our addons, before the records that copy a label (an
        activity's title is its type's summary): Odoo loads a module's
        translations only after its demo data."""
        if self.env.lang != "fr_FR":
            return
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("jecree_project", "jecree_referral", "jecree_followup"))]
        )
        modules._update_translations(filter_lang=["fr_FR"])

    def closures(self):
        """A closure of the call center in three weeks (the public holidays are
        already there) and a closure of the CMA in Arras next week."""
        Leaves = self.env["resource.calendar.leaves"]
        day = self.today + timedelta(days=21)
        start, stop = self.company._jecree_day_bounds(day, day)
        Leaves.create(
            {
                "name": "Fermeture du centre d'appels – séminaire d'équipe",
                "company_id": self.company.id,
                "calendar_id": False,
                "resource_id": False,
                "date_from": start,
                "date_to": stop - timedelta(seconds=1),
                "time_type": "leave",
            }
        )
        antenna = self.structures[0][0]
        day = self.today + timedelta(days=7)
        start, stop = self.company._jecree_day_bounds(day, day)
        Leaves.create(
            {
                "name": "Pont – CMA fermée",
                "company_id": self.company.id,
                "calendar_id": False,
                "resource_id": False,
                "jecree_structure_id": antenna.jecree_structure_id.id,
                "date_from": start,
                "date_to": stop - timedelta(seconds=1),
                "time_type": "leave",
            }
        )

    def previous_month(self):
        """The previous month's calls (SQL, as an import), then their J+8
        call-backs scheduled by the model, as the cron does."""
        month = self.company._jecree_last_month()
        counts = generate_month(
            self.env,
            month.year,
            month.month,
            seed=2026,
            agents=self.agent | self.agent2,
            figures=DEMO_MONTH,
        )
        return counts

    def referrals(self):
        """Eight referrals per structure, one in each state, from the porteurs'
        calls of the last weeks; the advisers answer as portal users."""
        referrals = self.env["jecree.referral"]
        Wizard = self.env["jecree.referral.wizard"]
        for index, porteur in enumerate(PORTEURS):
            name, sector, kind, maturity, commune, zip_code, needs = porteur
            antenna, adviser_user = self.structures[index // len(LIVES)]
            life = LIVES[index % len(LIVES)]
            # the older the step, the older the call
            call_day = self.opening_day_before(
                self.today - timedelta(days=10 + 2 * (index % len(LIVES)))
            )
            agent = self.agent if index % 2 else self.agent2
            lead = self.log_call(
                agent,
                name,
                sector,
                commune,
                zip_code,
                call_day,
                project_kind=kind,
                maturity=maturity,
                nature="orientation",
                need_ids=[
                    self.env.ref(f"jecree_project.{need}").id for need in NEEDS[needs]
                ],
                notes="Souhaite un rendez-vous avec un conseiller près d'Arras.",
            )
            wizard = Wizard.with_user(agent).create(
                {
                    "lead_id": lead.id,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "antenna_id": antenna.id,
                                "structure_id": antenna.jecree_structure_id.id,
                                "selected": True,
                            }
                        )
                    ],
                }
            )
            wizard.action_refer()
            referral = wizard.referral_ids.with_user(agent)
            self.live(referral, life, adviser_user, call_day)
            key = "cma" if index < len(LIVES) else "cci"
            self.name(lead, f"crm_lead_referred_{key}_{life}")
            self.name(referral, f"jecree_referral_{key}_{life}")
            referrals |= referral
        return referrals

    def live(self, referral, life, adviser_user, call_day):
        """Move `referral` to `life` through its methods, then date its steps."""
        by_adviser = referral.with_user(adviser_user)
        dates = {"date_proposed": self.at(call_day, 11)}
        if life == "proposee":
            pass
        elif life == "refusee":
            by_adviser.action_refuse(
                "Projet hors de notre champ : orienté vers la CCI du secteur."
            )
            dates["date_refused"] = self.at(call_day + timedelta(days=2), 9)
        elif life in ("acceptee", "rdv_fixe"):
            by_adviser.action_accept()
            dates["date_accepted"] = self.at(call_day + timedelta(days=1), 9)
            if life == "rdv_fixe":
                adviser = referral.sudo().adviser_id
                slots = adviser.sudo()._jecree_free_slots(
                    referral.sudo().antenna_id,
                    self.at(self.today + timedelta(days=2), 0),
                )
                start, stop = slots[len(slots) // 3]
                referral._book_appointment(start, stop, adviser)
        else:
            # an appointment that took place: set at the call, a few days ago
            by_adviser.action_accept()
            day = self.opening_day_before(call_day + timedelta(days=6))
            start = self.at(day, 14)
            referral._move_to(
                "rdv_fixe",
                appointment_start=start,
                appointment_stop=start + timedelta(hours=1),
            )
            dates.update(
                date_accepted=self.at(call_day + timedelta(days=1), 9),
                date_appointment_set=self.at(call_day + timedelta(days=1), 10),
            )
            if life == "non_honore":
                by_adviser.action_mark_not_kept()
                dates["date_not_kept"] = start + timedelta(hours=2)
            else:
                by_adviser.action_mark_kept()
                dates["date_kept"] = start + timedelta(hours=2)
            if life in ("accompagnement", "clos"):
                by_adviser.action_start_support()
                dates["date_support"] = start + timedelta(days=1)
            if life == "clos":
                referral.action_close()
                dates["date_closed"] = start + timedelta(days=2)
        # the history's days, as an import of past referrals would write them
        referral.sudo().write(dates)

    def callbacks_due(self):
        """Porteurs whose J+8 call-back is due on the current opening day, and
        call-backs overdue."""
        due_today = self.calendar._jecree_next_opening_day(self.today)
        overdue = self.opening_day_before(self.today - timedelta(days=1))
        for number, porteur in enumerate(CALLBACK_PORTEURS, 1):
            name, sector, commune, zip_code, when = porteur
            due = due_today if when == "today" else overdue
            call_day = self.call_day_for(due)
            if not call_day:
                continue
            lead = self.log_call(
                self.agent,
                name,
                sector,
                commune,
                zip_code,
                self.at(call_day, 15),
                nature="information",
                notes="A reçu la brochure ; rappeler pour le point sur le projet.",
            )
            self.name(lead, f"crm_lead_callback_{when}_{number}")
            self.open_callbacks |= lead

    def calls_today(self):
        """This morning's calls: two requests and an error."""
        now = fields.Datetime.now()
        start = self.company._jecree_day_bounds(self.today, self.today)[0]

        def earlier(minutes):
            return max(start, now - timedelta(minutes=minutes))

        self.log_call(
            self.agent,
            "Victor Lemoine",
            "commerce",
            "59350",
            "59000",
            earlier(50),
            nature="information",
        )
        self.log_call(
            self.agent2,
            "Wendy Boucher",
            "services",
            "62041",
            "62000",
            earlier(30),
            nature="financement",
        )
        self.env["crm.lead"].with_user(self.agent).jecree_log_call(
            {
                "phone": "+33612000999",
                "qualification": "erreur",
                "duration": 1,
                "call_date": earlier(10),
            }
        )

    def replay_callbacks(self):
        """The J+8 call-backs of every porteur (the demo porteurs of
        jecree_project and the previous month's were made without them):
        scheduled by the model; those due more than RECENT_DAYS ago recorded by
        their agent (reached, one in NOT_REACHED_EVERY not reached); the recent
        ones and the demo's own due and overdue ones stay to do."""
        Lead = self.env["crm.lead"]
        todo = Lead.search(
            [("is_porteur", "=", True), ("callback_scheduled", "=", False)]
        )
        todo._jecree_schedule_callbacks()
        Activity = self.env["mail.activity"]
        old = Activity.search(
            [
                ("res_model", "=", "crm.lead"),
                ("activity_type_id", "=", Lead._jecree_callback_type().id),
                ("date_deadline", "<", self.today - timedelta(days=RECENT_DAYS)),
                ("res_id", "not in", self.open_callbacks.ids),
            ],
            order="date_deadline, id",
        )
        for number, activity in enumerate(old, 1):
            lead = Lead.browse(activity.res_id)
            user = activity.user_id if activity.user_id.active else self.agent
            reached = number % NOT_REACHED_EVERY
            # some projects started since: the year's objective has a count
            maturity = "demarre" if number % 5 == 0 else "construction"
            # history: no tracking messages nor "activity assigned" mails (the
            # call-back's own note stays)
            lead.with_user(user).with_context(
                tracking_disable=True, mail_activity_quick_update=True
            ).jecree_record_callback(
                {
                    "outcome": "reached" if reached else "not_reached",
                    "maturity": maturity if reached else False,
                    "next_step": "Rendez-vous avec un conseiller" if reached else "",
                    "duration": 4,
                    "activity_id": activity.id,
                }
            )


def load_demo(env):
    return DemoDay(env).load()
