# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Click-to-dial through Asterisk: a fake Asterisk Manager Interface on loopback
(a thread, a random port) records the actions it receives; the Asterisk REST
Interface is a patched ``requests.post``."""

import logging
import socket
import socketserver
import threading
import time
from unittest.mock import patch

import requests
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import load_french
from .test_telephony_events import TelephonyCase

SECRET = "s3cret-AMI"
TIMEOUT = "odoo.addons.jecree_project.models.jecree_phone_common.ORIGINATE_TIMEOUT"
POST = "odoo.addons.jecree_project.models.jecree_telephony_system.requests.post"
LOGGER = "odoo.addons.jecree_project.models.jecree_telephony_system"


class FakeAmi:
    """An Asterisk Manager Interface on 127.0.0.1 (random port), one connection
    at a time. `mode`: ``ok``; ``refuse`` (Originate answers Error); ``silent``
    (greets, then never answers); ``close`` (closes at once, no greeting).
    A wrong secret gets ``Response: Error`` and the connection closed, as
    Asterisk does. ``actions``: every action received, header by header."""

    def __init__(self, mode="ok", secret=SECRET):
        self.mode, self.secret = mode, secret
        self.actions, self.connections = [], 0
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                fake.connections += 1
                self.request.settimeout(5)
                if fake.mode == "close":
                    return
                self.request.sendall(b"Asterisk Call Manager/9.0.0\r\n")
                buffer = b""
                while True:
                    while b"\r\n\r\n" not in buffer:
                        chunk = self.request.recv(4096)
                        if not chunk:
                            return
                        buffer += chunk
                    block, __, buffer = buffer.partition(b"\r\n\r\n")
                    action = dict(
                        line.split(": ", 1) for line in block.decode().split("\r\n")
                    )
                    fake.actions.append(action)
                    if not fake.answer(self.request, action):
                        return

        self.server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]

    def answer(self, sock, action):
        """Answer `action`; False closes the connection."""
        if self.mode == "silent":
            return True

        def send(*lines):
            text = "".join(f"{line}\r\n" for line in lines)
            sock.sendall(f"{text}ActionID: {action['ActionID']}\r\n\r\n".encode())

        name = action["Action"]
        if name == "Login":
            if action.get("Secret") != self.secret:
                send("Response: Error", "Message: Authentication failed")
                return False
            # an event before the answer: the client skips it
            sock.sendall(b"Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\n")
            send("Response: Success", "Message: Authentication accepted")
        elif name == "Originate" and self.mode == "refuse":
            send("Response: Error", "Message: Extension does not exist.")
        elif name == "Originate":
            send("Response: Success", "Message: Originate successfully queued")
        elif name == "Logoff":
            send("Response: Goodbye", "Message: Thanks for all the fish.")
            return False
        return True

    def names(self):
        return [action["Action"] for action in self.actions]

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def closed_port():
    """A port of 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeAri:
    """What the ARI received (a patched ``requests.post``), and its answer."""

    def __init__(self, status=200, error=None):
        self.status, self.error, self.requests = status, error, []

    def __call__(self, url, **kwargs):
        self.requests.append({"url": url, **kwargs})
        if self.error:
            raise self.error
        response = requests.Response()
        response.status_code = self.status
        return response


class AsteriskCase(TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system.write(
            {
                "asterisk_host": "127.0.0.1",
                "ari_url": "http://pbx.example.org:8088/",
                "asterisk_login": "odoo",
                "asterisk_password": SECRET,
                "out_prefix": "0",
            }
        )

    def setUp(self):
        super().setUp()
        patcher = patch(TIMEOUT, 1)  # the agent waits 5 s; the tests 1 s
        patcher.start()
        self.addCleanup(patcher.stop)

    def through(self, way):
        self.env["ir.config_parameter"].sudo().set_param(
            "jecree_project.originate_through", way
        )

    def dial(self, number="03 21 44 55 66", user=None):
        return (
            self.env["jecree.phone.common"]
            .with_user(user or self.agent)
            .click2dial(number)
        )

    def assert_not_made(self, message, lang="en_US"):
        """Dialling the porteur is refused with `message`; no call logged."""
        Call = self.env["crm.phonecall"]
        before = Call.search_count([])
        with self.assertRaisesRegex(UserError, message):
            self.porteur.with_user(self.agent).with_context(
                lang=lang
            ).action_jecree_dial()
        self.assertEqual(Call.search_count([]), before)


@tagged("post_install", "-at_install")
class TestClickToDialAmi(AsteriskCase):
    def setUp(self):
        super().setUp()
        self.through("ami")

    def test_originate_fields_then_logoff_then_the_call_is_logged(self):
        with FakeAmi() as ami:
            self.system.ami_port = ami.port
            action = self.porteur.with_user(self.agent).action_jecree_dial()
        self.assertEqual(ami.names(), ["Login", "Originate", "Logoff"])
        login, originate, logoff = ami.actions
        self.assertEqual(
            (login["Username"], login["Secret"], login["Events"]),
            ("odoo", SECRET, "off"),
        )
        action_id = originate.pop("ActionID")
        self.assertRegex(action_id, r"^jecree-[0-9a-f]{8}-2$")
        self.assertEqual(
            originate,
            {
                "Action": "Originate",
                "Channel": "PJSIP/201",
                "Exten": "00321445566",  # out prefix 0, then the national number
                "Context": "from-internal",
                "Priority": "1",
                "CallerID": '"03 21 44 55 66" <201>',
                "Async": "true",
            },
        )
        self.assertEqual(len({login["ActionID"], action_id, logoff["ActionID"]}), 3)
        # the outgoing call is logged when the agent saves the screen
        self.save_outgoing_call(action)

    def test_settings_of_the_phone_system(self):
        """Channel type, context, no prefix, a foreign number, a mobile."""
        self.system.write(
            {"channel_tech": "SIP", "dial_context": "jecree-out", "out_prefix": False}
        )
        cases = [
            ("06 12 34 56 78", "0612345678"),
            ("+32 2 555 12 12", "003225551212"),
        ]
        for number, exten in cases:
            with self.subTest(number), FakeAmi() as ami:
                self.system.ami_port = ami.port
                result = self.dial(number, user=self.agent2)
                originate = ami.actions[1]
                self.assertEqual(
                    (originate["Channel"], originate["Exten"], originate["Context"]),
                    ("SIP/202", exten, "jecree-out"),
                )
                self.assertEqual(ami.names()[-1], "Logoff")
                self.assertFalse(result["url"])
                self.assertNotIn(SECRET, str(result))

    def test_errors_in_french_nothing_logged_no_secret_in_the_log(self):
        load_french(self.env)
        self.agent.lang = "fr_FR"
        originate = ["Login", "Originate", "Logoff"]
        cases = [
            # (label, fake server, message, the actions it received)
            ("wrong secret", FakeAmi(secret="other"), "refusé la connexion", ["Login"]),
            ("originate refused", FakeAmi(mode="refuse"), "Extension does", originate),
            ("never answers", FakeAmi(mode="silent"), "ne répond pas", ["Login"]),
            ("closes at once", FakeAmi(mode="close"), "ne répond pas", []),
        ]
        for label, fake, message, actions in cases:
            with self.subTest(label), fake as ami:
                self.system.ami_port = ami.port
                with self.assertLogs(LOGGER, logging.INFO) as logs:
                    self.assert_not_made(message, "fr_FR")
                self.assertEqual((ami.connections, ami.names()), (1, actions))
                log = "\n".join(logs.output)
                self.assertIn(f"127.0.0.1:{ami.port}", log)
                self.assertNotIn(SECRET, log)

    def test_unreachable_and_timeout_within_the_deadline(self):
        self.system.ami_port = closed_port()
        self.assert_not_made("did not answer")
        # the fake never answers the login: the agent waits the timeout (1 s in
        # the tests), not more
        with FakeAmi(mode="silent") as ami:
            self.system.ami_port = ami.port
            start = time.monotonic()
            with self.assertRaisesRegex(UserError, "did not answer"):
                self.dial()
            elapsed = time.monotonic() - start
        self.assertEqual(ami.names(), ["Login"])
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 3)

    def test_agent_without_extension_connects_to_nothing(self):
        self.agent.jecree_phone_extension = False
        with FakeAmi() as ami:
            self.system.ami_port = ami.port
            self.assert_not_made("extension")
        self.assertEqual(ami.connections, 0)

    def test_no_phone_system_or_incomplete(self):
        self.system.asterisk_host = False
        self.assert_not_made("lacks its address")
        self.system.asterisk_login = False
        self.assert_not_made("No phone system")

    def test_the_phone_system_of_the_agents_company(self):
        other = self.env["res.company"].create({"name": "Antenne de Lens"})
        self.agent.company_ids |= other
        with FakeAmi() as ours, FakeAmi() as theirs:
            self.system.ami_port = ours.port
            self.env["jecree.telephony.system"].create(
                {
                    "name": "PBX Lens",
                    "company_id": other.id,
                    "asterisk_host": "127.0.0.1",
                    "ami_port": theirs.port,
                    "asterisk_login": "lens",
                    "asterisk_password": SECRET,
                }
            )
            self.env["jecree.phone.common"].with_user(self.agent).with_company(
                other
            ).click2dial("0321445566")
        self.assertEqual((ours.connections, theirs.connections), (0, 1))
        self.assertEqual(theirs.actions[0]["Username"], "lens")
        # a second phone system with a login in one company: which one is
        # used would not be explicit, so it is refused
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["jecree.telephony.system"].create(
                {"name": "Second PBX", "asterisk_login": "odoo2"}
            ).flush_recordset()


@tagged("post_install", "-at_install")
class TestClickToDialAri(AsteriskCase):
    def setUp(self):
        super().setUp()
        self.through("ari")

    def test_originate_request(self):
        ari = FakeAri()
        with patch(POST, ari):
            result = self.dial()
        self.assertEqual(
            ari.requests,
            [
                {
                    "url": "http://pbx.example.org:8088/ari/channels",
                    "params": {
                        "endpoint": "PJSIP/201",
                        "extension": "00321445566",
                        "context": "from-internal",
                        "priority": 1,
                        "callerId": '"03 21 44 55 66" <201>',
                    },
                    "auth": ("odoo", SECRET),
                    "timeout": 1,
                }
            ],
        )
        self.assertEqual(result, {"dialed_number": "+33321445566", "url": False})

    def test_errors_in_french_nothing_logged(self):
        load_french(self.env)
        self.agent.lang = "fr_FR"
        cases = [
            ("unreachable", FakeAri(error=requests.ConnectionError()), "ne répond"),
            ("timeout", FakeAri(error=requests.Timeout()), "ne répond pas"),
            ("wrong password", FakeAri(status=401), "refusé la connexion"),
            ("no such endpoint", FakeAri(status=400), "400"),
            ("server error", FakeAri(status=500), "500"),
        ]
        for label, ari, message in cases:
            with self.subTest(label), patch(POST, ari):
                with self.assertLogs(LOGGER, logging.INFO) as logs:
                    self.assert_not_made(message, "fr_FR")
                self.assertEqual(len(ari.requests), 1)
                self.assertNotIn(SECRET, "\n".join(logs.output))

    def test_url_and_none_unchanged(self):
        """The other ways do not touch the phone system's Asterisk."""
        ari = FakeAri()
        with patch(POST, ari):
            self.through("none")
            self.assertEqual(self.dial()["url"], "tel:%2B33321445566")
            self.through("url")  # no URL set: a tel: link, as before
            self.assertEqual(self.dial()["url"], "tel:%2B33321445566")
        self.assertFalse(ari.requests)


@tagged("post_install", "-at_install")
class TestAsteriskSettings(AsteriskCase):
    def test_secret_readable_by_managers_only(self):
        System = self.env["jecree.telephony.system"]
        telephony = new_test_user(
            self.env,
            login="jc_pbx_tech",
            groups="base.group_portal,jecree_project.group_jecree_telephony",
        )
        for user in (self.agent, telephony):
            with self.subTest(user.login):
                with self.assertRaises(AccessError):
                    System.with_user(user).browse(self.system.id).read(
                        ["asterisk_password"]
                    )
                with self.assertRaises(AccessError):
                    System.with_user(user).search_read(
                        [("id", "=", self.system.id)], ["asterisk_password"]
                    )
        # the field is the manager group's: not in an agent's form either
        self.assertEqual(
            System._fields["asterisk_password"].groups,
            "jecree_project.group_jecree_manager",
        )
        manager_view = (
            System.with_user(self.manager)
            .browse(self.system.id)
            .read(["asterisk_password"])
        )
        self.assertEqual(manager_view[0]["asterisk_password"], SECRET)
        # a manager sets a phone system up in its form
        self.system.asterisk_login = False
        form = Form(System.with_user(self.manager))
        form.name = "FreePBX"
        form.asterisk_host = "pbx.example.org"
        form.asterisk_login = "odoo"
        form.asterisk_password = "an0ther-secret"
        system = form.save()
        self.assertEqual(
            (system.ami_port, system.channel_tech, system.dial_context),
            (5038, "PJSIP", "from-internal"),
        )

    def test_bad_values_refused(self):
        cases = [
            ("ami_port", 0),
            ("ami_port", 70000),
            ("out_prefix", "9a"),
            ("out_prefix", "12345"),
            ("channel_tech", "PJSIP/201"),
            ("dial_context", "from internal"),
            ("asterisk_login", "odoo\r\nAction: Command"),
            ("asterisk_password", "pass word"),
            ("asterisk_password", "secret\r\nAction: Originate"),
            ("asterisk_host", "pbx example"),
            ("ari_url", "ftp://pbx.example.org"),
            ("ari_url", "http://odoo:s3cret@pbx.example.org:8088"),
        ]
        for fname, value in cases:
            with self.subTest(fname=fname, value=value):
                with self.assertRaises(ValidationError):
                    self.system.with_user(self.manager).write({fname: value})
                self.system.invalidate_recordset()
                self.assertNotEqual(self.system[fname], value)

    def test_settings_choose_the_way(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.jecree_originate_through, "none")
        settings.jecree_originate_through = "ari"
        settings.save().execute()
        Params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(Params.get_param("jecree_project.originate_through"), "ari")
        self.assertEqual(
            Form(self.env["res.config.settings"]).jecree_originate_through, "ari"
        )
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"jecree_originate_through": "url", "jecree_originate_url": " "}
            )
