from . import locking
from .records import cached_ref
