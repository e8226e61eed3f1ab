# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import select
import time
import uuid

import psycopg2

from odoo.sql_db import connection_info_for
from odoo.tests import TransactionCase, tagged

from odoo.addons.bus.models.bus import json_dump
from odoo.addons.jecree_project.models import bus_bus


@tagged("post_install", "-at_install")
class TestBusNotify(TransactionCase):
    """The bus's ``NOTIFY imbus`` after a commit goes through one connection to the
    ``postgres`` database kept by the process (stock Odoo opens and closes one at
    each commit). A listener on that database, as Odoo's websocket workers are,
    receives each notification once, and sees which backend sent it."""

    def setUp(self):
        super().setUp()
        __, info = connection_info_for("postgres")
        self.listener = psycopg2.connect(**info)
        self.listener.autocommit = True
        self.addCleanup(self.listener.close)
        with self.listener.cursor() as cr:
            cr.execute("LISTEN imbus")
        # other databases of the cluster notify imbus too: this test's channel only
        self.marker = f"jecree-notify-test-{uuid.uuid4().hex}"

    def send_and_commit(self, count=1):
        """`count` bus messages on this test's channel, then what a commit runs:
        the pre-commit hooks (bus.bus rows) and the post-commit ones (NOTIFY)."""
        for n in range(count):
            self.env["bus.bus"]._sendone(self.marker, "jecree_test", {"n": n})
        self.env.cr.precommit.run()
        self.env.cr.postcommit.run()

    def received(self, expected):
        """The sender backends' pids of the notifications on this test's channel,
        once `expected` of them have arrived (or after 5 seconds)."""
        pids = []
        deadline = time.monotonic() + 5
        while len(pids) < expected and time.monotonic() < deadline:
            select.select([self.listener], [], [], 0.1)
            self.listener.poll()
            while self.listener.notifies:
                notify = self.listener.notifies.pop(0)
                channels = json.loads(notify.payload)
                if [self.env.cr.dbname, self.marker] in channels:
                    pids.append(notify.pid)
        # anything more would come within this short wait
        select.select([self.listener], [], [], 0.2)
        self.listener.poll()
        pids.extend(
            notify.pid
            for notify in self.listener.notifies
            if [self.env.cr.dbname, self.marker] in json.loads(notify.payload)
        )
        self.listener.notifies.clear()
        return pids

    def kept_pid(self):
        return bus_bus._notify_connection._cnx.get_backend_pid()

    def test_one_connection_for_every_commit(self):
        self.send_and_commit()
        first = self.received(1)
        self.send_and_commit(count=2)  # two messages, one commit: one NOTIFY
        self.send_and_commit()
        later = self.received(2)
        # once per commit (stock's own NOTIFY hook is not added beside ours), and
        # every time from the same backend: stock's would be a new one each time
        self.assertEqual(len(first), 1)
        self.assertEqual(len(later), 2)
        self.assertEqual(set(first + later), {self.kept_pid()})
        # the bus.bus rows are still written before the commit, as stock does
        self.assertEqual(
            self.env["bus.bus"].search_count(
                [("channel", "=", json_dump([self.env.cr.dbname, self.marker]))]
            ),
            4,
        )

    def test_broken_connection_opened_again(self):
        self.send_and_commit()
        old = self.received(1)
        # the server ends the kept connection (a restart, an idle timeout)
        with self.listener.cursor() as cr:
            cr.execute("SELECT pg_terminate_backend(%s)", [old[0]])
        self.send_and_commit()
        new = self.received(1)
        self.assertEqual(len(new), 1, "the notification is sent after a reconnection")
        self.assertNotEqual(new, old)
        self.assertEqual(new, [self.kept_pid()])

    def test_forked_process_opens_its_own(self):
        self.send_and_commit()
        self.received(1)
        kept = bus_bus._notify_connection._cnx
        self.addCleanup(kept.close)
        # as seen from a process forked after the connection was opened
        bus_bus._notify_connection._pid = -1
        self.send_and_commit()
        new = self.received(1)
        self.assertEqual(new, [self.kept_pid()])
        self.assertNotEqual(new[0], kept.get_backend_pid())
        # the parent's connection is the parent's: not closed by the child
        self.assertFalse(kept.closed)
