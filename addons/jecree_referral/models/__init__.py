# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import (
    jecree_lead_choice,
    jecree_sector,
    jecree_project_kind,
    jecree_structure_type,
    jecree_coverage,
    res_partner,
    jecree_referral,
    crm_lead,
    mail_mail,
    resource_calendar,
    resource_calendar_leaves,
)
from . import res_users
