from . import french_holidays
from . import local_time
from . import locking
from .records import cached_ref
from .privacy import iap_enabled
