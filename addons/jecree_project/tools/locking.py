# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The row locks of the crons' batches."""

import logging

import psycopg2

_logger = logging.getLogger(__name__)

#: fresh snapshots a batch tries before leaving its rows to the next run
LOCK_ATTEMPTS = 3


def select_skip_locked(cr, query, attempts=LOCK_ATTEMPTS):
    """Run `query`, a SELECT … FOR [NO KEY] UPDATE SKIP LOCKED run before anything
    is written in the transaction, and return its rows: those no other
    transaction holds.

    Under Odoo's REPEATABLE READ, a row that another transaction (the other
    worker, an agent saving the record) commits between this transaction's
    snapshot and the row's lock is not skipped: PostgreSQL raises a serialization
    failure. As ir.cron does when it acquires a job, roll the transaction back
    (nothing is written in it yet) and run the query again on a fresh snapshot,
    which sees that row committed. After `attempts` failures, no row: the batch
    is left to the next run."""
    for attempt in range(1, attempts + 1):
        try:
            cr.execute(query, log_exceptions=False)
        except psycopg2.errors.SerializationFailure:
            cr.rollback()
            _logger.info(
                "a row of the batch was committed meanwhile, lock attempt %s of %s",
                attempt,
                attempts,
            )
            continue
        return cr.fetchall()
    return []
