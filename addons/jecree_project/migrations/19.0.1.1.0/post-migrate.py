# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A call that is not useful has no nature: the intake used to keep its hidden
default ("Information") on error, prank and off-target calls."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        SQL(
            "UPDATE crm_phonecall SET nature = NULL "
            "WHERE qualification IS DISTINCT FROM %s AND nature IS NOT NULL",
            "utile",
        )
    )
    _logger.info("nature removed from %s calls that are not useful", cr.rowcount)
