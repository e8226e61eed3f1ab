from . import res_company
from . import res_config_settings
from . import crm_lead
from . import crm_phonecall
from . import mail_activity
from . import jecree_brochure
from . import jecree_brochure_sending
from . import res_users
