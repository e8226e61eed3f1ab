from . import erlang_c
from . import generate_calls
