from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "protectdesk.attachments"
    label = "attachments"
    verbose_name = _("Attachments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.attachments import integration

        integration.register()
