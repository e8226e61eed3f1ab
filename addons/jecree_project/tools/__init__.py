from .records import cached_ref
