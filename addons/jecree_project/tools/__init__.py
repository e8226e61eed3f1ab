from . import french_holidays
from . import locking
from .records import cached_ref
