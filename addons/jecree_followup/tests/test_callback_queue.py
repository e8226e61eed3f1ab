# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.jecree_project.tests.common import load_french
from odoo.addons.jecree_project.tests.test_telephony_dial import POST, FakePhoneSystem

from .common import REQUEST, JecreeFollowupCase, utc

ACTION = "jecree_followup.mail_activity_callback_action"
MENU = "jecree_followup.mail_activity_callback_menu"
URL = "https://pbx.example.org/originate"
#: Wednesday 15 July 2026, 10:00 in Paris (the 14th is a public holiday)
NOW = "2026-07-15 08:00:00"
TODAY = date(2026, 7, 15)


@tagged("post_install", "-at_install")
class TestCallbackQueue(JecreeFollowupCase):
    """CRM > Porteurs > "To call back" (À rappeler): one list of the J+8
    call-backs and the call-backs asked for on the web, opened as the agent opens
    it (the action's domain, its default filters, the list's order), each row
    called back and recorded the way its kind is."""

    def setUp(self):
        super().setUp()
        self.request_type = self.env.ref(
            "jecree_project.mail_activity_type_callback_request"
        )

    # ------------------------------------------------------------------ helpers
    def queue_search(self, user=None, filters=None, today=TODAY):
        """(model as `user`, domain, order) of the list `user` (the agent) sees on
        opening the menu: the action's domain and, unless `filters` names others,
        its default filters (each in its own group of the search view, so ANDed),
        in the list's order."""
        env = self.env(user=user or self.agent)
        action = env["ir.actions.act_window"]._for_xml_id(ACTION)
        eval_context = {
            "uid": env.uid,
            "context_today": lambda: today,
            "relativedelta": relativedelta,
        }
        context = safe_eval(action["context"], eval_context)
        if filters is None:
            filters = [
                key.removeprefix("search_default_")
                for key, value in context.items()
                if key.startswith("search_default_") and value
            ]
        views = env["mail.activity"].get_views(
            [(action["view_id"][0], "list"), (action["search_view_id"][0], "search")]
        )["views"]
        search = etree.fromstring(views["search"]["arch"])
        domain = list(safe_eval(action["domain"], eval_context))
        for name in filters:
            (node,) = search.xpath(f"//filter[@name='{name}']")
            domain += safe_eval(node.get("domain"), eval_context)
        order = etree.fromstring(views["list"]["arch"]).get("default_order")
        return env["mail.activity"], domain, order

    def queue(self, user=None, filters=None, today=TODAY):
        Activity, domain, order = self.queue_search(user, filters, today)
        return Activity.search(domain, order=order)

    def j8(self, lead, day, agent=None):
        return self.env["crm.lead"]._jecree_create_callback_activities(
            [(lead.id, agent or self.agent, day)]
        )

    def web_request(self, **values):
        """A call-back asked for on the public form (as the form calls it)."""
        result = (
            self.env["crm.lead"].sudo().jecree_request_callback(dict(REQUEST, **values))
        )
        return self.env["mail.activity"].browse(result["activity_id"])

    def set_phone_system(self):
        Params = self.env["ir.config_parameter"].sudo()
        Params.set_param("jecree_project.originate_through", "url")
        Params.set_param("jecree_project.originate_url", URL)
        self.agent.jecree_phone_extension = "201"

    def setup_queue(self):
        """The agent's day: a J+8 call-back late and one due today, a web request
        due today; not theirs or not due: a J+8 tomorrow, a colleague's J+8, a
        follow-up call (another kind of activity)."""
        late = self.new_porteur("Paul Retard", phone="06 11 11 11 11")
        today = self.new_porteur("Jeanne Jour", phone="06 22 22 22 22")
        tomorrow = self.new_porteur("Luc Demain", phone="06 33 33 33 33")
        colleague = self.new_porteur("Anne Collègue", phone="06 44 44 44 44")
        rows = {
            "late": self.j8(late, date(2026, 7, 13)),
            "today": self.j8(today, TODAY),
            "tomorrow": self.j8(tomorrow, date(2026, 7, 16)),
            "colleague": self.j8(colleague, TODAY, agent=self.agent2),
        }
        rows["followup"] = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": today.id,
                "activity_type_id": self.env.ref(
                    "jecree_followup.mail_activity_type_followup"
                ).id,
                "user_id": self.agent.id,
                "date_deadline": TODAY,
            }
        )
        # the colleagues are away today: the web request is shared out to the agent
        self.away(self.agent2, TODAY)
        self.away(self.agent3, TODAY)
        rows["requested"] = self.web_request()
        self.assertEqual(rows["requested"].user_id, self.agent)
        return rows

    # ------------------------------------------------------------------ the list
    @freeze_time(NOW)
    def test_opens_on_my_callbacks_due_of_both_kinds_due_first(self):
        rows = self.setup_queue()
        queue = self.queue()
        self.assertEqual(
            queue, rows["late"] | rows["today"] | rows["requested"], "due first"
        )
        self.assertEqual(
            [activity.activity_type_id for activity in queue],
            [self.callback_type, self.callback_type, self.request_type],
        )
        # each kind has its filter
        self.assertEqual(
            self.queue(filters=["mine", "due", "type_requested"]), rows["requested"]
        )
        self.assertEqual(
            self.queue(filters=["mine", "due", "type_j8"]), rows["late"] | rows["today"]
        )
        # "this week" plans the week: tomorrow's call-back, not the late one
        # (the week starts on Monday 13 July: the late one is in it)
        self.assertEqual(
            self.queue(filters=["mine", "this_week"]),
            rows["late"] | rows["today"] | rows["requested"] | rows["tomorrow"],
        )
        # the columns the agent calls from, read as the agent
        phones = {
            activity.res_name: activity.jecree_phone
            for activity in queue.with_user(self.agent)
        }
        self.assertEqual(
            phones,
            {
                "Paul Retard": "06 11 11 11 11",
                "Jeanne Jour": "06 22 22 22 22",
                "Inès Web – Création": "+33 6 55 44 33 22",
            },
        )
        self.assertEqual(
            queue.with_user(self.agent).mapped("jecree_requested_slot"),
            [False, False, "As soon as possible"],
        )

    @freeze_time(NOW)
    def test_requested_slot_in_the_agents_language(self):
        activity = self.web_request(slot="2026-07-16:pm")
        self.assertEqual(
            activity.with_user(self.agent).jecree_requested_slot,
            "Thursday 16 July, afternoon",
        )
        load_french(self.env, "jecree_project")
        self.assertEqual(
            activity.with_user(self.agent)
            .with_context(lang="fr_FR")
            .jecree_requested_slot,
            "jeudi 16 juillet, après-midi",
        )

    @freeze_time(NOW)
    def test_a_page_costs_the_same_queries_whatever_its_rows(self):
        """The phone and the slot are read once for the page (the porteurs, the
        requests), not once per row: 4 rows or 24, the same queries."""
        for index in range(12):
            lead = self.new_porteur(
                f"Porteur {index}", phone=f"06 10 00 00 {index:02d}"
            )
            self.j8(lead, TODAY)
            self.web_request(
                phone=f"06 20 00 00 {index:02d}", contact_name=f"Web {index}"
            )
        Activity, domain, order = self.queue_search(filters=["due"])
        spec = {
            "date_deadline": {},
            "activity_type_id": {"fields": {"display_name": {}}},
            "res_name": {},
            "jecree_phone": {},
            "jecree_requested_slot": {},
            "user_id": {"fields": {"display_name": {}}},
            "state": {},
        }
        self.env.flush_all()
        Activity.web_search_read(domain, spec, limit=1, order=order)  # caches warm
        counts = {}
        for limit in (4, 20):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            result = Activity.web_search_read(domain, spec, limit=limit, order=order)
            counts[limit] = self.cr.sql_log_count - before
            records = result["records"]
            self.assertEqual(len(records), limit)
            self.assertTrue(all(record["jecree_phone"] for record in records))
        self.assertTrue(any(record["jecree_requested_slot"] for record in records))
        self.assertEqual(counts[4], counts[20], counts)

    # ------------------------------------------------------------------ security
    @freeze_time(NOW)
    def test_agent_sees_what_their_rules_allow_only(self):
        """Least-privileged agent: the queue adds no right. A colleague's
        call-back on a porteur of the call center is readable (agents work every
        porteur), one on another company's porteur is not; one assigned to the
        agent on a porteur they may not read shows no phone, and calling it back
        is refused."""
        rows = self.setup_queue()
        other_company = self.env["res.company"].create({"name": "Autre centre"})
        foreign = self.env["crm.lead"].create(
            {
                "name": "Porteur ailleurs",
                "is_porteur": True,
                "type": "opportunity",
                "phone": "06 99 99 99 99",
                "company_id": other_company.id,
                "team_id": False,
            }
        )
        foreign_colleague = self.j8(foreign, TODAY, agent=self.manager)
        foreign_mine = self.j8(foreign, date(2026, 7, 10))
        everything = self.queue(filters=[])
        self.assertIn(rows["colleague"], everything)
        self.assertNotIn(foreign_colleague, everything)
        # Odoo shows its assignee an activity on a record they may not read
        self.assertIn(foreign_mine, self.queue())
        row = foreign_mine.with_user(self.agent)
        self.assertFalse(row.jecree_phone)
        self.set_phone_system()
        with patch(POST, FakePhoneSystem()) as phone_system:
            with self.assertRaises(AccessError):
                row.action_jecree_call_back()
        self.assertFalse(phone_system.requests, "nothing rang")

    def test_only_agents_see_the_menu_and_call_back(self):
        employee = new_test_user(
            self.env, login="jc_queue_employee", groups="base.group_user"
        )
        menu = self.env.ref(MENU)
        self.assertIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.agent)._visible_menu_ids()
        )
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(employee)._visible_menu_ids()
        )
        with freeze_time(NOW):
            activity = self.web_request()
        with self.assertRaises(AccessError):
            activity.with_user(employee).action_jecree_call_back()

    # ------------------------------------------------------------------ calling back
    @freeze_time(NOW)
    def test_call_back_a_web_request(self):
        """Rappeler on a web request: the phone system rings the agent then the
        porteur, "Nouvel appel" opens on the porteur; the call saved there answers
        the request, which leaves the queue."""
        rows = self.setup_queue()
        requested = rows["requested"]
        lead = self.env["crm.lead"].browse(requested.res_id)
        self.set_phone_system()
        phone_system = FakePhoneSystem()
        with patch(POST, phone_system):
            action = requested.with_user(self.agent).action_jecree_call_back()
        self.assertEqual(
            [request["json"]["number"] for request in phone_system.requests],
            ["+33655443322"],
        )
        self.assertEqual(action["res_model"], "jecree.call.intake")
        form = Form(
            self.env["jecree.call.intake"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        self.assertEqual((form.lead_id, form.direction), (lead, "out"))
        form.nature = "information"
        form.save().action_save()
        self.assertFalse(requested.active, "answered by the call")
        self.assertTrue(
            any(
                "Answered by the call" in body
                for body in lead.message_ids.mapped("body")
            )
        )
        self.assertEqual(self.queue(), rows["late"] | rows["today"])

    @freeze_time(NOW)
    def test_call_back_a_j8_and_record_it(self):
        """Rappeler on a J+8 call-back: the porteur rings and the call-back form
        opens on this call-back; saved, `jecree_record_callback` closes it and
        plans the next attempt (not due today: out of the default list)."""
        lead = self.new_porteur("Paul Rappel", phone="06 12 34 56 78")
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        activity = self.callbacks(lead)
        self.assertEqual(self.queue(), activity)
        self.set_phone_system()
        phone_system = FakePhoneSystem()
        with patch(POST, phone_system):
            action = activity.with_user(self.agent).action_jecree_call_back()
        self.assertEqual(
            [request["json"]["number"] for request in phone_system.requests],
            ["+33612345678"],
        )
        self.assertEqual(action["res_model"], "jecree.callback.wizard")
        self.assertEqual(action["context"]["default_activity_id"], activity.id)
        form = Form(
            self.env["jecree.callback.wizard"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        form.outcome = "not_reached"
        form.save().action_confirm()
        self.assertFalse(activity.active)
        self.assertEqual(activity.callback_call_id.callback_outcome, "not_reached")
        self.assertEqual(lead.callback_attempt_count, 1)
        retry = self.callbacks(lead)
        self.assertEqual(retry.date_deadline, date(2026, 7, 16))
        self.assertFalse(self.queue())
        self.assertEqual(self.queue(filters=["mine", "this_week"]), retry)

    @freeze_time(NOW)
    def test_call_back_refused_cases(self):
        """Nothing rings when the row cannot be recorded: a J+8 call-back already
        recorded (a colleague was quicker), an activity that is no call-back; a
        porteur without a phone opens the form without ringing."""
        self.set_phone_system()
        lead = self.new_porteur("Paul Rappel", phone="06 12 34 56 78")
        self.log_call(lead, utc(2026, 7, 6, 8, 0))
        activity = self.callbacks(lead)
        other = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": self.agent.id,
                "date_deadline": TODAY,
            }
        )
        silent = self.new_porteur("Sans Téléphone")
        self.log_call(silent, utc(2026, 7, 6, 8, 0))
        phone_system = FakePhoneSystem()
        with patch(POST, phone_system):
            # a colleague recorded it meanwhile: the next attempt is the open one
            lead.with_user(self.agent2).jecree_record_callback(
                {"activity_id": activity.id, "outcome": "not_reached"}
            )
            with self.assertRaisesRegex(UserError, "no J\\+8 call-back to make"):
                activity.with_user(self.agent).action_jecree_call_back()
            with self.assertRaisesRegex(UserError, "not a call-back to make"):
                other.with_user(self.agent).action_jecree_call_back()
            action = (
                self.callbacks(silent).with_user(self.agent).action_jecree_call_back()
            )
        self.assertEqual(action["res_model"], "jecree.callback.wizard")
        self.assertFalse(phone_system.requests)


@tagged("post_install", "-at_install")
class TestCallbackQueueTour(HttpCase):
    """In the browser: the agent lands on "To call back", sees both kinds, and
    calls a web request back from its row ("Nouvel appel" opens on the porteur)."""

    def test_call_back_from_the_queue(self):
        agent = new_test_user(
            self.env,
            login="jc_queue_agent",
            groups="jecree_project.group_jecree_agent",
        )
        self.env.company.jecree_team_id.member_ids = agent
        Lead = self.env["crm.lead"]
        j8 = Lead.create(
            {
                "name": "Porteur J8",
                "is_porteur": True,
                "type": "opportunity",
                "phone": "06 12 12 12 12",
            }
        )
        Lead._jecree_create_callback_activities(
            [(j8.id, agent, self.env.company._jecree_today())]
        )
        result = Lead.sudo().jecree_request_callback(dict(REQUEST))
        activity = self.env["mail.activity"].browse(result["activity_id"])
        # due at the next opening hour: brought to today for the list
        activity.write(
            {"user_id": agent.id, "date_deadline": self.env.company._jecree_today()}
        )
        self.start_tour("/odoo", "jecree_callback_queue_tour", login="jc_queue_agent")
