# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import jecree_referral_wizard
from . import jecree_referral_wizard_line
from . import jecree_referral_wizard_slot
from . import jecree_directory_import
