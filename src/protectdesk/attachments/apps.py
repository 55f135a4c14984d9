from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "protectdesk.attachments"
    label = "attachments"
    verbose_name = _("Attachments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from protectdesk.attachments import rotation as attachment_rotation
        from protectdesk.cases import rotation

        rotation.CUSTOM_STEPS["attachments.Attachment"] = attachment_rotation.rotate_attachment
        rotation.AFTER_FINISH.append(attachment_rotation.remove_old_files)
