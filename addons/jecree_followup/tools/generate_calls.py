# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A month of raw calls for the reporting, seeded, inserted in SQL batches.

The default figures are the article's first month: 2,341 calls handled, 1,807
information/orientation/financing requests split 975/578/199/55 between commerce,
services, artisanat and industrie (54/32/11/3 %), 164 errors and pranks (7 %). The
other 370 calls are second calls of porteurs (nature "autre") and off-target calls.
Calls inserted in SQL do not go through the ORM: their J+8 call-backs are scheduled by
the cron, as for imported calls. The command line is `data/generate_calls.py`.
"""

import calendar
import random
from datetime import datetime, time, timedelta

import pytz

from odoo.tools import SQL

from odoo.addons.jecree_project.models.crm_phonecall import (
    REQUEST_NATURES,
    USEFUL_QUALIFICATION,
)
from odoo.addons.jecree_project.tools.french_holidays import french_public_holidays

ARTICLE_MONTH = {
    "total": 2341,
    "sectors": (
        ("commerce", 975),
        ("services", 578),
        ("artisanat", 199),
        ("industrie", 55),
    ),
    "errors": 100,
    "pranks": 64,
    "off_target": 185,
}
# opening hours of the article, per weekday (Monday = 0)
OPENING_HOURS = {0: (8, 21), 1: (8, 21), 2: (8, 21), 3: (8, 21), 4: (8, 21), 5: (8, 12)}
BATCH = 1000


def _opening_slots(year, month):
    """(day, first hour, last hour) of the opening days of the month."""
    holidays = french_public_holidays(year)
    slots = []
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        current = datetime(year, month, day).date()
        hours = OPENING_HOURS.get(current.weekday())
        if hours and current not in holidays:
            slots.append((current, *hours))
    return slots


def _random_datetime(rng, slots, tz):
    """A random moment of the opening hours, as a naive UTC datetime."""
    weights = [hour_to - hour_from for __, hour_from, hour_to in slots]
    day, hour_from, hour_to = rng.choices(slots, weights=weights)[0]
    seconds = rng.randrange((hour_to - hour_from) * 3600)
    local = tz.localize(
        datetime.combine(day, time(hour_from)) + timedelta(seconds=seconds)
    )
    return local.astimezone(pytz.utc).replace(tzinfo=None)


#: the columns every generated lead and call ends with (after its agent)
OWNER_COLUMNS = (
    "team_id",
    "company_id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)


def _insert(cr, table, columns, rows):
    """Multi-row INSERT by batches; return the new ids in the order of `rows`."""
    ids = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL(", ").join(SQL("%s", tuple(row)) for row in chunk),
            )
        )
        ids.extend(row[0] for row in cr.fetchall())
    return ids


def generate_month(env, year, month, seed=2026, agents=None, figures=None):
    """Insert a month of raw calls (and their porteurs); return the counts.

    :param agents: res.users taking the calls (default: the call-center team)
    :param figures: overrides of ARTICLE_MONTH (total, sectors, errors, pranks,
        off_target); the remaining calls are second calls of porteurs.
    """
    figures = dict(ARTICLE_MONTH, **(figures or {}))
    rng = random.Random(f"{seed}-{year}-{month}")
    company = env.company
    team = company.jecree_team_id
    agents = agents or team.member_ids or env.user
    agent_ids = agents.ids
    tz = company._jecree_tz()
    slots = _opening_slots(year, month)
    communes = env["res.city"].search_read(
        [("insee_code", "!=", False)], ["id", "epci_id", "department_id"], limit=200
    ) or [{"id": None, "epci_id": False, "department_id": False}]
    requests = sum(count for __, count in figures["sectors"])
    returning = (
        figures["total"]
        - requests
        - figures["errors"]
        - figures["pranks"]
        - figures["off_target"]
    )
    if returning < 0:
        raise ValueError("the figures add up to more calls than the total")
    env.flush_all()
    cr = env.cr
    now = datetime.now().replace(microsecond=0)
    owner = (team.id or None, company.id, env.uid, now, env.uid, now)  # OWNER_COLUMNS
    # one porteur per request, with the sector of the request
    lead_rows, lead_sectors = [], []
    for sector, count in figures["sectors"]:
        lead_sectors.extend([sector] * count)
    rng.shuffle(lead_sectors)
    for number, sector in enumerate(lead_sectors, 1):
        commune = rng.choice(communes)
        lead_rows.append(
            (
                f"Porteur {year}-{month:02d}-{number:05d}",
                "opportunity",
                True,
                True,
                sector,
                rng.choice(("creation", "creation", "creation", "reprise")),
                "idee",
                commune["id"],
                commune["epci_id"] and commune["epci_id"][0],
                commune["department_id"] and commune["department_id"][0],
                rng.choice(agent_ids),
                *owner,
            )
        )
    lead_ids = _insert(
        cr,
        "crm_lead",
        (
            "name",
            "type",
            "active",
            "is_porteur",
            "sector",
            "project_kind",
            "maturity",
            "commune_id",
            "epci_id",
            "department_id",
            "user_id",
            *OWNER_COLUMNS,
        ),
        lead_rows,
    )
    # (nature, qualification, lead id) of every call, in a random order; a
    # returning call goes to a porteur whose request came before it
    calls = [
        (rng.choice(REQUEST_NATURES), USEFUL_QUALIFICATION, lead_id)
        for lead_id in lead_ids
    ]
    calls += [("autre", USEFUL_QUALIFICATION, None)] * returning
    calls += [(None, "erreur", None)] * figures["errors"]
    calls += [(None, "plaisantin", None)] * figures["pranks"]
    calls += [(None, "hors_cible", None)] * figures["off_target"]
    rng.shuffle(calls)
    dates = sorted(_random_datetime(rng, slots, tz) for __ in calls)
    seen = []
    rows = []
    for (nature, qualification, lead_id), date in zip(calls, dates, strict=True):
        if lead_id:
            seen.append(lead_id)
        elif qualification == USEFUL_QUALIFICATION:
            lead_id = rng.choice(seen or lead_ids)
        rows.append(
            (
                f"{qualification} {nature or ''}".strip(),
                "in",
                "done",
                "1",
                True,
                date,
                round(rng.uniform(2, 12), 2),
                nature,
                qualification,
                lead_id,
                rng.choice(agent_ids),
                *owner,
            )
        )
    _insert(
        cr,
        "crm_phonecall",
        (
            "name",
            "direction",
            "state",
            "priority",
            "active",
            "date",
            "duration",
            "nature",
            "qualification",
            "opportunity_id",
            "user_id",
            *OWNER_COLUMNS,
        ),
        rows,
    )
    env.invalidate_all()
    return {
        "calls": len(rows),
        "requests": requests,
        "errors_pranks": figures["errors"] + figures["pranks"],
        "porteurs": len(lead_ids),
        "sectors": dict(figures["sectors"]),
    }
