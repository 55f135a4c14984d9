from django.apps import AppConfig


class ProtectDeskConfig(AppConfig):
    """The project package as an app: its CLI commands, shared templates and static files."""

    name = "protectdesk"
    label = "protectdesk"
    verbose_name = "Protection Desk"
