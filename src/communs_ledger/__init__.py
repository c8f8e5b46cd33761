"""communs-ledger : comptabilité associative sur un grand livre Beancount."""

__version__ = "0.1.0"
