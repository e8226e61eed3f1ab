# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JecreeFollowupCase, run_cron_method, utc


@tagged("post_install", "-at_install")
class TestCallbackSchedule(JecreeFollowupCase):
    """The J+8 call-back: due on an opening day, to an agent who is there."""

    @freeze_time("2026-07-06 08:30:00")
    def test_intake_monday_6_july_due_wednesday_15_july(self):
        """6 July + 8 days is Tuesday 14 July, a public holiday: Wednesday 15."""
        __, action = self.save_intake(
            phone="06 12 34 56 78",
            contact_name="Julie Rappel",
            sector="commerce",
            nature="information",
        )
        lead = self.env["crm.lead"].browse(action["res_id"])
        activity = self.callbacks(lead)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 7, 15))
        self.assertEqual(activity.user_id, self.agent)
        self.assertEqual(activity.res_model, "crm.lead")
        self.assertTrue(lead.callback_scheduled)
        self.assertEqual(lead.callback_state, "planned")
        # it is on the agent's activities
        mine = (
            self.env["mail.activity"]
            .with_user(self.agent)
            .search(
                [
                    ("user_id", "=", self.agent.id),
                    ("activity_type_id", "=", self.callback_type.id),
                ]
            )
        )
        self.assertIn(activity, mine)

    def test_saturday_call_due_sunday_moves_to_monday(self):
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 11, 8, 0))  # Saturday 10:00 in Paris
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 20))

    def test_local_date_of_the_call(self):
        """A call at 23:30 UTC on Sunday 5 July is Monday 6 July in Paris."""
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 5, 23, 30))
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 15))

    def close(self, name, first, last):
        """A manager closes the call center from `first` to `last` (Paris days)."""
        start, stop = self.calendar._jecree_day_bounds(first, last)
        return (
            self.env["resource.calendar.leaves"]
            .with_user(self.manager)
            .create(
                {
                    "name": name,
                    "calendar_id": self.calendar.id,
                    "date_from": start,
                    "date_to": stop,
                    "time_type": "leave",
                }
            )
        )

    def test_closure_entered_by_a_manager(self):
        self.close("Fermeture exceptionnelle", date(2026, 7, 15), date(2026, 7, 15))
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 16))

    def test_summer_closure_longer_than_a_fortnight(self):
        """Closed 13 July to 9 August: the look-up goes past its first fortnight."""
        self.close("Fermeture estivale", date(2026, 7, 13), date(2026, 8, 9))
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 8, 10))

    def test_day_without_attendance(self):
        """With the Saturday morning removed, a Saturday due date moves to Monday."""
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "5").unlink()
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 3, 8, 0))  # Friday: +8 is Saturday 11
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 13))

    def test_ascension_and_easter_monday(self):
        lead = self.new_porteur("Ascension")
        self.log_call(lead, utc(2026, 5, 6, 8, 0))  # +8 = Thursday 14 May, Ascension
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 5, 15))
        lead2 = self.new_porteur("Pâques")
        self.log_call(
            lead2, utc(2027, 3, 21, 8, 0)
        )  # Sunday call: +8 = Monday 29 March
        self.assertEqual(self.callbacks(lead2).date_deadline, date(2027, 3, 30))

    def test_agent_away_goes_to_the_least_loaded_member(self):
        # agent2 already has a call-back due on the 15th, agent3 none
        other = self.new_porteur("Autre porteur")
        self.log_call(other, utc(2026, 7, 6, 9, 0), user=self.agent2)
        self.assertEqual(self.callbacks(other).user_id, self.agent2)
        self.away(self.agent, date(2026, 7, 13), date(2026, 7, 17))
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        activity = self.callbacks(lead)
        self.assertEqual(activity.date_deadline, date(2026, 7, 15))
        self.assertEqual(activity.user_id, self.agent3)

    def test_agent_away_another_day_keeps_the_call_back(self):
        self.away(self.agent, date(2026, 7, 16))
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.assertEqual(self.callbacks(lead).user_id, self.agent)

    def test_inactive_agent(self):
        lead = self.new_porteur()
        call = self.log_call(lead, utc(2026, 7, 6, 8, 0), qualification="hors_cible")
        self.agent.sudo().active = False
        call.sudo().write({"qualification": "utile"})
        lead._jecree_schedule_callbacks()
        activity = self.callbacks(lead)
        self.assertIn(activity.user_id, self.agent2 | self.agent3)

    def test_only_the_first_useful_call(self):
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0), qualification="hors_cible")
        self.assertFalse(self.callbacks(lead), "an off-target call: no call-back")
        self.log_call(lead, utc(2026, 7, 7, 8, 0))
        self.log_call(lead, utc(2026, 7, 8, 8, 0))
        self.log_call(None, utc(2026, 7, 8, 9, 0), qualification="plaisantin")
        activity = self.callbacks(lead)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 7, 15))
        lead._jecree_schedule_callbacks()
        self.assertEqual(len(self.callbacks(lead)), 1, "scheduling again: no-op")

    def test_not_a_porteur(self):
        lead = self.env["crm.lead"].create({"name": "Classic lead"})
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.assertFalse(self.callbacks(lead))

    def test_error_call_from_intake(self):
        before = self.env["mail.activity"].search_count(
            [("activity_type_id", "=", self.callback_type.id)]
        )
        self.save_intake(qualification="erreur")
        after = self.env["mail.activity"].search_count(
            [("activity_type_id", "=", self.callback_type.id)]
        )
        self.assertEqual(before, after)

    def test_intake_query_count_with_callback(self):
        """The agent's hot path with the J+8 call-back: bounded. Measured after a
        first save (caches warm), with and without the call-back."""
        self.save_intake(phone="09 21 00 00 00", contact_name="Premier Appel")

        def intake(number, name):
            return self.intake_form(
                phone=f"09 21 00 00 {number}",
                contact_name=name,
                zip_code="62000",
                project_kind="reprise",
                sector="services",
            ).save()

        with_callback = intake("01", "Sarah Rappel")
        self.env.invalidate_all()
        # one of them settles the open missed calls of the number (telephony); the
        # communes of the postal code and the brochure are cached (ormcache)
        with self.assertQueryCount(__system__=33):
            action = with_callback.action_save()
        lead = self.env["crm.lead"].browse(action["res_id"])
        without = intake("02", "Sarah Sans Rappel").with_context(
            jecree_no_callback=True
        )
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=18):
            action = without.action_save()
        self.assertTrue(self.callbacks(lead))
        self.assertFalse(self.callbacks(self.env["crm.lead"].browse(action["res_id"])))

    def test_without_call_center_calendar(self):
        """No calendar set: Sundays and public holidays still move the call-back."""
        self.env.company.jecree_calendar_id = False
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 15))

    def test_delay_read_from_the_activity_type(self):
        """Managers edit the "J+8 call-back" type's delay: it is the one used.
        Ten days after Saturday 4 July is Tuesday 14 July, a public holiday: due
        Wednesday 15 (eight days would have given Sunday 12 → Monday 13)."""
        # as a call-center manager, in Settings > Activity types
        self.callback_type.with_user(self.manager).write(
            {"delay_count": 10, "delay_unit": "days"}
        )
        lead = self.new_porteur()
        self.log_call(lead, utc(2026, 7, 4, 8, 0))  # Saturday 10:00 in Paris
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 15))
        # in weeks: two weeks after Monday 6 July
        self.callback_type.write({"delay_count": 2, "delay_unit": "weeks"})
        lead = self.new_porteur("Porteur Semaines")
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 20))

    def test_delay_of_the_type_in_the_cron(self):
        """Calls imported without the ORM get the type's delay too."""
        self.callback_type.delay_count = 10
        lead = self.new_porteur()
        self.env["crm.phonecall"].with_context(jecree_no_callback=True).create(
            {
                "name": "Appel importé",
                "date": utc(2026, 7, 4, 8, 0),
                "qualification": "utile",
                "nature": "information",
                "opportunity_id": lead.id,
                "user_id": self.agent.id,
            }
        )
        self.assertFalse(self.callbacks(lead))
        run_cron_method(self.env["crm.lead"]._cron_jecree_schedule_callbacks)
        self.assertEqual(self.callbacks(lead).date_deadline, date(2026, 7, 15))
