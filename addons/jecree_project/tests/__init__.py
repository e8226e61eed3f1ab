from . import test_access
from . import test_communes
from . import test_intake
from . import test_intake_bad_input
from . import test_i18n
from . import test_porteur
from . import test_intake_tour
