from . import jecree_call_report
from . import jecree_monthly_pack_xlsx
from . import jecree_referral_report
