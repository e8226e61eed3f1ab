from . import erlang_c
from . import generate_calls
from . import sirene
from . import generate_sirene
