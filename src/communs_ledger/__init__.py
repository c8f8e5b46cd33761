"""communs-ledger : comptabilité associative sur un grand livre Beancount."""

from . import registre

__version__ = "0.1.0"


def _config_schema() -> object:
    """The whole ``communs.yaml`` schema, assembled above the features (imported on the
    first load of a config, not with the package: see :mod:`.registre`)."""
    from .application.configuration import SCHEMA

    return SCHEMA


registre.config_schema = _config_schema
