from . import jecree_arrondissement
from . import jecree_epci
from . import jecree_need
from . import res_city
from . import res_company
from . import res_config_settings
from . import crm_lead
from . import crm_phonecall
