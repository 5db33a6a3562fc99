"""Django's admin autodiscovery imports this module; the back office's admin lives in its room."""

from advisor.backoffice import admin  # noqa: F401
