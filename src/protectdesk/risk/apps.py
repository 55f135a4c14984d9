from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "protectdesk.risk"
    label = "risk"
    verbose_name = _("Risk analysis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.risk import integration

        integration.register()
