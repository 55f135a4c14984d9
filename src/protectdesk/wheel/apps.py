from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WheelConfig(AppConfig):
    name = "protectdesk.wheel"
    label = "wheel"
    verbose_name = _("Security wheel")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.wheel import checks, integration  # noqa: F401 - register the check

        integration.register()
