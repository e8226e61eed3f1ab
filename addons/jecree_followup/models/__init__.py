from . import res_company
from . import res_config_settings
from . import resource_calendar
from . import crm_lead
from . import crm_phonecall
from . import mail_activity
from . import jecree_brochure
