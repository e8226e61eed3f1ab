# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Local days as the naive UTC datetimes the ORM stores."""

from datetime import datetime, time, timedelta

import pytz


def day_bounds(tz, day_from, day_to):
    """Naive UTC datetimes of the local start of `day_from` and the local end of
    `day_to` (the next local midnight) in the pytz zone `tz`."""
    start = tz.localize(datetime.combine(day_from, time.min))
    end = tz.localize(datetime.combine(day_to + timedelta(days=1), time.min))
    return (
        start.astimezone(pytz.utc).replace(tzinfo=None),
        end.astimezone(pytz.utc).replace(tzinfo=None),
    )
