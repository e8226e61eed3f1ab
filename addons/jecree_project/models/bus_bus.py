# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import os
import threading

import psycopg2

from odoo import models
from odoo.sql_db import connection_info_for
from odoo.tools import SQL, OrderedSet

from odoo.addons.bus.models.bus import ODOO_NOTIFY_FUNCTION, get_notify_payloads

_logger = logging.getLogger(__name__)


class _NotifyConnection:
    """One connection to the ``postgres`` database per process, kept open, for the
    bus's ``NOTIFY imbus`` (stock Odoo opens a new one at each commit that sends a
    bus message, and closes it: a new PostgreSQL backend per commit, about 2.5 ms
    of the 8 ms of a ringing event). Threads of one process take turns (a lock):
    a NOTIFY takes a fraction of a millisecond. A forked process opens its own."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cnx = None
        self._pid = None

    def _connect(self):
        __, info = connection_info_for("postgres")
        cnx = psycopg2.connect(**info)
        cnx.autocommit = True
        return cnx

    def _drop(self):
        cnx, self._cnx = self._cnx, None
        # a connection opened by the parent of a fork is the parent's: not closed
        if cnx is not None and self._pid == os.getpid() and not cnx.closed:
            cnx.close()

    def notify(self, payloads):
        """``pg_notify('imbus', payload)`` for each payload; a connection found
        broken (the server restarted, an idle timeout) is opened again once."""
        with self._lock:
            for attempt in (1, 2):
                if self._cnx is None or self._cnx.closed or self._pid != os.getpid():
                    self._drop()
                    self._cnx, self._pid = self._connect(), os.getpid()
                try:
                    with self._cnx.cursor() as cr:
                        for payload in payloads:
                            query = SQL(
                                "SELECT %s('imbus', %s)",
                                SQL.identifier(ODOO_NOTIFY_FUNCTION),
                                payload,
                            )
                            cr.execute(query.code, query.params)
                    return
                except (psycopg2.OperationalError, psycopg2.InterfaceError):
                    self._drop()
                    if attempt == 2:
                        raise


_notify_connection = _NotifyConnection()


class BusBus(models.Model):
    _inherit = "bus.bus"

    def _ensure_hooks(self):
        """Stock hooks (the bus.bus rows written before the commit), with the
        ``NOTIFY imbus`` after it sent on the process's kept connection
        (`_NotifyConnection`) instead of a new connection each time."""
        cr = self.env.cr
        if "bus.bus.channels" not in cr.postcommit.data:
            cr.postcommit.data["bus.bus.channels"] = OrderedSet()

            # after the commit, as stock: the websocket workers woken by the
            # NOTIFY read the new bus.bus rows
            @cr.postcommit.add
            def notify():
                payloads = get_notify_payloads(
                    list(cr.postcommit.data.pop("bus.bus.channels"))
                )
                if len(payloads) > 1:
                    _logger.info(
                        "The imbus notification payload was too large, it's been "
                        "split into %d payloads.",
                        len(payloads),
                    )
                _notify_connection.notify(payloads)

        return super()._ensure_hooks()
