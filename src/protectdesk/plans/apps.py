from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "protectdesk.plans"
    label = "plans"
    verbose_name = _("Protection plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.plans import integration

        integration.register()
