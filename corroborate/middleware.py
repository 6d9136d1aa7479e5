"""The site's own middleware."""

import logging

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse
from django.shortcuts import render

from core.storage import StorageUnavailable

log = logging.getLogger(__name__)


class SiteLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Login everywhere, except the API: it answers 401 in JSON (token or session)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class StorageUnavailableMiddleware:
    """A file store that does not answer is a clear 503 page (or JSON under /api/), never
    a 500: the person is told to try again, and nothing was changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        log.error("storage unavailable at %s: %s", request.path, exception.detail)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": str(exception)}, status=503)
        return render(request, "503.html", {"message": str(exception)}, status=503)
