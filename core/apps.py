from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    # The label this app's tables and migrations were created under, when it still lived
    # in the settings package: keeping it lets every existing database migrate unchanged.
    label = "corroborate"
    verbose_name = _("History")

    def ready(self) -> None:
        from core.sqlite import install_unicode_like

        connection_created.connect(install_unicode_like, dispatch_uid="corroborate_unicode_like")
