from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "protectdesk.incidents"
    label = "incidents"
    verbose_name = _("Security incidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.incidents import integration

        integration.register()
