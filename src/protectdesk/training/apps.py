from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "protectdesk.training"
    label = "training"
    verbose_name = _("Capacity building")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.training import integration

        integration.register()
