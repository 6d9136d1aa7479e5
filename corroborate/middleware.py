"""The site's own middleware."""

from django.contrib.auth.middleware import LoginRequiredMiddleware


class SiteLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Login everywhere, except the API: it answers 401 in JSON (token or session)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
