from . import jecree_call_intake
from . import jecree_callback_wizard
from . import jecree_callback_wizard_line
from . import jecree_monthly_pack_wizard
from . import jecree_sirene_import
from . import jecree_dashboard
