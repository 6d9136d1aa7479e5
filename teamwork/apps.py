from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamworkConfig(AppConfig):
    name = "teamwork"
    verbose_name = _("Working together")

    def ready(self) -> None:
        from core import panels
        from teamwork import listeners, views

        listeners.connect()
        for page in ("claim", "evidence"):
            panels.register(page, "head", views.head_panel)
            panels.register(page, "discussion", views.discussion_panel)
        from teamwork.filters import extend_lists

        extend_lists()
