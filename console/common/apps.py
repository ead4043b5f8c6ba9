from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "console.common"
    label = "console_common"
    verbose_name = "Console (shared)"
