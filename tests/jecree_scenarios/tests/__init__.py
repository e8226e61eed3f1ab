# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import (
    test_article_month,
    test_concurrency,
    test_day_in_call_center,
    test_erasure,
    test_faults,
    test_simultaneous,
)
