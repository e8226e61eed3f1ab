from . import erlang_c
from . import french_holidays
from . import generate_calls
