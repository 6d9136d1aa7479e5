from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CorroborateConfig(AppConfig):
    name = "corroborate"
    verbose_name = "Corroborate"

    def ready(self) -> None:
        from corroborate.sqlite import install_unicode_like

        connection_created.connect(install_unicode_like, dispatch_uid="corroborate_unicode_like")
