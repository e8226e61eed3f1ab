from . import jecree_call_intake
