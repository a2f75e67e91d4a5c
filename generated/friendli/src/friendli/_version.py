"""Version of this SDK (the values are in ``_settings.py``)."""

from ._settings import DIST_NAME, GENERATOR_VERSION, VERSION

__title__ = DIST_NAME
__version__ = VERSION
__generator_version__ = GENERATOR_VERSION
