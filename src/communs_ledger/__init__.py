"""communs-ledger : comptabilité associative sur un grand livre Beancount."""

__version__ = "0.1.0"

# The whole communs.yaml schema (every feature's section) is registered with the
# kernel's config loader before any module of the package can load a config.
from .application import configuration as _configuration  # noqa: F401
