# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.base.models.ir_cron import IrCron
from odoo.addons.jecree_project.models.jecree_callback_request import (
    PRIVACY_NOTICE_VERSION,
)
from odoo.addons.jecree_project.tests.common import JecreeProjectCase

#: a small month of generated calls (data/generate_calls.py figures): 40 porteurs
#: a call-back asked for on the public web form (`crm.lead.jecree_request_callback`)
REQUEST = {
    "contact_name": "Inès Web",
    "phone": "06 55 44 33 22",
    "zip_code": "59000",
    "project_kind": "creation",
    "sector": "services",
    "slot": "asap",
    "consent": True,
    "consent_version": PRIVACY_NOTICE_VERSION,
}

SMALL_MONTH = {
    "total": 60,
    "sectors": (("commerce", 20), ("services", 10), ("artisanat", 5), ("industrie", 5)),
    "errors": 4,
    "pranks": 2,
    "off_target": 4,
}


def run_cron_method(method, **kwargs):
    """Run a cron's method, its progress recorded instead of committed.

    Returns (what the method returns, [(processed, remaining), ...])."""
    progress = []

    def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
        progress.append((processed, remaining))
        return float("inf")

    with patch.object(IrCron, "_commit_progress", commit_progress):
        result = method(**kwargs)
    return result, progress


class JecreeFollowupCase(JecreeProjectCase):
    """Agents in the call-center team, the calendar, and call helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent3 = new_test_user(
            cls.env,
            login="jc_agent3",
            name="Agent Three",
            groups="jecree_project.group_jecree_agent",
        )
        cls.team = cls.env.company.jecree_team_id
        cls.team.member_ids = cls.agent | cls.agent2 | cls.agent3
        cls.calendar = cls.env.company.jecree_calendar_id
        cls.callback_type = cls.env.ref("jecree_followup.mail_activity_type_callback")
        # the holidays of the years of the tests, as the install does for "now"
        cls.env.company._jecree_generate_public_holidays(range(2026, 2028))

    def new_porteur(self, name="Porteur Test", **values):
        return (
            self.env["crm.lead"]
            .with_user(self.agent)
            .create(
                dict(
                    name=name,
                    type="opportunity",
                    is_porteur=True,
                    contact_name=name,
                    team_id=self.team.id,
                    **values,
                )
            )
        )

    def structure_antenna(self):
        """A support structure (a CMA) and its antenna."""
        structure = self.env["res.partner"].create(
            {
                "name": "CMA Suivi",
                "is_company": True,
                "jecree_structure_type_id": self.env.ref(
                    "jecree_referral.jecree_structure_type_cma"
                ).id,
                "child_ids": [
                    Command.create(
                        {
                            "name": "CMA Suivi – Arras",
                            "type": "other",
                            "jecree_is_antenna": True,
                        }
                    )
                ],
            }
        )
        return structure.child_ids

    def appointment(self, lead, start, state="rdv_fixe", antenna=None):
        """A referral of `lead` with an appointment at `start` (naive UTC), in
        `state`, set up as the system (not through the advisers' steps)."""
        antenna = antenna or self.structure_antenna()
        return self.env["jecree.referral"].create(
            {
                "lead_id": lead.id,
                "structure_id": antenna.jecree_structure_id.id,
                "antenna_id": antenna.id,
                "state": state,
                "appointment_start": start,
                "appointment_stop": start + timedelta(hours=1),
                "date_appointment_set": start - timedelta(days=2),
            }
        )

    def log_call(self, lead, when, user=None, qualification="utile", **values):
        """A call logged by `user` (the agent) at `when` (naive UTC datetime)."""
        user = user or self.agent
        return (
            self.env["crm.phonecall"]
            .with_user(user)
            .create(
                dict(
                    name="Appel",
                    direction="in",
                    date=when,
                    nature="information",
                    qualification=qualification,
                    opportunity_id=lead.id if lead else False,
                    user_id=user.id,
                    state="done",
                    **values,
                )
            )
        )

    def callbacks(self, lead, active=True):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", lead.ids),
                    ("activity_type_id", "=", self.callback_type.id),
                    ("active", "in", [True] if active else [True, False]),
                ],
                order="id",
            )
        )

    def away(self, user, day_from, day_to=None):
        """A leave of `user` (their resource) on these days (Paris time)."""
        resource = user.sudo().resource_ids[:1] or self.env["resource.resource"].create(
            {"name": user.name, "user_id": user.id, "calendar_id": self.calendar.id}
        )
        start, stop = self.calendar._jecree_day_bounds(day_from, day_to or day_from)
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Congés",
                "resource_id": resource.id,
                "calendar_id": self.calendar.id,
                "date_from": start,
                "date_to": stop,
                "time_type": "leave",
            }
        )


def utc(*args):
    """A naive UTC datetime, as stored by the ORM."""
    return datetime(*args)
