from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThreatsConfig(AppConfig):
    name = "protectdesk.threats"
    label = "threats"
    verbose_name = _("Threat assessment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.threats import integration

        integration.register()
