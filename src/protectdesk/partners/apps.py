from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "protectdesk.partners"
    label = "partners"
    verbose_name = _("Partners and referrals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.partners import integration, signals  # noqa: F401 - receivers

        integration.register()
