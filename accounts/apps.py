from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and security")

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 - sign-ins and failures into the log
