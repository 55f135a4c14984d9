from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "protectdesk.records"
    label = "records"
    verbose_name = _("Encrypted records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.records import checks, integration, signals  # noqa: F401 - connect and register

        integration.register()
