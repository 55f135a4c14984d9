from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "tests.notes"
    label = "notes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tests.notes import integration

        integration.register()
