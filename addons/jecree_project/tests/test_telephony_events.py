# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.bus.models.bus import json_dump

from .common import JecreeProjectCase

CALLER = "03 21 44 55 66"
CALLER_E164 = "+33321445566"


class TelephonyCase(JecreeProjectCase):
    """A phone system, agents with extensions, a known porteur."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent.jecree_phone_extension = "201"
        cls.agent2.jecree_phone_extension = "202"
        cls.system = cls.env["jecree.telephony.system"].create({"name": "Cloud PBX"})
        cls.porteur = cls.env["crm.lead"].create(
            {
                "name": "Porteur Téléphone",
                "contact_name": "Léa Sonnerie",
                "is_porteur": True,
                "phone": "+33 3 21 44 55 66",
            }
        )

    def event(self, event, call_id="c1", **values):
        payload = {"event": event, "call_id": call_id, **values}
        payload.setdefault("from", CALLER)
        payload.setdefault("extension", "201")
        return self.env["jecree.telephony.call"]._jecree_process_event(
            self.system, payload
        )

    def call(self, call_id="c1"):
        return self.env["jecree.telephony.call"].search(
            [("system_id", "=", self.system.id), ("call_ref", "=", call_id)]
        )

    def counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in (
                "jecree.telephony.event",
                "jecree.telephony.call",
                "jecree.missed.call",
                "crm.phonecall",
                "crm.lead",
            )
        )

    def save_outgoing_call(self, action):
        """Save the "Nouvel appel" screen `action` opened after dialling the
        porteur, as the agent: the outgoing call is logged."""
        form = Form(
            self.env["jecree.call.intake"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        self.assertEqual((form.lead_id, form.direction), (self.porteur, "out"))
        form.nature = "information"
        form.save().action_save()
        call = self.porteur.phonecall_ids
        self.assertEqual((call.direction, call.user_id), ("out", self.agent))

    def bus_messages(self, partner):
        """The bus notifications sent to `partner`'s channel (this test's)."""
        self.env.cr.precommit.run()
        channel = json_dump((self.env.cr.dbname, "res.partner", partner.id))
        return [
            json.loads(message)
            for message in self.env["bus.bus"]
            .sudo()
            .search([("channel", "=", channel)])
            .mapped("message")
        ]


@tagged("post_install", "-at_install")
class TestTelephonyEvents(TelephonyCase):
    def test_answered_call_real_times_on_the_logged_call(self):
        """The agent logs the call while talking; the hang-up gives the logged
        call its real start and duration."""
        start = datetime.now().replace(microsecond=0) - timedelta(minutes=10)
        self.event("ringing", time=start.isoformat() + "Z")
        self.event("answered", time=(start + timedelta(seconds=12)).isoformat())
        call = self.call()
        self.assertEqual(call.state, "answered")
        self.assertEqual(call.user_id, self.agent)
        action = call.with_user(self.agent).action_jecree_qualify()
        self.assertEqual(action["context"]["default_lead_id"], self.porteur.id)
        form = Form(
            self.env["jecree.call.intake"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        self.assertEqual(form.lead_id, self.porteur)
        form.nature = "orientation"
        form.duration = 1  # typed by the agent: the phone system's wins
        form.save().action_save()
        phonecall = call.phonecall_id
        self.assertTrue(phonecall)
        self.assertEqual(phonecall.opportunity_id, self.porteur)
        self.assertEqual(phonecall.date, start + timedelta(seconds=12))
        result = self.event(
            "hangup", time=(start + timedelta(seconds=312)).isoformat(), duration=300
        )
        self.assertEqual(result["state"], "done")
        self.assertEqual(phonecall.duration, 5.0)
        self.assertEqual(phonecall.date, start + timedelta(seconds=12))
        self.assertFalse(self.env["jecree.missed.call"].search([]))

    def test_qualified_after_hang_up(self):
        start = datetime.now().replace(microsecond=0) - timedelta(minutes=5)
        self.event("ringing", time=start.isoformat())
        self.event("answered", time=(start + timedelta(seconds=5)).isoformat())
        self.event("hangup", time=(start + timedelta(seconds=185)).isoformat())
        call = self.call()
        self.assertEqual((call.state, call.talk_seconds), ("done", 180))
        action = call.with_user(self.agent).action_jecree_qualify()
        intake = (
            self.env["jecree.call.intake"]
            .with_user(self.agent)
            .with_context(**action["context"])
            .create({"nature": "information"})
        )
        intake.action_save()
        self.assertEqual(call.phonecall_id.duration, 3.0)
        self.assertEqual(call.phonecall_id.date, start + timedelta(seconds=5))
        # the same phone system call cannot be logged twice
        again = (
            self.env["jecree.call.intake"]
            .with_user(self.agent)
            .with_context(**action["context"])
            .create({"nature": "information"})
        )
        before = self.counts()
        with self.assertRaisesRegex(UserError, "already logged"):
            again.action_save()
        self.assertEqual(self.counts(), before)

    def test_replayed_and_duplicated_events(self):
        self.event("ringing")
        before = self.counts()
        for __ in range(3):
            self.assertEqual(self.event("ringing")["status"], "duplicate")
        self.assertEqual(self.counts(), before)
        self.event("hangup")
        missed = self.call().missed_call_id
        self.assertEqual(missed.attempts, 1)
        self.assertEqual(self.event("hangup")["status"], "duplicate")
        self.assertEqual(missed.attempts, 1)
        # the same call id from another phone system is another call
        other = self.env["jecree.telephony.system"].create({"name": "Site PBX"})
        self.env["jecree.telephony.call"]._jecree_process_event(
            other, {"event": "ringing", "call_id": "c1", "from": CALLER}
        )
        self.assertEqual(
            self.env["jecree.telephony.call"].search_count([("call_ref", "=", "c1")]),
            2,
        )

    def test_out_of_order_events(self):
        """Every order of the three events ends in the same call."""
        start = datetime.now().replace(microsecond=0) - timedelta(minutes=30)
        times = {
            "ringing": start,
            "answered": start + timedelta(seconds=10),
            "hangup": start + timedelta(seconds=130),
        }
        orders = [
            ("ringing", "answered", "hangup"),
            ("hangup", "answered", "ringing"),
            ("answered", "hangup", "ringing"),
            ("hangup", "ringing", "answered"),
        ]
        for number, order in enumerate(orders):
            with self.subTest(order=order):
                call_id = f"order-{number}"
                for event in order:
                    self.event(event, call_id, time=times[event].isoformat())
                call = self.call(call_id)
                self.assertEqual(call.state, "done")
                self.assertEqual(call.ring_date, start)
                self.assertEqual(call.answer_date, times["answered"])
                self.assertEqual(call.talk_seconds, 120)
                self.assertFalse(call.missed_call_id)
        # no screen pop for a ringing that comes after the end of its call
        self.assertFalse(
            [
                m
                for m in self.bus_messages(self.agent.partner_id)
                if m["type"] == "jecree_incoming_call"
                and m["payload"]["call_id"] in self.call("order-1").ids
            ]
        )
        self.assertFalse(self.env["jecree.missed.call"].search([]))

    def test_unknown_extension_and_bad_values_write_nothing(self):
        cases = [
            {"event": "ringing", "call_id": "x", "extension": "999"},
            {"event": "ringing", "call_id": "x", "from": "12"},
            {"event": "ringing", "call_id": ""},
            {"event": "ringing"},
            {"event": "ring", "call_id": "x"},
            {"event": "hangup", "call_id": "x", "duration": -5},
            {"event": "hangup", "call_id": "x", "duration": "long"},
            {"event": "hangup", "call_id": "x", "time": "yesterday"},
            {"event": "hangup", "call_id": "x", "time": "1999-01-01T00:00:00Z"},
            {"event": "ringing", "call_id": "x", "direction": "sideways"},
            {"event": "ringing", "call_id": "x" * 500},
            {"event": "ringing", "call_id": "x", "extension": ["201"]},
        ]
        Call = self.env["jecree.telephony.call"]
        for payload in cases:
            with self.subTest(payload=payload):
                before = self.counts()
                with self.assertRaises(UserError):
                    Call._jecree_process_event(self.system, payload)
                self.assertEqual(self.counts(), before)
        with self.assertRaises(UserError):
            Call._jecree_process_event(self.system, ["ringing"])

    def test_hidden_number(self):
        self.event("ringing", "hidden", **{"from": "anonymous"})
        self.event("hangup", "hidden", **{"from": ""})
        call = self.call("hidden")
        self.assertEqual(call.state, "missed")
        self.assertFalse(call.phone)
        # nobody to call back
        self.assertFalse(call.missed_call_id)


@tagged("post_install", "-at_install")
class TestMissedCalls(TelephonyCase):
    def test_missed_calls_counted_per_number_and_day(self):
        # Saturday 7 March 2026, 20:00 in Paris: closed until Monday 8:00
        with freeze_time("2026-03-07 19:00:00"):
            for number in range(3):
                self.event("ringing", f"m{number}")
                self.event("hangup", f"m{number}")
            self.event("ringing", "other", **{"from": "06 11 22 33 44"})
            self.event("hangup", "other")
        queue = self.env["jecree.missed.call"].search([])
        self.assertEqual(len(queue), 2)
        missed = queue.filtered(lambda m: m.phone == CALLER_E164)
        self.assertEqual(missed.attempts, 3)
        self.assertEqual(missed.lead_ids, self.porteur)
        self.assertEqual(missed.due_date, datetime(2026, 3, 9, 7, 0))
        # the next day is another line
        with freeze_time("2026-03-08 10:00:00"):
            self.event("ringing", "sunday")
            self.event("hangup", "sunday")
        self.assertEqual(
            self.env["jecree.missed.call"].search_count([("phone", "=", CALLER_E164)]),
            2,
        )

    def test_due_during_opening_hours(self):
        # Tuesday 10 March 2026, 11:00 in Paris: open
        with freeze_time("2026-03-10 10:00:00"):
            self.event("ringing")
            self.event("hangup")
        self.assertEqual(
            self.call().missed_call_id.due_date, datetime(2026, 3, 10, 10, 0)
        )

    def test_answer_after_hang_up_is_no_missed_call(self):
        self.event("ringing")
        self.event("hangup")
        self.assertTrue(self.call().missed_call_id)
        self.event("answered")
        self.assertEqual(self.call().state, "done")
        self.assertFalse(self.env["jecree.missed.call"].search([]))

    def test_call_back_from_the_queue(self):
        self.event("ringing")
        self.event("hangup")
        missed = self.env["jecree.missed.call"].with_user(self.agent2).search([])
        self.assertEqual(missed.state, "open")
        action = missed.action_jecree_call_back()
        self.assertEqual(action["res_model"], "jecree.call.intake")
        self.assertEqual(action["context"]["default_lead_id"], self.porteur.id)
        self.assertEqual(action["context"]["default_direction"], "out")
        self.assertEqual(action["context"]["dialog_size"], "extra-large")
        form = Form(
            self.env["jecree.call.intake"]
            .with_user(self.agent2)
            .with_context(**action["context"])
        )
        self.assertEqual(form.lead_id, self.porteur)
        self.assertEqual(form.direction, "out")
        form.nature = "information"
        form.save().action_save()
        self.assertEqual(missed.state, "done")
        self.assertEqual(missed.phonecall_id.opportunity_id, self.porteur)
        self.assertEqual(missed.phonecall_id.user_id, self.agent2)
        self.assertEqual(missed.phonecall_id.direction, "out")

    def test_new_caller_call_back(self):
        self.event("ringing", **{"from": "07 55 44 33 22"})
        self.event("hangup")
        missed = self.env["jecree.missed.call"].search([])
        self.assertFalse(missed.lead_ids)
        action = missed.with_user(self.agent).action_jecree_call_back()
        self.assertNotIn("default_lead_id", action["context"])
        intake = (
            self.env["jecree.call.intake"]
            .with_user(self.agent)
            .with_context(**action["context"])
            .create({"contact_name": "Nouvelle Personne", "nature": "information"})
        )
        intake.action_save()
        self.assertEqual(missed.state, "done")
        self.assertEqual(
            missed.phonecall_id.opportunity_id.contact_name, "Nouvelle Personne"
        )


@tagged("post_install", "-at_install")
class TestScreenPop(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="jc_tel_portal", groups="base.group_portal"
        )
        cls.env["crm.phonecall"].create(
            {
                "name": "Information – Léa Sonnerie",
                "opportunity_id": cls.porteur.id,
                "date": datetime(2026, 2, 3, 9, 30),
                "user_id": cls.agent2.id,
            }
        )

    def test_only_the_ringing_agent_is_notified(self):
        self.bus_messages(self.agent.partner_id)  # flush what setUp sent
        self.env["bus.bus"].sudo().search([]).unlink()
        self.event("ringing")
        mine = self.bus_messages(self.agent.partner_id)
        self.assertEqual([m["type"] for m in mine], ["jecree_incoming_call"])
        payload = mine[0]["payload"]
        self.assertEqual(payload["callers"][0]["id"], self.porteur.id)
        self.assertEqual(payload["context"]["default_lead_id"], self.porteur.id)
        self.assertEqual(payload["context"]["default_phone"], "+33 3 21 44 55 66")
        self.assertEqual(
            payload["context"]["default_telephony_call_id"], self.call().id
        )
        self.assertIn("Léa Sonnerie", payload["lines"][0])
        self.assertTrue(
            any("Information – Léa Sonnerie" in line for line in payload["lines"])
        )
        for other in (self.agent2, self.manager, self.portal):
            with self.subTest(user=other.login):
                self.assertFalse(self.bus_messages(other.partner_id))
        # nobody else either: every jecree_incoming_call went to the agent
        everything = self.env["bus.bus"].sudo().search([])
        incoming = everything.filtered(lambda n: "jecree_incoming_call" in n.message)
        self.assertEqual(
            incoming.mapped("channel"),
            [json_dump((self.env.cr.dbname, "res.partner", self.agent.partner_id.id))],
        )

    def test_new_caller_pop(self):
        self.event("ringing", **{"from": "+33 6 99 88 77 66"})
        payload = self.bus_messages(self.agent.partner_id)[-1]["payload"]
        self.assertTrue(payload["new_caller"])
        self.assertNotIn("default_lead_id", payload["context"])
        self.assertEqual(payload["context"]["default_phone"], "+33 6 99 88 77 66")

    def test_no_pop_without_extension_or_after_answer(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        self.event("ringing", "queue", extension=None)
        self.event("answered", "late")
        self.event("ringing", "late")
        self.env.cr.precommit.run()
        self.assertFalse(
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "jecree_incoming_call")])
        )

    def test_pop_closed_when_hung_up_or_answered_elsewhere(self):
        """The ringing agent's pop closes when the call rings out or another agent
        answers it; it stays for the agent who answered (to log the call)."""
        self.bus_messages(self.agent.partner_id)
        self.env["bus.bus"].sudo().search([]).unlink()

        def types(partner):
            return [
                (m["type"], m["payload"]["call_id"]) for m in self.bus_messages(partner)
            ]

        cases = [
            # call id, events after the ringing on 201, closed for the agent
            ("rings-out", [("hangup", {})], True),
            ("elsewhere", [("answered", {"extension": "202"})], True),
            ("answered", [("answered", {}), ("hangup", {})], False),
            ("replayed", [("hangup", {}), ("hangup", {})], True),
        ]
        for call_id, events, closed in cases:
            with self.subTest(call_id):
                self.event("ringing", call_id)
                for event, values in events:
                    self.event(event, call_id, **values)
                call = self.call(call_id).id
                expected = [("jecree_incoming_call", call)]
                if closed:
                    expected.append(("jecree_call_closed", call))
                self.assertEqual(types(self.agent.partner_id), expected)
                self.assertFalse(self.bus_messages(self.agent2.partner_id))
                self.env["bus.bus"].sudo().search([]).unlink()

    def test_extension_moved_or_agent_archived(self):
        """The agent of an extension is cached: a change of extension or an
        archived agent is seen by the next ringing call."""
        self.event("ringing", "before")
        self.agent.with_user(self.agent).write({"jecree_phone_extension": "205"})
        with self.assertRaisesRegex(UserError, "201"):
            self.event("ringing", "old extension")
        self.bus_messages(self.agent.partner_id)  # flush the first pop
        self.env["bus.bus"].sudo().search([]).unlink()
        self.event("ringing", "new extension", extension="205")
        self.assertEqual(
            [m["type"] for m in self.bus_messages(self.agent.partner_id)],
            ["jecree_incoming_call"],
        )
        self.agent2.active = False
        with self.assertRaisesRegex(UserError, "202"):
            self.event("ringing", "archived", extension="202")

    def test_extension_in_preferences(self):
        """Agents enter their own extension; it is unique and digits only."""
        self.agent2.with_user(self.agent2).write({"jecree_phone_extension": " 2 05 "})
        self.assertEqual(self.agent2.jecree_phone_extension, "205")
        with self.assertRaisesRegex(ValidationError, "already has"):
            self.agent2.with_user(self.agent2).write({"jecree_phone_extension": "201"})
        self.assertEqual(self.agent2.jecree_phone_extension, "205")
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.agent2.with_user(self.agent2).write({"jecree_phone_extension": "abc"})


@tagged("post_install", "-at_install")
class TestTelephonyErasure(TelephonyCase):
    def test_erasure_covers_the_phone_system_records(self):
        """Right to erasure: the phone system's calls of the porteur's number lose
        it, their missed calls go; another number's stay."""
        self.event("ringing")
        self.event("hangup")
        self.event("ringing", "other", **{"from": "06 11 22 33 44"})
        self.event("hangup", "other")
        self.porteur.with_user(self.manager).action_jecree_erase_personal_data()
        self.assertFalse(self.call().phone)
        self.assertEqual(self.call().state, "missed")
        self.assertEqual(
            self.env["jecree.missed.call"].search([]).mapped("phone"),
            ["+33611223344"],
        )
        self.assertEqual(self.call("other").phone, "+33611223344")
