# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The row locks of the crons' batches."""

import logging
import threading
from contextlib import contextmanager

import psycopg2

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

#: fresh snapshots a batch tries before leaving its rows to the next run
LOCK_ATTEMPTS = 3


class _SerializationFailureOfThread(logging.Filter):
    """Drops the "bad query" line Odoo's cursor logs at ERROR for a
    serialization failure raised in the given thread, and nothing else."""

    def __init__(self, thread_id):
        super().__init__()
        self.thread_id = thread_id

    def filter(self, record):
        return not (
            record.thread == self.thread_id
            and record.levelno == logging.ERROR
            and "could not serialize access" in record.getMessage()
        )


@contextmanager
def _expected_serialization_failure():
    logger = logging.getLogger("odoo.sql_db")
    quiet = _SerializationFailureOfThread(threading.get_ident())
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def try_lock_batch(
    get_records, *, allow_referencing=False, limit=None, attempts=LOCK_ATTEMPTS
):
    """Lock the rows of the records `get_records()` returns that no other
    transaction holds (at most `limit`, in their order), and return them: Odoo's
    ``try_lock_for_update``, FOR [NO KEY] UPDATE SKIP LOCKED. The others are left
    to the transaction that holds them. Call it before anything is written in
    the transaction; `get_records` is called again on each fresh snapshot.

    ``try_lock_for_update`` does not handle this case: under Odoo's REPEATABLE
    READ, a row that another transaction (the other worker, an agent saving the
    record) commits between this transaction's snapshot and the row's lock is
    not skipped: PostgreSQL raises a serialization failure. As ir.cron does when
    it acquires a job, roll the transaction back (nothing is written in it yet)
    and lock again on a fresh snapshot, which sees that row committed; that
    expected failure is not logged as an error. After `attempts` failures, no
    record: the batch is left to the next run."""
    for attempt in range(1, attempts + 1):
        records = get_records()
        try:
            with _expected_serialization_failure():
                return records.try_lock_for_update(
                    allow_referencing=allow_referencing, limit=limit
                )
        except psycopg2.errors.SerializationFailure:
            records.env.cr.rollback()
            _logger.info(
                "a row of the batch was committed meanwhile, lock attempt %s of %s",
                attempt,
                attempts,
            )
    return records.browse()


def insert_or_lock(model, keys, values):
    """The record of `model` whose columns `keys` ({column: value}) are these,
    inserted with `values` (more columns) if there is none, and locked until the
    end of the transaction: two requests creating the same record at once get
    the same row, one after the other (the unique index on `keys` decides).

    Stored computed fields of the row are not computed by the insert: the caller
    writes what they depend on."""
    model.flush_model()
    columns = {**keys, **values}
    uid = model.env.uid
    model.env.execute_query(
        SQL(
            "INSERT INTO %s (%s, create_uid, create_date, write_uid, write_date) "
            "VALUES (%s, %s, now() at time zone 'UTC', %s, now() at time zone 'UTC') "
            "ON CONFLICT DO NOTHING",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(SQL("%s", value) for value in columns.values()),
            uid,
            uid,
        )
    )
    rows = model.env.execute_query(
        SQL(
            "SELECT id FROM %s WHERE %s FOR NO KEY UPDATE",
            SQL.identifier(model._table),
            SQL(" AND ").join(
                SQL("%s = %s", SQL.identifier(column), value)
                for column, value in keys.items()
            ),
        )
    )
    record = model.browse(rows[0][0])
    record.invalidate_recordset()
    return record
