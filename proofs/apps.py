from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProofsConfig(AppConfig):
    name = "proofs"
    verbose_name = _("Proofs")

    def ready(self) -> None:
        from proofs import checks  # noqa: F401 - registers the signing key's system check
