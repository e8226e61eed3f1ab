# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import (
    jecree_sector,
    jecree_project_kind,
    jecree_structure_type,
    jecree_coverage,
    res_partner,
    jecree_referral,
    crm_lead,
    resource_calendar,
    resource_calendar_leaves,
)
