# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import (
    test_directory,
    test_ranking,
    test_sectors,
    test_slots,
    test_referral,
    test_refer_confirmation,
    test_erasure,
    test_portal,
    test_portal_daily,
    test_isolation,
    test_csrf,
    test_sanitize,
    test_tours,
    test_import,
    test_i18n,
    test_referral_wizard_fuzz,
    test_portal_fuzz,
    test_import_fuzz,
    test_ladder,
    test_survey,
    test_accept_delay,
)
